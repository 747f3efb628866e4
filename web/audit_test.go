package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"parktwin/twin"
)

type auditAnswer struct {
	Entries []struct {
		Seq   uint64     `json:"seq"`
		At    time.Time  `json:"at"`
		Actor twin.Actor `json:"actor"`
		Twin  string     `json:"twin"`
		Hash  string     `json:"hash"`
		// Changes as served.
		Changes []struct {
			Seq  uint64 `json:"seq"`
			Op   string `json:"op"`
			Kind string `json:"kind"`
			ID   string `json:"id"`
		} `json:"changes"`
	} `json:"entries"`
	Next uint64 `json:"next"`
}

func getAudit(t *testing.T, base, query string) auditAnswer {
	t.Helper()
	status, b, _ := do(t, "GET", base+"/api/v1/audit?"+query, "")
	if status != 200 {
		t.Fatalf("audit ?%s: %d %s", query, status, b)
	}
	var a auditAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAuditOfARequest reports an incident over HTTP and finds who did it,
// from where and through which route, by incident, user and time.
func TestAuditOfARequest(t *testing.T) {
	base, live, _ := startHostWith(t, "")
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](live.Twin().Snapshot()) {
		tank = tk
		break
	}
	before := live.Twin().Clock().Now().Add(-time.Second)
	body := fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"值班员"}`, tank.ID)
	status, b, _ := do(t, "POST", base+"/api/v1/incidents", body)
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)

	a := getAudit(t, base, "incident="+inc.ID)
	if len(a.Entries) != 1 {
		t.Fatalf("entries of %s: got %d, want 1", inc.ID, len(a.Entries))
	}
	e := a.Entries[0]
	want := twin.Actor{User: "测试员", Role: "admin", Addr: "127.0.0.1", Route: "POST /api/v1/incidents"}
	if e.Actor != want || e.Twin != twin.LiveID || len(e.Hash) != 64 {
		t.Errorf("entry: got %+v, want actor %+v", e, want)
	}
	if len(e.Changes) != 1 || e.Changes[0].ID != inc.ID || e.Changes[0].Op != "created" || e.Changes[0].Kind != "incident" {
		t.Errorf("changes: %+v", e.Changes)
	}
	if got := getAudit(t, base, "user="+url.QueryEscape("测试员")+"&from="+url.QueryEscape(before.Format(time.RFC3339))); len(got.Entries) != 1 {
		t.Errorf("by user and time: got %d entries, want 1", len(got.Entries))
	}
	if got := getAudit(t, base, "user=system:seed&limit=1"); len(got.Entries) != 1 || got.Entries[0].Actor.Role != twin.RoleSystem {
		t.Errorf("the seed: %+v", got)
	}
	if got := getAudit(t, base, "to=2000-01-01T00:00:00Z"); len(got.Entries) != 0 {
		t.Errorf("before the park: got %d entries", len(got.Entries))
	}
	for _, q := range []string{"from=yesterday", "limit=0", "limit=100000", "before=x",
		"from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"} {
		if status, b, _ := do(t, "GET", base+"/api/v1/audit?"+q, ""); status != 422 {
			t.Errorf("?%s: got %d %s, want 422", q, status, b)
		}
	}
}

// TestAuditOfAnAlarm finds the alarm a gateway's readings raised made by
// the monitor, on behalf of the gateway, through the telemetry route.
func TestAuditOfAnAlarm(t *testing.T) {
	base, live, _ := startHostWith(t, "")
	s := tempSensor(t, live.Twin())
	start := time.Now().Add(-time.Minute)
	var rs []string
	for i := range 30 {
		rs = append(rs, reading(s.ID, start.Add(time.Duration(i)*time.Second), *s.Limits.HH+5))
	}
	if status, b := post(t, base+"/api/v1/telemetry", testToken, readings(rs...)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	a := getAudit(t, base, "user=system:monitor&limit=1")
	if len(a.Entries) != 1 {
		t.Fatalf("the monitor's entries: %+v", a)
	}
	want := twin.Actor{User: twin.ActorMonitor, Role: twin.RoleSystem, Via: "gateway:测试网关", Addr: "127.0.0.1", Route: "POST /api/v1/telemetry"}
	if got := a.Entries[0].Actor; got != want {
		t.Errorf("the alarm's actor: got %+v, want %+v", got, want)
	}
}
