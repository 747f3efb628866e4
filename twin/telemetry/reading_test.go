package telemetry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin/msg"
)

// batchCases are bodies that the fuzz test starts from and that the
// tests below read: gateway batches, batches with readings refused on
// their values, and everything that decodeStrict must be left to.
var batchCases = []struct {
	name string
	body string
	fast bool // read by scanBatch
}{
	{"empty object", `{}`, true},
	{"no readings", `{"readings":[]}`, true},
	{"one", `{"readings":[{"sensor":"SEN-00001","t":"2026-12-01T08:00:00Z","value":21.5}]}`, true},
	{"white space", " \n{ \"readings\" :\t[ { \"sensor\" : \"SEN-00001\" , \"t\" : \"2026-12-01T08:00:00+08:00\" , \"value\" : -1.5e-3 } ,\r\n{\"value\":0,\"t\":\"2026-12-01T08:00:00.123456789Z\",\"sensor\":\"SEN-00002\"} ] }", true},
	{"refused one by one", `{"readings":[
		{"sensor":"SEN-00001","t":"2026-12-01T07:59:59Z","value":21.5},
		{"sensor":"SEN-09999","t":"2026-12-01T08:00:00Z","value":1},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":"NaN"},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":"-Infinity"},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":"12"},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":1e999},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":1e-999},
		{"sensor":"SEN-00002","t":"yesterday","value":1},
		{"sensor":"SEN-00002","t":"2026-12-01 08:00:00","value":1},
		{"sensor":"","t":"2026-12-01T08:00:00Z","value":1},
		{"sensor":null,"t":null,"value":null},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":true},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z"},
		{"t":"2026-12-01T08:00:00Z","value":1},
		{"sensor":"SEN-00002","value":1},
		{},
		{"sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":0.9}
	]}`, true},
	{"edges of numbers and times", `{"readings":[
		{"sensor":"SEN-1","t":"2026-12-01T08:00:00z","value":-0},
		{"sensor":"SEN-1","t":"2026-12-01t08:00:00Z","value":1E+5},
		{"sensor":"SEN-1","t":"2026-12-01T23:59:60Z","value":-1.25e-400},
		{"sensor":"SEN-1","t":"2026-12-01T08:00:00,5Z","value":123456789012345678901234567890},
		{"sensor":"SEN-1","t":"2026-12-01T08:00:00+25:00","value":0.1e1},
		{"sensor":"SEN-1","t":"2026-02-30T08:00:00Z","value":"0x10"},
		{"sensor":"SEN-1","t":"2026-12-01T08:00:00.1234567891-00:00","value":" 1"}
	]}`, true},
	{"not ASCII", `{"readings":[{"sensor":"传感器-1","t":"2026-12-01T08:00:00Z","value":1},{"sensor":"SEN-1","t":"２０２６","value":1}]}`, true},
	{"after the batch", `{"readings":[]} {"readings":[`, true},

	{"not JSON", `readings`, false},
	{"nothing", ``, false},
	{"cut short", `{"readings":[{"sensor":"SEN-00001","t":"2026-12-01T08:00:00Z","value":21.5}`, false},
	{"an array", `[{"sensor":"SEN-00001"}]`, false},
	{"null", `null`, false},
	{"null readings", `{"readings":null}`, false},
	{"readings not an array", `{"readings":{}}`, false},
	{"unknown field", `{"readings":[],"gateway":"G1"}`, false},
	{"readings twice", `{"readings":[{"sensor":"A"}],"readings":[{"t":"2026-12-01T08:00:00Z"}]}`, false},
	{"spelt otherwise", `{"Readings":[{"Sensor":"SEN-00001","T":"2026-12-01T08:00:00Z","VALUE":1}]}`, false},
	{"unknown field in a reading", `{"readings":[{"sensor":"SEN-00001","t":"2026-12-01T08:00:00Z","value":1,"unit":"℃"},{"sensor":"SEN-00001","t":"2026-12-01T08:00:01Z","value":2}]}`, false},
	{"a field twice", `{"readings":[{"sensor":"SEN-00001","sensor":"SEN-00002","t":"2026-12-01T08:00:00Z","value":1}]}`, false},
	{"escapes", `{"readings":[{"sensor":"SEN-\u0030001","t":"2026-12-01T08:00:00Z","value":"N\u0061N"}]}`, false},
	{"a reading null", `{"readings":[null,{"sensor":"SEN-00001","t":"2026-12-01T08:00:00Z","value":1}]}`, false},
	{"a reading not an object", `{"readings":[1,"x",[]]}`, false},
	{"a sensor not a string", `{"readings":[{"sensor":1,"t":"2026-12-01T08:00:00Z","value":1}]}`, false},
	{"a value an object", `{"readings":[{"sensor":"SEN-00001","t":"2026-12-01T08:00:00Z","value":{"v": 1}}]}`, false},
	{"a number JSON does not take", `{"readings":[{"sensor":"SEN-00001","t":"2026-12-01T08:00:00Z","value":01}]}`, false},
	{"invalid UTF-8", "{\"readings\":[{\"sensor\":\"SEN-\xff\",\"t\":\"2026-12-01T08:00:00Z\",\"value\":1}]}", false},
	{"a control character", "{\"readings\":[{\"sensor\":\"SEN-\t1\",\"t\":\"2026-12-01T08:00:00Z\",\"value\":1}]}", false},
}

// decoded is all that DecodeBatch returns, to compare.
type decoded struct {
	Readings   []Reading
	Indexes    []int
	Rejections []Rejection
	Err        string
}

func decode(f func([]byte) ([]Reading, []int, []Rejection, error), b []byte) decoded {
	rs, idx, rej, err := f(b)
	// The messages are new beside the English texts: the two
	// implementations agree on those.
	for i := range rej {
		rej[i].Field, rej[i].Msg = "", msg.Msg{}
	}
	d := decoded{Readings: rs, Indexes: idx, Rejections: rej}
	if err != nil {
		d.Err = err.Error()
	}
	return d
}

func TestReadingBatchAsBefore(t *testing.T) {
	for _, tc := range batchCases {
		t.Run(tc.name, func(t *testing.T) {
			got, want := decode(DecodeBatch, []byte(tc.body)), decode(decodeBatchBefore, []byte(tc.body))
			if diff := cmp.Diff(got, want); diff != "" {
				t.Errorf("DecodeBatch (-got +before):\n%s", diff)
			}
			if _, _, _, ok := scanBatch([]byte(tc.body)); ok != tc.fast {
				t.Errorf("read in one pass: %v, want %v", ok, tc.fast)
			}
		})
	}
}

// FuzzReadingBatch holds DecodeBatch to the readings, indexes, rejections
// and errors of decodeBatchBefore, the implementation it replaced.
func FuzzReadingBatch(f *testing.F) {
	for _, tc := range batchCases {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, want := decode(DecodeBatch, b), decode(decodeBatchBefore, b)
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("DecodeBatch(%q) (-got +before):\n%s", b, diff)
		}
	})
}

// BenchmarkReadingBatch decodes a gateway's batch of 1,000 readings, as
// DecodeBatch does and as it did before, beside one json.Unmarshal of the
// same body into a plain struct.
func BenchmarkReadingBatch(b *testing.B) {
	var body strings.Builder
	body.WriteString(`{"readings":[`)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for i := range 1000 {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"sensor":"SEN-%05d","t":%q,"value":%g}`, i+1, t0.Add(time.Duration(i)*time.Millisecond).Format(time.RFC3339Nano), 20+float64(i%100)/7)
	}
	body.WriteString(`]}`)
	in := []byte(body.String())
	for _, bc := range []struct {
		name   string
		decode func([]byte) error
	}{
		{"DecodeBatch", func(b []byte) error { _, _, _, err := DecodeBatch(b); return err }},
		{"before", func(b []byte) error { _, _, _, err := decodeBatchBefore(b); return err }},
		{"unmarshal", func(b []byte) error {
			var batch struct {
				Readings []Reading `json:"readings"`
			}
			return json.Unmarshal(b, &batch)
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.decode(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/reading")
		})
	}
}

// decodeBatchBefore is DecodeBatch as it was before scanBatch, word for
// word: one strict json.Decoder for the batch and one for each reading.
func decodeBatchBefore(b []byte) ([]Reading, []int, []Rejection, error) {
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
		r, err := decodeReadingBefore(raw)
		if err != nil {
			rej = append(rej, Rejection{Index: i, Error: err.Error()})
			continue
		}
		rs = append(rs, r)
		idx = append(idx, i)
	}
	return rs, idx, rej, nil
}

func decodeReadingBefore(raw json.RawMessage) (Reading, error) {
	var j readingJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Reading{}, fmt.Errorf("not a reading: %w", err)
	}
	if j.Sensor == "" {
		return Reading{}, errors.New("sensor: required")
	}
	t, err := time.Parse(time.RFC3339Nano, j.T)
	if err != nil {
		return Reading{}, fmt.Errorf("t: want an RFC 3339 time, got %q", j.T)
	}
	v, err := parseValueBefore(j.Value)
	if err != nil {
		return Reading{}, err
	}
	return Reading{Sensor: j.Sensor, T: t.UTC(), Value: v}, nil
}

func parseValueBefore(raw json.RawMessage) (float64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, errors.New("value: required")
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if v, err := strconv.ParseFloat(s, 64); err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				return 0, errors.New("value: not a finite number")
			}
		}
		return 0, fmt.Errorf("value: want a number, got %s", raw)
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errors.New("value: not a finite number")
	}
	if err != nil {
		return 0, fmt.Errorf("value: want a number, got %s", raw)
	}
	return v, nil
}

// A body of braces inside a string sizes nothing by them: the memory a
// batch takes is bounded by its readings, not by its braces.
func TestBatchOfBracesTakesLittle(t *testing.T) {
	body := []byte(`{"readings":[{"sensor":"` + strings.Repeat("{", 1<<20-64) + `","t":"2026-12-01T08:00:00Z","value":1}]}`)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	if _, _, _, err := DecodeBatch(body); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&m1)
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 16*uint64(len(body)) {
		t.Errorf("a %d-byte body took %d MB", len(body), got>>20)
	}
}
