package output

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	yamlv2 "go.yaml.in/yaml/v2"
)

// The streamed JSON of PrintKeys is byte for byte what encoding the whole array gives.
func TestPrintKeysJSONStreamsTheSameBytes(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 2, 57} {
		keys := make([]Key, n)
		for i := range keys {
			keys[i] = Key{
				ID: fmt.Sprintf("id-%d", i), Title: fmt.Sprintf("t <%d> & \"q\" é\n", i), Role: "editor",
				Creator: "Ada", Email: "k@x.io", Created: now.Add(-time.Duration(i) * time.Hour),
			}
			if i%3 != 0 {
				keys[i].Expires = now.AddDate(0, 0, i)
			}
		}
		for _, columns := range [][]string{KeyFieldNames(), {"status", "title"}} {
			ids, err := columnIDs(columns)
			if err != nil {
				t.Fatal(err)
			}
			norm := make([]Key, n)
			records := make([]keyRecord, n)
			for i := range keys {
				norm[i] = NormalizeKey(keys[i], now)
				records[i] = keyRecord{&norm[i], ids}
			}
			var want, got bytes.Buffer
			if err := PrintJSON(&want, records); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				want.Reset()
				want.WriteString("[]\n")
			}
			if err := printKeysJSON(&got, keys, ids, now); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("%d keys, columns %v:\n got %q\nwant %q", n, columns, got.String(), want.String())
			}
		}
	}
}

// yamlTitles are titles the YAML writer quotes, folds or escapes in its own ways.
var yamlTitles = []string{
	"plain", "", " leading space", "trailing space ", "yes", "no", "null", "~", "123", "1e3", "0x1F",
	"a: b", "- item", "# comment", "key: \"quoted\" 'single'", "multi\nline\n", "tab\there", "é ü 漢字 🙂",
	strings.Repeat("long words that the writer may fold ", 6), strings.Repeat("x", 200), "\x7f del \u0085 nel",
	"{flow}", "[seq]", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick`", "|", ">", "'", "\"",
}

// The streamed YAML of PrintKeys is byte for byte what marshalling the whole list gives: a
// block sequence's items do not depend on each other.
func TestPrintKeysYAMLStreamsTheSameBytes(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 2, len(yamlTitles), 3 * len(yamlTitles)} {
		keys := make([]Key, n)
		for i := range keys {
			keys[i] = Key{
				ID: fmt.Sprintf("id-%d", i), Title: yamlTitles[i%len(yamlTitles)], Role: "editor",
				Creator: yamlTitles[(i+7)%len(yamlTitles)], Email: "k@x.io", Created: now.Add(-time.Duration(i) * time.Hour),
			}
			if i%3 != 0 {
				keys[i].Expires = now.AddDate(0, 0, i)
			}
		}
		for _, columns := range [][]string{KeyFieldNames(), {"status", "title"}} {
			ids, err := columnIDs(columns)
			if err != nil {
				t.Fatal(err)
			}
			docs := make([]yamlv2.MapSlice, n)
			for i := range keys {
				k := NormalizeKey(keys[i], now)
				docs[i] = keyRecord{&k, ids}.yaml()
			}
			want, err := yamlv2.Marshal(docs)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := printKeysYAML(&got, keys, ids, now); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Fatalf("%d keys, columns %v:\n got %q\nwant %q", n, columns, got.String(), want)
			}
		}
	}
}

// writeSizes records the size of each Write.
type writeSizes []int

func (s *writeSizes) Write(p []byte) (int, error) { *s = append(*s, len(p)); return len(p), nil }

// TestPrintKeysYAMLWritesAsItGoes: the YAML of a long list reaches the writer in buffer-sized
// writes while it is rendered, never as one document built in memory (1.1 GB at 100,000 keys).
func TestPrintKeysYAMLWritesAsItGoes(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	keys := make([]Key, 5000)
	for i := range keys {
		keys[i] = Key{ID: fmt.Sprintf("id-%d", i), Title: fmt.Sprintf("title %d", i), Role: "viewer", Expires: now.AddDate(0, 0, i)}
	}
	for _, format := range []Format{YAML, JSON} {
		var sizes writeSizes
		if err := PrintKeys(&sizes, keys, KeyPrintOptions{Format: format, Now: now}); err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, n := range sizes {
			total += n
			if n > 64<<10 {
				t.Fatalf("%s: a write of %d bytes, more than the 64 KiB buffer", format, n)
			}
		}
		if len(sizes) < total/(64<<10) {
			t.Fatalf("%s: %d bytes in %d writes", format, total, len(sizes))
		}
	}
}
