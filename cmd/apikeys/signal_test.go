//go:build unix

package main

import (
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// SIGTERM and SIGHUP end a command whose prompt waits, with the terminal in raw mode, as
// Ctrl-C does: exit 3, nothing changed. Run as a real process on a pseudo-terminal.
func TestSignalEndsAWaitingPrompt(t *testing.T) {
	prompts := []struct {
		name   string
		args   []string
		expect string
	}{
		{"picker", []string{"delete", "GeoServer sync"}, "Who inherits the resources?"},
		{"confirmation", []string{"delete", "GeoServer sync", "--transfer-to", "erin@acme.example"}, "cannot be undone"},
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		for _, p := range prompts {
			t.Run(sig.String()+"/"+p.name, func(t *testing.T) {
				env := append(sandboxEnv(t), "NO_COLOR=1", "TERM=xterm", "APIKEYS_PROMPT_DISABLED=")
				before := sandboxState(t, env)
				c := ptytest.New(t)
				cmd, wait := startInTerminal(t, c, env, "apikeys", append([]string{"--sandbox"}, p.args...)...)
				c.ExpectString(p.expect)
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				waitErr := wait()
				var exitErr *exec.ExitError
				if !errors.As(waitErr, &exitErr) || exitErr.ExitCode() != 3 {
					t.Fatalf("after %v at the %s: %v, want exit 3\nscreen:\n%s", sig, p.name, waitErr, c.Screen())
				}
				c.ExpectString("Error: interrupted")
				if after := sandboxState(t, env); after != before {
					t.Errorf("the sandbox changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

// startInTerminal starts name with args in a session of its own whose controlling terminal
// is c, as a shell would start it; wait waits for it to end and returns cmd.Wait's error.
func startInTerminal(t *testing.T, c *ptytest.Console, env []string, name string, args ...string) (cmd *exec.Cmd, wait func() error) {
	t.Helper()
	cmd = exec.Command(name, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Tty(), c.Tty(), c.Tty()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	done := c.Go(func() { waitErr = cmd.Wait() })
	return cmd, func() error { done(); return waitErr }
}

// sandboxState is every key ID and every resource's owner, as text to compare.
func sandboxState(t *testing.T, env []string) string {
	t.Helper()
	var lines []string
	for _, k := range sandboxKeys(t, env) {
		lines = append(lines, k.ID)
	}
	for _, r := range sandboxResources(t, env) {
		lines = append(lines, r.ID+" "+r.OwnerKind+" "+r.OwnerID)
	}
	return strings.Join(lines, "\n")
}

// Started with SIGHUP ignored (nohup), apikeys keeps ignoring it: the prompt still answers.
func TestIgnoredHangupStaysIgnored(t *testing.T) {
	env := append(sandboxEnv(t), "NO_COLOR=1", "TERM=xterm", "APIKEYS_PROMPT_DISABLED=")
	c := ptytest.New(t)
	cmd, wait := startInTerminal(t, c, env, "sh", "-c", `trap "" HUP; exec apikeys --sandbox delete "GeoServer sync"`)
	c.ExpectString("Who inherits the resources?")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	c.Send(ptytest.KeyEnter)
	c.ExpectString("cannot be undone")
	c.Send("y" + ptytest.KeyEnter)
	waitErr := wait()
	if waitErr != nil {
		t.Fatalf("after an ignored SIGHUP: %v, want the delete to finish\nscreen:\n%s", waitErr, c.Screen())
	}
}
