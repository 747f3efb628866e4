// Package telemetry is the park's live monitoring: readings in, latest
// values in place, alarms raised once per condition and cleared past the
// deadband, verification orders with deadlines and escalation, hidden
// dangers, safety codes and the GB 18218 grading of major hazard units,
// with one-minute history kept in batches.
package telemetry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"parktwin/twin/msg"
)

// Reading is one value of one sensor at one time.
type Reading struct {
	Sensor string    `json:"sensor"`
	T      time.Time `json:"t"`
	Value  float64   `json:"value"`
}

// Rejection says why the reading at Index of a batch was refused: in
// English (Error, as it always has), and as a message a console renders
// in its language (Msg, of twin.Messages), about the reading's Field
// (sensor, t or value) when it is one.
type Rejection struct {
	Index int     `json:"index"`
	Error string  `json:"error"`
	Field string  `json:"field,omitempty"`
	Msg   msg.Msg `json:"msg"`
}

// readingError is a reading refused: why in English, and as a message
// naming field.
type readingError struct {
	field, english string
	m              msg.Msg
}

func (e *readingError) Error() string { return e.english }

// refused returns the readingError of field, why in english and as the
// message code with its arguments (field among them when the code names
// one).
func refused(field, english, code string, kv ...any) *readingError {
	return &readingError{field: field, english: english, m: msg.New(code, kv...)}
}

// rejection returns the Rejection of the reading at i, refused with err.
func rejection(i int, err error) Rejection {
	var re *readingError
	if !errors.As(err, &re) {
		return Rejection{Index: i, Error: err.Error(), Msg: msg.New("error.reading.notOne")}
	}
	return Rejection{Index: i, Error: re.english, Field: re.field, Msg: re.m}
}

// DecodeBatch reads {"readings": [...]} and returns the readings that
// parse, with a rejection for each that does not, so that one bad reading
// does not cost the batch. Only a body that is not such an object at all
// is an error.
//
// A batch as gateways send it is read in one pass by scanBatch; any other
// (an unknown or differently spelt field, an escape in a string, a value
// of the wrong type, bad JSON) is read again by decodeStrict, which says
// what is wrong in encoding/json's words. The checks on each reading's
// values are the same function on either path.
func DecodeBatch(b []byte) ([]Reading, []int, []Rejection, error) {
	if rs, idx, rej, ok := scanBatch(b); ok {
		return rs, idx, rej, nil
	}
	return decodeStrict(b)
}

// decodeStrict is DecodeBatch with one strict json.Decoder for the batch
// and one for each reading.
func decodeStrict(b []byte) ([]Reading, []int, []Rejection, error) {
	var batch struct {
		Readings []json.RawMessage `json:"readings"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&batch); err != nil {
		return nil, nil, nil, fmt.Errorf("want {\"readings\": [...]}: %w", err)
	}
	rs := make([]Reading, 0, len(batch.Readings))
	idx := make([]int, 0, len(batch.Readings))
	var rej []Rejection
	for i, raw := range batch.Readings {
		r, err := decodeReading(raw)
		if err != nil {
			rej = append(rej, rejection(i, err))
			continue
		}
		rs = append(rs, r)
		idx = append(idx, i)
	}
	return rs, idx, rej, nil
}

type readingJSON struct {
	Sensor string          `json:"sensor"`
	T      string          `json:"t"`
	Value  json.RawMessage `json:"value"`
}

func decodeReading(raw json.RawMessage) (Reading, error) {
	var j readingJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Reading{}, refused("", fmt.Sprintf("not a reading: %v", err), "error.reading.notOne")
	}
	return newReading([]byte(j.Sensor), []byte(j.T), j.Value)
}

// newReading checks a reading's decoded fields: the sensor and the time
// as they stood in their JSON strings, the value as it stood in the JSON.
// An absent field is empty.
func newReading(sensor, t, value []byte) (Reading, error) {
	if len(sensor) == 0 {
		return Reading{}, refused("sensor", "sensor: required", "error.required", "field", "sensor")
	}
	at, err := time.Parse(time.RFC3339Nano, string(t))
	if err != nil {
		return Reading{}, refused("t", fmt.Sprintf("t: want an RFC 3339 time, got %q", t), "error.time", "field", "t", "got", string(t))
	}
	v, err := parseValue(value)
	if err != nil {
		return Reading{}, err
	}
	return Reading{Sensor: string(sensor), T: at.UTC(), Value: v}, nil
}

// parseValue reads a number, and takes "NaN" and "Infinity" (which JSON
// cannot carry as numbers) only to refuse them by name.
func parseValue(raw []byte) (float64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, refused("value", "value: required", "error.required", "field", "value")
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if v, err := strconv.ParseFloat(s, 64); err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				return 0, notFinite(s)
			}
		}
		return 0, notNumber(raw)
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, notFinite(string(raw))
	}
	if err != nil {
		return 0, notNumber(raw)
	}
	return v, nil
}

// notFinite is the refusal of a value, got, that is no finite number.
func notFinite(got string) *readingError {
	return refused("value", "value: not a finite number", "error.reading.notFinite", "field", "value", "got", got)
}

// notNumber is the refusal of a value, raw its JSON, that is not a
// number.
func notNumber(raw []byte) *readingError {
	return refused("value", fmt.Sprintf("value: want a number, got %s", raw), "error.reading.notNumber", "field", "value", "got", string(raw))
}

// maxHint bounds the slots remembered by position: a batch as large as
// a request body allows.
const maxHint = 1 << 16

// lookup finds the slot of the reading at index i of its batch. A gateway
// (and the simulator) sends its sensors in the same order batch after
// batch, so the slot found at i the last time is tried first, an ID
// compare that is most often the very same string, before the map: on
// the ×10 park the map lookup alone was half the cost of a reading.
// Must be called with m.mu held.
func (m *Monitor) lookup(i int, id string) (*slot, bool) {
	if i < len(m.hint) {
		if sl := m.hint[i]; sl != nil && sl.s.ID == id {
			return sl, true
		}
	}
	sl, ok := m.slots[id]
	if ok && i < maxHint {
		if i >= len(m.hint) {
			m.hint = append(m.hint, make([]*slot, i+1-len(m.hint))...)
		}
		m.hint[i] = sl
	}
	return sl, ok
}
