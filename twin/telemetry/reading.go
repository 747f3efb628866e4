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
	"unicode/utf8"
)

// Reading is one value of one sensor at one time.
type Reading struct {
	Sensor string    `json:"sensor"`
	T      time.Time `json:"t"`
	Value  float64   `json:"value"`
}

// Rejection says why the reading at Index of a batch was refused.
type Rejection struct {
	Index int    `json:"index"`
	Error string `json:"error"`
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
			rej = append(rej, Rejection{Index: i, Error: err.Error()})
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

var errNotFinite = errors.New("value: not a finite number")

func decodeReading(raw json.RawMessage) (Reading, error) {
	var j readingJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Reading{}, fmt.Errorf("not a reading: %w", err)
	}
	return newReading([]byte(j.Sensor), []byte(j.T), j.Value)
}

// newReading checks a reading's decoded fields: the sensor and the time
// as they stood in their JSON strings, the value as it stood in the JSON.
// An absent field is empty.
func newReading(sensor, t, value []byte) (Reading, error) {
	if len(sensor) == 0 {
		return Reading{}, errors.New("sensor: required")
	}
	at, err := time.Parse(time.RFC3339Nano, string(t))
	if err != nil {
		return Reading{}, fmt.Errorf("t: want an RFC 3339 time, got %q", t)
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
		return 0, errors.New("value: required")
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if v, err := strconv.ParseFloat(s, 64); err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				return 0, errNotFinite
			}
		}
		return 0, fmt.Errorf("value: want a number, got %s", raw)
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errNotFinite
	}
	if err != nil {
		return 0, fmt.Errorf("value: want a number, got %s", raw)
	}
	return v, nil
}

// scanBatch reads a batch in one pass, if it is of the form a gateway
// sends: {"readings":[...]} and each reading an object with no field but
// "sensor" and "t" (strings or null) and "value" (a number, a string,
// true, false or null), each at most once and spelt so, and no string
// with an escape or invalid UTF-8. What it takes is valid JSON that
// decodeStrict reads to the same readings and rejections; for anything
// else it answers false, and decodeStrict says what is wrong. Like a
// json.Decoder it reads nothing past the batch's closing brace.
func scanBatch(b []byte) (rs []Reading, idx []int, rej []Rejection, ok bool) {
	s := scanner{b: b}
	if !s.next('{') {
		return nil, nil, nil, false
	}
	if s.next('}') {
		return []Reading{}, []int{}, nil, true
	}
	if key, ok := s.text(); !ok || string(key) != "readings" || !s.next(':') || !s.next('[') {
		return nil, nil, nil, false
	}
	n := bytes.Count(b, []byte("{")) // a reading is one object
	rs, idx = make([]Reading, 0, n), make([]int, 0, n)
	for i := 0; !s.next(']'); i++ {
		if i > 0 && !s.next(',') {
			return nil, nil, nil, false
		}
		sensor, t, value, ok := s.reading()
		if !ok {
			return nil, nil, nil, false
		}
		r, err := newReading(sensor, t, value)
		if err != nil {
			rej = append(rej, Rejection{Index: i, Error: err.Error()})
			continue
		}
		rs, idx = append(rs, r), append(idx, i)
	}
	if !s.next('}') {
		return nil, nil, nil, false
	}
	return rs, idx, rej, true
}

// scanner reads the JSON of a batch of readings from b, at i.
type scanner struct {
	b []byte
	i int
}

// next skips white space and then c, if c is next.
func (s *scanner) next(c byte) bool {
	s.space()
	if s.peek() != c {
		return false
	}
	s.i++
	return true
}

// space skips white space.
func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// reading reads one reading's fields; a field that is absent or null is
// nil, the value is its JSON.
func (s *scanner) reading() (sensor, t, value []byte, ok bool) {
	if !s.next('{') {
		return nil, nil, nil, false
	}
	if s.next('}') {
		return nil, nil, nil, true
	}
	var seen [3]bool
	for {
		key, ok := s.text()
		if !ok || !s.next(':') {
			return nil, nil, nil, false
		}
		var f int
		switch string(key) {
		case "sensor":
			f = 0
			sensor, ok = s.textOrNull()
		case "t":
			f = 1
			t, ok = s.textOrNull()
		case "value":
			f = 2
			value, ok = s.value()
		default:
			return nil, nil, nil, false
		}
		if !ok || seen[f] {
			return nil, nil, nil, false
		}
		seen[f] = true
		if s.next('}') {
			return sensor, t, value, true
		}
		if !s.next(',') {
			return nil, nil, nil, false
		}
	}
}

// text reads a string with no escape and valid UTF-8, and returns what is
// between its quotes.
func (s *scanner) text() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start, ascii := s.i, true
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '"':
			str := s.b[start:s.i]
			s.i++
			return str, ascii || utf8.Valid(str)
		case c < 0x20 || c == '\\':
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// textOrNull reads a string as text does, or null, which is nil.
func (s *scanner) textOrNull() ([]byte, bool) {
	if s.literal("null") {
		return nil, true
	}
	return s.text()
}

// value reads a number, a string as text does, true, false or null, and
// returns its JSON.
func (s *scanner) value() ([]byte, bool) {
	s.space()
	start := s.i
	if s.literal("null") || s.literal("true") || s.literal("false") {
		return s.b[start:s.i], true
	}
	if s.peek() == '"' {
		_, ok := s.text()
		return s.b[start:s.i], ok
	}
	return s.number()
}

// literal skips white space and then lit, if lit is next.
func (s *scanner) literal(lit string) bool {
	if !s.next(lit[0]) {
		return false
	}
	if !bytes.HasPrefix(s.b[s.i:], []byte(lit[1:])) {
		s.i--
		return false
	}
	s.i += len(lit) - 1
	return true
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() ([]byte, bool) {
	start := s.i
	if s.peek() == '-' {
		s.i++
	}
	switch c := s.peek(); {
	case c == '0':
		s.i++
	case '1' <= c && c <= '9':
		s.digits()
	default:
		return nil, false
	}
	if s.peek() == '.' {
		s.i++
		if !s.digits() {
			return nil, false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if !s.digits() {
			return nil, false
		}
	}
	return s.b[start:s.i], true
}

// digits reads one digit or more.
func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

// peek is the byte at i, or 0 past the end.
func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
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
