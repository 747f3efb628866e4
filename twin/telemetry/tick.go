package telemetry

import (
	"context"
	"sync"
	"time"

	"parktwin/twin"
)

// Tick does what time alone decides: communication lost, deadlines
// missed, hidden dangers overdue, gradings due, safety codes. The live
// park ticks every second on the wall clock; tests tick on a simulated
// one.
//
// Most ticks find nothing to do, and find it cheaply: the sensors are
// looked at only once the first of them can have gone silent, and the
// twin's entities only when they changed since the last Tick that looked
// or a deadline found then has come.
func (m *Monitor) Tick(ctx context.Context) error {
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	snap := m.tw.Snapshot()
	m.refresh(snap)
	var ch changes
	m.staleSensors(now, &ch)
	prev := m.last
	look := !prev.quiet(snap, now)
	var next soonest // the first deadline of what was looked at
	if look {
		m.escalateOrders(snap, now, &ch, &next)
		m.remindDangers(snap, now, &ch, &next)
		m.gradeUnits(snap, now, &ch, &next)
		m.autoClose(snap, now, &ch, &next)
		m.unshelve(snap, now, &ch, &next)
		m.watchStock(snap, now, &ch, &next)
	}
	m.last = lastTick{} // until a Tick has looked and changed nothing
	if !ch.empty() {
		if err := m.apply(ctx, &ch); err != nil {
			return err
		}
		snap, look = m.tw.Snapshot(), true
	}
	if !look {
		m.last = prev
		return nil
	}
	var codes changes
	m.safetyCodes(snap, now, &codes, &next)
	if !codes.empty() {
		return m.apply(ctx, &codes)
	}
	if ch.empty() {
		m.last = lastTick{ok: true, seq: snap.Seq(), at: now, wake: next}
	}
	return nil
}

// soonest is the earliest of the deadlines it was shown that had not
// passed; zero when none.
type soonest time.Time

// at shows s a deadline t, seen at now: passed, it is left out, for what
// it decides was decided.
func (s *soonest) at(now, t time.Time) {
	if now.After(t) {
		return
	}
	if z := time.Time(*s); z.IsZero() || t.Before(z) {
		*s = soonest(t)
	}
}

// before reports whether now is before the soonest time, always true when
// there is none.
func (s soonest) before(now time.Time) bool {
	return time.Time(s).IsZero() || now.Before(time.Time(s))
}

// lastTick is what the last Tick that looked at the twin's entities saw:
// the snapshot's seq, the time, and the first deadline among them.
type lastTick struct {
	ok   bool
	seq  uint64
	at   time.Time
	wake soonest
}

// quiet reports whether a Tick at now on snap would find what the last
// one found: nothing changed since, no deadline came, time did not go
// back.
func (l lastTick) quiet(snap *twin.Snapshot, now time.Time) bool {
	return l.ok && snap.Seq() == l.seq && !now.Before(l.at) && l.wake.before(now)
}

// Run ticks every second and writes history every rules.History.Flush
// of the twin's clock until ctx ends, then writes what history it holds.
// On a simulated clock both run inside the clock's Advance, each at its
// deadline.
func (m *Monitor) Run(ctx context.Context) {
	var loops sync.WaitGroup
	loops.Go(func() {
		twin.Every(ctx, m.clock, time.Second, func(ctx context.Context) {
			if err := m.Tick(ctx); err != nil && ctx.Err() == nil {
				m.log.Error("monitoring tick", "err", err)
			}
		})
	})
	loops.Go(func() {
		twin.Every(ctx, m.clock, m.rules.History.Flush.D(), func(ctx context.Context) {
			if err := m.Flush(ctx); err != nil {
				m.log.Error("history", "err", err)
			}
		})
	})
	loops.Wait()
	if err := m.Stop(context.Background()); err != nil {
		m.log.Error("history", "err", err)
	}
}
