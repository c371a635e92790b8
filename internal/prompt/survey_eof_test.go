//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package prompt_test

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// Ctrl-D at any prompt cancels it, whatever was typed before it: survey alone reads it as
// Enter and would accept the default (a preselected choice, a "yes" confirmation).
func TestSurveyCtrlDCancels(t *testing.T) {
	asks := []struct {
		name string
		ask  func(p prompt.Prompter) error
	}{
		{"input with a default", func(p prompt.Prompter) error { _, err := p.Input("Question", "90d", nil); return err }},
		{"password", func(p prompt.Prompter) error { _, err := p.Password("Question"); return err }},
		{"select", func(p prompt.Prompter) error { _, err := p.Select("Question", members, 1); return err }},
		{"confirm defaulting to yes", func(p prompt.Prompter) error { _, err := p.Confirm("Question", true); return err }},
	}
	makers := []struct {
		name string
		make func(c *ptytest.Console) prompt.Prompter
	}{
		{"survey", func(c *ptytest.Console) prompt.Prompter { return prompt.NewSurvey(c.Tty(), c.Tty(), c.Tty()) }},
		{"survey with a context", func(c *ptytest.Console) prompt.Prompter {
			return prompt.NewSurveyContext(context.Background(), c.Tty(), c.Tty(), c.Tty())
		}},
	}
	for _, m := range makers {
		for _, a := range asks {
			for _, keys := range []string{ptytest.KeyCtrlD, "ab" + ptytest.KeyCtrlD} {
				t.Run(m.name+"/"+a.name+"/"+strings.ReplaceAll(keys, ptytest.KeyCtrlD, "^D"), func(t *testing.T) {
					t.Parallel()
					c := ptytest.New(t)
					p := m.make(c)
					var err error
					wait := c.Go(func() { err = a.ask(p) })
					c.ExpectString("Question")
					c.Send(keys)
					wait()
					if !errors.Is(err, prompt.ErrCancelled) || !errors.Is(err, io.EOF) {
						t.Fatalf("err = %v, want one wrapping prompt.ErrCancelled and io.EOF", err)
					}
					// Nothing is read after it: the command ends at the cancel.
					if _, err := p.Confirm("Again?", true); !errors.Is(err, prompt.ErrCancelled) {
						t.Fatalf("the prompt after Ctrl-D: err = %v, want ErrCancelled", err)
					}
				})
			}
		}
	}
}

// sgr matches a colour sequence (Select Graphic Rendition).
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// WithColor(false) draws the same prompt, cursor movements included, without a colour
// sequence; by default survey colours it.
func TestSurveyWithoutColor(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opts      []prompt.Option
		wantColor bool
	}{
		{"default", nil, true},
		{"colour on", []prompt.Option{prompt.WithColor(func() bool { return true })}, true},
		{"colour off", []prompt.Option{prompt.WithColor(func() bool { return false })}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := ptytest.New(t, ptytest.WithSize(60, 10))
			p := prompt.NewSurvey(c.Tty(), c.Tty(), c.Tty(), tc.opts...)
			var got int
			var yes bool
			var err1, err2 error
			wait := c.Go(func() {
				got, err1 = p.Select("Role of the key:", []string{"Editor", "Viewer"}, 1)
				if err1 == nil {
					yes, err2 = p.Confirm("Delete it?", false)
				}
			})
			c.ExpectString("Viewer")
			c.Send(ptytest.KeyUp)
			c.Send(ptytest.KeyEnter)
			c.ExpectString("Delete it?")
			c.Send("y" + ptytest.KeyEnter)
			wait()
			if err := errors.Join(err1, err2); err != nil || got != 0 || !yes {
				t.Fatalf("answers %d, %v, %v; want 0, true", got, yes, err)
			}
			flush(c)
			if colored := sgr.MatchString(c.Output()); colored != tc.wantColor {
				t.Errorf("colour sequences drawn: %v, want %v\n%q", colored, tc.wantColor, c.Output())
			}
			screen := strings.Join(strings.Fields(strings.ReplaceAll(c.Screen(), "\n", " | ")), " ")
			if want := "? Role of the key: Editor | ? Delete it? Yes |"; !strings.HasPrefix(screen, want) {
				t.Errorf("screen %q, want it to start with %q", screen, want)
			}
		})
	}
}
