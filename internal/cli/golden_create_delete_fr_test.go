package cli

import (
	"context"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
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
	} {
		var p prompt.Prompter
		if tc.p != nil {
			p = tc.p()
		}
		checkGolden(t, tc.golden, e.text(e.run(tc.term, p, "", tc.args...)))
	}
}

func TestGoldenDeleteOutcomeFrench(t *testing.T) {
	for _, tc := range []struct {
		golden string
		term   terminal
	}{
		{"delete-outcome-terminal.fr.txt", tty},
		{"delete-outcome-piped.fr.txt", piped},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			e := newGoldenEnv(t).inFrench()
			var p prompt.Prompter
			if tc.term == tty {
				p = prompt.NewScripted(0, true)
			}
			args := []string{"delete", "GeoServer sync", "Field app — Android"}
			if tc.term == piped {
				args = append(args, "--transfer-to", "admin@acme.example", "--yes")
			}
			checkGolden(t, tc.golden, e.text(e.run(tc.term, p, "", args...)))
		})
	}
}

// The picker in French, as a person sees it in a pseudo-terminal of 80×24: the plan, the
// question and survey's hint in French.
func TestGoldenDeletePickerScreenFrench(t *testing.T) {
	e := newGoldenEnv(t).inFrench()
	c := ptytest.New(t, ptytest.WithSize(80, 24))
	tty := c.Tty()
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	f := e.factory(streams, nil)
	f.Prompter = func() prompt.Prompter { return prompt.NewSurvey(tty, tty, tty, prompt.WithPrinter(f.Printer)) }
	var code int
	wait := c.Go(func() { code = run(context.Background(), f, []string{"--config", e.cfg, "delete", "GeoServer sync"}) })
	c.ExpectString("personne — supprimer les ressources")
	screen := c.Screen()
	c.Send(ptytest.KeyCtrlC)
	wait()
	if code != exitCancelled {
		t.Errorf("Ctrl-C at the picker: exit %d, want %d", code, exitCancelled)
	}
	checkGolden(t, "delete-picker-screen.fr.txt", e.placeholders(screen+"\n"))
}
