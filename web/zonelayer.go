package web

// The zones layer: the consequence zones of every open incident with a
// chemical, derived from the twin (dispatch.Zoner), not kept in it. A
// snapshot holds them as they stand at its seq; a change of the twin that
// moves them (a wind change, an incident updated or closed, a road built)
// is followed by a "zones" message per incident whose zones changed,
// stamped with that change's seq. So is a change the clock alone makes
// (nightfall, the stability class), found at each heartbeat.
//
// A zones message shares its seq with the twin's change it follows from,
// so the hub sends and replays the zones layer's changes at a client's
// seq too, not only after it: a client may get one twice, and a zones
// message replaces an incident's zones whole, so twice is harmless.

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
)

// zonesLayer is the layer's name.
const zonesLayer = "zones"

// zoneKinds are the kinds whose changes can move a zone.
var zoneKinds = map[twin.Kind]bool{twin.KindIncident: true, twin.KindPark: true, twin.KindTank: true,
	twin.KindChemical: true, twin.KindEnterprise: true, twin.KindTarget: true, twin.KindRoad: true}

// zoneSource writes the zones layer of a snapshot.
type zoneSource struct{ zr *dispatch.Zoner }

func (zoneSource) Name() string { return zonesLayer }

// WriteSnapshot writes every open incident's zones as one
// FeatureCollection, the incidents' figures (dispatch.ZoneMeta) in its
// "incidents" member.
func (s zoneSource) WriteSnapshot(b *bytes.Buffer, v layerView) error {
	all := s.zr.All(v.snap, v.now)
	type fc struct {
		Type      string              `json:"type"`
		Incidents []dispatch.ZoneMeta `json:"incidents"`
		Features  []any               `json:"features"`
	}
	out := fc{Type: "FeatureCollection", Incidents: []dispatch.ZoneMeta{}, Features: []any{}}
	for _, z := range all {
		out.Incidents = append(out.Incidents, z.Meta())
		out.Features = append(out.Features, z.Features()...)
	}
	return json.NewEncoder(b).Encode(out)
}

// Unchanged: the zones depend on the clock as well as the twin; they are
// written afresh for each snapshot (a few incidents' polygons).
func (zoneSource) Unchanged(old, v layerView) bool { return false }

// zoneFan keeps what the zones layer last published, per incident.
type zoneFan struct {
	mu   sync.Mutex // held from reading last to publishing; before hub.mu
	zr   *dispatch.Zoner
	last map[string]*dispatch.IncidentZones
}

// zoneChanges returns the zones messages that bring the layer from what
// was last published to the zones of snap at now, stamped seq. Must be
// called with f.mu held.
func (h *hub) zoneChanges(snap *twin.Snapshot, now time.Time, seq uint64) []change {
	f := h.zones
	cur := map[string]*dispatch.IncidentZones{}
	for _, z := range f.zr.All(snap, now) {
		cur[z.Incident] = z
	}
	var out []change
	for _, id := range changedKeys(f.last, cur, func(a, b *dispatch.IncidentZones) bool { return a == b }) {
		z := cur[id]
		msg, err := h.zonesMessage(seq, now, id, z)
		if err != nil {
			h.log.Error("stream: encode zones", "incident", id, "err", err)
			continue
		}
		out = append(out, change{seq: seq, layer: zonesLayer, derived: true, msg: msg})
	}
	f.last = cur
	return out
}

// zonesMessage is one incident's zones (nil: it has none any more).
func (h *hub) zonesMessage(seq uint64, now time.Time, id string, z *dispatch.IncidentZones) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"zones","seq":`)
	b.WriteString(strconv.FormatUint(seq, 10))
	t, _ := json.Marshal(now.UTC())
	b.WriteString(`,"time":`)
	b.Write(t)
	b.WriteString(`,"layer":"zones","id":`)
	idj, _ := json.Marshal(id)
	b.Write(idj)
	b.Write(twin.AppendTwin(nil, twin.Event{Twin: h.tw.ID(), Exercise: h.tw.Exercise()}))
	if z == nil {
		b.WriteString(`,"op":"deleted"}`)
		return b.Bytes(), nil
	}
	b.WriteString(`,"op":"updated","zones":`)
	fc, err := z.FeatureCollection()
	if err != nil {
		return nil, err
	}
	b.Write(fc)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// recheckZones publishes the zones the clock alone has moved since the
// last change (the stability class, day and night).
func (h *hub) recheckZones() {
	h.zones.mu.Lock()
	defer h.zones.mu.Unlock()
	seq := h.lastSeq()
	chs := h.zoneChanges(h.tw.Snapshot(), h.tw.Clock().Now(), seq)
	if len(chs) > 0 {
		h.publish(chs)
	}
}

// changedKeys returns, sorted, the keys of a derived layer whose value in
// cur is not the same as in last, or that cur no longer has: what the
// layer must publish again (nil for a removed key).
func changedKeys[V any](last, cur map[string]V, same func(a, b V) bool) []string {
	var out []string
	for id, v := range cur {
		if old, ok := last[id]; !ok || !same(old, v) {
			out = append(out, id)
		}
	}
	for id := range last {
		if _, ok := cur[id]; !ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
