package web

// The hub's clock-driven messages: the sensors' values, coalesced per
// tick, and heartbeats.

import (
	"context"
	"slices"
	"time"

	"parktwin/twin"
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
			msg := valuesMessage(h.last, h.tw.Clock().Now(), vals)
			h.rememberTick(valuesTick{gen: h.gen.Add(1), seq: h.last, msg: msg})
			h.toLayer(layerOf(twin.KindSensor), msg)
			h.mu.Unlock()
		case <-beat.C:
			h.mu.Lock()
			msg := heartbeatMessage(h.last, h.tw.Clock().Now())
			for c := range h.clients {
				h.send(c, msg)
			}
			h.mu.Unlock()
		}
	}
}

// toLayer sends msg to every client holding layer. Must be called with
// h.mu held.
func (h *hub) toLayer(layer string, msg []byte) {
	for c := range h.clients {
		if _, ok := c.layers[layer]; ok {
			h.send(c, msg)
		}
	}
}

// valuesTick is the values message of one tick.
type valuesTick struct {
	gen uint64 // the hub's gen once it was drained
	seq uint64 // the fan-out's seq when it was sent
	msg []byte
}

// ticksKept is how many ticks' values messages the hub keeps to bridge a
// snapshot to the fan-out: two seconds of the default tick, long enough
// for the ×10 park's sensors to be written (about 50 ms). At 20,000
// readings/s on the ×1 park a tick's message is about 60 KB.
const ticksKept = 8

// rememberTick keeps a tick's values message. Must be called with h.mu
// held.
func (h *hub) rememberTick(t valuesTick) {
	if len(h.ticks) == ticksKept {
		h.ticks = append(h.ticks[:0], h.ticks[1:]...)
	}
	h.ticks = append(h.ticks, t)
}

// ticksAfter returns the values messages of the ticks after gen, oldest
// first, and whether the hub still keeps all of them. Must be called with
// h.mu held.
func (h *hub) ticksAfter(gen uint64) ([]valuesTick, bool) {
	now := h.gen.Load()
	if gen == now {
		return nil, true
	}
	if len(h.ticks) == 0 || h.ticks[0].gen > gen+1 {
		return nil, false
	}
	i := slices.IndexFunc(h.ticks, func(t valuesTick) bool { return t.gen > gen })
	return slices.Clone(h.ticks[i:]), true
}
