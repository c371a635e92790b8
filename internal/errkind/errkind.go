// Package errkind says what kind of failure an error is: input to correct, something that
// does not exist, a missing or insufficient login, or a person (or a signal) stopping the
// command. Packages give their errors a kind where the failure is understood; the one place
// that turns kinds into exit codes is internal/cli (cli.Main), so no other package knows
// the codes.
package errkind

import (
	"errors"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Kind is what kind of failure an error is.
type Kind uint8

const (
	// Failed is every failure without a more precise kind: of the command, the network or
	// the server. It is the kind of an error that declares none.
	Failed Kind = iota
	// Usage is input the user can correct: a flag, argument, setting or file.
	Usage
	// NotFound is a key or member that does not exist.
	NotFound
	// Auth is a missing, expired or insufficient login.
	Auth
	// Cancelled is a person saying no, or a signal ending the command: nothing was changed
	// that was not finished.
	Cancelled
)

func (k Kind) String() string {
	switch k {
	case Usage:
		return "usage"
	case NotFound:
		return "not found"
	case Auth:
		return "auth"
	case Cancelled:
		return "cancelled"
	}
	return "failed"
}

// Kinded is implemented by error types that know their kind (a package's own usage error,
// say), so they need not be wrapped.
type Kinded interface {
	error
	ErrorKind() Kind
}

// Error is an error given a kind where it was understood.
type Error struct {
	Kind Kind
	Err  error
}

func (e *Error) Error() string   { return e.Err.Error() }
func (e *Error) Unwrap() error   { return e.Err }
func (e *Error) ErrorKind() Kind { return e.Kind }

// Wrap gives err the kind k; a nil err stays nil.
func Wrap(k Kind, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Err: err}
}

// New is fmt.Errorf with the kind k (%w wraps as fmt.Errorf does); its message can be
// put in the reader's language (l10n.Errorf).
func New(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Err: l10n.Errorf(format, args...)}
}

// Usagef is input the user can correct; the message says what was wrong and what is valid.
func Usagef(format string, args ...any) error { return New(Usage, format, args...) }

// NotFoundf is a key or member that does not exist.
func NotFoundf(format string, args ...any) error { return New(NotFound, format, args...) }

// Authf is a missing, expired or insufficient login.
func Authf(format string, args ...any) error { return New(Auth, format, args...) }

// Of is the kind of err: that of the outermost error in its chain that declares one,
// else Failed. Wrapping a kinded error again with a different kind changes its kind.
func Of(err error) Kind {
	var k Kinded
	if errors.As(err, &k) {
		return k.ErrorKind()
	}
	return Failed
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return err != nil && Of(err) == k }

// Reported is a failure already reported to the user (a multi-key delete's summary, say):
// only its kind still counts, and nothing more is printed.
type Reported struct{ Kind Kind }

func (e *Reported) Error() string   { return "already reported: " + e.Kind.String() }
func (e *Reported) ErrorKind() Kind { return e.Kind }
