package jsonfilter

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
)

// doc is a list's JSON output as -o json prints it.
const doc = `[
  {"id": "k1", "title": "CI deploy", "role": "editor", "expires": "2026-12-09T12:00:00Z", "count": 3},
  {"id": "k2", "title": "Tableau dashboard for the regional office", "role": "viewer", "expires": "2026-11-30T12:00:00Z", "count": 12}
]`

var now = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

func apply(t *testing.T, f *Filter, tty bool, in string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := f.Apply(&out, []byte(in), tty)
	return out.String(), err
}

func TestJQOutputs(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{".[0].title", "CI deploy\n"},                                            // a string raw
		{".[].id", "k1\nk2\n"},                                                   // one output a line
		{"map(.count) | add", "15\n"},                                            // a number as written
		{".[0] | {id, count}", `{"count":3,"id":"k1"}` + "\n"},                   // compact JSON
		{`.[] | select(.role == "viewer") | "\(.id)\t\(.role)"`, "k2\tviewer\n"}, // the expression's tab kept
		{".[5]", "null\n"},
		{"empty", ""},
		{"[.[].title | length]", "[9,41]\n"},
		{`.[0].title, halt`, "CI deploy\n"},
		{"$ENV | length", "0\n"}, // no environment: a filter reads the document only
	} {
		f, err := JQ(tc.expr)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		got, err := apply(t, f, false, doc)
		if err != nil || got != tc.want {
			t.Errorf("--jq %s = %q, %v; want %q", tc.expr, got, err, tc.want)
		}
	}
}

func TestJQErrorsAreUsage(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{".[", `--jq: unexpected EOF in ".["`},
		{".[] | .title)", `--jq: unexpected token ")" at character 13 of ".[] | .title)"`},
		{`.[] | select(.role = "x" | .id`, `--jq: unexpected EOF in ".[] | select(.role = \"x\" | .id"`},
		{".[] | foo", `--jq: function not defined: foo/0 in ".[] | foo"`},
		{"$nope", `--jq: variable not defined: $nope in "$nope"`},
	} {
		_, err := JQ(tc.expr)
		if err == nil || err.Error() != tc.want || !errkind.Is(err, errkind.Usage) {
			t.Errorf("JQ(%q) = %v (%v); want usage error %q", tc.expr, err, errkind.Of(err), tc.want)
		}
	}
	// At run time: nothing is printed, and the error is a usage error naming the flag.
	f, err := JQ(`.[] | .title, error("stop")`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := apply(t, f, false, doc)
	if got != "" || err == nil || err.Error() != "--jq: error: stop" || !errkind.Is(err, errkind.Usage) {
		t.Errorf("a failing expression printed %q, %v; want nothing and a usage error", got, err)
	}
	f, _ = JQ(".title")
	if _, err := apply(t, f, false, doc); err == nil || !strings.HasPrefix(err.Error(), "--jq: expected an object but got: array") {
		t.Errorf("indexing a list: %v", err)
	}
}

func TestTemplateHelpers(t *testing.T) {
	for _, tc := range []struct{ tpl, want string }{
		{`{{range .}}{{.id}} {{.title}}{{"\n"}}{{end}}`, "k1 CI deploy\nk2 Tableau dashboard for the regional office\n"},
		{`{{range .}}{{tablerow .id .role (timeago .expires)}}{{end}}`, "k1  editor  in 7 days\nk2  viewer  2 days ago\n"},
		{`{{range .}}{{tablerow (truncate 12 .title) .count}}{{end}}{{tablerender}}end`, "CI deploy     3\nTableau das…  12\nend"},
		{`{{(index . 0).expires | timefmt "2006-01-02"}}`, "2026-12-09"},
		{`{{pluck "id" . | join ", "}}`, "k1, k2"},
		{`{{json (index . 1).count}} {{json (pluck "role" .)}}`, `12 ["editor","viewer"]`},
		{`{{(index . 0).missing}}|{{or (index . 0).missing "-"}}`, "<no value>|-"}, // Go's word for a missing field
		{`{{truncate 3 "abcdef"}}|{{truncate 6 "abcdef"}}|{{truncate 2 "日本語"}}`, "ab…|abcdef|…"},
	} {
		f, err := Template(tc.tpl, func() time.Time { return now })
		if err != nil {
			t.Fatalf("%s: %v", tc.tpl, err)
		}
		got, err := apply(t, f, false, doc)
		if err != nil || got != tc.want {
			t.Errorf("--template %s = %q, %v; want %q", tc.tpl, got, err, tc.want)
		}
	}
}

func TestTemplateErrorsAreUsage(t *testing.T) {
	clock := func() time.Time { return now }
	if _, err := Template("{{.x", clock); err == nil || err.Error() != "--template:1: unclosed action" || !errkind.Is(err, errkind.Usage) {
		t.Errorf("parse error: %v", err)
	}
	if _, err := Template("{{nosuch .}}", clock); err == nil || err.Error() != `--template:1: function "nosuch" not defined` {
		t.Errorf("unknown helper: %v", err)
	}
	f, _ := Template(`{{range .}}{{.id}}{{timeago .title}}{{end}}`, clock)
	got, err := apply(t, f, false, doc)
	want := `--template:1:20: at <timeago .title>: error calling timeago: "CI deploy" is not an RFC 3339 date`
	if got != "" || err == nil || err.Error() != want || !errkind.Is(err, errkind.Usage) {
		t.Errorf("run-time error printed %q, %v; want nothing and %q", got, err, want)
	}
}

// On a terminal a server's string cannot act on the screen, whatever the expression does
// with it; in a pipe the values pass as they are.
func TestTerminalEscapesTheDocumentsStrings(t *testing.T) {
	hostile := `[{"title": "evil\u001b]52;c;aGk=\u0007\nnext"}]`
	jq, _ := JQ(`.[0].title, "a\tb"`)
	tpl, _ := Template(`{{(index . 0).title}}`, time.Now)
	for _, tc := range []struct {
		f    *Filter
		tty  bool
		want string
	}{
		{jq, true, "evil\\x1b]52;c;aGk=\\x07\\nnext\na\tb\n"},
		{jq, false, "evil\x1b]52;c;aGk=\x07\nnext\na\tb\n"},
		{tpl, true, `evil\x1b]52;c;aGk=\x07\nnext`},
		{tpl, false, "evil\x1b]52;c;aGk=\x07\nnext"},
	} {
		got, err := apply(t, tc.f, tc.tty, hostile)
		if err != nil || got != tc.want {
			t.Errorf("%s tty=%v: %q, %v; want %q", tc.f.Flag(), tc.tty, got, err, tc.want)
		}
	}
}

// A runaway filter stops when the command's context ends (Ctrl-C), as a cancellation.
func TestRunawayFilterStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	jq, err := JQ("repeat(1)")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Template("{{range 1000000000}}{{end}}", func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []*Filter{jq, tmpl} {
		got, err := apply(t, f.WithContext(ctx), false, doc)
		if !errors.Is(err, context.Canceled) || got != "" || err.Error() != f.Flag()+" stopped before its end: context canceled" {
			t.Errorf("%s on a cancelled context = %q, %v; want nothing, context.Canceled", f.Flag(), got, err)
		}
	}
}

// A filter whose output passes maxOutput fails (exit 2) instead of taking all memory.
func TestEndlessOutputIsBounded(t *testing.T) {
	old := maxOutput
	maxOutput = 1 << 20
	t.Cleanup(func() { maxOutput = old })
	jq, err := JQ(`repeat("x")`)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Template("{{range 1000000000}}xxxxxxxx{{end}}", func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Template("{{range 1000000000}}{{tablerow 12345678}}{{end}}", func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	got, err := apply(t, rows, false, doc)
	want := "--template:1:22: at <tablerow 12345678>: error calling tablerow: the table passed 1 MiB; is the expression endless?"
	if err == nil || err.Error() != want || !errkind.Is(err, errkind.Usage) || got != "" {
		t.Errorf("endless tablerow = %d bytes, %v; want nothing, %q", len(got), err, want)
	}
	for _, f := range []*Filter{jq, tmpl} {
		got, err := apply(t, f, false, doc)
		want := f.Flag() + ": the output passed 1 MiB; is the expression endless?"
		if err == nil || err.Error() != want || !errkind.Is(err, errkind.Usage) || got != "" {
			t.Errorf("%s endless = %d bytes, %v; want nothing, %q", f.Flag(), len(got), err, want)
		}
	}
}

// What an expression builds from a server's data (a title decoded with @base64d, a string
// made by implode) cannot act on a terminal either: its output is escaped but for its
// newlines and tabs. A pipe gets it as built.
func TestTerminalEscapesWhatTheExpressionBuilds(t *testing.T) {
	hostile := `[{"title": "G101MjtjO2FHaz0H"}]` // base64 of ESC ]52;c;aGk= BEL
	jq, _ := JQ(`(.[0].title | @base64d), ([27, 91, 50, 74] | implode) + "\tok"`)
	for _, tc := range []struct {
		tty  bool
		want string
	}{
		{true, "\\x1b]52;c;aGk=\\x07\n\\x1b[2J\tok\n"},
		{false, "\x1b]52;c;aGk=\x07\n\x1b[2J\tok\n"},
	} {
		got, err := apply(t, jq, tc.tty, hostile)
		if err != nil || got != tc.want {
			t.Errorf("tty=%v: %q, %v; want %q", tc.tty, got, err, tc.want)
		}
	}
}

// An output whose last value passes the bound is refused as well, not printed cut short.
func TestOutputPassingTheBoundAtItsLastValue(t *testing.T) {
	old := maxOutput
	maxOutput = 1 << 20
	t.Cleanup(func() { maxOutput = old })
	jq, err := JQ(`"x" * 600000, "y" * 600000`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := apply(t, jq, false, doc)
	want := "--jq: the output passed 1 MiB; is the expression endless?"
	if err == nil || err.Error() != want || !errkind.Is(err, errkind.Usage) || got != "" {
		t.Errorf("two values of 600 kB = %d bytes, %v; want nothing, %q", len(got), err, want)
	}
}
