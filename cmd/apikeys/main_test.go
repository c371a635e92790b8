package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/k2geospatial/apikeys/internal/cli"
	"github.com/k2geospatial/apikeys/internal/clipboard"
)

// TestMain lets testscript run `apikeys` as a real process built from this test binary.
// When create schedules the clipboard clearer it re-executes this test binary, as it would the
// real apikeys, with the hidden clearer command: hand that straight to the CLI.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == clipboard.ClearCommand {
		os.Exit(cli.Main(os.Args[1:], "test"))
	}
	testscript.Main(m, map[string]func(){
		"apikeys": func() { os.Exit(cli.Main(os.Args[1:], "test")) },
	})
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
