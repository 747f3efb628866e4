package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"parktwin/twin"
)

// An evacuation order is kept on the incident with its time, a target
// ordered twice is refused, and an unknown target changes nothing.
func TestEvacuationOrder(t *testing.T) {
	base, tw, _ := startServer(t)
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		tank = tk
		break
	}
	var target *twin.Target
	for tg := range twin.All[*twin.Target](tw.Snapshot()) {
		target = tg
		break
	}
	status, b, _ := do(t, "POST", base+"/api/v1/incidents", fmt.Sprintf(`{"type":"toxic-release","entity":%q,"level":"III","reporter":"值班员"}`, tank.ID))
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct{ ID string }
	json.Unmarshal(b, &inc)
	url := base + "/api/v1/incidents/" + inc.ID + "/evacuate"

	before := tw.Snapshot().Seq()
	if status, b, _ := do(t, "POST", url, `{"targets":["TGT-99"]}`); status != 404 || !strings.Contains(string(b), "TGT-99") {
		t.Errorf("unknown target: %d %s", status, b)
	}
	if status, b, _ := do(t, "POST", url, `{"targets":[]}`); status != 422 {
		t.Errorf("no target: %d %s", status, b)
	}
	if status, b, _ := do(t, "POST", url, fmt.Sprintf(`{"targets":[%q],"action":"pray"}`, target.ID)); status != 422 {
		t.Errorf("an unknown protective action: %d %s", status, b)
	}
	if tw.Snapshot().Seq() != before {
		t.Errorf("a refused order changed the park")
	}

	status, b, _ = doAs(t, "指挥长", "POST", url, fmt.Sprintf(`{"targets":[%q],"note":"下风向"}`, target.ID))
	if status != 200 {
		t.Fatalf("evacuate: %d %s", status, b)
	}
	got, _ := twin.Lookup[*twin.Incident](tw.Snapshot(), inc.ID)
	if len(got.Evacuations) != 1 || got.Evacuations[0].Target != target.ID || got.Evacuations[0].Action != "evacuate" ||
		got.Evacuations[0].By != "指挥长" || got.Evacuations[0].OrderedAt.IsZero() {
		t.Fatalf("evacuations: %+v", got.Evacuations)
	}
	if last := got.Timeline[len(got.Timeline)-1]; !strings.Contains(last.What, target.ID) {
		t.Errorf("timeline: %+v", last)
	}
	if status, b, _ := do(t, "POST", url, fmt.Sprintf(`{"targets":[%q]}`, target.ID)); status != 409 {
		t.Errorf("the same target again: %d %s", status, b)
	}
}
