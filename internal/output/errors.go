package output

import (
	"fmt"

	"github.com/k2geospatial/apikeys/internal/errkind"
)

// UsageError reports input the user can correct — an unknown column, a bad
// filter, date, duration, role or format (errkind.Usage). Its message is
// lowercase, names what was wrong and lists what is valid, so it can be shown
// as is.
type UsageError struct {
	Msg string
}

func (e *UsageError) Error() string { return e.Msg }

// ErrorKind makes it a usage error for the CLI.
func (e *UsageError) ErrorKind() errkind.Kind { return errkind.Usage }

func usageErrorf(format string, args ...any) *UsageError {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}
