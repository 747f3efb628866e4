package scenarios

// The drill player: a scenario played on a park instance of its own, on a
// simulated clock that only the player moves.

import (
	"context"
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

// Config says where a drill's park comes from, how its trainees' actions
// are played again, and where it stood when it was kept.
type Config struct {
	ID string
	// Live is the live park: a scenario on it runs on a sandbox of Origin
	// with the live park's rules.
	Live *park.Instance
	// Origin is the park a scenario on the live park (or on its journal)
	// starts from; for the live park, its snapshot now when left nil.
	// A drill played again starts from the same Origin.
	Origin *twin.Snapshot
	// Actor applies a trainee's action again, when the drill is played
	// again from its start (seek back, restart); without it a drill with
	// actions cannot seek back.
	Actor Actor
	// Actions and At restore a kept drill: its actions are applied again
	// at their drill times, and it stands paused at At.
	Actions []Action
	At      time.Duration
	// Keep is called after every action and control with where the drill
	// stands, so that it survives a restart; nil keeps nothing.
	Keep func(*Drill) error
}

// Drill is a scenario being played on a park instance of its own (a
// sandbox of the live park or a fresh demo park) whose simulated clock
// only the player moves: each inject is applied at its time, the
// trainees act on its park in between, and the drill ends at the
// scenario's duration. Its methods are safe for concurrent use.
type Drill struct {
	id         string
	sc         *Scenario
	origin     *twin.Snapshot
	open       func(ctx context.Context, clock *twin.SimClock) (*park.Instance, error)
	start, end time.Time
	loc        *time.Location // the start time's zone: the park's days
	actor      Actor
	keep       func(*Drill) error
	watchers   []func(*park.Instance) // called with each new pass's park; guarded by ctl

	// Lock order: ctl, then move, then mu. ctl is held by each control
	// throughout, so that they take turns; a control stops the player
	// goroutine before it moves the clock itself. move is held while the
	// clock moves a step and while a trainee's action runs, so that
	// actions fall between steps, at a drill time the clock has settled
	// at — which is what makes a drill played again the same.
	ctl  sync.Mutex
	move sync.Mutex

	mu      sync.Mutex
	cur     *pass    // guarded by mu: the pass the drill plays now
	passes  int      // guarded by mu: how many passes have been opened
	run     *player  // guarded by mu; nil when not playing
	speed   float64  // guarded by mu: the speed of the last Play, 0 as fast as possible
	stopped bool     // guarded by mu
	actions []Action // guarded by mu: the trainees' actions, in order
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
// its error), a reading refused, a weather change, a message, an action
// that failed when played again.
type LogEntry struct {
	At    time.Duration `json:"at"` // drill time
	What  string        `json:"what"`
	Error string        `json:"error,omitempty"`
}

// StartDrill starts the scenario as a drill named id: on a sandbox of from
// for a scenario on the live park, or on a fresh demo park.
func StartDrill(ctx context.Context, sc *Scenario, from *park.Instance, id string) (*Drill, error) {
	return NewDrill(ctx, sc, Config{ID: id, Live: from})
}

// NewDrill starts the scenario as a drill. The drill stands paused at the
// scenario's start time, its injects at that time applied and the rest
// scheduled — or, restoring a kept drill, at cfg.At with its actions
// applied again; the scenario is checked against the park first.
func NewDrill(ctx context.Context, sc *Scenario, cfg Config) (*Drill, error) {
	d := &Drill{id: cfg.ID, sc: sc, start: sc.Start.Time.UTC(), end: sc.Start.Time.UTC().Add(sc.Metadata.Duration.D()),
		loc: sc.Start.Time.Location(), actor: cfg.Actor, keep: cfg.Keep}
	switch sc.Start.Park {
	case ParkDemo:
		scale := max(sc.Start.Scale, 1)
		d.open = func(ctx context.Context, clock *twin.SimClock) (*park.Instance, error) {
			return park.Open(ctx, park.Config{ID: d.id, Clock: clock,
				Seed: func(ctx context.Context, tw *twin.Twin) error {
					// Its stock dated from the drill's clock: ready at its start.
					_, err := tw.Apply(ctx, twin.Creates(demo.GenerateWith(1, scale, demo.Options{Now: clock.Now()})...)...)
					return err
				},
				Simulate: true, SimEvery: park.SandboxSimEvery})
		}
	case ParkLive, ParkJournal:
		d.origin = cfg.Origin
		if d.origin == nil && sc.Start.Park == ParkLive && cfg.Live != nil {
			d.origin = cfg.Live.Twin().Snapshot()
		}
		if d.origin == nil {
			return nil, twin.Errorf(twin.EUNAVAILABLE, "start.park", "drill %s: no %s park to start from", d.id, sc.Start.Park)
		}
		d.open = func(ctx context.Context, clock *twin.SimClock) (*park.Instance, error) {
			if cfg.Live != nil {
				return cfg.Live.SandboxOf(ctx, d.id, d.origin, clock, 0)
			}
			return park.Open(ctx, park.Config{ID: d.id, From: d.origin, Clock: clock, Simulate: true, SimEvery: park.SandboxSimEvery})
		}
	default:
		return nil, twin.Invalid("start.park", "drill %s: starting from a park file (%s) is not supported yet", d.id, sc.Start.Park)
	}
	p, err := d.replay(ctx, cfg.Actions, cfg.At)
	if err != nil {
		return nil, err
	}
	d.cur, d.passes, d.actions = p, 1, cfg.Actions
	return d, nil
}

// ID returns the drill's name.
func (d *Drill) ID() string { return d.id }

// Scenario returns the scenario being played.
func (d *Drill) Scenario() *Scenario { return d.sc }

// Origin returns the park a drill on the live park (or its journal)
// started from; nil for a demo park.
func (d *Drill) Origin() *twin.Snapshot { return d.origin }

// Instance returns the park instance the drill plays on now: seeking back
// replaces it.
func (d *Drill) Instance() *park.Instance {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cur.inst
}

// Watch calls fn with the drill's park each time seeking back replaces
// it, before the old one is closed: a server of the drill's park follows
// it.
func (d *Drill) Watch(fn func(*park.Instance)) {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	d.watchers = append(d.watchers, fn)
}

// Play runs the drill's clock at speed times the wall clock, or as fast as
// it goes when speed is zero or less, until Pause, Stop or the drill's
// end. Playing a drill that plays changes its speed.
func (d *Drill) Play(speed float64) error {
	return d.control(func(p *pass) error {
		ctx, cancel := context.WithCancel(context.Background())
		pl := &player{cancel: cancel, done: make(chan struct{})}
		d.mu.Lock()
		d.run, d.speed = pl, max(speed, 0)
		d.mu.Unlock()
		go func() {
			defer close(pl.done)
			if speed > 0 {
				d.playAt(ctx, p, speed)
			} else {
				d.playFast(ctx, p)
			}
			if ctx.Err() == nil {
				// The drill has ended: a restart finds it there. A
				// failure shows at the next control, which keeps again.
				_ = d.kept()
			}
		}()
		return nil
	})
}

// playAt moves the clock at speed times the wall clock until ctx ends or
// the drill does.
func (d *Drill) playAt(ctx context.Context, p *pass, speed float64) {
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
			if !d.step(p, p.clock.Now().Add(step)) {
				return
			}
		}
	}
}

// playFast moves the clock a fastStep at a time until ctx ends or the
// drill does.
func (d *Drill) playFast(ctx context.Context, p *pass) {
	for ctx.Err() == nil && d.step(p, p.clock.Now().Add(fastStep)) {
	}
}

// step moves the pass's clock to t between trainees' actions.
func (d *Drill) step(p *pass, t time.Time) bool {
	d.move.Lock()
	defer d.move.Unlock()
	return p.advance(t)
}

// Pause stops the drill's clock where it stands.
func (d *Drill) Pause() error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	if d.isStopped() {
		return errStopped(d.id)
	}
	d.halt()
	return d.kept()
}

// Step pauses the drill and moves it to the time of its next inject,
// applying it and every other inject at that time; with no inject left,
// to its end.
func (d *Drill) Step() error {
	return d.control(func(p *pass) error {
		d.mu.Lock()
		next := p.next
		d.mu.Unlock()
		to := d.end
		if next < len(d.sc.Injects) {
			to = d.start.Add(d.sc.Injects[next].At.D())
		}
		d.step(p, to)
		return nil
	})
}

// Seek pauses the drill and moves it to drill time to, past the drill's
// duration to its end. Forward, everything that falls due on the way is
// applied. Back, the drill is played again from its start on a new park
// with the trainees' actions up to to, at their drill times, and those
// after to are dropped: the trainees take it again from there.
func (d *Drill) Seek(ctx context.Context, to time.Duration) error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	if d.isStopped() {
		return errStopped(d.id)
	}
	if to < 0 {
		return twin.Invalid("to", "drill %s: a drill time cannot be negative (%v)", d.id, to)
	}
	d.halt()
	d.mu.Lock()
	p := d.cur
	d.mu.Unlock()
	if to = min(to, d.end.Sub(d.start)); to >= p.drillTime() {
		d.step(p, d.start.Add(to))
		return d.kept()
	}
	return d.rewind(ctx, to)
}

// rewind plays the drill again to drill time to on a new pass and puts it
// in the old one's place. ctl must be held.
func (d *Drill) rewind(ctx context.Context, to time.Duration) error {
	// Held throughout: an action taken meanwhile would be on the old
	// pass, and lost from the new one.
	d.move.Lock()
	d.mu.Lock()
	var keep []Action
	for _, a := range d.actions {
		if a.At <= to {
			keep = append(keep, a)
		}
	}
	d.mu.Unlock()
	p, err := d.replay(ctx, keep, to)
	if err != nil {
		d.move.Unlock()
		return err
	}
	d.mu.Lock()
	old := d.cur
	d.cur, d.actions = p, keep
	d.passes++
	d.mu.Unlock()
	for _, fn := range d.watchers {
		fn(p.inst)
	}
	d.move.Unlock()
	old.close()
	return d.kept()
}

// replay opens a new pass and plays it to drill time to, applying the
// actions at their drill times on the way. No one else sees the pass yet.
func (d *Drill) replay(ctx context.Context, actions []Action, to time.Duration) (*pass, error) {
	if len(actions) > 0 && d.actor == nil {
		return nil, twin.Errorf(twin.EUNAVAILABLE, "actions", "drill %s cannot be played again: no one to apply its trainees' actions", d.id)
	}
	p, err := d.newPass(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		p.advance(d.start.Add(a.At))
		if err := d.actor(p.ctx, p.inst, a); err != nil {
			p.record("played again: "+a.String(), err)
		}
	}
	p.advance(d.start.Add(to))
	return p, nil
}

// Stop stops the drill for good and closes its park instance.
func (d *Drill) Stop() error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	d.halt()
	d.mu.Lock()
	was := d.stopped
	d.stopped = true
	p := d.cur
	d.mu.Unlock()
	if was {
		return nil
	}
	p.close()
	return nil
}

// State returns where the drill stands.
func (d *Drill) State() State {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.cur.clock.Now()
	s := State{State: StatePaused, DrillTime: now.Sub(d.start), Next: d.cur.next}
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

// Speed returns the speed of the drill's last Play, 0 for as fast as
// possible.
func (d *Drill) Speed() float64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.speed
}

// Passes returns how many times the drill has been played from its start:
// each seek back is one more. A console reloads when it changes.
func (d *Drill) Passes() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.passes
}

// Log returns a copy of the log of the drill's current pass.
func (d *Drill) Log() []LogEntry {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]LogEntry(nil), d.cur.log...)
}

// control runs a control that moves the drill: it refuses a stopped or
// ended drill, stops the player first, and keeps the drill after.
func (d *Drill) control(fn func(*pass) error) error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	if err := d.movable(); err != nil {
		return err
	}
	d.halt()
	d.mu.Lock()
	p := d.cur
	d.mu.Unlock()
	if err := fn(p); err != nil {
		return err
	}
	return d.kept()
}

// kept tells the keeper where the drill stands.
func (d *Drill) kept() error {
	if d.keep == nil {
		return nil
	}
	return d.keep(d)
}

// halt stops the player goroutine, if one runs, and waits for it. ctl
// must be held.
func (d *Drill) halt() {
	d.mu.Lock()
	pl := d.run
	d.run = nil
	d.mu.Unlock()
	if pl != nil {
		pl.cancel()
		<-pl.done
	}
}

// movable refuses to move a drill that has been stopped or has ended.
func (d *Drill) movable() error {
	if d.isStopped() {
		return errStopped(d.id)
	}
	if st := d.State(); st.State == StateEnded {
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

// Keep tells the keeper where the drill stands now.
func (d *Drill) Keep() error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	return d.kept()
}

// Close closes the drill's park without stopping the drill, as a server
// shutting down does: kept, it is played again at the next start.
func (d *Drill) Close() error {
	d.ctl.Lock()
	defer d.ctl.Unlock()
	d.halt()
	d.mu.Lock()
	p, was := d.cur, d.stopped
	d.stopped = true
	d.mu.Unlock()
	if !was {
		p.close()
	}
	return nil
}
