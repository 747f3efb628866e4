package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"parktwin/twin"
)

// doIf is do with an If-Match header.
func doIf(t *testing.T, method, url, ifMatch, body string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

// Every entity GET carries an ETag (its version); If-Match makes PATCH,
// PUT and DELETE refuse with 412 what was based on an older version, and
// the refusal changes nothing. This is the REST face of "no lost update".
func TestETagIfMatch(t *testing.T) {
	base, tw, _ := startServer(t)
	tank := firstID[*twin.Tank](tw)
	url := base + "/api/v1/tanks/" + tank
	_, feature, h := do(t, "GET", url, "")
	v1 := h.Get("ETag")
	if want := fmt.Sprintf(`"%d"`, tw.Snapshot().Version(twin.KindTank, tank)); v1 != want {
		t.Fatalf("ETag %s, want %s", v1, want)
	}

	// Someone else changes the tank: v1 is stale now.
	status, _, h := doIf(t, "PATCH", url, v1, `{"properties":{"maxFill":0.81}}`)
	v2 := h.Get("ETag")
	if status != 200 || v2 == v1 || v2 == "" {
		t.Fatalf("PATCH with the current ETag: %d, ETag %s after %s", status, v2, v1)
	}
	seq := tw.Snapshot().Seq()
	stale := []struct{ method, ifMatch, body string }{
		{"PATCH", v1, `{"properties":{"maxFill":0.5}}`},
		{"PUT", v1, string(feature)},
		{"DELETE", v1, ""},
	}
	for _, c := range stale {
		if status, b, _ := doIf(t, c.method, url, c.ifMatch, c.body); status != http.StatusPreconditionFailed || !strings.Contains(string(b), "precondition_failed") {
			t.Errorf("%s with a stale If-Match: %d %s, want 412", c.method, status, b)
		}
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refused requests moved seq from %d to %d", seq, got)
	}

	// PUT must say what it replaces; with the current ETag it applies.
	if status, b, _ := doIf(t, "PUT", url, "", string(feature)); status != http.StatusPreconditionRequired {
		t.Errorf("PUT without If-Match: %d %s, want 428", status, b)
	}
	if status, b, _ := doIf(t, "PUT", url, "*", string(feature)); status != http.StatusPreconditionRequired {
		t.Errorf("PUT with If-Match *: %d %s, want 428", status, b)
	}
	// Strong comparison (RFC 9110 §8.8.3.2): a weak tag, or the right
	// number spelt otherwise, matches nothing.
	for _, tag := range []string{"W/" + v2, `"0` + strings.Trim(v2, `"`) + `"`} {
		if status, b, _ := doIf(t, "PATCH", url, tag, `{"properties":{"maxFill":0.5}}`); status != http.StatusPreconditionFailed {
			t.Errorf("PATCH with If-Match %s: %d %s, want 412", tag, status, b)
		}
	}
	if status, b, _ := doIf(t, "PATCH", url, "current", `{"properties":{"maxFill":0.5}}`); status != http.StatusBadRequest {
		t.Errorf("PATCH with If-Match that is no entity tag: %d %s, want 400", status, b)
	}
	// A list matches when any of its tags does.
	status, b, h := doIf(t, "PATCH", url, v1+", "+v2, `{"properties":{"maxFill":0.82}}`)
	if status != 200 {
		t.Fatalf("PATCH with If-Match %s, %s: %d %s", v1, v2, status, b)
	}
	v2 = h.Get("ETag")
	status, b, h = doIf(t, "PUT", url, v2, string(feature))
	if status != 200 || featureProp(t, b, "maxFill") != featureProp(t, feature, "maxFill") {
		t.Fatalf("PUT with the current ETag: %d %s", status, b)
	}
	v3 := h.Get("ETag")

	// A PATCH that changes nothing is answered and journals nothing.
	seq = tw.Snapshot().Seq()
	_, cur, _ := do(t, "GET", url, "")
	fill := featureProp(t, cur, "maxFill")
	status, _, h = doIf(t, "PATCH", url, "", fmt.Sprintf(`{"properties":{"maxFill":%v}}`, fill))
	if status != 200 || h.Get("ETag") != v3 || tw.Snapshot().Seq() != seq {
		t.Errorf("no-op PATCH: %d, ETag %s (want %s), seq %d → %d", status, h.Get("ETag"), v3, seq, tw.Snapshot().Seq())
	}

	// DELETE with the current ETag goes through to the park's own rules
	// (a tank referred to by nothing may go).
	status, b, _ = doIf(t, "DELETE", url, v3, "")
	if status != http.StatusNoContent && status != http.StatusConflict {
		t.Errorf("DELETE with the current ETag: %d %s", status, b)
	}
}

// A deleted ID is never given again: a sensor made after a delete gets a
// new ID, and creating the old one by name is refused.
func TestDeletedIDNotReused(t *testing.T) {
	base, tw, _ := startServer(t)
	var s *twin.Sensor
	for x := range twin.All[*twin.Sensor](tw.Snapshot()) {
		s = x
	}
	_, feature, _ := do(t, "GET", base+"/api/v1/sensors/"+s.ID, "")
	if status, b, _ := do(t, "DELETE", base+"/api/v1/sensors/"+s.ID, ""); status != http.StatusNoContent {
		t.Fatalf("DELETE %s: %d %s", s.ID, status, b)
	}
	if status, b, _ := do(t, "POST", base+"/api/v1/sensors", string(feature)); status != http.StatusConflict {
		t.Errorf("re-create %s: %d %s, want 409", s.ID, status, b)
	}
	anon := strings.Replace(string(feature), `"id":"`+s.ID+`",`, "", 1)
	status, b, h := do(t, "POST", base+"/api/v1/sensors", anon)
	if status != http.StatusCreated || strings.HasSuffix(h.Get("Location"), "/"+s.ID) {
		t.Errorf("create without an ID after deleting %s: %d %s at %s", s.ID, status, b, h.Get("Location"))
	}
}

// A merge patch replaces a list whole (RFC 7386): a team's vehicles or a
// warehouse's stock patched from an old copy would erase what changed
// since. Such a patch must carry If-Match; a stale one is refused.
func TestListPatchNeedsIfMatch(t *testing.T) {
	base, tw, _ := startServer(t)
	tm := firstID[*twin.Team](tw)
	url := base + "/api/v1/teams/" + tm
	_, b, h := do(t, "GET", url, "")
	var f struct {
		Properties struct {
			Vehicles json.RawMessage `json:"vehicles"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	patch := `{"properties":{"vehicles":` + string(f.Properties.Vehicles) + `,"phone":"13900000000"}}`
	seq := tw.Snapshot().Seq()
	if status, b, _ := doIf(t, "PATCH", url, "", patch); status != http.StatusPreconditionRequired || !strings.Contains(string(b), "properties.vehicles") {
		t.Errorf("list patch without If-Match: %d %s, want 428 naming the list", status, b)
	}
	if tw.Snapshot().Seq() != seq {
		t.Errorf("a refused patch moved seq")
	}
	// Someone changes the team; the old copy's patch is now stale.
	if status, b, _ := do(t, "PATCH", url, `{"properties":{"phone":"13900000001"}}`); status != 200 {
		t.Fatalf("phone patch: %d %s", status, b)
	}
	if status, b, _ := doIf(t, "PATCH", url, h.Get("ETag"), patch); status != http.StatusPreconditionFailed {
		t.Errorf("stale list patch: %d %s, want 412", status, b)
	}
	_, _, h = do(t, "GET", url, "")
	if status, b, _ := doIf(t, "PATCH", url, h.Get("ETag"), patch); status != 200 {
		t.Errorf("list patch with the current ETag: %d %s", status, b)
	}
	// A warehouse's stock is a list too, but it is never patched at all
	// (TestLedgerAPI): 409 pointing to its ledger, whatever the If-Match.
}
