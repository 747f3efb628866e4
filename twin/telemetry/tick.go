package telemetry

import (
	"context"
	"slices"
	"sync"
	"time"

	"parktwin/twin"
)

// Tick does what time alone decides: communication lost, deadlines
// missed, hidden dangers overdue, gradings due, safety codes. The live
// park ticks every second on the wall clock; tests tick on a simulated
// one.
func (m *Monitor) Tick(ctx context.Context) error {
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	snap := m.tw.Snapshot()
	m.refresh(snap)
	var ch changes
	m.staleSensors(now, &ch)
	m.escalateOrders(snap, now, &ch)
	m.remindDangers(snap, now, &ch)
	m.gradeUnits(snap, now, &ch)
	if !ch.empty() {
		if err := m.apply(ctx, &ch); err != nil {
			return err
		}
		snap = m.tw.Snapshot()
	}
	var codes changes
	m.safetyCodes(snap, now, &codes)
	if codes.empty() {
		return nil
	}
	return m.apply(ctx, &codes)
}

// staleSensors raises a communication-lost alarm for every sensor silent
// past its timeout; a sensor never heard from counts from the Monitor's
// start.
func (m *Monitor) staleSensors(now time.Time, ch *changes) {
	ids := make([]string, 0, len(m.slots))
	for id := range m.slots {
		ids = append(ids, id)
	}
	slices.Sort(ids) // alarm IDs in the same order every time
	for _, id := range ids {
		sl := m.slots[id]
		last := m.started
		if sl.has {
			last = sl.t
		}
		silent := now.Sub(last)
		if sl.open[twin.CommLost] != "" || silent <= sl.s.StaleAfter() {
			continue
		}
		v := sl.value
		m.raiseAlarm(sl, twin.CommLost, "stale", sl.s.StaleAfterS, v, now, ch)
	}
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
