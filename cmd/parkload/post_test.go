package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func f(v float64) *float64 { return &v }

func TestSafeValue(t *testing.T) {
	tests := []struct {
		name string
		l    limits
		want float64
	}{
		{"all four", limits{LL: f(0.5), L: f(1), H: f(3), HH: f(4)}, 2},
		{"high only", limits{H: f(40), HH: f(50)}, 20},
		{"hh only", limits{HH: f(10)}, 5},
		{"low only", limits{LL: f(18), L: f(19.5)}, 39},
		{"negative high", limits{H: f(-10)}, -20},
		{"negative low", limits{L: f(-10)}, 0},
		{"none", limits{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeValue(tt.l); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// A batch names each sensor in turn, every t strictly after the sensor's
// last, even within one batch and against a last t in the future.
func TestBuildBatch(t *testing.T) {
	future := time.Now().Add(time.Hour).Round(0)
	p := poster{sensors: []sensor{{id: "SEN-00001", value: "1.5"}, {id: "SEN-00002", value: "20", last: future}}}
	b, next := p.build(nil, 5, 1)
	if next != 0 {
		t.Errorf("next: got %d, want 0", next)
	}
	var batch struct {
		Readings []struct {
			Sensor string    `json:"sensor"`
			T      time.Time `json:"t"`
			Value  float64   `json:"value"`
		} `json:"readings"`
	}
	if err := json.Unmarshal(b, &batch); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	var sensors []string
	last := map[string]time.Time{"SEN-00002": future}
	for _, r := range batch.Readings {
		sensors = append(sensors, r.Sensor)
		if !r.T.After(last[r.Sensor]) {
			t.Errorf("%s: t %v not after %v", r.Sensor, r.T, last[r.Sensor])
		}
		last[r.Sensor] = r.T
	}
	want := []string{"SEN-00002", "SEN-00001", "SEN-00002", "SEN-00001", "SEN-00002"}
	if diff := cmp.Diff(sensors, want); diff != "" {
		t.Errorf("sensors (-got +want):\n%s", diff)
	}
}

func TestParseProcStat(t *testing.T) {
	stat := []byte("4242 (park d) (x)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 12 0 100 0 0\n")
	got, err := parseProcStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3250 * time.Millisecond; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := parseProcStat([]byte("4242 (parkd) S 1")); err == nil {
		t.Error("a short stat: no error")
	}
}
