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
)

func assertDetached(t *testing.T, attr *syscall.SysProcAttr) {
	t.Helper()
	if attr == nil || !attr.Setsid {
		t.Errorf("SysProcAttr = %+v, want Setsid", attr)
	}
}

// These tests run the real detached process: this test binary re-executed
// as `__clear-clipboard` (see TestMain), against the real X clipboard.

func TestDetachedClearer(t *testing.T) {
	requireX(t)
	tests := []struct {
		name      string
		copyLater string // what the user copies while the clearer waits
		want      string
	}{
		{name: "clears the secret", want: ""},
		{name: "leaves what was copied since", copyLater: "copied later by the user", want: "copied later by the user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "clearer.log")
			t.Setenv(helperLogEnv, log)
			secret := uniqueSecret(t)
			systemWrite(t, secret)
			// 2 s: the checks and the user's copy below must land before the clearer reads the
			// clipboard, even on a loaded machine (xclip can take a while to own the selection).
			cmd, err := clipboard.ClearerCmd(clipboard.Fingerprint(secret), 2*time.Second)
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

			select {
			case err := <-done:
				if err != nil {
					msg, _ := os.ReadFile(log)
					t.Fatalf("clearer failed: %v: %s", err, msg)
				}
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the clearer did not finish")
			}
			waitClipboard(t, tt.want, 5*time.Second)
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
// wait for the clearer: the clipboard is polled instead.
func TestScheduleClear(t *testing.T) {
	requireX(t)
	secret := uniqueSecret(t)
	systemWrite(t, secret)
	start := time.Now()
	// A delay well above what starting a process can take under load, so that returning
	// before it shows ScheduleClear did not wait for the clearer.
	const delay = 2 * time.Second
	if err := clipboard.ScheduleClear(clipboard.Fingerprint(secret), delay); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > delay/2 {
		t.Errorf("ScheduleClear blocked for %v", d)
	}
	waitClipboard(t, "", 15*time.Second)
	if d := time.Since(start); d < delay {
		t.Fatalf("cleared after %v, before the %v delay", d, delay)
	}
}
