package l10n

import "fmt"

// Errorf is fmt.Errorf whose message can be put in another language: its Error() is the
// English text, and Printer.Error translates the format and, in it, the arguments that are
// errors or Localizable. %w wraps as it does for fmt.Errorf (errors.Is and As see through).
func Errorf(format string, args ...any) error {
	return &formatError{msg: Msg{format: format, args: args}, err: fmt.Errorf(format, args...)}
}

type formatError struct {
	msg Msg
	err error // fmt.Errorf's: the English text and what it wraps
}

func (e *formatError) Error() string              { return e.err.Error() }
func (e *formatError) Localize(p *Printer) string { return e.msg.Localize(p) }

// Unwrap is what fmt.Errorf's error unwraps to: one error for a %w, all of them for several.
func (e *formatError) Unwrap() []error {
	switch u := e.err.(type) {
	case interface{ Unwrap() error }:
		return []error{u.Unwrap()}
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	}
	return nil
}

// Msg is a message kept to be printed later in whichever language the reader has: a hint
// chosen deep in a package, a help text of a constant. Its String is the English text.
type Msg struct {
	format, one string
	n           int
	args        []any
}

// M is the message of format and args, put in a language when printed.
func M(format string, args ...any) Msg { return Msg{format: format, args: args} }

// P is Printer.Plural kept for later: the form of one or other that counts n.
func P(n int, one, other string, args ...any) Msg {
	return Msg{format: other, one: one, n: n, args: args}
}

// String is the English text.
func (m Msg) String() string { return m.Localize(nil) }

// Localize is the message in p's language.
func (m Msg) Localize(p *Printer) string {
	if m.one != "" {
		return p.Plural(m.n, m.one, m.format, m.args...)
	}
	return p.Sprintf(m.format, m.args...)
}

// IsZero reports a Msg that holds nothing (no hint, say).
func (m Msg) IsZero() bool { return m.format == "" && m.one == "" }
