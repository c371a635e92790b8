// Package clipboard puts secrets on the user's clipboard, best effort, and
// takes them off again.
//
// Copying never decides a command's outcome: callers warn when it fails.
// The system clipboard is preferred: read through atotto/clipboard, written
// by running the tool atotto would (pbcopy, wl-copy, xclip, xsel, ...) with
// the APIKEYS_ variables removed from its environment. On a terminal without
// a display, such as an SSH session, the OSC 52 escape sequence asks the
// user's terminal emulator to set its clipboard instead.
package clipboard

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	atotto "github.com/atotto/clipboard"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Clipboard holds one text.
type Clipboard interface {
	Write(text string) error
	Read() (string, error)
}

// The methods Copy reports.
const (
	// MethodSystem is the system clipboard; only it can be cleared later.
	MethodSystem = "system"
	// MethodOSC52 means the text was sent to the terminal as an OSC 52
	// escape sequence. Whether the terminal honoured it cannot be known,
	// and it cannot be read back, so it cannot be cleared automatically.
	MethodOSC52 = "OSC 52"
)

// ErrReadUnsupported is returned by the Read of a write-only clipboard.
var ErrReadUnsupported = errors.New("reading this clipboard is not supported")

// System returns the system clipboard.
func System() Clipboard { return systemClipboard{} }

type systemClipboard struct{}

// Write runs the copy tool itself rather than through atotto, which would
// start it with this process's environment: the xclip, xsel or wl-copy child
// that stays behind to serve the selection would then carry APIKEYS_PASSWORD
// and the like for as long as the copy lives. Where no tool is involved
// (Windows: the Win32 API), atotto writes.
func (systemClipboard) Write(text string) error {
	args := copyArgs(runtime.GOOS, os.Getenv, exec.LookPath)
	if args == nil {
		return atotto.WriteAll(text)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = scrubbedEnv(os.Environ())
	cmd.Stdin = strings.NewReader(text)
	// Stdout and Stderr stay the null device: the child that stays behind to
	// serve the selection would hold a pipe open, and Run would wait for it.
	return cmd.Run()
}

// Read goes through atotto: the reading tool exits at once, and the only
// reader, the clearer, already runs with a scrubbed environment.
func (systemClipboard) Read() (string, error) { return atotto.ReadAll() }

// copyArgs is the command line that copies its standard input to the system
// clipboard: the tool atotto/clipboard would choose, in the same order, so
// that reading (atotto) and writing (Write) meet on the same clipboard. It is
// nil where atotto runs no tool (Windows) or finds none (atotto then reports
// which to install).
func copyArgs(goos string, getenv func(string) string, lookPath func(string) (string, error)) []string {
	has := func(name string) bool {
		_, err := lookPath(name)
		return err == nil
	}
	switch {
	case goos == "windows":
		return nil
	case goos == "darwin":
		return []string{"pbcopy"}
	case getenv("WAYLAND_DISPLAY") != "" && has("wl-copy") && has("wl-paste"):
		return []string{"wl-copy"}
	case has("xclip"):
		return []string{"xclip", "-in", "-selection", "clipboard"}
	case has("xsel"):
		return []string{"xsel", "--input", "--clipboard"}
	case has("termux-clipboard-set") && has("termux-clipboard-get"):
		return []string{"termux-clipboard-set"}
	case has("clip.exe") && has("powershell.exe"):
		return []string{"clip.exe"} // WSL
	}
	return nil
}

// OSC52 returns a write-only clipboard that sends text to the terminal w
// (the terminal apikeys draws on: stderr) in an OSC 52 escape sequence,
// which many terminal emulators, including over SSH, turn into a copy.
func OSC52(w io.Writer) Clipboard { return osc52{w: w} }

type osc52 struct{ w io.Writer }

func (o osc52) Write(text string) error {
	// One write, so that nothing else can land inside the sequence.
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\a"
	_, err := io.WriteString(o.w, seq)
	return err
}

func (osc52) Read() (string, error) {
	return "", fmt.Errorf("OSC 52: %w", ErrReadUnsupported)
}

// Available reports whether the system clipboard can work here: always on
// macOS and Windows; elsewhere it needs an X or Wayland display (DISPLAY or
// WAYLAND_DISPLAY) and a tool to reach it (xclip or xsel, or wl-copy and
// wl-paste).
func Available() bool {
	return systemUnavailable() == nil
}

// systemUnavailable says why the system clipboard cannot work, or nil.
func systemUnavailable() error {
	switch runtime.GOOS {
	case "darwin", "windows":
		return nil
	}
	wayland, x := os.Getenv("WAYLAND_DISPLAY") != "", os.Getenv("DISPLAY") != ""
	if !wayland && !x {
		return l10n.Errorf("no X or Wayland display (DISPLAY and WAYLAND_DISPLAY are unset)")
	}
	if wayland && onPath("wl-copy") && onPath("wl-paste") {
		return nil
	}
	if x && (onPath("xclip") || onPath("xsel")) {
		return nil
	}
	if wayland && !x {
		return l10n.Errorf("no clipboard tool for Wayland (install wl-clipboard)")
	}
	return l10n.Errorf("no clipboard tool (install xclip, xsel or wl-clipboard)")
}

func hasDisplay() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

func onPath(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// Copy puts text on the system clipboard or, failing that and when tty is a
// terminal (isTTY) with no display around, sends it to the terminal with
// OSC 52. It returns the method that worked (MethodSystem or MethodOSC52),
// or an error saying why nothing did; callers warn, never fail.
func Copy(text string, tty io.Writer, isTTY bool) (method string, err error) {
	var sysErr error
	if why := systemUnavailable(); why != nil {
		sysErr = why
	} else if err := System().Write(text); err != nil {
		sysErr = l10n.Errorf("system clipboard failed: %w", err)
	} else {
		return MethodSystem, nil
	}

	switch {
	case hasDisplay():
		// A local session: its terminal may ignore OSC 52 silently, so
		// reporting a copy would be a guess.
		return "", l10n.Errorf("clipboard unavailable: %w", sysErr)
	case !isTTY || tty == nil:
		return "", l10n.Errorf("clipboard unavailable: %w, and no terminal to send OSC 52 to", sysErr)
	}
	if err := OSC52(tty).Write(text); err != nil {
		return "", l10n.Errorf("clipboard unavailable: %w; OSC 52 failed: %w", sysErr, err)
	}
	return MethodOSC52, nil
}

// Fingerprint identifies text without revealing it (hex SHA-256): the
// clearer compares fingerprints, so it never needs the secret itself.
func Fingerprint(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// checkFingerprint refuses anything that is not a Fingerprint, such as a
// secret passed by mistake.
func checkFingerprint(fp string) error {
	if len(fp) != 2*sha256.Size {
		return errors.New("clipboard fingerprint: want 64 hexadecimal digits (a SHA-256)")
	}
	if _, err := hex.DecodeString(fp); err != nil {
		return errors.New("clipboard fingerprint: want 64 hexadecimal digits (a SHA-256)")
	}
	return nil
}
