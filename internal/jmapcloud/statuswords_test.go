package jmapcloud

import (
	"net/http"
	"strings"
	"testing"
)

// In English an answer that said nothing shows Go's status text, lower-cased, as it always did.
func TestStatusWordsInEnglishAreGos(t *testing.T) {
	for status := 100; status < 600; status++ {
		if got, want := statusWords(nil, status), strings.ToLower(http.StatusText(status)); got != want {
			t.Errorf("status %d: %q, want %q", status, got, want)
		}
	}
}
