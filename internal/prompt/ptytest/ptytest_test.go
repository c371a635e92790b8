//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package ptytest_test

import (
	"bufio"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/term"

	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

func TestTerminalIsATerminalWithSize(t *testing.T) {
	c := ptytest.New(t, ptytest.WithSize(100, 30))
	fd := int(c.Tty().Fd())
	if !term.IsTerminal(fd) {
		t.Fatal("Tty is not a terminal")
	}
	w, h, err := term.GetSize(fd)
	if err != nil || w != 100 || h != 30 {
		t.Fatalf("GetSize = %d×%d, %v; want 100×30", w, h, err)
	}
}

func TestSendAndExpect(t *testing.T) {
	c := ptytest.New(t)
	var line string
	var err error
	wait := c.Go(func() {
		fmt.Fprint(c.Tty(), "name? ")
		// The terminal turns Enter (CR) into a newline, as a real one does.
		line, err = bufio.NewReader(c.Tty()).ReadString('\n')
		fmt.Fprintf(c.Tty(), "hello, %s\r\n", strings.TrimSpace(line))
	})
	c.ExpectString("name? ")
	c.Send("Ada" + ptytest.KeyEnter)
	c.ExpectString("hello, Ada")
	wait()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Screen(); got != "name? hello, Ada" {
		t.Fatalf("screen = %q", got)
	}
}

func TestInputIsNotEchoedBeforeTheProgramAsks(t *testing.T) {
	c := ptytest.New(t)
	c.Send("typed early")
	if _, err := fmt.Fprint(c.Tty(), "ready"); err != nil {
		t.Fatal(err)
	}
	c.ExpectString("ready")
	if got := c.Output(); got != "ready" {
		t.Fatalf("output = %q: the terminal echoed input", got)
	}
}

// fakeTB records a fatal failure instead of ending the real test.
type fakeTB struct {
	testing.TB
	mu    sync.Mutex
	fatal string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func TestExpectStringFailsAfterTimeout(t *testing.T) {
	fake := &fakeTB{TB: t}
	fc := ptytest.New(fake, ptytest.WithTimeout(200*time.Millisecond))
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fc.ExpectString("never written")
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("ExpectString did not give up")
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("gave up after %v, before the timeout", d)
	}
	if !strings.Contains(fake.fatal, `timed out after 200ms waiting for "never written"`) {
		t.Fatalf("failure message = %q", fake.fatal)
	}
}

func TestWaitFailsAfterTimeout(t *testing.T) {
	fake := &fakeTB{TB: t}
	c := ptytest.New(fake, ptytest.WithTimeout(100*time.Millisecond))
	release := make(chan struct{})
	defer close(release)
	wait := c.Go(func() { <-release })
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait()
	}()
	<-done
	if !strings.Contains(fake.fatal, "timed out after 100ms waiting for the program to return") {
		t.Fatalf("failure message = %q", fake.fatal)
	}
}

func TestCloseEndsAProgramBlockedReading(t *testing.T) {
	c := ptytest.New(t)
	done := make(chan error, 1)
	go func() {
		_, err := bufio.NewReader(c.Tty()).ReadString('\n')
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the read block
	c.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("read succeeded after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a read blocked on the terminal survived Close")
	}
}
