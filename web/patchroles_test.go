package web_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"parktwin/twin"
	"parktwin/web/auth"
)

// A dispatcher may close a road and set a team's status, a keeper may
// change its warehouse's contact: any other field (a road's line, speed
// or name, a team's base or phone, a warehouse's place or name) is 403
// naming it, and nothing changes. An administrator may patch them all.
func TestPatchFieldsByRole(t *testing.T) {
	base, tw, _ := startServer(t)
	snap := tw.Snapshot()
	var road *twin.Road
	for r := range twin.All[*twin.Road](snap) {
		road = r
		break
	}
	var team *twin.Team
	for tm := range twin.All[*twin.Team](snap) {
		team = tm
		break
	}
	wh, _ := twin.Lookup[*twin.Warehouse](snap, "WH-02")
	if road == nil || team == nil || wh == nil {
		t.Fatal("the park lacks a road, a team or WH-02")
	}
	dispatcher := roleToken(t, base, auth.NewToken{Name: "调度李", Role: auth.Dispatcher})
	keeper := roleToken(t, base, auth.NewToken{Name: "库管王", Role: auth.Keeper, Warehouses: []string{"WH-02"}})
	patch := func(tok, path, body string) (int, errorAnswer) {
		t.Helper()
		st, b, _ := doWith(t, "PATCH", base+"/api/v1/"+path, body,
			http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"}})
		var e errorAnswer
		json.Unmarshal(b, &e)
		return st, e
	}
	for _, tt := range []struct {
		tok, path, body, field string
	}{
		{dispatcher, "roads/" + road.ID, `{"properties":{"closed":true,"speedKmh":1}}`, "properties.speedKmh"},
		{dispatcher, "roads/" + road.ID, `{"properties":{"name":"改名"}}`, "properties.name"},
		{dispatcher, "roads/" + road.ID, `{"properties":{"oneWay":true}}`, "properties.oneWay"},
		{dispatcher, "roads/" + road.ID, `{"properties":{"hazmatRestricted":true}}`, "properties.hazmatRestricted"},
		{dispatcher, "roads/" + road.ID, `{"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}`, "geometry"},
		{dispatcher, "teams/" + team.ID, `{"geometry":{"type":"Point","coordinates":[0,0]}}`, "geometry"},
		{dispatcher, "teams/" + team.ID, `{"properties":{"status":"available","phone":"110"}}`, "properties.phone"},
		{keeper, "warehouses/WH-02", `{"geometry":{"type":"Point","coordinates":[0,0]}}`, "geometry"},
		{keeper, "warehouses/WH-02", `{"properties":{"name":"改名"}}`, "properties.name"},
	} {
		if st, e := patch(tt.tok, tt.path, tt.body); st != 403 || e.Field != tt.field {
			t.Errorf("%s %s: %d %+v, want 403 naming %s", tt.path, tt.body, st, e, tt.field)
		}
	}
	after := tw.Snapshot()
	for _, e := range []twin.Entity{road, team, wh} {
		now, _ := after.Get(e.Kind(), e.EntityID())
		if !reflect.DeepEqual(now, e) {
			t.Errorf("%s changed by refused patches: %+v, was %+v", e.EntityID(), now, e)
		}
	}

	// What their work needs.
	if st, e := patch(dispatcher, "roads/"+road.ID, `{"type":"Feature","properties":{"closed":true}}`); st != 200 {
		t.Errorf("a dispatcher closes a road: %d %+v", st, e)
	}
	if st, e := patch(dispatcher, "teams/"+team.ID, `{"properties":{"status":"dispatched"}}`); st != 200 {
		t.Errorf("a dispatcher sets a team's status: %d %+v", st, e)
	}
	if st, e := patch(keeper, "warehouses/WH-02", `{"properties":{"keeper":{"name":"王","phone":"0571-1"}}}`); st != 200 {
		t.Errorf("a keeper sets its contact: %d %+v", st, e)
	}
	// The administrator's park data.
	if st, b, _ := do(t, "PATCH", base+"/api/v1/roads/"+road.ID, `{"properties":{"speedKmh":30,"name":"新名"}}`); st != 200 {
		t.Errorf("an administrator: %d %s", st, b)
	}
}
