package twin

import (
	"encoding/json"
	"fmt"
	"strconv"
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
// is the entity after the change, nil when it was deleted. Twin names the
// twin it happened in; Exercise marks every change of a twin that is not
// the live park (a drill, a what-if sandbox), so that nothing a drill
// does can be mistaken for the real thing.
type Event struct {
	Seq      uint64
	At       time.Time
	Op       Op
	Kind     Kind
	ID       string
	Entity   Entity
	Twin     string
	Exercise bool
	// Actor is who made the change (design rule 10): taken from the
	// command's context by the writer, journalled with the event.
	Actor Actor
	// Cmd is the seq of the first event of the command that made this
	// one: the events of one command share it, and the audit trail keeps
	// an entry for each command. Not journalled.
	Cmd uint64
	// Prev is the entity before an update or a deletion, for readers in
	// this process (a stream that must know what an entity left); it is
	// not journalled, and nil in events read back from a journal.
	Prev Entity

	feature []byte // Entity's Feature, encoded once by the writer
}

// Feature returns the entity's GeoJSON Feature, nil for a deletion. The
// writer encodes it once; the store, the journal and the stream share it.
func (e Event) Feature() ([]byte, error) {
	if e.Entity == nil || e.feature != nil {
		return e.feature, nil
	}
	return EncodeFeature(e.Entity)
}

type eventJSON struct {
	Seq      uint64          `json:"seq"`
	At       time.Time       `json:"at"`
	Op       Op              `json:"op"`
	Kind     Kind            `json:"kind"`
	ID       string          `json:"id"`
	Twin     string          `json:"twin,omitempty"`
	Exercise bool            `json:"exercise,omitempty"`
	Feature  json.RawMessage `json:"feature,omitempty"`
	Actor    *Actor          `json:"actor,omitempty"`
}

// MarshalJSON writes the event with its entity as a GeoJSON Feature.
func (e Event) MarshalJSON() ([]byte, error) {
	f, err := e.Feature()
	if err != nil {
		return nil, err
	}
	return EncodeEvent(e, f)
}

// EncodeEvent writes e as MarshalJSON does, with its entity's Feature
// already encoded (nil for a deletion), for callers that need both.
func EncodeEvent(e Event, feature []byte) ([]byte, error) {
	// Written by hand: json.Marshal would compact and check the feature
	// again, and this runs in the writer for every event.
	id, err := json.Marshal(e.ID)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 96+len(id)+len(feature))
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, `,"at":"`...)
	b = e.At.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","op":"`...)
	b = append(b, e.Op.String()...)
	b = append(b, `","kind":"`...)
	b = append(b, e.Kind.String()...)
	b = append(b, `","id":`...)
	b = append(b, id...)
	b = AppendTwin(b, e)
	if feature != nil {
		b = append(b, `,"feature":`...)
		b = append(b, feature...)
	}
	if e.Actor.User != "" {
		a, err := json.Marshal(e.Actor)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"actor":`...)
		b = append(b, a...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads an event written by MarshalJSON.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Event{Seq: j.Seq, At: j.At, Op: j.Op, Kind: j.Kind, ID: j.ID, Twin: j.Twin, Exercise: j.Exercise}
	if j.Actor != nil {
		e.Actor = *j.Actor
	}
	if len(j.Feature) > 0 {
		ent, err := DecodeFeatureOf(j.Kind, j.Feature)
		if err != nil {
			return fmt.Errorf("event %d: %w", j.Seq, err)
		}
		e.Entity = ent
	}
	return nil
}

// AppendTwin appends the members that say where e happened to a JSON
// object being written: ,"twin":ID and, for a twin that is not the live
// park, ,"exercise":true.
func AppendTwin(b []byte, e Event) []byte {
	if e.Twin != "" {
		b = append(b, `,"twin":`...)
		b = strconv.AppendQuote(b, e.Twin) // twin IDs are plain: letters, digits, '-'
	}
	if e.Exercise {
		b = append(b, `,"exercise":true`...)
	}
	return b
}
