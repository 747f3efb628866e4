package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/telemetry"
	"parktwin/web/auth"
)

// A duty officer shelves an alarm over HTTP for a stated time with a
// reason: the answer carries shelvedUntil, the audit trail names the
// officer and the route. A viewer may not; a request without a reason,
// with a duration out of range, or on a shelved alarm is refused and
// changes nothing.
func TestShelveAlarmOverHTTP(t *testing.T) {
	base, live, _ := startHostWith(t, "")
	tw := live.Twin()
	s := tempSensor(t, tw)
	now := tw.Clock().Now()
	if _, rej, err := live.Monitor().Ingest(context.Background(),
		[]telemetry.Reading{{Sensor: s.ID, T: now, Value: *s.Limits.HH + 5}}); err != nil || len(rej) > 0 {
		t.Fatalf("ingest: %v %v", rej, err)
	}
	var id string
	for a := range twin.All[*twin.Alarm](tw.Snapshot()) {
		if a.Sensor == s.ID && a.Condition == twin.High {
			id = a.ID
		}
	}
	if id == "" {
		t.Fatal("no alarm raised")
	}
	url := base + "/api/v1/alarms/" + id + "/shelve"
	officer := roleToken(t, base, auth.NewToken{Name: "值班员", Role: auth.DutyOfficer})
	viewer := roleToken(t, base, auth.NewToken{Name: "观察员", Role: auth.Viewer})

	seq := tw.Snapshot().Seq()
	for _, bad := range []struct {
		token, body string
		status      int
	}{
		{viewer, `{"durationS":3600,"reason":"仪表检修"}`, 403},
		{officer, `{"durationS":3600}`, 422},
		{officer, `{"durationS":0,"reason":"仪表检修"}`, 422},
		{officer, `{"durationS":28801,"reason":"仪表检修"}`, 422}, // rule shelving.maxDuration, 8 h
		{officer, `{"durationS":1e300,"reason":"仪表检修"}`, 422},
		{officer, `{"durationS":"1h","reason":"仪表检修"}`, 400},
	} {
		status, b := post(t, url, bad.token, bad.body)
		if status != bad.status || !strings.Contains(string(b), `"error"`) {
			t.Errorf("%s: %d %s, want %d with a JSON error", bad.body, status, b, bad.status)
		}
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Fatalf("refused requests moved seq %d → %d", seq, got)
	}

	status, b := post(t, url, officer, `{"durationS":3600,"reason":"仪表检修，已现场确认"}`)
	if status != 200 {
		t.Fatalf("shelve: %d %s", status, b)
	}
	var f struct {
		Properties struct {
			State        string    `json:"state"`
			ShelvedUntil time.Time `json:"shelvedUntil"`
			ShelvedBy    string    `json:"shelvedBy"`
			ShelveReason string    `json:"shelveReason"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	p := f.Properties
	if p.State != "active" || p.ShelvedBy != "值班员" || p.ShelveReason != "仪表检修，已现场确认" ||
		p.ShelvedUntil.Sub(now) < time.Hour || p.ShelvedUntil.Sub(now) > time.Hour+time.Minute {
		t.Errorf("shelved: %+v (from %v)", p, now)
	}
	if status, b := post(t, url, officer, `{"durationS":60,"reason":"again"}`); status != 409 {
		t.Errorf("shelve a shelved alarm: %d %s", status, b)
	}

	found := false
	for _, e := range getAudit(t, base, "entity="+id).Entries {
		if e.Actor.User == "值班员" && strings.Contains(e.Actor.Route, "/shelve") {
			found = true
		}
	}
	if !found {
		t.Errorf("the audit trail of %s has no shelving by 值班员: %+v", id, getAudit(t, base, "entity="+id).Entries)
	}
}
