package cli

import (
	"context"
	"fmt"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// runWidthIn is run on a terminal width columns wide, without colour, in e's locale.
func (e *goldenEnv) runWidthIn(width int, args ...string) goldenRun {
	e.t.Helper()
	streams, _, out, errOut := iostreams.Test()
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	streams.SetWidth(width)
	code := run(context.Background(), e.factory(streams, nil), append([]string{"--config", e.cfg}, args...))
	return goldenRun{args: args, env: e.envLine(), term: tty, code: code, stdout: out.String(), stderr: errOut.String()}
}

// What list, show and members show a person in French: the terminal's table (headers,
// relative dates, roles, statuses), the count below it, show's labels, a table fitted to a
// narrow terminal and what it hid, the usage errors of filters, columns and dates. A pipe
// gets the same plain text as in English.
func TestGoldenFrench(t *testing.T) {
	en := newGoldenEnv(t)
	fr := en.inFrench()
	for _, tc := range []struct {
		golden string
		e      *goldenEnv
		term   terminal
		args   [][]string
	}{
		{"list-terminal.fr.txt", fr, tty, [][]string{{"list"}, {"list", "--columns", "all", "--sort", "title"}}},
		{"list-terminal-colour.fr.txt", fr, colourTTY, [][]string{{"list", "--columns", "title,role,status,expires"}}},
		{"list-filtered-terminal.txt", en, tty, [][]string{{"list", "--filter", "role=editor"}, {"list", "--expired"}, {"list", "--filter", "title=CI pipeline"}}},
		{"list-filtered-terminal.fr.txt", fr, tty, [][]string{{"list", "--filter", "role=éditeur"}, {"list", "--expired"}, {"list", "--filter", "title=CI pipeline"}, {"list", "--filter", "title~nothing"}}},
		{"list-piped.fr.txt", fr, piped, [][]string{{"list"}}},
		{"show-terminal.fr.txt", fr, tty, [][]string{{"show", "GeoServer sync"}, {"show", "Tableau dashboard"}}},
		{"show-terminal-colour.fr.txt", fr, colourTTY, [][]string{{"show", "Partner feed — CityData"}}},
		{"show-piped.fr.txt", fr, piped, [][]string{{"show", "GeoServer sync"}}},
		{"members-terminal.fr.txt", fr, tty, [][]string{{"members"}, {"members", "--role", "lecteur"}}},
		{"sandbox-terminal.fr.txt", fr, tty, [][]string{{"sandbox", "info"}, {"sandbox", "resources"}}},
		{"sandbox-piped.fr.txt", fr, piped, [][]string{{"sandbox", "info"}, {"sandbox", "resources"}}},
		{"sandbox-errors.fr.txt", fr, piped, [][]string{{"sandbox", "reset", "--keys", "abc"}, {"sandbox", "serve", "--faults", "503,foo"}}},
		{"list-errors.fr.txt", fr, tty, [][]string{
			{"list", "--filter", "rôle=editor"},
			{"list", "--filter", "role=admin"},
			{"list", "--filter", "expires<6m"},
			{"list", "--filter", "created=2026-13-01"},
			{"list", "--columns", "title,owner"},
			{"list", "--sort", "-size"},
			{"list", "--expiring-within", "tomorrow"},
			{"list", "role=editor"},
			{"list", "CI"},
			{"members", "viewer"},
			{"show"},
			{"show", "CI", "pipeline"},
			{"show", "nothing like it"},
			{"show", "Power BI connector"},
		}},
	} {
		var runs []goldenRun
		for _, args := range tc.args {
			runs = append(runs, tc.e.run(tc.term, nil, "", args...))
		}
		checkGolden(t, tc.golden, tc.e.text(runs...))
	}
	for _, name := range []string{"list", "members"} {
		r := fr.runWidthIn(60, name)
		checkFits(t, name+" in French", 60, r.stdout)
		checkGolden(t, fmt.Sprintf("fit-%s-60.fr.txt", name), widthText(fr, 60, r))
	}
}
