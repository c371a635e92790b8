package l10n

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite fr.json in its canonical form (sorted, one entry a line)")

// frEntry is one French entry: a text, or the forms of a message that counts.
type frEntry struct {
	Text       string
	One, Other string
}

func readCatalog(t *testing.T) map[string]frEntry {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(frJSON, &raw); err != nil {
		t.Fatalf("fr.json: %v", err)
	}
	cat := make(map[string]frEntry, len(raw))
	for id, v := range raw {
		var e frEntry
		if err := json.Unmarshal(v, &e.Text); err != nil {
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				t.Fatalf("fr.json: %q is neither a text nor {\"one\", \"other\"}: %v", id, err)
			}
			for k := range forms {
				if k != "one" && k != "other" {
					t.Errorf("fr.json: %q has a form %q: French has one and other", id, k)
				}
			}
			e.One, e.Other = forms["one"], forms["other"]
			if e.One == "" || e.Other == "" {
				t.Errorf("fr.json: %q needs both one and other", id)
			}
		}
		cat[id] = e
	}
	return cat
}

// TestCatalogIsCanonical keeps fr.json sorted, one entry a line, so that branches adding
// entries merge as a union of lines; -update rewrites it.
func TestCatalogIsCanonical(t *testing.T) {
	cat := readCatalog(t)
	ids := make([]string, 0, len(cat))
	for id := range cat {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, id := range ids {
		e := cat[id]
		b.WriteString("  " + quote(t, id) + ": ")
		if e.One != "" || e.Other != "" {
			b.WriteString(`{"one": ` + quote(t, e.One) + `, "other": ` + quote(t, e.Other) + `}`)
		} else {
			b.WriteString(quote(t, e.Text))
		}
		if i < len(ids)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	if bytes.Equal(b.Bytes(), frJSON) {
		return
	}
	if *update {
		if err := os.WriteFile("fr.json", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("fr.json is not in its canonical form: run go test ./internal/l10n -run TestCatalogIsCanonical -update")
}

func quote(t *testing.T, s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// TestEveryMessageHasFrench: each English message of the source has a French entry whose
// arguments are the English ones (none lost, none added), and each French entry is still a
// message of the source.
func TestEveryMessageHasFrench(t *testing.T) {
	cat := readCatalog(t)
	used := map[string]bool{}
	missing := 0
	for _, m := range scanMessages(t) {
		used[m.id] = true
		e, ok := cat[m.id]
		if !ok {
			missing++
			t.Errorf("%s: no French for %q", m.where, m.id)
			continue
		}
		if m.isText {
			continue
		}
		want := verbs(m.id)
		if m.one != "" {
			if got := verbs(m.one); !slices.Equal(got, want) {
				t.Errorf("%s: the English singular %q uses %v, its plural %v: both forms must take every argument", m.where, m.one, got, want)
			}
			if e.Other == "" {
				t.Errorf("%s: %q counts: its French needs {\"one\", \"other\"}", m.where, m.id)
				continue
			}
			for _, form := range []string{e.One, e.Other} {
				if got := verbs(form); !slices.Equal(got, want) {
					t.Errorf("%s: French %q uses %v, English %q %v", m.where, form, got, m.id, want)
				}
			}
			continue
		}
		if got := verbs(e.Text); !slices.Equal(got, want) {
			t.Errorf("%s: French %q uses %v, English %q %v", m.where, e.Text, got, m.id, want)
		}
	}
	if missing > 0 {
		t.Logf("%d messages have no French entry", missing)
	}
	for id := range cat {
		if !used[id] {
			t.Errorf("fr.json: %q is no longer a message of the source: remove it", id)
		}
	}
}

// TestFrenchTypography: a space before « : ; ? ! » and inside « » is non-breaking, as French
// typography has it, so that a terminal never wraps the sign away from its word.
func TestFrenchTypography(t *testing.T) {
	for id, e := range readCatalog(t) {
		for _, s := range []string{e.Text, e.One, e.Other} {
			for _, bad := range []string{" :", " ;", " ?", " !", "« ", " »"} {
				if strings.Contains(s, bad) {
					t.Errorf("French of %q: %q has an ordinary space in %q (use U+00A0)", id, s, bad)
				}
			}
		}
	}
}
