package web

// Bringing a client up to date: the snapshot of its layers, shared with
// every client that asks for the same at the same seq, and the changes
// and values made while it was built, bridged from the rings.

import (
	"slices"
	"strings"
	"sync"

	"parktwin/twin"
)

// bringTries is how many snapshots bring encodes without h.mu before it
// holds h.mu through one.
const bringTries = 3

// bring registers layers for c at the seq of a fresh snapshot and calls
// deliver, with h.mu held so that no change overtakes them, with the
// messages that bring c up to the fan-out: the snapshot, then the ring's
// changes of those layers after its seq (and, with the sensors layer, the
// values of the ticks after the snapshot's). Encoding a snapshot takes
// long on a large park and would stall every client, so it is done
// without h.mu and the rings bridge what was fanned out meanwhile; the
// snapshot is shared with every client that asks for the same layers at
// the same seq and tick. When the rings no longer reach back to the
// snapshot, bring takes a newer one; after bringTries it holds h.mu
// through the encoding, so that it always ends. It returns false when
// the hub has closed or on an error.
func (h *hub) bring(c *client, layers []string, deliver func(seq uint64, msgs [][]byte)) (bool, error) {
	layers = slices.Sorted(slices.Values(layers))
	sensors := slices.Contains(layers, layerOf(twin.KindSensor))
	for try := 1; ; try++ {
		locked := try > bringTries
		// The values are read after gen, so they are at least as new as
		// that tick's; a snapshot without sensors does not depend on it.
		gen := h.gen.Load()
		values := sync.OnceValue(h.values)
		if locked {
			values() // not under h.mu: the Monitor's lock comes first
			h.mu.Lock()
		}
		snap := h.tw.Snapshot()
		key := snapshotKey{layers: strings.Join(layers, ","), seq: snap.Seq()}
		if sensors {
			key.gen = gen
		}
		if slices.ContainsFunc(layers, filteredLayer) {
			key.enterprise = c.enterprise
		}
		msg, err := h.snaps.message(key, func() ([]byte, error) {
			v := layerView{snap: snap, now: h.tw.Clock().Now(), values: values, gen: gen, enterprise: key.enterprise}
			return h.snapshotMessage(v, layers)
		})
		if !locked {
			h.mu.Lock()
		}
		if err != nil || h.closed {
			h.mu.Unlock()
			return false, err
		}
		ok := h.bridge(c, layers, key, msg, locked, deliver)
		h.mu.Unlock()
		if ok {
			return true, nil
		}
	}
}

// bridge registers layers for c at the snapshot of key and delivers it
// with the remembered changes of those layers after its seq and the
// values of the ticks after its generation, in the order they were fanned
// out; or returns false when the rings no longer reach back to it. When
// must is set the values ring not reaching back is logged, not refused.
// Must be called with h.mu held.
func (h *hub) bridge(c *client, layers []string, key snapshotKey, snapshot []byte, must bool, deliver func(uint64, [][]byte)) bool {
	msgs := [][]byte{snapshot}
	var missed []change
	// A snapshot newer than the fan-out needs nothing: changes up to its
	// seq, fanned out later, are not sent to c.
	if key.seq < h.last {
		var ok bool
		if missed, ok = h.replay(key.seq); !ok {
			return false
		}
	}
	var ticks []*valuesTick
	if slices.Contains(layers, layerOf(twin.KindSensor)) {
		var ok bool
		if ticks, ok = h.ticksAfter(key.gen); !ok {
			if !must {
				return false
			}
			h.log.Warn("stream: a snapshot's values older than the ticks kept", "gen", key.gen, "now", h.gen.Load())
		}
	}
	for _, e := range missed {
		for len(ticks) > 0 && ticks[0].seq < e.seq {
			msgs = append(msgs, h.tickFor(ticks[0], c.enterprise)...)
			ticks = ticks[1:]
		}
		if slices.Contains(layers, e.layer) && sees(c.enterprise, e.ent) {
			msgs = append(msgs, e.msg)
		}
	}
	for _, t := range ticks {
		msgs = append(msgs, h.tickFor(t, c.enterprise)...)
	}
	for _, l := range layers {
		c.layers[l] = key.seq
	}
	deliver(key.seq, msgs)
	return true
}
