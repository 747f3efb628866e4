package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/web"
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
		// The page's policy allows its own inline style by its hash,
		// and no script; the PDF viewer is given none to trip on.
		csp := h.Get("Content-Security-Policy")
		if f == "pdf" {
			if csp != "" {
				t.Errorf("the PDF report's policy: %q, want none", csp)
			}
			continue
		}
		_, style, _ := strings.Cut(string(b), "<style>")
		style, _, _ = strings.Cut(style, "</style>")
		sum := sha256.Sum256([]byte(style))
		hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src "+hash) || strings.Contains(csp, "script-src") {
			t.Errorf("the HTML report's policy: %q, want default-src 'none' and style-src %s", csp, hash)
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
	base, _, host := startDrillHost(t, "")
	a, b := startTrainee(t, base), startTrainee(t, base)
	journalA, journalB := journal(t, host, a.id), journal(t, host, b.id)
	a.play(3)
	b.play(3)
	a.seek("PT30M")
	b.seek("PT30M")
	if diff := cmp.Diff(journalA(), journalB()); diff != "" {
		t.Fatalf("the journals of two drills played alike differ (-a +b):\n%.2000s", diff)
	}
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

// journal records every event of a drill's park from now on; the
// function it returns ends the recording and gives the events as JSON,
// the drill's ID written as "DRL".
func journal(t *testing.T, host *web.Host, id string) func() []string {
	t.Helper()
	inst, ok := host.Instance(id)
	if !ok {
		t.Fatalf("no drill %s", id)
	}
	_, sub := inst.Twin().Subscribe()
	var out []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			evs, err := sub.Next(context.Background())
			if err != nil {
				return
			}
			for _, e := range evs {
				b, err := e.MarshalJSON()
				if err != nil {
					t.Error(err)
					return
				}
				out = append(out, strings.ReplaceAll(string(b), id, "DRL"))
			}
		}
	}()
	return func() []string {
		// Every event of the last change is queued by now: Apply has
		// returned. Closing ends the reader once it has read them.
		sub.Close()
		<-done
		if len(out) == 0 {
			t.Errorf("drill %s journalled nothing", id)
		}
		return out
	}
}

// A kept drill survives a restart: it comes back paused where it stood,
// with its park as it was.
func TestDrillSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	base, _, host := startDrillHost(t, dir)
	tr := startTrainee(t, base)
	status, b, _ := do(t, "POST", base+"/api/v1/drills", `{"scenario":"chlorine-night","throwaway":true}`)
	if status != http.StatusCreated {
		t.Fatalf("a throwaway drill: %d %s", status, b)
	}
	var throwaway drillView
	json.Unmarshal(b, &throwaway)
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
	if status, _, _ := do(t, "GET", base2+"/api/v1/drills/"+throwaway.ID, ""); status != http.StatusNotFound {
		t.Errorf("the throwaway drill %s came back: %d", throwaway.ID, status)
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

// A real incident in the live park — reported, planned, confirmed,
// closed — replayed, made a scenario, and drilled: the drill's caller
// reports the same incident at the same drill time.
func TestIncidentReplayedAndDrilled(t *testing.T) {
	base, live, _ := startHostWith(t, "")
	var tank string
	for tk := range twin.All[*twin.Tank](live.Twin().Snapshot()) {
		tank = tk.ID
		break
	}
	from := time.Now().UTC() // after the park was made: a replay starts on it
	time.Sleep(10 * time.Millisecond)
	status, b, _ := do(t, "POST", base+"/api/v1/incidents", `{"type":"tank-fire","entity":"`+tank+`","level":"III","reporter":"巡检员"}`)
	if status != http.StatusCreated {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct{ ID string }
	json.Unmarshal(b, &inc)
	_, plan, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/plan", "")
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/confirm", string(plan)); status != 200 {
		t.Fatalf("confirm: %d %.300s", status, b)
	}
	for _, st := range []string{"under-control", "closed"} {
		if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/state", `{"state":"`+st+`"}`); status != 200 {
			t.Fatalf("%s: %d %s", st, status, b)
		}
	}
	time.Sleep(10 * time.Millisecond) // the window's end must have come
	to := time.Now().UTC()

	status, b, _ = do(t, "POST", base+"/api/v1/replays", fmt.Sprintf(`{"from":%q,"to":%q}`, from.Format(time.RFC3339Nano), to.Format(time.RFC3339Nano)))
	if status != http.StatusCreated {
		t.Fatalf("replay: %d %s", status, b)
	}
	var rp struct{ ID string }
	json.Unmarshal(b, &rp)
	// The replay's report (复盘报告): the incident from report to closed,
	// its units with their segments.
	status, b, _ = do(t, "GET", base+"/api/v1/replays/"+rp.ID+"/report", "")
	var rep struct {
		Kind     string
		Timeline []struct{ Kind, What string }
		Units    []struct{ Vehicle string }
	}
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil || rep.Kind != "replay" || len(rep.Units) == 0 {
		t.Fatalf("replay report: %d %v %.300s", status, err, b)
	}
	var said []string
	for _, e := range rep.Timeline {
		said = append(said, e.What)
	}
	for _, want := range []string{inc.ID + " reported", inc.ID + " plan confirmed", inc.ID + " closed"} {
		if !strings.Contains(strings.Join(said, "\n"), want) {
			t.Errorf("the replay's timeline lacks %q: %v", want, said)
		}
	}
	if status, b, _ := do(t, "GET", base+"/api/v1/replays/"+rp.ID+"/report?format=pdf", ""); status != 200 || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("replay report as PDF: %d %.20s", status, b)
	}
	status, yml, h := do(t, "POST", base+"/api/v1/replays/"+rp.ID+"/scenario", `{"id":"replayed-tank-fire"}`)
	if status != http.StatusCreated || !strings.Contains(string(yml), "report:") || h.Get("Location") != "/api/v1/scenarios/replayed-tank-fire" {
		t.Fatalf("scenario: %d %s %s", status, h.Get("Location"), yml)
	}

	if status, b, _ := do(t, "GET", base+h.Get("Location")+"?format=yaml", ""); status != 200 || string(b) != string(yml) {
		t.Errorf("the scenario at its Location: %d %.200s", status, b)
	}
	tr := startTraineeOf(t, base, "replayed-tank-fire")
	tr.seek("PT24H")
	var incs struct {
		Features []struct {
			ID         string
			Properties struct{ Type, Entity, Reporter string }
		}
	}
	json.Unmarshal(tr.in("GET", "/incidents", ""), &incs)
	if len(incs.Features) != 1 || incs.Features[0].Properties.Type != "tank-fire" || incs.Features[0].Properties.Entity != tank {
		t.Fatalf("the drill's incidents: %+v", incs.Features)
	}
	if got := live.Twin().Snapshot().Len(twin.KindIncident); got != 1 {
		t.Errorf("the live park has %d incidents, want its own one", got)
	}
}

// A scenario refused on upload names the line and the field, and changes
// nothing in the library.
func TestScenarioUploadRefusalNamesLine(t *testing.T) {
	base, _, _ := startDrillHost(t, "")
	b, err := os.ReadFile("../scenarios/testdata/chlorine-night.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), "id: chlorine-night", "id: chlorine-night-copy", 1)
	bad = strings.Replace(bad, "what: alarm-acknowledged", "what: alarm-admired", 1)
	status, body, _ := do(t, "POST", base+"/api/v1/scenarios", bad)
	var e struct {
		Error, Field string
		Line         int
	}
	json.Unmarshal(body, &e)
	if status != http.StatusUnprocessableEntity || e.Line == 0 || e.Field != "expectations[0].what" {
		t.Fatalf("upload: %d %s", status, body)
	}
	_, list, _ := do(t, "GET", base+"/api/v1/scenarios", "")
	if strings.Contains(string(list), "chlorine-night-copy") {
		t.Errorf("a refused scenario is listed")
	}
	good := strings.Replace(string(b), "id: chlorine-night", "id: chlorine-night-copy", 1)
	if status, body, _ := do(t, "POST", base+"/api/v1/scenarios", good); status != http.StatusCreated {
		t.Fatalf("a good upload: %d %s", status, body)
	}
	if status, _, _ := do(t, "POST", base+"/api/v1/scenarios", good); status != http.StatusOK {
		t.Errorf("the same upload again: %d, want 200 (replaced)", status)
	}
	if status, _, _ := do(t, "POST", base+"/api/v1/scenarios", string(b)); status != http.StatusConflict {
		t.Errorf("an upload under a built-in id: %d, want 409", status)
	}
}

// A trainee who acknowledges late and does nothing else misses every
// expectation that is theirs to meet, and the report says by how much.
// (The order is issued by the monitor, the incident made by the
// scenario's caller at 5 minutes: those two are met without them.)
func TestDrillWeakTraineeMisses(t *testing.T) {
	base, _, _ := startDrillHost(t, "")
	tr := startTrainee(t, base)
	tr.seek("PT6M")
	alarms := ids(t, tr.in("GET", "/alarms", ""))
	if len(alarms) == 0 {
		t.Fatal("no alarm by 6 minutes")
	}
	tr.inAs("值班员丁", "POST", "/alarms/"+alarms[len(alarms)-1]+"/ack", "")
	v := tr.seek("PT2H")
	for _, e := range v.Expectations {
		switch {
		case e.ID == "verify" || e.ID == "incident":
			if e.Status != "met" {
				t.Errorf("expectation %s: %s, want met without the trainee", e.ID, e.Status)
			}
		case e.Status != "missed":
			t.Errorf("expectation %s: %s, want missed", e.ID, e.Status)
		case e.ID == "ack" && (e.TookS == nil || *e.TookS <= 60):
			t.Errorf("the late acknowledgement: took %v, want more than its 60 s target", e.TookS)
		}
	}
}

// TestDrillActionThroughTheConsolesPath closes a road in a drill as the
// console does, at /twins/{drill}/api/v1/…: the change is the drill's
// action, counted and in its after-action report, as one sent to
// /api/v1/twins/{drill}/… is.
func TestDrillActionThroughTheConsolesPath(t *testing.T) {
	base, _, _ := startDrillHost(t, "")
	tr := startTrainee(t, base)
	roads := ids(t, tr.in("GET", "/roads", ""))
	if len(roads) < 2 {
		t.Fatalf("roads: %v", roads)
	}
	for i, prefix := range []string{"/twins/" + tr.id + "/api/v1", "/api/v1/twins/" + tr.id} {
		st, b, _ := doAs(t, "调度员乙", "PATCH", base+prefix+"/roads/"+roads[i], `{"properties":{"closed":true}}`)
		if st != 200 {
			t.Fatalf("%s: %d %s", prefix, st, b)
		}
		if v := tr.view(); v.Actions != i+1 {
			t.Errorf("after a change at %s…: %d actions, want %d", prefix, v.Actions, i+1)
		}
	}
	status, b, _ := do(t, "GET", base+"/api/v1/drills/"+tr.id+"/report", "")
	var rep struct {
		Timeline []struct{ Kind, What string }
	}
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil {
		t.Fatalf("report: %d %v %.300s", status, err, b)
	}
	var actions []string
	for _, e := range rep.Timeline {
		if e.Kind == "action" {
			actions = append(actions, e.What)
		}
	}
	for _, r := range roads[:2] {
		if !strings.Contains(strings.Join(actions, "\n"), r) {
			t.Errorf("the report's actions name no %s: %q", r, actions)
		}
	}
}
