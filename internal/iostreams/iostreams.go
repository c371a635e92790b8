// Package iostreams carries the three standard streams and what is known about them
// (terminal or not, colour wanted or not), so commands never touch os.Stdout directly.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"sync"

	"golang.org/x/term"

	"github.com/k2geospatial/apikeys/internal/config/envbool"
	"github.com/k2geospatial/apikeys/internal/progress"
)

// IOStreams are a command's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	promptDisabled                 bool
	colorDisabled                  bool
	columns                        int // COLUMNS when it is a width, else 0
	width                          int // set by SetWidth (tests), else 0
	// dumbTerminal is TERM=dumb: a terminal that cannot erase a line gets no spinner.
	dumbTerminal bool

	progressMu      sync.Mutex
	spinner         *progress.Spinner
	progressOptions progress.Options

	// The pager (pager.go): where its settings are read, and the one running.
	pagerLookup  func(string) (string, bool)
	pagerEnviron func() []string
	pager        *pagerProcess
	pagerFailed  bool // the reason was said once
}

// System wraps the process's streams. getenv is consulted for NO_COLOR and
// APIKEYS_PROMPT_DISABLED.
func System(getenv func(string) string) *IOStreams {
	return &IOStreams{
		In:             os.Stdin,
		Out:            os.Stdout,
		ErrOut:         os.Stderr,
		stdinTTY:       isTerminal(os.Stdin),
		stdoutTTY:      isTerminal(os.Stdout),
		stderrTTY:      isTerminal(os.Stderr),
		promptDisabled: truthy(getenv("APIKEYS_PROMPT_DISABLED")),
		colorDisabled:  getenv("NO_COLOR") != "",
		columns:        parseColumns(getenv("COLUMNS")),
		dumbTerminal:   getenv("TERM") == "dumb",
		pagerLookup:    os.LookupEnv,
		pagerEnviron:   os.Environ,
	}
}

// Test returns streams backed by buffers, none a terminal.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// truthy reads a boolean variable with envbool's words; a value that is not one counts as
// true, since setting the variable at all says what is wanted (the command then refuses it).
func truthy(s string) bool {
	b, _, ok := envbool.Parse(s)
	return b || !ok
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// SetTTY overrides terminal detection (tests, and pseudo-terminal runs).
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// SetPromptDisabled forbids prompts whatever the terminals say.
func (s *IOStreams) SetPromptDisabled(v bool) { s.promptDisabled = v }

// CanPrompt is true when a person can answer: stdin and stderr (where prompts are drawn) are
// terminals and prompts are not disabled. Checked before any request that changes anything.
func (s *IOStreams) CanPrompt() bool {
	return s.stdinTTY && s.stderrTTY && !s.promptDisabled
}

// DisableColor turns colour off (--no-color).
func (s *IOStreams) DisableColor() { s.colorDisabled = true }

// ColorDisabled is true when NO_COLOR or --no-color asks for no colour, whatever the
// terminals: prompts, drawn on stderr, follow it alone.
func (s *IOStreams) ColorDisabled() bool { return s.colorDisabled }

// ColorEnabled is true when stdout is a terminal and neither NO_COLOR nor --no-color is set.
func (s *IOStreams) ColorEnabled() bool { return s.stdoutTTY && !s.colorDisabled }

// InFile returns the file behind In when it is one (the process's stdin, or a test's
// pseudo-terminal): an interactive prompt reads keys through its descriptor.
func (s *IOStreams) InFile() (*os.File, bool) {
	f, ok := s.In.(*os.File)
	return f, ok
}

// TerminalWidth is the width in columns that a table on stdout must fit: COLUMNS when it
// is a positive number (it overrides, as in gh and ls), else the width of the terminal
// behind stdout, or behind stderr when stdout is not the terminal's file itself (a pager's
// pipe); 0 when stdout is not a terminal or its width is unknown (no fitting).
func (s *IOStreams) TerminalWidth() int {
	if !s.stdoutTTY {
		return 0
	}
	if s.width > 0 {
		return s.width
	}
	if s.columns > 0 {
		return s.columns
	}
	for _, out := range []io.Writer{s.Out, s.ErrOut} {
		if f, ok := out.(*os.File); ok {
			if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
				return w
			}
		}
	}
	return 0
}

// SetWidth sets the terminal's width (tests, and pseudo-terminal runs); 0 measures it again.
func (s *IOStreams) SetWidth(columns int) { s.width = columns }

// parseColumns reads COLUMNS: a positive number of columns, or 0 for a value that is not one
// (empty, a word, negative, absurdly large), which is then ignored.
func parseColumns(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 10000 {
		return 0
	}
	return n
}

// StartProgress shows label beside a spinner on stderr, when stderr is a terminal and the
// work lasts longer than progress.DefaultDelay; a spinner already running is replaced.
// Whoever starts one stops it (StopProgress) before writing anything else.
func (s *IOStreams) StartProgress(label func() string) {
	if !s.stderrTTY || s.dumbTerminal {
		return
	}
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	s.spinner.Stop()
	s.spinner = progress.Start(s.ErrOut, label, s.progressOptions)
}

// SetProgressLabel changes what the running spinner says, if one runs.
func (s *IOStreams) SetProgressLabel(label func() string) {
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	if s.spinner != nil {
		s.spinner.SetLabel(label)
	}
}

// StopProgress ends the spinner and erases its line, if one runs: called before a prompt,
// a line on stderr or output on the terminal, so that lines never mix.
func (s *IOStreams) StopProgress() {
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	s.spinner.Stop()
	s.spinner = nil
}

// ErrOutAfterProgress is stderr for writers that may write while a spinner runs (the
// --debug trace, warnings met during a request): each write stops the spinner first.
func (s *IOStreams) ErrOutAfterProgress() io.Writer { return stopsProgress{s} }

type stopsProgress struct{ s *IOStreams }

func (w stopsProgress) Write(p []byte) (int, error) {
	w.s.StopProgress()
	return w.s.ErrOut.Write(p)
}

// SetProgressOptions replaces the spinner's delay and clock (tests).
func (s *IOStreams) SetProgressOptions(o progress.Options) { s.progressOptions = o }
