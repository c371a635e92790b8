package cli

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// ptyRunFrench runs one command line in a real pseudo-terminal, in a French locale
// (LANG=fr_CA.UTF-8), with the prompter the CLI makes for its streams: survey's own words
// come from the Factory's printer, as in the shipped binary.
func ptyRunFrench(t *testing.T, ts *testSandbox, c *ptytest.Console, args ...string) func() int {
	tty := c.Tty()
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	f := ts.factory(streams, nil)
	f.Getenv = func(name string) string {
		if name == "LANG" {
			return "fr_CA.UTF-8"
		}
		return ""
	}
	var code int
	wait := c.Go(func() { code = run(context.Background(), f, args) })
	return func() int { wait(); return code }
}

// waitForScreen waits until the emulated screen shows s (prompts interleave words and
// colour or cursor escapes in the raw output).
func waitForScreen(t *testing.T, c *ptytest.Console, s string) {
	t.Helper()
	for deadline := time.Now().Add(ptytest.DefaultTimeout); !strings.Contains(c.Screen(), s); {
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", s, c.Screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A delete in French on a terminal: the picker in French, and the confirmation, which
// shows (o/N), takes "o" for yes.
func TestDeleteInteractiveFrenchConfirmsWithO(t *testing.T) {
	ts := newTestSandbox(t)
	keyID := ts.keyID("GeoServer sync")
	owned := ts.resourcesOf(keyID)
	c := ptytest.New(t)
	wait := ptyRunFrench(t, ts, c, "delete", "GeoServer sync")
	c.ExpectString("source de données Hydrography (PostGIS)")
	waitForScreen(t, c, "? Qui reçoit les ressources\u00a0?  [↑↓ ou tapez pour filtrer]")
	c.Send(ptytest.KeyDown)
	c.Send(ptytest.KeyEnter)
	c.ExpectString("ses ressources iront à Eddie Editor (eddie@acme.example)")
	waitForScreen(t, c, "C'est irréversible. (o/N)")
	c.Send("o" + ptytest.KeyEnter)
	c.ExpectString("Clé API «\u00a0GeoServer sync\u00a0» supprimée\u00a0; Eddie Editor a reçu 4 ressources.")
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	waitForScreen(t, c, "C'est irréversible. Oui") // the question answered, as survey leaves it
	got := ts.resourcesOf(ts.memberID("eddie@acme.example"))
	for _, name := range owned {
		if !slices.Contains(got, name) {
			t.Errorf("%q did not move to Eddie: he owns %v", name, got)
		}
	}
	if code, _, _ := ts.run("show", keyID); code != exitNotFound {
		t.Errorf("show after delete: exit %d, want 5", code)
	}
}

// "non" declines: nothing is deleted and the command is cancelled (exit 3).
func TestDeleteInteractiveFrenchNonDeclines(t *testing.T) {
	ts := newTestSandbox(t)
	keyID := ts.keyID("Field app — Android")
	c := ptytest.New(t)
	wait := ptyRunFrench(t, ts, c, "delete", keyID)
	waitForScreen(t, c, "C'est irréversible. (o/N)")
	c.Send("non" + ptytest.KeyEnter)
	if code := wait(); code != exitCancelled {
		t.Fatalf("exit %d, want %d\n%s", code, exitCancelled, c.Screen())
	}
	if code, _, _ := ts.run("show", keyID); code != exitOK {
		t.Errorf("show after declining: exit %d, want 0", code)
	}
}

// create's prompts in French at 60 columns: the questions, the role's French choices and
// the rejections, each on one line (at most 58 columns after survey's mark).
func TestCreatePromptsFrenchFitSixtyColumns(t *testing.T) {
	ts := newTestSandbox(t)
	c := ptytest.New(t, ptytest.WithSize(60, 24))
	wait := ptyRunFrench(t, ts, c, "create", "--no-copy")
	waitForScreen(t, c, "? Titre\u00a0:")
	c.Send("Sauvegarde nocturne du GeoServer" + ptytest.KeyEnter)
	waitForScreen(t, c, "> Lecteur")
	c.Send(ptytest.KeyEnter)
	waitForScreen(t, c, "? Expiration (AAAA-MM-JJ, 30d, 1y)\u00a0: (90d)")
	c.Send("hier-ou-presque" + ptytest.KeyEnter)
	c.ExpectString("X «\u00a0hier-ou-pre…\u00a0»\u00a0: pas une date (AAAA-MM-JJ, 30d ou 1y)")
	c.Send("2020-01-01" + ptytest.KeyEnter)
	c.ExpectString("X «\u00a02020-01-01\u00a0» est dans le passé\u00a0: essayez 30d ou 1y")
	c.Send("2099-05-01" + ptytest.KeyEnter)
	c.ExpectString("n'est affiché qu'une fois")
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	want := []string{
		"? Titre\u00a0: Sauvegarde nocturne du GeoServer",
		"? Rôle\u00a0: Lecteur",
		"X «\u00a02020-01-01\u00a0» est dans le passé\u00a0: essayez 30d ou 1y",
		"? Expiration (AAAA-MM-JJ, 30d, 1y)\u00a0: 2099-05-01",
		"Clé API «\u00a0Sauvegarde nocturne du GeoServer\u00a0» créée",
	}
	if got := screenLines(c, len(want)); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rows := ts.listJSON(t, "--filter", "title=Sauvegarde nocturne du GeoServer")
	if len(rows) != 1 || rows[0].Role != "viewer" || rows[0].Expires.Format("2006-01-02") != "2099-05-01" {
		t.Fatalf("created %+v", rows)
	}
}
