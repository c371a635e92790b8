package jmapcloud

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// APIError is a non-2xx answer from the service, with the status and the server's message.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Message    string
	Details    []string
}

// ErrorKind is what the status says of the request: 400 and 422 refuse its input, 401 and
// 403 its login, 404 its key or member; anything else is a failure of the server.
func (e *APIError) ErrorKind() errkind.Kind {
	switch e.StatusCode {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return errkind.Usage
	case http.StatusUnauthorized, http.StatusForbidden:
		return errkind.Auth
	case http.StatusNotFound:
		return errkind.NotFound
	}
	return errkind.Failed
}

// Error shows the server's text escaped (sanitize.Text), line breaks included: it reaches a
// terminal through every message that quotes this error, %v-flattened ones too, and must not
// start a line of its own there ("Hint: …").
func (e *APIError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language: apikeys' words are translated, the server's are shown
// as it sent them (escaped).
func (e *APIError) Localize(p *l10n.Printer) string {
	msg := sanitize.Text(clipIn(p, e.Message, maxServerText))
	if msg == "" {
		msg = statusWords(p, e.StatusCode)
	}
	if len(e.Details) > 0 {
		details := make([]string, 0, min(len(e.Details), maxServerDetails)+1)
		for _, d := range e.Details[:min(len(e.Details), maxServerDetails)] {
			details = append(details, sanitize.Text(clipIn(p, d, maxServerText)))
		}
		if n := len(e.Details) - maxServerDetails; n > 0 {
			details = append(details, p.Sprintf("and %d more", n))
		}
		msg += " (" + strings.Join(details, "; ") + ")"
	}
	return p.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, msg)
}

// maxServerText bounds each piece of server text an error shows (a message, one of errors[],
// a redirect target), and maxServerDetails how many of errors[] it lists: an answer may be
// 32 MiB, and an error line of that size helps nobody.
const (
	maxServerText    = 1024
	maxServerDetails = 10
)

// clip returns s cut to at most max bytes on a character boundary, saying how long it was.
func clip(s string, max int) string { return clipIn(nil, s, max) }

// clipIn is clip saying how long s was in p's language.
func clipIn(p *l10n.Printer, s string, max int) string {
	if len(s) <= max {
		return s
	}
	return p.Sprintf("%s… (%d bytes)", cutAt(s, max), len(s))
}

// cutAt is the longest prefix of s of at most max bytes that ends on a character boundary.
func cutAt(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// StatusCode returns the HTTP status of err if it is an *APIError, else 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// decodeError reads the error body leniently: message, error or detail; errors[] as details.
func decodeError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status}
	var w wireError
	if unmarshal(body, &w) == nil {
		w.apiError(e)
	}
	return e
}

// RedirectError is a 3xx answer. The client follows no redirect: the API has no reason to
// send one, and following it would carry the password or a token to the address it names.
type RedirectError struct {
	Method, Path string
	StatusCode   int
	Location     string // the target, secrets redacted; empty when the server named none
	SuggestedURL string // the base URL the target implies, when it ends with the path asked for
}

func (e *RedirectError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *RedirectError) Localize(p *l10n.Printer) string {
	if e.Location == "" {
		return p.Sprintf("%s %s: the server answered HTTP %d, a redirect without naming a target; apikeys follows no redirect, since it would send credentials to another address",
			e.Method, e.Path, e.StatusCode)
	}
	return p.Sprintf("%s %s: the server answered HTTP %d, a redirect to %s; apikeys follows no redirect, since it would send credentials to another address",
		e.Method, e.Path, e.StatusCode, sanitize.Text(clipIn(p, e.Location, maxServerText)))
}

// TooLargeError is an answer longer than the client reads from one response (maxBody).
type TooLargeError struct {
	Method, Path string
	Limit        int64
}

func (e *TooLargeError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *TooLargeError) Localize(p *l10n.Printer) string {
	return p.Sprintf("%s %s: the server's answer is larger than %d MiB, the most apikeys reads from one answer; it was not used",
		e.Method, e.Path, e.Limit>>20)
}

// InsecureURLError is a request the client refused to send: plain http to a host that is not
// loopback, or a scheme other than http and https. Nothing was sent.
type InsecureURLError struct {
	URL string
}

func (e *InsecureURLError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *InsecureURLError) Localize(p *l10n.Printer) string {
	return p.Sprintf("refusing to send a request to %s: only https is allowed, or plain http to a loopback address such as a local sandbox", sanitize.Text(e.URL))
}

// InvalidIDError is an ID that is not a plausible identifier (see validID): it came from the
// server's answer or from the command line, and no request was built from it.
type InvalidIDError struct {
	What string // "API key" or "organization"
	ID   string
}

func (e *InvalidIDError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *InvalidIDError) Localize(p *l10n.Printer) string {
	if e.What == "organization" {
		return p.Sprintf("invalid organization ID %s (from the server or the command line): an ID is 1 to %d letters, digits or - _ . : ~, and not \".\" or \"..\"; nothing was sent",
			quoteServerTextIn(p, e.ID), maxIDLength)
	}
	if e.What == "API key" {
		return p.Sprintf("invalid API key ID %s (from the server or the command line): an ID is 1 to %d letters, digits or - _ . : ~, and not \".\" or \"..\"; nothing was sent",
			quoteServerTextIn(p, e.ID), maxIDLength)
	}
	return fmt.Sprintf("invalid %s ID %s (from the server or the command line): an ID is 1 to %d letters, digits or - _ . : ~, and not \".\" or \"..\"; nothing was sent",
		e.What, quoteServerText(e.ID), maxIDLength)
}

// quoteServerText quotes a short piece of server text (an ID, a date) for a message: sanitised,
// and at most 64 bytes of it, saying how long it was.
func quoteServerText(s string) string { return quoteServerTextIn(nil, s) }

// quoteServerTextIn is quoteServerText saying how long s was in p's language.
func quoteServerTextIn(p *l10n.Printer, s string) string {
	const shown = 64
	if len(s) > shown {
		return p.Sprintf(`"%s…" (%d bytes)`, sanitize.Text(cutAt(s, shown)), len(s))
	}
	return p.Sprintf(`"%s"`, sanitize.Text(s))
}

// statusWords is the status's text for an answer that said nothing, in p's language for the
// statuses the API answers (English: Go's status text, lower-cased).
func statusWords(p *l10n.Printer, status int) string {
	switch status {
	case http.StatusBadRequest:
		return p.Text("bad request")
	case http.StatusUnauthorized:
		return p.Text("unauthorized")
	case http.StatusForbidden:
		return p.Text("forbidden")
	case http.StatusNotFound:
		return p.Text("not found")
	case http.StatusConflict:
		return p.Text("conflict")
	case http.StatusUnprocessableEntity:
		return p.Text("unprocessable entity")
	case http.StatusTooManyRequests:
		return p.Text("too many requests")
	case http.StatusInternalServerError:
		return p.Text("internal server error")
	case http.StatusBadGateway:
		return p.Text("bad gateway")
	case http.StatusServiceUnavailable:
		return p.Text("service unavailable")
	case http.StatusGatewayTimeout:
		return p.Text("gateway timeout")
	}
	return strings.ToLower(http.StatusText(status))
}
