package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"parktwin/twin"
)

func TestIncidentReportAndPlanOverHTTP(t *testing.T) {
	base, tw, _ := startServer(t)
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		if tk.Type == twin.ExternalFloatingRoof {
			tank = tk
			break
		}
	}
	body := fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"值班员"}`, tank.ID)
	status, b, _ := do(t, "POST", base+"/api/v1/incidents", body)
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)
	if status, _, h2 := do(t, "POST", base+"/api/v1/incidents", body); status != 200 || h2.Get("Incident-Merged") != "true" {
		t.Errorf("the same report again: %d", status)
	}
	status, b, _ = do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/plan", "")
	var plan struct {
		Incident    string
		Assignments []struct {
			Team, Vehicle string
			EtaS          float64
			Route         []string
			Reason        string
		}
		Requirements []struct {
			What     string
			Quantity float64
			Unit     string
			Basis    map[string]any
			Reason   string
		}
		Equipment []struct {
			Type, Warehouse string
			Quantity, EtaS  float64
		}
		Shortfalls []struct{ What string }
		Notes      []string
	}
	if err := json.Unmarshal(b, &plan); status != 200 || err != nil {
		t.Fatalf("plan: %d %s", status, b)
	}
	if plan.Incident != inc.ID || len(plan.Assignments) == 0 || len(plan.Requirements) == 0 {
		t.Fatalf("plan: %s", b)
	}
	// The foam comes from the warehouses, or on the tenders, or both.
	onBoard := strings.Contains(strings.Join(plan.Notes, " "), "comes on the assigned vehicles")
	if len(plan.Equipment) == 0 && !onBoard {
		t.Errorf("no foam from anywhere: %s", b)
	}
	for _, k := range []string{"areaM2", "rateLPerMinM2", "minutes", "solutionL", "concentration", "concentrateL"} {
		if _, ok := plan.Requirements[0].Basis[k]; !ok {
			t.Errorf("the foam line's basis lacks %s", k)
		}
	}
	for _, tt := range []struct{ body, field string }{
		{`{"type":"meteor","point":[120.85,30.17],"level":"III","reporter":"x"}`, "type"},
		{`{"type":"tank-fire","level":"III","reporter":"x"}`, "point"},
		{`{"type":"tank-fire","point":[120.85,30.17],"level":"III","reporter":"x","colour":"red"}`, ""},
	} {
		status, b, _ := do(t, "POST", base+"/api/v1/incidents", tt.body)
		if status < 400 || status >= 500 || !strings.Contains(string(b), `"error"`) {
			t.Errorf("%s: %d %s", tt.body, status, b)
		}
		if tt.field != "" && !strings.Contains(string(b), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: %s, want field %s", tt.body, b, tt.field)
		}
	}
	if status, _, _ := do(t, "POST", base+"/api/v1/incidents/INC-99999/plan", ""); status != 404 {
		t.Errorf("plan of no incident: %d", status)
	}
	// Confirm the plan as proposed: the incident is dispatched.
	_, planJSON, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/plan", "")
	status, b, _ = do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/confirm", string(planJSON))
	if status != 200 || !strings.Contains(string(b), `"state":"dispatched"`) {
		t.Fatalf("confirm: %d %.300s", status, b)
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/state", `{"state":"closed"}`); status != 409 {
		t.Errorf("closing a dispatched incident: %d %s", status, b)
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/cancel", `{"by":"指挥员"}`); status != 200 || !strings.Contains(string(b), `"state":"closed"`) {
		t.Errorf("cancel: %d %.200s", status, b)
	}
	if status, b, _ := do(t, "GET", base+"/api/v1/response-times", ""); status != 200 || !strings.Contains(string(b), `"percentile":90`) {
		t.Errorf("response times: %d %s", status, b)
	}
}

// A report may say what burns (seal, full-surface or dike; issue 13,
// point 5): the plan sizes the foam for it. A scope the rules do not know
// is refused with a JSON error naming the field, and nothing is made.
func TestIncidentScopeOverHTTP(t *testing.T) {
	base, tw, _ := startServer(t)
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		if tk.Type == twin.ExternalFloatingRoof {
			tank = tk
			break
		}
	}
	before := tw.Snapshot().Len(twin.KindIncident)
	status, b, _ := do(t, "POST", base+"/api/v1/incidents",
		fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","scope":"roof","reporter":"值班员"}`, tank.ID))
	if status != 422 || !strings.Contains(string(b), `"field":"scope"`) || tw.Snapshot().Len(twin.KindIncident) != before {
		t.Fatalf("scope roof: %d %s", status, b)
	}
	status, b, _ = do(t, "POST", base+"/api/v1/incidents",
		fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","scope":"full-surface","reporter":"值班员"}`, tank.ID))
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID         string `json:"id"`
		Properties struct {
			Scope string `json:"scope"`
		} `json:"properties"`
	}
	json.Unmarshal(b, &inc)
	if inc.Properties.Scope != "full-surface" {
		t.Errorf("incident: %s", b)
	}
	_, b, _ = do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/plan", "")
	if !strings.Contains(string(b), `"scope":"full-surface"`) || !strings.Contains(string(b), `"area":"cross-section"`) {
		t.Errorf("plan for a full-surface fire at level III: %s", b)
	}
}
