//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package ptytest

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/testenv"
)

// Keys to Send.
const (
	KeyEnter     = "\r"
	KeyUp        = "\x1b[A"
	KeyDown      = "\x1b[B"
	KeyBackspace = "\x7f"
	KeyCtrlC     = "\x03"
	KeyCtrlD     = "\x04"
)

// DefaultTimeout bounds every wait unless WithTimeout says otherwise.
const DefaultTimeout = 10 * time.Second

// Option configures New.
type Option func()

// WithSize sets the terminal size (unused on this platform).
func WithSize(cols, rows int) Option { return func() {} }

// WithTimeout sets the wait deadline (unused on this platform).
func WithTimeout(d time.Duration) Option { return func() {} }

// Console is not available on this platform: New skips the test.
type Console struct{}

// New skips the test: this platform has no pseudo-terminal support here.
func New(t testing.TB, opts ...Option) *Console {
	t.Helper()
	testenv.Require(t, "a pseudo-terminal on "+runtime.GOOS, false)
	return nil
}

func (c *Console) Tty() *os.File         { return nil }
func (c *Console) Send(s string)         {}
func (c *Console) ExpectString(s string) {}
func (c *Console) Go(fn func()) func()   { return func() {} }
func (c *Console) Output() string        { return "" }
func (c *Console) Screen() string        { return "" }
func (c *Console) Close()                {}
