package telemetry

import (
	"context"
	"slices"
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
// until ctx ends, then writes what history it holds.
func (m *Monitor) Run(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	flush := time.NewTicker(m.rules.History.Flush.D())
	defer flush.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := m.Stop(context.Background()); err != nil {
				m.log.Error("history", "err", err)
			}
			return
		case <-tick.C:
			if err := m.Tick(ctx); err != nil && ctx.Err() == nil {
				m.log.Error("monitoring tick", "err", err)
			}
		case <-flush.C:
			if err := m.Flush(ctx); err != nil {
				m.log.Error("history", "err", err)
			}
		}
	}
}
