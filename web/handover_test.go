package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/web/auth"
)

// handoverFeature is a handover as the API answers it.
type handoverFeature struct {
	ID         string        `json:"id"`
	Properties twin.Handover `json:"properties"`
}

// The shift handover over HTTP: a red alarm raised by a reading, then a
// draft whose summary is the park's, signed by the outgoing duty officer
// (the caller, never the body), refused to the same officer as incoming,
// signed by another; then nothing changes it. A viewer may not read
// handovers; bad drafts are refused and change nothing.
func TestHandoverOverHTTP(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	now := time.Now()
	if status, b := post(t, base+"/api/v1/telemetry", testToken, readings(reading(s.ID, now.Add(-time.Second), *s.Limits.HH+5))); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	li := roleToken(t, base, auth.NewToken{Name: "值班员李", Role: auth.DutyOfficer})
	zhao := roleToken(t, base, auth.NewToken{Name: "值班员赵", Role: auth.DutyOfficer})
	viewer := roleToken(t, base, auth.NewToken{Name: "观察员", Role: auth.Viewer})

	seq := tw.Snapshot().Seq()
	for _, body := range []string{`{}`, `{"shiftStart":"yesterday"}`, `{"shiftStart":"2020-01-01T00:00:00Z"}`,
		fmt.Sprintf(`{"shiftStart":%q}`, now.Add(time.Hour).UTC().Format(time.RFC3339)), `{"shiftStart":"2026-12-01T00:00:00Z","by":"x"}`} {
		if status, b := post(t, base+"/api/v1/handovers", li, body); status < 400 || status >= 500 {
			t.Errorf("draft %s: %d %s", body, status, b)
		}
	}
	if status, b := post(t, base+"/api/v1/handovers", viewer, fmt.Sprintf(`{"shiftStart":%q}`, now.Add(-time.Hour).UTC().Format(time.RFC3339))); status != 403 {
		t.Errorf("a viewer's draft: %d %s", status, b)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refused drafts moved the seq from %d to %d", seq, got)
	}

	start := now.Add(-8 * time.Hour).UTC().Truncate(time.Second)
	status, b := post(t, base+"/api/v1/handovers", li, fmt.Sprintf(`{"shiftStart":%q,"notes":"氯气罐区报警已通知企业"}`, start.Format(time.RFC3339)))
	if status != 201 {
		t.Fatalf("draft: %d %s", status, b)
	}
	var h handoverFeature
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	want := tw.Snapshot().ShiftSummary(start, h.Properties.ShiftEnd)
	if diff := cmp.Diff(h.Properties.Summary, want); diff != "" {
		t.Errorf("summary (-got +twin):\n%s", diff)
	}
	if h.Properties.Summary.Alarms.Raised < 1 || h.Properties.Summary.Alarms.Open.Total < 1 {
		t.Errorf("the red alarm is not in the summary: %+v", h.Properties.Summary.Alarms)
	}
	if h.Properties.DraftedBy != "值班员李" || h.Properties.Notes != "氯气罐区报警已通知企业" {
		t.Errorf("drafted by %q, notes %q", h.Properties.DraftedBy, h.Properties.Notes)
	}

	sign := func(token string) (int, handoverFeature) {
		t.Helper()
		status, b := post(t, base+"/api/v1/handovers/"+h.ID+"/sign", token, "")
		var got handoverFeature
		json.Unmarshal(b, &got)
		return status, got
	}
	if status, got := sign(li); status != 200 || got.Properties.Outgoing == nil || got.Properties.Outgoing.User != "值班员李" {
		t.Fatalf("outgoing: %d %+v", status, got.Properties.Outgoing)
	}
	if status, _ := sign(li); status != 409 {
		t.Errorf("the outgoing signing again: %d, want 409", status)
	}
	if status, got := sign(zhao); status != 200 || got.Properties.Incoming == nil || got.Properties.Incoming.User != "值班员赵" {
		t.Fatalf("incoming: %d %+v", status, got.Properties.Incoming)
	}
	_, signed, _ := doWith(t, "GET", base+"/api/v1/handovers/"+h.ID, "", nil)
	if status, _ := sign(roleToken(t, base, auth.NewToken{Name: "指挥长", Role: auth.Commander})); status != 409 {
		t.Errorf("a third signature: %d, want 409", status)
	}
	if status, _, _ := do(t, "PATCH", base+"/api/v1/handovers/"+h.ID, `{"properties":{"notes":"x"}}`); status != 405 && status != 404 {
		t.Errorf("PATCH of a handover: %d", status)
	}
	if _, again, _ := doWith(t, "GET", base+"/api/v1/handovers/"+h.ID, "", nil); string(again) != string(signed) {
		t.Errorf("the signed record changed:\n%s\n%s", signed, again)
	}
	req := func(token string) int {
		status, _, _ := doWith(t, "GET", base+"/api/v1/handovers", "", map[string][]string{"Authorization": {"Bearer " + token}})
		return status
	}
	if got := req(viewer); got != 403 {
		t.Errorf("a viewer lists handovers: %d", got)
	}
	if got := req(zhao); got != 200 {
		t.Errorf("a duty officer lists handovers: %d", got)
	}
	// Nor does the stream carry them, to a viewer or anyone.
	if _, res, err := wsDial("ws"+base[len("http"):]+"/api/v1/stream?layers=handovers", nil); err == nil || res == nil || res.StatusCode != 422 {
		t.Errorf("a stream of handovers: %v %v", res, err)
	}
}

// The cockpit's figures are the park's: the enterprises by code and
// grade, the units by level, the alarms of today, as counted from the
// twin; a raised alarm shows in today's count.
func TestCockpitFigures(t *testing.T) {
	base, tw, _ := startServer(t)
	var f struct {
		Alarms []struct {
			Day                       string
			Red, Orange, Yellow, Blue int
		} `json:"alarms"`
		Orders struct {
			Total, Closed int
		} `json:"orders"`
		EnterprisesByCode  map[string]int `json:"enterprisesByCode"`
		EnterprisesByGrade map[string]int `json:"enterprisesByGrade"`
		HazardUnits        map[string]int `json:"hazardUnits"`
		OpenIncidents      int            `json:"openIncidents"`
		Readiness          []struct {
			Warehouse string
			Percent   float64
		} `json:"readiness"`
	}
	read := func() {
		t.Helper()
		status, b, _ := do(t, "GET", base+"/api/v1/cockpit", "")
		if status != 200 {
			t.Fatalf("%d %s", status, b)
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
	}
	read()
	snap := tw.Snapshot()
	codes, grades, levels := map[string]int{}, map[string]int{}, map[string]int{}
	for e := range twin.All[*twin.Enterprise](snap) {
		codes[e.SafetyCode.String()]++
		grades[e.Grade.String()]++
	}
	for g := range twin.All[*twin.Grading](snap) {
		levels[g.Unit] = g.Level // the demo's units are graded once at the first tick
	}
	sum := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	if f.EnterprisesByCode["green"] != codes["green"] || f.EnterprisesByCode["red"] != codes["red"] ||
		f.EnterprisesByCode["yellow"] != codes["yellow"] || sum(f.EnterprisesByCode) != snap.Len(twin.KindEnterprise) {
		t.Errorf("enterprises by code: got %v, the twin %v", f.EnterprisesByCode, codes)
	}
	for _, g := range []string{"A", "B", "C", "D"} {
		if f.EnterprisesByGrade[g] != grades[g] {
			t.Errorf("grade %s: got %d, the twin %d", g, f.EnterprisesByGrade[g], grades[g])
		}
	}
	if sum(f.HazardUnits) != snap.Len(twin.KindHazardUnit) || f.HazardUnits["I"]+f.HazardUnits["II"]+f.HazardUnits["III"]+f.HazardUnits["IV"] == 0 {
		t.Errorf("hazard units by level: %v, %d units, gradings %v", f.HazardUnits, snap.Len(twin.KindHazardUnit), levels)
	}
	if len(f.Alarms) != 7 || f.Alarms[6].Day != time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly) {
		t.Fatalf("alarm days: %+v", f.Alarms)
	}
	if len(f.Readiness) != snap.Len(twin.KindWarehouse) {
		t.Errorf("readiness of %d warehouses, the park has %d", len(f.Readiness), snap.Len(twin.KindWarehouse))
	}
	before := f.Alarms[6]
	s := tempSensor(t, tw)
	if status, b := post(t, base+"/api/v1/telemetry", testToken, readings(reading(s.ID, time.Now().Add(-time.Second), *s.Limits.HH+5))); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	read()
	after := f.Alarms[6]
	if got, want := after.Red+after.Orange+after.Yellow+after.Blue, before.Red+before.Orange+before.Yellow+before.Blue+1; got != want {
		t.Errorf("alarms today after one raised: %d, want %d (%+v → %+v)", got, want, before, after)
	}
}

// A planner read the live park's shift handovers through a sandbox of it
// (GET /api/v1/twins/{id}/handovers), where every route is the
// planner's: a sandbox opens without them, and their routes keep to the
// duty there too. A replay is a sandbox's sibling: the same guard.
func TestSandboxHidesHandovers(t *testing.T) {
	base, _, _ := startHost(t)
	duty := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "值班员李", Role: auth.DutyOfficer})}}
	planner := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "规划", Role: auth.Planner})}}
	start := time.Now().Add(-8 * time.Hour).UTC().Format(time.RFC3339)
	if st, b, _ := doWith(t, "POST", base+"/api/v1/handovers", fmt.Sprintf(`{"shiftStart":%q,"notes":"secret-note"}`, start), duty); st != http.StatusCreated {
		t.Fatalf("draft: %d %s", st, b)
	}
	st, b, _ := doWith(t, "POST", base+"/api/v1/twins", `{"from":"live","speed":0}`, planner)
	if st != http.StatusCreated {
		t.Fatalf("sandbox: %d %s", st, b)
	}
	var sb struct{ ID string }
	json.Unmarshal(b, &sb)
	for _, p := range []string{"/handovers", "/handovers/HO-00000001"} {
		if st, b, _ := doWith(t, "GET", base+"/api/v1/twins/"+sb.ID+p, "", planner); st != http.StatusForbidden || strings.Contains(string(b), "secret-note") {
			t.Errorf("planner GET sandbox %s: %d %.200s, want 403", p, st, b)
		}
	}
	st, b, _ = doWith(t, "GET", base+"/api/v1/twins/"+sb.ID+"/handovers", "", duty)
	if st != http.StatusOK || strings.Contains(string(b), "secret-note") {
		t.Errorf("duty officer GET sandbox handovers: %d %.200s, want 200 and none of the live park's", st, b)
	}
}
