package twin_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
)

var clockStart = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// fired is what ran, and at what time the clock said it was.
type fired struct {
	name string
	at   time.Duration // since clockStart
}

// recorder collects calls from callbacks.
type recorder struct {
	mu    sync.Mutex
	clock twin.Clock
	calls []fired
}

func (r *recorder) call(name string) func() {
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls = append(r.calls, fired{name, r.clock.Now().Sub(clockStart)})
	}
}

func (r *recorder) got() []fired {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]fired(nil), r.calls...)
}

// every runs twin.Every on c, which has nothing else scheduled, until
// the test ends, and waits for it to set its first deadline.
func every(t *testing.T, c *twin.SimClock, d time.Duration, f func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Go(func() { twin.Every(ctx, c, d, func(context.Context) { f() }) })
	c.BlockUntil(1)
}

func TestSimClockFiresInOrder(t *testing.T) {
	c := twin.NewSimClock(clockStart)
	r := &recorder{clock: c}
	every(t, c, time.Second, r.call("every 1s"))
	c.AfterFunc(2500*time.Millisecond, r.call("after 2.5s"))
	c.AfterFunc(500*time.Millisecond, r.call("after 0.5s"))
	c.AfterFunc(0, r.call("after 0"))
	c.AfterFunc(1200*time.Millisecond, func() {
		r.call("after 1.2s")()
		// Set inside a step, due within it: runs in the same Advance.
		c.AfterFunc(300*time.Millisecond, r.call("nested 1.5s"))
	})

	c.Advance(4 * time.Second)

	want := []fired{
		{"after 0", 0},
		{"after 0.5s", 500 * time.Millisecond},
		{"every 1s", time.Second},
		{"after 1.2s", 1200 * time.Millisecond},
		{"nested 1.5s", 1500 * time.Millisecond},
		{"every 1s", 2 * time.Second},
		{"after 2.5s", 2500 * time.Millisecond},
		{"every 1s", 3 * time.Second},
		{"every 1s", 4 * time.Second},
	}
	if diff := cmp.Diff(r.got(), want, cmp.AllowUnexported(fired{})); diff != "" {
		t.Errorf("calls (-got +want):\n%s", diff)
	}
	if got, want := c.Now(), clockStart.Add(4*time.Second); !got.Equal(want) {
		t.Errorf("Now after Advance: %v, want %v", got, want)
	}
}

func TestSimClockSameInstantInCreationOrder(t *testing.T) {
	c := twin.NewSimClock(clockStart)
	r := &recorder{clock: c}
	var want []fired
	for i := range 50 {
		name := fmt.Sprint(i)
		c.AfterFunc(time.Minute, r.call(name))
		want = append(want, fired{name, time.Minute})
	}
	c.Set(clockStart.Add(time.Hour))
	if diff := cmp.Diff(r.got(), want, cmp.AllowUnexported(fired{})); diff != "" {
		t.Errorf("calls (-got +want):\n%s", diff)
	}
}

func TestSimClockStop(t *testing.T) {
	c := twin.NewSimClock(clockStart)
	r := &recorder{clock: c}
	stopped := c.AfterFunc(time.Second, r.call("stopped"))
	kept := c.AfterFunc(2*time.Second, r.call("kept"))
	if !stopped.Stop() {
		t.Error("Stop of a waiting timer: false, want true")
	}
	if stopped.Stop() {
		t.Error("second Stop: true, want false")
	}
	tk := c.NewTicker(time.Second)
	tk.Stop()
	c.Advance(time.Minute)
	if diff := cmp.Diff(r.got(), []fired{{"kept", 2 * time.Second}}, cmp.AllowUnexported(fired{})); diff != "" {
		t.Errorf("calls (-got +want):\n%s", diff)
	}
	if kept.Stop() {
		t.Error("Stop of a fired timer: true, want false")
	}
	select {
	case tick := <-tk.C():
		t.Errorf("tick at %v from a stopped ticker", tick)
	default:
	}

	// Every stops with its context, and nothing runs after it returns.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	returned := make(chan struct{})
	go func() {
		twin.Every(ctx, c, time.Second, func(context.Context) { n++ })
		close(returned)
	}()
	c.BlockUntil(1)
	c.Advance(10 * time.Second)
	cancel()
	<-returned
	c.Advance(10 * time.Second)
	if n != 10 {
		t.Errorf("Every ran %d times, want 10", n)
	}
}

func TestSimClockTicker(t *testing.T) {
	c := twin.NewSimClock(clockStart)
	tk := c.NewTicker(time.Second)
	defer tk.Stop()
	c.Advance(time.Second)
	if got := <-tk.C(); !got.Equal(clockStart.Add(time.Second)) {
		t.Errorf("first tick: %v", got)
	}
	// A reader that is not there misses ticks: the channel holds the
	// first one due and the rest are dropped, as with time.Ticker.
	c.Advance(5 * time.Second)
	if got := <-tk.C(); !got.Equal(clockStart.Add(2 * time.Second)) {
		t.Errorf("tick kept: %v, want the one at 2s", got)
	}
	select {
	case got := <-tk.C():
		t.Errorf("a second tick kept: %v", got)
	default:
	}
	c.Advance(time.Second)
	if got := <-tk.C(); !got.Equal(clockStart.Add(7 * time.Second)) {
		t.Errorf("tick after catching up: %v", got)
	}
}

func TestSimClockDay(t *testing.T) {
	c := twin.NewSimClock(clockStart)
	n, late := 0, 0
	every(t, c, time.Second, func() {
		n++
		if !c.Now().Equal(clockStart.Add(time.Duration(n) * time.Second)) {
			late++
		}
	})
	c.Advance(24 * time.Hour)
	if n != 86400 || late != 0 {
		t.Errorf("a day of a 1 s loop: %d calls, %d not at their deadline; want 86400, 0", n, late)
	}
}

func TestSimClockSetBack(t *testing.T) {
	c := twin.NewSimClock(clockStart)
	r := &recorder{clock: c}
	c.AfterFunc(time.Hour, r.call("at 1h"))
	c.Set(clockStart.Add(-time.Hour))
	if len(r.got()) != 0 || !c.Now().Equal(clockStart.Add(-time.Hour)) {
		t.Fatalf("set back: calls %v, now %v", r.got(), c.Now())
	}
	c.Advance(2 * time.Hour)
	if diff := cmp.Diff(r.got(), []fired{{"at 1h", time.Hour}}, cmp.AllowUnexported(fired{})); diff != "" {
		t.Errorf("calls (-got +want):\n%s", diff)
	}
}

func TestEveryOnTheWallClock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan time.Time, 1)
	returned := make(chan struct{})
	var after bool
	var mu sync.Mutex
	go func() {
		twin.Every(ctx, twin.WallClock{}, time.Millisecond, func(context.Context) {
			mu.Lock()
			defer mu.Unlock()
			if after {
				t.Error("a call after Every returned")
			}
			select {
			case calls <- time.Now():
			default:
			}
		})
		mu.Lock()
		after = true
		mu.Unlock()
		close(returned)
	}()
	for range 3 {
		select {
		case <-calls:
		case <-time.After(10 * time.Second):
			t.Fatal("Every on the wall clock did not call")
		}
	}
	cancel()
	<-returned
}
