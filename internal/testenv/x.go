package testenv

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// XServer is an X display of one test package's own: an Xvfb started from TestMain, so that
// packages tested in parallel never read or write each other's clipboard.
type XServer struct {
	// Display is the DISPLAY value of the server, such as ":3"; empty when it is missing.
	Display string
	// missing says what could not be found or started, when Display is empty.
	missing string
	cmd     *exec.Cmd
	exited  chan struct{}
}

// xvfbStartTimeout bounds how long Xvfb may take to announce its display on a loaded machine.
const xvfbStartTimeout = 60 * time.Second

// StartX starts Xvfb on a free display (Xvfb picks it: -displayfd) and points this process's
// DISPLAY at it, with WAYLAND_DISPLAY unset so that the clipboard code uses X. When Xvfb or
// xclip is missing, or Xvfb fails, DISPLAY is unset instead, so that no test reaches another X
// server, and RequireX says why. Call it from TestMain, and Stop after m.Run.
func StartX() *XServer {
	os.Unsetenv("WAYLAND_DISPLAY")
	os.Unsetenv("DISPLAY")
	x := &XServer{}
	if _, err := exec.LookPath("xclip"); err != nil {
		x.missing = "xclip (install xclip)"
		return x
	}
	if _, err := exec.LookPath("Xvfb"); err != nil {
		x.missing = "Xvfb (install xvfb)"
		return x
	}
	display, err := x.start()
	if err != nil {
		x.missing = "a working Xvfb: " + err.Error()
		x.Stop()
		return x
	}
	x.Display = display
	os.Setenv("DISPLAY", display)
	return x
}

// start runs Xvfb and waits for the display number it writes on the pipe given as -displayfd.
func (x *XServer) start() (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	// fd 3 in Xvfb is ExtraFiles[0]. No TCP, no reset when the last client leaves (which
	// would drop nothing we need but costs time), a small screen.
	x.cmd = exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp", "-noreset", "-screen", "0", "640x480x24")
	x.cmd.ExtraFiles = []*os.File{w}
	x.cmd.SysProcAttr = xvfbSysProcAttr()
	var stderr strings.Builder
	x.cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	if err := x.cmd.Start(); err != nil {
		w.Close()
		x.cmd = nil
		return "", err
	}
	w.Close()
	x.exited = make(chan struct{})
	go func() { _ = x.cmd.Wait(); close(x.exited) }()

	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if n == "" {
			<-x.exited
			return "", fmt.Errorf("the X server (Xvfb) exited without a display: %s", strings.TrimSpace(stderr.String()))
		}
		return ":" + n, nil
	case <-time.After(xvfbStartTimeout):
		return "", fmt.Errorf("the X server (Xvfb) announced no display within %v", xvfbStartTimeout)
	}
}

// Stop ends the server (the xclip processes serving its clipboard go with it).
func (x *XServer) Stop() {
	if x.cmd == nil || x.cmd.Process == nil {
		return
	}
	_ = x.cmd.Process.Kill()
	<-x.exited
}

// RequireX skips the test, or fails it under APIKEYS_REQUIRE_REAL_TOOLS=1, when the package
// has no X server of its own.
func (x *XServer) RequireX(t testing.TB) {
	t.Helper()
	Require(t, x.missing, x.Display != "")
}

// ReadClipboard is what xclip reads from the clipboard selection of DISPLAY, independently of
// the code under test. A clipboard nobody owns reads as an error.
func ReadClipboard() (string, error) {
	out, err := exec.Command("xclip", "-out", "-selection", "clipboard").Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return "", fmt.Errorf("xclip -out: %v: %s", err, strings.TrimSpace(string(exit.Stderr)))
	}
	return string(out), err
}

// ClipboardTimeout is how long WaitClipboard waits: generous, since it returns as soon as the
// clipboard is right and only a broken test waits it out.
const ClipboardTimeout = 30 * time.Second

// WaitClipboard polls the clipboard until it holds want, failing t after ClipboardTimeout.
// A single read is not enough: xclip returns before the X server knows the new owner of the
// selection (it flushes that request only after forking into the background), so a read right
// after a copy can still see the previous text.
func WaitClipboard(t testing.TB, want string) {
	t.Helper()
	deadline := time.Now().Add(ClipboardTimeout)
	for {
		got, err := ReadClipboard()
		if err == nil && got == want {
			return
		}
		if time.Now().After(deadline) {
			if err != nil {
				t.Fatalf("clipboard after %v: %v; want %q", ClipboardTimeout, err, want)
			}
			t.Fatalf("clipboard after %v holds %q; want %q", ClipboardTimeout, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	w interface{ WriteString(string) (int, error) }
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		_, _ = l.w.WriteString(string(p[:k]))
		l.n -= k
	}
	return len(p), nil
}
