package scenarios

// The drill player: a scenario played on a park instance of its own, on a
// simulated clock that only the player moves.

import (
	"context"
	"fmt"
	"sync"
	"time"

	"parktwin/park"
	"parktwin/twin"
	"parktwin/twin/demo"
)

// The states of a drill.
const (
	StatePaused  = "paused"
	StatePlaying = "playing"
	StateEnded   = "ended"
	StateStopped = "stopped"
)

const (
	// playTick is how often, in wall time, a drill played at a speed
	// moves its clock: fine enough for a console to see vehicles move.
	playTick = 100 * time.Millisecond
	// fastStep is how far a drill played as fast as possible moves its
	// clock at a time; every deadline within a step still runs, in order.
	// The instance's own loops fall due every second, so a step is about
	// as far as its next deadline, and a Pause waits for one step at most.
	fastStep = time.Second
)

// Drill is a scenario being played on a park instance of its own (a
// sandbox of the live park or a fresh demo park) whose simulated clock
// only the player moves: each inject is applied at its time, and the
// drill ends at the scenario's duration. Its methods are safe for
// concurrent use.
type Drill struct {
	id         string
	sc         *Scenario
	inst       *park.Instance
	clock      *twin.SimClock
	start, end time.Time
	loc        *time.Location // the start time's zone: the park's days

	// ctx is the drill's own lifecycle: the injects' commands run in it,
	// and Stop ends it.
	ctx    context.Context
	cancel context.CancelFunc

	// ctl is held by each control (Play, Pause, Step, SeekForward, Stop)
	// throughout, so that they take turns; only the player goroutine and
	// the controls move the clock, and a control stops the goroutine
	// before it moves the clock itself. Lock order: ctl, then mu.
	ctl sync.Mutex

	mu      sync.Mutex
	run     *player    // guarded by mu; nil when not playing
	stopped bool       // guarded by mu
	next    int        // guarded by mu: the index of the next inject to apply
	log     []LogEntry // guarded by mu
}

// player is the goroutine that moves a drill's clock while it plays.
type player struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine has returned
}

// State is where a drill stands.
type State struct {
	State     string        `json:"state"` // StatePaused, StatePlaying, StateEnded or StateStopped
	DrillTime time.Duration `json:"drillTime"`
	// Next is the index of the next inject to be applied; the number of
	// injects once all have been.
	Next int `json:"next"`
}

// LogEntry is a line of a drill's log: an inject applied (or refused, with
// its error), a reading refused, a weather change, a message.
type LogEntry struct {
	At    time.Duration `json:"at"` // drill time
	What  string        `json:"what"`
	Error string        `json:"error,omitempty"`
}

// StartDrill starts the scenario as a drill named id: on a sandbox of from for
// a scenario on the live park, or on a fresh demo park. The drill's clock
// stands at the scenario's start time, paused, with every inject
// scheduled on it; the scenario is checked against the park first.
func StartDrill(ctx context.Context, sc *Scenario, from *park.Instance, id string) (*Drill, error) {
	start := sc.Start.Time.UTC()
	var inst *park.Instance
	var err error
	switch sc.Start.Park {
	case ParkLive:
		if from == nil {
			return nil, twin.Errorf(twin.EUNAVAILABLE, "start.park", "drill %s: no live park to start from", id)
		}
		inst, err = from.Sandbox(ctx, id, 0)
	case ParkDemo:
		scale := max(sc.Start.Scale, 1)
		inst, err = park.Open(ctx, park.Config{ID: id, Clock: twin.NewSimClock(start),
			Seed: func(ctx context.Context, tw *twin.Twin) error {
				_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, scale)...)...)
				return err
			},
			Simulate: true, SimEvery: park.SandboxSimEvery})
	default:
		return nil, twin.Invalid("start.park", "drill %s: starting from a park file (%s) is not supported yet", id, sc.Start.Park)
	}
	if err != nil {
		return nil, fmt.Errorf("drill %s: %w", id, err)
	}
	clock, ok := inst.Clock().(*twin.SimClock)
	if !ok {
		inst.Close()
		return nil, fmt.Errorf("drill %s: the park instance has no simulated clock", id)
	}
	if err := sc.Check(inst.Twin().Snapshot()); err != nil {
		inst.Close()
		return nil, fmt.Errorf("drill %s: %w", id, err)
	}
	// Nothing runs on the clock yet: setting it back fires nothing.
	clock.Set(start)
	d := &Drill{id: id, sc: sc, inst: inst, clock: clock, start: start,
		end: start.Add(sc.Metadata.Duration.D()), loc: sc.Start.Time.Location()}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	// The injects are scheduled before the instance's loops, so that an
	// inject falls due before a loop's call at the same instant, and
	// those at one time in file order.
	for i, in := range sc.Injects {
		clock.AfterFunc(in.At.D(), func() { d.inject(i) })
	}
	// Start returns with every loop's first deadline on the clock, each
	// loop after the one before: the drill begins from a settled park.
	inst.Start()
	return d, nil
}

// ID returns the drill's name.
func (d *Drill) ID() string { return d.id }

// Instance returns the park instance the drill runs on.
func (d *Drill) Instance() *park.Instance { return d.inst }

// Scenario returns the scenario being played.
func (d *Drill) Scenario() *Scenario { return d.sc }

// Play runs the drill's clock at speed times the wall clock, or as fast as
// it goes when speed is zero or less, until Pause, Stop or the drill's
// end. Playing a drill that plays changes its speed.
func (d *Drill) Play(speed float64) error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	if err := d.movable(); err != nil {
		return err
	}
	d.halt()
	ctx, cancel := context.WithCancel(context.Background())
	p := &player{cancel: cancel, done: make(chan struct{})}
	d.mu.Lock()
	d.run = p
	d.mu.Unlock()
	go func() {
		defer close(p.done)
		if speed > 0 {
			d.playAt(ctx, speed)
		} else {
			d.playFast(ctx)
		}
	}()
	return nil
}

// playAt moves the clock at speed times the wall clock until ctx ends or
// the drill does.
func (d *Drill) playAt(ctx context.Context, speed float64) {
	t := time.NewTicker(playTick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			step := time.Duration(float64(now.Sub(last)) * speed)
			last = now
			if !d.moveTo(d.clock.Now().Add(step)) {
				return
			}
		}
	}
}

// playFast moves the clock a fastStep at a time until ctx ends or the
// drill does.
func (d *Drill) playFast(ctx context.Context) {
	for ctx.Err() == nil && d.moveTo(d.clock.Now().Add(fastStep)) {
	}
}

// moveTo moves the clock to t, or to the drill's end if t is past it,
// applying what falls due on the way; it reports whether the drill has
// not ended. Only the player goroutine, or a control with none running,
// calls it.
func (d *Drill) moveTo(t time.Time) bool {
	if t.After(d.end) {
		t = d.end
	}
	if t.After(d.clock.Now()) || t.Equal(d.clock.Now()) {
		d.clock.Set(t)
	}
	return t.Before(d.end)
}

// Pause stops the drill's clock where it stands.
func (d *Drill) Pause() error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	if d.isStopped() {
		return errStopped(d.id)
	}
	d.halt()
	return nil
}

// Step pauses the drill and moves it to the time of its next inject,
// applying it and every other inject at that time; with no inject left,
// to its end.
func (d *Drill) Step() error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	if err := d.movable(); err != nil {
		return err
	}
	d.halt()
	d.mu.Lock()
	next := d.next
	d.mu.Unlock()
	to := d.end
	if next < len(d.sc.Injects) {
		to = d.start.Add(d.sc.Injects[next].At.D())
	}
	d.moveTo(to)
	return nil
}

// SeekForward pauses the drill and moves it to drill time to, applying
// everything that falls due on the way; past the drill's duration it
// moves it to its end. Seeking back is refused (not supported yet).
func (d *Drill) SeekForward(to time.Duration) error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	if err := d.movable(); err != nil {
		return err
	}
	d.halt()
	if now := d.clock.Now().Sub(d.start); to < now {
		return twin.Invalid("to", "drill %s is at %v: seeking back (to %v) is not supported yet", d.id, now, to)
	}
	d.moveTo(d.start.Add(to))
	return nil
}

// Stop stops the drill for good and closes its park instance.
func (d *Drill) Stop() error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	d.halt()
	d.mu.Lock()
	was := d.stopped
	d.stopped = true
	d.mu.Unlock()
	if was {
		return nil
	}
	d.cancel()
	return d.inst.Close()
}

// State returns where the drill stands.
func (d *Drill) State() State {
	now := d.clock.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	s := State{State: StatePaused, DrillTime: now.Sub(d.start), Next: d.next}
	switch {
	case d.stopped:
		s.State = StateStopped
	case !now.Before(d.end):
		s.State = StateEnded
	case d.run != nil:
		s.State = StatePlaying
	}
	return s
}

// Log returns a copy of the drill's log.
func (d *Drill) Log() []LogEntry {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]LogEntry(nil), d.log...)
}

// record adds a line to the drill's log at the clock's time.
func (d *Drill) record(what string, err error) {
	e := LogEntry{At: d.clock.Now().Sub(d.start), What: what}
	if err != nil {
		e.Error = err.Error()
	}
	d.mu.Lock()
	d.log = append(d.log, e)
	d.mu.Unlock()
}

// date returns the drill's day in the park's zone.
func (d *Drill) date() twin.Date {
	t := d.clock.Now().In(d.loc)
	return twin.NewDate(t.Year(), t.Month(), t.Day())
}

// halt stops the player goroutine, if one runs, and waits for it. ctl
// must be held.
func (d *Drill) halt() {
	d.mu.Lock()
	p := d.run
	d.run = nil
	d.mu.Unlock()
	if p != nil {
		p.cancel()
		<-p.done
	}
}

// movable refuses to move a drill that has been stopped or has ended.
func (d *Drill) movable() error {
	if d.isStopped() {
		return errStopped(d.id)
	}
	if !d.clock.Now().Before(d.end) {
		return twin.Errorf(twin.ECONFLICT, "state", "drill %s has ended", d.id)
	}
	return nil
}

func (d *Drill) isStopped() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stopped
}

func errStopped(id string) error {
	return twin.Errorf(twin.ECONFLICT, "state", "drill %s has been stopped", id)
}
