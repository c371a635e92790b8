package output

import (
	"strings"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// QuotedList is values a message names, each quoted as the reader's language quotes a
// value: "a", "b" in English (%q), « a », « b » in French, with %q's escaping in both, so
// a value with a line break or a control character never starts a line of its own. It is
// an argument of a message's %s (l10n.Localizable).
type QuotedList []string

// Localize is the list in p's language.
func (l QuotedList) Localize(p *l10n.Printer) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = p.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// String is the list in English.
func (l QuotedList) String() string { return l.Localize(nil) }
