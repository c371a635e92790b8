//go:build !unix

package testenv

import (
	"errors"
	"os"
	"testing"
)

// GateEnv names the environment variable that hands a Gate's path to a helper process.
const GateEnv = "TESTENV_GATE"

// Gate needs named pipes: unix only.
type Gate struct{ Path string }

// NewGate skips the test: there are no named pipes here.
func NewGate(t testing.TB) *Gate {
	t.Helper()
	t.Skip("SKIP: a test gate needs a named pipe (unix)")
	return nil
}

// Open is never reached: NewGate skipped the test.
func (g *Gate) Open(t testing.TB) {}

// WaitGate fails when a gate was asked for, since none can exist here.
func WaitGate() error {
	if os.Getenv(GateEnv) != "" {
		return errors.New("test gates need named pipes (unix)")
	}
	return nil
}
