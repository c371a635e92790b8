//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

// Package ptytest drives code that talks to a terminal, such as survey
// prompts or a whole apikeys command, through a real pseudo-terminal in the
// test process.
//
// The chain is creack/pty → vt10x terminal emulator. Everything the program
// writes is pumped continuously into the emulator, which answers cursor
// position queries as a real terminal does, and into a transcript that
// ExpectString searches. Every wait has a deadline, so a test never hangs.
//
// Typical use, from the test goroutine:
//
//	c := ptytest.New(t)
//	p := prompt.NewSurvey(c.Tty(), c.Tty(), c.Tty())
//	var got int
//	var err error
//	wait := c.Go(func() { got, err = p.Select("Pick one", opts, 0) })
//	c.ExpectString("Pick one")
//	c.Send(ptytest.KeyDown + ptytest.KeyEnter)
//	wait()
package ptytest

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"golang.org/x/sys/unix"

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

const (
	// quietSettle is how long the program's output must have been quiet
	// before Send types, so that keys reach a program that has finished
	// drawing and is waiting for them, as with a person at the keyboard.
	quietSettle = 20 * time.Millisecond
	// maxQuietWait bounds the wait for quiet output, for programs that
	// never stop writing (spinners); Send types anyway after it.
	maxQuietWait = time.Second
	// maxReplyWait bounds how long a reply to a cursor query waits for the
	// program to read earlier input, in case it queries without reading.
	maxReplyWait = time.Second
	pollEvery    = time.Millisecond
)

// Option configures New.
type Option func(*config)

type config struct {
	cols, rows int
	timeout    time.Duration
}

// WithSize sets the terminal size (default 80×24), both on the pty, where
// term.GetSize sees it, and in the emulator, which answers cursor queries.
func WithSize(cols, rows int) Option {
	return func(c *config) { c.cols, c.rows = cols, rows }
}

// WithTimeout sets how long Send, ExpectString and the wait function of Go
// wait before failing the test (default DefaultTimeout).
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// Console is a pseudo-terminal under test control. Its methods that can fail
// the test (New, Send, ExpectString, and the wait function of Go) must be
// called from the test goroutine.
type Console struct {
	t       testing.TB
	termMu  sync.Mutex // guards term: the pump writes it, Screen reads it
	term    vt10x.Terminal
	timeout time.Duration

	ptm   *os.File // master side, pollable so that Close interrupts the pump
	pts   *os.File // slave side, the program's terminal
	ptsFd int

	// inMu serialises writes to the terminal's input: keys from Send and
	// the emulator's replies to cursor queries.
	inMu    sync.Mutex
	replies chan []byte // from the emulator, written in order by the replier
	replied chan struct{}

	// running counts the goroutines started by Go, which Close lets end
	// before it closes the terminal they may still be using.
	running sync.WaitGroup

	mu        sync.Mutex
	start     time.Time
	events    []string      // timeline of output, replies and keys, shown on failure
	out       []byte        // everything the program wrote, raw
	pos       int           // out[:pos] has been consumed by ExpectString
	lastOut   time.Time     // when the program last wrote
	closed    bool          // Close has finished: the test may be over
	wake      chan struct{} // signalled (non-blocking) when out grows or the pump ends
	pumped    chan struct{} // closed when the pump goroutine ends
	closeOnce sync.Once
}

// New opens a pseudo-terminal for t and closes it when t ends. It skips the
// test when no pseudo-terminal can be opened (or fails it, under
// APIKEYS_REQUIRE_REAL_TOOLS=1).
//
// Before returning, New puts the terminal in non-canonical, no-echo,
// no-signal mode, as a prompt library does only once its prompt is drawn:
// otherwise keys sent as soon as a prompt appears can be swallowed during the
// switch.
func New(t testing.TB, opts ...Option) *Console {
	t.Helper()
	cfg := config{cols: 80, rows: 24, timeout: DefaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}

	master, pts, err := pty.Open()
	if err != nil {
		testenv.Require(t, fmt.Sprintf("a pseudo-terminal (%v)", err), false)
		return nil
	}
	// pty.Open leaves the master in blocking mode, where closing it cannot
	// interrupt a pending read: use a non-blocking duplicate, which the Go
	// runtime polls, so that Close always stops the pump.
	ptm, err := pollable(master)
	_ = master.Close()
	if err != nil {
		_ = pts.Close()
		t.Fatalf("ptytest: %v", err)
	}

	c := &Console{
		t:       t,
		timeout: cfg.timeout,
		ptm:     ptm,
		pts:     pts,
		ptsFd:   int(pts.Fd()),
		replies: make(chan []byte, 64),
		replied: make(chan struct{}),
		wake:    make(chan struct{}, 1),
		pumped:  make(chan struct{}),
		start:   time.Now(),
	}
	c.term = vt10x.New(vt10x.WithWriter(replyWriter{c}), vt10x.WithSize(cfg.cols, cfg.rows))
	t.Cleanup(c.Close)

	if err := pty.Setsize(pts, &pty.Winsize{Cols: uint16(cfg.cols), Rows: uint16(cfg.rows)}); err != nil {
		t.Fatalf("ptytest: set terminal size: %v", err)
	}
	if err := makeInputRaw(c.ptsFd); err != nil {
		t.Fatalf("ptytest: set terminal mode: %v", err)
	}

	go c.pump()
	go c.replier()
	return c
}

func pollable(f *os.File) (*os.File, error) {
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		return nil, fmt.Errorf("duplicate pty master: %w", err)
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("pty master non-blocking: %w", err)
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// pump copies the program's output to the emulator and the transcript until
// the pty is closed.
func (c *Console) pump() {
	defer close(c.pumped)
	defer close(c.replies) // the emulator, which sends them, is fed only here
	defer c.signal()
	buf := make([]byte, 4096)
	var carry []byte // an incomplete UTF-8 sequence, kept for the next read
	for {
		n, err := c.ptm.Read(buf)
		if n > 0 {
			// The emulator is fed before the output is published: once ExpectString has seen
			// text, Screen shows it too. (termMu, not mu: the emulator's replies may block
			// on the replier, which logs under mu.)
			data := append(carry, buf[:n]...) //nolint:gocritic // carry is reset from data below
			cut := completeRunes(data)
			c.termMu.Lock()
			_, _ = c.term.Write(data[:cut])
			c.termMu.Unlock()
			c.mu.Lock()
			c.out = append(c.out, buf[:n]...)
			c.lastOut = time.Now()
			c.mu.Unlock()
			carry = append([]byte(nil), data[cut:]...)
			c.logEvent("output %q", buf[:n])
			c.signal()
		}
		if err != nil {
			return
		}
	}
}

// completeRunes returns the length of the longest prefix of p that does not
// end inside a UTF-8 sequence.
func completeRunes(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if utf8.FullRune(p[i:]) {
				return len(p)
			}
			return i
		}
	}
	return len(p)
}

// replyWriter receives the emulator's answers to the program's queries
// (cursor position reports).
type replyWriter struct{ c *Console }

func (w replyWriter) Write(p []byte) (int, error) {
	w.c.replies <- append([]byte(nil), p...)
	return len(p), nil
}

// replier types the emulator's replies, in order, without holding up the
// pump.
func (c *Console) replier() {
	defer close(c.replied)
	for r := range c.replies {
		if err := c.typeInput(r, maxReplyWait); err == errInputPending {
			c.logEvent("reply %q: earlier input still unread after %v, typing it anyway", r, maxReplyWait)
			c.inMu.Lock()
			_, _ = c.ptm.Write(r)
			c.inMu.Unlock()
		}
	}
}

var errInputPending = fmt.Errorf("earlier input still unread")

// typeInput writes b to the terminal's input once the program has read
// everything written before, waiting up to maxWait.
//
// Each write then reaches the program in reads of its own, never glued to
// the previous one. That matters for survey: it asks for the cursor position
// when a line prompt starts and parses the reply with a buffered reader that
// it then throws away, so keys read together with the reply are lost, and a
// reply read together with keys containing an "R" is never recognised
// (survey waits forever). A person cannot type that fast; a test can.
func (c *Console) typeInput(b []byte, maxWait time.Duration) error {
	deadline := time.Now().Add(maxWait)
	for {
		c.inMu.Lock()
		queued, err := c.inputQueued()
		if err == nil && queued == 0 {
			_, err = c.ptm.Write(b)
			c.inMu.Unlock()
			c.logEvent("input %q", b)
			return err
		}
		c.inMu.Unlock()
		if err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return errInputPending
		}
		time.Sleep(pollEvery)
	}
}

// inputQueued returns how many bytes typed on the terminal the program has
// not read yet. Bytes written to a pty master reach the terminal's input
// queue asynchronously (Linux moves them in a kernel worker, which can lag
// by tens of milliseconds on a loaded machine); polling the terminal makes
// the kernel move them first, so that the count includes them.
func (c *Console) inputQueued() (int, error) {
	fds := []unix.PollFd{{Fd: int32(c.ptsFd), Events: unix.POLLIN}}
	if _, err := unix.Poll(fds, 0); err != nil && err != unix.EINTR {
		return 0, err
	}
	return unix.IoctlGetInt(c.ptsFd, ioctlInputQueued)
}

// logEvent adds to the timeline shown when the test fails.
func (c *Console) logEvent(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	const keep = 200
	if len(c.events) == keep {
		c.events = append(c.events[:0], c.events[1:]...)
	}
	at := float64(time.Since(c.start).Microseconds()) / 1000
	c.events = append(c.events, fmt.Sprintf("%9.3fms ", at)+fmt.Sprintf(format, args...))
}

func (c *Console) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Tty returns the terminal side of the pty (the slave): give it to the code
// under test as its stdin, stdout and/or stderr.
func (c *Console) Tty() *os.File { return c.pts }

// Send types s on the terminal's keyboard (see the Key constants), once the
// program has read everything typed before and its output has been quiet
// for a moment (see typeInput for why).
func (c *Console) Send(s string) {
	c.t.Helper()
	start := time.Now()
	for {
		c.mu.Lock()
		quiet := time.Since(c.lastOut) >= quietSettle
		c.mu.Unlock()
		if quiet || time.Since(start) >= maxQuietWait {
			break
		}
		time.Sleep(pollEvery)
	}
	switch err := c.typeInput([]byte(s), c.timeout); {
	case err == errInputPending:
		c.t.Fatalf("ptytest: send %q: the program did not read its earlier input within %v\nscreen:\n%s", s, c.timeout, c.Screen())
	case err != nil:
		c.t.Fatalf("ptytest: send %q: %v", s, err)
	}
}

// ExpectString waits until the program has written s (compared with the raw
// output, escape sequences included) after the end of the previous match,
// and consumes the output up to the end of s. It fails the test if s does
// not appear within the timeout or before the terminal is closed.
func (c *Console) ExpectString(s string) {
	c.t.Helper()
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	for {
		c.mu.Lock()
		if i := bytes.Index(c.out[c.pos:], []byte(s)); i >= 0 {
			c.pos += i + len(s)
			c.mu.Unlock()
			return
		}
		unread := string(c.out[c.pos:])
		c.mu.Unlock()

		select {
		case <-c.wake:
			continue
		case <-c.pumped:
			c.mu.Lock()
			found := bytes.Contains(c.out[c.pos:], []byte(s))
			c.mu.Unlock()
			if found {
				continue
			}
			c.t.Fatalf("ptytest: terminal closed while waiting for %q\nunread output: %q\nscreen:\n%s", s, unread, c.Screen())
		case <-timer.C:
			c.t.Fatalf("ptytest: timed out after %v waiting for %q\nunread output: %q\nscreen:\n%s", c.timeout, s, unread, c.Screen())
		}
	}
}

// Go runs fn in a new goroutine and returns a function that waits for fn to
// return, failing the test if it takes longer than the timeout. Results
// assigned by fn to captured variables are safe to read after the wait.
// A panic in fn fails the test instead of crashing the test binary.
func (c *Console) Go(fn func()) (wait func()) {
	done := make(chan struct{})
	var panicked string
	c.running.Add(1)
	go func() {
		defer c.running.Done()
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				panicked = fmt.Sprintf("%v\n%s", r, debug.Stack())
				c.mu.Lock()
				closed := c.closed
				c.mu.Unlock()
				if !closed {
					c.t.Errorf("ptytest: the program panicked: %s", panicked)
				}
			}
		}()
		fn()
	}()
	return func() {
		c.t.Helper()
		select {
		case <-done:
			if panicked != "" {
				c.t.FailNow()
			}
		case <-time.After(c.timeout):
			c.t.Fatalf("ptytest: timed out after %v waiting for the program to return\nscreen:\n%s", c.timeout, c.Screen())
		}
	}
}

// Output returns everything the program has written so far, raw.
func (c *Console) Output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.out)
}

// Screen returns what the emulated terminal displays now, one line per row,
// without trailing blanks.
func (c *Console) Screen() string {
	c.termMu.Lock()
	screen := c.term.String()
	c.termMu.Unlock()
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// Close closes the pty: the program's reads on it then fail, which ends a
// prompt still waiting for keys. It waits (up to the timeout) for the
// goroutines started by Go to return before closing the program's side. It
// is called automatically when the test ends; calling it again does nothing.
func (c *Console) Close() {
	c.closeOnce.Do(func() {
		if c.t.Failed() {
			c.mu.Lock()
			timeline := strings.Join(c.events, "\n")
			c.mu.Unlock()
			c.t.Logf("ptytest: screen at close:\n%s\ntimeline:\n%s", c.Screen(), timeline)
		}
		_ = c.ptm.Close()
		select {
		case <-c.pumped:
			<-c.replied
		case <-time.After(c.timeout):
			c.t.Errorf("ptytest: output pump did not stop within %v", c.timeout)
		}
		programs := make(chan struct{})
		go func() {
			c.running.Wait()
			close(programs)
		}()
		select {
		case <-programs:
			_ = c.pts.Close()
		case <-time.After(c.timeout):
			// Leave the terminal open rather than race with a program
			// still using it.
			c.t.Errorf("ptytest: the program did not return within %v of closing its terminal", c.timeout)
		}
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
	})
}
