package twin

import (
	"container/heap"
	"sync"
	"time"
)

// SimClock is a clock that moves only when told to. It is safe for
// concurrent use.
//
// Its contract: Advance(d) and Set(t) fire every timer and ticker whose
// deadline falls within the step, in order of deadline, and deadlines
// at the same instant in the order they were set (a timer when it was
// made, a ticker's next tick when its previous one fired). Before each
// one fires, Now is set to its deadline; only once none is left within
// the step does Now reach the step's end. An AfterFunc call runs
// synchronously in Advance, so the loops run with Every — which are
// AfterFunc calls that set their next deadline before returning — run
// at every deadline in the step, each seeing the time it fell due, and
// Advance returns when they all have: advancing a day with a loop every
// second runs it 86,400 times without sleeping.
//
// A ticker's tick is only sent: its channel holds one, further ticks are
// dropped until the reader takes it, and the reader, on its own
// goroutine, may see a later Now. Tickers serve loops that need not run
// at every deadline.
//
// A call run by Advance must not call Advance or Set. Advance and Set
// called from several goroutines take turns.
type SimClock struct {
	step sync.Mutex // held through an Advance or Set: one step at a time

	mu      sync.Mutex
	changed sync.Cond // signalled when a deadline is added, for BlockUntil
	now     time.Time
	seq     uint64 // the order deadlines were set in
	due     deadlines
}

// NewSimClock returns a simulated clock standing at t.
func NewSimClock(t time.Time) *SimClock {
	c := &SimClock{now: t.UTC()}
	c.changed.L = &c.mu
	return c
}

// Now returns the simulated time.
func (c *SimClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d, firing what falls due on the way
// (see SimClock). A negative d moves it back, as Set does.
func (c *SimClock) Advance(d time.Duration) {
	c.step.Lock()
	defer c.step.Unlock()
	c.mu.Lock()
	to := c.now.Add(d)
	c.mu.Unlock()
	c.moveTo(to)
}

// Set moves the clock to t. Forward, it fires what falls due on the way,
// as Advance does; back, it fires nothing, and the timers keep their
// deadlines.
func (c *SimClock) Set(t time.Time) {
	c.step.Lock()
	defer c.step.Unlock()
	c.moveTo(t.UTC())
}

// moveTo fires the deadlines up to to, in order, and stands the clock at
// to. The step lock must be held.
func (c *SimClock) moveTo(to time.Time) {
	for {
		c.mu.Lock()
		if len(c.due) == 0 || c.due[0].at.After(to) {
			c.now = to
			c.mu.Unlock()
			return
		}
		d := c.due[0]
		at := d.at
		if at.After(c.now) {
			c.now = at
		}
		if tk := d.ticker; tk != nil {
			d.at, d.seq = at.Add(tk.period), c.nextSeq()
			heap.Fix(&c.due, 0)
			select { // under mu, so that no tick follows Stop
			case tk.ch <- at:
			default: // the reader has not taken the last tick: dropped
			}
			c.mu.Unlock()
			continue
		}
		heap.Pop(&c.due)
		c.mu.Unlock()
		d.f()
	}
}

// BlockUntil waits until at least n timers and tickers are waiting on the
// clock. A test starts its loops, waits for them to set their first
// deadlines, and only then advances the clock.
func (c *SimClock) BlockUntil(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.due) < n {
		c.changed.Wait()
	}
}

// Waiting returns how many timers and tickers are waiting on the clock.
func (c *SimClock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.due)
}

// AfterFunc calls f inside the Advance or Set that passes now+d, with
// Now at that deadline; a d of zero or less falls due at the next step.
func (c *SimClock) AfterFunc(d time.Duration, f func()) Timer {
	return &simTimer{c: c, d: c.add(&deadline{at: c.Now().Add(max(d, 0)), f: f})}
}

// NewTicker returns a ticker that ticks every d of simulated time,
// starting d from now. It panics if d is not positive.
func (c *SimClock) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("twin: non-positive interval for SimClock.NewTicker")
	}
	tk := &simTicker{c: c, period: d, ch: make(chan time.Time, 1)}
	tk.d = c.add(&deadline{at: c.Now().Add(d), ticker: tk})
	return tk
}

// add schedules d; its at is already set.
func (c *SimClock) add(d *deadline) *deadline {
	c.mu.Lock()
	defer c.mu.Unlock()
	d.seq = c.nextSeq()
	heap.Push(&c.due, d)
	c.changed.Broadcast()
	return d
}

// remove unschedules d and reports whether it was scheduled.
func (c *SimClock) remove(d *deadline) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.index < 0 {
		return false
	}
	heap.Remove(&c.due, d.index)
	return true
}

// nextSeq numbers a deadline. c.mu must be held.
func (c *SimClock) nextSeq() uint64 {
	c.seq++
	return c.seq
}

type simTimer struct {
	c *SimClock
	d *deadline
}

func (t *simTimer) Stop() bool { return t.c.remove(t.d) }

type simTicker struct {
	c      *SimClock
	period time.Duration
	ch     chan time.Time // capacity 1, as time.Ticker's
	d      *deadline
}

func (t *simTicker) C() <-chan time.Time { return t.ch }
func (t *simTicker) Stop()               { t.c.remove(t.d) }

// deadline is one timer's call or one ticker's next tick.
type deadline struct {
	at     time.Time
	seq    uint64
	index  int // in the heap; -1 once fired or stopped
	f      func()
	ticker *simTicker
}

// deadlines is a min-heap of deadlines by time, then by the order they
// were set in.
type deadlines []*deadline

func (h deadlines) Len() int { return len(h) }
func (h deadlines) Less(i, j int) bool {
	if c := h[i].at.Compare(h[j].at); c != 0 {
		return c < 0
	}
	return h[i].seq < h[j].seq
}
func (h deadlines) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *deadlines) Push(x any) {
	d := x.(*deadline)
	d.index = len(*h)
	*h = append(*h, d)
}
func (h *deadlines) Pop() any {
	old := *h
	d := old[len(old)-1]
	old[len(old)-1] = nil
	d.index = -1
	*h = old[:len(old)-1]
	return d
}
