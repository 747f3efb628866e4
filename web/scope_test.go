package web_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/web/auth"
)

// ordersOf returns the IDs of the verification orders of each enterprise,
// as an administrator lists them.
func ordersOf(t *testing.T, base string) map[string][]string {
	t.Helper()
	status, b, _ := do(t, "GET", base+"/api/v1/orders", "")
	if status != 200 {
		t.Fatalf("GET orders: %d %s", status, b)
	}
	var l alarmList
	json.Unmarshal(b, &l)
	out := map[string][]string{}
	for _, f := range l.Features {
		ent, _ := f.Properties["enterprise"].(string)
		out[ent] = append(out[ent], f.ID)
	}
	return out
}

// An enterprise user reads and touches its own enterprise alone: another
// enterprise's sensors, their history, orders and hidden dangers are 404
// (as if they did not exist), a filter or a new hidden danger naming
// another enterprise 403; its own are read and answered.
func TestEnterpriseSeesItsOwn(t *testing.T) {
	base, tw, _ := startServer(t)
	own, other, ent := twoEnterprises(t, tw)
	snap := tw.Snapshot()
	otherTank, _ := twin.Lookup[*twin.Tank](snap, other.Subject)
	otherEnt := otherTank.Enterprise
	tok := roleToken(t, base, auth.NewToken{Name: "企业安全员", Role: auth.Enterprise, Enterprise: ent})
	as := http.Header{"Authorization": {"Bearer " + tok}}
	call := func(method, path, body string) (int, []byte) {
		t.Helper()
		st, b, _ := doWith(t, method, base+path, body, as)
		return st, b
	}

	// Red alarms, and with them orders, on both enterprises' sensors.
	start := time.Now().Add(-time.Minute)
	var rs []string
	for i := range 30 {
		at := start.Add(time.Duration(i) * time.Second)
		rs = append(rs, reading(own.ID, at, *own.Limits.HH+5), reading(other.ID, at, *other.Limits.HH+5))
	}
	if status, b := post(t, base+"/api/v1/telemetry", testToken, readings(rs...)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	orders := ordersOf(t, base)
	if len(orders[ent]) == 0 || len(orders[otherEnt]) == 0 {
		t.Fatalf("orders by enterprise: %v, want some of %s and of %s", orders, ent, otherEnt)
	}
	// Hidden dangers of both, registered by the administrator.
	danger := func(e string) string {
		body := `{"type":"Feature","geometry":null,"properties":{"kind":"hidden-danger","enterprise":"` + e +
			`","title":"法兰渗漏","owner":"张工","due":"2027-01-31"}}`
		st, b, _ := do(t, "POST", base+"/api/v1/hidden-dangers", body)
		if st != 201 {
			t.Fatalf("register a hidden danger of %s: %d %s", e, st, b)
		}
		var f struct{ ID string }
		json.Unmarshal(b, &f)
		return f.ID
	}
	ownDanger, otherDanger := danger(ent), danger(otherEnt)

	tests := []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/api/v1/sensors/" + own.ID + "/history", "", 200},
		{"GET", "/api/v1/sensors/" + other.ID + "/history", "", 404},
		{"GET", "/api/v1/sensors/" + own.ID, "", 200},
		{"GET", "/api/v1/sensors/" + other.ID, "", 404},
		{"GET", "/api/v1/sensors?enterprise=" + otherEnt, "", 403},
		{"GET", "/api/v1/tanks/" + other.Subject, "", 404},
		{"GET", "/api/v1/orders/" + orders[otherEnt][0], "", 404},
		{"POST", "/api/v1/orders/" + orders[otherEnt][0] + "/ack", "", 404},
		{"POST", "/api/v1/orders/" + orders[otherEnt][0] + "/feedback", `{"cause":"x","action":"y"}`, 404},
		{"POST", "/api/v1/orders/" + orders[otherEnt][0] + "/close", "", 403}, // the duty officer's
		{"GET", "/api/v1/hidden-dangers/" + otherDanger, "", 404},
		{"POST", "/api/v1/hidden-dangers/" + otherDanger + "/state", `{"state":"rectifying"}`, 404},
		{"POST", "/api/v1/hidden-dangers", `{"type":"Feature","geometry":null,"properties":{"kind":"hidden-danger","enterprise":"` + otherEnt + `","title":"x","owner":"y","due":"2027-01-31"}}`, 403},
		{"GET", "/api/v1/roads", "", 403},
		{"GET", "/api/v1/export", "", 403},
		{"GET", "/api/v1/hidden-dangers/" + ownDanger, "", 200},
		{"GET", "/api/v1/orders/" + orders[ent][0], "", 200},
		{"POST", "/api/v1/orders/" + orders[ent][0] + "/ack", "", 200},
		{"POST", "/api/v1/hidden-dangers/" + ownDanger + "/state", `{"state":"rectifying"}`, 200},
		{"POST", "/api/v1/hidden-dangers", `{"type":"Feature","geometry":null,"properties":{"kind":"hidden-danger","enterprise":"` + ent + `","title":"x","owner":"y","due":"2027-01-31"}}`, 201},
	}
	for _, tt := range tests {
		if st, b := call(tt.method, tt.path, tt.body); st != tt.want {
			t.Errorf("%s %s: %d %s, want %d", tt.method, tt.path, st, b, tt.want)
		}
	}
	// Lists are narrowed to its enterprise.
	for _, path := range []string{"/api/v1/sensors", "/api/v1/orders", "/api/v1/hidden-dangers", "/api/v1/alarms", "/api/v1/tanks"} {
		st, b := call("GET", path, "")
		if st != 200 {
			t.Fatalf("GET %s: %d %s", path, st, b)
		}
		var l alarmList
		json.Unmarshal(b, &l)
		for _, f := range l.Features {
			if e, ok := f.Properties["enterprise"]; ok && e != ent {
				t.Errorf("GET %s lists %s of %v", path, f.ID, e)
			}
			if slices.Contains([]string{other.ID, otherDanger}, f.ID) || slices.Contains(orders[otherEnt], f.ID) {
				t.Errorf("GET %s lists another enterprise's %s", path, f.ID)
			}
		}
	}
	if got, want := len(sensorsIn(t, call)), len(sensorsOf(tw, ent)); got != want {
		t.Errorf("sensors listed: %d, want %s's %d", got, ent, want)
	}
	// The stream is narrowed too; a layer no enterprise's is refused.
	conn := dial(t, base, "", as)
	var layers map[string]json.RawMessage
	json.Unmarshal(next(t, conn).Layers, &layers)
	if _, ok := layers["roads"]; ok || layers["sensors"] == nil {
		t.Errorf("an enterprise user's stream has the layers %v", keys(layers))
	}
	if _, res, err := wsDial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/stream?layers=roads", as); err == nil || res.StatusCode != 403 {
		t.Errorf("the roads layer for an enterprise user: %v", err)
	}
}

func sensorsIn(t *testing.T, call func(method, path, body string) (int, []byte)) []string {
	t.Helper()
	_, b := call("GET", "/api/v1/sensors", "")
	var l alarmList
	json.Unmarshal(b, &l)
	var ids []string
	for _, f := range l.Features {
		ids = append(ids, f.ID)
	}
	return ids
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
