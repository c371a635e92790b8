package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/deleteplan"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// ptyRun runs one command line in a real pseudo-terminal and returns a wait for its code.
func ptyRun(t *testing.T, ts *testSandbox, c *ptytest.Console, args ...string) func() int {
	tty := c.Tty()
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	f := ts.factory(streams, prompt.NewSurvey(tty, tty, tty))
	var code int
	wait := c.Go(func() { code = run(context.Background(), f, args) })
	return func() int { wait(); return code }
}

func TestDeleteInteractiveTransferToSecondEditor(t *testing.T) {
	ts := newTestSandbox(t)
	keyID := ts.keyID("GeoServer sync")
	owned := ts.resourcesOf(keyID)
	if len(owned) == 0 {
		t.Fatal("the seeded key owns nothing")
	}
	c := ptytest.New(t)
	wait := ptyRun(t, ts, c, "delete", "GeoServer sync")
	c.ExpectString("Hydrography (PostGIS)")
	c.ExpectString("Who inherits the resources?")
	// Editors by name: Ada Admin, Eddie Editor, Erin Editor, Oscar Ops; the second is Eddie.
	c.Send(ptytest.KeyDown)
	c.Send(ptytest.KeyEnter)
	c.ExpectString("resources will move to Eddie Editor (eddie@acme.example)")
	c.ExpectString("cannot be undone")
	c.Send("y" + ptytest.KeyEnter)
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	eddie := ts.memberID("eddie@acme.example")
	got := ts.resourcesOf(eddie)
	for _, name := range owned {
		if !slices.Contains(got, name) {
			t.Errorf("%q did not move to Eddie: he owns %v", name, got)
		}
	}
	if left := ts.resourcesOf(keyID); len(left) != 0 {
		t.Errorf("the deleted key still owns %v", left)
	}
	if code, _, _ := ts.run("show", keyID); code != exitNotFound {
		t.Errorf("show after delete: exit %d, want 5", code)
	}
}

func TestDeleteInteractiveNobodyDeletesResources(t *testing.T) {
	ts := newTestSandbox(t)
	keyID := ts.keyID("CI pipeline")
	owned := ts.resourcesOf(keyID)
	c := ptytest.New(t)
	wait := ptyRun(t, ts, c, "delete", "CI pipeline")
	c.ExpectString("Who inherits the resources?")
	c.Send("nobody") // type to filter
	c.ExpectString("nobody — delete the resources")
	c.Send(ptytest.KeyEnter)
	c.ExpectString("PERMANENTLY DELETED")
	c.Send("y" + ptytest.KeyEnter)
	c.ExpectString("its resources will be DELETED with the key")
	c.ExpectString("cannot be undone")
	c.Send("y" + ptytest.KeyEnter)
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	res, err := ts.sb.Resources()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if slices.Contains(owned, r.Name) {
			t.Errorf("resource %q survived a delete with nobody to inherit it (owner %s)", r.Name, r.OwnerID)
		}
	}
}

func TestDeleteInteractiveDeclineChangesNothing(t *testing.T) {
	tests := []struct {
		name string
		keys func(c *ptytest.Console)
	}{
		{"answer no", func(c *ptytest.Console) {
			c.ExpectString("Who inherits the resources?")
			c.Send(ptytest.KeyEnter)
			c.ExpectString("cannot be undone")
			c.Send("n" + ptytest.KeyEnter)
		}},
		{"ctrl-c at the picker", func(c *ptytest.Console) {
			c.ExpectString("Who inherits the resources?")
			c.Send(ptytest.KeyCtrlC)
		}},
		{"ctrl-c at the confirmation", func(c *ptytest.Console) {
			c.ExpectString("Who inherits the resources?")
			c.Send(ptytest.KeyEnter)
			c.ExpectString("cannot be undone")
			c.Send(ptytest.KeyCtrlC)
		}},
		{"refuse nobody, then decline", func(c *ptytest.Console) {
			c.ExpectString("Who inherits the resources?")
			c.Send(ptytest.KeyUp) // wraps to the last choice: nobody
			c.Send(ptytest.KeyEnter)
			c.ExpectString("PERMANENTLY DELETED")
			c.Send("n" + ptytest.KeyEnter)
			c.ExpectString("Who inherits the resources?")
			c.Send(ptytest.KeyCtrlC)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestSandbox(t)
			before := ts.state()
			c := ptytest.New(t)
			wait := ptyRun(t, ts, c, "delete", "Drone imagery upload")
			tt.keys(c)
			if code := wait(); code != exitCancelled {
				t.Fatalf("exit %d, want 3\n%s", code, c.Screen())
			}
			if after := ts.state(); after != before {
				t.Fatalf("state changed after a cancelled delete:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// Without a terminal, every combination of missing flags fails with exit 2 and changes nothing.
func TestDeleteWithoutTerminalNeedsFlags(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"delete", "GeoServer sync"}, "--yes"},
		{[]string{"delete", "GeoServer sync", "--transfer-to", "erin@acme.example"}, "--yes"},
		{[]string{"delete", "GeoServer sync", "--no-transfer"}, "--yes"},
		{[]string{"delete", "GeoServer sync", "--yes"}, "--transfer-to"},
		{[]string{"delete", "GeoServer sync", "Field app — Android", "--yes"}, "--no-transfer"},
		{[]string{"delete", "--filter", "status=expired", "--yes"}, "--transfer-to"},
		{[]string{"delete", "--filter", "status=expired"}, "--yes"},
		{[]string{"delete", "GeoServer sync", "--yes", "--transfer-to", "x@y", "--no-transfer"}, "contradict"},
		{[]string{"delete"}, "--filter"},
		{[]string{"delete", "--filter", "colour=red", "--yes", "--no-transfer"}, "colour"},
		{[]string{"delete", "GeoServer sync", "--yes", "--transfer-to", "vera@acme.example"}, "Editor role"},
	}
	for _, tt := range tests {
		code, out, errOut := ts.run(tt.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2\nstderr: %s", tt.args, code, errOut)
		}
		if !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: stderr does not name %q: %s", tt.args, tt.want, errOut)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", tt.args, out)
		}
	}
	if after := ts.state(); after != before {
		t.Fatalf("a refused delete changed the sandbox:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// The dry run's JSON follows the contract, and the real run then does exactly that.
func TestDeleteDryRunThenRealRunMatch(t *testing.T) {
	ts := newTestSandbox(t)
	args := []string{"delete", "--filter", "status=expired", "GeoServer sync", "--transfer-to", "erin@acme.example", "--yes", "-o", "json"}
	before := ts.state()
	code, out, errOut := ts.run(append(args, "--dry-run")...)
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	var plan []map[string]any
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan) != 3 {
		t.Fatalf("plan has %d keys, want GeoServer sync and the 2 expired ones: %s", len(plan), out)
	}
	wantKeys := []string{"action", "deleted", "id", "resources", "title", "transferTo"}
	for _, e := range plan {
		var keys []string
		for k := range e {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !reflect.DeepEqual(keys, wantKeys) {
			t.Errorf("plan entry keys %v, want %v", keys, wantKeys)
		}
		if e["deleted"] != false {
			t.Errorf("dry run says deleted: %v", e)
		}
	}
	if ts.state() != before {
		t.Fatal("the dry run changed state")
	}
	erin := ts.memberID("erin@acme.example")
	erinBefore := ts.resourcesOf(erin)

	code, out, errOut = ts.run(args...)
	if code != 0 {
		t.Fatalf("real run: exit %d: %s", code, errOut)
	}
	var result []map[string]any
	if err := json.Unmarshal([]byte(out), &result); err != nil {
		t.Fatal(err)
	}
	var moved []string
	for i, e := range result {
		if e["id"] != plan[i]["id"] || e["action"] != plan[i]["action"] || !reflect.DeepEqual(e["resources"], plan[i]["resources"]) || e["deleted"] != true {
			t.Errorf("outcome %v differs from plan %v", e, plan[i])
		}
		for _, r := range e["resources"].([]any) {
			moved = append(moved, r.(map[string]any)["name"].(string))
		}
		if code, _, _ := ts.run("show", e["id"].(string)); code != exitNotFound {
			t.Errorf("key %v still exists", e["title"])
		}
	}
	got := ts.resourcesOf(erin)
	if len(got) != len(erinBefore)+len(moved) {
		t.Fatalf("Erin owns %v; before %v, moved %v", got, erinBefore, moved)
	}
	for _, name := range moved {
		if !slices.Contains(got, name) {
			t.Errorf("%q not transferred to Erin", name)
		}
	}
}

// A fault during a multi-key delete leaves each key either fully deleted with its resources
// transferred, or untouched.
func TestDeleteUnderFaultsIsAllOrNothingPerKey(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		ts := newTestSandbox(t)
		erin := ts.memberID("erin@acme.example")
		owners := map[string][]string{}
		for _, title := range []string{"GeoServer sync", "CI pipeline", "Drone imagery upload", "QGIS plugin", "Legacy ETL"} {
			id := ts.keyID(title)
			owners[id] = ts.resourcesOf(id)
		}
		erinBefore := ts.resourcesOf(erin)
		if err := ts.sb.SetFaults(sandbox.Faults{Rate: 0.4, Kinds: []string{"500", "503", "reset", "truncate", "garbage"}, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := ts.run("delete", "GeoServer sync", "CI pipeline", "Drone imagery upload", "QGIS plugin", "Legacy ETL", "--transfer-to", "erin@acme.example", "--yes")
		if ts.sb.Stats().FaultsInjected == 0 {
			t.Fatalf("seed %d: no fault was injected, so the test proved nothing", seed)
		}
		if err := ts.sb.SetFaults(sandbox.Faults{}); err != nil {
			t.Fatal(err)
		}
		if code != exitOK && code != exitError {
			t.Fatalf("seed %d: exit %d: %s", seed, code, errOut)
		}
		erinNow := ts.resourcesOf(erin)
		expected := len(erinBefore)
		for id, owned := range owners {
			left := ts.resourcesOf(id)
			showCode, _, _ := ts.run("show", id)
			switch showCode {
			case exitNotFound: // deleted: everything must be Erin's now
				if len(left) != 0 {
					t.Errorf("seed %d: deleted key %s still owns %v", seed, id, left)
				}
				for _, name := range owned {
					if !slices.Contains(erinNow, name) {
						t.Errorf("seed %d: key %s deleted but %q did not move to Erin", seed, id, name)
					}
				}
				expected += len(owned)
			case exitOK: // untouched
				if !reflect.DeepEqual(left, owned) {
					t.Errorf("seed %d: surviving key %s owns %v, had %v", seed, id, left, owned)
				}
			default:
				t.Fatalf("seed %d: show %s: exit %d", seed, id, showCode)
			}
		}
		if len(erinNow) != expected {
			t.Errorf("seed %d: Erin owns %d resources, want %d", seed, len(erinNow), expected)
		}
	}
}

// A selection that matches nothing is success, and machine formats still print an empty list.
func TestDeleteNothingMatchedPrintsAnEmptyList(t *testing.T) {
	ts := newTestSandbox(t)
	for format, want := range map[string]string{"json": "[]\n", "yaml": "[]\n", "table": ""} {
		code, out, errOut := ts.run("delete", "--filter", "title=no such key", "--yes", "-o", format)
		if code != exitOK || out != want || !strings.Contains(errOut, "nothing to delete") {
			t.Errorf("-o %s: exit %d, stdout %q (want %q), stderr %q", format, code, out, want, errOut)
		}
	}
}

// -o csv and -o tsv on a dry run print one record per key, as they do after a real run,
// not the plan written for a person; nothing on stderr claims otherwise.
func TestDeleteDryRunCSVAndTSVAreRecords(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	args := []string{"delete", "--filter", "title~Power", "--transfer-to", "erin@acme.example", "--dry-run"}
	for format, want := range map[string]string{
		"csv": "id,title,resources,action,transferTo\n" +
			"bbbe313b-41dd-463c-95f4-e437d004de68,Power BI connector,0,none,\n" +
			"d8158cb8-613f-40cc-b0c4-e56a007ef53d,Power BI connector,1,transfer,erin@acme.example\n",
		"tsv": "id\ttitle\tresources\taction\ttransferTo\n" +
			"bbbe313b-41dd-463c-95f4-e437d004de68\tPower BI connector\t0\tnone\t\n" +
			"d8158cb8-613f-40cc-b0c4-e56a007ef53d\tPower BI connector\t1\ttransfer\terin@acme.example\n",
	} {
		code, out, errOut := ts.run(append(args, "-o", format)...)
		if code != exitOK || out != want || errOut != "" {
			t.Errorf("-o %s: exit %d, stderr %q, stdout:\n%s\nwant exit 0, no stderr, stdout:\n%s", format, code, errOut, out, want)
		}
	}
	// Without a decision about the resources, the action says so.
	code, out, _ := ts.run("delete", "CI pipeline", "--dry-run", "-o", "csv")
	if want := "id,title,resources,action,transferTo\nb5f154a9-6f63-40f3-8741-561272b26b95,CI pipeline,4,undecided,\n"; code != exitOK || out != want {
		t.Errorf("undecided dry run: exit %d, stdout %q, want %q", code, out, want)
	}
	// Nothing matched: the header row alone, as list prints it, dry run or not.
	for args, want := range map[string]string{
		"--dry-run -o csv": "id,title,resources,action,transferTo\n",
		"--dry-run -o tsv": "id\ttitle\tresources\taction\ttransferTo\n",
		"--yes -o csv":     "id,title,action,outcome\n",
	} {
		code, out, errOut := ts.run(append([]string{"delete", "--filter", "title=no such key", "--no-transfer"}, strings.Fields(args)...)...)
		if code != exitOK || out != want || errOut != "No API key matched: nothing to delete.\n" {
			t.Errorf("nothing matched, %s: exit %d, stdout %q, stderr %q; want stdout %q", args, code, out, errOut, want)
		}
	}
	if ts.state() != before {
		t.Fatal("a dry run changed state")
	}
}

// The line restating what will happen, just before the confirmation, does not read as if the
// key were already deleted; declining then changes nothing (exit 3).
func TestDeleteConfirmationSaysWhatWillHappen(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	streams, _, out, errOut := iostreams.Test()
	streams.SetTTY(true, true, true)
	p := prompt.NewScripted("Erin Editor <erin@acme.example>", false)
	code := run(context.Background(), ts.factory(streams, p), []string{"delete", "CI pipeline"})
	want := "API key \"CI pipeline\" (b5f154a9-6f63-40f3-8741-561272b26b95): 1 data source, 1 project, 1 layer, 1 table\n" +
		"  - data source CI test fixtures\n" +
		"  - project     CI smoke test\n" +
		"  - layer       CI sample points\n" +
		"  - table       CI attribute checks\n" +
		"API key \"CI pipeline\" will be deleted; resources will move to Erin Editor (erin@acme.example)\n" +
		"Error: cancelled: nothing was changed\n"
	if code != exitCancelled || errOut.String() != want || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 3, no stdout, stderr:\n%s", code, out.String(), errOut.String(), want)
	}
	if err := p.Done(); err != nil {
		t.Error(err)
	}
	if ts.state() != before {
		t.Fatal("a declined delete changed state")
	}
}

// signalAtPrompt is a terminal user whose command gets SIGTERM while a prompt waits: the
// signal handler cancels the context, and the prompt returns its error.
type signalAtPrompt struct {
	*prompt.Scripted
	cancel context.CancelFunc
	err    error
}

func (p signalAtPrompt) Input(string, string, func(string) error) (string, error) {
	p.cancel()
	return "", p.err
}

func (p signalAtPrompt) Select(string, []string, int) (int, error) {
	p.cancel()
	return 0, p.err
}

// A prompt ended by Ctrl-C, or by SIGTERM/SIGHUP (the command's context cancelled), is one
// plain sentence on stderr saying which, exit 3, and nothing was created or deleted.
func TestCancelledPromptSaysSoOnce(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	ctrlC := fmt.Errorf("%w: %w", prompt.ErrCancelled, errors.New("interrupt"))
	signalled := fmt.Errorf("%w: %w", prompt.ErrCancelled, errors.New("interrupted while waiting for an answer"))
	want := map[bool]string{
		false: "Error: cancelled at the prompt: nothing was changed\n",
		true:  "Error: interrupted at the prompt: nothing was changed\n",
	}
	for _, tc := range []struct {
		name   string
		answer error
		signal bool
		args   []string
	}{
		{"create, Ctrl-C", ctrlC, false, []string{"create"}},
		{"create, SIGTERM", signalled, true, []string{"create", "T", "--role", "viewer"}},
		{"delete picker, Ctrl-C", ctrlC, false, []string{"delete", "Legacy ETL"}},
		{"delete picker, SIGTERM", signalled, true, []string{"delete", "Legacy ETL"}},
	} {
		streams, _, out, errOut := iostreams.Test()
		streams.SetTTY(true, true, true)
		ctx, cancel := context.WithCancel(context.Background())
		var p prompt.Prompter = prompt.NewScripted(tc.answer, tc.answer)
		if tc.signal {
			p = signalAtPrompt{Scripted: prompt.NewScripted(), cancel: cancel, err: tc.answer}
		}
		code := run(ctx, ts.factory(streams, p), tc.args)
		cancel()
		// The delete plan is printed before its picker; only the last line is the error.
		lines := strings.SplitAfter(errOut.String(), "\n")
		last := lines[len(lines)-2]
		if code != exitCancelled || last != want[tc.signal] || strings.Count(errOut.String(), "Error:") != 1 || out.Len() != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s\nwant exit 3 and last line %q", tc.name, code, out.String(), errOut.String(), want[tc.signal])
		}
	}
	if ts.state() != before {
		t.Fatal("a cancelled prompt changed state")
	}
}

// Without a terminal, a key that owns resources needs --transfer-to or --no-transfer; the
// error counts the keys in plain English and lists the Editors.
func TestDeleteOwningKeysWithoutTerminalNeedsAnHeir(t *testing.T) {
	ts := newTestSandbox(t)
	const editors = "(an Editor: admin@acme.example, eddie@acme.example, erin@acme.example, ops@acme.example) or --no-transfer\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"delete", "CI pipeline", "--yes"}, "the key owns resources"},
		{[]string{"delete", "CI pipeline", "Partner feed — CityData", "--yes"}, "1 of the 2 keys owns resources"},
		{[]string{"delete", "CI pipeline", "Legacy ETL", "--yes"}, "all 2 keys own resources"},
		{[]string{"delete", "CI pipeline", "Legacy ETL", "Partner feed — CityData", "--yes"}, "2 of the 3 keys own resources"},
	} {
		want := "Error: " + tc.want + " and there is no terminal to choose who inherits them: pass --transfer-to MEMBER " + editors
		if code, out, errOut := ts.run(tc.args...); code != exitUsage || out != "" || errOut != want {
			t.Errorf("%q: exit %d, stdout %q, stderr:\n%s\nwant exit 2, stderr:\n%s", tc.args, code, out, errOut, want)
		}
	}
}

// runDeleteCmd runs a delete command line through the root command, with runF in place of
// runDelete: the seam shows what RunE decides before anything is opened or fetched.
func runDeleteCmd(t *testing.T, tty bool, runF func(context.Context, *deleteOptions) error, args ...string) (stderr string, err error) {
	t.Helper()
	streams, _, _, errOut := iostreams.Test()
	streams.SetTTY(tty, tty, tty)
	f := newFactory(streams, "test", func(string) string { return "" })
	f.Session = func(context.Context) (*Session, error) {
		t.Errorf("%q opened a session", args)
		return nil, errors.New("no session in this test")
	}
	root := newRootCmd(f)
	shipped, _, _ := root.Find([]string{"delete"})
	root.RemoveCommand(shipped)
	root.AddCommand(newDeleteCmd(f, runF))
	root.SetArgs(append([]string{"delete"}, args...))
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	err = root.ExecuteContext(context.Background())
	return errOut.String(), err
}

// TestNewCmdDeleteRefusesBeforeAnyIO: without a terminal and without --yes (or --dry-run),
// RunE refuses before the run function is called, so no session is opened and nothing is
// fetched; a wrong -o or filter is named first. Otherwise the run gets the flags as given.
func TestNewCmdDeleteRefusesBeforeAnyIO(t *testing.T) {
	const noYes = "deleting API keys is irreversible and there is no terminal to confirm on: pass --yes (and --transfer-to MEMBER or --no-transfer for keys that own resources), or --dry-run to see the plan"
	for _, tc := range []struct {
		args    []string
		tty     bool
		wantErr string // empty: the run function is called
		want    deleteOptions
	}{
		{args: []string{"K"}, wantErr: noYes},
		{args: []string{"K", "--transfer-to", "erin@acme.example"}, wantErr: noYes},
		{args: []string{"K", "--no-transfer"}, wantErr: noYes},
		{args: []string{"--filter", "status=expired"}, wantErr: noYes},
		{args: []string{"--all", "--no-transfer"}, wantErr: noYes},
		{args: []string{"K", "-o", "xml"}, wantErr: "xml"},
		{args: []string{"--filter", "colour=red"}, wantErr: "colour"},
		{args: []string{}, wantErr: "--filter"},
		{args: []string{"K", "--all"}, wantErr: "contradict"},
		{args: []string{"K", "--yes"}, want: deleteOptions{Refs: []string{"K"}, Yes: true}},
		{args: []string{"K", "L", "--dry-run"}, want: deleteOptions{Refs: []string{"K", "L"}, DryRun: true}},
		{args: []string{"K", "--transfer-to", "erin@acme.example"}, tty: true, want: deleteOptions{Refs: []string{"K"}, TransferTo: "erin@acme.example"}},
		{args: []string{"--filter", "status=expired", "--all", "--no-transfer", "-y"}, want: deleteOptions{Filters: []string{"status=expired"}, All: true, NoTransfer: true, Yes: true}},
	} {
		var got *deleteOptions
		_, err := runDeleteCmd(t, tc.tty, func(_ context.Context, opts *deleteOptions) error {
			got = opts
			return nil
		}, tc.args...)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || exitCode(err) != exitUsage || got != nil {
				t.Errorf("%q (terminal %v): err %v (exit %d), run called %v; want exit 2 naming %q, no run", tc.args, tc.tty, err, exitCode(err), got != nil, tc.wantErr)
			}
			continue
		}
		if err != nil || got == nil {
			t.Errorf("%q (terminal %v): err %v, run called %v; want the run", tc.args, tc.tty, err, got != nil)
			continue
		}
		if len(got.Refs) == 0 {
			got.Refs = nil
		}
		flags := deleteOptions{Refs: got.Refs, Filters: got.Filters, TransferTo: got.TransferTo, NoTransfer: got.NoTransfer, Yes: got.Yes, DryRun: got.DryRun, All: got.All}
		if !reflect.DeepEqual(flags, tc.want) {
			t.Errorf("%q: run got %+v, want %+v", tc.args, flags, tc.want)
		}
	}
}

// TestDeleteCallsInOrder pins the requests of a multi-key delete: select, read what each key
// owns, the members once, then each key in turn; a key planned as owning nothing is checked
// again just before its delete.
func TestDeleteCallsInOrder(t *testing.T) {
	ts := newTestSandbox(t)
	ci, legacy, partner := ts.keyID("CI pipeline"), ts.keyID("Legacy ETL"), ts.keyID("Partner feed — CityData")
	erin := ts.memberID("erin@acme.example")
	log := recordRequests(ts)
	code, _, errOut := ts.run("delete", "CI pipeline", "Legacy ETL", partner, "--transfer-to", "erin@acme.example", "--yes")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := []string{
		"GET /api-keys?page=0&size=1000",
		"GET /api-keys/" + ci + "/resources",
		"GET /api-keys/" + legacy + "/resources",
		"GET /api-keys/" + partner + "/resources",
		"GET /members",
		"DELETE /api-keys/" + ci + "?transferTo=" + erin,
		"DELETE /api-keys/" + legacy + "?transferTo=" + erin,
		"GET /api-keys/" + partner + "/resources",
		"DELETE /api-keys/" + partner,
	}
	if got := orgRequests(log.take()); !slices.Equal(got, want) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDeleteKeysBesideAFilterNeedNoAll: the every-key rule judges what the filter matches, so
// a KEY plus a filter matching every other key is planned without --all (which KEYs refuse),
// while the filter alone matching every key still needs it.
func TestDeleteKeysBesideAFilterNeedNoAll(t *testing.T) {
	ts := newTestSandbox(t)
	_, keys, _ := ts.run("list", "-o", "csv", "--columns", "id", "--no-headers")
	total := len(strings.Fields(keys))
	code, out, errOut := ts.run("delete", "GeoServer sync", "--filter", "title!=GeoServer sync", "--no-transfer", "--dry-run", "-o", "json")
	var plan []deleteplan.Entry
	if code != exitOK || json.Unmarshal([]byte(out), &plan) != nil || len(plan) != total || plan[0].Title != "GeoServer sync" {
		t.Fatalf("KEY and a filter matching the others: exit %d, %d entries (want %d, GeoServer sync first), stderr %q", code, len(plan), total, errOut)
	}
	code, _, errOut = ts.run("delete", "GeoServer sync", "--filter", `title!=""`, "--no-transfer", "--dry-run")
	if want := fmt.Sprintf("Error: the selection matches every key of the organization (%d); nothing was deleted\npass --all to delete every key, or narrow the --filter\n", total); code != exitUsage || errOut != want {
		t.Errorf("KEY and a filter matching every key: exit %d, stderr %q; want exit 2, %q", code, errOut, want)
	}
}

// A dry run on a terminal asks nothing, neither the Editor picker nor the second warning
// about deleting the resources: keys that own resources show undecided, as without a
// terminal, and nothing changes. The scripted prompter has no answer: any question fails.
func TestDeleteDryRunOnTerminalNeverPrompts(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"delete", "CI pipeline", "Field app — Android", "--dry-run", "-o", "csv"},
			"id,title,resources,action,transferTo\n" +
				"b5f154a9-6f63-40f3-8741-561272b26b95,CI pipeline,4,undecided,\n" +
				"39d2a9c9-a9fb-437a-8d51-8e26de33d0b0,Field app — Android,0,none,\n"},
		{[]string{"delete", "--filter", "title~Power", "--dry-run", "--yes"},
			"API key \"Power BI connector\" (bbbe313b-41dd-463c-95f4-e437d004de68): no resources\n" +
				"  → will be deleted; it owns nothing\n" +
				"API key \"Power BI connector\" (d8158cb8-613f-40cc-b0c4-e56a007ef53d): 1 table\n" +
				"  - table       Sales territories\n" +
				"  → will be deleted; who inherits its resources is undecided (pass --transfer-to or --no-transfer)\n"},
	} {
		streams, _, out, errOut := iostreams.Test()
		streams.SetTTY(true, true, true)
		p := prompt.NewScripted()
		code := run(context.Background(), ts.factory(streams, p), tc.args)
		if asked := p.Asked(); len(asked) != 0 {
			t.Errorf("%v: a dry run asked %q", tc.args, asked)
		}
		if code != exitOK || out.String() != tc.want {
			t.Errorf("%v: exit %d, stderr %q, stdout:\n%s\nwant exit 0, stdout:\n%s", tc.args, code, errOut.String(), out.String(), tc.want)
		}
	}
	if ts.state() != before {
		t.Fatal("a dry run changed state")
	}
}

// The second warning before the resources are deleted speaks of "the key" when one key owns
// them and "the keys" when several do.
func TestDeleteNobodyWarningSingularAndPlural(t *testing.T) {
	ts := newTestSandbox(t)
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"CI pipeline", "Field app — Android"}, "The resources will be PERMANENTLY DELETED with the key. Delete them?"},
		{[]string{"CI pipeline", "Drone imagery upload"}, "The resources will be PERMANENTLY DELETED with the keys. Delete them?"},
	} {
		streams, _, _, _ := iostreams.Test()
		streams.SetTTY(true, true, true)
		p := prompt.NewScripted("nobody — delete the resources", false, prompt.ErrCancelled)
		run(context.Background(), ts.factory(streams, p), append([]string{"delete"}, tc.keys...))
		if asked := p.Asked(); len(asked) < 2 || asked[1] != tc.want {
			t.Errorf("%v: asked %q, want the second question %q", tc.keys, asked, tc.want)
		}
	}
}

// After a delete with stderr on a terminal, one line on stderr sums it up; JSON on a terminal
// and a table in a pipe write nothing more than before (stderr empty when all went well).
func TestDeleteOutcomeSummaryLineOnATerminalOnly(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tty       bool
		args      []string
		stderr    string
		stdoutHas string
	}{
		{"terminal, transfer", true, []string{"delete", "GeoServer sync", "CI pipeline", "Field app — Android", "--transfer-to", "erin@acme.example", "--yes"},
			"Deleted 3 API keys; Erin Editor received 8 resources.\n", "│ ID "},
		{"terminal, no transfer", true, []string{"delete", "QGIS plugin", "--no-transfer", "--yes"},
			"Deleted API key \"QGIS plugin\" and its 2 resources.\n", "│ ID "},
		{"terminal, json", true, []string{"delete", "GeoServer sync", "--transfer-to", "erin@acme.example", "--yes", "-o", "json"},
			"", `"deleted": true`},
		{"pipe, table", false, []string{"delete", "GeoServer sync", "--transfer-to", "erin@acme.example", "--yes"},
			"", "ID  "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestSandbox(t)
			streams, _, out, errOut := iostreams.Test()
			streams.SetTTY(tc.tty, tc.tty, tc.tty)
			streams.DisableColor()
			code := run(context.Background(), ts.factory(streams, prompt.NewScripted()), tc.args)
			if code != exitOK || errOut.String() != tc.stderr || !strings.Contains(out.String(), tc.stdoutHas) {
				t.Errorf("exit %d, stderr %q (want %q), stdout:\n%s", code, errOut.String(), tc.stderr, out.String())
			}
		})
	}
}
