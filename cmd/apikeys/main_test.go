package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/k2geospatial/apikeys/internal/cli"
	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// xserver is this package's own X display (see withX).
var xserver *testenv.XServer

// TestMain lets testscript run `apikeys` as a real process built from this test binary.
// When create schedules the clipboard clearer it re-executes this test binary, as it would the
// real apikeys, with the hidden clearer command: hand that to the CLI, once the test has opened
// its gate if it set one (testenv.GateEnv).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == clipboard.ClearCommand {
		if err := testenv.WaitGate(); err != nil {
			os.Exit(1)
		}
		os.Exit(cli.Main(os.Args[1:], "test"))
	}
	testscript.Main(withX{m}, map[string]func(){
		"apikeys": func() { os.Exit(cli.Main(os.Args[1:], "test")) },
	})
}

// withX runs the tests (not the `apikeys` processes testscript starts) with an X server of
// the package's own, so that no other test package touches the clipboard they see.
type withX struct{ m *testing.M }

func (w withX) Run() int {
	// The tests read English: a developer's French locale (or APIKEYS_LANG) must not change
	// what the programs they start print. Set here, in the tests' process only: a program a
	// test starts keeps the environment the test gives it.
	englishLocale()
	xserver = testenv.StartX()
	defer xserver.Stop()
	return w.m.Run()
}

// TestScripts runs the end-to-end scripts in testdata/script: whole command lines against
// the sandbox, each script with its own data file and home directory.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			work := env.WorkDir
			env.Setenv("HOME", work)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(work, ".config"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(work, ".state"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(work, ".cache"))
			env.Setenv("APIKEYS_SANDBOX_DATA", filepath.Join(work, "sandbox.db"))
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}

// englishLocale makes the tests' locale English and UTF-8 (C.UTF-8: less, which some tests
// run, shows UTF-8 as such), whatever the developer's: LC_ALL, LC_MESSAGES and APIKEYS_LANG
// unset.
func englishLocale() {
	os.Setenv("LANG", "C.UTF-8")
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "APIKEYS_LANG"} {
		os.Unsetenv(name)
	}
}
