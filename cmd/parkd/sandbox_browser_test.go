package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// send makes a request with a JSON body and returns the status and body.
func send(t *testing.T, method, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// The same console opens a sandbox at /twins/{id}/: it says it is an
// exercise, shows the sandbox's park, and follows the sandbox's changes,
// not the live park's.
func TestSandboxConsole(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	status, b := send(t, "POST", p.base+"/api/v1/twins", `{"from":"live","speed":0}`)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/twins: %d %s", status, b)
	}
	var sb struct {
		ID  string `json:"id"`
		Seq uint64 `json:"seq"`
	}
	json.Unmarshal(b, &sb)
	open(t, ctx, p.base+"/twins/"+sb.ID+"/")
	banner := eval[string](t, ctx, `(() => { const b = document.querySelector("#exercise-banner"); return b.hidden ? "" : b.textContent; })()`)
	if !strings.Contains(banner, sb.ID) {
		t.Errorf("exercise banner %q does not name %s", banner, sb.ID)
	}
	if got := eval[string](t, ctx, `document.querySelector("#status-seq").textContent`); got != fmt.Sprint(sb.Seq) {
		t.Errorf("the page shows seq %s, the sandbox is at %d", got, sb.Seq)
	}
	// A change in the live park does not reach the sandbox's page; one in
	// the sandbox does.
	var tanks struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	json.Unmarshal(get(t, p.base+"/api/v1/tanks"), &tanks)
	tank := tanks.Features[0].ID
	if status, b := send(t, "PATCH", p.base+"/api/v1/tanks/"+tank, `{"properties":{"maxFill":0.71}}`); status != 200 {
		t.Fatalf("live PATCH: %d %s", status, b)
	}
	if status, b := send(t, "PATCH", p.base+"/api/v1/twins/"+sb.ID+"/tanks/"+tank, `{"properties":{"maxFill":0.62}}`); status != 200 {
		t.Fatalf("sandbox PATCH: %d %s", status, b)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#status-seq").textContent === %q`, fmt.Sprint(sb.Seq+1)), 10*time.Second)
	if got := eval[float64](t, ctx, fmt.Sprintf(`window.parktwin.feature("tanks", %q).properties.maxFill`, tank)); got != 0.62 {
		t.Errorf("the sandbox's page shows maxFill %v, want the sandbox's 0.62", got)
	}
}
