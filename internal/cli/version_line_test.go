package cli

import (
	"context"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// TestVersionLineIsWhatRunPrints: main's answer before any set-up is run's, to the byte, and
// main leaves every other command line (flags of version, APIKEYS_OUTPUT) to Main.
func TestVersionLineIsWhatRunPrints(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, args := range [][]string{{"version"}, {"--version"}} {
		for _, version := range []string{"1.2.3", "v1.2.3"} {
			line, ok := VersionLine(args, version, noEnv)
			streams, _, out, _ := iostreams.Test()
			f := newFactory(streams, resolveVersion(version), noEnv)
			if code := run(context.Background(), f, args); code != exitOK {
				t.Fatalf("%q: exit %d", args, code)
			}
			if !ok || line != out.String() || line != "apikeys 1.2.3\n" {
				t.Errorf("%q %s: VersionLine %q, %v; run printed %q", args, version, line, ok, out.String())
			}
		}
	}
	outputEnv := func(name string) string {
		if name == "APIKEYS_OUTPUT" {
			return "json"
		}
		return ""
	}
	for _, tt := range []struct {
		args   []string
		getenv func(string) string
	}{
		{[]string{"version", "-o", "json"}, noEnv},
		{[]string{"version", "--help"}, noEnv},
		{[]string{"version"}, outputEnv},
		{[]string{"list"}, noEnv},
		{nil, noEnv},
	} {
		if line, ok := VersionLine(tt.args, "1.2.3", tt.getenv); ok {
			t.Errorf("%q: answered %q before the command tree", tt.args, line)
		}
	}
}
