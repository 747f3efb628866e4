package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"parktwin/web"
)

// Names with markup, as someone with a login (or a park file) may give
// them. Each would set window.__pwned if the console took it for HTML.
const (
	pwnEnterprise = `<img src=x onerror="window.__pwned=1">`
	pwnTank       = `<script>window.__pwned=2</script>`
	pwnTeam       = `<img src=x onerror="window.__pwned=3">`
	pwnVehicle    = `<img src=x onerror="window.__pwned=4">`
	pwnReporter   = `<svg onload="window.__pwned=5"></svg>`
)

// watchPolicy has every page of ctx, from its first script on, keep the
// directives it refused in window.__csp (with the refused code's first
// characters).
func watchPolicy(t *testing.T, ctx context.Context) {
	t.Helper()
	const js = `window.__csp = [];
		document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.effectiveDirective + " " + (e.sample || "")));`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		t.Fatal(err)
	}
}

// hover moves the mouse to the point (a page's {x, y}) and waits for a
// map tooltip that holds want as text.
func hover(t *testing.T, ctx context.Context, pointJS, want string) {
	t.Helper()
	cond := fmt.Sprintf(`[...document.querySelectorAll(".leaflet-tooltip")].some((e) => e.textContent.includes(%q))`, want)
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		pt := eval[map[string]float64](t, ctx, pointJS)
		if pt != nil {
			// Off and back on, a pixel aside each time: Leaflet opens a
			// canvas layer's tooltip on the mouse's way in.
			d := float64(i%3) - 1
			if err := chromedp.Do(ctx,
				chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 5, 5),
				chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pt["x"]+d, pt["y"]+d)); err != nil {
				t.Fatal(err)
			}
			if ok, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(time.Second))); err == nil && ok {
				return
			}
		}
		if time.Now().After(deadline) {
			tips := eval[[]string](t, ctx, `[...document.querySelectorAll(".leaflet-tooltip")].map((e) => e.innerHTML)`)
			t.Fatalf("hovering %s shows no tooltip with %q as text; tooltips: %q; window.__pwned = %s",
				pointJS, want, tips, eval[string](t, ctx, `String(window.__pwned)`))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestMarkupInNamesRunsNothing names an enterprise, a tank, every team
// and every vehicle, and an incident's reporter with markup, then opens
// the console: the map's tooltips (a tank's, a team's, a unit's on its way
// to the incident), the details panel, the search results and the
// incident's timeline show each name as the text it is, and none of it
// runs. A script put into the page inline is refused by the policy.
func TestMarkupInNamesRunsNothing(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	watchPolicy(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")

	// Every page and file of the console carries the policy, and says
	// its content type is to be believed.
	for _, path := range []string{"/", "/ui/app.js", "/ui/login.html", "/ui/audit.html", "/ui/drills.html", "/api/v1/park"} {
		res, err := http.Get(p.base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Content-Security-Policy"); got != web.ContentPolicy {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", path, got, web.ContentPolicy)
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", path, got)
		}
	}

	// patch sends a merge patch, with If-Match: a list is replaced whole.
	patch := func(path, body string) {
		t.Helper()
		res, err := http.Get(p.base + "/api/v1/" + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		req, _ := http.NewRequest("PATCH", p.base+"/api/v1/"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/merge-patch+json")
		req.Header.Set("If-Match", res.Header.Get("ETag"))
		if res, err = http.DefaultClient.Do(req); err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("PATCH %s: %d %s", path, res.StatusCode, b)
		}
	}
	var ents featureList
	getJSON(t, p.base+"/api/v1/enterprises", &ents)
	enterprise := ents.Features[0].ID
	patch("enterprises/"+enterprise, fmt.Sprintf(`{"properties":{"name":%q}}`, pwnEnterprise))
	// A tank and its neighbours in the same farm, which may be drawn
	// over it.
	var tanks featureList
	getJSON(t, p.base+"/api/v1/tanks", &tanks)
	tank := tanks.Features[0].ID
	farm := tank[:strings.LastIndexByte(tank, '-')+1]
	for _, f := range tanks.Features {
		if strings.HasPrefix(f.ID, farm) {
			patch("tanks/"+f.ID, fmt.Sprintf(`{"properties":{"name":%q}}`, pwnTank))
		}
	}
	var teams struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Vehicles []map[string]any `json:"vehicles"`
			} `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, p.base+"/api/v1/teams", &teams)
	for _, f := range teams.Features {
		for _, v := range f.Properties.Vehicles {
			v["name"] = pwnVehicle
		}
		vs, _ := json.Marshal(f.Properties.Vehicles)
		patch("teams/"+f.ID, fmt.Sprintf(`{"properties":{"name":%q,"vehicles":%s}}`, pwnTeam, vs))
	}
	// The fire is at another tank, so that its marker does not cover the
	// one renamed.
	burning := tanks.Features[len(tanks.Features)-1].ID
	status, b := send(t, "POST", p.base+"/api/v1/incidents",
		fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":%q}`, burning, pwnReporter))
	if status != http.StatusCreated {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)
	status, plan := send(t, "POST", p.base+"/api/v1/incidents/"+inc.ID+"/plan", "")
	if status != http.StatusOK {
		t.Fatalf("plan: %d %s", status, plan)
	}
	if status, b := send(t, "POST", p.base+"/api/v1/incidents/"+inc.ID+"/confirm", string(plan)); status != http.StatusOK {
		t.Fatalf("confirm: %d %s", status, b)
	}
	// A team that stays at its base: a dispatched one's units are drawn
	// over it there.
	var planned struct {
		Assignments []struct{ Team, Vehicle string } `json:"assignments"`
	}
	json.Unmarshal(plan, &planned)
	team := ""
	for _, f := range teams.Features {
		if !slices.ContainsFunc(planned.Assignments, func(a struct{ Team, Vehicle string }) bool { return a.Team == f.ID }) {
			team = f.ID
		}
	}
	if team == "" {
		t.Fatalf("every team is dispatched: %s", plan)
	}

	open(t, ctx, p.base+"/")
	literal := func(what, js, want string) {
		t.Helper()
		if got := eval[string](t, ctx, js); !strings.Contains(got, want) {
			t.Errorf("%s shows %q, want the name %q as text", what, got, want)
		}
	}

	// The tank: its details and its tooltip.
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, tank))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q`, tank), 10*time.Second)
	literal("the tank's details", `document.querySelector("#details").textContent`, pwnTank)
	hover(t, ctx, fmt.Sprintf(`window.parktwin.pointOf(%q)`, tank), pwnTank)

	// The team: its details and its tooltip.
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, team))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q`, team), 10*time.Second)
	literal("the team's details", `document.querySelector("#details").textContent`, pwnTeam)
	literal("the team's vehicles", `document.querySelector("#details").textContent`, pwnVehicle)
	hover(t, ctx, fmt.Sprintf(`window.parktwin.pointOf(%q)`, team), pwnTeam)

	// The enterprise, found by searching for its name.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#search"), "onerror")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#search-results li[data-id=%q]') !== null`, enterprise), 10*time.Second)
	literal("the search result", fmt.Sprintf(`document.querySelector('#search-results li[data-id=%q] .name').textContent`, enterprise), pwnEnterprise)
	click(t, ctx, fmt.Sprintf(`#search-results li[data-id=%q]`, enterprise))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q`, enterprise), 10*time.Second)
	literal("the enterprise's details", `document.querySelector("#details").textContent`, pwnEnterprise)

	// The incident: its timeline names the reporter, its units their
	// vehicles, and a unit's tooltip on the map its vehicle.
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, inc.ID))
	waitJS(t, ctx, `document.querySelector("ol.timeline .by") !== null`, 10*time.Second)
	literal("the incident's timeline", `document.querySelector("ol.timeline").textContent`, pwnReporter)
	literal("the incident's units", `document.querySelector("#details").textContent`, pwnVehicle)
	// The first unit is still at its team's base, turning out: to it.
	unit := planned.Assignments[0]
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.unitPositions()[%q] !== undefined`, unit.Vehicle), 10*time.Second)
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, unit.Team))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q`, unit.Team), 10*time.Second)
	hover(t, ctx, fmt.Sprintf(`window.parktwin.unitPoint(%q)`, unit.Vehicle), pwnVehicle)

	if n := eval[int](t, ctx, `document.querySelectorAll("#details img, #search-results img, .leaflet-tooltip img, .leaflet-tooltip script, #details svg").length`); n != 0 {
		t.Errorf("%d elements made from names' markup", n)
	}
	// The console itself needs nothing the policy refuses.
	if got := eval[[]string](t, ctx, `window.__csp`); len(got) > 0 {
		t.Errorf("the console was refused: %q", got)
	}

	// Markup that got into the page anyway runs nothing: an inline
	// script and an inline event handler are refused by the policy.
	eval[bool](t, ctx, `(() => {
		const s = document.createElement("script");
		s.textContent = "window.__inline = 1";
		document.head.append(s);
		const i = document.createElement("img");
		i.setAttribute("onerror", "window.__inline = 2");
		i.src = "/no-such-image";
		document.body.append(i);
		return true; })()`)
	waitJS(t, ctx, `window.__csp.length >= 2`, 10*time.Second)
	if got := eval[string](t, ctx, `window.__csp.map((v) => v.trim()).sort().join(" ")`); got != "script-src-attr script-src-elem" {
		t.Errorf("refused: %s, want the inline script (script-src-elem) and handler (script-src-attr)", got)
	}
	if got := eval[string](t, ctx, `String(window.__inline)`); got != "undefined" {
		t.Errorf("an inline script ran: window.__inline = %s", got)
	}
	if got := eval[string](t, ctx, `String(window.__pwned)`); got != "undefined" {
		t.Errorf("a name's markup ran: window.__pwned = %s", got)
	}
	noPageErrors(t, errs)
}
