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

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
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
		if reservedID(m.id) {
			continue // the same in every language (reservedID)
		}
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

// TestGoI18nReadsEveryEntry: go-i18n, which the program reads the catalog with, finds every
// entry of fr.json as a message of its own: a key it takes for a field of a message ("ID")
// would make it refuse the file, and every French text would silently be English.
func TestGoI18nReadsEveryEntry(t *testing.T) {
	bundle := i18n.NewBundle(language.English)
	file, err := bundle.ParseMessageFileBytes(frJSON, "fr.json")
	if err != nil {
		t.Fatalf("go-i18n refuses fr.json: %v", err)
	}
	cat := readCatalog(t)
	if len(file.Messages) != len(cat) {
		t.Errorf("go-i18n read %d messages, fr.json has %d entries", len(file.Messages), len(cat))
	}
	for _, m := range file.Messages {
		if _, ok := cat[m.ID]; !ok {
			t.Errorf("go-i18n read a message %q that is no entry of fr.json", m.ID)
		}
	}
	for id := range cat {
		if reservedID(id) {
			t.Errorf("fr.json: %q is a word go-i18n reserves; it cannot be translated (reservedID)", id)
		}
	}
	if frLocalizer() == nil {
		t.Error("the program's catalog did not load")
	}
}

// TestFrenchPrinter: a French printer translates formats, plurals (0 and 1 singular), errors
// through errkind-like wrappers, and falls back to the English of a missing message.
func TestFrenchPrinter(t *testing.T) {
	fr := For(French)
	if got := fr.Plural(0, "%d key", "%d keys", 0); got != "0 clé" {
		t.Errorf("Plural(0) = %q", got)
	}
	if got := fr.Plural(1, "%d key", "%d keys", 1); got != "1 clé" {
		t.Errorf("Plural(1) = %q", got)
	}
	if got := fr.Plural(11, "%d key", "%d keys", 11); got != "11 clés" {
		t.Errorf("Plural(11) = %q", got)
	}
	if got := fr.Sprintf("no such message %d", 3); got != "no such message 3" {
		t.Errorf("a missing message: %q", got)
	}
	if got := fr.TextFor("expiry", "unknown"); got != "inconnue" {
		t.Errorf("TextFor: %q", got)
	}
	if got := fr.TextFor("nothing", "unknown words"); got != "unknown words" {
		t.Errorf("TextFor of a missing word: %q", got)
	}
	if got := fr.Text("ID"); got != "ID" {
		t.Errorf("a reserved word: %q", got)
	}
}
