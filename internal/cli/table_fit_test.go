package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/deleteplan"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// fitWidths are the terminal widths the fitted tables are pinned at: a narrow terminal, the
// default one, and a wide one that a 97-character title still overflows.
var fitWidths = []int{60, 80, 150}

// longTitle is a 97-character title, which wrapped every row of list at 150 columns.
var longTitle = string([]rune(strings.Repeat("Regional flood model — ", 5))[:97])

// runAt is run on a terminal, without colour, that is width columns wide.
func (e *goldenEnv) runAt(width int, args ...string) goldenRun {
	e.t.Helper()
	streams, _, out, errOut := iostreams.Test()
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	streams.SetWidth(width)
	code := run(context.Background(), e.factory(streams, nil), append([]string{"--config", e.cfg}, args...))
	return goldenRun{args: args, term: tty, code: code, stdout: out.String(), stderr: errOut.String()}
}

// widthText is a golden text whose runs were at width columns: the header says so.
func widthText(e *goldenEnv, width int, runs ...goldenRun) string {
	return fmt.Sprintf("# a terminal %d columns wide\n", width) + e.text(runs...)
}

// TestGoldenTablesFitTheTerminal pins list, members and sandbox resources on terminals 60, 80
// and 150 columns wide, and checks that no line is wider than the terminal.
func TestGoldenTablesFitTheTerminal(t *testing.T) {
	e := newGoldenEnv(t)
	cases := []struct {
		name string
		args []string
	}{
		{"list", []string{"list"}},
		{"members", []string{"members"}},
		{"sandbox-resources", []string{"sandbox", "resources"}},
	}
	for _, w := range fitWidths {
		for _, c := range cases {
			r := e.runAt(w, c.args...)
			checkFits(t, c.name, w, r.stdout)
			checkGolden(t, fmt.Sprintf("fit-%s-%d.txt", c.name, w), widthText(e, w, r))
		}
	}
	if r := e.runAt(80, "create", "--title", longTitle, "--role", "viewer", "--expires", "30d", "--no-copy", "-o", "json"); r.code != 0 {
		t.Fatalf("create: exit %d\n%s", r.code, r.stderr)
	}
	// The sandbox draws the new key's ID at random: a placeholder as wide keeps the columns.
	ids := e.run(piped, nil, "", "list", "-o", "tsv", "--columns", "id,title", "--no-headers")
	for _, line := range strings.Split(ids.stdout, "\n") {
		if id, title, ok := strings.Cut(line, "\t"); ok && title == longTitle {
			e.replace = append(e.replace, id, "$KEY_ID-----------------------------")
		}
	}
	for _, w := range fitWidths {
		r := e.runAt(w, "list", "--filter", "role=viewer")
		checkFits(t, "list of a long title", w, r.stdout)
		if !strings.Contains(r.stdout, "Regional") || strings.Contains(r.stdout, longTitle) || !strings.Contains(r.stdout, "…") {
			t.Errorf("at %d columns the long title is not shortened with …:\n%s", w, r.stdout)
		}
		checkGolden(t, fmt.Sprintf("fit-list-long-title-%d.txt", w), widthText(e, w, r))
	}
	// A pipe keeps every value whole: the 97 characters, on one line.
	if r := e.run(piped, nil, "", "list", "--filter", "role=viewer"); !strings.Contains(r.stdout, longTitle) {
		t.Errorf("piped list lost the whole title:\n%s", r.stdout)
	}
}

// checkFits fails when a line of out is wider than width columns.
func checkFits(t *testing.T, what string, width int, out string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if n := displayWidth(line); n > width {
			t.Errorf("%s at %d columns: a line is %d wide:\n%s", what, width, n, line)
		}
	}
}

// displayWidth counts the columns of a line of the seeds' text: one per rune (they hold no
// wide characters; the ambiguous "—" and "…" are narrow, as hermeticEnv measures them).
func displayWidth(s string) int { return len([]rune(s)) }

// failingDeletes deletes its first key, fails the second with a two-line error and cancels
// the command (a Ctrl-C while it waited), so that the third is never attempted.
type failingDeletes struct {
	cancel context.CancelFunc
	calls  int
}

func (f *failingDeletes) KeyResources(context.Context, string) ([]jmapcloud.Resource, error) {
	return nil, nil
}
func (f *failingDeletes) Members(context.Context) ([]jmapcloud.Member, error) { return nil, nil }
func (f *failingDeletes) DeleteKey(_ context.Context, id, _ string) error {
	f.calls++
	if f.calls == 2 {
		f.cancel()
		return errors.New("the server refused: 409 Conflict\nthe key is locked by a running export")
	}
	return nil
}

// TestGoldenDeleteFailuresFitTheTerminal pins a delete whose second key failed with a
// multi-line error and whose third an interruption left untried: on a terminal each row says
// so in a word (failed, interrupted) and the errors follow the table, whole, on
// stderr; in a pipe the table keeps the error in its cell, one line, as before.
func TestGoldenDeleteFailuresFitTheTerminal(t *testing.T) {
	hermeticEnv(t)
	run := func(width int, term bool) goldenRun {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		api := &failingDeletes{cancel: cancel}
		plan := deleteplan.Plan{
			{ID: "f2d54b46-ab89-43ac-8859-79f2d1cb591d", Title: "Legacy ETL", Action: deleteplan.None},
			{ID: "0e3b9bf1-5721-41d3-8628-9f2672235fef", Title: "Tableau dashboard", Action: deleteplan.None},
			{ID: "586b309e-c64b-444e-91c4-27a663514d1c", Title: "Partner feed — CityData", Action: deleteplan.None},
		}
		deleteplan.Execute(ctx, api, plan)
		streams, _, out, errOut := iostreams.Test()
		if term {
			streams.SetTTY(true, true, true)
			streams.DisableColor()
			streams.SetWidth(width)
		}
		p, err := output.NewPrinter(deleteSpec, output.Table, output.PrinterOptions{Out: streams.Out, TTY: term, Width: streams.TerminalWidth()})
		if err != nil {
			t.Fatal(err)
		}
		rerr := reportOutcome(ctx, p, &deleteOptions{IO: streams}, plan)
		r := goldenRun{args: []string{"delete", "Legacy ETL", "Tableau dashboard", "Partner feed — CityData", "--yes"}, stdout: out.String(), stderr: errOut.String()}
		r.code = exitCode(rerr)
		if term {
			r.term = tty
		}
		return r
	}
	e := &goldenEnv{t: t, root: "\x00no-root", url: "\x00no-url"} // no sandbox: nothing to replace
	for _, w := range fitWidths {
		r := run(w, true)
		checkFits(t, "delete", w, r.stdout)
		if strings.Contains(r.stdout, "409") {
			t.Errorf("at %d columns the error is in the table:\n%s", w, r.stdout)
		}
		checkGolden(t, fmt.Sprintf("fit-delete-failures-%d.txt", w), widthText(e, w, r))
	}
	checkGolden(t, "fit-delete-failures-piped.txt", e.text(run(0, false)))
}

// TestTablesFitInTmux runs list, members and sandbox resources in real terminals (tmux) 60,
// 80 and 150 columns wide, the width read from the terminal itself: no line of the screen is
// wider than the terminal (tmux's capture-pane -J joins a wrapped line back, so a row that
// wrapped shows as a line too wide), and every ID is shown whole.
func TestTablesFitInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	testenv.Require(t, "the go command (to build apikeys)", err == nil)
	tmux, err := exec.LookPath("tmux")
	testenv.Require(t, "tmux", err == nil)
	dir := t.TempDir()
	bin := filepath.Join(dir, "apikeys")
	if out, err := exec.Command(goTool, "build", "-o", bin, "github.com/k2geospatial/apikeys/cmd/apikeys").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "APIKEYS_") && !strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "COLUMNS=") && !strings.HasPrefix(kv, "TMUX") {
			env = append(env, kv)
		}
	}
	env = append(env, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"), "APIKEYS_SANDBOX=1", "APIKEYS_SANDBOX_DATA="+filepath.Join(dir, "sandbox.db"),
		"LANG=C.UTF-8", "NO_COLOR=1", "TERM=xterm")
	for _, width := range fitWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			sock := filepath.Join(dir, fmt.Sprintf("tmux-%d.sock", width))
			tm := func(args ...string) string {
				t.Helper()
				cmd := exec.Command(tmux, append([]string{"-S", sock}, args...)...)
				cmd.Env = env
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("tmux %q: %v\n%s", args, err, out)
				}
				return string(out)
			}
			script := bin + " list; " + bin + " members; " + bin + " sandbox resources; echo TABLES-DONE; sleep 600"
			tm("new-session", "-d", "-x", fmt.Sprint(width), "-y", "100", "-s", "t", "sh -c '"+script+"'")
			t.Cleanup(func() { _ = exec.Command(tmux, "-S", sock, "kill-server").Run() })
			deadline := time.Now().Add(60 * time.Second)
			var screen string
			for {
				screen = tm("capture-pane", "-p", "-J", "-t", "t", "-S", "-")
				if strings.Contains(screen, "TABLES-DONE") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the commands never finished:\n%s", screen)
				}
				time.Sleep(100 * time.Millisecond)
			}
			for _, line := range strings.Split(screen, "\n") {
				if n := displayWidth(strings.TrimRight(line, " ")); n > width {
					t.Errorf("a line is %d wide in a terminal %d wide (it wrapped):\n%s", n, width, line)
				}
			}
			for _, id := range []string{"f2d54b46-ab89-43ac-8859-79f2d1cb591d", "2558263b-82f3-4bde-86c1-a0a56b7b090d", "c1c197c2-3dce-4a73-a7bd-08c15340fcf2"} {
				if !strings.Contains(screen, id) {
					t.Errorf("the ID %s is not shown whole:\n%s", id, screen)
				}
			}
		})
	}
}
