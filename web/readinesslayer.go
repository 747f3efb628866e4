package web

// The readiness layer: each warehouse's readiness against its tier's
// minimums (twin.Readiness: percent ready, by type, what it is short of,
// inspections due), derived from the ledger and the clock, not kept in
// the twin. A snapshot holds every warehouse's; a ledger entry or a
// change of a warehouse that changes one is followed by a "readiness"
// message for that warehouse, stamped with the change's seq, as the zones
// layer's are (a derived layer: sent and replayed at that seq too). The
// clock alone changes a readiness only when the day turns (an expiry or
// an inspection falls due): checked at each heartbeat.

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"parktwin/twin"
)

// readinessLayer is the layer's name.
const readinessLayer = "readiness"

// readinessKinds are the kinds whose changes can change a readiness.
var readinessKinds = map[twin.Kind]bool{twin.KindLedger: true, twin.KindWarehouse: true}

// readinessSource writes the readiness layer of a snapshot.
type readinessSource struct {
	cache *twin.ReadinessCache
	log   *slog.Logger // of the warehouses left out, unencodable
}

func (readinessSource) Name() string { return readinessLayer }

// WriteSnapshot writes {"warehouses":[…]}, as GET /readiness gives them.
func (s readinessSource) WriteSnapshot(b *bytes.Buffer, v layerView) error {
	b.WriteString(`{"warehouses":[`)
	n := 0
	for _, r := range s.cache.Readiness(v.snap, v.now) {
		p, err := json.Marshal(r)
		if err != nil {
			// One warehouse's readiness that cannot be encoded is left
			// out, not the layer, nor the client's connection.
			s.log.Error("readiness left out: cannot be encoded", "warehouse", r.Warehouse, "err", err)
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.Write(p)
	}
	b.WriteString("]}\n")
	return nil
}

// Unchanged: a readiness depends on the day as well as the twin; the
// cache makes writing it afresh cheap.
func (readinessSource) Unchanged(old, v layerView) bool { return false }

// readinessFan keeps what the layer last published, per warehouse, as
// the JSON it was sent as: a readiness is compared by its bytes.
type readinessFan struct {
	mu    sync.Mutex // held from reading last to publishing; before hub.mu
	cache *twin.ReadinessCache
	last  map[string][]byte
}

func newReadinessFan(cache *twin.ReadinessCache, snap *twin.Snapshot, now time.Time) *readinessFan {
	f := &readinessFan{cache: cache, last: map[string][]byte{}}
	for _, r := range cache.Readiness(snap, now) {
		f.last[r.Warehouse], _ = json.Marshal(r)
	}
	return f
}

// readinessChanges returns the readiness messages that bring the layer
// from what was last published to snap at now, stamped seq. Must be
// called with h.ready.mu held.
func (h *hub) readinessChanges(snap *twin.Snapshot, now time.Time, seq uint64) []change {
	f := h.ready
	cur := map[string][]byte{}
	for _, r := range f.cache.Readiness(snap, now) {
		b, err := json.Marshal(r)
		if err != nil {
			h.log.Error("stream: encode readiness", "warehouse", r.Warehouse, "err", err)
			continue
		}
		cur[r.Warehouse] = b
	}
	var out []change
	for _, id := range changedKeys(f.last, cur, bytes.Equal) {
		r := cur[id]
		out = append(out, change{seq: seq, layer: readinessLayer, derived: true, msg: h.readinessMessage(seq, now, id, r)})
	}
	f.last = cur
	return out
}

// readinessMessage is one warehouse's readiness (nil: the warehouse is
// gone).
func (h *hub) readinessMessage(seq uint64, now time.Time, id string, r []byte) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"readiness","seq":`)
	b.WriteString(strconv.FormatUint(seq, 10))
	t, _ := json.Marshal(now.UTC())
	b.WriteString(`,"time":`)
	b.Write(t)
	b.WriteString(`,"layer":"readiness","id":`)
	idj, _ := json.Marshal(id)
	b.Write(idj)
	b.Write(twin.AppendTwin(nil, twin.Event{Twin: h.tw.ID(), Exercise: h.tw.Exercise()}))
	if r == nil {
		b.WriteString(`,"op":"deleted"}`)
		return b.Bytes()
	}
	b.WriteString(`,"op":"updated","readiness":`)
	b.Write(r)
	b.WriteByte('}')
	return b.Bytes()
}

// recheckReadiness publishes the readiness the clock alone has changed
// since the last change (a day turned: an expiry, an inspection due).
func (h *hub) recheckReadiness() {
	h.ready.mu.Lock()
	defer h.ready.mu.Unlock()
	seq := h.lastSeq()
	chs := h.readinessChanges(h.tw.Snapshot(), h.tw.Clock().Now(), seq)
	if len(chs) > 0 {
		h.publish(chs)
	}
}
