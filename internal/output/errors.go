package output

import (
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// UsageError reports input the user can correct — an unknown column, a bad
// filter, date, duration, role or format (errkind.Usage). Its message is
// lowercase, names what was wrong and lists what is valid, so it can be shown
// as is; Localize gives it in the reader's language.
type UsageError struct {
	Msg string
	msg error // the l10n.Errorf the message was made from, nil for a Msg set by hand
}

func (e *UsageError) Error() string { return e.Msg }

// Localize is the message in p's language (l10n.Printer.Error reads it).
func (e *UsageError) Localize(p *l10n.Printer) string {
	if e.msg == nil {
		return e.Msg
	}
	return p.Error(e.msg)
}

// ErrorKind makes it a usage error for the CLI.
func (e *UsageError) ErrorKind() errkind.Kind { return errkind.Usage }

// usageErrorf is a *UsageError of l10n.Errorf's message: English in Msg, translatable.
func usageErrorf(format string, args ...any) *UsageError {
	err := l10n.Errorf(format, args...)
	return &UsageError{Msg: err.Error(), msg: err}
}
