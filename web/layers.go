package web

// The stream's layers: where each comes from, and the snapshot message
// that carries them.

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// layerSource is where a stream layer comes from. A source writes its
// layer as it stands in a view of the twin, and publishes its changes
// through hub.publish stamped with the seq of the twin's change they
// follow from. The hub holds every layer to the same rules: a snapshot
// at a seq, the changes after it in order, resume from the replay ring.
// The twin's kinds are the first sources; derived data (consequence
// zones, a drill's clock, warehouse readiness) can become others.
//
// Before the first derived source: a derived change shares the seq of the
// twin's change it follows from, and replay and bridging send what is
// after a client's seq, so a client at exactly that seq would miss it.
// Give the hub a sequence of its own (or a sub-sequence per seq) then.
type layerSource interface {
	Name() string
	// WriteSnapshot writes the layer as one JSON value.
	WriteSnapshot(b *bytes.Buffer, v layerView) error
}

// layerView is what sources write their snapshots from.
type layerView struct {
	snap   *twin.Snapshot
	now    time.Time
	values map[string]telemetry.Value // the sensors' latest
}

// kindSource is the layer of one of the twin's kinds: its entities as
// the REST API gives them. Its changes are the twin's events, which the
// hub publishes itself.
type kindSource struct{ kind twin.Kind }

func (s kindSource) Name() string { return layerOf(s.kind) }

func (s kindSource) WriteSnapshot(b *bytes.Buffer, v layerView) error {
	if s.kind == twin.KindPark {
		p, err := json.Marshal(parkOf(v.snap, v.now))
		b.Write(p)
		return err
	}
	return writeLayer(b, v.snap, s.kind, "", v.values)
}

// layerNames lists every layer a client may hold.
func (h *hub) layerNames() []string {
	out := make([]string, len(h.sources))
	for i, src := range h.sources {
		out[i] = src.Name()
	}
	return out
}

// snapshotMessage writes the layers of snap as one snapshot message, the
// sensors with the values given. The park layer is the message's "park"
// member, the others are members of its "layers".
func (h *hub) snapshotMessage(snap *twin.Snapshot, layers []string, values map[string]telemetry.Value) ([]byte, error) {
	v := layerView{snap: snap, now: h.tw.Clock().Now(), values: values}
	var b bytes.Buffer
	b.WriteString(`{"type":"snapshot","seq":`)
	b.WriteString(strconv.FormatUint(snap.Seq(), 10))
	now, _ := json.Marshal(v.now)
	b.WriteString(`,"time":`)
	b.Write(now)
	park := layerOf(twin.KindPark)
	for _, src := range h.sources {
		if src.Name() == park && slices.Contains(layers, park) {
			b.WriteString(`,"park":`)
			if err := src.WriteSnapshot(&b, v); err != nil {
				return nil, err
			}
		}
	}
	b.WriteString(`,"layers":{`)
	n := 0
	for _, src := range h.sources {
		l := src.Name()
		if l == park || !slices.Contains(layers, l) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteByte('"')
		b.WriteString(l)
		b.WriteString(`":`)
		if err := src.WriteSnapshot(&b, v); err != nil {
			return nil, err
		}
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// layerOf names the stream layer of a kind: its REST collection.
func layerOf(k twin.Kind) string { return k.Path() }
