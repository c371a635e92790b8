package main

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ctrl-C during a stalled request cancels it at once and exits 3, for a read and a write.
func TestInterruptCancelsTheRequest(t *testing.T) {
	url, env := startServe(t, "--fault-rate", "1", "--faults", "slow", "--slow-delay", "20s")
	for _, args := range [][]string{
		{"list"},
		{"create", "interrupted", "--role", "viewer", "--expires", "2d"},
	} {
		cmd := exec.Command("apikeys", args...)
		cmd.Env = env
		var errOut strings.Builder
		cmd.Stderr = &errOut
		before := fetchStats(t, url)["requests"].(float64)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Interrupt only once the request is stalled at the server: a fixed sleep could send
		// SIGINT before a slow start-up installs the handler, and the default action kills
		// the process instead of exiting 3.
		for deadline := time.Now().Add(30 * time.Second); fetchStats(t, url)["requests"].(float64) == before; {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("%v sent no request within 30s; stderr %s", args, errOut.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		start := time.Now()
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		elapsed := time.Since(start)
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 3 {
			t.Fatalf("%v after Ctrl-C: %v, want exit 3; stderr %s", args, err, errOut.String())
		}
		// Not cancelled, the request would stall the full 20 s: half of that tells the two
		// apart without timing a loaded machine's process exit to the second.
		if elapsed > 10*time.Second {
			t.Fatalf("%v took %s to stop after Ctrl-C", args, elapsed)
		}
		if !strings.Contains(errOut.String(), "interrupted") {
			t.Errorf("%v: stderr does not say it was interrupted: %s", args, errOut.String())
		}
	}
}
