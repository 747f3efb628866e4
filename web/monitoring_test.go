package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parktwin/twin"
)

// tempSensor returns a tank temperature sensor of the demo park with its
// H and HH limits.
func tempSensor(t *testing.T, tw *twin.Twin) *twin.Sensor {
	t.Helper()
	for s := range twin.All[*twin.Sensor](tw.Snapshot()) {
		if s.Type == twin.Temperature && s.Limits.H != nil && s.Limits.HH != nil && twin.KindOfID(s.Subject) == twin.KindTank {
			return s
		}
	}
	t.Fatal("the demo park has no tank temperature sensor")
	return nil
}

func post(t *testing.T, url, token, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	switch token {
	case "":
	case anonymous:
		req.Header.Set(headerAnon, "1")
	default:
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b json.RawMessage
	json.NewDecoder(res.Body).Decode(&b)
	return res.StatusCode, b
}

func readings(rs ...string) string { return `{"readings":[` + strings.Join(rs, ",") + `]}` }

func reading(sensor string, at time.Time, v float64) string {
	return fmt.Sprintf(`{"sensor":%q,"t":%q,"value":%v}`, sensor, at.UTC().Format(time.RFC3339Nano), v)
}

type ingestAnswer struct {
	Accepted int `json:"accepted"`
	Rejected []struct {
		Index int    `json:"index"`
		Error string `json:"error"`
	} `json:"rejected"`
}

func TestIngestNeedsAGatewayToken(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	body := readings(reading(s.ID, time.Now(), 21))
	for _, tok := range []string{anonymous, "not-the-token"} {
		status, b := post(t, base+"/api/v1/telemetry", tok, body)
		if status != 401 || !strings.Contains(string(b), "unauthorized") {
			t.Errorf("token %q: %d %s", tok, status, b)
		}
	}
	// An administrator is no gateway.
	if status, b := post(t, base+"/api/v1/telemetry", "", body); status != 403 {
		t.Errorf("as an administrator: %d %s", status, b)
	}
	if status, b := post(t, base+"/api/v1/telemetry", testToken, body); status != 200 {
		t.Errorf("with the token: %d %s", status, b)
	}
}

func TestIngestBatchNamesEachBadReading(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	now := time.Now()
	body := readings(
		reading(s.ID, now.Add(-2*time.Second), 21),
		reading("SEN-99999", now, 21),
		reading(s.ID, now.Add(time.Hour), 21),
		reading(s.ID, now.Add(-time.Hour), 21),
		`{"sensor":"`+s.ID+`","t":"`+now.Format(time.RFC3339)+`","value":"NaN"}`,
		reading(s.ID, now, 22.5),
	)
	status, b := post(t, base+"/api/v1/telemetry", testToken, body)
	var ans ingestAnswer
	if err := json.Unmarshal(b, &ans); status != 200 || err != nil {
		t.Fatalf("%d %s", status, b)
	}
	if ans.Accepted != 2 || len(ans.Rejected) != 4 {
		t.Fatalf("answer: %s", b)
	}
	for i, want := range []struct {
		index int
		says  string
	}{{1, "unknown sensor"}, {2, "ahead"}, {3, "not after"}, {4, "finite"}} {
		got := ans.Rejected[i]
		if got.Index != want.index || !strings.Contains(got.Error, want.says) {
			t.Errorf("rejection %d: %+v, want index %d saying %q", i, got, want.index, want.says)
		}
	}
	status, b, _ = do(t, "GET", base+"/api/v1/sensors/"+s.ID, "")
	if status != 200 || !strings.Contains(string(b), `"value":22.5`) {
		t.Errorf("sensor after ingest: %d %s", status, b)
	}
}

type alarmList struct {
	Features []struct {
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
}

func alarmsOf(t *testing.T, base, sensor, state string) []string {
	t.Helper()
	status, b, _ := do(t, "GET", base+"/api/v1/alarms?state="+state, "")
	if status != 200 {
		t.Fatalf("alarms: %d %s", status, b)
	}
	var l alarmList
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range l.Features {
		// The test's jumps also raise rate-of-change alarms: count the
		// high condition only.
		if f.Properties["sensor"] == sensor && f.Properties["condition"] == "high" {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

func TestAlarmLifecycleOverHTTP(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	start := time.Now().Add(-time.Minute)
	var rs []string
	for i := range 30 {
		rs = append(rs, reading(s.ID, start.Add(time.Duration(i)*time.Second), *s.Limits.HH+5))
	}
	if status, b := post(t, base+"/api/v1/telemetry", testToken, readings(rs...)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	active := alarmsOf(t, base, s.ID, "active")
	if len(active) != 1 {
		t.Fatalf("active alarms of %s: %v, want one", s.ID, active)
	}
	id := active[0]
	if status, b := post(t, base+"/api/v1/alarms/"+id+"/close", "", `{"by":"值班员"}`); status != 409 {
		t.Errorf("close while active: %d %s", status, b)
	}
	if status, b := post(t, base+"/api/v1/alarms/"+id+"/ack", "", `{"by":"值班员","note":"已电话通知"}`); status != 200 ||
		!strings.Contains(string(b), `"state":"acknowledged"`) {
		t.Fatalf("ack: %d %s", status, b)
	}
	back := reading(s.ID, start.Add(40*time.Second), *s.Limits.H-s.Deadband-1)
	post(t, base+"/api/v1/telemetry", testToken, readings(back))
	if got := alarmsOf(t, base, s.ID, "cleared"); len(got) != 1 || got[0] != id {
		t.Fatalf("cleared: %v", got)
	}
	if status, b := post(t, base+"/api/v1/alarms/"+id+"/close", "", `{"by":"值班员"}`); status != 200 {
		t.Fatalf("close: %d %s", status, b)
	}
	if got := alarmsOf(t, base, s.ID, "active,acknowledged,cleared"); len(got) != 0 {
		t.Errorf("still open: %v", got)
	}
	if status, b := post(t, base+"/api/v1/alarms/"+id+"/ack", "", `{"colour":"red"}`); status != 400 {
		t.Errorf("unknown field in an action: %d %s", status, b)
	}
}

func TestIngestOverWebsocket(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/telemetry/ws"
	if _, res, err := websocket.DefaultDialer.Dial(url, nil); err == nil || res.StatusCode != 401 {
		t.Fatalf("without a token: %v %v", err, res)
	}
	conn, _, err := wsDial(url, http.Header{"Authorization": {"Bearer " + testToken}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	now := time.Now()
	for i := range 3 {
		msg := readings(reading(s.ID, now.Add(time.Duration(i-10)*time.Second), 20+float64(i)), reading("SEN-99999", now, 1))
		if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		var ans ingestAnswer
		if err := conn.ReadJSON(&ans); err != nil {
			t.Fatal(err)
		}
		if ans.Accepted != 1 || len(ans.Rejected) != 1 || ans.Rejected[0].Index != 1 {
			t.Fatalf("answer %d: %+v", i, ans)
		}
	}
	_, b, _ := do(t, "GET", base+"/api/v1/sensors/"+s.ID, "")
	if !strings.Contains(string(b), `"value":22`) {
		t.Errorf("sensor after the stream: %s", b)
	}
}

func TestHistoryAPI(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	start := time.Now().Truncate(time.Minute).Add(-5 * time.Minute)
	var rs []string
	for i := range 5 * 6 { // every 10 s for 5 minutes
		rs = append(rs, reading(s.ID, start.Add(time.Duration(i)*10*time.Second), 20+float64(i%6)))
	}
	post(t, base+"/api/v1/telemetry", testToken, readings(rs...))
	status, b, _ := do(t, "GET", base+"/api/v1/sensors/"+s.ID+"/history?from="+start.Format(time.RFC3339), "")
	var h struct {
		Buckets []struct {
			T                    time.Time
			Min, Max, Mean, Last float64
			Count                int
		} `json:"buckets"`
	}
	if err := json.Unmarshal(b, &h); status != 200 || err != nil {
		t.Fatalf("%d %s", status, b)
	}
	if len(h.Buckets) != 5 {
		t.Fatalf("%d buckets, want 5: %s", len(h.Buckets), b)
	}
	for _, bk := range h.Buckets {
		if bk.Count != 6 || bk.Min != 20 || bk.Max != 25 || bk.Mean != 22.5 || bk.Last != 25 {
			t.Errorf("bucket %+v", bk)
		}
	}
	if status, _, _ := do(t, "GET", base+"/api/v1/sensors/"+s.ID+"/history?from=yesterday", ""); status != 422 {
		t.Errorf("bad from: %d", status)
	}
}

func TestEveryUnitGraded(t *testing.T) {
	base, tw, _ := startServer(t)
	for u := range twin.All[*twin.HazardUnit](tw.Snapshot()) {
		status, b, _ := do(t, "GET", base+"/api/v1/hazard-units/"+u.ID+"/grading", "")
		var g struct {
			Current *struct {
				S, R     float64
				Level    int
				Standard string
			}
			Live    *struct{ S float64 }
			History []any
		}
		if err := json.Unmarshal(b, &g); status != 200 || err != nil {
			t.Fatalf("%s: %d %s", u.ID, status, b)
		}
		if g.Current == nil || g.Current.S < 1 || g.Current.Level < 1 || g.Current.Standard != "GB 18218-2018" || g.Live == nil {
			t.Errorf("%s: %s", u.ID, b)
		}
	}
}

func TestManagedKindsAreReadOnly(t *testing.T) {
	base, _, _ := startServer(t)
	for _, path := range []string{"/api/v1/alarms", "/api/v1/orders", "/api/v1/gradings", "/api/v1/tasks"} {
		status, _, _ := do(t, "POST", base+path, `{"type":"Feature","geometry":null,"properties":{}}`)
		if status != 405 && status != 404 {
			t.Errorf("POST %s: %d", path, status)
		}
	}
}
