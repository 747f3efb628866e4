package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/web/auth"
)

// A keeper's 1e308 received twice made the stock +Inf: the stock, the
// readiness and every default stream closed with 1011 (JSON cannot give
// +Inf). Each post is refused on its quantity, and all three stay up.
func TestHugeQuantityRefused(t *testing.T) {
	base, tw, _ := startServer(t)
	var wh string
	for w := range twin.All[*twin.Warehouse](tw.Snapshot()) {
		wh = w.ID
		break
	}
	k := roleToken(t, base, auth.NewToken{Name: "库管A", Role: auth.Keeper, Warehouses: []string{wh}})
	h := http.Header{"Authorization": {"Bearer " + k}}
	seq := tw.Snapshot().Seq()
	for _, body := range []string{
		`{"op":"receive","type":"absorbent","quantity":1e308}`,
		`{"op":"receive","type":"absorbent","quantity":1e308}`,
		`[{"op":"receive","type":"absorbent","quantity":1e308},{"op":"receive","type":"absorbent","quantity":1e308}]`,
		`{"op":"receive","type":"foam-afff-3","quantity":10000001}`,
	} {
		st, b, _ := doWith(t, "POST", base+"/api/v1/warehouses/"+wh+"/ledger", body, h)
		if st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "quantity") {
			t.Errorf("POST %s: %d %s, want 422 naming the quantity", body, st, b)
		}
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refusals changed the park: seq %d, was %d", got, seq)
	}
	for _, p := range []string{"/api/v1/warehouses/" + wh + "/stock", "/api/v1/readiness", "/api/v1/warehouses"} {
		if st, b, _ := doWith(t, "GET", base+p, "", nil); st != http.StatusOK {
			t.Errorf("GET %s: %d %.200s", p, st, b)
		}
	}
	c, _, err := wsDial(strings.Replace(base, "http", "ws", 1)+"/api/v1/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, m, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	var snap struct{ Type string }
	if err := json.Unmarshal(m, &snap); err != nil || snap.Type != "snapshot" {
		t.Errorf("stream's first message: %v %.100s", err, m)
	}
}
