package testenv

import (
	"sync"
	"time"
)

// Clock is a settable clock for tests, safe for concurrent use: Now returns the time it
// holds, Advance moves it. A sandbox, a factory and a session can share one, so that expiry
// happens when the test says and not when the machine is slow.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a clock set to t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
