//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package prompt_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// These tests drive the real survey prompter in a real pseudo-terminal.

func newSurvey(t *testing.T) (*ptytest.Console, prompt.Prompter) {
	t.Helper()
	t.Parallel()
	c := ptytest.New(t)
	return c, prompt.NewSurvey(c.Tty(), c.Tty(), c.Tty())
}

// flush makes sure everything the program wrote so far has been read from
// the pty, by writing a marker after it and waiting for the marker.
func flush(c *ptytest.Console) {
	const marker = "<<end of output>>"
	if _, err := c.Tty().WriteString(marker); err != nil {
		panic(err)
	}
	c.ExpectString(marker)
}

func TestSurveyInput(t *testing.T) {
	tests := []struct {
		name, def, keys, want string
	}{
		{name: "typed", def: "", keys: "Nightly backup" + ptytest.KeyEnter, want: "Nightly backup"},
		{name: "default on enter", def: "CI key", keys: ptytest.KeyEnter, want: "CI key"},
		{name: "typed over default", def: "CI key", keys: "Other" + ptytest.KeyEnter, want: "Other"},
		{name: "capital R survives the cursor query", def: "", keys: "Reporting R&D" + ptytest.KeyEnter, want: "Reporting R&D"},
		{name: "non-ASCII", def: "", keys: "Clé d'accès — été" + ptytest.KeyEnter, want: "Clé d'accès — été"},
		{name: "backspace edits", def: "", keys: "abcd" + ptytest.KeyBackspace + ptytest.KeyBackspace + "X" + ptytest.KeyEnter, want: "abX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newSurvey(t)
			var got string
			var err error
			wait := c.Go(func() { got, err = p.Input("Title of the key", tt.def, nil) })
			c.ExpectString("Title of the key")
			c.Send(tt.keys)
			wait()
			if err != nil {
				t.Fatalf("Input: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Input = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSurveyInputValidateRejectsThenAccepts(t *testing.T) {
	c, p := newSurvey(t)
	var validated []string
	validate := func(s string) error {
		validated = append(validated, s)
		if !strings.HasSuffix(s, "d") {
			return fmt.Errorf("%q is not a duration such as 30d", s)
		}
		return nil
	}
	var got string
	var err error
	wait := c.Go(func() { got, err = p.Input("Expires in", "", validate) })
	c.ExpectString("Expires in")
	c.Send("soon" + ptytest.KeyEnter)
	c.ExpectString(`"soon" is not a duration such as 30d`)
	c.ExpectString("Expires in")
	c.Send("90d" + ptytest.KeyEnter)
	wait()
	if err != nil {
		t.Fatalf("Input: %v", err)
	}
	if got != "90d" {
		t.Fatalf("Input = %q, want %q", got, "90d")
	}
	if want := []string{"soon", "90d"}; strings.Join(validated, "|") != strings.Join(want, "|") {
		t.Fatalf("validated %q, want %q", validated, want)
	}
}

var members = []string{
	"Ada Lovelace <ada@example.com>",
	"Grace Hopper <grace@example.com>",
	"Katherine Johnson <katherine@example.com>",
	"Nobody: delete the resources with the key",
}

func TestSurveySelect(t *testing.T) {
	tests := []struct {
		name       string
		defaultIdx int
		keys       string
		want       int
	}{
		{name: "enter picks first", defaultIdx: -1, keys: ptytest.KeyEnter, want: 0},
		{name: "down then enter picks second", defaultIdx: 0, keys: ptytest.KeyDown + ptytest.KeyEnter, want: 1},
		{name: "default preselected", defaultIdx: 2, keys: ptytest.KeyEnter, want: 2},
		{name: "up from default", defaultIdx: 2, keys: ptytest.KeyUp + ptytest.KeyEnter, want: 1},
		{name: "out of range default ignored", defaultIdx: 9, keys: ptytest.KeyEnter, want: 0},
		{name: "filter by typing", defaultIdx: 0, keys: "kather" + ptytest.KeyEnter, want: 2},
		{name: "filter then move", defaultIdx: 0, keys: "example" + ptytest.KeyDown + ptytest.KeyDown + ptytest.KeyEnter, want: 2},
		{name: "filter is case-insensitive", defaultIdx: 0, keys: "NOBODY" + ptytest.KeyEnter, want: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newSurvey(t)
			var got int
			var err error
			wait := c.Go(func() { got, err = p.Select("Who inherits the resources?", members, tt.defaultIdx) })
			c.ExpectString("Who inherits the resources?")
			c.ExpectString(members[len(members)-1]) // the whole list is drawn
			c.Send(tt.keys)
			wait()
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Select = %d (%q), want %d (%q)", got, members[got], tt.want, members[tt.want])
			}
		})
	}
}

func TestSurveySelectNoOptions(t *testing.T) {
	_, p := newSurvey(t)
	if _, err := p.Select("Pick", nil, 0); err == nil || errors.Is(err, prompt.ErrCancelled) {
		t.Fatalf("Select with no options: err = %v, want a plain error", err)
	}
}

func TestSurveyConfirm(t *testing.T) {
	tests := []struct {
		name string
		def  bool
		keys string
		want bool
	}{
		{name: "y", def: false, keys: "y" + ptytest.KeyEnter, want: true},
		{name: "yes", def: false, keys: "yes" + ptytest.KeyEnter, want: true},
		{name: "n", def: true, keys: "n" + ptytest.KeyEnter, want: false},
		{name: "N", def: true, keys: "N" + ptytest.KeyEnter, want: false},
		{name: "default yes", def: true, keys: ptytest.KeyEnter, want: true},
		{name: "default no", def: false, keys: ptytest.KeyEnter, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newSurvey(t)
			var got bool
			var err error
			wait := c.Go(func() { got, err = p.Confirm("Delete 2 keys? This cannot be undone", tt.def) })
			c.ExpectString("Delete 2 keys? This cannot be undone")
			c.Send(tt.keys)
			wait()
			if err != nil {
				t.Fatalf("Confirm: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Confirm = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSurveyConfirmReasksOnNonsense(t *testing.T) {
	c, p := newSurvey(t)
	var got bool
	var err error
	wait := c.Go(func() { got, err = p.Confirm("Proceed?", false) })
	c.ExpectString("Proceed?")
	c.Send("maybe" + ptytest.KeyEnter)
	c.ExpectString(`"maybe" is not a valid answer`)
	c.Send("y" + ptytest.KeyEnter)
	wait()
	if err != nil || !got {
		t.Fatalf("Confirm = %v, %v; want true, nil", got, err)
	}
}

func TestSurveyPasswordIsNotEchoed(t *testing.T) {
	c, p := newSurvey(t)
	const secret = "hunter2-Correct-Horse"
	var got string
	var err error
	wait := c.Go(func() { got, err = p.Password("Password") })
	c.ExpectString("Password")
	c.Send(secret + ptytest.KeyEnter)
	wait()
	if err != nil {
		t.Fatalf("Password: %v", err)
	}
	if got != secret {
		t.Fatalf("Password = %q, want %q", got, secret)
	}
	flush(c)
	if out := c.Output(); strings.Contains(out, secret) || strings.Contains(out, "hunter") {
		t.Fatalf("the password was written to the terminal: %q", out)
	}
	if screen := c.Screen(); strings.Contains(screen, "hunter") {
		t.Fatalf("the password is on the screen:\n%s", screen)
	}
	if !strings.Contains(c.Output(), "*") {
		t.Fatalf("no mask characters were drawn: %q", c.Output())
	}
}

func TestSurveyCtrlCCancels(t *testing.T) {
	tests := []struct {
		name string
		ask  func(p prompt.Prompter) error
	}{
		{"input", func(p prompt.Prompter) error { _, err := p.Input("Question", "x", nil); return err }},
		{"password", func(p prompt.Prompter) error { _, err := p.Password("Question"); return err }},
		{"select", func(p prompt.Prompter) error { _, err := p.Select("Question", members, 0); return err }},
		{"confirm", func(p prompt.Prompter) error { _, err := p.Confirm("Question", true); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := newSurvey(t)
			var err error
			wait := c.Go(func() { err = tt.ask(p) })
			c.ExpectString("Question")
			c.Send("ab" + ptytest.KeyCtrlC)
			wait()
			if !errors.Is(err, prompt.ErrCancelled) {
				t.Fatalf("err = %v, want one wrapping prompt.ErrCancelled", err)
			}
		})
	}
}

// TestSurveyDrawsOnErrOut checks that stdout stays data-only when the CLI
// passes its real stdout as out: prompts go to errOut.
func TestSurveyDrawsOnErrOut(t *testing.T) {
	t.Parallel()
	c := ptytest.New(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := prompt.NewSurvey(c.Tty(), w, c.Tty())
	var got string
	wait := c.Go(func() { got, err = p.Input("Title", "", nil) })
	c.ExpectString("Title")
	c.Send("x" + ptytest.KeyEnter)
	wait()
	if err != nil || got != "x" {
		t.Fatalf("Input = %q, %v; want x, nil", got, err)
	}
	w.Close()
	if stdout, _ := io.ReadAll(r); len(stdout) != 0 {
		t.Fatalf("the prompt wrote to out: %q", stdout)
	}
}

// Messages and options holding terminal controls (server text: member and organization
// names) are drawn escaped, and the answer is still the index of the option as given.
func TestSurveyDrawsServerTextEscaped(t *testing.T) {
	const osc = "\x1b]52;c;aGk=\x07"
	c, p := newSurvey(t)
	options := []string{"Ada" + osc + " <ada@x.example>", "Eve\u009b31m\u202e <eve@x.example>"}
	var got int
	var err error
	wait := c.Go(func() { got, err = p.Select("Heir of "+osc+"?", options, 0) })
	c.ExpectString(`Heir of \x1b]52;c;aGk=\x07?`)
	c.ExpectString(`Ada\x1b]52;c;aGk=\x07 <ada@x.example>`)
	c.ExpectString(`Eve\u009b31m\u202e <eve@x.example>`)
	c.Send(ptytest.KeyDown)
	c.Send(ptytest.KeyEnter)
	wait()
	if err != nil || got != 1 {
		t.Fatalf("Select = %d, %v; want 1", got, err)
	}
	var confirmed bool
	wait = c.Go(func() { confirmed, err = p.Confirm("Delete "+osc+"?", false) })
	c.ExpectString(`Delete \x1b]52;c;aGk=\x07?`)
	c.Send("y" + ptytest.KeyEnter)
	wait()
	if err != nil || !confirmed {
		t.Fatalf("Confirm = %v, %v", confirmed, err)
	}
	for _, raw := range []string{"\x1b]", "\x07", "\u009b", "\u202e"} {
		if out := c.Output(); strings.Contains(out, raw) {
			t.Errorf("the terminal received %q raw:\n%q", raw, out)
		}
	}
}
