package session

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Why a session ended is recorded in English and shown in the reader's language; a text
// apikeys did not write is shown as recorded, sanitised.
func TestEndedWords(t *testing.T) {
	fr := l10n.For(l10n.French)
	for _, tc := range []struct{ ended, en, fr string }{
		{"the server refused its refresh token (HTTP 401)", "the server refused its refresh token (HTTP 401)", "le serveur a refusé son jeton d'actualisation (HTTP 401)"},
		{endedRevokeFailed, endedRevokeFailed, "elle a été déconnectée, mais sa révocation sur le serveur a échoué"},
		{"the server refused its refresh token (HTTP 401) and more", "the server refused its refresh token (HTTP 401) and more", "the server refused its refresh token (HTTP 401) and more"},
		{"bell\a", `bell\x07`, `bell\x07`},
	} {
		w := endedWords(tc.ended)
		if got := fr.Sprintf("%s", w); got != tc.fr {
			t.Errorf("%q in French: %q, want %q", tc.ended, got, tc.fr)
		}
		if got := l10n.For(l10n.English).Sprintf("%s", w); got != tc.en {
			t.Errorf("%q in English: %q, want %q", tc.ended, got, tc.en)
		}
	}
}
