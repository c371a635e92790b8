package clipboard_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// helperLogEnv names a file where the re-executed clearer reports what it
// wrote to the clipboard and its error, since its stderr is the null device.
const helperLogEnv = "CLIPBOARD_TEST_CLEARER_LOG"

// xserver is this package's own X display: no other package's test can touch
// its clipboard.
var xserver *testenv.XServer

// TestMain lets this test binary stand in for apikeys when ScheduleClear
// re-executes os.Executable(): run as `<binary> __clear-clipboard --after D`,
// it does what the CLI's hidden command does. Otherwise it runs the tests on
// an X server of their own.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == clipboard.ClearCommand {
		os.Exit(runClearerHelper(os.Args[2:]))
	}
	xserver = testenv.StartX()
	code := m.Run()
	xserver.Stop()
	os.Exit(code)
}

// runClearerHelper is the clearer, except that it first waits at the test's
// gate (testenv.GateEnv) when there is one, so that the test decides when the
// delay starts, and that it logs each write.
func runClearerHelper(args []string) int {
	fs := flag.NewFlagSet(clipboard.ClearCommand, flag.ContinueOnError)
	after := fs.Duration("after", 0, "")
	err := fs.Parse(args)
	cb := &recordingClipboard{Clipboard: clipboard.System()}
	if err == nil {
		err = clipboard.RunClearerAfter(context.Background(), cb, os.Getenv(clipboard.FingerprintEnv), func(ctx context.Context) error {
			if err := testenv.WaitGate(); err != nil {
				return err
			}
			time.Sleep(*after)
			return nil
		})
	}
	var log strings.Builder
	for _, w := range cb.Writes() {
		fmt.Fprintf(&log, "write %q\n", w)
	}
	if err != nil {
		fmt.Fprintf(&log, "error: %v\n", err)
	}
	if path := os.Getenv(helperLogEnv); path != "" {
		_ = os.WriteFile(path, []byte(log.String()), 0o600)
	}
	if err != nil {
		return 1
	}
	return 0
}

// recordingClipboard is a real clipboard that remembers what was written to
// it: a write the test must not see could otherwise land after the test has
// looked (xclip sets the clipboard asynchronously).
type recordingClipboard struct {
	clipboard.Clipboard
	mu     sync.Mutex
	writes []string
}

func (r *recordingClipboard) Write(text string) error {
	r.mu.Lock()
	r.writes = append(r.writes, text)
	r.mu.Unlock()
	return r.Clipboard.Write(text)
}

func (r *recordingClipboard) Writes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.writes...)
}

// requireX skips (or fails, under APIKEYS_REQUIRE_REAL_TOOLS=1) the tests
// that need the package's X server and xclip.
func requireX(t *testing.T) {
	t.Helper()
	xserver.RequireX(t)
}

// xclipRead reads the clipboard with xclip, independently of the code under
// test.
func xclipRead(t *testing.T) string {
	t.Helper()
	got, err := testenv.ReadClipboard()
	if err != nil {
		t.Fatal(err)
	}
	return got
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
	testenv.WaitClipboard(t, text)
}

// systemWrite copies text with the code under test and waits until other
// programs see it (see testenv.WaitClipboard for why a single read is not
// enough).
func systemWrite(t *testing.T, text string) {
	t.Helper()
	if err := clipboard.System().Write(text); err != nil {
		t.Fatalf("System().Write: %v", err)
	}
	testenv.WaitClipboard(t, text)
}

func uniqueSecret(t *testing.T) string {
	return fmt.Sprintf("jmc-secret-%s-%d", t.Name(), time.Now().UnixNano())
}
