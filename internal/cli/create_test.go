package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// The create prompts in a real terminal: type a title, pick a role with the arrow keys, give an
// invalid date, then a valid one.
func TestCreatePromptsOnATerminal(t *testing.T) {
	ts := newTestSandbox(t)
	c := ptytest.New(t, ptytest.WithSize(160, 40))
	wait := ptyRun(t, ts, c, "create", "--no-copy")
	c.ExpectString("Title:")
	c.Send("Made in a pty" + ptytest.KeyEnter)
	c.ExpectString("Role:")
	c.Send(ptytest.KeyUp) // from the preselected Viewer up to Editor
	c.Send(ptytest.KeyEnter)
	c.ExpectString("Expires")
	c.Send("yesterday-ish" + ptytest.KeyEnter)
	c.ExpectString("not a date")
	// survey keeps the rejected text in the line: erase it before typing the good one.
	c.Send(strings.Repeat(ptytest.KeyBackspace, len("yesterday-ish")) + "2099-05-01" + ptytest.KeyEnter)
	c.ExpectString("shown only once")
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	rows := ts.listJSON(t, "--filter", "title=Made in a pty")
	if len(rows) != 1 || rows[0].Role != "editor" || rows[0].Expires.Format("2006-01-02") != "2099-05-01" {
		t.Fatalf("created %+v", rows)
	}
	if !strings.Contains(c.Output(), "Secret:") {
		t.Fatal("the terminal panel shows no secret")
	}
}

func TestCreatePromptCtrlCCreatesNothing(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	c := ptytest.New(t)
	wait := ptyRun(t, ts, c, "create", "--role", "viewer", "--no-copy")
	c.ExpectString("Title:")
	c.Send(ptytest.KeyCtrlC)
	if code := wait(); code != exitCancelled {
		t.Fatalf("exit %d, want 3", code)
	}
	if ts.state() != before {
		t.Fatal("a cancelled create changed the sandbox")
	}
}

func TestCreateSecretFile(t *testing.T) {
	ts := newTestSandbox(t)
	path := filepath.Join(t.TempDir(), "new.key")
	code, out, errOut := ts.run("create", "to-file", "--role", "viewer", "--expires", "1w", "--secret-file", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimSpace(string(data))
	if len(secret) < 20 || strings.Contains(out, secret) || strings.Contains(errOut, secret) {
		t.Fatalf("the secret must be in the file only (stdout %q)", out)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode %v, want 0600", fi.Mode().Perm())
	}
	// Never overwrites, and a refused path costs no key.
	before := ts.state()
	code, _, errOut = ts.run("create", "again", "--role", "viewer", "--expires", "1w", "--secret-file", path)
	if code != exitUsage || !strings.Contains(errOut, "already exists") {
		t.Fatalf("overwrite: exit %d: %s", code, errOut)
	}
	if got, _ := os.ReadFile(path); string(got) != string(data) {
		t.Fatal("the secret file was overwritten")
	}
	if ts.state() != before {
		t.Fatal("a refused secret file still created a key")
	}
	// JSON names the file, not the secret.
	path2 := filepath.Join(t.TempDir(), "json.key")
	code, out, _ = ts.run("create", "json-file", "--role", "editor", "--expires", "2d", "--secret-file", path2, "-o", "json")
	var row map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &row) != nil || row["secretFile"] != path2 || row["secret"] != nil {
		t.Fatalf("json with --secret-file: %s", out)
	}
}

func TestCreateValidation(t *testing.T) {
	ts := newTestSandbox(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"x", "--role", "owner", "--expires", "1d"}, "editor"},
		{[]string{"x", "--role", "viewer", "--expires", "2001-01-01"}, "past"},
		{[]string{"x", "--role", "viewer", "--expires", "-3d"}, "past"},
		{[]string{"x", "--role", "viewer", "--expires", "soon"}, "soon"},
		{[]string{"x", "--title", "y", "--role", "viewer", "--expires", "1d"}, "twice"},
		{[]string{strings.Repeat("t", 101), "--role", "viewer", "--expires", "1d"}, "at most 100"},
		{[]string{"  ", "--role", "viewer", "--expires", "1d"}, "an empty TITLE"},
		{[]string{"x", "--role", "viewer", "--expires", "1d", "--copy", "--no-copy"}, "contradict"},
		{[]string{"x", "--role", "viewer", "--expires", "1d", "--clear-after", "later"}, "later"},
	}
	before := ts.state()
	for _, tt := range tests {
		code, out, errOut := ts.run(append([]string{"create"}, tt.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("create %v: exit %d, stdout %q, stderr %q (want %q)", tt.args, code, out, errOut, tt.want)
		}
	}
	if ts.state() != before {
		t.Fatal("invalid creates changed the sandbox")
	}
	// Role aliases, any case.
	for alias, want := range map[string]string{"Manager": "editor", "ORG_EDITOR": "editor", "user": "viewer", "org_viewer": "viewer"} {
		code, out, errOut := ts.run("create", "alias "+alias, "--role", alias, "--expires", time.Now().AddDate(0, 0, 3).Format("2006-01-02"), "-o", "json")
		var row map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &row) != nil || row["role"] != want {
			t.Errorf("--role %s: exit %d %s %s", alias, code, out, errOut)
		}
	}
}

// A create or delete forgets the cached key lists, so the next TAB shows the change.
func TestCreateAndDeleteForgetTheCompletionCache(t *testing.T) {
	ts := newTestSandbox(t)
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	cached := func() int {
		m, _ := filepath.Glob(filepath.Join(cacheDir, "apikeys", "completion", "keys-*"))
		return len(m)
	}
	for _, step := range [][]string{
		{"create", "fresh", "--role", "viewer", "--expires", "2d"},
		{"delete", "fresh", "--yes"},
	} {
		if code, out, errOut := ts.run("__complete", "show", ""); code != 0 || !strings.Contains(out, "GeoServer sync") {
			t.Fatalf("completion: exit %d: %s %s", code, out, errOut)
		}
		if cached() == 0 {
			t.Fatal("completion cached no key list: the test proves nothing")
		}
		if code, _, errOut := ts.run(step...); code != 0 {
			t.Fatalf("%v: %s", step, errOut)
		}
		if n := cached(); n != 0 {
			t.Fatalf("%v left %d cached key lists", step, n)
		}
	}
}

// rootWith is the command tree with cmd in place of the command of the same name, so a test
// can run cmd with a runF through the real root flags and hooks.
func rootWith(f *Factory, cmd *cobra.Command) *cobra.Command {
	root := newRootCmd(f)
	for _, c := range root.Commands() {
		if c.Name() == cmd.Name() {
			root.RemoveCommand(c)
		}
	}
	root.AddCommand(cmd)
	return root
}

// create's flag/terminal matrix: what reaches the run function, and what RunE refuses before
// any I/O (a format create cannot print, missing values with no terminal to ask on), so that
// run never starts for those.
func TestNewCmdCreateRefusesBeforeAnyIO(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	tests := []struct {
		name      string
		args      []string
		canPrompt bool
		wantErr   string
		wantTitle string
	}{
		{name: "all flags", args: []string{"CI", "--role", "viewer", "--expires", "30d"}, wantTitle: "CI"},
		{name: "title flag", args: []string{"--title", "CI", "--role", "viewer", "--expires", "30d", "-o", "json"}, wantTitle: "CI"},
		{name: "missing, no terminal", args: []string{"CI"}, wantErr: "missing --role, --expires: no terminal to ask on, so pass --role and --expires"},
		{name: "missing, terminal", args: []string{}, canPrompt: true},
		{name: "csv", args: []string{"CI", "--role", "viewer", "--expires", "30d", "-o", "csv"}, canPrompt: true,
			wantErr: "create prints table, json or yaml, not csv: use -o json (the row and its secret), or no -o to get the secret alone on stdout"},
		{name: "tsv before missing", args: []string{"-o", "tsv"},
			wantErr: "create prints table, json or yaml, not tsv: use -o json (the row and its secret), or no -o to get the secret alone on stdout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streams, _, out, errOut := iostreams.Test()
			streams.SetTTY(tt.canPrompt, tt.canPrompt, tt.canPrompt)
			f := newFactory(streams, "test", func(string) string { return "" })
			var got *createOptions
			root := rootWith(f, newCreateCmd(f, func(_ context.Context, o *createOptions) error { got = o; return nil }))
			root.SetArgs(append([]string{"create"}, tt.args...))
			root.SetOut(out)
			root.SetErr(errOut)
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || got != nil {
					t.Fatalf("err %v, run called %v; want %q and no run", err, got != nil, tt.wantErr)
				}
				if exitCode(err) != exitUsage {
					t.Fatalf("exit %d, want 2", exitCode(err))
				}
				return
			}
			if err != nil || got == nil || got.Title != tt.wantTitle {
				t.Fatalf("err %v, options %+v; want a run with title %q", err, got, tt.wantTitle)
			}
		})
	}
}
