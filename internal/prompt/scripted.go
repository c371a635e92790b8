package prompt

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Scripted is a Prompter for unit tests of commands: it replays answers queued
// by NewScripted, one per question, and records every question asked.
//
// Answers, by question kind:
//   - Input: a string ("" picks the default, as pressing Enter does). When
//     validate rejects it, the rejection is recorded and the next answer is
//     used, as a user would type again.
//   - Password: a string.
//   - Select: an int (index into options) or a string (an option's exact text).
//   - Confirm: a bool.
//   - any kind: DefaultAnswer{} to accept the default, or an error to return
//     it (ErrCancelled simulates Ctrl-C).
//
// A question with no answer left, or whose next answer does not fit it, gets
// an error wrapping ErrUnscripted, so a command that asks something
// unexpected fails its test instead of hanging.
type Scripted struct {
	mu      sync.Mutex
	answers []any
	calls   []Call
	printer *l10n.Printer // the language of the rejections recorded; nil: English
}

// DefaultAnswer, queued in a Scripted, accepts whatever default the question
// offers.
type DefaultAnswer struct{}

// ErrUnscripted is wrapped by the errors a Scripted returns when a question
// was not expected by the test's script.
var ErrUnscripted = errors.New("unscripted prompt")

// Call records one question asked to a Scripted.
type Call struct {
	Kind    string   // "input", "password", "select" or "confirm"
	Message string   // the question as asked
	Default any      // string (input), int (select), bool (confirm); nil for password
	Options []string // select only
	// Rejected holds, for an input, the validation errors of the answers
	// refused before one was accepted, in the language of WithPrinter.
	Rejected []string
}

var _ Prompter = (*Scripted)(nil)

// NewScripted returns a Scripted that will give answers in order.
func NewScripted(answers ...any) *Scripted {
	return &Scripted{answers: append([]any(nil), answers...)}
}

// WithPrinter records the reasons answers were rejected (Call.Rejected) in the language of
// printer, as the terminal's prompter draws them; it returns s.
func (s *Scripted) WithPrinter(printer *l10n.Printer) *Scripted {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.printer = printer
	return s
}

// Asked returns the messages of the questions asked so far, in order.
func (s *Scripted) Asked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := make([]string, len(s.calls))
	for i, c := range s.calls {
		msgs[i] = c.Message
	}
	return msgs
}

// Calls returns the questions asked so far, in order, with their details.
func (s *Scripted) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Done returns an error listing the answers that were never asked for, so a
// test can check that the command asked every question it was scripted for.
func (s *Scripted) Done() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.answers) == 0 {
		return nil
	}
	left := make([]string, len(s.answers))
	for i, a := range s.answers {
		left[i] = fmt.Sprintf("%#v", a)
	}
	return fmt.Errorf("scripted prompter: %d answer(s) never asked for: %s", len(s.answers), strings.Join(left, ", "))
}

// next records the call and pops the next answer; an error answer is
// returned as the error.
func (s *Scripted) next(c Call) (any, error) {
	s.calls = append(s.calls, c)
	return s.pop(c)
}

func (s *Scripted) pop(c Call) (any, error) {
	if len(s.answers) == 0 {
		return nil, fmt.Errorf("scripted prompter: %s %q: no answer left: %w", c.Kind, c.Message, ErrUnscripted)
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	if err, ok := a.(error); ok {
		return nil, err
	}
	return a, nil
}

func (s *Scripted) mismatch(c Call, a any) error {
	return fmt.Errorf("scripted prompter: %s %q: answer %#v does not fit: %w", c.Kind, c.Message, a, ErrUnscripted)
}

// Input implements Prompter.
func (s *Scripted) Input(message, defaultValue string, validate func(string) error) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Call{Kind: "input", Message: message, Default: defaultValue}
	s.calls = append(s.calls, c)
	idx := len(s.calls) - 1
	for {
		a, err := s.pop(c)
		if err != nil {
			return "", err
		}
		var answer string
		switch v := a.(type) {
		case DefaultAnswer:
			answer = defaultValue
		case string:
			answer = v
			if answer == "" {
				answer = defaultValue
			}
		default:
			return "", s.mismatch(c, a)
		}
		if validate == nil {
			return answer, nil
		}
		verr := validate(answer)
		if verr == nil {
			return answer, nil
		}
		s.calls[idx].Rejected = append(s.calls[idx].Rejected, s.printer.Error(verr))
	}
}

// Password implements Prompter.
func (s *Scripted) Password(message string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Call{Kind: "password", Message: message}
	a, err := s.next(c)
	if err != nil {
		return "", err
	}
	v, ok := a.(string)
	if !ok {
		return "", s.mismatch(c, a)
	}
	return v, nil
}

// Select implements Prompter.
func (s *Scripted) Select(message string, options []string, defaultIndex int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Call{Kind: "select", Message: message, Default: defaultIndex, Options: append([]string(nil), options...)}
	if len(options) == 0 {
		s.calls = append(s.calls, c)
		return 0, fmt.Errorf("prompt: no options to choose from for %q", message)
	}
	a, err := s.next(c)
	if err != nil {
		return 0, err
	}
	switch v := a.(type) {
	case DefaultAnswer:
		if defaultIndex >= 0 && defaultIndex < len(options) {
			return defaultIndex, nil
		}
		return 0, nil
	case int:
		if v < 0 || v >= len(options) {
			return 0, fmt.Errorf("scripted prompter: select %q: index %d out of range for %d options: %w", message, v, len(options), ErrUnscripted)
		}
		return v, nil
	case string:
		for i, o := range options {
			if o == v {
				return i, nil
			}
		}
		return 0, fmt.Errorf("scripted prompter: select %q: no option %q among %q: %w", message, v, options, ErrUnscripted)
	default:
		return 0, s.mismatch(c, a)
	}
}

// Confirm implements Prompter.
func (s *Scripted) Confirm(message string, defaultValue bool) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Call{Kind: "confirm", Message: message, Default: defaultValue}
	a, err := s.next(c)
	if err != nil {
		return false, err
	}
	switch v := a.(type) {
	case DefaultAnswer:
		return defaultValue, nil
	case bool:
		return v, nil
	default:
		return false, s.mismatch(c, a)
	}
}
