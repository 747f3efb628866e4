package twin

import (
	"sync"
	"time"
)

// Clock tells the twin what time it is. Domain code never calls time.Now:
// the live twin gets WallClock, drills and tests a *SimClock.
type Clock interface {
	Now() time.Time
}

// WallClock is the real time in UTC.
type WallClock struct{}

// Now returns the current time in UTC.
func (WallClock) Now() time.Time { return time.Now().UTC() }

// SimClock is a clock that moves only when told to. It is safe for
// concurrent use.
type SimClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewSimClock returns a simulated clock standing at t.
func NewSimClock(t time.Time) *SimClock { return &SimClock{now: t.UTC()} }

// Now returns the simulated time.
func (c *SimClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *SimClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *SimClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.UTC()
	c.mu.Unlock()
}
