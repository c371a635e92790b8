package output

import "fmt"

// UsageError reports input the user can correct — an unknown column, a bad
// filter, date, duration, role or format. The CLI maps it to exit code 2 with
// errors.As; its message is lowercase, names what was wrong and lists what is
// valid, so it can be shown as is.
type UsageError struct {
	Msg string
}

func (e *UsageError) Error() string { return e.Msg }

func usageErrorf(format string, args ...any) *UsageError {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}
