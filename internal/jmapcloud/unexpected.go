package jmapcloud

import (
	"bytes"
	"slices"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// maxUnexpected bounds the unexpected member names a client keeps, and maxUnexpectedName the
// length of each: a hostile server cannot make the list grow with the answers.
const (
	maxUnexpected     = 64
	maxUnexpectedName = 64
)

// unexpectedMembers collects, for a client and its copies, the names of the members the
// server sent that no wire struct names (wire.go): "API key: lastUsed". Names only: their
// values may be secrets.
type unexpectedMembers struct {
	mu    sync.Mutex
	names map[string]bool
	trace *TraceTransport // non-nil → each name is also written to the --debug trace, once
}

func newUnexpectedMembers() *unexpectedMembers {
	return &unexpectedMembers{names: map[string]bool{}}
}

// note records the names of the members of unknown, a JSON object, as members of object.
func (u *unexpectedMembers) note(object string, unknown jsontext.Value) {
	if u == nil || len(unknown) == 0 {
		return
	}
	dec := jsontext.NewDecoder(bytes.NewReader(unknown), decodeOptions)
	if _, err := dec.ReadToken(); err != nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for dec.PeekKind() == '"' && len(u.names) < maxUnexpected {
		tok, err := dec.ReadToken()
		if err != nil {
			return
		}
		name := object + ": " + cutAt(tok.String(), maxUnexpectedName) // before SkipValue voids tok
		if !u.names[name] && u.trace != nil {
			u.trace.write("< (a member apikeys does not read: " + sanitize.Text(name) + ")\n")
		}
		u.names[name] = true
		if dec.SkipValue() != nil {
			return
		}
	}
}

func (u *unexpectedMembers) list() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]string, 0, len(u.names))
	for name := range u.names {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// UnexpectedMembers lists, sorted, the members the server's answers held that apikeys does
// not read, each as "object: name" ("API key: lastUsed", "page: totalPages"): what a server
// sends beyond API.md. Names are as sent, at most 64 bytes each and 64 in all; sanitise them
// (sanitize.Text) before showing them.
func (c *Client) UnexpectedMembers() []string { return c.unexpected.list() }
