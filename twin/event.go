package twin

import (
	"encoding/json"
	"fmt"
	"time"
)

// Op says what a change did to an entity.
type Op int

// The operations.
const (
	Created Op = iota + 1
	Updated
	Deleted
)

var opNames = []string{"", "created", "updated", "deleted"}

func (o Op) String() string                { return enumString(opNames, int(o)) }
func (o Op) MarshalText() ([]byte, error)  { return enumText(opNames, int(o), "op") }
func (o *Op) UnmarshalText(b []byte) error { return enumInto(opNames, b, "op", (*int)(o)) }

// Event is one change of the park, numbered by the twin's sequence. Entity
// is the entity after the change, nil when it was deleted.
type Event struct {
	Seq    uint64
	At     time.Time
	Op     Op
	Kind   Kind
	ID     string
	Entity Entity
}

type eventJSON struct {
	Seq     uint64          `json:"seq"`
	At      time.Time       `json:"at"`
	Op      Op              `json:"op"`
	Kind    Kind            `json:"kind"`
	ID      string          `json:"id"`
	Feature json.RawMessage `json:"feature,omitempty"`
}

// MarshalJSON writes the event with its entity as a GeoJSON Feature.
func (e Event) MarshalJSON() ([]byte, error) {
	j := eventJSON{Seq: e.Seq, At: e.At, Op: e.Op, Kind: e.Kind, ID: e.ID}
	if e.Entity != nil {
		f, err := EncodeFeature(e.Entity)
		if err != nil {
			return nil, err
		}
		j.Feature = f
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads an event written by MarshalJSON.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Event{Seq: j.Seq, At: j.At, Op: j.Op, Kind: j.Kind, ID: j.ID}
	if len(j.Feature) > 0 {
		ent, err := DecodeFeatureOf(j.Kind, j.Feature)
		if err != nil {
			return fmt.Errorf("event %d: %w", j.Seq, err)
		}
		e.Entity = ent
	}
	return nil
}
