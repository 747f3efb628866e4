package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"parktwin/dispatch"
	"parktwin/twin"
	messages "parktwin/twin/msg"
	"parktwin/twin/telemetry"
)

// TestIncidentConflictsCoded: the desk's 409s over the real routes — a
// reinforcement confirmed on an incident changed since it was planned, a
// first plan confirmed again once the incident is dispatched, a plan
// whose vehicle went to another incident, a unit released twice, a unit
// released from a closed incident — each carries its message beside its
// English text, about the field the request names, and renders in both
// languages saying what to do.
func TestIncidentConflictsCoded(t *testing.T) {
	base, tw, _ := startServer(t)
	cat, err := messages.Merge(dispatch.Messages, twin.Messages, telemetry.Messages)
	if err != nil {
		t.Fatal(err)
	}
	var tanks []*twin.Tank
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		if tk.Type == twin.ExternalFloatingRoof && (len(tanks) == 0 || tk.Enterprise != tanks[0].Enterprise) {
			tanks = append(tanks, tk)
		}
	}
	if len(tanks) < 2 {
		t.Fatalf("%d floating-roof tanks in two enterprises, want 2", len(tanks))
	}
	report := func(tank string) string {
		t.Helper()
		status, b, _ := do(t, "POST", base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"值班员"}`, tank))
		var inc struct{ ID string }
		if err := json.Unmarshal(b, &inc); status != 201 || err != nil {
			t.Fatalf("report: %d %s", status, b)
		}
		return inc.ID
	}
	type plan struct {
		Assignments []struct{ Team, Vehicle string }
	}
	planOf := func(id string) (plan, string) {
		t.Helper()
		status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+id+"/plan", "")
		var p plan
		if err := json.Unmarshal(b, &p); status != 200 || err != nil || len(p.Assignments) == 0 {
			t.Fatalf("plan: %d %s", status, b)
		}
		return p, string(b)
	}
	ok := func(what, method, path, body string) {
		t.Helper()
		if status, b, _ := do(t, method, base+path, body); status != 200 {
			t.Fatalf("%s: %d %s", what, status, b)
		}
	}
	a, b := report(tanks[0].ID), report(tanks[1].ID)
	first, rawA := planOf(a)
	ok("confirm", "POST", "/api/v1/incidents/"+a+"/confirm", rawA)
	ok("raise", "POST", "/api/v1/incidents/"+a+"/level", `{"level":"II"}`)
	_, more := planOf(a)
	_, stale := planOf(a)
	ok("confirm the reinforcement", "POST", "/api/v1/incidents/"+a+"/confirm", more)
	unit := fmt.Sprintf(`{"team":%q,"vehicle":%q}`, first.Assignments[0].Team, first.Assignments[0].Vehicle)
	ok("release", "POST", "/api/v1/incidents/"+a+"/release-unit", unit)

	for _, c := range []struct {
		name, path, body, code, field, got string
		en, zh                             string // what to do, in each language
	}{
		{"a stale reinforcement", "/incidents/" + a + "/confirm", stale, "error.reinforcement.stale", "reinforcement.basis", a, "plan again", "计划依据已变化，请重新生成增援方案"},
		{"a first plan again", "/incidents/" + a + "/confirm", rawA, "error.reinforcement.none", "reinforcement", a, "plan again", "请重新生成增援方案"},
		{"a vehicle gone to another incident", "/incidents/" + b + "/confirm", rawA, "error.vehicleBusy", "assignments[1].vehicle", first.Assignments[1].Vehicle, "plan again", "请重新生成方案"},
		{"a unit released twice", "/incidents/" + a + "/release-unit", unit, "error.vehicleReleased", "vehicle", first.Assignments[0].Vehicle, "released from " + a + " already", "无需再次释放"},
	} {
		seq := tw.Snapshot().Seq()
		status, body, _ := do(t, "POST", base+"/api/v1"+c.path, c.body)
		checkIncidentCoded(t, cat, c.name, status, body, c.code, c.field, c.got, c.en, c.zh)
		if got := tw.Snapshot().Seq(); got != seq {
			t.Errorf("%s: refused, and the park moved from seq %d to %d", c.name, seq, got)
		}
	}
	ok("control", "POST", "/api/v1/incidents/"+a+"/state", `{"state":"under-control"}`)
	ok("close", "POST", "/api/v1/incidents/"+a+"/state", `{"state":"closed"}`)
	status, body, _ := do(t, "POST", base+"/api/v1/incidents/"+a+"/release-unit", unit)
	checkIncidentCoded(t, cat, "a release from a closed incident", status, body, "error.incidentClosed", "state", a, "is closed", "已结案")
}

// checkIncidentCoded asserts that the refusal body is a 409 of message
// code about field, rendering in English with en and in Chinese with zh,
// both naming got.
func checkIncidentCoded(t *testing.T, cat messages.Catalogue, name string, status int, b []byte, code, field, got, en, zh string) {
	t.Helper()
	var body codedRefusal
	json.Unmarshal(b, &body)
	switch {
	case status != 409:
		t.Errorf("%s: %d %s, want 409", name, status, b)
	case body.Msg == nil || body.Msg.Code != code:
		t.Errorf("%s: %s, want the message %s", name, b, code)
	case body.Field != field:
		t.Errorf("%s: field %q, want %s", name, body.Field, field)
	case body.Message != cat.English(*body.Msg):
		t.Errorf("%s: the English %q is not its message's %q", name, body.Message, cat.English(*body.Msg))
	default:
		e, z := cat.Render(messages.En, *body.Msg), cat.Render(messages.Zh, *body.Msg)
		if !strings.Contains(e, en) || !strings.Contains(z, zh) || !strings.Contains(e, got) || !strings.Contains(z, got) || strings.Contains(e+z, "{") {
			t.Errorf("%s: renders as %q and %q, want %q and %q, both naming %s", name, e, z, en, zh, got)
		}
	}
}
