package web

// The stream's layers: where each comes from, and the snapshot message
// that carries them.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/telemetry"
)

// layerSource is where a stream layer comes from. A source writes its
// layer as it stands in a view of the twin, and publishes its changes
// through hub.publish stamped with the seq of the twin's change they
// follow from. The hub holds every layer to the same rules: a snapshot
// at a seq, the changes after it in order, resume from the replay ring.
// The twin's kinds are the first sources; derived data are others (the
// consequence zones, the warehouses' readiness; a drill's clock could be).
//
// Before the first derived source: a derived change shares the seq of the
// twin's change it follows from, and replay and bridging send what is
// after a client's seq, so a client at exactly that seq would miss it.
// Give the hub a sequence of its own (or a sub-sequence per seq) then.
type layerSource interface {
	Name() string
	// WriteSnapshot writes the layer as one JSON value.
	WriteSnapshot(b *bytes.Buffer, v layerView) error
	// Unchanged reports whether the layer written from v is the very
	// bytes written from old, so that a part written once is reused.
	Unchanged(old, v layerView) bool
}

// layerView is what sources write their snapshots from.
type layerView struct {
	snap *twin.Snapshot
	now  time.Time
	// values returns the sensors' latest, read at or after the tick
	// generation gen (see hub.gen); it is read once, and only when a
	// layer needs it.
	values func() map[string]telemetry.Value
	gen    uint64
	// enterprise, when set, narrows the layers filtered by enterprise
	// (byEnterprise) to its entities.
	enterprise string
}

// kindSource is the layer of one of the twin's kinds: its entities as
// the REST API gives them. Its changes are the twin's events, which the
// hub publishes itself. The alarms layer carries every alarm not closed
// and the latest closedAlarms closed ones (all when negative): on a park
// with a long history the closed alarms were most of a console's
// snapshot, and it shows only the latest.
type kindSource struct {
	kind         twin.Kind
	closedAlarms int
	log          *slog.Logger // of the entities left out, unencodable
}

func (s kindSource) Name() string { return layerOf(s.kind) }

func (s kindSource) WriteSnapshot(b *bytes.Buffer, v layerView) error {
	if s.kind == twin.KindPark {
		p, err := json.Marshal(parkOf(v.snap, v.now))
		b.Write(p)
		return err
	}
	var values map[string]telemetry.Value
	if s.kind == twin.KindSensor && v.values != nil {
		values = v.values()
	}
	ent := ""
	if byEnterprise[s.kind] {
		ent = v.enterprise
	}
	skip := skipping(s.log, "stream")
	if s.kind == twin.KindAlarm {
		return writeAlarmsKept(b, v.snap, ent, s.closedAlarms, skip)
	}
	return writeLayer(b, v.snap, s.kind, "", values, ent, skip)
}

// Unchanged: a kind's layer is the same while nothing of its kind
// changed (the twin's persistent map of the kind is the same map), the
// sensors' also while their values are of the same tick. The park's
// holds the seq, the time and every kind's count: never the same.
func (s kindSource) Unchanged(old, v layerView) bool {
	switch s.kind {
	case twin.KindPark:
		return false
	case twin.KindSensor:
		if old.gen != v.gen {
			return false
		}
		if v.enterprise != "" {
			// A sensor's enterprise is its subject's.
			for _, k := range subjectKinds {
				if !v.snap.Unchanged(old.snap, k) {
					return false
				}
			}
		}
	}
	return old.enterprise == v.enterprise && v.snap.Unchanged(old.snap, s.kind)
}

// layerNames lists every layer a client may hold.
func (h *hub) layerNames() []string {
	out := make([]string, len(h.sources))
	for i, src := range h.sources {
		out[i] = src.Name()
	}
	return out
}

// snapshotMessage writes the layers of the view as one snapshot message,
// each layer's part from the parts cache when it is unchanged. The park
// layer is the message's "park" member, the others are members of its
// "layers".
func (h *hub) snapshotMessage(v layerView, layers []string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"snapshot","seq":`)
	b.WriteString(strconv.FormatUint(v.snap.Seq(), 10))
	now, _ := json.Marshal(v.now)
	b.WriteString(`,"time":`)
	b.Write(now)
	park := layerOf(twin.KindPark)
	parts := make([][]byte, len(h.sources))
	size := b.Len()
	for i, src := range h.sources {
		if !slices.Contains(layers, src.Name()) {
			continue
		}
		pv := v
		if !filteredLayer(src.Name()) {
			pv.enterprise = "" // the same for every enterprise: shared
		}
		p, err := h.snaps.part(src, pv)
		if err != nil {
			return nil, err
		}
		parts[i] = p
		size += len(p) + len(src.Name()) + 16
	}
	b.Grow(size - b.Len() + 32)
	for i, src := range h.sources {
		if src.Name() == park && parts[i] != nil {
			b.WriteString(`,"park":`)
			b.Write(parts[i])
		}
	}
	b.WriteString(`,"layers":{`)
	n := 0
	for i, src := range h.sources {
		l := src.Name()
		if l == park || parts[i] == nil {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteByte('"')
		b.WriteString(l)
		b.WriteString(`":`)
		b.Write(parts[i])
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// layerOf names the stream layer of a kind: its REST collection.
func layerOf(k twin.Kind) string { return k.Path() }

// snapshots shares encoded snapshots among the clients that ask for the
// same ones: a whole message by its layers, seq and values generation,
// and each layer's part by the view it was written from, so that a
// snapshot of many layers after a change of one is mostly a copy of
// parts already written.
//
// Nothing here takes the hub's lock, nor waits for anything that does: a
// snapshot may be built with hub.mu held (bring's last resort).
type snapshots struct {
	limit int64 // bytes of messages kept

	mu    sync.Mutex
	msgs  map[snapshotKey]*snapshotEntry
	kept  int64  // bytes of the ready messages in msgs
	seq   uint64 // the newest seq and generation asked for: older
	gen   uint64 // messages are of no more use
	parts map[string]layerPart
}

// snapshotKey names one snapshot message.
type snapshotKey struct {
	layers string // sorted, comma-separated
	seq    uint64
	gen    uint64 // values generation; 0 when the layers hold no sensors
	// enterprise the layers are filtered to; "" when none of them is
	// filtered (byEnterprise) or without a filter.
	enterprise string
}

// snapshotEntry is one snapshot message, built by the first client that
// asks for it while the others wait.
type snapshotEntry struct {
	ready chan struct{} // closed once msg and err are set
	msg   []byte
	err   error
	// counted: msg is in snapshots.kept. Only a counted entry may be
	// evicted, by whoever evicts it; its builder counts it. Guarded by
	// snapshots.mu.
	counted bool
}

// layerPart is a layer as written from a view.
type layerPart struct {
	view layerView
	b    []byte
}

func newSnapshots(limit int64) *snapshots {
	return &snapshots{limit: limit, msgs: map[snapshotKey]*snapshotEntry{}, parts: map[string]layerPart{}}
}

// message returns the snapshot message of key, built by build once for
// every client that asks for it while it is kept. The bytes are shared:
// nobody may change them.
func (s *snapshots) message(key snapshotKey, build func() ([]byte, error)) ([]byte, error) {
	s.mu.Lock()
	if key.seq > s.seq || key.seq == s.seq && key.gen > s.gen {
		s.seq, s.gen = key.seq, max(key.gen, s.gen)
		s.evictOlder()
	}
	e, ok := s.msgs[key]
	if !ok {
		e = &snapshotEntry{ready: make(chan struct{})}
		s.msgs[key] = e
	}
	s.mu.Unlock()
	if ok {
		<-e.ready
		return e.msg, e.err
	}
	func() {
		// Closed whatever build does, or its waiters would wait for ever.
		defer close(e.ready)
		e.msg, e.err = build()
	}()

	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case e.err != nil || int64(len(e.msg)) > s.limit || s.older(key):
		delete(s.msgs, key)
	default:
		s.kept += int64(len(e.msg))
		e.counted = true
		for k, o := range s.msgs {
			if s.kept <= s.limit {
				break
			}
			if o != e && o.counted {
				s.kept -= int64(len(o.msg))
				delete(s.msgs, k)
			}
		}
	}
	return e.msg, e.err
}

// older reports whether the snapshot of key is older than the newest
// asked for. Must be called with s.mu held.
func (s *snapshots) older(k snapshotKey) bool {
	return k.seq < s.seq || k.gen != 0 && k.gen < s.gen
}

// evictOlder forgets the counted messages older than the newest asked
// for; those being built are dropped by their builders when they are
// ready. Must be called with s.mu held.
func (s *snapshots) evictOlder() {
	for k, e := range s.msgs {
		if s.older(k) && e.counted {
			s.kept -= int64(len(e.msg))
			delete(s.msgs, k)
		}
	}
}

// part returns src's layer as written from v: the part kept for it when
// the layer is unchanged since, or a new part, which is kept. The parts
// kept are at most one of each layer: about one snapshot of every layer.
//
// A layer filtered by enterprise is kept apart for each enterprise asked
// for: at most every enterprise's part, about one more whole layer.
func (s *snapshots) part(src layerSource, v layerView) ([]byte, error) {
	name := src.Name()
	if v.enterprise != "" {
		name += "@" + v.enterprise
	}
	s.mu.Lock()
	p, ok := s.parts[name]
	s.mu.Unlock()
	if ok && src.Unchanged(p.view, v) {
		return p.b, nil
	}
	var b bytes.Buffer
	if err := src.WriteSnapshot(&b, v); err != nil {
		return nil, err
	}
	// A part keeps its view's snapshot, not its values.
	kept := layerPart{view: layerView{snap: v.snap, now: v.now, gen: v.gen, enterprise: v.enterprise}, b: bytes.TrimSuffix(b.Bytes(), []byte("\n"))}
	s.mu.Lock()
	if cur, ok := s.parts[name]; !ok || cur.view.snap.Seq() <= v.snap.Seq() {
		s.parts[name] = kept
	}
	s.mu.Unlock()
	return kept.b, nil
}

// The enterprise filter: a client (or a REST list) may ask for one
// enterprise's part of the layers whose entities belong to one, so that a
// console of a national-scale park never takes every sensor at once.

// byEnterprise are the kinds whose layers the filter narrows; the others
// (the park, roads, rescue forces, warehouses…) are the same for all.
var byEnterprise = map[twin.Kind]bool{
	twin.KindEnterprise: true, twin.KindTank: true, twin.KindSewagePool: true, twin.KindWasteStore: true,
	twin.KindHazardUnit: true, twin.KindSensor: true, twin.KindAlarm: true, twin.KindOrder: true,
	twin.KindDanger: true,
}

// subjectKinds are the kinds a sensor's enterprise is read through: when
// none of them nor the sensors changed, every sensor's is the same.
var subjectKinds = []twin.Kind{twin.KindSensor, twin.KindTank, twin.KindSewagePool, twin.KindWasteStore, twin.KindHazardUnit}

// filteredLayer reports whether a layer is narrowed by an enterprise
// filter.
func filteredLayer(layer string) bool {
	for k := range byEnterprise {
		if layerOf(k) == layer {
			return true
		}
	}
	return false
}

// enterpriseOf returns the enterprise an entity belongs to: a sensor its
// subject's, an alarm, order or hidden danger the one it names, what an
// enterprise owns its owner; "" when it is unknown or of a kind not
// filtered.
func enterpriseOf(snap *twin.Snapshot, e twin.Entity) string {
	switch e := e.(type) {
	case *twin.Sensor:
		subject, ok := snap.Get(twin.KindOfID(e.Subject), e.Subject)
		if !ok {
			return ""
		}
		return twin.EnterpriseOf(subject)
	case *twin.Alarm:
		return e.Enterprise
	case *twin.Order:
		return e.Enterprise
	case *twin.Danger:
		return e.Enterprise
	}
	return twin.EnterpriseOf(e)
}

// sees reports whether an entity of enterprise ent is sent to a client
// filtered to enterprise want: always without a filter, and what belongs
// to no enterprise (a layer not filtered) always.
func sees(want, ent string) bool { return want == "" || ent == "" || ent == want }

// checkEnterprise refuses an enterprise filter that names no enterprise
// of the twin.
func checkEnterprise(snap *twin.Snapshot, id string) error {
	if id == "" {
		return nil
	}
	if _, ok := snap.Get(twin.KindEnterprise, id); !ok {
		return twin.Reasoned(twin.EINVALID, "enterprise", fmt.Sprintf("no enterprise %q in this park", id),
			msg.New("error.noRef", "field", "enterprise", "kind", twin.KindEnterprise.String(), "id", id))
	}
	return nil
}
