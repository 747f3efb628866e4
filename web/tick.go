package web

// The hub's clock-driven messages: the sensors' values, coalesced per
// tick, and heartbeats.

import (
	"context"
	"time"

	"parktwin/twin"
)

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
