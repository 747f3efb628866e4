package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The warehouse's details in the console show what its ledger leaves:
// two SCBA sets issued to a team come off the ready count and show as
// out when the details are opened again.
func TestWarehouseStockInTheConsole(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")
	readyOf := func() (string, string) {
		t.Helper()
		eval[bool](t, ctx, `(() => { window.parktwin.select("TEAM-01"); window.parktwin.select("WH-01"); return true; })()`)
		waitJS(t, ctx, `(() => { const s = document.querySelector("#stock-section"); return s && s.dataset.loaded === "true" && s.querySelector("tr[data-type=scba]") !== null; })()`, 10*time.Second)
		cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#stock-section tr[data-type=scba] td")].map((td) => td.textContent)`)
		return cells[1], cells[2]
	}
	before, outBefore := readyOf()
	if outBefore != "0" {
		t.Fatalf("scba out before the issue: %q", outBefore)
	}
	res, err := http.Post(p.base+"/api/v1/warehouses/WH-01/ledger", "application/json",
		strings.NewReader(`{"op":"issue","type":"scba","quantity":2,"to":"TEAM-01","reason":"训练"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("issue: %d", res.StatusCode)
	}
	after, out := readyOf()
	if after == before || out != "2" {
		t.Errorf("scba ready %q → %q, out %q: want two fewer ready and 2 out", before, after, out)
	}
	t.Logf("scba ready %s → %s", before, after)
}
