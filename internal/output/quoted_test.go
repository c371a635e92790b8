package output

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// A list of values reads "a", "b" in English and « a », « b » in French, escaped as %q
// escapes in both: a title's line break never starts a line.
func TestQuotedList(t *testing.T) {
	l := QuotedList{"CI", "two\nlines", `say "hi"`}
	if got, want := l.Localize(nil), `"CI", "two\nlines", "say \"hi\""`; got != want {
		t.Errorf("English: %s, want %s", got, want)
	}
	if got, want := l.String(), l.Localize(nil); got != want {
		t.Errorf("String: %s, want %s", got, want)
	}
	if got, want := l.Localize(l10n.For(l10n.French)), "«\u00a0CI\u00a0», «\u00a0two\\nlines\u00a0», «\u00a0say \\\"hi\\\"\u00a0»"; got != want {
		t.Errorf("French: %q, want %q", got, want)
	}
	if got, want := l10n.For(l10n.French).Sprintf("no API key with ID or title %s; nothing was deleted\n%s", QuotedList{"x"}, "…"), "aucune clé API n'a l'ID ou le titre «\u00a0x\u00a0»\u00a0; rien n'a été supprimé\n…"; got != want {
		t.Errorf("in a message: %q, want %q", got, want)
	}
}
