package cli

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
)

// flagRow is one row of a TestNewCmdX matrix: a command line, the terminals and environment
// it runs with, and either the options its runF must receive or the error it must end with
// before runF is called.
type flagRow[O any] struct {
	name string
	argv []string          // the whole command line, command name first
	tty  bool              // stdin, stdout and stderr are terminals
	env  map[string]string // APIKEYS_ variables, set for the row only

	want O // the flag-derived fields of the options runF received

	// format, when set, is what the options' Format gives in runF: a format's name, or
	// "error: " and the error's message.
	format string

	err  string       // the exact error; runF must not have been called
	kind errkind.Kind // the error's kind
	code int          // the error's exit code, through exitCode
}

// cmdUnderTest builds the command under test on f, with runF as its run function, and says
// where it goes in the tree: parent is the path of its parent below the root ("auth").
type cmdUnderTest[O any] struct {
	parent []string
	build  func(f *Factory, runF func(context.Context, *O) error) *cobra.Command
	// flagFields is a copy of the options without their injected dependencies (streams,
	// API openers, clocks, prompter): the fields the flags and arguments set.
	flagFields func(O) O
	format     func(*O) func() (output.Format, error)
}

// testNewCmd runs each row through the real command tree (the root's flags, pre-run, flag
// error function, boolean words and argument guards), with the command under test in place
// of the one newRootCmd builds, whose runF is nil. An error row is also run through run,
// with the tree exactly as shipped, to show the error comes before any run function.
func testNewCmd[O any](t *testing.T, c cmdUnderTest[O], rows []flagRow[O]) {
	t.Helper()
	if len(rows) == 0 {
		t.Fatal("a flag matrix without rows pins nothing")
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			isolateConfig(t, row.env)
			streams, _, out, errOut := iostreams.Test()
			streams.SetTTY(row.tty, row.tty, row.tty)
			f := noSessionFactory(t, streams, row.env)

			var got *O
			var gotFormat string
			runF := func(_ context.Context, opts *O) error {
				if got != nil {
					t.Error("runF called twice")
				}
				got = opts
				if c.format != nil {
					gotFormat = formatResult(c.format(opts)())
				}
				return nil
			}
			err := executeWith(f, c.parent, c.build(f, runF), row.argv)

			if row.err != "" {
				if err == nil || err.Error() != row.err {
					t.Fatalf("apikeys %q: error %v\nwant %q", row.argv, err, row.err)
				}
				if k := kindOf(err); k != row.kind {
					t.Errorf("apikeys %q: kind %v, want %v", row.argv, k, row.kind)
				}
				if code := exitCode(err); code != row.code {
					t.Errorf("apikeys %q: exit %d, want %d", row.argv, code, row.code)
				}
				if got != nil {
					t.Errorf("apikeys %q: runF was called with %+v", row.argv, c.flagFields(*got))
				}
				checkShippedTree(t, row, c.parent)
				return
			}
			if err != nil {
				t.Fatalf("apikeys %q: %v", row.argv, err)
			}
			if got == nil {
				t.Fatalf("apikeys %q: runF was not called", row.argv)
			}
			if fields := c.flagFields(*got); !reflect.DeepEqual(fields, row.want) {
				t.Errorf("apikeys %q: options\n%#v\nwant\n%#v", row.argv, fields, row.want)
			}
			if row.format != "" && gotFormat != row.format {
				t.Errorf("apikeys %q: format %q, want %q", row.argv, gotFormat, row.format)
			}
			if out.Len() != 0 || errOut.Len() != 0 {
				t.Errorf("apikeys %q: printed before the run: stdout %q, stderr %q", row.argv, out.String(), errOut.String())
			}
		})
	}
}

// checkShippedTree runs an error row as cli.Main would, on the tree newRootCmd builds: the
// same exit code, and the error first on stderr.
func checkShippedTree[O any](t *testing.T, row flagRow[O], parent []string) {
	t.Helper()
	streams, _, out, errOut := iostreams.Test()
	streams.SetTTY(row.tty, row.tty, row.tty)
	f := noSessionFactory(t, streams, row.env)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	argv := append(append([]string(nil), parent...), row.argv...)
	code := run(ctx, f, argv)
	if first := "Error: " + displayError(errorOf(row.err)) + "\n"; code != row.code || out.Len() != 0 || !strings.HasPrefix(errOut.String(), first) {
		t.Errorf("shipped tree, apikeys %q: exit %d, stdout %q, stderr %q\nwant exit %d, stderr starting %q", argv, code, out.String(), errOut.String(), row.code, first)
	}
}

type errorOf string

func (e errorOf) Error() string { return string(e) }

// isolateConfig points the configuration, state and cache at an empty directory and sets env.
func isolateConfig(t *testing.T, env map[string]string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// noSessionFactory is a factory whose session, prompter and clipboard fail the test if used:
// nothing a command line decides at flag time needs them.
func noSessionFactory(t *testing.T, streams *iostreams.IOStreams, env map[string]string) *Factory {
	t.Helper()
	f := newFactory(streams, "test", func(k string) string { return env[k] })
	f.Session = func(context.Context) (*Session, error) {
		t.Error("a session was opened")
		return nil, errCancelled
	}
	f.Clipboard = &fakeClipboard{}
	return f
}

// executeWith executes argv on the root command with cmd in place of the command of the same
// name under parent, wired as run wires the tree (without run's reporting of the error).
func executeWith(f *Factory, parent []string, cmd *cobra.Command, argv []string) error {
	root := newRootCmd(f)
	at := root
	for _, name := range parent {
		for _, c := range at.Commands() {
			if c.Name() == name {
				at = c
			}
		}
	}
	for _, c := range at.Commands() {
		if c.Name() == cmd.Name() {
			at.RemoveCommand(c)
		}
	}
	at.AddCommand(cmd)
	acceptBoolWords(root)
	guard := guardCommands(root)
	root.SetArgs(append(append([]string(nil), parent...), argv...))
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := root.ExecuteContextC(ctx)
	if err == nil {
		err = guard.err
	}
	return err
}

func formatResult(fmtKind output.Format, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return string(fmtKind)
}

// Messages the matrices share.
const (
	msgBoolWords = "use 1/0, true/false, yes/no, on/off or y/n (any case)"
)

// strayArgMsg is the error of an argument given to a command that takes none, without a hint.
func strayArgMsg(arg, path string) string {
	return path + " takes no arguments, got \"" + arg + "\""
}

func emptyFlagMsg(name string) string {
	return "--" + name + " was given an empty value (an unset shell variable?): give a value, or leave the flag out"
}

func invalidBoolMsg(name, value string) string {
	return "invalid --" + name + "=\"" + value + "\": " + msgBoolWords + ", or give --" + name + " alone for true"
}

const msgNotADuration = "not a duration (use a number and a unit: ms, s, min, h, d (days), w (weeks), y (365 days); e.g. 45s, 10min, 12h, 30d, 1h30min)"

// path is the command path of the command under test ("apikeys auth login").
func (c cmdUnderTest[O]) path(f *Factory) string {
	return strings.Join(append(append([]string{"apikeys"}, c.parent...), c.build(f, nil).Name()), " ")
}

// Every command that runs has a TestNewCmdX matrix through runF: a command added to the tree
// without one fails here. Cobra's own help and completion commands are not ours to test.
func TestEveryCommandHasAFlagMatrix(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	f := newFactory(streams, "test", func(string) string { return "" })
	tested := map[string]bool{}
	for _, p := range []string{
		listUnderTest.path(f), createUnderTest.path(f), showUnderTest.path(f), deleteUnderTest.path(f),
		membersUnderTest.path(f), doctorUnderTest.path(f),
		authLoginUnderTest.path(f), authLogoutUnderTest.path(f), authStatusUnderTest.path(f),
		sandboxServeUnderTest.path(f), sandboxResetUnderTest.path(f), sandboxInfoUnderTest.path(f), sandboxResourcesUnderTest.path(f),
		versionUnderTest.path(f), clearClipboardUnderTest.path(f),
	} {
		tested[p] = true
	}
	root := newRootCmd(f)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		path := c.CommandPath()
		if !c.Runnable() || c.Name() == "help" || strings.HasPrefix(path, "apikeys completion") {
			return
		}
		if !tested[path] {
			t.Errorf("%s runs, but has no flag matrix through runF (a cmdUnderTest and a TestNewCmd)", path)
		}
		delete(tested, path)
	}
	walk(root)
	for p := range tested {
		t.Errorf("%s has a flag matrix but is not in the tree", p)
	}
}
