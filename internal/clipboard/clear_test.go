package clipboard_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// fakeClipboard records what happens to it.
type fakeClipboard struct {
	mu      sync.Mutex
	text    string
	readErr error
	writes  []string
}

func (f *fakeClipboard) Write(text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text = text
	f.writes = append(f.writes, text)
	return nil
}

func (f *fakeClipboard) Read() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.text, f.readErr
}

func TestRunClearer(t *testing.T) {
	const secret = "jmc_live_abcdef"
	fp := clipboard.Fingerprint(secret)
	tests := []struct {
		name       string
		holds      string
		readErr    error
		fp         string
		wantErr    string
		wantWrites []string
	}{
		{name: "still holds the secret", holds: secret, fp: fp, wantWrites: []string{""}},
		{name: "something else was copied", holds: "my shopping list", fp: fp},
		{name: "already empty", holds: "", fp: fp},
		{name: "unreadable", holds: secret, readErr: errors.New("xclip: exit status 1"), fp: fp, wantErr: "read the clipboard: xclip: exit status 1"},
		{name: "no fingerprint", holds: secret, fp: "", wantErr: "clipboard fingerprint: want 64 hexadecimal digits (a SHA-256)"},
		{name: "the secret itself instead of a fingerprint", holds: secret, fp: secret, wantErr: "clipboard fingerprint: want 64 hexadecimal digits (a SHA-256)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := &fakeClipboard{text: tt.holds, readErr: tt.readErr}
			err := clipboard.RunClearer(context.Background(), cb, tt.fp, time.Millisecond)
			if errString(err) != tt.wantErr {
				t.Fatalf("err = %q, want %q", errString(err), tt.wantErr)
			}
			if !slices.Equal(cb.writes, tt.wantWrites) {
				t.Fatalf("writes = %q, want %q", cb.writes, tt.wantWrites)
			}
		})
	}
}

func TestRunClearerStopsWithItsContext(t *testing.T) {
	cb := &fakeClipboard{text: "s"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := clipboard.RunClearer(ctx, cb, clipboard.Fingerprint("s"), time.Hour)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the context's", err)
	}
	if len(cb.writes) != 0 {
		t.Fatalf("cleared before the delay: %q", cb.writes)
	}
}

func TestRunClearerWaitsForTheDelay(t *testing.T) {
	cb := &fakeClipboard{text: "s"}
	start := time.Now()
	if err := clipboard.RunClearer(context.Background(), cb, clipboard.Fingerprint("s"), 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Fatalf("cleared after %v, before the 100ms delay", d)
	}
}

func TestClearerCommandCarriesOnlyTheFingerprint(t *testing.T) {
	const secret = "jmc_live_supersecret"
	t.Setenv("APIKEYS_PASSWORD", "hunter2")
	t.Setenv("APIKEYS_TOKEN", "tok")
	t.Setenv(clipboard.FingerprintEnv, "stale")
	fp := clipboard.Fingerprint(secret)

	cmd, err := clipboard.ClearerCmd(fp, 1500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	if want := []string{exe, "__clear-clipboard", "--after", "1.5s"}; !slices.Equal(cmd.Args, want) {
		t.Errorf("Args = %q, want %q", cmd.Args, want)
	}
	var apikeysVars []string
	for _, kv := range cmd.Env {
		if strings.HasPrefix(kv, "APIKEYS_") {
			apikeysVars = append(apikeysVars, kv)
		}
	}
	if want := []string{clipboard.FingerprintEnv + "=" + fp}; !slices.Equal(apikeysVars, want) {
		t.Errorf("APIKEYS_ variables = %q, want only %q", apikeysVars, want)
	}
	everything := strings.Join(append(append([]string{}, cmd.Args...), cmd.Env...), "\x00")
	if strings.Contains(everything, secret) {
		t.Error("the secret is in the clearer's arguments or environment")
	}
	if cmd.Stdin != nil || cmd.Stdout != nil || cmd.Stderr != nil {
		t.Error("the clearer's standard streams are not the null device")
	}
	assertDetached(t, cmd.SysProcAttr)
}

func TestScheduleClearRefusesAnythingButAFingerprint(t *testing.T) {
	if err := clipboard.ScheduleClear("jmc_live_supersecret", time.Second); err == nil {
		t.Fatal("ScheduleClear accepted a secret as fingerprint")
	}
}

func TestScheduleClearZeroMeansNever(t *testing.T) {
	if err := clipboard.ScheduleClear("not even checked", 0); err != nil {
		t.Fatalf("ScheduleClear(0) = %v, want nil (nothing scheduled)", err)
	}
}

// The tests below use the package's own X server (see TestMain).

func TestRunClearerOnTheSystemClipboard(t *testing.T) {
	requireX(t)
	t.Run("clears the secret", func(t *testing.T) {
		secret := uniqueSecret(t)
		systemWrite(t, secret)
		cb := &recordingClipboard{Clipboard: clipboard.System()}
		if err := clipboard.RunClearer(context.Background(), cb, clipboard.Fingerprint(secret), time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if want := []string{""}; !slices.Equal(cb.Writes(), want) {
			t.Fatalf("writes = %q, want %q", cb.Writes(), want)
		}
		testenv.WaitClipboard(t, "")
	})
	t.Run("leaves what was copied since", func(t *testing.T) {
		secret := uniqueSecret(t)
		systemWrite(t, secret)
		xclipWrite(t, "copied later by the user")
		cb := &recordingClipboard{Clipboard: clipboard.System()}
		if err := clipboard.RunClearer(context.Background(), cb, clipboard.Fingerprint(secret), time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if len(cb.Writes()) != 0 {
			t.Fatalf("writes = %q, want none", cb.Writes())
		}
		if got := xclipRead(t); got != "copied later by the user" {
			t.Fatalf("clipboard = %q, want the user's copy untouched", got)
		}
	})
}
