package cli

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// typoCase is a command line a person or a script gets wrong: it must exit with code and
// exactly this stderr, before any session is opened (nothing can have changed).
type typoCase struct {
	name   string
	env    map[string]string
	args   []string
	code   int
	stderr string
}

// runTypoCases runs each case with no configuration and a session that fails the test if
// opened, and checks exit code, stdout (empty) and stderr exactly.
func runTypoCases(t *testing.T, cases []typoCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
			t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
			t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			streams, _, out, errOut := iostreams.Test()
			f := newFactory(streams, "test", func(k string) string { return tc.env[k] })
			f.Session = func(context.Context) (*Session, error) {
				t.Error("a session was opened")
				return nil, errCancelled
			}
			code := run(context.Background(), f, tc.args)
			if code != tc.code || errOut.String() != tc.stderr || out.Len() != 0 {
				t.Errorf("apikeys %q: exit %d, stdout %q\nstderr:\n%s\nwant exit %d, no stdout, stderr:\n%s", tc.args, code, out.String(), errOut.String(), tc.code, tc.stderr)
			}
		})
	}
}

const boolWords = "use 1/0, true/false, yes/no, on/off or y/n (any case), or leave it empty"

func TestBooleanVariableTyposExit2(t *testing.T) {
	runTypoCases(t, []typoCase{
		{name: "sandbox", env: map[string]string{"APIKEYS_SANDBOX": "yse"}, args: []string{"list"}, code: 2,
			stderr: "Error: invalid APIKEYS_SANDBOX=\"yse\": " + boolWords + "\n"},
		{name: "debug", env: map[string]string{"APIKEYS_DEBUG": "maybe"}, args: []string{"members"}, code: 2,
			stderr: "Error: invalid APIKEYS_DEBUG=\"maybe\": " + boolWords + "\n"},
		{name: "no-color", env: map[string]string{"APIKEYS_NO_COLOR": "2"}, args: []string{"list"}, code: 2,
			stderr: "Error: invalid APIKEYS_NO_COLOR=\"2\": " + boolWords + "\n"},
		{name: "prompt-disabled", env: map[string]string{"APIKEYS_PROMPT_DISABLED": "always"}, args: []string{"list"}, code: 2,
			stderr: "Error: invalid APIKEYS_PROMPT_DISABLED=\"always\": " + boolWords + "\n"},
	})
}

func TestSandboxVariableYesUsesTheSandbox(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("APIKEYS_SANDBOX", " Yes ")
	// Read as false, the command would find no session for the real API and exit 4.
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", func(string) string { return "" }), []string{"list", "-o", "csv", "--columns", "id", "--no-headers"})
	if code != 0 || out.Len() == 0 {
		t.Fatalf("APIKEYS_SANDBOX=yes list: exit %d, stdout %q, stderr %s", code, out.String(), errOut.String())
	}
}
