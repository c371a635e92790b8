package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/deleteplan"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/sandbox"
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
			// A command that should have been refused may run instead (sandbox serve would
			// serve until stopped): the deadline turns that into a failure, not a hang.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			code := run(ctx, f, tc.args)
			if code != tc.code || errOut.String() != tc.stderr || out.Len() != 0 {
				t.Errorf("apikeys %q: exit %d, stdout %q\nstderr:\n%s\nwant exit %d, no stdout, stderr:\n%s", tc.args, code, out.String(), errOut.String(), tc.code, tc.stderr)
			}
		})
	}
}

const boolWords = "use 1/0, true/false, yes/no, on/off or y/n (any case), or leave it empty"

// usageLine is the line that follows a usage error found before the command began its work.
func usageLine(path string) string { return "Run '" + path + " --help' for usage.\n" }

func TestBooleanVariableTyposExit2(t *testing.T) {
	runTypoCases(t, []typoCase{
		{name: "sandbox", env: map[string]string{"APIKEYS_SANDBOX": "yse"}, args: []string{"list"}, code: 2,
			stderr: "Error: invalid APIKEYS_SANDBOX=\"yse\": " + boolWords + "\n" + usageLine("apikeys list")},
		{name: "debug", env: map[string]string{"APIKEYS_DEBUG": "maybe"}, args: []string{"members"}, code: 2,
			stderr: "Error: invalid APIKEYS_DEBUG=\"maybe\": " + boolWords + "\n" + usageLine("apikeys members")},
		{name: "no-color", env: map[string]string{"APIKEYS_NO_COLOR": "2"}, args: []string{"list"}, code: 2,
			stderr: "Error: invalid APIKEYS_NO_COLOR=\"2\": " + boolWords + "\n" + usageLine("apikeys list")},
		{name: "prompt-disabled", env: map[string]string{"APIKEYS_PROMPT_DISABLED": "always"}, args: []string{"list"}, code: 2,
			stderr: "Error: invalid APIKEYS_PROMPT_DISABLED=\"always\": " + boolWords + "\n" + usageLine("apikeys list")},
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
	empty := func(expr, op, path string) string {
		return "Error: invalid filter \"" + expr + "\": the value after \"" + op + "\" is empty (an unset shell variable?): give the value to compare with\n" + usageLine(path)
	}
	runTypoCases(t, []typoCase{
		{name: "delete contains", args: []string{"delete", "--filter", "title~", "--dry-run"}, code: 2, stderr: empty("title~", "~", "apikeys delete")},
		// Without a terminal and without --yes the filter is still the error reported: the
		// missing --yes would only send the user round once more.
		{name: "delete contains, no --yes", args: []string{"delete", "--filter", "title~"}, code: 2, stderr: empty("title~", "~", "apikeys delete")},
		{name: "delete bad date, no --yes", args: []string{"delete", "--filter", "expires<30m"}, code: 2,
			stderr: "Error: invalid filter \"expires<30m\": \"30m\" is not a date: m could mean minutes or months: write min for minutes, or days such as 30d\n" + usageLine("apikeys delete")},
		{name: "delete not equal", args: []string{"delete", "--filter", "title!=", "--no-transfer", "--yes"}, code: 2, stderr: empty("title!=", "!=", "apikeys delete")},
		{name: "list equal", args: []string{"list", "--filter", "title="}, code: 2, stderr: empty("title=", "=", "apikeys list")},
		{name: "doubled operator", args: []string{"delete", "--filter", "title==x", "--dry-run"}, code: 2,
			stderr: "Error: invalid filter \"title==x\": unknown operator \"==\" (use one of = != ~ !~ < <= > >=); quote a value that starts with \"=\": title=\"=x\"\n" + usageLine("apikeys delete")},
		{name: "delete nothing named", args: []string{"delete", "--yes"}, code: 2,
			stderr: "Error: name the keys to delete (ID or title), select them with --filter, or pass --all for every key\n" + usageLine("apikeys delete")},
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
	var plan []deleteplan.Entry
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
	// A command with no subcommands says it takes no arguments, cobra's "unknown command"
	// being for a command that has some.
	stray := func(arg, path, hint string) string {
		if hint != "" {
			hint += "\n"
		}
		return "Error: " + path + " takes no arguments, got \"" + arg + "\"\n" + hint + usageLine(path)
	}
	runTypoCases(t, []typoCase{
		{name: "auth logut", args: []string{"auth", "logut"}, code: 2, stderr: unknown("logut", "apikeys auth", "login logout", "apikeys auth")},
		{name: "auth logut --help", args: []string{"auth", "logut", "--help"}, code: 2, stderr: unknown("logut", "apikeys auth", "login logout", "apikeys auth")},
		{name: "sandbox foo", args: []string{"sandbox", "foo"}, code: 2, stderr: unknown("foo", "apikeys sandbox", "", "apikeys sandbox")},
		{name: "sandbox --data x srve", args: []string{"sandbox", "--data", "x", "srve"}, code: 2, stderr: unknown("srve", "apikeys sandbox", "serve", "apikeys sandbox")},
		{name: "completion tcsh", args: []string{"completion", "tcsh"}, code: 2, stderr: unknown("tcsh", "apikeys completion", "bash fish zsh", "apikeys completion")},
		{name: "completion bash extra", args: []string{"completion", "bash", "extra"}, code: 2, stderr: stray("extra", "apikeys completion bash", "")},
		{name: "help nonsense", args: []string{"help", "nonsense"}, code: 2, stderr: unknown("nonsense", "apikeys", "", "apikeys")},
		{name: "help lst", args: []string{"help", "lst"}, code: 2, stderr: unknown("lst", "apikeys", "list", "apikeys")},
		{name: "help auth logut", args: []string{"help", "auth", "logut"}, code: 2, stderr: unknown("logut", "apikeys auth", "login logout", "apikeys auth")},
		{name: "lst", args: []string{"lst"}, code: 2, stderr: unknown("lst", "apikeys", "list", "apikeys")},
		{name: "--debug lst", args: []string{"--debug", "lst"}, code: 2, stderr: unknown("lst", "apikeys", "list", "apikeys")},
		{name: "exit-codes extra", args: []string{"exit-codes", "extra"}, code: 2, stderr: stray("extra", "apikeys exit-codes", "")},
		{name: "list extra", args: []string{"list", "extra"}, code: 2, stderr: stray("extra", "apikeys list",
			"to list the keys whose title contains it: apikeys list --filter title~extra\nto see one key: apikeys show extra")},
		{name: "members extra", args: []string{"members", "extra"}, code: 2, stderr: stray("extra", "apikeys members", "")},
		{name: "auth status extra", args: []string{"auth", "status", "extra"}, code: 2, stderr: stray("extra", "apikeys auth status", "")},
		{name: "sandbox info extra", args: []string{"sandbox", "info", "extra"}, code: 2, stderr: stray("extra", "apikeys sandbox info", "")},
		{name: "version extra", args: []string{"version", "extra"}, code: 2, stderr: stray("extra", "apikeys version", "")},
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

func TestEmptyFlagValuesExit2(t *testing.T) {
	empty := func(flag, cmd string) string {
		return "Error: --" + flag + " was given an empty value (an unset shell variable?): give a value, or leave the flag out\nRun '" + cmd + " --help' for usage.\n"
	}
	create := []string{"create", "CI", "--role", "viewer", "--expires", "30d"}
	runTypoCases(t, []typoCase{
		{name: "secret-file", args: append(create, "--secret-file", ""), code: 2, stderr: empty("secret-file", "apikeys create")},
		{name: "secret-file=", args: append(create, "--secret-file="), code: 2, stderr: empty("secret-file", "apikeys create")},
		{name: "title", args: []string{"create", "--title", "", "--role", "viewer", "--expires", "30d"}, code: 2, stderr: empty("title", "apikeys create")},
		{name: "TITLE argument", args: []string{"create", "", "--role", "viewer", "--expires", "30d"}, code: 2,
			stderr: "Error: an empty TITLE (an unset shell variable?): give the new key's title\n" + usageLine("apikeys create")},
		{name: "TITLE argument spaces", args: []string{"create", " ", "--role", "viewer", "--expires", "30d"}, code: 2,
			stderr: "Error: an empty TITLE (an unset shell variable?): give the new key's title\n" + usageLine("apikeys create")},
		{name: "title spaces", args: []string{"create", "--title", "  ", "--role", "viewer", "--expires", "30d"}, code: 2, stderr: empty("title", "apikeys create")},
		{name: "role", args: []string{"create", "CI", "--role", "", "--expires", "30d"}, code: 2, stderr: empty("role", "apikeys create")},
		{name: "clear-after", args: append(create, "--clear-after", ""), code: 2, stderr: empty("clear-after", "apikeys create")},
		{name: "transfer-to", args: []string{"delete", "CI", "--transfer-to", "", "--yes"}, code: 2, stderr: empty("transfer-to", "apikeys delete")},
		{name: "org", args: []string{"--org", "", "list"}, code: 2, stderr: empty("org", "apikeys list")},
		{name: "profile", args: []string{"list", "--profile="}, code: 2, stderr: empty("profile", "apikeys list")},
		{name: "api-url", args: []string{"members", "--api-url", ""}, code: 2, stderr: empty("api-url", "apikeys members")},
		{name: "config", args: []string{"show", "x", "--config", ""}, code: 2, stderr: empty("config", "apikeys show")},
		{name: "output", args: []string{"list", "-o", ""}, code: 2, stderr: empty("output", "apikeys list")},
		{name: "columns", args: []string{"list", "--columns", ""}, code: 2, stderr: empty("columns", "apikeys list")},
		{name: "expiring-within", args: []string{"list", "--expiring-within", ""}, code: 2, stderr: empty("expiring-within", "apikeys list")},
		{name: "members role", args: []string{"members", "--role", ""}, code: 2, stderr: empty("role", "apikeys members")},
		{name: "username", args: []string{"auth", "login", "--username", ""}, code: 2, stderr: empty("username", "apikeys auth login")},
		{name: "sandbox data", args: []string{"sandbox", "info", "--data", ""}, code: 2, stderr: empty("data", "apikeys sandbox info")},
	})
}

func TestContradictionsExit2(t *testing.T) {
	both := func(a, b, path string) string {
		return "Error: " + a + " and " + b + " contradict each other: give one\n" + usageLine(path)
	}
	sandboxURL := func(a, b string) string {
		return "Error: " + a + " and " + b + " contradict each other: the sandbox runs in process and talks to no URL; give one\n" + usageLine("apikeys list")
	}
	runTypoCases(t, []typoCase{
		{name: "sandbox api-url", args: []string{"--sandbox", "--api-url", "https://api.example", "list"}, code: 2, stderr: sandboxURL("--sandbox", "--api-url")},
		{name: "env sandbox env api-url", env: map[string]string{"APIKEYS_SANDBOX": "1", "APIKEYS_API_URL": "https://api.example"}, args: []string{"list"}, code: 2, stderr: sandboxURL("APIKEYS_SANDBOX", "APIKEYS_API_URL")},
		{name: "env sandbox api-url", env: map[string]string{"APIKEYS_SANDBOX": "yes"}, args: []string{"list", "--api-url", "https://api.example"}, code: 2, stderr: sandboxURL("APIKEYS_SANDBOX", "--api-url")},
		{name: "expired expiring-within", args: []string{"list", "--expired", "--expiring-within", "30d"}, code: 2, stderr: both("--expired", "--expiring-within", "apikeys list")},
		{name: "copy no-copy", args: []string{"create", "CI", "--role", "viewer", "--expires", "30d", "--copy", "--no-copy"}, code: 2, stderr: both("--copy", "--no-copy", "apikeys create")},
		{name: "transfer-to no-transfer", args: []string{"delete", "CI", "--transfer-to", "erin@acme.example", "--no-transfer", "--yes"}, code: 2, stderr: both("--transfer-to", "--no-transfer", "apikeys delete")},
		{name: "all with keys", args: []string{"delete", "CI", "--all", "--yes"}, code: 2,
			stderr: "Error: --all and KEY arguments contradict each other: give the keys, or --all for every key\n" + usageLine("apikeys delete")},
	})
}

// Empty APIKEYS_ variables are unset, as the environment convention has it: --sandbox with
// an empty APIKEYS_API_URL is no contradiction, and empty APIKEYS_ORG picks no organization.
func TestEmptyVariablesAreUnset(t *testing.T) {
	env := map[string]string{}
	for _, name := range []string{"APIKEYS_API_URL", "APIKEYS_ORG", "APIKEYS_PROFILE", "APIKEYS_CONFIG", "APIKEYS_DEBUG", "APIKEYS_OUTPUT"} {
		env[name] = ""
	}
	listSandboxIDs(t, env)
}

// listSandboxIDs runs `--sandbox list` of the key IDs in a fresh state directory, with env
// set, and fails t unless it lists keys with exit 0.
func listSandboxIDs(t *testing.T, env map[string]string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	for name, value := range env {
		t.Setenv(name, value)
	}
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", func(string) string { return "" }), []string{"--sandbox", "list", "-o", "csv", "--columns", "id", "--no-headers"})
	if code != 0 || out.Len() == 0 {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out.String(), errOut.String())
	}
}

// The --sandbox flag typed now beats an APIKEYS_API_URL of the session, as flags beat
// variables: a shell that exports the URL of a served sandbox can still read it in process.
func TestSandboxFlagBeatsAPIURLVariable(t *testing.T) {
	listSandboxIDs(t, map[string]string{"APIKEYS_API_URL": "https://api.invalid"})
}

// An empty --secret-file used to print the secret on stdout and exit 0: the key is now never
// created. The server counts every POST it receives.
func TestEmptySecretFileCreatesNoKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	sb, err := sandbox.Open(sandbox.Options{Path: filepath.Join(dir, "sandbox.db")})
	if err != nil {
		t.Fatal(err)
	}
	var posts atomic.Int32
	handler := sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "api-keys") {
			posts.Add(1)
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sb.Close() })
	ts := &testSandbox{t: t, sb: sb, url: srv.URL}

	for _, args := range [][]string{
		{"create", "leak", "--role", "viewer", "--expires", "30d", "--secret-file", ""},
		{"create", "leak", "--role", "viewer", "--expires", "30d", "--secret-file= "},
		{"create", "--title", "", "--role", "viewer", "--expires", "30d"},
	} {
		code, out, errOut := ts.run(args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "was given an empty value") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, nothing on stdout", args, code, out, errOut)
		}
	}
	if n := posts.Load(); n != 0 {
		t.Fatalf("%d keys were created", n)
	}
	// The counter counts: a valid create is one POST.
	if code, _, errOut := ts.run("create", "counted", "--role", "viewer", "--expires", "30d"); code != 0 || posts.Load() != 1 {
		t.Fatalf("a valid create: exit %d, %d POSTs: %s", code, posts.Load(), errOut)
	}
}

func TestEveryDurationFlagHasOneGrammarAndNamesTheFlag(t *testing.T) {
	const help = "(use a number and a unit: ms, s, min, h, d (days), w (weeks), y (365 days); e.g. 45s, 10min, 12h, 30d, 1h30min)"
	const ambiguous = "m could mean minutes or months: write min for minutes, or days such as 30d"
	bad := func(flag, value, reason, cmd string) string {
		return "Error: invalid --" + flag + " \"" + value + "\": " + reason + "\nRun '" + cmd + " --help' for usage.\n"
	}
	create := []string{"create", "CI", "--role", "viewer"}
	var cases []typoCase
	for _, c := range []struct {
		flag string
		cmd  []string
	}{
		{"clear-after", append(create, "--expires", "30d")},
		{"expiring-within", []string{"list"}},
		{"timeout", []string{"list"}},
		{"token-ttl", []string{"sandbox", "serve"}},
		{"slow-delay", []string{"sandbox", "serve"}},
	} {
		path := "apikeys " + strings.Join(c.cmd[:1], " ")
		if c.cmd[0] == "sandbox" {
			path = "apikeys sandbox serve"
		}
		cases = append(cases,
			typoCase{name: c.flag + " banana", args: append(append([]string{}, c.cmd...), "--"+c.flag, "banana"), code: 2, stderr: bad(c.flag, "banana", "not a duration "+help, path)},
			typoCase{name: c.flag + " 30m", args: append(append([]string{}, c.cmd...), "--"+c.flag, "30m"), code: 2, stderr: bad(c.flag, "30m", ambiguous, path)},
			typoCase{name: c.flag + " 1h30m", args: append(append([]string{}, c.cmd...), "--"+c.flag+"=1h30m"), code: 2, stderr: bad(c.flag, "1h30m", ambiguous, path)},
			typoCase{name: c.flag + " 30", args: append(append([]string{}, c.cmd...), "--"+c.flag, "30"), code: 2, stderr: bad(c.flag, "30", "no unit "+help, path)},
		)
	}
	cases = append(cases,
		typoCase{name: "expires 30m", args: append(create, "--expires", "30m"), code: 2,
			stderr: "Error: invalid --expires: \"30m\" is not a date: " + ambiguous + "\n" + usageLine("apikeys create")},
		typoCase{name: "expires banana", args: append(create, "--expires", "banana"), code: 2,
			stderr: "Error: invalid --expires: \"banana\" is not a date (use YYYY-MM-DD, RFC 3339, or a duration from now like 30d, 12w, 1y)\n" + usageLine("apikeys create")},
		typoCase{name: "APIKEYS_TIMEOUT 1m", env: map[string]string{"APIKEYS_TIMEOUT": "1m"}, args: []string{"list"}, code: 2,
			stderr: "Error: invalid APIKEYS_TIMEOUT \"1m\": " + ambiguous + "\n" + usageLine("apikeys list")},
	)
	runTypoCases(t, cases)
}

// The same words mean the same length everywhere: 90min is accepted by every duration flag
// and by --expires, and --expiring-within 90min selects what expires<=+90min does.
func TestDurationsInMinutesWorkEverywhere(t *testing.T) {
	ts := newTestSandbox(t)
	code, out, errOut := ts.run("create", "soon", "--role", "viewer", "--expires", "90min", "--clear-after", "10min", "-o", "json")
	if code != 0 {
		t.Fatalf("create --expires 90min: exit %d: %s", code, errOut)
	}
	var created struct{ Expires time.Time }
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	if left := time.Until(created.Expires); left <= 80*time.Minute || left > 91*time.Minute {
		t.Errorf("--expires 90min expires in %v", left)
	}
	_, within, errOut := ts.run("--timeout", "1min", "list", "--expiring-within", "2h", "-o", "csv", "--columns", "title", "--no-headers")
	_, filtered, _ := ts.run("list", "--filter", "status!=expired", "--filter", "expires<=+120min", "-o", "csv", "--columns", "title", "--no-headers")
	if !strings.Contains(within, "soon\n") || within != filtered {
		t.Errorf("--expiring-within 2h gave %q (%s), expires<=+120min gave %q", within, errOut, filtered)
	}
}

// Every command that runs declares its arguments: without Args, cobra accepts any extra
// word for a subcommand and the command runs as if it were not there (`members x` would list
// members). Each such command, given one argument too many, is a usage error.
func TestEveryRunnableCommandDeclaresItsArguments(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	root := newRootCmd(newFactory(streams, "test", func(string) string { return "" }))
	guardCommands(root)
	walkCommands(root, func(cmd *cobra.Command) {
		if cmd.Runnable() && cmd != root && cmd.Args == nil {
			t.Errorf("%s runs but declares no Args", cmd.CommandPath())
		}
	})
}

// Formats a command cannot print are refused before anything is sent: create -o csv used to
// print the bare secret, which a script expecting a header row would store as one.
func TestUnsupportedOutputFormatsExit2(t *testing.T) {
	createAs := func(format string) string {
		return "Error: create prints table, json or yaml, not " + format + ": use -o json (the row and its secret), or no -o to get the secret alone on stdout\n" + usageLine("apikeys create")
	}
	runTypoCases(t, []typoCase{
		{name: "create csv", args: []string{"create", "CI", "--role", "viewer", "--expires", "30d", "-o", "csv"}, code: 2, stderr: createAs("csv")},
		{name: "create tsv", args: []string{"create", "CI", "--role", "viewer", "--expires", "30d", "--output=tsv"}, code: 2, stderr: createAs("tsv")},
		{name: "create csv from env", env: map[string]string{"APIKEYS_OUTPUT": "csv"}, args: []string{"create"}, code: 2, stderr: createAs("csv")},
	})
}

// Boolean flags read the words their variables read: --sandbox=yes is the sandbox, as
// APIKEYS_SANDBOX=yes is, and a word that is no boolean names the flag and the words.
func TestBooleanFlagsAcceptTheVariablesWords(t *testing.T) {
	runTypoCases(t, []typoCase{
		{name: "sandbox maybe", args: []string{"--sandbox=maybe", "list"}, code: 2,
			stderr: "Error: invalid --sandbox=\"maybe\": " + "use 1/0, true/false, yes/no, on/off or y/n (any case), or give --sandbox alone for true\nRun 'apikeys list --help' for usage.\n"},
		{name: "dry-run yse", args: []string{"delete", "x", "--dry-run=yse"}, code: 2,
			stderr: "Error: invalid --dry-run=\"yse\": " + "use 1/0, true/false, yes/no, on/off or y/n (any case), or give --dry-run alone for true\nRun 'apikeys delete --help' for usage.\n"},
	})

	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", func(string) string { return "" }),
		[]string{"--sandbox=Yes", "list", "--columns", "title", "--no-headers=on", "--expired=off", "--filter", "title~Legacy"})
	if code != 0 || out.String() != "Legacy ETL\n" {
		t.Fatalf("--sandbox=Yes list --no-headers=on: exit %d, stdout %q, stderr %s", code, out.String(), errOut.String())
	}
}

// sandbox reset --keys is bounded by what a key list can read: 100 million keys held a core
// for twenty minutes and could not be interrupted.
func TestSandboxResetKeysBounded(t *testing.T) {
	const bounds = ": give a number of keys from 0 to 1000000 (more could not be listed: a key list stops past 1000000 keys)\n"
	runTypoCases(t, []typoCase{
		{name: "too many", args: []string{"sandbox", "reset", "--keys", "100000000"}, code: 2, stderr: "Error: --keys 100000000" + bounds + usageLine("apikeys sandbox reset")},
		{name: "negative", args: []string{"sandbox", "reset", "--keys", "-1"}, code: 2, stderr: "Error: --keys -1" + bounds + usageLine("apikeys sandbox reset")},
	})
}

// A flag of other commands, not a typo of one of this command's (--jq on sandbox reset,
// --write on list), says which commands take it; a flag no command takes, or a shorthand,
// is pflag's error alone.
func TestFlagOfOtherCommandsSaysWhere(t *testing.T) {
	elsewhere := func(flag, owners, path string) string {
		return "Error: unknown flag: " + flag + "\n" + flag + " is a flag of " + owners + ", not of " + path + "\n" + usageLine(path)
	}
	runTypoCases(t, []typoCase{
		{name: "list --write", args: []string{"list", "--write"}, code: 2, stderr: elsewhere("--write", "apikeys doctor", "apikeys list")},
		{name: "sandbox reset --transfer-to", args: []string{"sandbox", "reset", "--transfer-to", "x"}, code: 2,
			stderr: elsewhere("--transfer-to", "apikeys delete", "apikeys sandbox reset")},
		{name: "show --columns", args: []string{"show", "--columns", "id", "k"}, code: 2, stderr: elsewhere("--columns", "apikeys list", "apikeys show")},
		{name: "list --data", args: []string{"list", "--data", "x"}, code: 2, stderr: elsewhere("--data", "apikeys sandbox", "apikeys list")},
		{name: "sandbox reset --nosuch", args: []string{"sandbox", "reset", "--nosuch"}, code: 2,
			stderr: "Error: unknown flag: --nosuch\n" + usageLine("apikeys sandbox reset")},
		{name: "sandbox reset -q", args: []string{"sandbox", "reset", "-q"}, code: 2,
			stderr: "Error: unknown shorthand flag: 'q' in -q\n" + usageLine("apikeys sandbox reset")},
	})
	// A flag of many commands names four and counts the rest.
	streams, _, _, stderr := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", func(string) string { return "" }), []string{"sandbox", "reset", "--jq", "."})
	errOut := stderr.String()
	if code != 2 || !strings.HasPrefix(errOut, "Error: unknown flag: --jq\n--jq is a flag of apikeys ") || !strings.Contains(errOut, " more, not of apikeys sandbox reset\n") {
		t.Errorf("sandbox reset --jq: exit %d, stderr:\n%s", code, errOut)
	}
}
