package telemetry

// A gateway's batch read in one pass: the fast path of DecodeBatch.

import (
	"bytes"
	"unicode/utf8"
)

// shortestReading is the shortest reading that can be taken.
const shortestReading = `{"sensor":"x","t":"2006-01-02T15:04:05Z","value":0}`

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
	// A reading is one object; braces inside strings (a hostile body of
	// them) may not size the slices beyond the readings the body can
	// hold whole (shorter ones are refused, and appended as they come).
	n := min(bytes.Count(b, []byte("{")), len(b)/len(shortestReading)+1)
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
			rej = append(rej, rejection(i, err))
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
