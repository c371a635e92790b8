// Package prompt is the only door to interactive prompts in apikeys.
//
// Commands depend on the Prompter interface; the survey/v2 implementation
// (archived upstream) is confined to survey.go and localized.go so it can be
// replaced without touching any command, and Scripted stands in for it in unit tests.
package prompt

import (
	"errors"
	"io"
)

// Prompter asks the user questions on a terminal.
//
// Callers decide beforehand whether prompting is possible at all (stdin and
// the prompt stream are terminals, prompts not disabled): an implementation
// assumes it may block on the terminal. Messages and options may hold server
// text (member names, organization names): an implementation that draws them
// shows them through sanitize.Text.
type Prompter interface {
	// Input asks for a line of text. An empty answer yields defaultValue.
	// When validate is not nil, the question is asked again, showing the
	// validation error, until validate accepts the answer.
	Input(message, defaultValue string, validate func(string) error) (string, error)
	// Password asks for a secret without echoing it.
	Password(message string) (string, error)
	// Select asks to choose one of options and returns its index in options.
	// Typing filters the list. defaultIndex is preselected when it is a valid
	// index; otherwise the first option is.
	Select(message string, options []string, defaultIndex int) (int, error)
	// Confirm asks a yes/no question.
	Confirm(message string, defaultValue bool) (bool, error)
}

// ErrCancelled is wrapped by every error a Prompter returns because the user
// interrupted the prompt (Ctrl-C), so that callers can test
// errors.Is(err, ErrCancelled) and exit with the "cancelled" code instead of
// reporting a failure.
var ErrCancelled = errors.New("cancelled")

// FileReader is a terminal to read answers from; *os.File satisfies it.
// It is declared here, with the same method set as survey's, so that callers
// never import survey.
type FileReader interface {
	io.Reader
	Fd() uintptr
}

// FileWriter is a terminal to draw prompts on; *os.File satisfies it.
type FileWriter interface {
	io.Writer
	Fd() uintptr
}
