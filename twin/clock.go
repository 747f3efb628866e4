package twin

import (
	"context"
	"sync"
	"time"
)

// Clock tells the twin what time it is and wakes its loops. Domain code
// never calls time.Now or time.NewTicker: the live twin gets WallClock,
// drills and tests a *SimClock, on which a loop runs at every deadline
// the clock is advanced past, in order, without sleeping.
type Clock interface {
	// Now returns the current time in UTC.
	Now() time.Time
	// AfterFunc calls f once d has passed, as time.AfterFunc does. The
	// WallClock calls it in its own goroutine; a SimClock calls it inside
	// Advance or Set, with Now at the deadline.
	AfterFunc(d time.Duration, f func()) Timer
	// NewTicker returns a ticker that sends the time on its channel every
	// d, as time.NewTicker does: the channel holds one tick, and a reader
	// that falls behind misses ticks. Loops that must run at every
	// deadline use Every instead.
	NewTicker(d time.Duration) Ticker
}

// Timer is a call scheduled with AfterFunc.
type Timer interface {
	// Stop cancels the call. It reports whether it did: false when the
	// call has already started or the timer was stopped before.
	Stop() bool
}

// Ticker sends the time on a channel at regular intervals.
type Ticker interface {
	// C returns the channel the ticks arrive on.
	C() <-chan time.Time
	// Stop turns the ticker off: no tick is sent after Stop returns. It
	// does not close the channel.
	Stop()
}

// WallClock is the real time in UTC.
type WallClock struct{}

// Now returns the current time in UTC.
func (WallClock) Now() time.Time { return time.Now().UTC() }

// AfterFunc calls f in its own goroutine once d has passed.
func (WallClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// NewTicker returns a time.Ticker of period d.
func (WallClock) NewTicker(d time.Duration) Ticker { return wallTicker{time.NewTicker(d)} }

type wallTicker struct{ t *time.Ticker }

func (w wallTicker) C() <-chan time.Time { return w.t.C }
func (w wallTicker) Stop()               { w.t.Stop() }

// Every calls f every d of c's time, the first time d from now, until ctx
// is done, and returns once ctx is done and no call of f is running; f is
// given ctx. It is how a component's periodic loop runs on its twin's
// clock.
//
// Calls never overlap: the next deadline is set when a call returns. On
// the WallClock, a call that overruns its period skips the deadlines it
// missed, as time.Ticker drops ticks, and the deadlines stay on the grid
// of d from the start unless the wall clock is set back. On a SimClock,
// each call runs inside Advance with Now at its deadline, so advancing
// by an hour makes every call due in that hour, in order with the
// clock's other deadlines.
//
// Every panics if d is not positive.
func Every(ctx context.Context, c Clock, d time.Duration, f func(context.Context)) {
	if d <= 0 {
		panic("twin.Every: non-positive interval")
	}
	var (
		mu   sync.Mutex // held while f runs and while the timer is replaced
		done bool
		t    Timer
		next = c.Now().Add(d)
	)
	var call func()
	call = func() {
		mu.Lock()
		defer mu.Unlock()
		if done {
			return
		}
		f(ctx)
		now := c.Now()
		next = next.Add(d)
		wait := next.Sub(now)
		switch {
		case wait < 0: // overran: skip what was missed
			next = next.Add((-wait/d + 1) * d)
			wait = next.Sub(now)
		case wait > d: // the wall clock was set back
			next, wait = now.Add(d), d
		}
		t = c.AfterFunc(wait, call)
	}
	mu.Lock()
	t = c.AfterFunc(d, call)
	mu.Unlock()
	<-ctx.Done()
	mu.Lock()
	done = true
	t.Stop()
	mu.Unlock()
}
