package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
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

func TestEmptyFilterValuesExit2(t *testing.T) {
	empty := func(expr, op string) string {
		return "Error: invalid filter \"" + expr + "\": the value after \"" + op + "\" is empty (an unset shell variable?): give the value to compare with\n"
	}
	runTypoCases(t, []typoCase{
		{name: "delete contains", args: []string{"delete", "--filter", "title~", "--dry-run"}, code: 2, stderr: empty("title~", "~")},
		{name: "delete not equal", args: []string{"delete", "--filter", "title!=", "--no-transfer", "--yes"}, code: 2, stderr: empty("title!=", "!=")},
		{name: "list equal", args: []string{"list", "--filter", "title="}, code: 2, stderr: empty("title=", "=")},
		{name: "doubled operator", args: []string{"delete", "--filter", "title==x", "--dry-run"}, code: 2,
			stderr: "Error: invalid filter \"title==x\": unknown operator \"==\" (use one of = != ~ !~ < <= > >=); quote a value that starts with \"=\": title=\"=x\"\n"},
		{name: "delete nothing named", args: []string{"delete", "--yes"}, code: 2,
			stderr: "Error: name the keys to delete (ID or title), select them with --filter, or pass --all for every key\n"},
	})
}

func TestDeleteSelectingEveryKeyNeedsAll(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	_, keys, _ := ts.run("list", "-o", "csv", "--columns", "id", "--no-headers")
	total := len(strings.Fields(keys))
	refused := fmt.Sprintf("Error: the selection matches every key of the organization (%d); nothing was deleted\npass --all to delete every key, or narrow the --filter\n", total)
	for _, args := range [][]string{
		{"delete", "--filter", "title!=no such title", "--dry-run", "-o", "json"},
		{"delete", "--filter", "created<=now", "--no-transfer", "--yes"}, // a filter that happens to match all
		{"delete", "--filter", `title!=""`, "--no-transfer", "--yes"},
	} {
		code, out, errOut := ts.run(args...)
		if code != exitUsage || out != "" || errOut != refused {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", args, code, out, errOut, refused)
		}
	}
	if after := ts.state(); after != before {
		t.Fatalf("a refused selection changed the organization:\n%s\nwant\n%s", after, before)
	}

	// With --all the same dry run shows every key; --all alone selects every key.
	code, out, errOut := ts.run("delete", "--filter", "title!=no such title", "--all", "--dry-run", "-o", "json")
	var plan []planEntry
	if code != exitOK || json.Unmarshal([]byte(out), &plan) != nil || len(plan) != total {
		t.Fatalf("--filter --all --dry-run: exit %d, %d entries, stderr %s", code, len(plan), errOut)
	}
	if code, _, errOut := ts.run("delete", "--all", "--no-transfer", "--yes"); code != exitOK {
		t.Fatalf("delete --all: exit %d: %s", code, errOut)
	}
	if _, keys, _ := ts.run("list", "-o", "csv", "--columns", "id", "--no-headers"); keys != "" {
		t.Errorf("keys left after delete --all: %q", keys)
	}
}

func TestUnknownCommandsAndArgumentCountsExit2(t *testing.T) {
	unknown := func(arg, path, suggestions, usage string) string {
		s := "Error: unknown command \"" + arg + "\" for \"" + path + "\"\n"
		if suggestions != "" {
			s += "\nDid you mean this?\n\t" + strings.ReplaceAll(suggestions, " ", "\n\t") + "\n\n"
		}
		return s + "Run '" + usage + " --help' for usage.\n"
	}
	runTypoCases(t, []typoCase{
		{name: "auth logut", args: []string{"auth", "logut"}, code: 2, stderr: unknown("logut", "apikeys auth", "login logout", "apikeys auth")},
		{name: "auth logut --help", args: []string{"auth", "logut", "--help"}, code: 2, stderr: unknown("logut", "apikeys auth", "login logout", "apikeys auth")},
		{name: "sandbox foo", args: []string{"sandbox", "foo"}, code: 2, stderr: unknown("foo", "apikeys sandbox", "", "apikeys sandbox")},
		{name: "sandbox --data x srve", args: []string{"sandbox", "--data", "x", "srve"}, code: 2, stderr: unknown("srve", "apikeys sandbox", "serve", "apikeys sandbox")},
		{name: "completion tcsh", args: []string{"completion", "tcsh"}, code: 2, stderr: unknown("tcsh", "apikeys completion", "bash fish zsh", "apikeys completion")},
		{name: "completion bash extra", args: []string{"completion", "bash", "extra"}, code: 2, stderr: unknown("extra", "apikeys completion bash", "", "apikeys completion bash")},
		{name: "help nonsense", args: []string{"help", "nonsense"}, code: 2, stderr: unknown("nonsense", "apikeys", "", "apikeys")},
		{name: "help lst", args: []string{"help", "lst"}, code: 2, stderr: unknown("lst", "apikeys", "list", "apikeys")},
		{name: "help auth logut", args: []string{"help", "auth", "logut"}, code: 2, stderr: unknown("logut", "apikeys auth", "login logout", "apikeys auth")},
		{name: "lst", args: []string{"lst"}, code: 2, stderr: unknown("lst", "apikeys", "list", "apikeys")},
		{name: "--debug lst", args: []string{"--debug", "lst"}, code: 2, stderr: unknown("lst", "apikeys", "list", "apikeys")},
		{name: "exit-codes extra", args: []string{"exit-codes", "extra"}, code: 2, stderr: unknown("extra", "apikeys exit-codes", "", "apikeys exit-codes")},
		{name: "list extra", args: []string{"list", "extra"}, code: 2, stderr: unknown("extra", "apikeys list", "", "apikeys list")},
		{name: "members extra", args: []string{"members", "extra"}, code: 2, stderr: unknown("extra", "apikeys members", "", "apikeys members")},
		{name: "auth status extra", args: []string{"auth", "status", "extra"}, code: 2, stderr: unknown("extra", "apikeys auth status", "", "apikeys auth status")},
		{name: "sandbox info extra", args: []string{"sandbox", "info", "extra"}, code: 2, stderr: unknown("extra", "apikeys sandbox info", "", "apikeys sandbox info")},
		{name: "version extra", args: []string{"version", "extra"}, code: 2, stderr: unknown("extra", "apikeys version", "", "apikeys version")},
		{name: "show", args: []string{"show"}, code: 2,
			stderr: "Error: missing KEY: an API key ID or exact title\nRun 'apikeys show --help' for usage.\n"},
		{name: "show a b", args: []string{"show", "CI", "deploy"}, code: 2,
			stderr: "Error: show takes one KEY (an API key ID or exact title), not 2 arguments: quote a title that has spaces\nRun 'apikeys show --help' for usage.\n"},
		{name: "create a b", args: []string{"create", "CI", "deploy", "--role", "viewer", "--expires", "30d"}, code: 2,
			stderr: "Error: create takes at most one TITLE (the new key's title), not 2 arguments: quote a title that has spaces\nRun 'apikeys create --help' for usage.\n"},
	})
}

// A parent command alone still prints its help and succeeds, as `git remote` or `gh auth` do.
func TestParentCommandAlonePrintsHelp(t *testing.T) {
	for _, args := range [][]string{{"auth"}, {"sandbox"}, {"completion"}, {"help", "auth"}, {}, {"exit-codes"}} {
		streams, _, out, errOut := iostreams.Test()
		f := newFactory(streams, "test", func(string) string { return "" })
		if code := run(context.Background(), f, args); code != 0 || !strings.Contains(out.String(), "Usage:") && !strings.Contains(out.String(), "Exit codes") || errOut.Len() != 0 {
			t.Errorf("%q: exit %d, stderr %q, stdout %.80q", args, code, errOut.String(), out.String())
		}
	}
}
