package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/web"
	"parktwin/web/auth"
)

// readinessMsg is a readiness message as a console reads it.
type readinessMsg struct {
	Type      string         `json:"type"`
	Seq       uint64         `json:"seq"`
	Layer     string         `json:"layer"`
	ID        string         `json:"id"`
	Op        string         `json:"op"`
	Readiness twin.Readiness `json:"readiness"`
}

func readyOf(r twin.Readiness, typ string) (twin.TypeReadiness, bool) {
	for _, tr := range r.Types {
		if tr.Type == typ {
			return tr, true
		}
	}
	return twin.TypeReadiness{}, false
}

// The readiness layer: every warehouse's readiness in the snapshot, a
// message for the warehouse a ledger entry changed (and none for the
// others), stamped with the entry's seq and replayed at it; an issue
// brings the type's percent down again. An enterprise user may not read
// it. The heartbeat (which also looks for the day's turn) is an hour
// away, so every message here comes from the entries themselves.
func TestStreamReadinessLayer(t *testing.T) {
	base, tw, _ := startServerWith(t, web.StreamConfig{Heartbeat: time.Hour})
	conn := dial(t, base, "?layers=readiness", nil)
	snap := next(t, conn)
	var layers struct {
		Readiness struct{ Warehouses []twin.Readiness }
	}
	if err := json.Unmarshal(snap.Layers, &layers); err != nil || len(layers.Readiness.Warehouses) == 0 {
		t.Fatalf("snapshot's readiness: %v %.300s", err, snap.Layers)
	}
	var before twin.Readiness
	for _, r := range layers.Readiness.Warehouses {
		if r.Warehouse == "WH-02" {
			before = r
		}
	}
	scba, ok := readyOf(before, "scba")
	if !ok || scba.Minimum == 0 {
		t.Fatalf("WH-02's scba in the snapshot: %+v", before.Types)
	}

	var serials []string
	for i := range 3 {
		serials = append(serials, fmt.Sprintf("RDY-%03d", i))
	}
	yesterday := tw.Clock().Now().AddDate(0, 0, -1).Format(time.DateOnly)
	body := `{"op":"receive","type":"scba","serials":["` + strings.Join(serials, `","`) + `"],"from":"供应商",` +
		`"tested":{"monthly":"` + yesterday + `","service":"` + yesterday + `"}}`
	if st, b, _ := do(t, "POST", base+"/api/v1/warehouses/WH-02/ledger", body); st != 201 {
		t.Fatalf("receipt: %d %s", st, b)
	}
	var got readinessMsg
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := conn.ReadJSON(&got); err != nil {
		t.Fatal(err)
	}
	after, _ := readyOf(got.Readiness, "scba")
	if got.Type != "readiness" || got.Layer != "readiness" || got.ID != "WH-02" || got.Op != "updated" || after.Ready != scba.Ready+3 {
		t.Fatalf("after the receipt: %+v, scba %+v (before %+v)", got, after, scba)
	}
	if want := min(100, float64(int64(1000*after.Ready/after.Minimum+0.5))/10); after.Percent != want {
		t.Errorf("scba percent %v, want %v", after.Percent, want)
	}
	if seq := tw.Snapshot().Seq(); got.Seq != seq {
		t.Errorf("readiness at seq %d, the entry's %d", got.Seq, seq)
	}
	conn.Close()

	// Resumed at the entry's seq: the message again, and then an issue's.
	conn = dial(t, base, fmt.Sprintf("?layers=readiness&since=%d", got.Seq), nil)
	var again readinessMsg
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := conn.ReadJSON(&again); err != nil || again.Type != "readiness" || again.ID != "WH-02" || again.Seq != got.Seq {
		t.Fatalf("resume at %d: %+v %v", got.Seq, again, err)
	}
	if st, b, _ := do(t, "POST", base+"/api/v1/warehouses/WH-02/ledger", `{"op":"issue","type":"scba","serials":["RDY-000","RDY-001"],"to":"TEAM-03"}`); st != 201 {
		t.Fatalf("issue: %d %s", st, b)
	}
	var issued readinessMsg
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := conn.ReadJSON(&issued); err != nil {
		t.Fatal(err)
	}
	if tr, _ := readyOf(issued.Readiness, "scba"); issued.ID != "WH-02" || tr.Ready != after.Ready-2 || issued.Seq <= got.Seq {
		t.Errorf("after the issue: %+v, scba %+v", issued, tr)
	}

	// Not an enterprise user's.
	_, _, ent := twoEnterprises(t, tw)
	tok := roleToken(t, base, auth.NewToken{Name: "企业安全员", Role: auth.Enterprise, Enterprise: ent})
	as := http.Header{"Authorization": {"Bearer " + tok}}
	if _, res, err := wsDial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/stream?layers=readiness", as); err == nil || res.StatusCode != 403 {
		t.Errorf("the readiness layer for an enterprise user: %v", err)
	}
	ec := dial(t, base, "", as)
	var el map[string]json.RawMessage
	json.Unmarshal(next(t, ec).Layers, &el)
	if _, ok := el["readiness"]; ok {
		t.Errorf("an enterprise user's snapshot holds readiness")
	}
}
