package clipboard_test

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

func TestOSC52WritesTheExactSequence(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{text: "k3y:s3cr3té", want: "\x1b]52;c;azN5OnMzY3IzdMOp\a"},
		{text: "", want: "\x1b]52;c;\a"},
		{text: "abc", want: "\x1b]52;c;YWJj\a"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := clipboard.OSC52(&buf).Write(tt.text); err != nil {
			t.Fatalf("Write(%q): %v", tt.text, err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("Write(%q) wrote %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestOSC52CannotBeRead(t *testing.T) {
	_, err := clipboard.OSC52(&bytes.Buffer{}).Read()
	if !errors.Is(err, clipboard.ErrReadUnsupported) {
		t.Fatalf("Read err = %v, want ErrReadUnsupported", err)
	}
}

func TestFingerprint(t *testing.T) {
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := clipboard.Fingerprint("abc"); got != abc {
		t.Fatalf("Fingerprint(abc) = %s, want %s", got, abc)
	}
	if clipboard.Fingerprint("a") == clipboard.Fingerprint("b") {
		t.Fatal("different texts share a fingerprint")
	}
}

func noDisplay(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the system clipboard needs no display on " + runtime.GOOS)
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
}

func TestAvailable(t *testing.T) {
	t.Run("no display", func(t *testing.T) {
		noDisplay(t)
		if clipboard.Available() {
			t.Fatal("Available() = true without a display")
		}
	})
	t.Run("display but no tool", func(t *testing.T) {
		noDisplay(t)
		t.Setenv("DISPLAY", ":42")
		t.Setenv("PATH", t.TempDir())
		if clipboard.Available() {
			t.Fatal("Available() = true without xclip, xsel or wl-copy")
		}
	})
}

func TestCopyWithoutDisplay(t *testing.T) {
	tests := []struct {
		name       string
		isTTY      bool
		wantMethod string
		wantErr    string
		wantTTY    string
	}{
		{
			name:    "not a terminal",
			isTTY:   false,
			wantErr: "clipboard unavailable: no X or Wayland display (DISPLAY and WAYLAND_DISPLAY are unset), and no terminal to send OSC 52 to",
		},
		{
			name:       "terminal falls back to OSC 52",
			isTTY:      true,
			wantMethod: clipboard.MethodOSC52,
			wantTTY:    "\x1b]52;c;czNjcjN0\a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noDisplay(t)
			var tty bytes.Buffer
			method, err := clipboard.Copy("s3cr3t", &tty, tt.isTTY)
			if method != tt.wantMethod {
				t.Errorf("method = %q, want %q", method, tt.wantMethod)
			}
			if gotErr := errString(err); gotErr != tt.wantErr {
				t.Errorf("err = %q, want %q", gotErr, tt.wantErr)
			}
			if tty.String() != tt.wantTTY {
				t.Errorf("terminal got %q, want %q", tty.String(), tt.wantTTY)
			}
		})
	}
}

func TestCopyWithDisplayButNoToolDoesNotUseOSC52(t *testing.T) {
	noDisplay(t)
	t.Setenv("DISPLAY", ":42")
	t.Setenv("PATH", t.TempDir())
	var tty bytes.Buffer
	method, err := clipboard.Copy("s3cr3t", &tty, true)
	want := "clipboard unavailable: no clipboard tool (install xclip, xsel or wl-clipboard)"
	if method != "" || errString(err) != want {
		t.Fatalf("Copy = %q, %q; want \"\", %q", method, errString(err), want)
	}
	if tty.Len() != 0 {
		t.Fatalf("wrote %q to the terminal", tty.String())
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// The tests below use the package's own X server (see TestMain).

func TestSystemWriteIsWhatXclipReads(t *testing.T) {
	requireX(t)
	secret := uniqueSecret(t) + " with spaces, ünïcode and\nno trailing newline"
	if err := clipboard.System().Write(secret); err != nil {
		t.Fatalf("Write: %v", err)
	}
	testenv.WaitClipboard(t, secret)
}

func TestSystemReadsWhatXclipWrote(t *testing.T) {
	requireX(t)
	want := uniqueSecret(t)
	xclipWrite(t, want)
	got, err := clipboard.System().Read()
	if err != nil || got != want {
		t.Fatalf("Read = %q, %v; want %q", got, err, want)
	}
	if err := clipboard.System().Write(""); err != nil {
		t.Fatal(err)
	}
	testenv.WaitClipboard(t, "")
	if got, err := clipboard.System().Read(); err != nil || got != "" {
		t.Fatalf("Read of an emptied clipboard = %q, %v; want \"\", nil", got, err)
	}
}

func TestCopyUsesTheSystemClipboard(t *testing.T) {
	requireX(t)
	secret := uniqueSecret(t)
	var tty bytes.Buffer
	method, err := clipboard.Copy(secret, &tty, true)
	if err != nil || method != clipboard.MethodSystem {
		t.Fatalf("Copy = %q, %v; want %q", method, err, clipboard.MethodSystem)
	}
	testenv.WaitClipboard(t, secret)
	if tty.Len() != 0 {
		t.Fatalf("also wrote %q to the terminal", tty.String())
	}
}

func TestCopyReportsAFailingSystemClipboard(t *testing.T) {
	requireX(t)
	t.Setenv("DISPLAY", ":9999") // no server there: xclip fails
	var tty bytes.Buffer
	method, err := clipboard.Copy("s3cr3t", &tty, true)
	if method != "" || err == nil || !strings.HasPrefix(err.Error(), "clipboard unavailable: system clipboard failed: ") {
		t.Fatalf("Copy = %q, %v; want a system clipboard failure", method, err)
	}
	if tty.Len() != 0 {
		t.Fatalf("fell back to OSC 52 with a display set: %q", tty.String())
	}
}
