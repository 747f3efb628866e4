package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"parktwin/twin"
	"parktwin/web/auth"
)

// Over HTTP: a level III tank fire planned and confirmed, raised to II,
// planned again (the reinforcement proposes only the extra units) and
// confirmed; a stale reinforcement refused; one unit released, available
// again; bad releases refused naming the problem, nothing changed.
func TestReinforceAndReleaseOverHTTP(t *testing.T) {
	base, tw, _ := startServer(t)
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		if tk.Type == twin.ExternalFloatingRoof {
			tank = tk
			break
		}
	}
	status, b, _ := do(t, "POST", base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"值班员"}`, tank.ID))
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)
	type plan struct {
		Assignments   []struct{ Team, Vehicle string }
		Shortfalls    []struct{ What string }
		Reinforcement *struct {
			Basis    string
			Level    string
			Assigned []string
		}
	}
	planOf := func() (plan, string) {
		t.Helper()
		status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/plan", "")
		var p plan
		if err := json.Unmarshal(b, &p); status != 200 || err != nil {
			t.Fatalf("plan: %d %s", status, b)
		}
		return p, string(b)
	}
	first, raw := planOf()
	if first.Reinforcement != nil {
		t.Fatalf("a first plan marked as a reinforcement: %s", raw)
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/confirm", raw); status != 200 {
		t.Fatalf("confirm: %d %s", status, b)
	}
	for _, body := range []string{`{"level":"V"}`, `{"level":"III"}`, `{"level":"II","colour":"red"}`} {
		if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/level", body); status < 400 || status >= 500 || !strings.Contains(string(b), `"error"`) {
			t.Errorf("level %s: %d %s", body, status, b)
		}
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/level", `{"level":"II"}`); status != 200 || !strings.Contains(string(b), `"level":"II"`) {
		t.Fatalf("raise to II: %d %s", status, b)
	}
	more, raw := planOf()
	_, staleRaw := planOf()
	if more.Reinforcement == nil || more.Reinforcement.Level != "II" || len(more.Assignments) == 0 || len(more.Shortfalls) != 0 {
		t.Fatalf("the reinforcement: %s", raw)
	}
	for _, a := range more.Assignments {
		if slices.ContainsFunc(first.Assignments, func(x struct{ Team, Vehicle string }) bool { return x.Vehicle == a.Vehicle }) {
			t.Errorf("%s proposed again", a.Vehicle)
		}
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/confirm", raw); status != 200 {
		t.Fatalf("confirm the reinforcement: %d %s", status, b)
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/confirm", staleRaw); status != 409 || !strings.Contains(string(b), "plan again") {
		t.Errorf("a stale reinforcement: %d %s", status, b)
	}
	got, _ := twin.Lookup[*twin.Incident](tw.Snapshot(), inc.ID)
	if n := len(got.Assignments); n != len(first.Assignments)+len(more.Assignments) {
		t.Fatalf("%d assignments after the reinforcement, want %d", n, len(first.Assignments)+len(more.Assignments))
	}

	a := more.Assignments[0]
	seq := tw.Snapshot().Seq()
	// Level II is the commander's: a dispatcher may not release its
	// units, a viewer nothing at all.
	for _, role := range []auth.Role{auth.Dispatcher, auth.Viewer} {
		tok := roleToken(t, base, auth.NewToken{Name: "test-" + role.String(), Role: role})
		status, b, _ := doWith(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/release-unit",
			fmt.Sprintf(`{"team":%q,"vehicle":%q}`, a.Team, a.Vehicle), http.Header{"Authorization": {"Bearer " + tok}})
		if status != 403 {
			t.Errorf("release as %s: %d %s", role, status, b)
		}
	}
	for _, tt := range []struct{ body, field string }{
		{fmt.Sprintf(`{"vehicle":%q}`, a.Vehicle), "team"},
		{fmt.Sprintf(`{"team":%q}`, a.Team), "vehicle"},
		{fmt.Sprintf(`{"team":%q,"vehicle":"NO-SUCH"}`, a.Team), "vehicle"},
		{`not json`, ""},
	} {
		status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/release-unit", tt.body)
		if status < 400 || status >= 500 || (tt.field != "" && !strings.Contains(string(b), `"field":"`+tt.field+`"`)) {
			t.Errorf("release %s: %d %s", tt.body, status, b)
		}
	}
	if status, _, _ := do(t, "POST", base+"/api/v1/incidents/INC-9999/release-unit", fmt.Sprintf(`{"team":%q,"vehicle":%q}`, a.Team, a.Vehicle)); status != 404 {
		t.Errorf("release from no incident: %d", status)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refused releases moved the park from seq %d to %d", seq, got)
	}
	status, b, _ = do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/release-unit", fmt.Sprintf(`{"team":%q,"vehicle":%q}`, a.Team, a.Vehicle))
	if status != 200 {
		t.Fatalf("release: %d %s", status, b)
	}
	tm, _ := twin.Lookup[*twin.Team](tw.Snapshot(), a.Team)
	for _, v := range tm.Vehicles {
		if v.ID == a.Vehicle && v.Status != twin.Available {
			t.Errorf("released %s is %v", a.Vehicle, v.Status)
		}
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/release-unit", fmt.Sprintf(`{"team":%q,"vehicle":%q}`, a.Team, a.Vehicle)); status != 409 {
		t.Errorf("released twice: %d %s", status, b)
	}
}

// A dispatcher raised a level III incident to I, and then no dispatcher
// could act on it: levels I and II are a commander's to set. A
// dispatcher may still change the level between III and IV; a commander
// raises to I.
func TestDispatcherMayNotSetGraveLevel(t *testing.T) {
	base, tw, _ := startServer(t)
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		tank = tk
		break
	}
	disp := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "调度员", Role: auth.Dispatcher})}}
	cmdr := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "指挥长", Role: auth.Commander})}}
	st, b, _ := doWith(t, "POST", base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"x"}`, tank.ID), disp)
	if st != http.StatusCreated {
		t.Fatalf("report: %d %s", st, b)
	}
	var inc struct{ ID string }
	json.Unmarshal(b, &inc)
	level := func() twin.ResponseLevel {
		got, _ := twin.Lookup[*twin.Incident](tw.Snapshot(), inc.ID)
		return got.Level
	}
	for _, lv := range []string{"I", "II"} {
		st, b, _ := doWith(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/level", fmt.Sprintf(`{"level":%q}`, lv), disp)
		if st != http.StatusForbidden || !strings.Contains(string(b), "commander") {
			t.Errorf("dispatcher sets level %s: %d %s, want 403 naming the commander", lv, st, b)
		}
	}
	if got := level(); got != twin.LevelIII {
		t.Fatalf("level %s after the refusals, want III", got)
	}
	if st, b, _ := doWith(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/level", `{"level":"IV"}`, disp); st != http.StatusOK {
		t.Errorf("dispatcher lowers to IV: %d %s", st, b)
	}
	if st, b, _ := doWith(t, "POST", base+"/api/v1/incidents/"+inc.ID+"/level", `{"level":"I"}`, cmdr); st != http.StatusOK {
		t.Errorf("commander raises to I: %d %s", st, b)
	}
	if got := level(); got != twin.LevelI {
		t.Errorf("level %s, want I", got)
	}
}

// Nor by a further report merged into it (POST /api/v1/incidents, the
// same tank): a dispatcher's report at level I on a level III incident is
// refused (error.graveRaise) and changes nothing; once a commander has
// raised it to I, a dispatcher's report naming a chemical it has none of
// (its zones) is refused too (error.graveIncident), while one that only
// counts is merged.
func TestDispatcherMayNotRaiseByReport(t *testing.T) {
	base, tw, _ := startServer(t)
	disp := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "调度员", Role: auth.Dispatcher})}}
	cmdr := http.Header{"Authorization": {"Bearer " + roleToken(t, base, auth.NewToken{Name: "指挥长", Role: auth.Commander})}}
	// reports of one place in the park, 15 m apart, naming no tank: merged
	n := 0
	report := func(h http.Header, level, chemical string) (int, string) {
		n++
		body := fmt.Sprintf(`{"type":"tank-fire","point":[120.80,%v],"level":%q,"reporter":"x"}`, 30.15+float64(n%2)*0.0001, level)
		if chemical != "" {
			body = fmt.Sprintf(`{"type":"tank-fire","point":[120.80,30.15],"level":%q,"reporter":"x","chemical":%q}`, level, chemical)
		}
		st, b, _ := doWith(t, "POST", base+"/api/v1/incidents", body, h)
		return st, string(b)
	}
	st, b := report(disp, "III", "")
	if st != http.StatusCreated {
		t.Fatalf("report: %d %s", st, b)
	}
	var inc struct{ ID string }
	json.Unmarshal([]byte(b), &inc)
	now := func() *twin.Incident {
		got, _ := twin.Lookup[*twin.Incident](tw.Snapshot(), inc.ID)
		return got
	}
	if st, b := report(disp, "I", ""); st != http.StatusForbidden || !strings.Contains(b, `"error.graveRaise"`) {
		t.Errorf("a dispatcher's report at level I merged into a level III incident: %d %s, want 403 error.graveRaise", st, b)
	}
	if got := now(); got.Level != twin.LevelIII || got.Reports != 1 {
		t.Fatalf("after the refusal: level %s, %d reports; want III, 1", got.Level, got.Reports)
	}
	if st, b := report(cmdr, "I", ""); st != http.StatusOK {
		t.Fatalf("a commander's report at level I: %d %s", st, b)
	}
	if chem := now().Chemical; chem != "" {
		t.Fatalf("the incident names its chemical (%s) already", chem)
	}
	if st, b := report(disp, "IV", "108-90-7"); st != http.StatusForbidden || !strings.Contains(b, `"error.graveIncident"`) {
		t.Errorf("a dispatcher's report naming a level I incident's chemical: %d %s, want 403 error.graveIncident", st, b)
	}
	if st, b := report(disp, "IV", ""); st != http.StatusOK {
		t.Errorf("a dispatcher's further report that only counts: %d %s, want 200 (merged)", st, b)
	}
	if got := now(); got.Level != twin.LevelI || got.Chemical != "" || got.Reports != 3 {
		t.Errorf("level %s, chemical %q, %d reports; want I, none, 3", got.Level, got.Chemical, got.Reports)
	}
}
