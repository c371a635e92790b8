//go:build unix

package clipboard_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

func assertDetached(t *testing.T, attr *syscall.SysProcAttr) {
	t.Helper()
	if attr == nil || !attr.Setsid {
		t.Errorf("SysProcAttr = %+v, want Setsid", attr)
	}
}

// These tests run the real detached process: this test binary re-executed
// as `__clear-clipboard` (see TestMain), against the package's X clipboard.
// The clearer waits at a gate the test opens when it has looked, so no delay
// has to outlast the test's checks on a loaded machine.

func TestDetachedClearer(t *testing.T) {
	requireX(t)
	tests := []struct {
		name       string
		copyLater  string // what the user copies while the clearer waits
		wantWrites string // the clearer's log
		want       string
	}{
		{name: "clears the secret", wantWrites: "write \"\"\n", want: ""},
		{name: "leaves what was copied since", copyLater: "copied later by the user", want: "copied later by the user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "clearer.log")
			t.Setenv(helperLogEnv, log)
			gate := testenv.NewGate(t)
			t.Setenv(testenv.GateEnv, gate.Path)
			secret := uniqueSecret(t)
			systemWrite(t, secret)
			cmd, err := clipboard.ClearerCmd(clipboard.Fingerprint(secret), time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()

			if sid, err := unix.Getsid(cmd.Process.Pid); err != nil || sid != cmd.Process.Pid {
				t.Errorf("clearer session = %d, %v; want its own session %d", sid, err, cmd.Process.Pid)
			}
			if tt.copyLater != "" {
				xclipWrite(t, tt.copyLater)
			}
			if got := xclipRead(t); got != valueOr(tt.copyLater, secret) {
				t.Fatalf("cleared too early: clipboard = %q", got)
			}
			gate.Open(t)

			select {
			case err := <-done:
				msg, _ := os.ReadFile(log)
				if err != nil {
					t.Fatalf("clearer failed: %v: %s", err, msg)
				}
				if string(msg) != tt.wantWrites {
					t.Fatalf("clearer log = %q, want %q", msg, tt.wantWrites)
				}
			case <-time.After(time.Minute): // a bound for a hung clearer, not a timing check
				_ = cmd.Process.Kill()
				t.Fatal("the clearer did not finish")
			}
			testenv.WaitClipboard(t, tt.want)
		})
	}
}

func valueOr(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// TestScheduleClear goes through the public entry point, which does not
// wait for the clearer: it returns while the clearer still waits at the gate,
// and the clipboard is polled once the gate is open.
func TestScheduleClear(t *testing.T) {
	requireX(t)
	gate := testenv.NewGate(t)
	t.Setenv(testenv.GateEnv, gate.Path)
	secret := uniqueSecret(t)
	systemWrite(t, secret)
	if err := clipboard.ScheduleClear(clipboard.Fingerprint(secret), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := xclipRead(t); got != secret {
		t.Fatalf("cleared before the clearer was let go: clipboard = %q", got)
	}
	gate.Open(t)
	testenv.WaitClipboard(t, "")
}
