package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parktwin/park"
	"parktwin/twin"
	"parktwin/web"
)

// startHost serves the demo park as the live instance of a Host and
// returns its base URL.
func startHost(t *testing.T) (string, *park.Instance, *web.Host) {
	t.Helper()
	return startHostWith(t, "")
}

// newSandbox makes a sandbox of the live park over the API and returns
// its ID.
func newSandbox(t *testing.T, base, body string) park.Info {
	t.Helper()
	status, b, h := do(t, "POST", base+"/api/v1/twins", body)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/twins: %d %s", status, b)
	}
	var info park.Info
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	if h.Get("Location") != "/api/v1/twins/"+info.ID {
		t.Errorf("Location %q", h.Get("Location"))
	}
	return info
}

func featureProp(t *testing.T, b []byte, name string) any {
	t.Helper()
	var f struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return f.Properties[name]
}

// A sandbox starts as the live park stood, and from then on the two share
// nothing: a PATCH, a reading or a confirm in one is invisible in the
// other.
func TestSandboxSharesNothing(t *testing.T) {
	base, live, _ := startHost(t)
	info := newSandbox(t, base, `{"from":"live","speed":0}`)
	if info.Seq != live.Twin().Snapshot().Seq() || !info.Exercise || info.From != "live" {
		t.Fatalf("sandbox: %+v, live at %d", info, live.Twin().Snapshot().Seq())
	}
	sb := base + "/api/v1/twins/" + info.ID
	tank := firstID[*twin.Tank](live.Twin())

	// A PATCH in the sandbox stays there, and one in the live park too.
	if status, b, _ := do(t, "PATCH", sb+"/tanks/"+tank, `{"properties":{"maxFill":0.61}}`); status != 200 {
		t.Fatalf("sandbox PATCH: %d %s", status, b)
	}
	if status, b, _ := do(t, "PATCH", base+"/api/v1/tanks/"+tank, `{"properties":{"maxFill":0.72}}`); status != 200 {
		t.Fatalf("live PATCH: %d %s", status, b)
	}
	_, b, _ := do(t, "GET", sb+"/tanks/"+tank, "")
	if got := featureProp(t, b, "maxFill"); got != 0.61 {
		t.Errorf("sandbox maxFill %v, want 0.61", got)
	}
	_, b, _ = do(t, "GET", base+"/api/v1/tanks/"+tank, "")
	if got := featureProp(t, b, "maxFill"); got != 0.72 {
		t.Errorf("live maxFill %v, want 0.72", got)
	}

	// A reading posted to the sandbox is not the live park's.
	sensor := firstID[*twin.Sensor](live.Twin())
	now := live.Twin().Clock().Now().Format(time.RFC3339Nano)
	req, _ := http.NewRequest("POST", sb+"/telemetry", strings.NewReader(
		fmt.Sprintf(`{"readings":[{"sensor":%q,"t":%q,"value":12345}]}`, sensor, now)))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("sandbox telemetry: %v %v", err, res.Status)
	}
	res.Body.Close()
	if v, _, ok := live.Monitor().Latest(sensor); ok && v == 12345 {
		t.Errorf("the sandbox's reading reached the live park")
	}
	_, b, _ = do(t, "GET", sb+"/sensors/"+sensor, "")
	if got := featureProp(t, b, "value"); got != float64(12345) {
		t.Errorf("sandbox sensor value %v, want 12345", got)
	}

	// An incident confirmed in the sandbox sends no live vehicle.
	status, b, _ := do(t, "POST", sb+"/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"演练"}`, tank))
	if status != http.StatusCreated {
		t.Fatalf("sandbox report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)
	_, plan, _ := do(t, "POST", sb+"/incidents/"+inc.ID+"/plan", "")
	if status, b, _ := do(t, "POST", sb+"/incidents/"+inc.ID+"/confirm", string(plan)); status != 200 {
		t.Fatalf("sandbox confirm: %d %s", status, b)
	}
	if n := live.Twin().Snapshot().Len(twin.KindIncident); n != 0 {
		t.Errorf("the live park has %d incidents", n)
	}
	for tm := range twin.All[*twin.Team](live.Twin().Snapshot()) {
		for _, v := range tm.Vehicles {
			if v.Status != twin.Available {
				t.Errorf("live vehicle %s is %s", v.ID, v.Status)
			}
		}
	}
	sbIn, _, _ := do(t, "GET", sb+"/incidents/"+inc.ID, "")
	if sbIn != 200 {
		t.Errorf("the sandbox lost its incident: %d", sbIn)
	}
}

// The sandbox's stream carries its own changes, each marked as exercise;
// the live stream says it is the live park's.
func TestSandboxStream(t *testing.T) {
	base, live, _ := startHost(t)
	info := newSandbox(t, base, `{"speed":0}`)
	ws := "ws" + strings.TrimPrefix(base, "http")
	conn, _, err := wsDial(ws+"/api/v1/twins/"+info.ID+"/stream?layers=tanks", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if m := next(t, conn); m.Type != "snapshot" || m.Seq != info.Seq {
		t.Fatalf("first message %s at %d, want the snapshot at %d", m.Type, m.Seq, info.Seq)
	}
	tank := firstID[*twin.Tank](live.Twin())
	if status, b, _ := do(t, "PATCH", base+"/api/v1/twins/"+info.ID+"/tanks/"+tank, `{"properties":{"maxFill":0.66}}`); status != 200 {
		t.Fatalf("PATCH: %d %s", status, b)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(raw, &m)
		if m["type"] != "change" {
			continue
		}
		if m["twin"] != info.ID || m["exercise"] != true || m["id"] != tank {
			t.Errorf("sandbox change: %s", raw)
		}
		break
	}
	// The live park's events are not marked exercise.
	evs, err := live.Twin().Apply(context.Background(), twin.Patch{Kind: twin.KindTank, ID: tank, Merge: []byte(`{"properties":{"maxFill":0.67}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if evs[0].Exercise || evs[0].Twin != twin.LiveID {
		t.Errorf("live event: twin %q exercise %v", evs[0].Twin, evs[0].Exercise)
	}
}

// Sandboxes are listed, served with the console at /twins/{id}/, and
// ended; the live park cannot be.
func TestSandboxLifecycle(t *testing.T) {
	base, _, _ := startHost(t)
	a := newSandbox(t, base, "")
	b := newSandbox(t, base, `{"from":"`+a.ID+`","speed":0}`)
	if b.From != a.ID || a.ID == b.ID {
		t.Errorf("sandbox of a sandbox: %+v from %+v", b, a)
	}
	_, body, _ := do(t, "GET", base+"/api/v1/twins", "")
	var list []park.Info
	json.Unmarshal(body, &list)
	if len(list) != 3 || list[len(list)-1].ID != twin.LiveID && list[0].ID != twin.LiveID {
		t.Errorf("twins: %s", body)
	}
	for _, path := range []string{"/twins/" + a.ID + "/", "/twins/" + a.ID + "/ui/app.js", "/twins/" + a.ID + "/ui/api.js"} {
		if status, _, _ := do(t, "GET", base+path, ""); status != 200 {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	if status, _, _ := do(t, "GET", base+"/api/v1/twins/"+a.ID+"/park", ""); status != 200 {
		t.Errorf("sandbox park: %d", status)
	}
	cases := []struct {
		method, path string
		body         string
		want         int
	}{
		{"DELETE", "/api/v1/twins/live", "", http.StatusForbidden},
		{"DELETE", "/api/v1/twins/" + a.ID, "", http.StatusNoContent},
		{"DELETE", "/api/v1/twins/" + a.ID, "", http.StatusNotFound},
		{"GET", "/api/v1/twins/" + a.ID + "/park", "", http.StatusNotFound},
		{"POST", "/api/v1/twins", `{"from":"SBX-99"}`, http.StatusUnprocessableEntity},
		{"POST", "/api/v1/twins", `{"speed":-1}`, http.StatusUnprocessableEntity},
		{"POST", "/api/v1/twins", `{"form":"live"}`, http.StatusBadRequest},
	}
	for _, c := range cases {
		if status, body, _ := do(t, c.method, base+c.path, c.body); status != c.want {
			t.Errorf("%s %s %s: %d %s, want %d", c.method, c.path, c.body, status, body, c.want)
		}
	}
}

// The host keeps to its limits however many ask at once: at most
// MaxSandboxes, their clocks together at most MaxTotalSpeed.
func TestSandboxLimits(t *testing.T) {
	base, _, _ := startHost(t)
	const tries = 3 * web.MaxSandboxes
	codes := make(chan int, tries)
	var wg sync.WaitGroup
	for range tries {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", base+"/api/v1/twins", strings.NewReader(`{"speed":0}`))
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes <- res.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	made := 0
	for c := range codes {
		switch c {
		case http.StatusCreated:
			made++
		case http.StatusConflict:
		default:
			t.Errorf("POST /api/v1/twins: %d", c)
		}
	}
	_, body, _ := do(t, "GET", base+"/api/v1/twins", "")
	var list []park.Info
	json.Unmarshal(body, &list)
	if made != web.MaxSandboxes || len(list) != web.MaxSandboxes+1 {
		t.Errorf("%d sandboxes made, %d twins listed; the limit is %d sandboxes", made, len(list), web.MaxSandboxes)
	}
	for _, in := range list[:2] {
		if in.ID != twin.LiveID {
			do(t, "DELETE", base+"/api/v1/twins/"+in.ID, "")
		}
	}
	// Speeds: one at the most, a second that would pass the total.
	if status, b, _ := do(t, "POST", base+"/api/v1/twins", fmt.Sprintf(`{"speed":%d}`, web.MaxSpeed+1)); status != http.StatusUnprocessableEntity {
		t.Errorf("speed over the most: %d %s", status, b)
	}
	for range web.MaxTotalSpeed / web.MaxSpeed {
		if status, b, _ := do(t, "POST", base+"/api/v1/twins", fmt.Sprintf(`{"speed":%d}`, web.MaxSpeed)); status != http.StatusCreated {
			t.Errorf("speed at the most: %d %s", status, b)
		}
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/twins", `{"speed":1}`); status != http.StatusConflict {
		t.Errorf("speeds over the total: %d %s", status, b)
	}
}

// A sandbox lives until its time runs out, then ends by itself; its
// consoles are told it ended (4004) and do not come back.
func TestSandboxExpires(t *testing.T) {
	base, _, host := startHost(t)
	info := newSandbox(t, base, `{"speed":0,"ttlS":600}`)
	ws := "ws" + strings.TrimPrefix(base, "http")
	conn, _, err := wsDial(ws+"/api/v1/twins/"+info.ID+"/stream?layers=tanks", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	next(t, conn)
	host.ReapAt(time.Now().Add(9 * time.Minute))
	if status, _, _ := do(t, "GET", base+"/api/v1/twins/"+info.ID, ""); status != 200 {
		t.Fatalf("the sandbox ended before its time: %d", status)
	}
	host.ReapAt(time.Now().Add(11 * time.Minute))
	if status, _, _ := do(t, "GET", base+"/api/v1/twins/"+info.ID, ""); status != http.StatusNotFound {
		t.Errorf("the sandbox outlived its time: %d", status)
	}
	if err := closeOf(conn); !isClose(err, web.CloseTwinEnded) {
		t.Errorf("the sandbox's console got %v, want close %d", err, web.CloseTwinEnded)
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/twins", `{"ttlS":5}`); status != http.StatusUnprocessableEntity {
		t.Errorf("ttlS 5: %d %s", status, b)
	}
}

// closeOf reads what is left on conn and returns how it ended.
func closeOf(conn *websocket.Conn) error {
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return err
		}
	}
}

// isClose reports whether err is a websocket close with code.
func isClose(err error, code int) bool {
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == code
}
