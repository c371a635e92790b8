package cli

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// list's count is the footer of a terminal's table: never on a pipe, never under JSON, YAML,
// CSV, TSV, --jq or --template (what they print is a script's, and a count on stderr would
// be noise in a terminal that shows both streams), never after an empty list's sentence.
func TestListCountOnlyBelowATerminalsTable(t *testing.T) {
	e := newGoldenEnv(t)
	for _, fr := range []*goldenEnv{e, e.inFrench()} {
		for _, tc := range []struct {
			term   terminal
			args   []string
			stderr string
		}{
			{tty, []string{"list"}, "11 keys\n"},
			{tty, []string{"list", "-o", "table", "--no-headers"}, "11 keys\n"},
			{colourTTY, []string{"list", "--filter", "status=expired"}, "2 of 11 keys match\n"},
			{piped, []string{"list"}, ""},
			{piped, []string{"list", "--filter", "status=expired"}, ""},
			{tty, []string{"list", "-o", "json"}, ""},
			{tty, []string{"list", "-o", "yaml"}, ""},
			{tty, []string{"list", "-o", "csv"}, ""},
			{tty, []string{"list", "-o", "tsv"}, ""},
			{tty, []string{"list", "--jq", ".[].id"}, ""},
			{tty, []string{"list", "--template", "{{len .}}\n"}, ""},
			{tty, []string{"list", "--filter", "title~nothing"}, "No API keys match.\n"},
		} {
			want := tc.stderr
			if fr != e {
				want = map[string]string{
					"11 keys\n": "11 clés\n", "2 of 11 keys match\n": "2 clés sur 11 correspondent\n",
					"No API keys match.\n": "Aucune clé API ne correspond.\n", "": "",
				}[want]
			}
			r := fr.run(tc.term, nil, "", tc.args...)
			if r.code != 0 || r.stderr != want || r.stdout == "" && tc.stderr != "No API keys match.\n" {
				t.Errorf("%s%q on %s: exit %d, stderr %q, want %q; stdout:\n%s", fr.envLine(), tc.args, tc.term, r.code, r.stderr, want, r.stdout)
			}
		}
	}
}

func TestListCountWords(t *testing.T) {
	fr := frenchPrinter()
	for _, tc := range []struct {
		shown, total int
		filtered     bool
		en, fr       string
	}{
		{0, 0, false, "0 keys", "0 clé"},
		{1, 1, false, "1 key", "1 clé"},
		{11, 11, false, "11 keys", "11 clés"},
		{1, 1, true, "1 of 1 key matches", "1 clé sur 1 correspond"},
		{1, 11, true, "1 of 11 keys matches", "1 clé sur 11 correspond"},
		{3, 11, true, "3 of 11 keys match", "3 clés sur 11 correspondent"},
	} {
		if got := listCount(nil, tc.shown, tc.total, tc.filtered); got != tc.en {
			t.Errorf("listCount(%d, %d, %v) = %q, want %q", tc.shown, tc.total, tc.filtered, got, tc.en)
		}
		if got := listCount(fr, tc.shown, tc.total, tc.filtered); got != tc.fr {
			t.Errorf("French listCount(%d, %d, %v) = %q, want %q", tc.shown, tc.total, tc.filtered, got, tc.fr)
		}
	}
}

func frenchPrinter() *l10n.Printer { return l10n.For(l10n.French) }
