package childenv

import (
	"slices"
	"testing"
)

func TestScrubbedDropsEveryApikeysVariable(t *testing.T) {
	env := []string{"PATH=/bin", "APIKEYS_TOKEN=secret", "APIKEYS_PASSWORD=pw", "HOME=/h", "XAPIKEYS_KEPT=1", "APIKEYS_PAGER=less"}
	want := []string{"PATH=/bin", "HOME=/h", "XAPIKEYS_KEPT=1"}
	if got := Scrubbed(env); !slices.Equal(got, want) {
		t.Fatalf("Scrubbed = %q, want %q", got, want)
	}
}
