package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The live park, the operator's wind put (2 m/s from 35°), a chlorine
// release entered on the demo park's chlorine tank T-101 (TNK-0013-01):
// the console draws the incident's zones and the wind arrow; the plan's
// staging point is drawn, upwind, with its reason; the wind turned by 90°
// redraws the zones (the stream's zones layer) and a new plan stages
// elsewhere.
func TestZonesOnTheMap(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	putWind := func(from float64) {
		t.Helper()
		body := fmt.Sprintf(`{"windFromDeg":%v,"windSpeedMS":2,"temperatureC":4,"cloudOktas":2,"note":"browser test"}`, from)
		if status, b := send(t, "PUT", p.base+"/api/v1/weather", body); status != http.StatusOK {
			t.Fatalf("PUT /api/v1/weather: %d %s", status, b)
		}
	}
	putWind(35)
	status, b := send(t, "POST", p.base+"/api/v1/incidents",
		`{"type":"toxic-release","entity":"TNK-0013-01","level":"II","reporter":"值班员"}`)
	if status != http.StatusCreated {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)
	if status, b := send(t, "POST", p.base+"/api/v1/incidents/"+inc.ID+"/release",
		`{"holeDiameterMM":25,"phase":"liquid","durationS":1800,"note":"T-101 bottom valve"}`); status != http.StatusOK {
		t.Fatalf("release: %d %s", status, b)
	}

	open(t, ctx, p.base+"/")
	id := inc.ID
	// The zones are drawn: the ERG isolation circle, the protective action
	// area and the toxic footprints, the hot ones among them.
	waitJS(t, ctx, fmt.Sprintf(`(() => { const z = window.parktwin.zones()[%q] || [];
		return z.some((x) => x.kind === "isolation" && x.hot && x.drawn) && z.some((x) => x.kind === "toxic" && x.drawn)
			&& z.some((x) => x.kind === "protective-action" && x.drawn); })()`, id), 20*time.Second)
	if n := eval[int](t, ctx, `window.parktwin.zoneCount()`); n < 3 {
		t.Errorf("%d zone polygons drawn", n)
	}
	waitJS(t, ctx, `(() => { const w = window.parktwin.wind(); return w !== null && w.fromDeg === 35 && w.speedMS === 2; })()`, 10*time.Second)
	pad := func() []float64 {
		return eval[[]float64](t, ctx, fmt.Sprintf(`window.parktwin.zones()[%q].find((x) => x.kind === "protective-action").centre`, id))
	}
	before := pad()

	// The incident's panel lists the zones and the evacuation list; its
	// plan shows the staging point, upwind, and draws it.
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, id))
	waitJS(t, ctx, `document.querySelector("#zones-panel") !== null && document.querySelectorAll("#zones-panel tr[data-zone]").length >= 3`, 10*time.Second)
	waitJS(t, ctx, `document.querySelector("#plan-button") !== null`, 10*time.Second)
	staging := func() []float64 {
		t.Helper()
		eval[bool](t, ctx, `(window.__lastPlan = window.parktwin.planShown(), true)`)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#plan-button"))); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `(() => { const p = window.parktwin.planShown(); return p !== null && p !== window.__lastPlan && p.staging
			&& window.parktwin.stagingShown() !== null && document.querySelector("#plan-staging") !== null; })()`, 15*time.Second)
		side := eval[string](t, ctx, `window.parktwin.planShown().staging.side`)
		if side != "upwind" {
			t.Errorf("staging %s of the wind", side)
		}
		shown := eval[[]float64](t, ctx, `window.parktwin.stagingShown()`)
		planned := eval[[]float64](t, ctx, `window.parktwin.planShown().staging.point`)
		if len(shown) != 2 || shown[0] != planned[0] || shown[1] != planned[1] {
			t.Errorf("staging drawn at %v, planned at %v", shown, planned)
		}
		return planned
	}
	first := staging()

	// The wind turns by 90°: the zones are redrawn, and the next plan
	// stages elsewhere.
	putWind(125)
	waitJS(t, ctx, `(() => { const w = window.parktwin.wind(); return w !== null && w.fromDeg === 125; })()`, 10*time.Second)
	waitJS(t, ctx, fmt.Sprintf(`(() => { const z = (window.parktwin.zones()[%q] || []).find((x) => x.kind === "protective-action");
		return z && z.centre && (Math.abs(z.centre[0] - %v) > 1e-4 || Math.abs(z.centre[1] - %v) > 1e-4); })()`, id, before[0], before[1]), 20*time.Second)
	after := pad()
	if after[0] == before[0] && after[1] == before[1] {
		t.Errorf("the protective action area did not move: %v", after)
	}
	second := staging()
	if second[0] == first[0] && second[1] == first[1] {
		t.Errorf("the wind turned and the staging stayed at %v", second)
	}
	// A reason says what changed.
	if notes := eval[string](t, ctx, `(window.parktwin.planShown().notes || []).join(" | ")`); !containsAll(notes, "since the last plan", "staging moved") {
		t.Errorf("the plan does not say what changed: %s", notes)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
