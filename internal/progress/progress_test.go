package progress

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is the terminal the spinner draws on: its goroutine writes, the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// fakeClock hands each wait the spinner asks for to the test, which decides when it ends.
type fakeClock struct {
	waits chan time.Duration
	fire  chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{waits: make(chan time.Duration, 16), fire: make(chan time.Time)}
}

func (c *fakeClock) after(d time.Duration) <-chan time.Time {
	c.waits <- d
	return c.fire
}

// expectWait checks the wait the spinner asks for next: by then it has drawn what it drew.
func (c *fakeClock) expectWait(t *testing.T, want time.Duration) {
	t.Helper()
	if got := <-c.waits; got != want {
		t.Fatalf("spinner waited %v, want %v", got, want)
	}
}

// tick ends the wait the spinner is in.
func (c *fakeClock) tick() { c.fire <- time.Time{} }

func TestNothingIsDrawnBeforeTheDelay(t *testing.T) {
	var term syncBuffer
	clock := newFakeClock()
	s := Start(&term, text("Fetching API keys…"), Options{After: clock.after})
	if got := <-clock.waits; got != DefaultDelay {
		t.Fatalf("first wait %v, want the default delay %v", got, DefaultDelay)
	}
	s.Stop()
	if got := term.String(); got != "" {
		t.Fatalf("work that ended before the delay drew %q, want nothing", got)
	}
	s.Stop() // idempotent
}

func TestSpinnerDrawsAfterTheDelayAndErasesItsLine(t *testing.T) {
	var term syncBuffer
	clock := newFakeClock()
	s := Start(&term, text("Fetching API keys…"), Options{After: clock.after})
	clock.expectWait(t, DefaultDelay)
	clock.tick()
	clock.expectWait(t, interval) // the first frame is written
	clock.tick()
	clock.expectWait(t, interval)
	s.SetLabel(text("Deleting 2 of 5 API keys…"))
	clock.tick()
	clock.expectWait(t, interval)
	s.Stop()
	want := "\r⠋ Fetching API keys…\x1b[K" + "\r⠙ Fetching API keys…\x1b[K" + "\r⠹ Deleting 2 of 5 API keys…\x1b[K" + "\r\x1b[K"
	if got := term.String(); got != want {
		t.Fatalf("terminal got %q\nwant %q", got, want)
	}
}

func TestNegativeDelayDrawsAtOnce(t *testing.T) {
	var term syncBuffer
	clock := newFakeClock()
	s := Start(&term, text("x"), Options{Delay: -1, After: clock.after})
	clock.expectWait(t, 0)
	clock.tick()
	clock.expectWait(t, interval)
	s.Stop()
	if got, want := term.String(), "\r⠋ x\x1b[K\r\x1b[K"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestNilSpinnerStops(t *testing.T) {
	var s *Spinner
	s.Stop()
}

// text is a label that is always s.
func text(s string) func() string { return func() string { return s } }
