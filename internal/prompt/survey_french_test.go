//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package prompt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// The prompter in French: survey's own words (the confirmation's hint and answer, the
// list's hint, the reasons answers are rejected) in French, and o/oui/n/non understood,
// without changing what English prompts of the same process draw (the tests run in
// parallel with the English ones).

func newFrenchSurvey(t *testing.T, opts ...ptytest.Option) (*ptytest.Console, prompt.Prompter) {
	t.Helper()
	t.Parallel()
	c := ptytest.New(t, opts...)
	french := func() *l10n.Printer { return l10n.For(l10n.French) }
	return c, prompt.NewSurvey(c.Tty(), c.Tty(), c.Tty(), prompt.WithPrinter(french))
}

func TestSurveyFrenchConfirm(t *testing.T) {
	tests := []struct {
		name string
		def  bool
		keys string
		want bool
		hint string
		says string // the answer drawn after the question
	}{
		{name: "o", def: false, keys: "o", want: true, hint: "(o/N)", says: "Oui"},
		{name: "oui", def: false, keys: "oui", want: true, hint: "(o/N)", says: "Oui"},
		{name: "OUI", def: false, keys: "OUI", want: true, hint: "(o/N)", says: "Oui"},
		{name: "y still", def: false, keys: "y", want: true, hint: "(o/N)", says: "Oui"},
		{name: "yes still", def: false, keys: "Yes", want: true, hint: "(o/N)", says: "Oui"},
		{name: "n", def: true, keys: "n", want: false, hint: "(O/n)", says: "Non"},
		{name: "non", def: true, keys: "Non", want: false, hint: "(O/n)", says: "Non"},
		{name: "no still", def: true, keys: "no", want: false, hint: "(O/n)", says: "Non"},
		{name: "default oui", def: true, keys: "", want: true, hint: "(O/n)", says: "Oui"},
		{name: "default non", def: false, keys: "", want: false, hint: "(o/N)", says: "Non"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newFrenchSurvey(t)
			var got bool
			var err error
			const question = "Supprimer la clé API «\u00a0CI\u00a0»\u00a0? C'est irréversible."
			wait := c.Go(func() { got, err = p.Confirm(question, tt.def) })
			expectScreen(t, c, question+" "+tt.hint)
			c.Send(tt.keys + ptytest.KeyEnter)
			wait()
			if err != nil {
				t.Fatalf("Confirm: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Confirm = %v, want %v", got, tt.want)
			}
			flush(c)
			if line := screenLine(c, question); line != "? "+question+" "+tt.says {
				t.Fatalf("the answered question reads %q, want %q", line, "? "+question+" "+tt.says)
			}
		})
	}
}

// expectScreen waits until the emulated screen shows s: the prompt's words are drawn in
// several colours, which the raw output interleaves with escapes.
func expectScreen(t *testing.T, c *ptytest.Console, s string) {
	t.Helper()
	for deadline := time.Now().Add(ptytest.DefaultTimeout); !strings.Contains(c.Screen(), s); {
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", s, c.Screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// screenLine is the line of the screen that holds s, without its trailing blanks.
func screenLine(c *ptytest.Console, s string) string {
	for _, line := range strings.Split(c.Screen(), "\n") {
		if strings.Contains(line, s) {
			return strings.TrimRight(line, " ")
		}
	}
	return ""
}

func TestSurveyFrenchConfirmReasksInFrench(t *testing.T) {
	c, p := newFrenchSurvey(t)
	var got bool
	var err error
	wait := c.Go(func() { got, err = p.Confirm("Continuer\u00a0?", false) })
	expectScreen(t, c, "Continuer\u00a0? (o/N)")
	c.Send("peut-être" + ptytest.KeyEnter)
	c.ExpectString("«\u00a0peut-être\u00a0» n'est pas une réponse valide\u00a0: répondez o (oui) ou n (non).")
	expectScreen(t, c, "Continuer\u00a0? (o/N)")
	c.Send("o" + ptytest.KeyEnter)
	wait()
	if err != nil || !got {
		t.Fatalf("Confirm = %v, %v; want true, nil", got, err)
	}
	if strings.Contains(c.Output(), "is not a valid answer") {
		t.Fatalf("survey's English error was drawn:\n%q", c.Output())
	}
}

// In English, o and oui are no answers: the English confirmation is survey's.
func TestSurveyEnglishConfirmRefusesOui(t *testing.T) {
	c, p := newSurvey(t)
	var got bool
	var err error
	wait := c.Go(func() { got, err = p.Confirm("Proceed?", false) })
	expectScreen(t, c, "Proceed? (y/N)")
	c.Send("oui" + ptytest.KeyEnter)
	c.ExpectString(`"oui" is not a valid answer, please try again.`)
	c.Send("yes" + ptytest.KeyEnter)
	wait()
	if err != nil || !got {
		t.Fatalf("Confirm = %v, %v; want true, nil", got, err)
	}
}

// The list of choices in French, as a person sees it on an 80×24 screen.
func TestSurveyFrenchSelectScreen(t *testing.T) {
	c, p := newFrenchSurvey(t, ptytest.WithSize(80, 24))
	options := []string{"Ada Admin <admin@acme.example>", "Eddie Editor <eddie@acme.example>", "personne — supprimer les ressources"}
	var got int
	var err error
	wait := c.Go(func() { got, err = p.Select("Qui reçoit les ressources\u00a0?", options, 0) })
	c.ExpectString(options[2])
	want := "? Qui reçoit les ressources\u00a0?  [↑↓ ou tapez pour filtrer]\n" +
		"> Ada Admin <admin@acme.example>\n" +
		"  Eddie Editor <eddie@acme.example>\n" +
		"  personne — supprimer les ressources"
	if screen := strings.TrimRight(trimLines(c.Screen()), "\n"); !strings.HasPrefix(screen, want) {
		t.Fatalf("screen:\n%s\nwant it to start with:\n%s", screen, want)
	}
	c.Send("pers" + ptytest.KeyEnter)
	wait()
	if err != nil || got != 2 {
		t.Fatalf("Select = %d, %v; want 2 (filtered by typing)", got, err)
	}
	flush(c)
	if line := screenLine(c, "Qui reçoit"); line != "? Qui reçoit les ressources\u00a0? personne — supprimer les ressources" {
		t.Fatalf("the answered question reads %q", line)
	}
}

// trimLines is s without the blanks that end its lines (an emulated screen's padding).
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// frenchReason is a validation error that has a French text, as the commands' errors do.
type frenchReason struct{}

func (frenchReason) Error() string { return "not a date" }
func (frenchReason) Localize(p *l10n.Printer) string {
	if p.Lang() == l10n.French {
		return "pas une date"
	}
	return "not a date"
}

// A rejected answer's reason is drawn in the prompter's language.
func TestSurveyFrenchInputRejectsInFrench(t *testing.T) {
	c, p := newFrenchSurvey(t)
	validate := func(s string) error {
		if s != "90d" {
			return frenchReason{}
		}
		return nil
	}
	var got string
	var err error
	wait := c.Go(func() { got, err = p.Input("Expiration\u00a0:", "", validate) })
	c.ExpectString("Expiration\u00a0:")
	c.Send("bientôt" + ptytest.KeyEnter)
	c.ExpectString("pas une date")
	c.Send(strings.Repeat(ptytest.KeyBackspace, len("bientôt")) + "90d" + ptytest.KeyEnter)
	wait()
	if err != nil || got != "90d" {
		t.Fatalf("Input = %q, %v; want 90d", got, err)
	}
	if strings.Contains(c.Output(), "not a date") {
		t.Fatalf("the English reason was drawn:\n%q", c.Output())
	}
}

// The Scripted prompter records rejections in its printer's language.
func TestScriptedRejectionsInFrench(t *testing.T) {
	s := prompt.NewScripted("x", "90d").WithPrinter(l10n.For(l10n.French))
	validate := func(v string) error {
		if v != "90d" {
			return frenchReason{}
		}
		return nil
	}
	if _, err := s.Input("Expiration\u00a0:", "", validate); err != nil {
		t.Fatal(err)
	}
	if got := s.Calls()[0].Rejected; len(got) != 1 || got[0] != "pas une date" {
		t.Fatalf("Rejected = %q, want [pas une date]", got)
	}
	if err := errors.Join(s.Done()); err != nil {
		t.Fatal(err)
	}
}
