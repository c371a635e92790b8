package jmapcloud

import (
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
	mu       sync.RWMutex
	values   map[string]bool
	learned  int
	replacer *strings.Replacer // nil until a value is known; rebuilt on each addition
}

// maxLearnedSecrets bounds the values taken from secret-named fields of server answers: a
// hostile server could otherwise grow the set (and each redaction's cost) without end.
const maxLearnedSecrets = 256

// minLearnedSecret is the shortest value learned from a field name alone. Such a field is
// redacted by name anyway; replacing a short value such as "1" everywhere would garble the
// trace. Values the client knows to be secrets are redacted at any length.
const minLearnedSecret = 8

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
		if v == "" || s.values[v] || (learned && (len(v) < minLearnedSecret || s.learned >= maxLearnedSecrets)) {
			continue
		}
		if learned {
			s.learned++
		}
		s.values[v] = true
		changed = true
	}
	if changed {
		s.replacer = s.build()
	}
}

// build makes one replacer for every form a value can take in a body, a header or a URL:
// as is, JSON-escaped, query- and path-escaped. Longer forms come first so that a secret
// containing another is replaced whole.
func (s *secretSet) build() *strings.Replacer {
	forms := map[string]bool{}
	for v := range s.values {
		forms[v] = true
		forms[jsonEscaped(v)] = true
		forms[url.QueryEscape(v)] = true
		forms[url.PathEscape(v)] = true
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
