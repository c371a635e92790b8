// Package progress draws a spinner with a label on a terminal while slow work runs: nothing
// at all for work that ends before the delay, so fast commands print exactly what they
// printed before.
package progress

import (
	"io"
	"sync"
	"time"
)

// DefaultDelay is how long work runs before its spinner appears: about the moment a person
// starts to wonder whether anything is happening.
const DefaultDelay = 500 * time.Millisecond

// interval is the time between two frames.
const interval = 120 * time.Millisecond

// frames are the spinner's drawings, one a frame.
var frames = [...]string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// clearLine goes back to the line's start and erases to its end.
const clearLine = "\r\x1b[K"

// Options tune a spinner; the zero value is the shipped behaviour.
type Options struct {
	// Delay replaces DefaultDelay when positive; negative draws at once.
	Delay time.Duration
	// After replaces time.After (tests: the delay and each frame wait on a channel the test
	// controls, so nothing depends on the machine's speed).
	After func(time.Duration) <-chan time.Time
}

// Spinner is one running indicator. Its methods may be called from any goroutine; Stop is
// idempotent.
type Spinner struct {
	w     io.Writer
	after func(time.Duration) <-chan time.Time

	mu sync.Mutex
	// label is asked for when a frame is drawn, not before: most commands end before the
	// first one, and a label in another language costs that language's catalog.
	label  func() string
	drawn  bool // a frame is on the line, to be erased by Stop
	frame  int
	ended  bool
	stop   chan struct{}
	closed chan struct{}
}

// Start runs a spinner on w (a terminal) showing label's text, once the delay has passed.
func Start(w io.Writer, label func() string, opts Options) *Spinner {
	delay := opts.Delay
	switch {
	case delay == 0:
		delay = DefaultDelay
	case delay < 0:
		delay = 0
	}
	after := opts.After
	if after == nil {
		after = time.After
	}
	s := &Spinner{w: w, after: after, label: label, stop: make(chan struct{}), closed: make(chan struct{})}
	go s.run(delay)
	return s
}

func (s *Spinner) run(delay time.Duration) {
	defer close(s.closed)
	wait := delay
	for {
		select {
		case <-s.stop:
			return
		case <-s.after(wait):
		}
		s.draw()
		wait = interval
	}
}

// draw writes the next frame over the line.
func (s *Spinner) draw() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	// A spinner that cannot be drawn is not worth failing the command for.
	_, _ = io.WriteString(s.w, "\r"+frames[s.frame%len(frames)]+" "+s.label()+"\x1b[K")
	s.frame++
	s.drawn = true
}

// SetLabel changes what the spinner says (per-key progress); the next frame shows it.
func (s *Spinner) SetLabel(label func() string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.label = label
}

// Stop ends the spinner and erases its line; when it returns, the spinner writes nothing
// more, so the caller may write to the terminal.
func (s *Spinner) Stop() {
	if s == nil {
		return
	}
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	if s.drawn {
		_, _ = io.WriteString(s.w, clearLine)
	}
	s.mu.Unlock()
	close(s.stop)
	<-s.closed
}
