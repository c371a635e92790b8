package cli

import (
	"context"
	"errors"
	"net/http"
	"syscall"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sanitize"
	"github.com/k2geospatial/apikeys/internal/session"
)

// Exit codes: the contract of CLI.md, decided here and nowhere else (exitCode).
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitCancelled = 3
	exitAuth      = 4
	exitNotFound  = 5
)

// errCancelled is a person saying no: nothing changed.
var errCancelled = errkind.New(errkind.Cancelled, "cancelled: nothing was changed")

// kindOf is the kind of err (errkind.Of), with the two cancellations that come from outside
// the project's packages: a prompt the user left and the command's context ending.
func kindOf(err error) errkind.Kind {
	k := errkind.Of(err)
	if k == errkind.Failed && (errors.Is(err, prompt.ErrCancelled) || errors.Is(err, context.Canceled)) {
		return errkind.Cancelled
	}
	return k
}

// exitCode maps an error to the documented exit code: the only place kinds become codes.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	switch kindOf(err) {
	case errkind.Usage:
		return exitUsage
	case errkind.NotFound:
		return exitNotFound
	case errkind.Auth:
		return exitAuth
	case errkind.Cancelled:
		return exitCancelled
	}
	return exitError
}

// hint adds what to do next for the failures a user can fix, naming what the command used:
// s, the invocation's settings, or nil when it had none. It is a message put in the reader's
// language when printed; the zero Msg when there is nothing to add.
func hint(err error, s *config.Settings) l10n.Msg {
	var apiErr *jmapcloud.APIError
	var netErr *jmapcloud.NetworkError
	var redirect *jmapcloud.RedirectError
	var tooLarge *jmapcloud.TooLargeError
	var decErr *jmapcloud.DecodeError
	switch {
	case errors.As(err, &redirect) && redirect.SuggestedURL != "":
		return l10n.M("if the API has moved there, pass --api-url %s", sanitize.Text(redirect.SuggestedURL))
	case errors.As(err, &redirect):
		return l10n.M("point --api-url at the API's final address")
	case errors.As(err, &tooLarge):
		return l10n.M("check that --api-url points at the JMap Cloud API")
	case errors.Is(err, jmapcloud.ErrWebPage):
		return l10n.M("check that --api-url points at the JMap Cloud API; behind a proxy that asks you to sign in, open %s in a browser and sign in first", apiURLOf(s))
	case errors.As(err, &decErr):
		return l10n.M("check that --api-url points at the JMap Cloud API; `apikeys doctor` shows what its answers hold")
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized:
		return unauthorizedHint(s)
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		return l10n.M("managing API keys needs the ORG_ADMIN role in this organization; log in as an organization administrator")
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests:
		return l10n.M("the server is limiting requests and asked for a longer wait than apikeys makes; try again later")
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 500:
		return l10n.M("the server failed; try again in a moment")
	case errors.As(err, &netErr) && errors.Is(err, syscall.ECONNREFUSED):
		return l10n.M("connection refused: nothing answers at %s; check --api-url, and that the server is running", apiURLOf(s))
	case errors.As(err, &netErr):
		return l10n.M("check the network and --api-url, then try again")
	}
	return l10n.Msg{}
}

// unauthorizedHint says which credentials the server refused and how to replace them.
func unauthorizedHint(s *config.Settings) l10n.Msg {
	if s == nil {
		return l10n.M("the session is missing or expired: run `apikeys auth login` (or use --sandbox)")
	}
	switch by := session.CredentialsOverride(s); by {
	case "APIKEYS_TOKEN":
		return l10n.M("the server refused the access token in APIKEYS_TOKEN: set it to a valid token, or unset it to use the profile's session")
	case "APIKEYS_USERNAME and APIKEYS_PASSWORD":
		return l10n.M("the server refused the credentials of APIKEYS_USERNAME and APIKEYS_PASSWORD: check them, or unset them to use the profile's session")
	case "":
		return l10n.M("the session is missing or expired: run `%s` (or use --sandbox)", session.LoginCommand(s))
	default:
		return l10n.M("the server refused the credentials of %s: check them, or unset them to use the profile's session", by)
	}
}

// apiURLOf is the API URL the command called, for a hint.
func apiURLOf(s *config.Settings) any {
	if s == nil || s.APIURL == "" {
		return l10n.M("the API URL")
	}
	return s.APIURL
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
func displayLines(s string) string { return sanitize.Lines(s) }

// hintSettings are the settings the failed command used, for its hint: those it resolved,
// never resolved anew here (that could warn, or fail, a second time); nil when it had none.
func hintSettings(f *Factory) *config.Settings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings
}
