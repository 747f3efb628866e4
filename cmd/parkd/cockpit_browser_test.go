package main

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// cockpitFigures is the part of GET /api/v1/cockpit the test compares.
type cockpitFigures struct {
	Alarms []struct {
		Day                       string
		Red, Orange, Yellow, Blue int
	} `json:"alarms"`
	Orders struct {
		Total, Closed int
	} `json:"orders"`
	EnterprisesByCode  map[string]int `json:"enterprisesByCode"`
	EnterprisesByGrade map[string]int `json:"enterprisesByGrade"`
	HazardUnits        map[string]int `json:"hazardUnits"`
	OpenIncidents      int            `json:"openIncidents"`
	Readiness          []struct {
		Warehouse string
		Percent   float64
	} `json:"readiness"`
}

// The statistics page draws the demo park's figures as the API gives
// them — each slice of the safety-code and grade donuts, each level of
// the hazard units, each warehouse's readiness, today's alarms — and an
// alarm raised through the ingest route raises today's bar without a
// reload.
func TestCockpitInTheConsole(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	navigate(t, ctx, p.base+"/ui/cockpit.html")
	waitJS(t, ctx, `window.parktwin && window.parktwin.cockpit && window.parktwin.cockpit.ready`, 30*time.Second)

	var f cockpitFigures
	if status := getJSON(t, p.base+"/api/v1/cockpit", &f); status != 200 {
		t.Fatalf("GET /cockpit: %d", status)
	}
	drawn := func(sel, attr string) string {
		t.Helper()
		return eval[string](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.getAttribute(%q) : "absent"; })()`, sel, attr))
	}
	check := func(sel, attr string, want int) {
		t.Helper()
		if want == 0 {
			if got := drawn(sel, attr); got != "absent" && got != "0" {
				t.Errorf("%s %s: drawn %s, the API 0", sel, attr, got)
			}
			return
		}
		if got := drawn(sel, attr); got != fmt.Sprint(want) {
			t.Errorf("%s %s: drawn %s, the API %d", sel, attr, got, want)
		}
	}
	enterprises := 0
	for code, n := range f.EnterprisesByCode {
		enterprises += n
		check(fmt.Sprintf(`#chart-codes path[data-series=%q]`, code), "data-value", n)
	}
	check(`#chart-codes svg`, "data-total", enterprises)
	for grade, n := range f.EnterprisesByGrade {
		check(fmt.Sprintf(`#chart-grades path[data-series=%q]`, grade), "data-value", n)
	}
	graded := 0
	for level, n := range f.HazardUnits {
		check(fmt.Sprintf(`#chart-units g[data-category=%q]`, level), "data-value", n)
		if level != "none" {
			graded += n
		}
	}
	if enterprises == 0 || graded == 0 || len(f.Readiness) == 0 {
		t.Errorf("the demo park's figures are empty: %d enterprises, %d graded units, %d warehouses", enterprises, graded, len(f.Readiness))
	}
	for _, r := range f.Readiness {
		if got := drawn(fmt.Sprintf(`#chart-readiness g[data-category=%q]`, r.Warehouse), "data-value"); got != fmt.Sprint(r.Percent) {
			t.Errorf("%s readiness drawn %s, the API %v", r.Warehouse, got, r.Percent)
		}
	}
	if got := eval[string](t, ctx, `document.querySelector("#kpi-open-incidents").textContent`); got != fmt.Sprint(f.OpenIncidents) {
		t.Errorf("open incidents shown %s, the API %d", got, f.OpenIncidents)
	}
	today := f.Alarms[len(f.Alarms)-1]
	total := today.Red + today.Orange + today.Yellow + today.Blue
	todaySel := fmt.Sprintf(`#chart-alarms g[data-category=%q]`, today.Day)
	check(todaySel, "data-total", total)

	// An alarm raised through the ingest route: today's bar rises, the
	// page not reloaded.
	eval[bool](t, ctx, `(window.__notReloaded = true)`)
	sensor, _, hh := sensorOf(t, p)
	if status, b := postReadings(t, p, gatewayToken(t, p), oneReading(sensor, hh+5)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	waitJS(t, ctx, fmt.Sprintf(`Number(document.querySelector(%q).getAttribute("data-total")) > %d`, todaySel, total), 10*time.Second)
	if status := getJSON(t, p.base+"/api/v1/cockpit", &f); status != 200 {
		t.Fatal(status)
	}
	today = f.Alarms[len(f.Alarms)-1]
	waitJS(t, ctx, fmt.Sprintf(`Number(document.querySelector(%q).getAttribute("data-total")) === %d`, todaySel,
		today.Red+today.Orange+today.Yellow+today.Blue), 10*time.Second)
	if !eval[bool](t, ctx, `window.__notReloaded === true`) {
		t.Error("the page was reloaded")
	}
	if got := eval[string](t, ctx, `document.querySelector("#kpi-alarms-today").textContent`); got != fmt.Sprint(today.Red+today.Orange+today.Yellow+today.Blue) {
		t.Errorf("alarms today shown %s", got)
	}

	click(t, ctx, "#lang-toggle")
	waitJS(t, ctx, `document.querySelector("#topbar h1").textContent === "Cockpit"`, 5*time.Second)
	if raw := eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter((e) => e.children.length === 0 && /^(cockpit|enum)\./.test(e.textContent)).map((e) => e.textContent).join()`); raw != "" {
		t.Errorf("untranslated keys on the page: %s", raw)
	}
	if zh := eval[string](t, ctx, `[...document.querySelectorAll("[data-i18n]:not(#lang-toggle), th, .chart-legend li, svg.chart .tick, svg.chart .caption")].map((e) => e.textContent).filter((s) => /[\u4e00-\u9fff]/.test(s) && !/[\u4e00-\u9fff]{2,}(库|公司)/.test(s)).join(" | ")`); zh != "" {
		t.Errorf("Chinese labels in the English page: %s", zh)
	}
	noPageErrors(t, errs)
}
