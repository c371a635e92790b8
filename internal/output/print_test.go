package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

func printKeys(t *testing.T, keys []Key, opts KeyPrintOptions) string {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	var buf bytes.Buffer
	if err := PrintKeys(&buf, keys, opts); err != nil {
		t.Fatalf("PrintKeys(%+v): %v", opts, err)
	}
	return buf.String()
}

func mustColumns(t *testing.T, columns, hide string) []string {
	t.Helper()
	cols, err := ParseColumns(columns, hide)
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

func TestPrintKeysPlain(t *testing.T) {
	tests := []struct {
		name string
		opts KeyPrintOptions
		want string
	}{
		{
			name: "default columns",
			opts: KeyPrintOptions{},
			want: "" +
				"TITLE  ID  CREATOR  CREATED               EXPIRES\n" +
				"beta   b2  Carol    2025-06-01T00:00:00Z  2026-03-11T12:00:00Z\n" +
				"Alpha  a1  bob      2025-01-15T08:00:00Z  2026-06-09T12:00:00Z\n" +
				"gamma  c3  alice    2026-02-27T12:00:00Z  2026-02-24T12:00:00Z\n" +
				"Delta  D4  Dave     2024-11-30T23:30:00Z  2027-04-05T12:00:00Z\n",
		},
		{
			name: "no headers",
			opts: KeyPrintOptions{Format: Table, NoHeaders: true},
			want: "" +
				"beta   b2  Carol  2025-06-01T00:00:00Z  2026-03-11T12:00:00Z\n" +
				"Alpha  a1  bob    2025-01-15T08:00:00Z  2026-06-09T12:00:00Z\n" +
				"gamma  c3  alice  2026-02-27T12:00:00Z  2026-02-24T12:00:00Z\n" +
				"Delta  D4  Dave   2024-11-30T23:30:00Z  2027-04-05T12:00:00Z\n",
		},
		{
			name: "chosen columns; the empty email leaves no trailing spaces",
			opts: KeyPrintOptions{Columns: mustColumns(t, "status,role,email", "")},
			want: "" +
				"STATUS    ROLE    EMAIL\n" +
				"expiring  editor  carol@x.io\n" +
				"active    viewer  Bob@x.io\n" +
				"expired   viewer  alice@x.io\n" +
				"active    editor\n",
		},
		{
			name: "hidden columns",
			opts: KeyPrintOptions{Columns: mustColumns(t, "", "created,expires,creator")},
			want: "TITLE  ID\nbeta   b2\nAlpha  a1\ngamma  c3\nDelta  D4\n",
		},
		{
			name: "colour is ignored off a terminal",
			opts: KeyPrintOptions{Columns: []string{"id"}, Color: true},
			want: "ID\nb2\na1\nc3\nD4\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := printKeys(t, fixtureKeys(), tt.opts)
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestPrintKeysPlainNeverEscapes(t *testing.T) {
	keys := append(fixtureKeys(), Key{ID: "evil", Title: "red\x1b[31m\nline\ttab\u009b", Creator: "é"})
	for _, cols := range []string{"", "all"} {
		out := printKeys(t, keys, KeyPrintOptions{Columns: mustColumns(t, cols, ""), Color: true})
		if strings.ContainsAny(out, "\x1b\t\u009b") {
			t.Errorf("plain output contains a control character:\n%q", out)
		}
		if got := strings.Count(out, "\n"); got != len(keys)+1 {
			t.Errorf("plain output has %d lines, want %d (one per key plus the header):\n%s", got, len(keys)+1, out)
		}
		if !strings.Contains(out, `red\x1b[31m\nline\ttab\u009b`) {
			t.Errorf("control characters not shown escaped:\n%s", out)
		}
		if strings.ContainsAny(out, "┌│─") {
			t.Errorf("plain output has box drawing:\n%s", out)
		}
	}
}

func TestPrintKeysPlainAlignsWideText(t *testing.T) {
	keys := []Key{{ID: "1", Title: "Été"}, {ID: "2", Title: "東京"}, {ID: "3", Title: "x"}}
	got := printKeys(t, keys, KeyPrintOptions{Columns: []string{"title", "id"}})
	want := "" +
		"TITLE  ID\n" +
		"Été    1\n" +
		"東京   2\n" + // two double-width characters fill four columns
		"x      3\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestPrintKeysTTY(t *testing.T) {
	keys := fixtureKeys()
	out := printKeys(t, keys, KeyPrintOptions{TTY: true})

	for _, want := range []string{
		"TITLE", "ID", "CREATOR", "CREATED", "EXPIRES", // headers
		"beta", "Alpha", "gamma", "Delta", "Carol", "alice",
		"in 10 days", "in 3 months", "5 days ago", "in 1 year", // expires
		"9 months ago", "1 year ago", "2 days ago", // created
		"│", "─", // a drawn table
	} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2026-") || strings.Contains(out, "T12:00") {
		t.Errorf("terminal table shows absolute dates:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("terminal table without Color has ANSI escapes:\n%q", out)
	}
	// Rows keep the given order, one line each.
	lines := strings.Split(out, "\n")
	var order []string
	for _, l := range lines {
		for _, id := range []string{"b2", "a1", "c3", "D4"} {
			if strings.Contains(l, "│ "+id+" ") {
				order = append(order, id)
			}
		}
	}
	if strings.Join(order, " ") != "b2 a1 c3 D4" {
		t.Errorf("rows in order %v, want b2 a1 c3 D4:\n%s", order, out)
	}

	noHeaders := printKeys(t, keys, KeyPrintOptions{TTY: true, NoHeaders: true})
	if strings.Contains(noHeaders, "TITLE") || !strings.Contains(noHeaders, "beta") {
		t.Errorf("NoHeaders table:\n%s", noHeaders)
	}

	never := printKeys(t, []Key{{ID: "n", Title: "forever"}}, KeyPrintOptions{TTY: true})
	if !strings.Contains(never, "never") {
		t.Errorf("a key without expiry should read never:\n%s", never)
	}
}

func TestPrintKeysTTYColor(t *testing.T) {
	out := printKeys(t, fixtureKeys(), KeyPrintOptions{TTY: true, Color: true, Columns: []string{"id", "status"}})
	lineOf := func(id string) string {
		for l := range strings.SplitSeq(out, "\n") {
			if strings.Contains(l, id) {
				return l
			}
		}
		t.Fatalf("no line for %s:\n%s", id, out)
		return ""
	}
	tests := []struct {
		id, color string
	}{
		{"c3", ansiRed},    // expired
		{"b2", ansiYellow}, // expiring
	}
	for _, tt := range tests {
		l := lineOf(tt.id)
		if !strings.Contains(l, tt.color+tt.id+ansiReset) {
			t.Errorf("row %s not coloured %q: %q", tt.id, tt.color, l)
		}
	}
	for _, id := range []string{"a1", "D4"} { // active
		if l := lineOf(id); strings.Contains(l, "\x1b[") {
			t.Errorf("active row %s is coloured: %q", id, l)
		}
	}
	if l := lineOf("ID"); strings.Contains(l, "\x1b[") {
		t.Errorf("header is coloured: %q", l)
	}
}

func TestPrintKeysJSON(t *testing.T) {
	zone := time.FixedZone("X", 2*3600)
	keys := []Key{{
		ID: "k1", Title: `Prod <&> "key"`, Role: "ORG_EDITOR", Creator: "Ann", Email: "ann@x.io",
		Created: time.Date(2026, 1, 2, 17, 4, 5, 999999999, zone), // 15:04:05.999 UTC
		Expires: testNow.Add(10 * day),
	}}
	got := printKeys(t, keys, KeyPrintOptions{Format: JSON})
	want := `[
  {
    "id": "k1",
    "title": "Prod <&> \"key\"",
    "role": "editor",
    "creator": "Ann",
    "email": "ann@x.io",
    "created": "2026-01-02T15:04:05Z",
    "expires": "2026-03-11T12:00:00Z",
    "status": "expiring"
  }
]
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	// The default columns do not limit JSON unless they were asked for.
	if got2 := printKeys(t, keys, KeyPrintOptions{Format: JSON, Columns: DefaultKeyColumns()}); got2 != want {
		t.Errorf("JSON with implicit columns:\n%s", got2)
	}

	got = printKeys(t, keys, KeyPrintOptions{Format: JSON, Columns: []string{"status", "id", "expires"}, ColumnsExplicit: true})
	want = `[
  {
    "status": "expiring",
    "id": "k1",
    "expires": "2026-03-11T12:00:00Z"
  }
]
`
	if got != want {
		t.Errorf("explicit columns, got:\n%s\nwant:\n%s", got, want)
	}

	if got := printKeys(t, nil, KeyPrintOptions{Format: JSON}); got != "[]\n" {
		t.Errorf("no keys: %q, want []", got)
	}
	if got := printKeys(t, []Key{}, KeyPrintOptions{Format: JSON}); got != "[]\n" {
		t.Errorf("no keys: %q, want []", got)
	}

	got = printKeys(t, []Key{{ID: "n"}}, KeyPrintOptions{Format: JSON, Columns: []string{"created", "expires", "status"}, ColumnsExplicit: true})
	want = "[\n  {\n    \"created\": null,\n    \"expires\": null,\n    \"status\": \"active\"\n  }\n]\n"
	if got != want {
		t.Errorf("unset dates, got:\n%s\nwant:\n%s", got, want)
	}
}

// The JSON of PrintKeys is the Key struct's JSON: it decodes back into the
// same normalized keys.
func TestPrintKeysJSONDecodesToKeys(t *testing.T) {
	keys := fixtureKeys()
	keys = append(keys, Key{ID: "x", Title: "tab\there \u2028 \xff", Created: testNow.Add(time.Millisecond).In(time.FixedZone("Y", -3600)), Expires: testNow})
	out := printKeys(t, keys, KeyPrintOptions{Format: JSON})
	var back []Key
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(back) != len(keys) {
		t.Fatalf("decoded %d keys, want %d", len(back), len(keys))
	}
	for i, k := range keys {
		want := NormalizeKey(k, testNow)
		want.Title = strings.ToValidUTF8(want.Title, "\ufffd")
		if back[i] != want {
			t.Errorf("key %d decodes as\n%+v\nwant\n%+v", i, back[i], want)
		}
	}
}

func TestPrintKeysYAML(t *testing.T) {
	keys := fixtureKeys()[:2]
	got := printKeys(t, keys, KeyPrintOptions{Format: YAML})
	want := `- id: b2
  title: beta
  role: editor
  creator: Carol
  email: carol@x.io
  created: "2025-06-01T00:00:00Z"
  expires: "2026-03-11T12:00:00Z"
  status: expiring
- id: a1
  title: Alpha
  role: viewer
  creator: bob
  email: Bob@x.io
  created: "2025-01-15T08:00:00Z"
  expires: "2026-06-09T12:00:00Z"
  status: active
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	got = printKeys(t, keys, KeyPrintOptions{Format: YAML, Columns: []string{"title", "expires"}, ColumnsExplicit: true})
	want = `- title: beta
  expires: "2026-03-11T12:00:00Z"
- title: Alpha
  expires: "2026-06-09T12:00:00Z"
`
	if got != want {
		t.Errorf("explicit columns, got:\n%s\nwant:\n%s", got, want)
	}

	if got := printKeys(t, nil, KeyPrintOptions{Format: YAML}); got != "[]\n" {
		t.Errorf("no keys: %q, want []", got)
	}

	// Tricky strings stay strings, and the YAML means the same as the JSON.
	odd := []Key{{ID: "007", Title: "yes", Creator: "null", Email: "a: b", Expires: testNow}}
	y := printKeys(t, odd, KeyPrintOptions{Format: YAML})
	j := printKeys(t, odd, KeyPrintOptions{Format: JSON})
	fromYAML, err := yaml.YAMLToJSON([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(fromYAML, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(j), &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("YAML and JSON differ:\n%s\n%s", ja, jb)
	}
}

func TestPrintKeysCSV(t *testing.T) {
	keys := fixtureKeys()[:2]
	keys[0].Title = `beta, "the" one`
	got := printKeys(t, keys, KeyPrintOptions{Format: CSV})
	want := "" +
		"title,id,creator,created,expires\n" +
		`"beta, ""the"" one",b2,Carol,2025-06-01T00:00:00Z,2026-03-11T12:00:00Z` + "\n" +
		"Alpha,a1,bob,2025-01-15T08:00:00Z,2026-06-09T12:00:00Z\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	got = printKeys(t, keys, KeyPrintOptions{Format: CSV, Columns: mustColumns(t, "all", "email,creator"), NoHeaders: true})
	want = "" +
		`b2,"beta, ""the"" one",editor,2025-06-01T00:00:00Z,2026-03-11T12:00:00Z,expiring` + "\n" +
		"a1,Alpha,viewer,2025-01-15T08:00:00Z,2026-06-09T12:00:00Z,active\n"
	if got != want {
		t.Errorf("no headers, got:\n%s\nwant:\n%s", got, want)
	}

	got = printKeys(t, []Key{{ID: "n", Title: "multi\nline"}}, KeyPrintOptions{Format: CSV, Columns: []string{"id", "title", "expires"}})
	r := csv.NewReader(strings.NewReader(got))
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 || records[1][1] != "multi\nline" || records[1][2] != "" {
		t.Errorf("CSV does not round-trip: %q", records)
	}

	if got := printKeys(t, nil, KeyPrintOptions{Format: CSV}); got != "title,id,creator,created,expires\n" {
		t.Errorf("no keys: %q", got)
	}
}

func TestPrintKeysTSV(t *testing.T) {
	keys := []Key{{ID: "k1", Title: "a\tb\nc\\d\re", Created: testNow, Expires: testNow.Add(day)}}
	got := printKeys(t, keys, KeyPrintOptions{Format: TSV, Columns: []string{"id", "title", "created", "status"}})
	want := "id\ttitle\tcreated\tstatus\n" +
		"k1\t" + `a\tb\nc\\d\re` + "\t2026-03-01T12:00:00Z\texpiring\n"
	if got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
	got = printKeys(t, keys, KeyPrintOptions{Format: TSV, Columns: []string{"id"}, NoHeaders: true})
	if got != "k1\n" {
		t.Errorf("no headers: %q", got)
	}
}

func TestPrintKeysErrors(t *testing.T) {
	var buf bytes.Buffer
	err := PrintKeys(&buf, fixtureKeys(), KeyPrintOptions{Columns: []string{"title", "secret"}, Now: testNow})
	wantUsageError(t, err, `unknown column "secret"`)
	err = PrintKeys(&buf, fixtureKeys(), KeyPrintOptions{Format: "xml", Now: testNow})
	wantUsageError(t, err, `unknown output format "xml"`, "table, json, yaml, csv, tsv")
	if buf.Len() != 0 {
		t.Errorf("wrote output before failing: %q", buf.String())
	}
}

func TestPrintKeysDoesNotModifyInput(t *testing.T) {
	keys := []Key{{ID: "k", Role: "ORG_EDITOR", Created: testNow.Add(time.Millisecond)}}
	printKeys(t, keys, KeyPrintOptions{Format: JSON})
	if keys[0].Role != "ORG_EDITOR" || keys[0].Status != "" || keys[0].Created.Nanosecond() == 0 {
		t.Errorf("PrintKeys modified its input: %+v", keys[0])
	}
}

func TestPrintJSONAndYAML(t *testing.T) {
	type member struct {
		ID    string   `json:"id"`
		Roles []string `json:"roles"`
		Note  string   `json:"note,omitempty"`
	}
	tests := []struct {
		name     string
		v        any
		json     string
		yamlText string
	}{
		{"nil slice", []member(nil), "[]\n", "[]\n"},
		{"empty slice", []member{}, "[]\n", "[]\n"},
		{"struct", member{ID: "m<1>", Roles: []string{"ORG_EDITOR"}},
			"{\n  \"id\": \"m<1>\",\n  \"roles\": [\n    \"ORG_EDITOR\"\n  ]\n}\n",
			"id: m<1>\nroles:\n- ORG_EDITOR\n"},
		{"nil", nil, "null\n", "null\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var j, y bytes.Buffer
			if err := PrintJSON(&j, tt.v); err != nil {
				t.Fatal(err)
			}
			if j.String() != tt.json {
				t.Errorf("PrintJSON = %q, want %q", j.String(), tt.json)
			}
			if err := PrintYAML(&y, tt.v); err != nil {
				t.Fatal(err)
			}
			if y.String() != tt.yamlText {
				t.Errorf("PrintYAML = %q, want %q", y.String(), tt.yamlText)
			}
		})
	}
	if err := PrintJSON(&bytes.Buffer{}, func() {}); err == nil {
		t.Error("PrintJSON of a func: want an error")
	}
}

func TestPrintTable(t *testing.T) {
	headers := []string{"ID", "NAME", "OWNER KIND"}
	rows := [][]string{{"1", "roads", "apikey"}, {"22", "a\nb", ""}, {"333"}}
	tests := []struct {
		name string
		opts TableOptions
		want string
	}{
		{"plain", TableOptions{}, "" +
			"ID   NAME   OWNER KIND\n" +
			"1    roads  apikey\n" +
			`22   a\nb` + "\n" +
			"333\n"},
		{"plain, no headers", TableOptions{NoHeaders: true}, "" +
			"1    roads  apikey\n" +
			`22   a\nb` + "\n" +
			"333\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := PrintTable(&buf, headers, rows, tt.opts); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", buf.String(), tt.want)
			}
		})
	}

	var buf bytes.Buffer
	if err := PrintTable(&buf, headers, rows[:2], TableOptions{TTY: true}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"│ ID ", "OWNER KIND", "roads", `a\nb`, "┌", "┘"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("PrintTable coloured something:\n%q", out)
	}
	if rows[1][1] != "a\nb" {
		t.Error("PrintTable modified its rows")
	}

	buf.Reset()
	if err := PrintTable(&buf, headers, nil, TableOptions{}); err != nil || buf.String() != "ID  NAME  OWNER KIND\n" {
		t.Errorf("no rows: %q, %v", buf.String(), err)
	}
}

func TestPrintDelimited(t *testing.T) {
	headers := []string{"id", "name"}
	rows := [][]string{{"1", `say "hi", ok`}, {"2", "tab\there"}, {"3", `back\slash`}}
	tests := []struct {
		name      string
		sep       rune
		noHeaders bool
		want      string
	}{
		{"csv", ',', false, "id,name\n1,\"say \"\"hi\"\", ok\"\n2,tab\there\n3,back\\slash\n"},
		{"csv no headers", ',', true, "1,\"say \"\"hi\"\", ok\"\n2,tab\there\n3,back\\slash\n"},
		{"semicolon", ';', false, "id;name\n1;\"say \"\"hi\"\", ok\"\n2;tab\there\n3;back\\slash\n"},
		{"tsv", '\t', false, "id\tname\n1\tsay \"hi\", ok\n2\ttab\\there\n3\tback\\\\slash\n"},
		{"tsv no headers", '\t', true, "1\tsay \"hi\", ok\n2\ttab\\there\n3\tback\\\\slash\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := PrintDelimited(&buf, headers, rows, tt.sep, tt.noHeaders); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got %q, want %q", buf.String(), tt.want)
			}
		})
	}
	if err := PrintDelimited(&bytes.Buffer{}, headers, rows, '"', false); err == nil {
		t.Error(`separator '"': want an error`)
	}
}

func TestPrintDetail(t *testing.T) {
	var buf bytes.Buffer
	PrintDetailIn(nil, &buf, [][2]string{{"Title", "prod"}, {"ID", "k1"}, {"Expires", "in 3 days"}, {"Note", "two\nlines"}, {"Email", ""}}, nil)
	want := "" +
		"Title:    prod\n" +
		"ID:       k1\n" +
		"Expires:  in 3 days\n" +
		"Note:     two\\nlines\n" +
		"Email:    \n"
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
	buf.Reset()
	PrintDetailIn(nil, &buf, nil, nil)
	if buf.Len() != 0 {
		t.Errorf("no pairs printed %q", buf.String())
	}
}

func TestRelativeTime(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "just now"},
		{-30 * time.Second, "just now"},
		{30 * time.Second, "in under a minute"},
		{time.Minute, "in 1 minute"},
		{-5 * time.Minute, "5 minutes ago"},
		{90*time.Second - 1, "in 1 minute"},
		{90 * time.Second, "in 2 minutes"},
		{59*time.Minute + 29*time.Second, "in 59 minutes"},
		{59*time.Minute + 30*time.Second, "in 1 hour"},
		{59*time.Minute + 59*time.Second, "in 1 hour"},
		{time.Hour, "in 1 hour"},
		{-23 * time.Hour, "23 hours ago"},
		{23*time.Hour + 29*time.Minute, "in 23 hours"},
		{23*time.Hour + 30*time.Minute, "in 1 day"},
		{-(23*time.Hour + 30*time.Minute), "1 day ago"},
		{day, "in 1 day"},
		{36*time.Hour - time.Second, "in 1 day"},
		{36 * time.Hour, "in 2 days"},
		{12*day + 23*time.Hour, "in 13 days"},
		{12*day + 11*time.Hour, "in 12 days"},
		{-3 * day, "3 days ago"},
		// --expires 7d, read a moment later: the whole week, not 6 days.
		{7*day - time.Second, "in 7 days"},
		{7 * day, "in 7 days"},
		// The 30-day window: "in 30 days" is said of expiring keys only (KeyStatus).
		{29*day + 12*time.Hour - time.Second, "in 29 days"},
		{29*day + 12*time.Hour, "in 30 days"},
		{30*day - time.Second, "in 30 days"},
		{30 * day, "in 30 days"},
		{30*day + time.Second, "in 31 days"},
		{30*day + 12*time.Hour - time.Second, "in 31 days"},
		{30*day + 12*time.Hour, "in 31 days"},
		{31 * day, "in 31 days"},
		{-(30*day + time.Hour), "30 days ago"},
		{59 * day, "in 59 days"},
		{59*day + 12*time.Hour - time.Second, "in 59 days"},
		{59*day + 12*time.Hour, "in 2 months"},
		{60 * day, "in 2 months"},
		{-60 * day, "2 months ago"},
		{-100 * day, "3 months ago"},
		{105*day - time.Second, "in 3 months"},
		{105 * day, "in 4 months"},
		{344 * day, "in 11 months"},
		{345 * day, "in 1 year"},
		{364 * day, "in 1 year"},
		{year - time.Second, "in 1 year"},
		{year, "in 1 year"},
		{-year, "1 year ago"},
		{2*year - time.Second, "in 2 years"},
		{2 * year, "in 2 years"},
		{year + 182*day, "in 1 year"},
		{year + 183*day, "in 2 years"},
		{-800 * day, "2 years ago"},
		{-1 << 63, "292 years ago"},
		{1<<63 - 1, "in 292 years"},
	}
	for _, tt := range tests {
		if got := RelativeTime(testNow.Add(tt.d), testNow); got != tt.want {
			t.Errorf("RelativeTime(now%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestRelativeTimeAgreesWithStatus pins that a date said to be "in 30 days" or fewer is
// one KeyStatus calls expiring, and "in 31 days" or more one it calls active, around the
// window's edge.
func TestRelativeTimeAgreesWithStatus(t *testing.T) {
	for d := ExpiringWindow - 13*time.Hour; d <= ExpiringWindow+13*time.Hour; d += 7 * time.Minute {
		expires := testNow.Add(d)
		rel, status := RelativeTime(expires, testNow), KeyStatus(expires, testNow)
		var n int
		if _, err := fmt.Sscanf(rel, "in %d days", &n); err != nil {
			t.Fatalf("RelativeTime(now%+v) = %q, not in days", d, rel)
		}
		if want := n <= 30; (status == StatusExpiring) != want {
			t.Errorf("now%+v reads %q but its status is %s", d, rel, status)
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{"", Table}, {"table", Table}, {"JSON", JSON}, {"yaml", YAML}, {"yml", YAML}, {" csv ", CSV}, {"TSV", TSV},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	_, err := ParseFormat("xml")
	wantUsageError(t, err, `unknown output format "xml" (valid: table, json, yaml, csv, tsv)`)
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatal("not a UsageError")
	}
}

// hostileText holds what a hostile server puts in a string: OSC 52 (writes the clipboard),
// CSI, BEL, DEL, the one-character CSI U+009B, another C1 control, a bidi override, a line
// separator, and text that must stay as it is.
const hostileText = "a\x1b]52;c;aGk=\x07b\x1b[2J\x7f\u009b31m\u0085\u202egnp.exe\u2028é"

// hostileJSON is hostileText as a JSON string: every control and bidi character escaped, the
// rest (é) raw.
const hostileJSON = `"a\u001b]52;c;aGk=\u0007b\u001b[2J\u007f\u009b31m\u0085\u202egnp.exe\u2028é"`

// TestPrintJSONEscapesTerminalControls: PrintJSON, the streamed key list and PrintYAML carry no
// raw C0, C1, DEL or bidi character (the JSON ones decode back to the same text), and YAML no
// longer fails on a C1 control.
func TestPrintJSONEscapesTerminalControls(t *testing.T) {
	type rec struct {
		Name string `json:"name"`
	}
	var j bytes.Buffer
	if err := PrintJSON(&j, []rec{{Name: hostileText}}); err != nil {
		t.Fatal(err)
	}
	if want := "[\n  {\n    \"name\": " + hostileJSON + "\n  }\n]\n"; j.String() != want {
		t.Errorf("PrintJSON:\n got %s\nwant %s", j.String(), want)
	}
	var back []rec
	if err := json.Unmarshal(j.Bytes(), &back); err != nil || back[0].Name != hostileText {
		t.Errorf("PrintJSON does not decode back: %q, %v", back, err)
	}

	keys := []Key{{ID: "k\u009b1", Title: hostileText, Role: "editor"}}
	out := printKeys(t, keys, KeyPrintOptions{Format: JSON, Columns: []string{"id", "title"}, ColumnsExplicit: true})
	if want := "[\n  {\n    \"id\": \"k\\u009b1\",\n    \"title\": " + hostileJSON + "\n  }\n]\n"; out != want {
		t.Errorf("streamed list JSON:\n got %s\nwant %s", out, want)
	}

	var y bytes.Buffer
	if err := PrintYAML(&y, rec{Name: hostileText}); err != nil {
		t.Fatalf("PrintYAML: %v", err)
	}
	// The YAML writer escapes C0, C1 and DEL itself once it is given them; the bidi override and
	// the line separator are printable characters to YAML and it has no way to be told otherwise.
	if want := "name: \"a\\e]52;c;aGk=\\ab\\e[2J\\x7F\\x9B31m\\N\u202egnp.exe\\Lé\"\n"; y.String() != want {
		t.Errorf("PrintYAML:\n got %q\nwant %q", y.String(), want)
	}
	var yback rec
	if err := yaml.Unmarshal(y.Bytes(), &yback); err != nil || yback.Name != hostileText {
		t.Errorf("PrintYAML does not decode back: %q, %v", yback.Name, err)
	}
	for name, s := range map[string]string{"json": j.String(), "list json": out, "yaml": y.String()} {
		for _, r := range s {
			if r == 0x1b || r == 0x07 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Errorf("%s output holds raw %U", name, r)
			}
		}
	}
}

// CSV and TSV carry cells as they are, except on a terminal, where they are shown escaped as
// in tables.
func TestPrintKeysDelimitedOnATerminal(t *testing.T) {
	keys := []Key{{ID: "k1", Title: "x\x1b]52;c;aGk=\x07\u009b\u202e", Role: "editor"}}
	for _, tt := range []struct {
		format Format
		tty    bool
		want   string
	}{
		{CSV, false, "id,title\nk1,x\x1b]52;c;aGk=\x07\u009b\u202e\n"},
		{CSV, true, "id,title\nk1,x\\x1b]52;c;aGk=\\x07\\u009b\\u202e\n"},
		{TSV, false, "id\ttitle\nk1\tx\x1b]52;c;aGk=\x07\u009b\u202e\n"},
		{TSV, true, "id\ttitle\nk1\tx\\\\x1b]52;c;aGk=\\\\x07\\\\u009b\\\\u202e\n"},
	} {
		got := printKeys(t, keys, KeyPrintOptions{Format: tt.format, Columns: []string{"id", "title"}, TTY: tt.tty})
		if got != tt.want {
			t.Errorf("%s, terminal %v:\n got %q\nwant %q", tt.format, tt.tty, got, tt.want)
		}
	}
}

// A detail view on a colour terminal paints the named value only, its text still escaped;
// a date there carries the relative date beside the absolute one.
func TestPrintDetailPaintedAndDetailDateIn(t *testing.T) {
	var buf bytes.Buffer
	PrintDetailIn(nil, &buf, [][2]string{{"ID", "k\x1b[2J1"}, {"Status", StatusExpired}}, map[string]string{"Status": StatusColor(StatusExpired), "ID": ""})
	if want := "ID:      k\\x1b[2J1\nStatus:  \x1b[31mexpired\x1b[0m\n"; buf.String() != want {
		t.Errorf("painted detail\n got %q\nwant %q", buf.String(), want)
	}
	if got, want := DetailDateIn(nil, testNow.Add(7*day-time.Second), testNow, true), "2026-03-08T11:59:59Z (in 7 days)"; got != want {
		t.Errorf("DetailDate on a terminal = %q, want %q", got, want)
	}
	if got, want := DetailDateIn(nil, testNow.Add(-day), testNow, false), "2026-02-28T12:00:00Z"; got != want {
		t.Errorf("DetailDate elsewhere = %q, want %q", got, want)
	}
}
