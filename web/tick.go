package web

// The hub's clock-driven messages: the sensors' values, coalesced per
// tick, and heartbeats.

import (
	"context"
	"slices"
	"time"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// tickLoop sends the sensors' values every tick and a heartbeat every
// heartbeat interval.
func (h *hub) tickLoop(ctx context.Context) {
	tick := time.NewTicker(h.cfg.Tick)
	defer tick.Stop()
	beat := time.NewTicker(h.cfg.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if h.mon == nil {
				continue
			}
			vals := h.mon.DrainChanged()
			if len(vals) == 0 {
				continue
			}
			h.mu.Lock()
			now := h.tw.Clock().Now()
			t := &valuesTick{gen: h.gen.Add(1), seq: h.last, time: now, vals: vals, msgs: h.valuesMessages(h.last, now, vals)}
			h.rememberTick(t)
			sensors := layerOf(twin.KindSensor)
			for c := range h.clients {
				if _, ok := c.layers[sensors]; ok {
					for _, m := range h.tickFor(t, c.enterprise) {
						h.send(c, m)
					}
				}
			}
			h.mu.Unlock()
		case <-beat.C:
			h.recheckZones()
			h.recheckReadiness()
			h.mu.Lock()
			msg := heartbeatMessage(h.last, h.tw.Clock().Now())
			for c := range h.clients {
				h.send(c, msg)
			}
			h.mu.Unlock()
		}
	}
}

// valuesTick is the values message of one tick, and the values it holds
// for the clients filtered by enterprise.
type valuesTick struct {
	gen  uint64 // the hub's gen once it was drained
	seq  uint64 // the fan-out's seq when it was sent
	time time.Time
	vals []telemetry.SensorValue
	msgs [][]byte // every value: for the clients without a filter

	// byEnt holds the values of each enterprise, split once the first
	// filtered client needs them; ents their messages, each encoded once
	// when a client of that enterprise first needs it. Guarded by hub.mu.
	byEnt map[string][]telemetry.SensorValue
	ents  map[string][][]byte
}

// valuesMessages encodes a tick's values as messages of at most
// cfg.ValuesBatch values each: a browser parses each message in one
// task, and the ×10 park's 12,729 values in one message (600 KB) were
// a long task of the console's.
func (h *hub) valuesMessages(seq uint64, now time.Time, vals []telemetry.SensorValue) [][]byte {
	n := h.cfg.ValuesBatch
	out := make([][]byte, 0, (len(vals)+n-1)/n)
	for len(vals) > 0 {
		k := min(n, len(vals))
		out = append(out, valuesMessage(seq, now, vals[:k]))
		vals = vals[k:]
	}
	return out
}

// tickFor returns the tick's values messages for a client filtered to
// enterprise ent (every value without one), or none when none of its
// sensors reported. Must be called with h.mu held.
func (h *hub) tickFor(t *valuesTick, ent string) [][]byte {
	if ent == "" {
		return t.msgs
	}
	if m, ok := t.ents[ent]; ok {
		return m
	}
	if t.byEnt == nil {
		of := h.sensorEnts.of(h.tw.Snapshot())
		t.byEnt = map[string][]telemetry.SensorValue{}
		t.ents = map[string][][]byte{}
		for _, v := range t.vals {
			e := of[v.Sensor]
			t.byEnt[e] = append(t.byEnt[e], v)
		}
	}
	var m [][]byte
	if vals := t.byEnt[ent]; len(vals) > 0 {
		m = h.valuesMessages(t.seq, t.time, vals)
	}
	t.ents[ent] = m
	return m
}

// ticksKept is how many ticks' values messages the hub keeps to bridge a
// snapshot to the fan-out: two seconds of the default tick, long enough
// for the ×10 park's sensors to be written (about 50 ms). At 20,000
// readings/s on the ×1 park a tick's message is about 60 KB.
const ticksKept = 8

// rememberTick keeps a tick's values message. Must be called with h.mu
// held.
func (h *hub) rememberTick(t *valuesTick) {
	if len(h.ticks) == ticksKept {
		h.ticks = append(h.ticks[:0], h.ticks[1:]...)
	}
	h.ticks = append(h.ticks, t)
}

// ticksAfter returns the values messages of the ticks after gen, oldest
// first, and whether the hub still keeps all of them. Must be called with
// h.mu held.
func (h *hub) ticksAfter(gen uint64) ([]*valuesTick, bool) {
	now := h.gen.Load()
	if gen == now {
		return nil, true
	}
	if len(h.ticks) == 0 || h.ticks[0].gen > gen+1 {
		return nil, false
	}
	i := slices.IndexFunc(h.ticks, func(t *valuesTick) bool { return t.gen > gen })
	return slices.Clone(h.ticks[i:]), true
}

// sensorEnterprises maps each sensor to its enterprise, rebuilt only when
// sensors or their subjects changed. It serves the values of a tick to
// filtered clients. Guarded by hub.mu.
type sensorEnterprises struct {
	snap *twin.Snapshot
	m    map[string]string
}

// of returns the map as of snap (or a newer state of the same kinds).
func (s *sensorEnterprises) of(snap *twin.Snapshot) map[string]string {
	if s.m != nil {
		same := true
		for _, k := range subjectKinds {
			same = same && snap.Unchanged(s.snap, k)
		}
		if same {
			return s.m
		}
	}
	m := make(map[string]string, snap.Len(twin.KindSensor))
	for e := range snap.Entities(twin.KindSensor) {
		m[e.EntityID()] = enterpriseOf(snap, e)
	}
	s.snap, s.m = snap, m
	return m
}
