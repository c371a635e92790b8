//go:build unix

package testenv

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// GateEnv names the environment variable that hands a Gate's path to a helper process. It
// does not start with APIKEYS_, so the clipboard clearer's scrubbed environment keeps it.
const GateEnv = "TESTENV_GATE"

// Gate holds a helper process back until the test lets it go: an event instead of a timer,
// for processes such as the clipboard clearer whose timing the test must control. It is a
// named pipe: the helper (WaitGate) blocks opening it for reading until the test (Open)
// opens it for writing.
type Gate struct {
	Path string
	once sync.Once
}

// gateOpenTimeout bounds how long Open waits for the helper to reach the gate.
const gateOpenTimeout = 60 * time.Second

// NewGate makes a gate in a temporary directory of t. When the test ends without opening it,
// it is opened so that a helper still waiting goes on and exits instead of hanging.
func NewGate(t testing.TB) *Gate {
	t.Helper()
	g := &Gate{Path: filepath.Join(t.TempDir(), "gate")}
	if err := unix.Mkfifo(g.Path, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	t.Cleanup(func() {
		g.once.Do(func() {
			// Non-blocking: succeeds only if a helper is waiting, which it releases.
			if f, err := os.OpenFile(g.Path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		})
	})
	return g
}

// Open lets the helper waiting at the gate go on, waiting for it to get there first; it
// fails t if no helper comes within a minute.
func (g *Gate) Open(t testing.TB) {
	t.Helper()
	var err error
	g.once.Do(func() {
		opened := make(chan error, 1)
		go func() {
			f, err := os.OpenFile(g.Path, os.O_WRONLY, 0) // blocks until the helper opens it
			if err == nil {
				err = f.Close()
			}
			opened <- err
		}()
		select {
		case err = <-opened:
		case <-time.After(gateOpenTimeout):
			err = errors.New("no process came to the gate within " + gateOpenTimeout.String())
		}
	})
	if err != nil {
		t.Fatalf("open the gate: %v", err)
	}
}

// WaitGate is the helper's side: when GateEnv is set, it blocks until the test opens the gate.
func WaitGate() error {
	path := os.Getenv(GateEnv)
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f) // until the test closes its end
	return err
}
