package cli

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

func runClearClipboardCmd(t *testing.T, args ...string) error {
	t.Helper()
	cmd := newClearClipboardCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	if out.Len() != 0 {
		t.Errorf("the clearer printed %q; it runs with no terminal", out.String())
	}
	return err
}

func TestClearClipboardCmdIsHidden(t *testing.T) {
	cmd := newClearClipboardCmd()
	if cmd.Name() != clipboard.ClearCommand || !cmd.Hidden {
		t.Fatalf("name %q hidden %v, want %q hidden", cmd.Name(), cmd.Hidden, clipboard.ClearCommand)
	}
}

func TestClearClipboardCmdRefusesAMissingFingerprint(t *testing.T) {
	t.Setenv(clipboard.FingerprintEnv, "")
	err := runClearClipboardCmd(t, "--after", "1ms")
	if err == nil || !strings.Contains(err.Error(), "fingerprint") {
		t.Fatalf("err = %v, want a fingerprint error", err)
	}
}

func TestClearClipboardCmdClearsTheSystemClipboard(t *testing.T) {
	_, err := exec.LookPath("xclip")
	testenv.Require(t, "an X display (DISPLAY, e.g. under xvfb-run -a) and xclip", os.Getenv("DISPLAY") != "" && err == nil)

	// waitFor polls: xclip returns before the X server knows the new owner
	// of the clipboard, so a read right after a copy can see the old text.
	waitFor := func(want string) {
		t.Helper()
		var got string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			out, err := exec.Command("xclip", "-out", "-selection", "clipboard").Output()
			if err != nil {
				t.Fatalf("xclip -out: %v", err)
			}
			if got = string(out); got == want {
				return
			}
		}
		t.Fatalf("clipboard = %q, want %q", got, want)
	}
	const secret = "jmc_test_clear_clipboard_cmd"
	if err := clipboard.System().Write(secret); err != nil {
		t.Fatal(err)
	}
	waitFor(secret)
	t.Setenv(clipboard.FingerprintEnv, clipboard.Fingerprint("something else"))
	if err := runClearClipboardCmd(t, "--after", "10ms"); err != nil {
		t.Fatal(err)
	}
	waitFor(secret)
	t.Setenv(clipboard.FingerprintEnv, clipboard.Fingerprint(secret))
	if err := runClearClipboardCmd(t, "--after", "10ms"); err != nil {
		t.Fatal(err)
	}
	waitFor("")
}
