package clipboard_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// helperLogEnv names a file where the re-executed clearer reports its error,
// since its stderr is the null device.
const helperLogEnv = "CLIPBOARD_TEST_CLEARER_LOG"

// TestMain lets this test binary stand in for apikeys when ScheduleClear
// re-executes os.Executable(): run as `<binary> __clear-clipboard --after D`,
// it does what the CLI's hidden command does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == clipboard.ClearCommand {
		os.Exit(runClearerHelper(os.Args[2:]))
	}
	os.Exit(m.Run())
}

func runClearerHelper(args []string) int {
	fs := flag.NewFlagSet(clipboard.ClearCommand, flag.ContinueOnError)
	after := fs.Duration("after", 0, "")
	err := fs.Parse(args)
	if err == nil {
		err = clipboard.RunClearer(context.Background(), clipboard.System(), os.Getenv(clipboard.FingerprintEnv), *after)
	}
	if err == nil {
		return 0
	}
	if path := os.Getenv(helperLogEnv); path != "" {
		_ = os.WriteFile(path, []byte(err.Error()), 0o600)
	}
	return 1
}

// requireX skips (or fails, under APIKEYS_REQUIRE_REAL_TOOLS=1) the tests
// that need a real X server and xclip: run them under `xvfb-run -a`.
func requireX(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath("xclip")
	testenv.Require(t, "an X display (DISPLAY, e.g. under xvfb-run -a) and xclip", os.Getenv("DISPLAY") != "" && err == nil)
}

// xclipRead reads the clipboard with xclip, independently of the code under
// test.
func xclipRead(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("xclip", "-out", "-selection", "clipboard").Output()
	if err != nil {
		t.Fatalf("xclip -out: %v", err)
	}
	return string(out)
}

// xclipWrite copies text with xclip, as another program would, and waits
// until it can be read back.
func xclipWrite(t *testing.T, text string) {
	t.Helper()
	cmd := exec.Command("xclip", "-in", "-selection", "clipboard")
	cmd.Stdin = strings.NewReader(text)
	// No pipe for stdout or stderr: the xclip child that stays behind to
	// serve the selection would hold it open, and Run would wait for it.
	if err := cmd.Run(); err != nil {
		t.Fatalf("xclip -in: %v", err)
	}
	waitClipboard(t, text, 5*time.Second)
}

// systemWrite copies text with the code under test and waits until other
// programs see it: xclip returns before the X server knows the new owner of
// the clipboard (it flushes that request only after forking into the
// background), so an immediate read can still get the previous text.
func systemWrite(t *testing.T, text string) {
	t.Helper()
	if err := clipboard.System().Write(text); err != nil {
		t.Fatalf("System().Write: %v", err)
	}
	waitClipboard(t, text, 5*time.Second)
}

// waitClipboard polls the clipboard until it holds want or the deadline
// passes: see systemWrite for why a single read is not enough.
func waitClipboard(t *testing.T, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := xclipRead(t)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("clipboard = %q after %v, want %q", got, within, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func uniqueSecret(t *testing.T) string {
	return fmt.Sprintf("jmc-secret-%s-%d", t.Name(), time.Now().UnixNano())
}
