package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt"
)

// An empty or blank --filter is the empty value of a flag, as --title "" is: refused at flag
// time in the same words, on list and delete alike, before anything is opened.
func TestEmptyFilterFlagRefusedAtFlagTime(t *testing.T) {
	empty := func(path string) string {
		return "Error: " + emptyFlagMsg("filter") + "\n" + usageLine(path)
	}
	runTypoCases(t, []typoCase{
		{name: "list empty", args: []string{"list", "--filter", ""}, code: 2, stderr: empty("apikeys list")},
		{name: "list blank", args: []string{"list", "--filter= "}, code: 2, stderr: empty("apikeys list")},
		{name: "list blank after a good one", args: []string{"list", "--filter", "role=editor", "--filter", "  "}, code: 2, stderr: empty("apikeys list")},
		{name: "delete empty", args: []string{"delete", "--filter", "", "--dry-run"}, code: 2, stderr: empty("apikeys delete")},
	})
}

// show "$K" with K unset used to open the session (a login, perhaps: here the test's session
// fails the test) before saying the KEY was empty.
func TestShowEmptyKeyRefusedBeforeTheSession(t *testing.T) {
	const refused = "Error: an empty KEY: give an API key ID or exact title\n"
	runTypoCases(t, []typoCase{
		{name: "empty", args: []string{"show", ""}, code: 2, stderr: refused + usageLine("apikeys show")},
		{name: "blank", args: []string{"show", " \t"}, code: 2, stderr: refused + usageLine("apikeys show")},
		{name: "alias get", args: []string{"get", "", "-o", "json"}, code: 2, stderr: refused + usageLine("apikeys show")},
	})
}

// The rule of the "--help" line: every usage error found before the command opened its
// session or asked a question points at the command's help, whichever check found it
// (flag parsing, the pre-run checks, Args, RunE or the run function); one found after it,
// about what the server holds, does not.
func TestUsageLineFollowsEveryErrorFoundBeforeTheWork(t *testing.T) {
	runTypoCases(t, []typoCase{
		// Found by the run function, before the session: a sort key of list's vocabulary.
		{name: "list unknown sort key", args: []string{"list", "--sort", "name"}, code: 2,
			stderr: "Error: unknown sort key \"name\" (valid: id, title, role, creator, email, created, expires, status; prefix with - for descending)\n" + usageLine("apikeys list")},
		// Found by the run function, before the session: a role create does not know.
		{name: "create unknown role", args: []string{"create", "CI", "--role", "admin", "--expires", "30d"}, code: 2,
			stderr: "Error: unknown role \"admin\" (use editor, éditeur, manager or ORG_EDITOR for editors; viewer, lecteur, user or ORG_VIEWER for viewers)\n" + usageLine("apikeys create")},
		// Found by RunE: create's TITLE.
		{name: "create title twice", args: []string{"create", "a", "--title", "b"}, code: 2,
			stderr: "Error: the title was given twice (\"a\" and --title \"b\"): give one\n" + usageLine("apikeys create")},
		// Found by the pre-run checks: a contradiction.
		{name: "delete contradiction", args: []string{"delete", "CI", "--transfer-to", "erin@acme.example", "--no-transfer"}, code: 2,
			stderr: "Error: --transfer-to and --no-transfer contradict each other: give one\n" + usageLine("apikeys delete")},
		// A typed -o that is no format is refused by commands that print nothing, too.
		{name: "sandbox reset unknown output", args: []string{"sandbox", "reset", "-o", "xml"}, code: 2,
			stderr: "Error: unknown output format \"xml\" (valid: table, json, yaml, csv, tsv)\n" + usageLine("apikeys sandbox reset")},
		{name: "auth logout unknown output", args: []string{"auth", "logout", "-o", "xml"}, code: 2,
			stderr: "Error: unknown output format \"xml\" (valid: table, json, yaml, csv, tsv)\n" + usageLine("apikeys auth logout")},
		// auth login refuses its command line before it has credentials: no request yet.
		{name: "login password-stdin without username", args: []string{"auth", "login", "--api-url", "http://127.0.0.1:9", "--password-stdin"}, code: 2,
			stderr: "Error: --password-stdin needs --username EMAIL: standard input carries the password, so nothing can be asked\n" + usageLine("apikeys auth login")},
		{name: "login without a terminal", args: []string{"auth", "login", "--api-url", "http://127.0.0.1:9"}, code: 2,
			stderr: "Error: cannot ask for the login without a terminal: pass --username and --password-stdin (the password on standard input), or set APIKEYS_USERNAME and APIKEYS_PASSWORD\n" + usageLine("apikeys auth login")},
		{name: "login to plain http", args: []string{"auth", "login", "--api-url", "http://example.com", "--username", "a@b.example", "--password-stdin"}, code: 2,
			stderr: "Error: refusing API URL \"http://example.com\": use https (plain http is allowed only for a loopback address such as a local sandbox)\n" + usageLine("apikeys auth login")},
	})

	// Found after the session was opened: two keys of the sandbox share a title.
	ts := newTestSandbox(t)
	code, out, errOut := ts.run("show", "Power BI connector")
	if code != exitUsage || out != "" || !strings.HasPrefix(errOut, "Error: 2 API keys are titled \"Power BI connector\"; name one by ID:\n") || strings.Contains(errOut, "--help") {
		t.Errorf("show of an ambiguous title: exit %d, stdout %q, stderr:\n%s\nwant exit 2, the matches, and no --help line", code, out, errOut)
	}
}

// The prompter counts as the work beginning, as the session does, whatever a test put in
// the factory: trackWork wraps both.
func TestTrackWorkRecordsThePrompterAndTheSession(t *testing.T) {
	for _, use := range []string{"prompter", "session"} {
		streams, _, _, _ := iostreams.Test()
		f := newFactory(streams, "test", func(string) string { return "" })
		f.Prompter = func() prompt.Prompter { return noTerminal{} }
		f.Session = func(context.Context) (*Session, error) { return nil, errCancelled }
		trackWork(f)
		if f.work.begun.Load() {
			t.Fatalf("%s: begun before anything was used", use)
		}
		if use == "prompter" {
			f.Prompter()
		} else {
			_, _ = f.Session(context.Background())
		}
		if !f.work.begun.Load() {
			t.Errorf("using the %s did not begin the work", use)
		}
	}
}

// A command without subcommands that takes no arguments says so, with what the arguments
// were probably meant as when that is plain; a command group still calls a word it does not
// know an unknown command and suggests the near ones (TestUnknownCommandsAndArgumentCountsExit2).
func TestStrayArgumentsSayTheCommandTakesNone(t *testing.T) {
	takesNone := func(path, got string) string {
		return "Error: " + path + " takes no arguments, got " + got + "\n"
	}
	runTypoCases(t, []typoCase{
		{name: "list a title unquoted", args: []string{"list", "CI", "deploy"}, code: 2,
			stderr: takesNone("apikeys list", `"CI", "deploy"`) +
				"to list the keys whose title contains it: apikeys list --filter 'title~CI deploy'\nto see one key: apikeys show 'CI deploy'\n" + usageLine("apikeys list")},
		{name: "list filters without --filter", args: []string{"list", "role=editor", "expires<30d"}, code: 2,
			stderr: takesNone("apikeys list", `"role=editor", "expires<30d"`) +
				"to filter the keys, give each filter with --filter: apikeys list --filter role=editor --filter 'expires<30d'\n" + usageLine("apikeys list")},
		{name: "list a flag without its dashes", args: []string{"ls", "expired"}, code: 2,
			stderr: takesNone("apikeys list", `"expired"`) + "did you mean --expired?\n" + usageLine("apikeys list")},
		{name: "members a role", args: []string{"members", "Editor"}, code: 2,
			stderr: takesNone("apikeys members", `"Editor"`) + "to list the members holding a role: apikeys members --role Editor\n" + usageLine("apikeys members")},
		{name: "members a name", args: []string{"members", "bob"}, code: 2,
			stderr: takesNone("apikeys members", `"bob"`) + usageLine("apikeys members")},
		{name: "auth status", args: []string{"auth", "status", "qa"}, code: 2,
			stderr: takesNone("apikeys auth status", `"qa"`) + usageLine("apikeys auth status")},
		{name: "sandbox reset", args: []string{"sandbox", "reset", "10"}, code: 2,
			stderr: takesNone("apikeys sandbox reset", `"10"`) + usageLine("apikeys sandbox reset")},
		{name: "a help topic", args: []string{"exit-codes", "5"}, code: 2,
			stderr: takesNone("apikeys exit-codes", `"5"`) + usageLine("apikeys exit-codes")},
	})
}

// The comma lists of list: an empty item (an unset variable in "$A,id", a doubled comma) and
// names separated by spaces are refused before anything is opened, with the list as it was
// probably meant; spaces after the commas are fine.
func TestListNameListsRefuseEmptyItemsAndSpaces(t *testing.T) {
	runTypoCases(t, []typoCase{
		{name: "columns doubled comma", args: []string{"list", "--columns", "title,,id"}, code: 2,
			stderr: "Error: invalid --columns \"title,,id\": an empty name in the list (an unset shell variable?): write --columns title,id\n" + usageLine("apikeys list")},
		{name: "columns trailing comma", args: []string{"list", "--columns=title,"}, code: 2,
			stderr: "Error: invalid --columns \"title,\": an empty name in the list (an unset shell variable?): write --columns title\n" + usageLine("apikeys list")},
		{name: "columns only a comma", args: []string{"list", "--columns", ","}, code: 2,
			stderr: "Error: invalid --columns \",\": no name in it (an unset shell variable?): give names separated by commas\n" + usageLine("apikeys list")},
		{name: "sort with spaces", args: []string{"list", "--sort", "title expires"}, code: 2,
			stderr: "Error: invalid --sort \"title expires\": separate the names with commas, not spaces: write --sort title,expires\n" + usageLine("apikeys list")},
		{name: "hide with spaces", args: []string{"list", "--hide", "email creator"}, code: 2,
			stderr: "Error: invalid --hide \"email creator\": separate the names with commas, not spaces: write --hide email,creator\n" + usageLine("apikeys list")},
	})
}

// An unknown flag names the flag of the command that was probably meant: up to case and
// underscores, two edits away, or a long flag given one dash (which pflag reads as
// shorthands). Far from every flag, or a lone shorthand, it is left as pflag says it.
func TestUnknownFlagsSuggestTheFlagMeant(t *testing.T) {
	unknown := func(msg, meant, path string) string {
		if meant != "" {
			meant = "did you mean --" + meant + "?\n"
		}
		return "Error: " + msg + "\n" + meant + usageLine(path)
	}
	runTypoCases(t, []typoCase{
		{name: "a letter missing", args: []string{"list", "--colums", "title"}, code: 2, stderr: unknown("unknown flag: --colums", "columns", "apikeys list")},
		{name: "singular", args: []string{"list", "--no-header"}, code: 2, stderr: unknown("unknown flag: --no-header", "no-headers", "apikeys list")},
		{name: "underscore", args: []string{"show", "x", "--copy_email"}, code: 2, stderr: unknown("unknown flag: --copy_email", "copy-email", "apikeys show")},
		{name: "capital", args: []string{"list", "--Expired"}, code: 2, stderr: unknown("unknown flag: --Expired", "expired", "apikeys list")},
		{name: "a global flag", args: []string{"list", "--sandobx"}, code: 2, stderr: unknown("unknown flag: --sandobx", "sandbox", "apikeys list")},
		{name: "one dash", args: []string{"members", "-role", "editor"}, code: 2, stderr: unknown("unknown shorthand flag: 'r' in -role", "role", "apikeys members")},
		{name: "one dash with a value", args: []string{"delete", "x", "-transfer-to=erin@acme.example"}, code: 2,
			stderr: unknown("unknown shorthand flag: 't' in -transfer-to=erin@acme.example", "transfer-to", "apikeys delete")},
		{name: "far from every flag", args: []string{"list", "--bogus"}, code: 2, stderr: unknown("unknown flag: --bogus", "", "apikeys list")},
		{name: "a lone shorthand", args: []string{"list", "-c", "id"}, code: 2, stderr: unknown("unknown shorthand flag: 'c' in -c", "", "apikeys list")},
	})
}

// A usage error about a configuration file names the file and the fix: no command's help
// explains it, so no --help line follows it.
func TestFileErrorsHaveNoUsageLine(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(broken, []byte("profiles: [unclosed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	streams, _, out, errOut := iostreams.Test()
	f := newFactory(streams, "test", func(string) string { return "" })
	code := run(context.Background(), f, []string{"--config", broken, "list"})
	if code != exitUsage || out.Len() != 0 || !strings.HasPrefix(errOut.String(), "Error: ") || !strings.Contains(errOut.String(), broken) || strings.Contains(errOut.String(), "--help") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 naming %s, without a --help line", code, errOut.String(), broken)
	}
}
