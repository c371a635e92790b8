package output

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

type testMember struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

func testMemberColumns() []Column[testMember] {
	return []Column[testMember]{
		{Header: "id", Value: func(m testMember) string { return m.ID }},
		{Header: "name", Title: "FULL NAME", Value: func(m testMember) string { return m.Name }},
	}
}

// One printer prints a result in every format a shape allows: JSON and YAML marshal the typed
// data (YAML in the JSON key order), CSV and TSV the columns' headers and cells, the table the
// titles (the header in upper case unless given), or the result's own text.
func TestPrinterPrintsEveryFormat(t *testing.T) {
	members := []testMember{{ID: "m1", Name: "Zoë\tZ", Roles: []string{"ORG_EDITOR"}}, {ID: "m2", Name: "Al\x1b[31m"}}
	records := Result{Data: members, Rows: TableOf(testMemberColumns(), members)}
	tests := []struct {
		format Format
		tty    bool
		r      Result
		want   string
	}{
		{JSON, false, records, "[\n  {\n    \"id\": \"m1\",\n    \"name\": \"Zoë\\tZ\",\n    \"roles\": [\n      \"ORG_EDITOR\"\n    ]\n  },\n  {\n    \"id\": \"m2\",\n    \"name\": \"Al\\u001b[31m\",\n    \"roles\": null\n  }\n]\n"},
		{YAML, false, records, "- id: m1\n  name: \"Zoë\\tZ\"\n  roles:\n  - ORG_EDITOR\n- id: m2\n  name: \"Al\\e[31m\"\n  roles: null\n"},
		{CSV, false, records, "id,name\nm1,Zoë\tZ\nm2,Al\x1b[31m\n"},
		{CSV, true, records, "id,name\nm1,Zoë\\tZ\nm2,Al\\x1b[31m\n"},
		{TSV, false, records, "id\tname\nm1\tZoë\\tZ\nm2\tAl\x1b[31m\n"},
		{Table, false, records, "ID  FULL NAME\nm1  Zoë\\tZ\nm2  Al\\x1b[31m\n"},
		{Table, false, Result{Data: members, Text: func(w io.Writer) error { _, err := io.WriteString(w, "two members\n"); return err }}, "two members\n"},
	}
	for _, tt := range tests {
		p, err := NewPrinter(Spec{Command: "members", Shape: Records}, tt.format, PrinterOptions{TTY: tt.tty})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		p.out = &b
		if err := p.Print(tt.r); err != nil {
			t.Fatalf("%s: %v", tt.format, err)
		}
		if b.String() != tt.want {
			t.Errorf("%s (tty %v):\n got %q\nwant %q", tt.format, tt.tty, b.String(), tt.want)
		}
	}
}

// A format the command cannot print is a usage error, worded alike for every command, naming
// the formats it can; a printable one (and "", the table) is not.
func TestSpecCheck(t *testing.T) {
	create := Spec{Command: "create", Shape: Object, AdviceText: l10n.M("use -o json")}
	for _, tt := range []struct {
		spec   Spec
		format Format
		want   string
	}{
		{create, CSV, "create prints table, json or yaml, not csv: use -o json"},
		{Spec{Command: "version", Shape: Object}, TSV, "version prints table, json or yaml, not tsv"},
	} {
		_, err := NewPrinter(tt.spec, tt.format, PrinterOptions{})
		var ue *UsageError
		if !errors.As(err, &ue) || err.Error() != tt.want {
			t.Errorf("%s -o %s: %v, want the usage error %q", tt.spec.Command, tt.format, err, tt.want)
		}
	}
	for _, f := range []Format{"", Table, JSON, YAML} {
		if err := create.Check(f); err != nil {
			t.Errorf("create -o %q: %v", f, err)
		}
	}
	for _, f := range FormatNames() {
		if err := (Spec{Command: "members", Shape: Records}).Check(Format(f)); err != nil {
			t.Errorf("members -o %s: %v", f, err)
		}
	}
}

// YAML keeps the JSON key order at every depth (a struct's field order, not the alphabet),
// with the scalars sigs.k8s.io/yaml gave: quoted strings that would read as something else,
// numbers, booleans, null, empty collections.
func TestPrintYAMLKeepsTheJSONKeyOrder(t *testing.T) {
	type inner struct {
		Zulu  string  `json:"zulu"`
		Alpha float64 `json:"alpha"`
	}
	type outer struct {
		Zed    string         `json:"zed"`
		Mid    []inner        `json:"mid"`
		Bool   bool           `json:"bool"`
		Nil    *inner         `json:"nil"`
		Empty  []string       `json:"empty"`
		Map    map[string]int `json:"map"`
		Number int            `json:"aNumber"`
	}
	v := outer{Zed: "yes", Mid: []inner{{"2026-01-02T15:04:05Z", 1.5}}, Empty: []string{}, Map: map[string]int{"b": 2, "a": 1}, Number: 7}
	var b bytes.Buffer
	if err := PrintYAML(&b, v); err != nil {
		t.Fatal(err)
	}
	want := "zed: \"yes\"\nmid:\n- zulu: \"2026-01-02T15:04:05Z\"\n  alpha: 1.5\nbool: false\nnil: null\nempty: []\nmap:\n  a: 1\n  b: 2\naNumber: 7\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
