// Package envbool is the one reader of boolean environment variables (APIKEYS_SANDBOX,
// APIKEYS_DEBUG, APIKEYS_NO_COLOR, APIKEYS_PROMPT_DISABLED, ...). It has no dependencies, so
// every package that reads such a variable can use it.
package envbool

import (
	"strings"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Words lists the accepted values, for error messages.
const Words = "1/0, true/false, yes/no, on/off or y/n (any case)"

// WordsIn is Words in p's language.
func WordsIn(p *l10n.Printer) string { return p.Text(Words) }

// Parse reads a boolean variable's value: 1/0, true/false, t/f, yes/no, y/n, on/off, in any
// case, surrounding spaces ignored. An empty value is unset (set is false), the usual
// convention for environment variables. Anything else is not a boolean (ok is false): a typo
// must not silently read as false, since APIKEYS_SANDBOX=yse would then talk to the real API.
func Parse(value string) (b, set, ok bool) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "":
		return false, false, true
	case "1", "true", "t", "yes", "y", "on":
		return true, true, true
	case "0", "false", "f", "no", "n", "off":
		return false, true, true
	}
	return false, true, false
}

// Error is a variable whose value is not a boolean.
type Error struct {
	Name  string // e.g. APIKEYS_SANDBOX
	Value string
}

func (e *Error) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *Error) Localize(p *l10n.Printer) string {
	return p.Sprintf("invalid %s=%q: use %s, or leave it empty", e.Name, e.Value, WordsIn(p))
}

// Lookup reads the variable name through getenv: its value, false when unset or empty, or an
// *Error naming the variable.
func Lookup(getenv func(string) string, name string) (bool, error) {
	value := getenv(name)
	b, _, ok := Parse(value)
	if !ok {
		return false, &Error{Name: name, Value: value}
	}
	return b, nil
}
