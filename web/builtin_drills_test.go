package web_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"parktwin/scenarios"
)

var update = flag.Bool("update", false, "rewrite the built-in drills' golden reports and docs/security.md's route tables")

// The built-in drills played start to end with a scripted trainee, who
// does what docs/scenarios.md ("Built-in drills") expects, at the times
// it says: every expectation is met, and the after-action report is the
// golden one (testdata/drills/*.report.json; rewrite with -update after
// reading the change).
func TestBuiltinDrillsReports(t *testing.T) {
	builtin, err := scenarios.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	scripts := map[string][]step{
		"chlorine-night": {
			{"PT2M", func(tr *trainee) { tr.ackFirst() }},
			{"PT3M", func(tr *trainee) { tr.reportFromAlarm("toxic-release", "III") }},
			// The hazmat team's sealing truck, which the desk does not
			// propose: its run card asks for teams, not vehicles.
			{"PT5M", func(tr *trainee) { tr.confirm(0, "TEAM-07", "VEH-07-02") }},
			{"PT9M", func(tr *trainee) {
				tr.protect(0, "shelter-in-place", "TGT-07")
				tr.protect(0, "shelter-in-place", "TGT-05")
				tr.protect(0, "evacuate", "TGT-08")
			}},
			{"PT46M", func(tr *trainee) { tr.underControl(0) }},
		},
		"benzene-tank-fire": {
			{"PT3M5S", func(tr *trainee) { tr.ackFirst() }},
			{"PT5M30S", func(tr *trainee) { tr.confirm(0) }},
			{"PT15M30S", func(tr *trainee) { tr.confirm(1, "TEAM-08", "VEH-08-01") }},
			{"PT51M", func(tr *trainee) { tr.underControl(0) }},
		},
		"h2s-sewage-pool": {
			{"PT2M45S", func(tr *trainee) { tr.ackFirst() }},
			{"PT4M10S", func(tr *trainee) { tr.reportFromAlarm("confined-space", "III") }},
			// The desk's proposal: its confined-space-rescue line is
			// filled by TEAM-01's gas-protection vehicle (VEH-01-09), no
			// longer by a foam tender (issue 13, point 1).
			{"PT5M", func(tr *trainee) { tr.confirm(0) }},
			{"PT26M", func(tr *trainee) { tr.underControl(0) }},
		},
		"lpg-tanker-road": {
			// A water tender for the cooling the desk does not size, and
			// a rescue vehicle with sealing kits.
			{"PT3M30S", func(tr *trainee) { tr.confirm(0, "TEAM-10", "VEH-10-02", "TEAM-07", "VEH-07-02") }},
			{"PT16M", func(tr *trainee) { tr.protect(0, "evacuate", "TGT-07") }},
			{"PT46M", func(tr *trainee) { tr.underControl(0) }},
		},
		"waste-store-fire": {
			{"PT8M40S", func(tr *trainee) { tr.ackFirst() }},
			{"PT9M", func(tr *trainee) { tr.reportFromAlarm("pool-fire", "III") }},
			{"PT10M", func(tr *trainee) { tr.confirm(0) }},
			{"PT31M", func(tr *trainee) {
				tr.in("POST", "/incidents", `{"type":"water-pollution","entity":"HWS-0013-01","level":"IV","reporter":"值班员甲"}`)
				tr.confirm(1) // its run card sends TEAM-08's monitoring vehicle
			}},
			{"PT56M", func(tr *trainee) { tr.underControl(0) }},
		},
	}
	if len(scripts) != len(builtin) {
		t.Fatalf("%d scripts for %d built-in drills", len(scripts), len(builtin))
	}
	for _, sc := range builtin {
		t.Run(sc.Metadata.ID, func(t *testing.T) {
			script, ok := scripts[sc.Metadata.ID]
			if !ok {
				t.Fatalf("no script for %s", sc.Metadata.ID)
			}
			base, _, _ := startHostWith(t, "", sc)
			tr := startTraineeOf(t, base, sc.Metadata.ID)
			for _, s := range script {
				tr.seek(s.at)
				s.do(tr)
			}
			v := tr.seek("PT24H") // past the end: to the end
			if v.State != "ended" {
				t.Fatalf("state %q at the end", v.State)
			}
			for _, e := range v.Expectations {
				if e.Status != "met" {
					t.Errorf("expectation %s: %s", e.ID, e.Status)
				}
			}
			status, b, _ := do(t, "GET", base+"/api/v1/drills/"+tr.id+"/report", "")
			if status != http.StatusOK {
				t.Fatalf("report: %d %s", status, b)
			}
			golden(t, filepath.Join("testdata", "drills", sc.Metadata.ID+".report.json"), indent(t, b))
		})
	}
}

// step is one move of a scripted trainee: seek to a drill time, then act.
type step struct {
	at string
	do func(*trainee)
}

func startTraineeOf(t *testing.T, base, scenario string) *trainee {
	t.Helper()
	status, b, _ := do(t, "POST", base+"/api/v1/drills", `{"scenario":"`+scenario+`"}`)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/drills: %d %s", status, b)
	}
	var v drillView
	json.Unmarshal(b, &v)
	return &trainee{t: t, base: base, id: v.ID}
}

// ackFirst acknowledges the first alarm the drill raised (the list is
// newest first).
func (tr *trainee) ackFirst() {
	tr.t.Helper()
	alarms := ids(tr.t, tr.in("GET", "/alarms?state=active", ""))
	if len(alarms) == 0 {
		tr.t.Fatal("no active alarm to acknowledge")
	}
	tr.inAs("值班员甲", "POST", "/alarms/"+alarms[len(alarms)-1]+"/ack", "")
}

// reportFromAlarm reports an incident from the first alarm (the list is
// newest first).
func (tr *trainee) reportFromAlarm(typ, level string) {
	tr.t.Helper()
	alarms := ids(tr.t, tr.in("GET", "/alarms", ""))
	tr.in("POST", "/incidents", fmt.Sprintf(`{"type":%q,"alarm":%q,"level":%q,"reporter":"值班员甲"}`, typ, alarms[len(alarms)-1], level))
}

// incident returns the drill's i-th incident, in the order of their IDs.
func (tr *trainee) incident(i int) string {
	tr.t.Helper()
	incs := ids(tr.t, tr.in("GET", "/incidents", ""))
	if i >= len(incs) {
		tr.t.Fatalf("no incident #%d: %v", i, incs)
	}
	return incs[i]
}

// confirm confirms the desk's plan for the i-th incident, with vehicles
// added, given as team, vehicle pairs.
func (tr *trainee) confirm(i int, add ...string) {
	tr.t.Helper()
	id := tr.incident(i)
	var plan map[string]any
	if err := json.Unmarshal(tr.in("POST", "/incidents/"+id+"/plan", ""), &plan); err != nil {
		tr.t.Fatal(err)
	}
	for j := 0; j+1 < len(add); j += 2 {
		plan["assignments"] = append(plan["assignments"].([]any), map[string]any{"team": add[j], "vehicle": add[j+1]})
	}
	b, _ := json.Marshal(plan)
	tr.inAs("调度员乙", "POST", "/incidents/"+id+"/confirm", string(b))
}

// protect orders a protective action for a target: evacuate or
// shelter-in-place.
func (tr *trainee) protect(i int, action, target string) {
	tr.t.Helper()
	tr.inAs("指挥长丙", "POST", "/incidents/"+tr.incident(i)+"/evacuate", `{"targets":["`+target+`"],"action":"`+action+`"}`)
}

func (tr *trainee) underControl(i int) {
	tr.t.Helper()
	tr.inAs("指挥长丙", "POST", "/incidents/"+tr.incident(i)+"/state", `{"state":"under-control"}`)
}

// indent returns a JSON document indented, for a golden file a reader
// can diff.
func indent(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out) + "\n"
}

// golden compares got with the file, or rewrites it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-golden +got):\n%s", path, diff)
	}
}
