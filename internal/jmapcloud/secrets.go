package jmapcloud

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// secretSet holds the secret values one client has seen: the password it was given, the
// tokens it sent or received, a new key's secret. They are replaced by Redacted wherever they
// appear in a trace or in an error built from server text, whatever the field is called: a
// server may echo a token back in a plain-text body or inside a message.
type secretSet struct {
	mu           sync.RWMutex
	values       map[string]bool
	learned      int
	learnedBytes int
	replacer     *strings.Replacer // nil until a value is known; rebuilt on each addition
}

// maxLearnedSecrets, maxLearnedSecret and maxLearnedBytes bound the values taken from
// secret-named fields of server answers: how many, how long each, and how long in all. A
// hostile server could otherwise grow the set, and the cost of rebuilding the replacer at
// each value learned (quadratic: 256 values of 60 KiB took minutes of CPU under --debug).
// A longer value is still redacted where it stands, by its field's name.
const (
	maxLearnedSecrets = 256
	maxLearnedSecret  = 4 << 10
	maxLearnedBytes   = 64 << 10
)

// minLearnedSecret is the shortest value learned from a field name alone. Such a field is
// redacted by name anyway; replacing a short value such as "1" everywhere would garble the
// trace.
const minLearnedSecret = 8

// minKnownSecret is the shortest value the client knows to be secret that is replaced
// wherever it appears. A one-letter APIKEYS_TOKEN replaced everywhere turned every error
// message into noise ("canno[REDACTED] unmarshal"); a real token is hundreds of characters, and
// a password shorter than this is still redacted by field name in the authenticate body.
const minKnownSecret = 4

func newSecretSet() *secretSet { return &secretSet{values: map[string]bool{}} }

// add records values known to be secret (empty strings are ignored).
func (s *secretSet) add(values ...string) {
	s.insert(false, values)
}

// learn records values found in secret-named fields, within maxLearnedSecrets.
func (s *secretSet) learn(values ...string) {
	s.insert(true, values)
}

func (s *secretSet) insert(learned bool, values []string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for _, v := range values {
		if len(v) < minKnownSecret || s.values[v] || (learned && !s.learnable(v)) {
			continue
		}
		if learned {
			s.learned++
			s.learnedBytes += len(v)
		}
		s.values[v] = true
		changed = true
	}
	if changed {
		s.replacer = s.build()
	}
}

// learnable says whether v, found in a secret-named field, is learned: within the bounds.
func (s *secretSet) learnable(v string) bool {
	return len(v) >= minLearnedSecret && len(v) <= maxLearnedSecret &&
		s.learned < maxLearnedSecrets && s.learnedBytes+len(v) <= maxLearnedBytes
}

// build makes one replacer for every form a value can take in a body, a header or a URL:
// as is, JSON-escaped, percent-escaped the ways encoders do it (Go's query and path escaping,
// every reserved byte escaped as JavaScript's encodeURIComponent does, each with upper- or
// lower-case hex digits), and base64 (standard or URL alphabet, padded or not). Longer forms
// come first so that a secret containing another is replaced whole.
func (s *secretSet) build() *strings.Replacer {
	forms := map[string]bool{}
	for v := range s.values {
		forms[v] = true
		forms[jsonEscaped(v)] = true
		for _, escaped := range []string{url.QueryEscape(v), url.PathEscape(v), escapeAllReserved(v)} {
			forms[escaped] = true
			forms[lowerHexEscapes(escaped)] = true
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			forms[enc.EncodeToString([]byte(v))] = true
		}
	}
	list := make([]string, 0, len(forms))
	for f := range forms {
		if f != "" {
			list = append(list, f)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, f := range list {
		pairs = append(pairs, f, Redacted)
	}
	return strings.NewReplacer(pairs...)
}

// escapeAllReserved percent-escapes every byte but the unreserved ones (letters, digits and
// - _ . ! ~ * ' ( )), spaces included, as encodeURIComponent does: "a b/c" → "a%20b%2Fc".
func escapeAllReserved(v string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// lowerHexEscapes writes the hex digits of each %XX escape in lower case ("%2F" → "%2f"), the
// form some encoders and proxies write.
func lowerHexEscapes(escaped string) string {
	b := []byte(escaped)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1] = lowerHex(b[i+1])
			b[i+2] = lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// jsonEscaped is v as it appears between the quotes of a JSON string written by Go.
func jsonEscaped(v string) string {
	b, err := json.Marshal(v)
	if err != nil || len(b) < 2 {
		return v
	}
	return string(b[1 : len(b)-1])
}

// redact replaces every known secret in text.
func (s *secretSet) redact(text string) string {
	if s == nil {
		return text
	}
	s.mu.RLock()
	r := s.replacer
	s.mu.RUnlock()
	if r == nil {
		return text
	}
	return r.Replace(text)
}

// redactCut also replaces a secret cut off at the end of text, as when a body is traced only
// up to a limit: the first part of a token is still most of a token. A cut of fewer than
// minCut characters is left: it tells little, and would match the end of too many texts.
func (s *secretSet) redactCut(text string) string {
	text = s.redact(text)
	if s == nil {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for v := range s.values {
		for _, form := range []string{v, jsonEscaped(v)} {
			for k := len(form) - 1; k >= minCut; k-- {
				if strings.HasSuffix(text, form[:k]) {
					return text[:len(text)-k] + Redacted
				}
			}
		}
	}
	return text
}

const minCut = 4
