package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// scrape reads /metrics into a map from each sample's name and labels,
// as written (`parktwin_alarms{state="active",twin="live"}`), to its value.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	status, b, h := do(t, "GET", base+"/metrics", "")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", status, h.Get("Content-Type"))
	}
	out := map[string]float64{}
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(strings.TrimSpace(line[i+1:]), 64)
		if i < 0 || err != nil {
			t.Fatalf("/metrics: a line not a sample: %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// TestMetricsAfterAnIngestAndAnAlarm posts readings past a sensor's HH
// limit, as a gateway does, and finds them counted, the alarm they raise
// among the active ones, and the commits that saved it.
func TestMetricsAfterAnIngestAndAnAlarm(t *testing.T) {
	base, live, _ := startHostWith(t, "")
	before := scrape(t, base)
	if got := before[`parktwin_alarms{state="active",twin="live"}`]; got != 0 {
		t.Fatalf("active alarms before: %v", got)
	}
	s := tempSensor(t, live.Twin())
	start := time.Now().Add(-time.Minute)
	var rs []string
	for i := range 30 {
		rs = append(rs, reading(s.ID, start.Add(time.Duration(i)*time.Second), *s.Limits.HH+5))
	}
	rs = append(rs, reading("SEN-99999", start, 1))
	if status, b := post(t, base+"/api/v1/telemetry", testToken, readings(rs...)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	after := scrape(t, base)
	for _, tt := range []struct {
		sample string
		want   func(float64) bool
		says   string
	}{
		{`parktwin_readings_total{result="accepted",twin="live"}`, func(v float64) bool { return v == 30 }, "30"},
		{`parktwin_readings_total{result="rejected",twin="live"}`, func(v float64) bool { return v == 1 }, "1"},
		{`parktwin_alarms{state="active",twin="live"}`, func(v float64) bool { return v >= 1 }, "at least 1"},
		{`parktwin_commits_total{result="ok"}`, func(v float64) bool { return v > before[`parktwin_commits_total{result="ok"}`] }, "more than before"},
		{`parktwin_commit_seconds_count`, func(v float64) bool { return v > 0 }, "above 0"},
		{`parktwin_stream_clients{twin="live"}`, func(v float64) bool { return v == 0 }, "0"},
		{`parktwin_seq{twin="live"}`, func(v float64) bool { return v == float64(live.Twin().Snapshot().Seq()) }, "the twin's"},
	} {
		if v, ok := after[tt.sample]; !ok || !tt.want(v) {
			t.Errorf("%s: got %v (present %v), want %s", tt.sample, v, ok, tt.says)
		}
	}
}
