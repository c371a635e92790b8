package cli

import (
	"context"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// The work of one short command line in process, after the runtime and package
// initialisation that bench/run.sh measures from outside.

func benchmarkRun(b *testing.B, args ...string) {
	b.ReportAllocs()
	for b.Loop() {
		streams, _, _, _ := iostreams.Test()
		f := newFactory(streams, "1.2.3", func(string) string { return "" })
		if code := run(context.Background(), f, args); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

func BenchmarkRunVersion(b *testing.B)     { benchmarkRun(b, "version") }
func BenchmarkRunDashVersion(b *testing.B) { benchmarkRun(b, "--version") }
func BenchmarkRunHelp(b *testing.B)        { benchmarkRun(b, "--help") }

func BenchmarkNewRootCmd(b *testing.B) {
	streams, _, _, _ := iostreams.Test()
	f := newFactory(streams, "1.2.3", func(string) string { return "" })
	b.ReportAllocs()
	for b.Loop() {
		newRootCmd(f)
	}
}

// TestVersionShortcutMatchesCobra: the answer given before the tree is built is the one the
// version command and cobra's --version flag give.
func TestVersionShortcutMatchesCobra(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		streams, _, out, _ := iostreams.Test()
		f := newFactory(streams, "1.2.3", func(string) string { return "" })
		if code := run(context.Background(), f, args); code != exitOK {
			t.Fatalf("%q: exit %d", args, code)
		}
		streams, _, cobraOut, _ := iostreams.Test()
		f = newFactory(streams, "1.2.3", func(string) string { return "" })
		root := newRootCmd(f)
		root.SetArgs(args)
		root.SetOut(cobraOut)
		if err := root.Execute(); err != nil {
			t.Fatalf("%q through cobra: %v", args, err)
		}
		if out.String() != cobraOut.String() || out.String() != "apikeys 1.2.3\n" {
			t.Errorf("%q: shortcut %q, cobra %q", args, out.String(), cobraOut.String())
		}
	}
}
