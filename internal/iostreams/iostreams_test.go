package iostreams

import (
	"bytes"
	"testing"

	"github.com/creack/pty"
)

func TestTruthy(t *testing.T) {
	for in, want := range map[string]bool{
		"": false, "0": false, "false": false, "FALSE": false, "f": false, "no": false, "NO": false, "off": false,
		"1": true, "true": true, "T": true, "yes": true, "on": true, "anything": true,
	} {
		if got := truthy(in); got != want {
			t.Errorf("truthy(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCanPromptNeedsTerminalsAndNoOptOut(t *testing.T) {
	s, _, _, _ := Test()
	if s.CanPrompt() {
		t.Fatal("buffers are no terminal, yet CanPrompt is true")
	}
	s.SetTTY(true, false, true)
	if !s.CanPrompt() {
		t.Fatal("stdin and stderr are terminals: prompts are possible")
	}
	s.SetPromptDisabled(true)
	if s.CanPrompt() {
		t.Fatal("APIKEYS_PROMPT_DISABLED is ignored")
	}
	s.SetTTY(true, true, false)
	s.SetPromptDisabled(false)
	if s.CanPrompt() {
		t.Fatal("prompts are drawn on stderr, which is not a terminal")
	}
}

func TestTerminalWidthFromColumnsOrTheTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 91}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		columns string
		want    int
	}{
		{"", 91},      // the terminal's own width
		{"72", 72},    // COLUMNS overrides
		{"abc", 91},   // a bad COLUMNS is ignored
		{"-5", 91},    // as is a negative one
		{"0", 91},     // and zero
		{"99999", 91}, // and an absurd one
	} {
		s := System(func(name string) string {
			if name == "COLUMNS" {
				return c.columns
			}
			return ""
		})
		s.Out = tty
		s.SetTTY(false, true, false)
		if got := s.TerminalWidth(); got != c.want {
			t.Errorf("COLUMNS=%q: TerminalWidth() = %d, want %d", c.columns, got, c.want)
		}
		s.Out, s.ErrOut = &bytes.Buffer{}, tty // stdout a pager's pipe: the width is stderr's terminal's
		if got := s.TerminalWidth(); got != c.want {
			t.Errorf("COLUMNS=%q, stdout a pipe to a pager: TerminalWidth() = %d, want %d", c.columns, got, c.want)
		}
		s.SetTTY(false, false, false)
		if got := s.TerminalWidth(); got != 0 {
			t.Errorf("COLUMNS=%q, stdout no terminal: TerminalWidth() = %d, want 0 (no fitting in a pipe)", c.columns, got)
		}
	}
}
