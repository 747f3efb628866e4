package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"parktwin/web/auth"
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

// TestMetricsOfLoginsAndRefusals logs in once, fails to until the name is
// locked, and is refused for want of a session, of a role and of JSON:
// each is counted by result and by status.
func TestMetricsOfLoginsAndRefusals(t *testing.T) {
	base, _, _ := startHostWith(t, "")
	if st, b, _ := do(t, "POST", base+"/api/v1/users", `{"name":"viewer.wu","role":"viewer","password":"correct horse battery"}`); st != 201 {
		t.Fatalf("create a user: %d %s", st, b)
	}
	before := scrape(t, base)
	anon := http.Header{headerAnon: {"1"}, "Content-Type": {"application/json"}}
	if st, b, _ := doWith(t, "POST", base+"/api/v1/login", `{"user":"viewer.wu","password":"correct horse battery"}`, anon); st != 200 {
		t.Fatalf("login: %d %s", st, b)
	}
	statuses := map[int]float64{}
	for range 7 {
		st, _, _ := doWith(t, "POST", base+"/api/v1/login", `{"user":"viewer.wu","password":"wrong password!!"}`, anon)
		statuses[st]++
	}
	if statuses[401] == 0 || statuses[429] == 0 || statuses[401]+statuses[429] != 7 {
		t.Fatalf("wrong passwords: statuses %v, want 401s then 429s", statuses)
	}
	if st, _, _ := doWith(t, "GET", base+"/api/v1/park", "", anon); st != 401 {
		t.Errorf("anonymous: %d", st)
	}
	viewer := roleToken(t, base, auth.NewToken{Name: "看板", Role: auth.Viewer})
	if st, _, _ := doWith(t, "POST", base+"/api/v1/incidents", `{}`, http.Header{"Authorization": {"Bearer " + viewer}, "Content-Type": {"application/json"}}); st != 403 {
		t.Errorf("a viewer's report: %d", st)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/incidents", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "text/plain") // what a form of another site may send
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 415 {
		t.Errorf("a text/plain report: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	after := scrape(t, base)
	for sample, want := range map[string]float64{
		`parktwin_logins_total{result="ok"}`:     1,
		`parktwin_logins_total{result="failed"}`: statuses[401],
		`parktwin_logins_total{result="locked"}`: statuses[429],
		`parktwin_refusals_total{status="401"}`:  statuses[401] + 1,
		`parktwin_refusals_total{status="403"}`:  1,
		`parktwin_refusals_total{status="415"}`:  1,
		`parktwin_refusals_total{status="429"}`:  statuses[429],
	} {
		if got := after[sample] - before[sample]; got != want {
			t.Errorf("%s: counted %v, want %v", sample, got, want)
		}
	}
}
