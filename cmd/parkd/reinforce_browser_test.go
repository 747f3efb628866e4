package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// incidentOnServer is what the tests read of an incident from the API.
type incidentOnServer struct {
	Properties struct {
		State       string
		Level       string
		Assignments []struct {
			Team, Vehicle, State string
		}
	} `json:"properties"`
}

func (inc incidentOnServer) active() []string {
	var out []string
	for _, a := range inc.Properties.Assignments {
		if a.State != "released" {
			out = append(out, a.Vehicle)
		}
	}
	return out
}

// A dispatcher's incident through the page, all by its buttons: reported
// from the map, planned, confirmed; raised to level II and reinforced
// (增援) with the extra units only; printed as the dispatch order (调度单);
// one unit released (释放), available again. Guards issue 14's
// reinforcement, release and plan panel in the console.
func TestReinforceAndReleaseInThePage(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")
	click := func(sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	server := func(id string) incidentOnServer {
		t.Helper()
		return incidentAt(t, p, id)
	}
	until := func(what string, id string, ok func(incidentOnServer) bool) incidentOnServer {
		t.Helper()
		return incidentUntil(t, p, what, id, ok)
	}
	// window.print opens the browser's dialog; the test reads the print
	// view with the print media emulated instead.
	eval[bool](t, ctx, `(() => { window.__printed = 0; window.print = () => { window.__printed++; }; return true; })()`)

	id := reportFromMap(t, ctx, "pool-fire", "III")

	// The first plan: its head is the response target, then the units.
	waitJS(t, ctx, `document.querySelector("#plan-button") !== null`, 10*time.Second)
	click("#plan-button")
	waitJS(t, ctx, `window.parktwin.planShown() !== null && document.querySelector("#plan-target") !== null`, 10*time.Second)
	if order := eval[bool](t, ctx, `(() => { const p = document.querySelector("#plan-panel");
		const tg = p.querySelector("#plan-target"), units = p.querySelector("table.plan-assign");
		return !!units && !!(tg.compareDocumentPosition(units) & Node.DOCUMENT_POSITION_FOLLOWING); })()`); !order {
		t.Error("the plan panel does not show the response target before the units")
	}
	if wide := eval[bool](t, ctx, `(() => { const d = document.querySelector("#details"); return d.scrollWidth <= d.clientWidth + 1; })()`); !wide {
		t.Error("the plan panel scrolls sideways")
	}
	click("#confirm-button")
	first := until("after the first confirm", id, func(inc incidentOnServer) bool { return inc.Properties.State == "dispatched" })
	sent := first.active()

	// 增援: level II chosen, asked again; the plan proposes only the extra units.
	waitJS(t, ctx, `document.querySelector("#reinforce-button") !== null`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#reinforce-level`), "II")); err != nil {
		t.Fatal(err)
	}
	click("#reinforce-button")
	waitJS(t, ctx, `(() => { const p = window.parktwin.planShown(); return p !== null && !!p.reinforcement; })()`, 10*time.Second)
	var plan struct {
		Assignments []struct{ Team, Vehicle string }
		Shortfalls  []struct{ What string }
	}
	if err := json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(window.parktwin.planShown())`)), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.Assignments) == 0 {
		t.Fatal("raising III to II proposes no unit")
	}
	for _, a := range plan.Assignments {
		if slices.Contains(sent, a.Vehicle) {
			t.Errorf("the reinforcement proposes %s again", a.Vehicle)
		}
	}
	for _, sf := range plan.Shortfalls {
		if sf.What == "vehicle foam-tender" || sf.What == "vehicle water-tender" {
			t.Errorf("false shortfall %q in the reinforcement", sf.What)
		}
	}
	if got := server(id).Properties.Level; got != "II" {
		t.Errorf("the level on the server is %q after 增援 at II", got)
	}

	// The reinforcement prints as the dispatch order, its units listed.
	click("#print-button")
	waitJS(t, ctx, `window.__printed === 1 && document.querySelector("#dispatch-order") !== null`, 10*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	var printed struct {
		Heading string
		Units   []string
		Shown   bool
		MapGone bool
		Signs   int
	}
	js := `JSON.stringify((() => { const o = document.querySelector("#dispatch-order");
		return { heading: o.querySelector("h1").textContent,
			units: [...o.querySelectorAll("table.units tr[data-vehicle]")].map((tr) => tr.dataset.vehicle),
			shown: getComputedStyle(o).display !== "none",
			mapGone: getComputedStyle(document.querySelector("#main")).display === "none",
			signs: o.querySelectorAll(".signatures .sign").length }; })())`
	if err := json.Unmarshal([]byte(eval[string](t, ctx, js)), &printed); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range plan.Assignments {
		want = append(want, a.Vehicle)
	}
	if printed.Heading != "调度单" || !slices.Equal(printed.Units, want) || !printed.Shown || !printed.MapGone || printed.Signs != 2 {
		t.Errorf("the print view: %+v, want the heading 调度单, units %v, shown alone, two signatures", printed, want)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}

	click("#confirm-button")
	more := until("after the reinforcement", id, func(inc incidentOnServer) bool { return len(inc.active()) == len(sent)+len(plan.Assignments) })

	// 释放: the first unit's button frees it.
	vehicle := more.Properties.Assignments[0].Vehicle
	sel := `button[data-release="` + vehicle + `"]`
	waitJS(t, ctx, `document.querySelector('`+sel+`') !== null`, 10*time.Second)
	click(sel)
	after := until("after the release", id, func(inc incidentOnServer) bool { return !slices.Contains(inc.active(), vehicle) })
	if after.Properties.State != "dispatched" {
		t.Errorf("the incident is %s after one release", after.Properties.State)
	}
	var team struct {
		Properties struct {
			Vehicles []struct{ ID, Status string }
		} `json:"properties"`
	}
	json.Unmarshal(get(t, p.base+"/api/v1/teams/"+more.Properties.Assignments[0].Team), &team)
	for _, v := range team.Properties.Vehicles {
		if v.ID == vehicle && v.Status != "available" {
			t.Errorf("released %s is %s", vehicle, v.Status)
		}
	}
	waitJS(t, ctx, `document.querySelector('`+sel+`') === null`, 10*time.Second)

	// The incident's own dispatch order lists the units still sent.
	click("#print-incident-order")
	waitJS(t, ctx, `window.__printed === 2`, 10*time.Second)
	units := eval[[]string](t, ctx, `[...document.querySelectorAll("#dispatch-order table.units tr[data-vehicle]")].map((tr) => tr.dataset.vehicle)`)
	if want := after.active(); !slices.Equal(units, want) {
		t.Errorf("the incident's dispatch order lists %v, want the units still sent %v", units, want)
	}
}

// An equipment line put on a vehicle in the plan (随车) comes back to its
// warehouse when that vehicle is released from the page.
func TestCarriedEquipmentComesBackWithItsVehicle(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")
	var tanks struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct{ Type string }
		}
	}
	json.Unmarshal(get(t, p.base+"/api/v1/tanks"), &tanks)
	i := slices.IndexFunc(tanks.Features, func(f struct {
		ID         string `json:"id"`
		Properties struct{ Type string }
	}) bool {
		return f.Properties.Type == "external-floating-roof"
	})
	if i < 0 {
		t.Fatal("no floating-roof tank")
	}
	status, b := send(t, "POST", p.base+"/api/v1/incidents", `{"type":"flammable-leak","entity":"`+tanks.Features[i].ID+`","level":"II","reporter":"值班员"}`)
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)
	waitJS(t, ctx, `window.parktwin.incidents().length === 1`, 10*time.Second)
	eval[bool](t, ctx, `(window.parktwin.select("`+inc.ID+`"), true)`)
	waitJS(t, ctx, `document.querySelector("#plan-button") !== null`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#plan-button"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#plan-panel select.carrier") !== null`, 10*time.Second)
	vehicle := eval[string](t, ctx, `window.parktwin.planShown().assignments[0].vehicle`)
	eval[bool](t, ctx, `(() => { const s = document.querySelector("#plan-panel select.carrier");
		s.value = "`+vehicle+`"; s.dispatchEvent(new Event("change")); return true; })()`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#confirm-button"))); err != nil {
		t.Fatal(err)
	}
	type line struct{ Type, Vehicle, State string }
	lines := func() []line {
		var f struct {
			Properties struct{ Equipment []line } `json:"properties"`
		}
		json.Unmarshal(get(t, p.base+"/api/v1/incidents/"+inc.ID), &f)
		return f.Properties.Equipment
	}
	carried := func() (line, bool) {
		for _, l := range lines() {
			if l.Vehicle == vehicle {
				return l, true
			}
		}
		return line{}, false
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := carried(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line on %s after the confirm: %+v", vehicle, lines())
		}
		time.Sleep(50 * time.Millisecond)
	}
	sel := `button[data-release="` + vehicle + `"]`
	waitJS(t, ctx, `document.querySelector('`+sel+`') !== null`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		l, _ := carried()
		if l.State == "returned" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the line on %s after its release: %+v", vehicle, lines())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, l := range lines() {
		if l.Vehicle == "" && l.State == "returned" {
			t.Errorf("a line on no vehicle came back with %s: %+v", vehicle, l)
		}
	}
}
