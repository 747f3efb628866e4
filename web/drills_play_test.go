package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
)

// The chlorine drill over the API, as a trainee plays it: the inject
// raises an alarm in the drill and not in the live park, the trainee's
// actions are kept, the expectations are judged, and the report says so.
func TestDrillOverHTTP(t *testing.T) {
	base, live, _ := startDrillHost(t, "")
	status, b, _ := do(t, "GET", base+"/api/v1/scenarios", "")
	if status != 200 || !strings.Contains(string(b), `"chlorine-night"`) {
		t.Fatalf("scenarios: %d %.300s", status, b)
	}
	liveAlarms := live.Twin().Snapshot().Len(twin.KindAlarm)
	tr := startTrainee(t, base)
	if v := tr.view(); v.State != "paused" || v.DrillTimeS != 0 || len(v.Messages) != 1 {
		t.Fatalf("a new drill: %+v", v)
	}
	tr.play(4)
	v := tr.seek("PT2H")
	if v.State != "ended" || v.Actions != 4 {
		t.Fatalf("at the end: %+v", v)
	}
	if got := live.Twin().Snapshot().Len(twin.KindAlarm); got != liveAlarms {
		t.Errorf("the live park's alarms went from %d to %d", liveAlarms, got)
	}
	status, b, _ = do(t, "GET", base+"/api/v1/incidents", "")
	if status != 200 || len(ids(t, b)) != 0 {
		t.Errorf("the live park has incidents: %.300s", b)
	}
	got := map[string]string{}
	for _, e := range v.Expectations {
		got[e.ID] = e.Status
	}
	// Acknowledged at the first look after the alarm; confirmed half a
	// minute after the report; TGT-06 evacuated at 7 minutes.
	for id, want := range map[string]string{"ack": "met", "incident": "met", "plan": "met", "evacuate": "met",
		"control": "met", "detection": "met"} {
		if got[id] != want {
			t.Errorf("expectation %s: %q, want %q (all: %v)", id, got[id], want, got)
		}
	}

	status, b, _ = do(t, "GET", base+"/api/v1/drills/"+tr.id+"/report", "")
	var rep struct {
		State    string
		Timeline []struct{ Kind, What string }
		Units    []struct{ Vehicle string }
	}
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil {
		t.Fatalf("report: %d %v %.300s", status, err, b)
	}
	kinds := map[string]int{}
	for _, e := range rep.Timeline {
		kinds[e.Kind]++
	}
	for _, k := range []string{"inject", "message", "alarm", "incident", "plan", "unit", "action"} {
		if kinds[k] == 0 {
			t.Errorf("the report's timeline has no %s line (%v)", k, kinds)
		}
	}
	if rep.State != "ended" || len(rep.Units) == 0 {
		t.Errorf("report: state %q, %d units", rep.State, len(rep.Units))
	}
	for _, f := range []string{"html", "pdf"} {
		status, b, h := do(t, "GET", base+"/api/v1/drills/"+tr.id+"/report?format="+f, "")
		if status != 200 || len(b) < 1000 || !strings.Contains(h.Get("Content-Type"), f) {
			t.Errorf("report as %s: %d, %d bytes, %s", f, status, len(b), h.Get("Content-Type"))
		}
	}
}

// Bad controls are refused with a clear error and move nothing.
func TestDrillControlRefusals(t *testing.T) {
	base, _, _ := startDrillHost(t, "")
	tr := startTrainee(t, base)
	tr.seek("PT3M")
	for _, body := range []string{`{"action":"fly"}`, `{"action":"play","speed":3}`, `{"action":"seek","to":"soon"}`,
		`{"action":"seek"}`, `{"action":"seek","to":"-5m"}`, `{"action":"play","sped":1}`} {
		status, b, _ := do(t, "POST", base+"/api/v1/drills/"+tr.id+"/control", body)
		if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", body, status, b)
		}
	}
	if v := tr.view(); v.DrillTimeS != 180 || v.State != "paused" {
		t.Errorf("after refused controls: %+v", v)
	}
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/v1/drills", `{"scenario":"no-such"}`},
		{"POST", "/api/v1/drills", `{}`},
		{"GET", "/api/v1/drills/DRL-99", ""},
		{"POST", "/api/v1/scenarios", "metadata: {id: x"},
	} {
		status, b, _ := do(t, c.method, base+c.path, c.body)
		if status < 400 || status >= 500 || !strings.Contains(string(b), `"error"`) {
			t.Errorf("%s %s: %d %s", c.method, c.path, status, b)
		}
	}
}

// The same actions at the same drill times give the same park, byte for
// byte; seeking back plays the drill again to that time with the actions
// before it, and comes out as a drill played straight there.
func TestDrillSeekBackIsTheSameDrill(t *testing.T) {
	base, _, _ := startDrillHost(t, "")
	a, b := startTrainee(t, base), startTrainee(t, base)
	a.play(3)
	b.play(3)
	a.seek("PT30M")
	b.seek("PT30M")
	if diff := cmp.Diff(a.export(), b.export()); diff != "" {
		t.Fatalf("two drills played alike differ (-a +b):\n%.2000s", diff)
	}

	// c stops after the plan: a, sought back to 6 minutes, must be c.
	c := startTrainee(t, base)
	c.play(2)
	c.seek("PT6M")
	v := a.seek("PT6M")
	if v.Pass != 2 || v.Actions != 2 || v.DrillTimeS != 360 {
		t.Fatalf("a after seeking back: %+v", v)
	}
	if diff := cmp.Diff(c.export(), a.export()); diff != "" {
		t.Fatalf("sought back to 6 min, a is not the drill played there (-c +a):\n%.2000s", diff)
	}
	// And forward again: the evacuation at 7 minutes was dropped.
	a.seek("PT30M")
	c.seek("PT30M")
	if diff := cmp.Diff(c.export(), a.export()); diff != "" {
		t.Fatalf("forward again, a and c differ (-c +a):\n%.2000s", diff)
	}
}

// A kept drill survives a restart: it comes back paused where it stood,
// with its park as it was.
func TestDrillSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	base, _, host := startDrillHost(t, dir)
	tr := startTrainee(t, base)
	tr.play(3)
	tr.control(`{"action":"play","speed":"max"}`)
	tr.control(`{"action":"pause"}`)
	before, at := tr.export(), tr.view().DrillTimeS
	if err := host.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}

	base2, _, _ := startDrillHost(t, dir)
	tr2 := &trainee{t: t, base: base2, id: tr.id}
	v := tr2.view()
	if v.State != "paused" || v.DrillTimeS != at || v.Actions != 3 {
		t.Fatalf("after the restart: %+v, want paused at %v with 3 actions", v, at)
	}
	if diff := cmp.Diff(before, tr2.export()); diff != "" {
		t.Fatalf("the park after the restart differs (-before +after):\n%.2000s", diff)
	}
	// The next drill does not take its ID.
	if next := startTrainee(t, base2); next.id == tr.id {
		t.Errorf("a new drill took the restored drill's ID %s", next.id)
	}
}

// Several drills at once: each plays on its own park with its own
// stream, and neither the others nor the live park see any of it.
func TestDrillsAtOnceAreIsolated(t *testing.T) {
	base, live, host := startDrillHost(t, "")
	liveAlarms := live.Twin().Snapshot().Len(twin.KindAlarm)
	var trs []*trainee
	for range 3 {
		trs = append(trs, startTrainee(t, base))
	}
	// One is acted on; all play as fast as they go, together.
	trs[0].play(1)
	for _, tr := range trs {
		tr.control(`{"action":"play","speed":"max"}`)
	}
	for _, tr := range trs {
		for tr.view().State != "ended" {
			time.Sleep(20 * time.Millisecond)
		}
	}
	for i, tr := range trs {
		inst, ok := host.Instance(tr.id)
		if !ok || !inst.Exercise() {
			t.Fatalf("drill %s: no exercise instance", tr.id)
		}
		alarms := ids(t, tr.in("GET", "/alarms", ""))
		if len(alarms) == 0 {
			t.Errorf("drill %s raised no alarm", tr.id)
		}
		acked := strings.Count(string(tr.in("GET", "/alarms", "")), `"ackedBy"`)
		if (i == 0) != (acked > 0) {
			t.Errorf("drill %s: %d alarms acknowledged; only the first drill's trainee acted", tr.id, acked)
		}
	}
	if got := live.Twin().Snapshot().Len(twin.KindAlarm); got != liveAlarms {
		t.Errorf("the live park's alarms went from %d to %d", liveAlarms, got)
	}
	for e := range live.Twin().Snapshot().Entities(twin.KindIncident) {
		t.Errorf("the live park holds incident %s", e.EntityID())
	}
}
