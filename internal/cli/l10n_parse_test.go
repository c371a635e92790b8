package cli

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// TestFrenchMachineOutputParsesNoCatalog: in a French locale, what a script runs (machine
// formats, with stderr on a terminal where a spinner could start) prints no human text, so
// it never parses the French catalog; the first human text does. In a process of its own
// (this test binary again), where no other test has parsed it.
func TestFrenchMachineOutputParsesNoCatalog(t *testing.T) {
	if os.Getenv("APIKEYS_TEST_PARSE_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFrenchMachineOutputParsesNoCatalog$", "-test.v")
		cmd.Env = append(os.Environ(), "APIKEYS_TEST_PARSE_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	e := newGoldenEnv(t).inFrench()
	for _, args := range [][]string{
		{"list", "-o", "json"},
		{"list", "--filter", "role=éditeur", "--sort", "-expires", "-o", "csv"},
		{"list", "--jq", ".[].id"},
		{"show", "Legacy ETL", "-o", "yaml"},
		{"members", "-o", "tsv"},
		{"delete", "Legacy ETL", "--dry-run", "-o", "json"},
		{"version"},
	} {
		r := e.run(piped, nil, "", args...)
		if r.code != exitOK || r.stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		// stdout to a pipe, stderr a terminal: the spinner may start, and says nothing yet.
		streams, _, _, errOut := iostreams.Test()
		streams.SetTTY(false, false, true)
		if code := run(context.Background(), e.factory(streams, nil), append([]string{"--config", e.cfg}, args...)); code != exitOK || errOut.Len() != 0 {
			t.Fatalf("%v, stderr a terminal: exit %d, stderr %q", args, code, errOut)
		}
		if l10n.CatalogParsed() {
			t.Fatalf("%v parsed the French catalog", args)
		}
	}
	if r := e.run(tty, nil, "", "list"); r.code != exitOK || !l10n.CatalogParsed() {
		t.Errorf("a French table on a terminal (exit %d) did not parse the catalog", r.code)
	}
}
