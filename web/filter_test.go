package web_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"

	"parktwin/twin"
)

// sensorsOf returns the IDs of the sensors of an enterprise, sorted.
func sensorsOf(tw *twin.Twin, ent string) []string {
	snap := tw.Snapshot()
	var ids []string
	for s := range twin.All[*twin.Sensor](snap) {
		subject, ok := snap.Get(twin.KindOfID(s.Subject), s.Subject)
		if ok && twin.EnterpriseOf(subject) == ent {
			ids = append(ids, s.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// featureIDs returns the IDs of a FeatureCollection's features, sorted.
func featureIDs(t *testing.T, fc json.RawMessage) []string {
	t.Helper()
	var c struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if err := json.Unmarshal(fc, &c); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, f := range c.Features {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return ids
}

// twoEnterprises returns a tank temperature sensor of one enterprise and
// one of another, and the first's enterprise.
func twoEnterprises(t *testing.T, tw *twin.Twin) (own, other *twin.Sensor, ent string) {
	t.Helper()
	snap := tw.Snapshot()
	for s := range twin.All[*twin.Sensor](snap) {
		if s.Type != twin.Temperature || twin.KindOfID(s.Subject) != twin.KindTank {
			continue
		}
		tank, _ := twin.Lookup[*twin.Tank](snap, s.Subject)
		switch {
		case own == nil:
			own, ent = s, tank.Enterprise
		case tank.Enterprise != ent:
			return own, s, ent
		}
	}
	t.Fatal("the demo park has no two enterprises with tank sensors")
	return nil, nil, ""
}

func TestStreamEnterpriseSnapshot(t *testing.T) {
	base, tw, _ := startServer(t)
	_, _, ent := twoEnterprises(t, tw)
	conn := dial(t, base, "?layers=sensors,alarms,roads&enterprise="+ent, nil)
	snap := next(t, conn)
	var layers map[string]json.RawMessage
	json.Unmarshal(snap.Layers, &layers)
	want := sensorsOf(tw, ent)
	if len(want) == 0 {
		t.Fatalf("%s has no sensors", ent)
	}
	if d := gocmp.Diff(featureIDs(t, layers["sensors"]), want); d != "" {
		t.Errorf("sensors of %s (-got +want):\n%s", ent, d)
	}
	// A layer not filtered by enterprise is whole.
	if got, want := len(featureIDs(t, layers["roads"])), tw.Snapshot().Len(twin.KindRoad); got != want {
		t.Errorf("got %d roads, want all %d", got, want)
	}
	// A client without a filter still gets every sensor.
	all := dial(t, base, "?layers=sensors", nil)
	json.Unmarshal(next(t, all).Layers, &layers)
	if got, want := len(featureIDs(t, layers["sensors"])), tw.Snapshot().Len(twin.KindSensor); got != want {
		t.Errorf("unfiltered: got %d sensors, want %d", got, want)
	}
}

func TestStreamEnterpriseValuesAndChanges(t *testing.T) {
	base, tw, _ := startServer(t)
	own, other, ent := twoEnterprises(t, tw)
	conn := dial(t, base, "?layers=sensors,tanks&enterprise="+ent, nil)
	next(t, conn)
	all := dial(t, base, "?layers=sensors,tanks", nil)
	next(t, all)

	now := time.Now().Add(-time.Minute)
	post(t, base+"/api/v1/telemetry", testToken, readings(reading(other.ID, now, 21.5), reading(own.ID, now, 22.5)))
	ids := func(conn *websocket.Conn) []string {
		var out []string
		for _, v := range nextOf(t, conn, "values").Values {
			out = append(out, v[0].(string))
		}
		slices.Sort(out)
		return out
	}
	if d := gocmp.Diff(ids(conn), []string{own.ID}); d != "" {
		t.Errorf("values to %s's console (-got +want):\n%s", ent, d)
	}
	both := []string{other.ID, own.ID}
	slices.Sort(both)
	if d := gocmp.Diff(ids(all), both); d != "" {
		t.Errorf("values to an unfiltered console (-got +want):\n%s", d)
	}

	patchTank(t, tw, other.Subject, 0.71)
	seq := patchTank(t, tw, own.Subject, 0.72)
	if m := nextOf(t, conn, "change"); m.Seq != seq || m.ID != own.Subject {
		t.Errorf("first change to %s's console: %s seq %d, want %s at %d", ent, m.ID, m.Seq, own.Subject, seq)
	}
	if m := nextOf(t, all, "change"); m.ID != other.Subject {
		t.Errorf("first change to an unfiltered console: %s, want %s", m.ID, other.Subject)
	}

	// Resuming with the filter: only the enterprise's changes are replayed.
	patchTank(t, tw, other.Subject, 0.73)
	seq2 := patchTank(t, tw, own.Subject, 0.74)
	again := dial(t, base, "?layers=tanks&enterprise="+ent+"&since="+jsonNumber(seq), nil)
	if m := next(t, again); m.Type != "change" || m.Seq != seq2 || m.ID != own.Subject {
		t.Errorf("resumed: %s %s seq %d, want the change of %s at %d", m.Type, m.ID, m.Seq, own.Subject, seq2)
	}
}

func jsonNumber(n uint64) string { b, _ := json.Marshal(n); return string(b) }

func TestStreamUnknownEnterprise(t *testing.T) {
	base, _, _ := startServer(t)
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream?layers=sensors&enterprise=ENT-9999"
	_, res, err := websocket.DefaultDialer.Dial(url, nil)
	if err == nil || res == nil || res.StatusCode != http.StatusUnprocessableEntity {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("got %v (%d), want 422", err, status)
	}
}

func TestListByEnterprise(t *testing.T) {
	base, tw, _ := startServer(t)
	_, _, ent := twoEnterprises(t, tw)
	status, body, _ := do(t, "GET", base+"/api/v1/sensors?enterprise="+ent, "")
	if status != http.StatusOK {
		t.Fatalf("sensors: %d %s", status, body)
	}
	if d := gocmp.Diff(featureIDs(t, body), sensorsOf(tw, ent)); d != "" {
		t.Errorf("sensors of %s (-got +want):\n%s", ent, d)
	}
	status, body, _ = do(t, "GET", base+"/api/v1/tanks?enterprise="+ent, "")
	if status != http.StatusOK {
		t.Fatalf("tanks: %d %s", status, body)
	}
	for _, id := range featureIDs(t, body) {
		if tk, _ := twin.Lookup[*twin.Tank](tw.Snapshot(), id); tk.Enterprise != ent {
			t.Errorf("tank %s of %s in the list of %s", id, tk.Enterprise, ent)
		}
	}
	if status, _, _ := do(t, "GET", base+"/api/v1/alarms?enterprise="+ent, ""); status != http.StatusOK {
		t.Errorf("alarms: %d", status)
	}
	for _, u := range []string{"/api/v1/sensors?enterprise=ENT-9999", "/api/v1/roads?enterprise=" + ent} {
		if status, body, _ := do(t, "GET", base+u, ""); status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", u, status, body)
		}
	}
}
