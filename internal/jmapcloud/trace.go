package jmapcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Redacted replaces every credential and secret in a debug trace.
const Redacted = "[REDACTED]"

// TraceTransport writes a request/response trace (for --debug) to W with credentials and
// secrets replaced by Redacted: the Authorization, Api-Key and Cookie headers, the apiKey
// query parameter, JSON fields such as password, tokens and the key secret, and wherever they
// appear the secret values the client knows (see secretSet). Server text goes through
// sanitize.Text. A response is traced when its body is closed, from a bounded prefix: the
// trace never holds a whole answer.
type TraceTransport struct {
	Next http.RoundTripper
	W    io.Writer

	mu    sync.Mutex
	known *secretSet // shared with the Client that installed the trace; nil → its own
}

// traceCapture is how much of a response body the trace keeps; traceShown how much of it,
// once redacted, it prints.
const (
	traceCapture = 64 << 10
	traceShown   = 4096
)

var secretHeaders = map[string]bool{"Authorization": true, "Api-Key": true, "Cookie": true, "Set-Cookie": true}

// secretFields are JSON keys (and query parameters) whose values are never traced, in any
// object, at any depth. Names are compared lower-cased without '_' and '-', so access_token
// and refresh-token are caught as well.
var secretFields = map[string]bool{
	"password": true, "passwd": true, "accesstoken": true, "refreshtoken": true, "idtoken": true,
	"sessiontoken": true, "jwt": true, "bearer": true, "authorization": true, "apikey": true,
	"secret": true, "clientsecret": true, "credential": true, "credentials": true,
	"key": true, "value": true, "token": true,
}

func secretField(name string) bool {
	n := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(name))
	return secretFields[n]
}

func (t *TraceTransport) secrets() *secretSet {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.known == nil {
		t.known = newSecretSet()
	}
	return t.known
}

// tracedExchange is what the trace keeps of one request until its answer is closed.
type tracedExchange struct {
	t       *TraceTransport
	known   *secretSet
	start   time.Time
	method  string
	url     *url.URL
	reqHead http.Header
	reqBody []byte
}

// RoundTrip traces one exchange. The request body (the client's own, small) is read and
// handed on unchanged; the response body is wrapped, not read ahead.
func (t *TraceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	x := &tracedExchange{t: t, known: t.secrets(), method: req.Method, url: req.URL, reqHead: req.Header}
	if req.Body != nil {
		x.reqBody, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(x.reqBody))
	}
	x.learnHeaders(req.Header)
	x.start = time.Now()
	res, err := next.RoundTrip(req)
	if err != nil {
		var b strings.Builder
		x.writeRequest(&b)
		fmt.Fprintf(&b, "< error after %s: %s\n", time.Since(x.start).Round(time.Millisecond), x.clean(err.Error()))
		t.write(b.String())
		return nil, err
	}
	res.Body = &tracedBody{ReadCloser: res.Body, x: x, res: res, elapsed: time.Since(x.start)}
	return res, nil
}

// learnHeaders records the credentials a request carries, so that an echo is redacted too.
func (x *tracedExchange) learnHeaders(h http.Header) {
	x.known.add(strings.TrimPrefix(h.Get("Authorization"), "Bearer "), h.Get("Api-Key"))
}

// writeRequest writes the request; the body is redacted first, so that the secrets its
// fields hold are known when the URL and the headers are written.
func (x *tracedExchange) writeRequest(b *strings.Builder) {
	var body string
	if len(x.reqBody) > 0 {
		body = x.bodyText(x.reqBody, false)
	}
	fmt.Fprintf(b, "> %s %s\n", x.method, x.clean(redactURL(x.url)))
	x.writeHeaders(b, "> ", x.reqHead)
	if body != "" {
		fmt.Fprintf(b, "> %s\n", body)
	}
}

func (x *tracedExchange) writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := strings.Join(h[name], ", ")
		if secretHeaders[http.CanonicalHeaderKey(name)] {
			v = Redacted
		}
		// Go's transport takes up to 10 MB of headers: the trace shows traceShown of each.
		fmt.Fprintf(b, "%s%s: %s\n", prefix, sanitize.Text(clip(name, traceShown)), sanitize.Text(clip(x.known.redact(v), traceShown)))
	}
}

// clean redacts the known secrets in server or error text and makes it safe to show.
func (x *tracedExchange) clean(s string) string { return sanitize.Text(x.known.redact(s)) }

// bodyText is a body as the trace shows it: secret fields and known values redacted, at most
// traceShown bytes, sanitised. cut says the body goes on beyond what was captured.
func (x *tracedExchange) bodyText(body []byte, cut bool) string {
	s := redactBody(body, x.known)
	if cut {
		s = x.known.redactCut(s)
	} else {
		s = x.known.redact(s)
	}
	if len(s) > traceShown {
		s = cutAt(s, traceShown) + "…"
	}
	return sanitize.Text(s)
}

// tracedBody passes a response body through, keeping its first traceCapture bytes, and
// writes the exchange to the trace when it is closed.
type tracedBody struct {
	io.ReadCloser
	x       *tracedExchange
	res     *http.Response
	elapsed time.Duration

	mu      sync.Mutex
	prefix  []byte
	total   int64
	eof     bool
	readErr error
	once    sync.Once
}

func (b *tracedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := traceCapture - len(b.prefix); room > 0 {
		b.prefix = append(b.prefix, p[:min(n, room)]...)
	}
	b.total += int64(n)
	switch {
	case err == io.EOF:
		b.eof = true
	case err != nil && b.readErr == nil:
		b.readErr = err
	}
	return n, err
}

func (b *tracedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.emit)
	return err
}

func (b *tracedBody) emit() {
	b.mu.Lock()
	defer b.mu.Unlock()
	x := b.x
	// The response body first: the secrets its fields hold (a new token, a key's secret) are
	// then known for everything else written, the request included.
	cut := !b.eof || b.total > int64(len(b.prefix))
	var body string
	if len(b.prefix) > 0 {
		body = x.bodyText(b.prefix, cut)
	}
	var s strings.Builder
	x.writeRequest(&s)
	fmt.Fprintf(&s, "< %s (%s)\n", x.clean(b.res.Status), b.elapsed.Round(time.Millisecond))
	x.writeHeaders(&s, "< ", b.res.Header)
	if body != "" {
		fmt.Fprintf(&s, "< %s\n", body)
	}
	switch {
	case b.readErr != nil:
		fmt.Fprintf(&s, "< (body broke off after %d bytes: %s)\n", b.total, x.clean(b.readErr.Error()))
	case cut:
		fmt.Fprintf(&s, "< (body not read to its end: %d bytes read)\n", b.total)
	case b.total > traceShown:
		fmt.Fprintf(&s, "< (%d bytes in all)\n", b.total)
	}
	x.t.write(s.String())
}

func (t *TraceTransport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.W, s) // a trace that cannot be written has nowhere to report it
}

func redactURL(u *url.URL) string {
	cp := *u
	q := cp.Query()
	for name := range q {
		if secretField(name) {
			q.Set(name, Redacted)
		}
	}
	cp.RawQuery = q.Encode()
	cp.User = nil
	return cp.String()
}

// secretMember matches a JSON member with a string value, or what is left of it when the
// body breaks off inside it (no closing quote, perhaps a lone backslash): a cut token is
// still most of a token. Group 1 is the name, group 2 the value (closing quote excluded).
var secretMember = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`"((?:[^"\\]|\\.){1,64})"\s*:\s*"((?:[^"\\]|\\.)*)(?:"|\\?$)`)
})

// RedactJSON returns body with secret fields replaced. Unparseable bodies are redacted by
// pattern, so a truncated answer cannot leak a token either.
func RedactJSON(body []byte) string { return redactBody(body, nil) }

// redactBody is RedactJSON that also records the values of secret fields in known, so that
// the same value elsewhere (inside a message, say) is redacted as well.
func redactBody(body []byte, known *secretSet) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return redactByPattern(string(body), known)
	}
	out, err := json.Marshal(redactValue(v, known))
	if err != nil {
		return Redacted
	}
	return string(out)
}

func redactByPattern(s string, known *secretSet) string {
	re := secretMember()
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		name := s[m[2]:m[3]]
		if !secretField(name) {
			continue
		}
		var value string
		if json.Unmarshal([]byte(`"`+s[m[4]:m[5]]+`"`), &value) == nil {
			known.learn(value)
		}
		b.WriteString(s[last:m[4]])
		b.WriteString(Redacted)
		b.WriteString(`"`)
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func redactValue(v any, known *secretSet) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if secretField(k) {
				if s, ok := val.(string); ok {
					known.learn(s)
				}
				x[k] = Redacted
			} else {
				x[k] = redactValue(val, known)
			}
		}
	case []any:
		for i := range x {
			x[i] = redactValue(x[i], known)
		}
	}
	return v
}
