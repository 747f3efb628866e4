package scenarios

// A pass is one play-through of a drill on a park instance of its own.
// Seeking back or restarting a drill plays it again from its start on a
// new instance, with the trainees' actions at their drill times: the new
// pass reaches the same park as the old one did at that time.

import (
	"context"
	"fmt"
	"time"

	"parktwin/park"
	"parktwin/twin"
)

// pass is a drill played on one park instance, whose simulated clock only
// the drill moves.
type pass struct {
	d     *Drill
	inst  *park.Instance
	clock *twin.SimClock
	// origin is the park as the pass opened it, before the drill began:
	// what the drill made is what is not in it.
	origin *twin.Snapshot
	// ctx is the pass's own lifecycle: its injects' commands run in it,
	// and close ends it.
	ctx    context.Context
	cancel context.CancelFunc

	next int        // guarded by d.mu: the index of the next inject to apply
	log  []LogEntry // guarded by d.mu
}

// newPass opens the drill's park as it starts, with the clock at the
// scenario's start and every inject scheduled on it, and starts its loops.
func (d *Drill) newPass(ctx context.Context) (*pass, error) {
	inst, err := d.open(ctx, twin.NewSimClock(d.start))
	if err != nil {
		return nil, fmt.Errorf("drill %s: %w", d.id, err)
	}
	clock, ok := inst.Clock().(*twin.SimClock)
	if !ok {
		inst.Close()
		return nil, fmt.Errorf("drill %s: the park instance has no simulated clock", d.id)
	}
	if err := d.sc.Check(inst.Twin().Snapshot()); err != nil {
		inst.Close()
		return nil, fmt.Errorf("drill %s: %w", d.id, err)
	}
	p := &pass{d: d, inst: inst, clock: clock, origin: inst.Twin().Snapshot()}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	if w := d.sc.Start.Weather; w != nil {
		if err := p.setWeather(p.ctx, w); err != nil {
			p.close()
			return nil, fmt.Errorf("drill %s: start.weather: %w", d.id, err)
		}
	}
	// The injects are scheduled before the instance's loops, so that an
	// inject falls due before a loop's call at the same instant, and
	// those at one time in file order.
	for i, in := range d.sc.Injects {
		clock.AfterFunc(in.At.D(), func() { p.inject(i) })
	}
	// Start returns with every loop's first deadline on the clock, each
	// loop after the one before: the drill begins from a settled park.
	inst.Start()
	return p, nil
}

// advance moves the pass's clock to t, or to the drill's end if t is past
// it, applying what falls due on the way; it reports whether the drill
// has not ended. The caller holds d.move, or owns a pass no one else sees.
func (p *pass) advance(t time.Time) bool {
	if t.After(p.d.end) {
		t = p.d.end
	}
	if !t.Before(p.clock.Now()) {
		p.clock.Set(t)
	}
	return t.Before(p.d.end)
}

// drillTime returns how far into the drill the pass stands.
func (p *pass) drillTime() time.Duration { return p.clock.Now().Sub(p.d.start) }

// close ends the pass and its park instance.
func (p *pass) close() {
	p.cancel()
	p.inst.Close()
}

// record adds a line to the pass's log at the clock's time.
func (p *pass) record(what string, err error) {
	e := LogEntry{At: p.drillTime(), What: what}
	if err != nil {
		e.Error = err.Error()
	}
	p.d.mu.Lock()
	p.log = append(p.log, e)
	p.d.mu.Unlock()
}

// date returns the pass's day in the park's zone.
func (p *pass) date() twin.Date {
	t := p.clock.Now().In(p.d.loc)
	return twin.NewDate(t.Year(), t.Month(), t.Day())
}
