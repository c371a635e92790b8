package cli

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// create --copy hands the secret, and only it, to the Factory's clipboard, and schedules the
// clear only for the system clipboard with a positive --clear-after.
func TestCreateCopiesTheSecret(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		method    string
		copyErr   error
		clearErr  error
		wantClear []time.Duration // the delay of each scheduled clear
		wantNote  string          // stderr's last lines
	}{
		{name: "default delay", args: []string{"--copy"}, wantClear: []time.Duration{45 * time.Second},
			wantNote: "Copied the secret to the clipboard; it will be cleared in 45s if still there."},
		{name: "given delay", args: []string{"--copy", "--clear-after", "2min"}, wantClear: []time.Duration{2 * time.Minute},
			wantNote: "Copied the secret to the clipboard; it will be cleared in 2min if still there."},
		{name: "never cleared", args: []string{"--copy", "--clear-after", "0"},
			wantNote: "Copied the secret to the clipboard (system)."},
		{name: "OSC 52 cannot be cleared", args: []string{"--copy"}, method: clipboard.MethodOSC52,
			wantNote: "Sent the secret to your terminal's clipboard (OSC 52).\n  Some terminals and tmux ignore this; it will not be cleared automatically."},
		{name: "the clearer cannot start", args: []string{"--copy"}, clearErr: errors.New("fork: no"),
			wantNote: "Copied the secret to the clipboard; it could not be scheduled for clearing (fork: no): clear it yourself."},
		{name: "no clipboard", args: []string{"--copy"}, copyErr: errors.New("clipboard unavailable: no X or Wayland display"),
			wantNote: "Note: the secret was not copied to the clipboard (clipboard unavailable: no X or Wayland display)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestSandbox(t)
			ts.clipboard.method, ts.clipboard.copyErr, ts.clipboard.clearErr = tt.method, tt.copyErr, tt.clearErr
			args := append([]string{"create", "copied", "--role", "viewer", "--expires", "1w"}, tt.args...)
			code, out, errOut := ts.run(args...)
			secret := strings.TrimSpace(out)
			if code != 0 || secret == "" {
				t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
			}
			want := clipboardRecord{}
			if tt.copyErr == nil {
				want.Copies = []string{secret}
			}
			for _, d := range tt.wantClear {
				want.Clears = append(want.Clears, scheduledClear{secret, d})
			}
			if got := ts.clipboard.record(); !reflect.DeepEqual(got, want) {
				t.Fatalf("clipboard saw %+v, want %+v", got, want)
			}
			if !strings.HasSuffix(errOut, "\n"+tt.wantNote+"\n") {
				t.Fatalf("stderr does not end with the lines %q:\n%s", tt.wantNote, errOut)
			}
		})
	}
}

// Without a terminal or --copy, or with --no-copy, or to a --secret-file, nothing is copied.
func TestCreateCopiesNothingUnlessAsked(t *testing.T) {
	for _, extra := range [][]string{nil, {"--no-copy"}, {"--secret-file", "new.key"}} {
		ts := newTestSandbox(t)
		args := append([]string{"create", "not-copied", "--role", "viewer", "--expires", "1w"}, extra...)
		if len(extra) == 2 && extra[0] == "--secret-file" {
			args[len(args)-1] = t.TempDir() + "/new.key"
		}
		if code, _, errOut := ts.run(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, errOut)
		}
		if got := ts.clipboard.record(); !reflect.DeepEqual(got, clipboardRecord{}) {
			t.Fatalf("%v: clipboard saw %+v, want nothing", extra, got)
		}
	}
}

// On a terminal the secret is copied without --copy, and the panel shows the same secret.
func TestCreateOnATerminalCopiesByDefault(t *testing.T) {
	ts := newTestSandbox(t)
	c := ptytest.New(t, ptytest.WithSize(160, 40))
	wait := ptyRun(t, ts, c, "create", "on a terminal", "--role", "viewer", "--expires", "1w")
	c.ExpectString("it will be cleared in 45s if still there")
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	rec := ts.clipboard.record()
	if len(rec.Copies) != 1 || !reflect.DeepEqual(rec.Clears, []scheduledClear{{rec.Copies[0], 45 * time.Second}}) {
		t.Fatalf("clipboard saw %+v, want one copy cleared after 45s", rec)
	}
	if !strings.Contains(c.Output(), "Secret:  "+rec.Copies[0]+"\r\n") {
		t.Fatalf("the panel does not show the copied secret:\n%s", c.Screen())
	}
}
