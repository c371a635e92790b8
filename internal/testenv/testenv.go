// Package testenv decides what a test does when a real tool it needs (an X
// server, xclip, a pseudo-terminal) is missing on the machine running it, and
// gives test packages what they must not share: an X server (and so a
// clipboard) of their own, and gates that hold helper processes back until the
// test lets them go.
package testenv

import (
	"os"
	"testing"

	"github.com/k2geospatial/apikeys/internal/config/envbool"
)

// RequireEnv names the environment variable that turns missing tools from a
// skip into a failure. CI sets it so that a broken test machine cannot turn
// the real-tool tests into silent skips.
const RequireEnv = "APIKEYS_REQUIRE_REAL_TOOLS"

// Require skips the test, saying what is missing, when ok is false; or fails
// it when RequireEnv is set to a true value (1, true, yes, on).
func Require(t testing.TB, what string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if required, _, _ := envbool.Parse(os.Getenv(RequireEnv)); required {
		t.Fatalf("missing %s, required because %s is set", what, RequireEnv)
	}
	t.Skipf("SKIP: missing %s (set %s=1 to fail instead of skipping)", what, RequireEnv)
}
