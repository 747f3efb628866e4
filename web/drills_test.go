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

	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/web"
)

// startDrillHost serves the demo park with the chlorine drill as its one
// built-in scenario; dir keeps drills across restarts ("" keeps none).
func startDrillHost(t *testing.T, dir string) (string, *park.Instance, *web.Host) {
	t.Helper()
	sc, err := scenarios.Load("../scenarios/testdata/chlorine-night.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return startHostWith(t, dir, sc)
}

// startHostWith serves the demo park as the live instance of a Host, on
// a real bbolt file (its journal for replays) and a real listener, with
// the scenarios as built in; dir keeps drills ("" keeps none).
func startHostWith(t *testing.T, dir string, scs ...*scenarios.Scenario) (string, *park.Instance, *web.Host) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	live, err := park.Open(context.Background(), park.Config{Store: db, History: db,
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	live.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	svc := openAuth(t, db)
	host := web.NewHost(live, web.HostConfig{Auth: svc, Journal: db, Store: db,
		Drills: web.DrillConfig{Scenarios: scs, Dir: dir}})
	go host.Serve(ln)
	serving("http://"+ln.Addr().String(), svc)
	t.Cleanup(func() {
		host.Shutdown(context.Background()) // once: a test may have shut it down
		live.Close()
		if err := db.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		db.Close()
	})
	return "http://" + ln.Addr().String(), live, host
}

// drillView is the part of the API's drill the tests read.
type drillView struct {
	ID, Twin, State, DrillTime string
	DrillTimeS                 float64
	Next, Pass, Actions        int
	Expectations               []struct {
		ID, Status string
		TookS      *float64
	}
	Messages []struct{ Zh, En string }
}

// trainee drives one drill over the API, as a console would.
type trainee struct {
	t    *testing.T
	base string
	id   string
}

// startTrainee starts the chlorine drill and drives it.
func startTrainee(t *testing.T, base string) *trainee {
	t.Helper()
	return startTraineeOf(t, base, "chlorine-night")
}

func (tr *trainee) control(body string) drillView {
	tr.t.Helper()
	status, b, _ := do(tr.t, "POST", tr.base+"/api/v1/drills/"+tr.id+"/control", body)
	if status != http.StatusOK {
		tr.t.Fatalf("control %s: %d %s", body, status, b)
	}
	var v drillView
	json.Unmarshal(b, &v)
	return v
}

func (tr *trainee) seek(to string) drillView {
	return tr.control(`{"action":"seek","to":"` + to + `"}`)
}

// in calls the drill's park's API.
func (tr *trainee) in(method, path, body string) []byte {
	tr.t.Helper()
	return tr.inAs("测试员", method, path, body)
}

// inAs calls the drill's park's API as the user who.
func (tr *trainee) inAs(who, method, path, body string) []byte {
	tr.t.Helper()
	status, b, _ := doAs(tr.t, who, method, tr.base+"/api/v1/twins/"+tr.id+path, body)
	if status >= 300 {
		tr.t.Fatalf("%s %s: %d %s", method, path, status, b)
	}
	return b
}

// ids returns the IDs of a collection of the drill's park.
func ids(t *testing.T, b []byte) []string {
	t.Helper()
	var fc struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("%v: %.200s", err, b)
	}
	var out []string
	for _, f := range fc.Features {
		out = append(out, f.ID)
	}
	return out
}

// play is the scripted trainee of the chlorine drill: acknowledge the
// first alarm as soon as it is seen, take the caller's report, plan and
// confirm, evacuate TGT-06, and call it under control at 40 minutes.
// upTo stops the script after that many actions.
func (tr *trainee) play(upTo int) {
	tr.t.Helper()
	var alarm string
	for s := 95; alarm == "" && s <= 300; s += 5 {
		tr.seek(fmt.Sprintf("PT%dS", s))
		if got := ids(tr.t, tr.in("GET", "/alarms?state=active", "")); len(got) > 0 {
			alarm = got[0]
		}
	}
	if alarm == "" {
		tr.t.Fatal("no alarm in the drill by 5 minutes")
	}
	steps := []func(){
		func() {
			tr.inAs("值班员甲", "POST", "/alarms/"+alarm+"/ack", `{"note":"氯气报警，已通知企业"}`)
		},
		func() {
			tr.seek("PT5M30S")
			incs := ids(tr.t, tr.in("GET", "/incidents", ""))
			if len(incs) != 1 {
				tr.t.Fatalf("incidents after the report: %v", incs)
			}
			plan := tr.in("POST", "/incidents/"+incs[0]+"/plan", "")
			tr.inAs("调度员乙", "POST", "/incidents/"+incs[0]+"/confirm", string(plan))
		},
		func() {
			tr.seek("PT7M")
			incs := ids(tr.t, tr.in("GET", "/incidents", ""))
			tr.inAs("指挥长丙", "POST", "/incidents/"+incs[0]+"/evacuate", `{"targets":["TGT-06"]}`)
		},
		func() {
			tr.seek("PT40M")
			incs := ids(tr.t, tr.in("GET", "/incidents", ""))
			tr.inAs("指挥长丙", "POST", "/incidents/"+incs[0]+"/state", `{"state":"under-control"}`)
		},
	}
	for _, s := range steps[:upTo] {
		s()
	}
}

// export returns the drill's park as a park file.
func (tr *trainee) export() string {
	tr.t.Helper()
	return strings.ReplaceAll(string(tr.in("GET", "/export", "")), tr.id, "DRL")
}

func (tr *trainee) view() drillView {
	tr.t.Helper()
	status, b, _ := do(tr.t, "GET", tr.base+"/api/v1/drills/"+tr.id, "")
	if status != http.StatusOK {
		tr.t.Fatalf("GET drill: %d %s", status, b)
	}
	var v drillView
	json.Unmarshal(b, &v)
	return v
}
