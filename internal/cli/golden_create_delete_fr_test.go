package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/deleteplan"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
)

// The French goldens of create and delete: what a person reads in a French locale, next
// to the English goldens of the same command lines (golden_test.go), which stay as they are.

// french is the printer of the French runs' scripted prompters, which record rejected
// answers as the terminal's prompter would draw them.
var french = l10n.For(l10n.French)

func TestGoldenCreateFrench(t *testing.T) {
	for _, tc := range []struct {
		golden string
		term   terminal
	}{
		{"create-terminal.fr.txt", tty},
		{"create-piped.fr.txt", piped},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			e := newGoldenEnv(t).inFrench()
			args := []string{"create", "Golden key", "--role", "editor", "--expires", "90d"}
			if tc.term == piped {
				args = append(args, "--copy")
			}
			r := e.run(tc.term, nil, "", args...)
			e.newKeyPlaceholders("Golden key")
			checkGolden(t, tc.golden, e.text(r))
		})
	}
}

func TestGoldenCreatePromptsFrench(t *testing.T) {
	e := newGoldenEnv(t).inFrench()
	p := prompt.NewScripted("Clé invitée", 0, "passé", "2026-06-01").WithPrinter(french)
	r := e.run(tty, p, "", "create")
	e.newKeyPlaceholders("Clé invitée")
	checkGolden(t, "create-prompts.fr.txt", e.text(r))
}

func TestGoldenDeletePlanFrench(t *testing.T) {
	e := newGoldenEnv(t).inFrench()
	for _, tc := range []struct {
		golden string
		term   terminal
		p      func() prompt.Prompter
		args   []string
	}{
		{golden: "delete-dry-run-transfer.fr.txt", term: piped, args: []string{"delete", "GeoServer sync", "Field app — Android", "--transfer-to", "eddie@acme.example", "--dry-run"}},
		{golden: "delete-dry-run-undecided.fr.txt", term: piped, args: []string{"delete", "--filter", "role=editor", "--dry-run"}},
		{golden: "delete-dry-run-no-transfer.fr.txt", term: tty, args: []string{"delete", "QGIS plugin", "--no-transfer", "--dry-run"}},
		{golden: "delete-picker-declined.fr.txt", term: tty, p: func() prompt.Prompter { return prompt.NewScripted(1, false) },
			args: []string{"delete", "GeoServer sync"}},
		{golden: "delete-picker-nobody.fr.txt", term: tty, p: func() prompt.Prompter { return prompt.NewScripted(4, false, 0, false) },
			args: []string{"delete", "CI pipeline", "Drone imagery upload"}},
		{golden: "delete-confirm-owns-nothing.fr.txt", term: tty, p: func() prompt.Prompter { return prompt.NewScripted(false) },
			args: []string{"delete", "Field app — Android"}},
		{golden: "delete-no-terminal.fr.txt", term: piped, args: []string{"delete", "GeoServer sync"}},
		{golden: "delete-no-heir.fr.txt", term: piped, args: []string{"delete", "GeoServer sync", "Field app — Android", "--yes"}},
		{golden: "delete-heir-refused.fr.txt", term: piped, args: []string{"delete", "GeoServer sync", "--transfer-to", "vera@acme.example", "--yes"}},
		{golden: "delete-heir-unknown.fr.txt", term: piped, args: []string{"delete", "GeoServer sync", "--transfer-to", "nobody@acme.example", "--yes"}},
		{golden: "delete-nothing-matched.fr.txt", term: tty, args: []string{"delete", "--filter", "title=Nothing like it", "--dry-run"}},
	} {
		var p prompt.Prompter
		if tc.p != nil {
			p = tc.p()
		}
		checkGolden(t, tc.golden, e.text(e.run(tc.term, p, "", tc.args...)))
	}
}

// A delete that failed on one key and was interrupted before the next, in French on a
// terminal of 60 and 80 columns: the outcome in a word in the table, then why each key was
// not deleted, and the summary. The records (the pipe's table) keep their English errors.
func TestGoldenDeleteFailuresFrench(t *testing.T) {
	hermeticEnv(t)
	run := func(width int, term bool) goldenRun {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		api := &failingDeletes{cancel: cancel}
		plan := deleteplan.Plan{
			{ID: "f2d54b46-ab89-43ac-8859-79f2d1cb591d", Title: "Legacy ETL", Action: deleteplan.None},
			{ID: "0e3b9bf1-5721-41d3-8628-9f2672235fef", Title: "Tableau dashboard", Action: deleteplan.None},
			{ID: "586b309e-c64b-444e-91c4-27a663514d1c", Title: "Partner feed — CityData", Action: deleteplan.None},
		}
		deleteplan.Execute(ctx, api, plan)
		streams, _, out, errOut := iostreams.Test()
		if term {
			streams.SetTTY(true, true, true)
			streams.DisableColor()
			streams.SetWidth(width)
		}
		p, err := output.NewPrinter(deleteSpec, output.Table, output.PrinterOptions{Out: streams.Out, TTY: term, Width: streams.TerminalWidth(), Language: french})
		if err != nil {
			t.Fatal(err)
		}
		rerr := reportOutcome(ctx, p, &deleteOptions{IO: streams, Printer: french}, plan)
		r := goldenRun{args: []string{"delete", "Legacy ETL", "Tableau dashboard", "Partner feed — CityData", "--yes"}, env: "LANG=fr_CA.UTF-8 ", stdout: out.String(), stderr: errOut.String()}
		r.code = exitCode(rerr)
		if term {
			r.term = tty
		}
		return r
	}
	e := &goldenEnv{t: t, root: "\x00no-root", url: "\x00no-url"}
	for _, w := range []int{60, 80} {
		r := run(w, true)
		checkFits(t, "delete", w, r.stdout)
		checkGolden(t, fmt.Sprintf("fit-delete-failures-%d.fr.txt", w), widthText(e, w, r))
	}
	checkGolden(t, "fit-delete-failures-piped.fr.txt", e.text(run(0, false)))
}

// The notes after the secret was or was not copied, in French: sent by OSC 52, never
// cleared, its clearing not scheduled, no clipboard at all (its reason an l10n error, as
// the clipboard package's are). Each run writes its secret to a new file, so the only
// random text is the key's ID.
func TestGoldenCreateClipboardNotesFrench(t *testing.T) {
	unavailable := l10n.Errorf("clipboard unavailable: %w", l10n.Errorf("no X or Wayland display (DISPLAY and WAYLAND_DISPLAY are unset)"))
	var text string
	for i, tc := range []struct {
		method    string
		copyErr   error
		clearErr  error
		extraArgs []string
	}{
		{method: clipboard.MethodOSC52},
		{extraArgs: []string{"--clear-after", "0"}},
		{clearErr: l10n.Errorf("start the clipboard clearer: %w", errors.New("fork/exec: no such file"))},
		{copyErr: unavailable},
	} {
		e := newGoldenEnv(t).inFrench()
		e.clipboard.method, e.clipboard.copyErr, e.clipboard.clearErr = tc.method, tc.copyErr, tc.clearErr
		title := fmt.Sprintf("Note %d", i+1)
		args := append([]string{"create", title, "--role", "viewer", "--expires", "1w", "--copy", "--secret-file", filepath.Join(e.root, "secret.key")}, tc.extraArgs...)
		r := e.run(piped, nil, "", args...)
		lr := e.run(piped, nil, "", "list", "-o", "tsv", "--columns", "id", "--no-headers", "--filter", "title="+title)
		e.replace = append(e.replace, strings.TrimSpace(lr.stdout), "$KEY_ID")
		if i > 0 {
			text += "\n"
		}
		text += e.text(r)
	}
	checkGolden(t, "create-clipboard-notes.fr.txt", text)
}

// create's refusals in French: values missing without a terminal, an empty or doubled
// title, a title too long, an expiry in the past, a secret file that exists, extra arguments.
func TestGoldenCreateRefusalsFrench(t *testing.T) {
	e := newGoldenEnv(t).inFrench()
	existing := filepath.Join(e.root, "exists.key")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var runs []goldenRun
	for _, args := range [][]string{
		{"create"},
		{"create", "CI", "--expires", "90d"},
		{"create", " ", "--role", "viewer", "--expires", "90d"},
		{"create", "CI", "--title", "Other", "--role", "viewer", "--expires", "90d"},
		{"create", strings.Repeat("x", 101), "--role", "viewer", "--expires", "90d"},
		{"create", "CI", "--role", "viewer", "--expires", "2020-01-01"},
		{"create", "CI", "--role", "viewer", "--expires", "90d", "--secret-file", existing},
		{"create", "CI", "deploy", "--role", "viewer"},
	} {
		runs = append(runs, e.run(piped, nil, "", args...))
	}
	checkGolden(t, "create-refusals.fr.txt", e.text(runs...))
}
