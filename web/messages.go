package web

// The stream's messages to clients, each encoded once and shared by
// every client that gets it (docs/stream.md).

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

func subscribedMessage(seq uint64, layers map[string]uint64) []byte {
	names := make([]string, 0, len(layers))
	for l := range layers {
		names = append(names, l)
	}
	slices.Sort(names)
	b, _ := json.Marshal(struct {
		Type   string   `json:"type"`
		Seq    uint64   `json:"seq"`
		Layers []string `json:"layers"`
	}{"subscribed", seq, names})
	return b
}

// changeMessage is one change of the twin, in its layer.
func changeMessage(ev twin.Event, layer string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"change","seq":`)
	b.WriteString(strconv.FormatUint(ev.Seq, 10))
	b.WriteString(`,"op":"`)
	b.WriteString(ev.Op.String())
	b.WriteString(`","layer":"`)
	b.WriteString(layer)
	b.WriteString(`","id":`)
	id, _ := json.Marshal(ev.ID)
	b.Write(id)
	// Where it happened: the twin, and for a sandbox that it is an
	// exercise, so that no console can take a drill for the real thing.
	b.Write(twin.AppendTwin(nil, ev))
	f, err := ev.Feature()
	if err != nil {
		return nil, err
	}
	if f != nil {
		b.WriteString(`,"feature":`)
		b.Write(f)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func valuesMessage(seq uint64, now time.Time, vals []telemetry.SensorValue) []byte {
	b := make([]byte, 0, 64+len(vals)*56)
	b = append(b, `{"type":"values","seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"time":"`...)
	b = now.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","values":[`...)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `["`...)
		b = append(b, v.Sensor...) // sensor IDs are plain: letters, digits, '-', '_'
		b = append(b, `",`...)
		b = strconv.AppendFloat(b, v.Value.Value, 'g', -1, 64)
		b = append(b, `,"`...)
		b = v.T.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `"]`...)
	}
	return append(b, "]}"...)
}

func heartbeatMessage(seq uint64, now time.Time) []byte {
	b, _ := json.Marshal(struct {
		Type string    `json:"type"`
		Seq  uint64    `json:"seq"`
		Time time.Time `json:"time"`
	}{"heartbeat", seq, now.UTC()})
	return b
}
