package cli

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// ptyRunOwnPrompter runs one command line in a real pseudo-terminal with the prompter the
// CLI makes for its streams (colour as the settings say), not one given by the test.
func ptyRunOwnPrompter(t *testing.T, ts *testSandbox, c *ptytest.Console, args ...string) func() int {
	tty := c.Tty()
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	f := ts.factory(streams, nil)
	var code int
	wait := c.Go(func() { code = run(context.Background(), f, args) })
	return func() int { wait(); return code }
}

// screenLines is the emulated screen's first n lines, without their trailing blanks.
func screenLines(c *ptytest.Console, n int) []string {
	lines := strings.Split(c.Screen(), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// create's prompts at 60 columns: each question, its answer and each rejection stay on one
// line, so survey's redraws leave every earlier line as it was, and a rejected expiry is
// told with examples that are valid answers.
func TestCreatePromptsFitSixtyColumns(t *testing.T) {
	ts := newTestSandbox(t)
	c := ptytest.New(t, ptytest.WithSize(60, 24))
	wait := ptyRun(t, ts, c, "create", "--no-copy")
	c.ExpectString("Title:")
	c.Send("Nightly backup of the GeoServer data dir" + ptytest.KeyEnter)
	c.ExpectString("Role:")
	c.Send(ptytest.KeyEnter)
	c.ExpectString("Expires")
	c.Send("yesterday-ish" + ptytest.KeyEnter)
	c.ExpectString(`X "yesterday-i…" is not a date: use YYYY-MM-DD, 30d or 1y`)
	c.ExpectString("Expires")
	c.Send("2020-01-01" + ptytest.KeyEnter)
	c.ExpectString(`X "2020-01-01" is in the past: give a later date, or 30d`)
	c.ExpectString("Expires")
	c.Send("2099-05-01" + ptytest.KeyEnter)
	c.ExpectString("shown only once")
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	want := []string{
		`? Title: Nightly backup of the GeoServer data dir`,
		`? Role: Viewer`,
		`X "2020-01-01" is in the past: give a later date, or 30d`,
		`? Expires (YYYY-MM-DD, 30d, 1y): 2099-05-01`,
		`Created API key "Nightly backup of the GeoServer data dir"`,
	}
	if got := screenLines(c, len(want)); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rows := ts.listJSON(t, "--filter", "title=Nightly backup of the GeoServer data dir")
	if len(rows) != 1 || rows[0].Role != "viewer" || rows[0].Expires.Format("2006-01-02") != "2099-05-01" {
		t.Fatalf("created %+v", rows)
	}
}

// Ctrl-D at any prompt cancels the command (exit 3) and changes nothing, where survey alone
// took it for Enter: the expiry's default 90d, the preselected role, the first Editor.
func TestPromptCtrlDCancelsTheCommand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		before func(c *ptytest.Console)
	}{
		{"create, at the title", []string{"create", "--role", "viewer", "--expires", "30d", "--no-copy"}, func(c *ptytest.Console) {
			c.ExpectString("Title:")
		}},
		{"create, at the role", []string{"create", "x", "--expires", "30d", "--no-copy"}, func(c *ptytest.Console) {
			c.ExpectString("Viewer")
		}},
		{"create, at the expiry with a default", []string{"create", "x", "--role", "viewer", "--no-copy"}, func(c *ptytest.Console) {
			c.ExpectString("(90d)")
		}},
		{"delete, at the Editor picker", []string{"delete", "Drone imagery upload"}, func(c *ptytest.Console) {
			c.ExpectString("nobody — delete the resources")
		}},
		{"delete, at the confirmation", []string{"delete", "Field app — Android"}, func(c *ptytest.Console) {
			c.ExpectString("cannot be undone")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestSandbox(t)
			before := ts.state()
			c := ptytest.New(t)
			wait := ptyRun(t, ts, c, tc.args...)
			tc.before(c)
			c.Send(ptytest.KeyCtrlD)
			c.ExpectString("Error: cancelled at the prompt: nothing was changed\r\n")
			if code := wait(); code != exitCancelled {
				t.Fatalf("exit %d, want 3\n%s", code, c.Screen())
			}
			if ts.state() != before {
				t.Fatal("a create or delete cancelled by Ctrl-D changed the sandbox")
			}
			// The error has a line of its own, not the end of the prompt's.
			if !slices.Contains(screenLines(c, 24), "Error: cancelled at the prompt: nothing was changed") {
				t.Fatalf("no screen line is the error alone:\n%s", c.Screen())
			}
		})
	}
}

// sgrSequence is a colour sequence (Select Graphic Rendition).
var sgrSequence = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// --no-color and APIKEYS_NO_COLOR take the colour out of prompts too, as NO_COLOR does.
func TestPromptsWithoutColour(t *testing.T) {
	for _, tc := range []struct {
		name      string
		env       string // APIKEYS_NO_COLOR
		flags     []string
		wantColor bool
	}{
		{name: "in colour by default", wantColor: true},
		{name: "--no-color", flags: []string{"--no-color"}},
		{name: "APIKEYS_NO_COLOR", env: "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("APIKEYS_NO_COLOR", tc.env)
			}
			ts := newTestSandbox(t)
			c := ptytest.New(t)
			args := append(append([]string{}, tc.flags...), "create", "x", "--no-copy")
			wait := ptyRunOwnPrompter(t, ts, c, args...)
			c.ExpectString("Viewer")
			c.Send(ptytest.KeyEnter)
			c.ExpectString("(90d)")
			c.Send(ptytest.KeyCtrlC)
			if code := wait(); code != exitCancelled {
				t.Fatalf("exit %d, want 3\n%s", code, c.Screen())
			}
			if colored := sgrSequence.MatchString(c.Output()); colored != tc.wantColor {
				t.Fatalf("colour sequences drawn: %v, want %v\n%q", colored, tc.wantColor, c.Output())
			}
			want := []string{"? Role: Viewer", "? Expires (YYYY-MM-DD, 30d, 1y): (90d)"}
			if got := screenLines(c, len(want)); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// APIKEYS_PROMPT_DISABLED on a terminal: the refusals say that prompts are disabled, not
// that there is no terminal, and still name the flags to pass.
func TestPromptDisabledOnATerminalSaysSo(t *testing.T) {
	ts := newTestSandbox(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"create"}, "Error: missing --title (or a TITLE argument), --role, --expires: prompts are disabled (APIKEYS_PROMPT_DISABLED), so pass --title (or a TITLE argument) and --role and --expires\n" +
			"Run 'apikeys create --help' for usage.\n"},
		{[]string{"delete", "Field app — Android"}, "Error: deleting API keys is irreversible and prompts are disabled (APIKEYS_PROMPT_DISABLED), so it cannot be confirmed: pass --yes (and --transfer-to MEMBER or --no-transfer for keys that own resources), or --dry-run to see the plan\n" +
			"Run 'apikeys delete --help' for usage.\n"},
		{[]string{"auth", "login"}, "Error: prompts are disabled (APIKEYS_PROMPT_DISABLED), so the login cannot be asked for: pass --username and --password-stdin (the password on standard input), or set APIKEYS_USERNAME and APIKEYS_PASSWORD\n" +
			"Run 'apikeys auth login --help' for usage.\n"},
		{[]string{"delete", "CI pipeline", "--yes"}, "Error: the key owns resources and prompts are disabled (APIKEYS_PROMPT_DISABLED), so nobody can choose who inherits them: pass --transfer-to MEMBER (an Editor: admin@acme.example, eddie@acme.example, erin@acme.example, ops@acme.example) or --no-transfer\n"},
	} {
		streams, _, out, errOut := iostreams.Test()
		streams.SetTTY(true, true, true)
		streams.SetPromptDisabled(true)
		code := run(context.Background(), ts.factory(streams, nil), tc.args)
		if code != exitUsage || out.Len() != 0 || errOut.String() != tc.want {
			t.Errorf("%q: exit %d, stdout %q, stderr:\n%s\nwant exit 2, stderr:\n%s", tc.args, code, out.String(), errOut.String(), tc.want)
		}
	}
}

// An unreadable --expires is told with examples of valid expiries: none in the past, as the
// filters' "-7d" would be.
func TestCreateExpiresErrorGivesValidExamples(t *testing.T) {
	ts := newTestSandbox(t)
	code, out, errOut := ts.run("create", "x", "--role", "viewer", "--expires", "soon")
	want := `Error: invalid --expires: "soon" is not a date (use YYYY-MM-DD, RFC 3339, or a duration from now like 30d, 12w, 1y)` + "\n" +
		"Run 'apikeys create --help' for usage.\n"
	if code != exitUsage || out != "" || errOut != want {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s\nwant exit 2, stderr:\n%s", code, out, errOut, want)
	}
}
