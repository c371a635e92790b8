//go:build unix

package testenv

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// StartX gives the process a display of its own that xclip can use, and Stop ends it.
func TestStartXGivesADisplayOfItsOwn(t *testing.T) {
	t.Setenv("DISPLAY", ":4242") // restored when the test ends
	t.Setenv("WAYLAND_DISPLAY", "wayland-9")
	x := StartX()
	defer x.Stop()
	x.RequireX(t)
	if got := os.Getenv("DISPLAY"); got != x.Display || got == ":4242" || !strings.HasPrefix(got, ":") {
		t.Fatalf("DISPLAY = %q, server %q", got, x.Display)
	}
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		t.Fatal("WAYLAND_DISPLAY is still set: the clipboard would use Wayland")
	}
	cmd := exec.Command("xclip", "-in", "-selection", "clipboard")
	cmd.Stdin = strings.NewReader("on a display of its own")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	WaitClipboard(t, "on a display of its own")

	pid := x.cmd.Process.Pid
	x.Stop()
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("Xvfb (pid %d) still runs after Stop", pid)
	}
	if _, err := ReadClipboard(); err == nil {
		t.Fatal("the clipboard is still readable after Stop")
	}
}

// Without Xvfb, DISPLAY is unset (no test may reach another server) and RequireX says why.
func TestStartXWithoutXvfb(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		x := StartX()
		if os.Getenv("DISPLAY") != "" {
			t.Fatal("DISPLAY still set without a server")
		}
		x.RequireX(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStartXWithoutXvfb$", "-test.v")
	cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "DISPLAY=:4242", "PATH="+t.TempDir(), RequireEnv+"=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "SKIP: missing xclip (install xclip)") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
