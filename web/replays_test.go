package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/web"
)

// replayStart is when the replay tests' live park is seeded.
var replayStart = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)

// startReplayHost serves the demo park as the live instance of a Host on
// a real bbolt file, with its journal for replays, on a simulated clock
// the test moves; the park's loops do not run. With journal false the
// host is given none.
func startReplayHost(t *testing.T, journal bool) (string, *park.Instance, *twin.SimClock) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := twin.NewSimClock(replayStart)
	live, err := park.Open(context.Background(), park.Config{Store: db, History: db, Clock: clock,
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	svc := openAuth(t, db)
	cfg := web.HostConfig{Auth: svc}
	if journal {
		cfg.Journal = db
	}
	host := web.NewHost(live, cfg)
	go host.Serve(ln)
	serving("http://"+ln.Addr().String(), svc)
	t.Cleanup(func() {
		host.Shutdown(context.Background())
		live.Close()
		if err := db.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		db.Close()
	})
	return "http://" + ln.Addr().String(), live, clock
}

// reportAt reports a toxic release at TNK-0002-06 to the live park's API
// at d after the start, and closes it as a false alarm at close.
func reportAt(t *testing.T, base string, live *park.Instance, clock *twin.SimClock, d, close time.Duration) string {
	t.Helper()
	clock.Set(replayStart.Add(d))
	status, b, _ := do(t, "POST", base+"/api/v1/incidents", `{"type":"toxic-release","entity":"TNK-0002-06","level":"III","reporter":"夜班班长"}`)
	if status != http.StatusCreated {
		t.Fatalf("report: %d %s", status, b)
	}
	var f struct{ ID string }
	json.Unmarshal(b, &f)
	clock.Set(replayStart.Add(close))
	if _, err := live.Desk().SetState(context.Background(), f.ID, twin.IncidentClosed, "值班长"); err != nil {
		t.Fatal(err)
	}
	return f.ID
}

func replayState(t *testing.T, status int, b []byte) scenarios.ReplayState {
	t.Helper()
	if status != http.StatusOK && status != http.StatusCreated {
		t.Fatalf("%d %s", status, b)
	}
	var st scenarios.ReplayState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return st
}

// askReplay sends a request whose answer is a replay's state.
func askReplay(t *testing.T, method, url, body string) scenarios.ReplayState {
	t.Helper()
	status, b, _ := do(t, method, url, body)
	return replayState(t, status, b)
}

// wantError checks an error answer: its status, code and a part of its
// message.
func wantError(t *testing.T, what string, status int, b []byte, wantStatus int, code, message string) {
	t.Helper()
	var e struct{ Error, Message string }
	json.Unmarshal(b, &e)
	if status != wantStatus || e.Error != code || !strings.Contains(e.Message, message) {
		t.Errorf("%s: %d %s, want %d %s %q", what, status, b, wantStatus, code, message)
	}
}

// A window of the live journal opened as a replay over the API: served
// read-only like any twin, moved by its controls forward and back while a
// console streams it, made into a scenario, and stopped.
func TestReplayAPI(t *testing.T) {
	base, live, clock := startReplayHost(t, true)
	inc := reportAt(t, base, live, clock, 10*time.Minute, 20*time.Minute)
	clock.Set(replayStart.Add(30 * time.Minute))
	from, to := replayStart.Add(time.Minute), replayStart.Add(30*time.Minute)

	status, b, h := do(t, "POST", base+"/api/v1/replays", fmt.Sprintf(`{"from":%q,"to":%q}`, from.Format(time.RFC3339), to.Format(time.RFC3339)))
	st := replayState(t, status, b)
	if status != http.StatusCreated || st.ID != "RPL-01" || st.Twin != "RPL-01" || st.State != scenarios.StatePaused ||
		!st.Time.Equal(from) || !st.From.Equal(from) || !st.To.Equal(to) || st.Events != 2 || h.Get("Location") != "/api/v1/replays/RPL-01" {
		t.Fatalf("POST /api/v1/replays: %d %s (Location %q)", status, b, h.Get("Location"))
	}
	rp := base + "/api/v1/replays/RPL-01"
	incidents := func() string {
		t.Helper()
		status, b, _ := do(t, "GET", base+"/api/v1/twins/RPL-01/incidents", "")
		if status != http.StatusOK {
			t.Fatalf("GET incidents: %d %s", status, b)
		}
		return string(b)
	}
	if got := incidents(); strings.Contains(got, inc) {
		t.Errorf("at the start the replay has the incident: %s", got)
	}

	// A console on the replay's twin sees the park move.
	conn, _, err := wsDial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/twins/RPL-01/stream?layers=incidents", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if m := next(t, conn); m.Type != "snapshot" {
		t.Fatalf("first message %s", m.Type)
	}
	seek := func(to string) scenarios.ReplayState {
		t.Helper()
		status, b, _ := do(t, "POST", rp+"/control", fmt.Sprintf(`{"action":"seek","to":%q}`, to))
		return replayState(t, status, b)
	}
	steps := []struct {
		to, op, state string
	}{
		{"PT15M", "created", "reported"},
		{replayStart.Add(5 * time.Minute).Format(time.RFC3339), "deleted", ""},
		{"PT25M", "created", "closed"},
	}
	for _, s := range steps {
		st := seek(s.to)
		m := nextOf(t, conn, "change")
		if m.ID != inc || m.Op != s.op || !strings.Contains(string(m.Feature["properties"]), s.state) {
			t.Errorf("seek to %s (%v): change %s %s %s", s.to, st.Time, m.Op, m.ID, m.Feature["properties"])
		}
	}
	if got := incidents(); !strings.Contains(got, inc) || !strings.Contains(got, `"closed"`) {
		t.Errorf("at 25 min the replay's incidents: %s", got)
	}

	// Read-only: anything that would change the replay's twin is refused.
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/api/v1/twins/RPL-01/incidents", `{"type":"tank-fire","entity":"TNK-0002-06","level":"IV","reporter":"x"}`},
		{"PATCH", "/api/v1/twins/RPL-01/tanks/TNK-0002-06", `{"properties":{"maxFill":0.5}}`},
		{"POST", "/api/v1/twins/RPL-01/alarms/ALM-000001/ack", ""},
		{"DELETE", "/api/v1/twins/RPL-01", ""},
		{"GET", "/api/v1/twins/RPL-01/telemetry/ws", ""},
		{"POST", "/twins/RPL-01/", ""},
	} {
		status, b, _ := do(t, r.method, base+r.path, r.body)
		wantError(t, r.method+" "+r.path, status, b, http.StatusConflict, twin.ECONFLICT, "replay RPL-01 is read-only")
	}
	if st := askReplay(t, "GET", base+"/api/v1/twins/RPL-01", ""); st.ID != "RPL-01" {
		t.Errorf("GET the replay's twin: %+v", st)
	}
	if status, b, _ := do(t, "GET", base+"/twins/RPL-01/", ""); status != http.StatusOK || !strings.Contains(string(b), "<html") {
		t.Errorf("the replay's console: %d", status)
	}

	// Play, pause, step.
	st = askReplay(t, "POST", rp+"/control", `{"action":"play","speed":3600}`)
	if st.State != scenarios.StatePlaying && st.State != scenarios.StateEnded {
		t.Errorf("play: %+v", st)
	}
	eventually(t, func() bool {
		status, b, _ := do(t, "GET", rp, "")
		return replayState(t, status, b).State == scenarios.StateEnded
	}, 10*time.Second)
	seek("PT0S")
	if st := askReplay(t, "POST", rp+"/control", `{"action":"step"}`); st.Applied != 1 || st.State != scenarios.StatePaused {
		t.Errorf("step: %+v", st)
	}
	var list []scenarios.ReplayState
	_, b, _ = do(t, "GET", base+"/api/v1/replays", "")
	if json.Unmarshal(b, &list); len(list) != 1 || list[0].ID != "RPL-01" {
		t.Errorf("list: %s", b)
	}

	// The scenario made from it.
	status, b, h = do(t, "POST", rp+"/scenario", "")
	if status != http.StatusCreated || h.Get("Content-Type") != "application/yaml" {
		t.Fatalf("scenario: %d %s %s", status, h.Get("Content-Type"), b)
	}
	sc, err := scenarios.Parse("replay.yaml", b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if sc.Start.Park != scenarios.ParkJournal || len(sc.Injects) != 1 || sc.Injects[0].Report == nil || sc.Injects[0].At.D() != 9*time.Minute {
		t.Errorf("scenario:\n%s", b)
	}
	status, b, _ = do(t, "POST", rp+"/scenario", `{"id":"Not A Slug"}`)
	wantError(t, "scenario with a bad id", status, b, http.StatusUnprocessableEntity, twin.EINVALID, "not a slug")

	// Stop: the replay and its twin are gone.
	if st := askReplay(t, "POST", rp+"/control", `{"action":"stop"}`); st.State != scenarios.StateStopped {
		t.Errorf("stop: %+v", st)
	}
	status, b, _ = do(t, "GET", rp, "")
	wantError(t, "GET a stopped replay", status, b, http.StatusNotFound, twin.ENOTFOUND, "no replay RPL-01")
	status, b, _ = do(t, "GET", base+"/api/v1/twins/RPL-01/park", "")
	wantError(t, "GET a stopped replay's twin", status, b, http.StatusNotFound, twin.ENOTFOUND, "no twin RPL-01")
}

// Bad requests are refused with what is wrong, and change nothing.
func TestReplayAPIErrors(t *testing.T) {
	base, live, clock := startReplayHost(t, true)
	reportAt(t, base, live, clock, 10*time.Minute, 20*time.Minute)
	clock.Set(replayStart.Add(30 * time.Minute))
	at := func(d time.Duration) string { return replayStart.Add(d).Format(time.RFC3339) }
	window := func(from, to string) string { return fmt.Sprintf(`{"from":%q,"to":%q}`, from, to) }

	for _, tt := range []struct {
		name, body    string
		status        int
		code, message string
	}{
		{"from after to", window(at(20*time.Minute), at(10*time.Minute)), 422, twin.EINVALID, "is not after from"},
		{"before the journal", window(at(-time.Hour), at(10*time.Minute)), 422, twin.EINVALID, "the journal begins at"},
		{"to in the future", window(at(time.Minute), at(2*time.Hour)), 422, twin.EINVALID, "has not come yet"},
		{"too long", window(at(-30*24*time.Hour), at(10*time.Minute)), 422, twin.EINVALID, "a replay spans at most"},
		{"no from", `{"to":"` + at(10*time.Minute) + `"}`, 422, twin.EINVALID, "required"},
		{"not a time", `{"from":"yesterday","to":"today"}`, 400, twin.EMALFORMED, "not a replay request"},
		{"unknown field", `{"from":"` + at(time.Minute) + `","to":"` + at(2*time.Minute) + `","speed":2}`, 400, twin.EMALFORMED, "unknown field"},
	} {
		status, b, _ := do(t, "POST", base+"/api/v1/replays", tt.body)
		wantError(t, tt.name, status, b, tt.status, tt.code, tt.message)
	}

	status, b, _ := do(t, "POST", base+"/api/v1/replays", window(at(time.Minute), at(30*time.Minute)))
	replayState(t, status, b)
	rp := base + "/api/v1/replays/RPL-01"
	for _, tt := range []struct {
		name, url, body string
		status          int
		code, message   string
	}{
		{"unknown replay", base + "/api/v1/replays/RPL-09/control", `{"action":"play"}`, 404, twin.ENOTFOUND, "no replay RPL-09"},
		{"bad action", rp + "/control", `{"action":"rewind"}`, 422, twin.EINVALID, "want play, pause, step, seek or stop"},
		{"seek without to", rp + "/control", `{"action":"seek"}`, 422, twin.EINVALID, "required"},
		{"seek to a bad duration", rp + "/control", `{"action":"seek","to":"PT"}`, 422, twin.EINVALID, "not an ISO 8601 duration"},
		{"seek past the end", rp + "/control", `{"action":"seek","to":"PT2H"}`, 422, twin.EINVALID, "outside the replay"},
		{"seek to a bad time", rp + "/control", `{"action":"seek","to":"noon"}`, 422, twin.EINVALID, "neither an RFC 3339 time"},
		{"too fast", rp + "/control", `{"action":"play","speed":100000}`, 422, twin.EINVALID, "at most 3600"},
		{"scenario of no replay", base + "/api/v1/replays/RPL-09/scenario", "", 404, twin.ENOTFOUND, "no replay RPL-09"},
	} {
		status, b, _ := do(t, "POST", tt.url, tt.body)
		wantError(t, tt.name, status, b, tt.status, tt.code, tt.message)
	}
	if st := askReplay(t, "GET", rp, ""); st.State != scenarios.StatePaused || st.Applied != 0 {
		t.Errorf("after the refusals: %+v", st)
	}

	// A host with no journal has nothing to replay.
	base2, _, _ := startReplayHost(t, false)
	status, b, _ = do(t, "POST", base2+"/api/v1/replays", window(at(0), at(time.Minute)))
	wantError(t, "no journal", status, b, http.StatusServiceUnavailable, twin.EUNAVAILABLE, "no journal")
}

func TestParseSeekTo(t *testing.T) {
	from := replayStart
	for _, tt := range []struct {
		to   string
		want time.Duration
		ok   bool
	}{
		{"PT25M", 25 * time.Minute, true},
		{"PT1H30M", 90 * time.Minute, true},
		{"P1DT2H", 26 * time.Hour, true},
		{"PT1.5S", 1500 * time.Millisecond, true},
		{"P1W", 7 * 24 * time.Hour, true},
		{"PT0S", 0, true},
		{replayStart.Add(time.Hour).Format(time.RFC3339), time.Hour, true},
		{"P", 0, false},
		{"PT", 0, false},
		{"P1M", 0, false}, // a month: no fixed length
		{"P1Y", 0, false},
		{"25M", 0, false},
	} {
		got, err := web.SeekTime(tt.to, from)
		if (err == nil) != tt.ok || (tt.ok && got.Sub(from) != tt.want) {
			t.Errorf("%q: %v %v, want %v ok %v", tt.to, got.Sub(from), err, tt.want, tt.ok)
		}
	}
}
