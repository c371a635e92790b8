package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Exit codes: the contract of CLI.md, decided here and nowhere else.
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitCancelled = 3
	exitAuth      = 4
	exitNotFound  = 5
)

// codedError carries an exit code chosen where the failure was understood.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// usageError is bad input: exit 2.
func usageError(format string, args ...any) error {
	return &codedError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// notFoundError is an unknown key or member: exit 5.
func notFoundError(format string, args ...any) error {
	return &codedError{code: exitNotFound, err: fmt.Errorf(format, args...)}
}

// errCancelled is a person saying no: exit 3, nothing changed.
var errCancelled = &codedError{code: exitCancelled, err: errors.New("cancelled: nothing was changed")}

// silentError has already been reported (e.g. a multi-key delete summary); only its code counts.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// exitCode maps an error to the documented exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var coded *codedError
	var silent *silentError
	var usage *output.UsageError
	var fileErr *config.FileError
	var apiErr *jmapcloud.APIError
	switch {
	case errors.As(err, &silent):
		return silent.code
	case errors.As(err, &coded):
		return coded.code
	case errors.Is(err, prompt.ErrCancelled), errors.Is(err, context.Canceled):
		return exitCancelled
	case errors.As(err, &usage), errors.As(err, &fileErr):
		return exitUsage
	case errors.As(err, &apiErr):
		switch apiErr.StatusCode {
		case http.StatusBadRequest, http.StatusUnprocessableEntity:
			return exitUsage
		case http.StatusUnauthorized, http.StatusForbidden:
			return exitAuth
		case http.StatusNotFound:
			return exitNotFound
		}
	}
	return exitError
}

// hint adds what to do next for the failures a user can fix.
func hint(err error) string {
	var apiErr *jmapcloud.APIError
	var netErr *jmapcloud.NetworkError
	var redirect *jmapcloud.RedirectError
	var tooLarge *jmapcloud.TooLargeError
	switch {
	case errors.As(err, &redirect) && redirect.SuggestedURL != "":
		return "if the API has moved there, pass --api-url " + sanitize.Text(redirect.SuggestedURL)
	case errors.As(err, &redirect):
		return "point --api-url at the API's final address"
	case errors.As(err, &tooLarge):
		return "check that --api-url points at the JMap Cloud API"
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized:
		return "the session is missing or expired: run `apikeys auth login` (or use --sandbox)"
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		return "managing API keys needs the ORG_ADMIN role in this organization; log in as an organization administrator"
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 500:
		return "the server failed; try again in a moment"
	case errors.As(err, &netErr):
		return "check the network and --api-url, then try again"
	}
	return ""
}

// displayError is err's message made safe for stderr (displayLines). The text of a server
// error is already escaped whole, line breaks included, by jmapcloud.APIError itself, so that
// the server cannot start a line of its own ("Hint: …") even where the error was flattened
// with %v into another message.
func displayError(err error) string { return displayLines(err.Error()) }

// displayLines makes a message for stderr safe to show: each line is sanitised (see
// sanitize.Text), so server text inside an error or warning cannot act on the terminal, while
// the line breaks that separate our own message from its hint stay line breaks, and tabs
// (cobra indents its "Did you mean" suggestions with one) stay tabs: neither acts on a terminal.
func displayLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		fields := strings.Split(l, "\t")
		for j, f := range fields {
			fields[j] = sanitize.Text(f)
		}
		lines[i] = strings.Join(fields, "\t")
	}
	return strings.Join(lines, "\n")
}
