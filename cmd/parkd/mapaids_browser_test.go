package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// An incident reported through the API while the console is open cannot be
// missed: a pulsing ring at it, the banner naming it by its tank's name
// (never its raw ID), a beep counted; after a reload the name is still the
// tank's. The mute button toggles and is remembered over the reload; the
// scale bar is drawn; an enterprise is labelled close in and not far out;
// a search result and the banner fly the map to their thing.
func TestIncidentAlertLabelsAndFlying(t *testing.T) {
	// The browser lets the page sound without a gesture: a beep counts
	// only when it sounds (TestSoundBlockedUntilAGesture holds it back).
	ctx := browserWith(t, chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")

	// The ready signal cmd/consoleload waits for: ms from navigation start.
	if ms := eval[float64](t, ctx, `Number(document.body.dataset.ready)`); !(ms > 0) {
		t.Errorf("body[data-ready] = %v, want the ms to the first snapshot drawn", ms)
	}
	// The scale bar, metric.
	scale := eval[string](t, ctx, `(document.querySelector(".leaflet-control-scale-line") || {}).textContent || ""`)
	if !strings.HasSuffix(scale, " m") && !strings.HasSuffix(scale, " km") {
		t.Errorf("scale bar %q, want a metric one", scale)
	}
	if got := eval[string](t, ctx, `document.querySelector("#alert-mute").getAttribute("aria-pressed")`); got != "false" {
		t.Fatalf("mute button pressed %s at first", got)
	}
	if !eval[bool](t, ctx, `document.querySelector("#incident-alert").hidden`) {
		t.Error("the incident banner shows with no incident open")
	}

	const tank = "TNK-0013-01"
	tankName := eval[string](t, ctx, fmt.Sprintf(`window.parktwin.feature("tanks", %q).properties.name`, tank))
	status, b := send(t, "POST", p.base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"II","reporter":"值班员"}`, tank))
	if status != http.StatusCreated {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID       string `json:"id"`
		Geometry struct {
			Coordinates []float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	if err := json.Unmarshal(b, &inc); err != nil {
		t.Fatal(err)
	}
	pulse := fmt.Sprintf(`.incident-pulse[data-id=%q]`, inc.ID)
	item := fmt.Sprintf(`#incident-alert:not([hidden]) button[data-id=%q]`, inc.ID)
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null && document.querySelector(%q) !== null`, pulse, item), 15*time.Second)
	if anim := eval[string](t, ctx, fmt.Sprintf(`getComputedStyle(document.querySelector(%q + " i")).animationName`, pulse)); anim != "incident-pulse" {
		t.Errorf("the incident's ring runs animation %q", anim)
	}
	named := func(when string) {
		t.Helper()
		banner := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, item))
		listed := eval[string](t, ctx, fmt.Sprintf(`document.querySelector('#incident-list li[data-id=%q] .place').textContent`, inc.ID))
		for _, got := range []string{banner, listed} {
			if !strings.Contains(got, tankName) || strings.Contains(got, tank) || strings.Contains(got, inc.ID) {
				t.Errorf("%s: %q, want the tank's name %q and no raw ID", when, got, tankName)
			}
		}
	}
	named("live")
	alerts := eval[struct {
		Beeps int
		Last  struct{ Kind, ID string }
	}](t, ctx, `window.parktwin.alerts()`)
	if alerts.Beeps != 1 || alerts.Last.Kind != "incident" || alerts.Last.ID != inc.ID {
		t.Errorf("alerts after a level II incident: %+v, want one beep for %s", alerts, inc.ID)
	}

	// In English, the banner and the mute button are too; the names are the park's.
	eval[bool](t, ctx, `(window.parktwin.setLang("en"), true)`)
	waitJS(t, ctx, `document.querySelector("#incident-alert .head").textContent === "Incidents in progress (1)"
		&& document.querySelector("#alert-mute").textContent === "Sound: on"`, 5*time.Second)
	if got := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, item)); !strings.Contains(got, "Tank fire") && !strings.Contains(got, "tank fire") {
		t.Errorf("the banner in English: %q", got)
	}
	eval[bool](t, ctx, `(window.parktwin.setLang("zh-CN"), true)`)
	waitJS(t, ctx, `document.querySelector("#alert-mute").textContent === "声音提醒：开"`, 5*time.Second)

	// The banner flies to the incident.
	eval[bool](t, ctx, `(window.parktwin.setView(120.80, 30.10, 13), true)`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(item))); err != nil {
		t.Fatal(err)
	}
	flownTo(t, ctx, inc.Geometry.Coordinates, "the banner")

	// Muted, and still muted after a reload; the name survives it.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#alert-mute"))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector("#alert-mute").getAttribute("aria-pressed")`); got != "true" {
		t.Fatalf("mute button pressed %s after a click", got)
	}
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null && document.querySelector('#incident-list li[data-id=%q]') !== null`, item, inc.ID), 15*time.Second)
	named("after a reload")
	if got := eval[string](t, ctx, `document.querySelector("#alert-mute").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("mute button pressed %s after a reload, want true (remembered)", got)
	}
	if n := eval[int](t, ctx, `window.parktwin.alerts().beeps`); n != 0 {
		t.Errorf("%d beeps after the reload for an incident already open", n)
	}
	// Muted, a new level I incident beeps not.
	status, b = send(t, "POST", p.base+"/api/v1/incidents", `{"type":"explosion","point":[120.86,30.17],"level":"I","reporter":"值班员"}`)
	if status != http.StatusCreated {
		t.Fatalf("second report: %d %s", status, b)
	}
	waitJS(t, ctx, `document.querySelectorAll("#incident-alert button[data-id]").length === 2 && window.parktwin.alerts().last !== null`, 15*time.Second)
	if n := eval[int](t, ctx, `window.parktwin.alerts().beeps`); n != 0 {
		t.Errorf("%d beeps while muted", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#alert-mute"))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector("#alert-mute").getAttribute("aria-pressed")`); got != "false" {
		t.Errorf("mute button pressed %s after a second click", got)
	}

	// Unmuted, a new red alarm beeps: a reading past HH on a sensor of a
	// major hazard unit graded level 1 or 2 (HH is orange, one level up there).
	sensor, hh := redSensor(t, p)
	before := eval[int](t, ctx, `window.parktwin.alerts().beeps`)
	if status, body := postReadings(t, p, gatewayToken(t, p), fmt.Sprintf(`{"readings":[{"sensor":%q,"t":%q,"value":%v}]}`,
		sensor, time.Now().UTC().Format(time.RFC3339Nano), hh+50)); status >= 300 {
		t.Fatalf("reading: %d %s", status, body)
	}
	waitJS(t, ctx, fmt.Sprintf(`(() => { const a = window.parktwin.alerts(); return a.last && a.last.kind === "alarm" && a.beeps === %d; })()`, before+1), 15*time.Second)
	alarm := eval[string](t, ctx, `window.parktwin.alerts().last.id`)
	if lvl := eval[string](t, ctx, fmt.Sprintf(`window.parktwin.feature("alarms", %q).properties.level`, alarm)); lvl != "red" {
		t.Errorf("the alarm that beeped is %s", lvl)
	}

	// An enterprise's name shows close in, not far out.
	ent := eval[struct {
		ID     string
		Centre []float64
	}](t, ctx, `(() => { const f = window.parktwin.feature("enterprises", "ENT-0001");
		const c = f.geometry.coordinates.flat(3); let x = 0, y = 0; for (let i = 0; i < c.length; i += 2) { x += c[i]; y += c[i + 1]; }
		return { id: "ENT-0001", centre: [x / (c.length / 2), y / (c.length / 2)] }; })()`)
	labelled := fmt.Sprintf(`window.parktwin.labels().some(([k, id]) => k === "enterprises" && id === %q)`, ent.ID)
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.setView(%v, %v, 17), true)`, ent.Centre[0], ent.Centre[1]))
	waitJS(t, ctx, labelled+fmt.Sprintf(` && document.querySelector('.map-label[data-kind=enterprises][data-id=%q]') !== null`, ent.ID), 10*time.Second)
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.setView(%v, %v, 13), true)`, ent.Centre[0], ent.Centre[1]))
	waitJS(t, ctx, `!window.parktwin.labels().some(([k]) => k === "enterprises") && document.querySelector(".map-label[data-kind=enterprises]") === null`, 10*time.Second)

	// A search result flies the map to its tank.
	tankAt := eval[[]float64](t, ctx, fmt.Sprintf(`window.parktwin.feature("tanks", %q).geometry.coordinates`, tank))
	eval[bool](t, ctx, `(window.parktwin.setView(120.80, 30.10, 13), true)`)
	hit := fmt.Sprintf(`#search-results li[data-id=%q]`, tank)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#search"), tank),
		chromedp.WaitVisible(chromedp.CSS(hit)),
		chromedp.Click(chromedp.CSS(hit)),
	); err != nil {
		t.Fatal(err)
	}
	flownTo(t, ctx, tankAt, "a search result")

	// Selecting an enterprise flies to it with its surroundings: its whole
	// parcel in view, at most half the view each way, once the flight ends.
	eval[bool](t, ctx, `(window.parktwin.setView(120.80, 30.10, 13), true)`)
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, ent.ID))
	flownTo(t, ctx, ent.Centre, "selecting an enterprise")
	waitJS(t, ctx, `(() => { const v = JSON.stringify(window.parktwin.view()), same = window.__view === v; window.__view = v; return same; })()`, 10*time.Second)
	share := eval[[]float64](t, ctx, fmt.Sprintf(`(() => { const f = window.parktwin.feature("enterprises", %q), v = window.parktwin.view().bounds;
		const c = f.geometry.coordinates.flat(3), xs = c.filter((_, i) => i %% 2 === 0), ys = c.filter((_, i) => i %% 2 === 1);
		const inside = Math.min(...xs) >= v[0] && Math.max(...xs) <= v[2] && Math.min(...ys) >= v[1] && Math.max(...ys) <= v[3];
		return [inside ? 1 : 0, (Math.max(...xs) - Math.min(...xs)) / (v[2] - v[0]), (Math.max(...ys) - Math.min(...ys)) / (v[3] - v[1])]; })()`, ent.ID))
	if share[0] != 1 || share[1] > 0.5 || share[2] > 0.5 {
		t.Errorf("selected, the enterprise's parcel is in view: %v, %.2f of the view's width and %.2f of its height; want whole, at most half", share[0] == 1, share[1], share[2])
	}
	noPageErrors(t, errs)
}

// flownTo waits until the map has come to rest centred near a place (within
// 150 m) at a zoom that keeps its surroundings (15 to 17).
func flownTo(t *testing.T, ctx context.Context, at []float64, by string) {
	t.Helper()
	cond := fmt.Sprintf(`(() => { const v = window.parktwin.view(); const dx = (v.center[0] - %v) * 96000, dy = (v.center[1] - %v) * 111000;
		return Math.hypot(dx, dy) < 150 && v.zoom >= 15 && v.zoom <= 17; })()`, at[0], at[1])
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		v := eval[map[string]any](t, ctx, `window.parktwin.view()`)
		t.Fatalf("%s did not fly the map to %v: the view is %v", by, at, v)
	}
}

// On the ×10 park far out, tanks and sensors are drawn as grid clusters
// (a few hundred discs, not 10,000 marks); close in, each tank is drawn.
func TestClustersOnTheLargePark(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false", "PARKD_DEMO_SCALE=10")
	open(t, ctx, p.base+"/")
	tanks := eval[int](t, ctx, `window.parktwin.counts().tanks`)
	if tanks < 4000 {
		t.Fatalf("%d tanks on the ×10 park", tanks)
	}
	tank := eval[string](t, ctx, `window.parktwin.feature("tanks", "TNK-0013-01") ? "TNK-0013-01" : null`)
	at := eval[[]float64](t, ctx, fmt.Sprintf(`window.parktwin.feature("tanks", %q).geometry.coordinates`, tank))

	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.setView(%v, %v, 12), true)`, at[0], at[1]))
	waitJS(t, ctx, `(() => { const c = window.parktwin.clusters(); return c.tanks && c.sensors && c.discs > 0; })()`, 10*time.Second)
	discs := eval[int](t, ctx, `window.parktwin.clusters().discs`)
	if discs > tanks/10 {
		t.Errorf("%d cluster discs for %d tanks at zoom 12", discs, tanks)
	}
	if eval[bool](t, ctx, fmt.Sprintf(`window.parktwin.pointOf(%q) !== null`, tank)) {
		t.Errorf("tank %s drawn one by one at zoom 12", tank)
	}
	if got := eval[int](t, ctx, `window.parktwin.counts().tanks`); got != tanks {
		t.Errorf("%d tanks held while clustered, want %d", got, tanks)
	}

	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.setView(%v, %v, 16), true)`, at[0], at[1]))
	waitJS(t, ctx, fmt.Sprintf(`(() => { const c = window.parktwin.clusters(); return !c.tanks && c.discs === 0 && window.parktwin.pointOf(%q) !== null; })()`, tank), 10*time.Second)
	noPageErrors(t, errs)
}

// redSensor finds a sensor with an HH limit and no on-delay on a major
// hazard unit graded level 1 or 2 (its own, or a tank of it): past HH, its
// alarm is red.
func redSensor(t *testing.T, p *parkd) (string, float64) {
	t.Helper()
	var gradings, units, sensors struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Unit     string   `json:"unit"`
				Level    int      `json:"level"`
				Tanks    []string `json:"tanks"`
				Subject  string   `json:"subject"`
				OnDelayS float64  `json:"onDelayS"`
				Limits   struct {
					HH *float64 `json:"hh"`
				} `json:"limits"`
			} `json:"properties"`
		} `json:"features"`
	}
	for url, v := range map[string]any{"/api/v1/gradings": &gradings, "/api/v1/hazard-units": &units, "/api/v1/sensors": &sensors} {
		if err := json.Unmarshal(get(t, p.base+url), v); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	high := map[string]bool{} // units graded 1 or 2, and their tanks
	for _, g := range gradings.Features {
		if g.Properties.Level == 1 || g.Properties.Level == 2 {
			high[g.Properties.Unit] = true
		}
	}
	for _, u := range units.Features {
		if high[u.ID] {
			for _, tk := range u.Properties.Tanks {
				high[tk] = true
			}
		}
	}
	for _, s := range sensors.Features {
		if high[s.Properties.Subject] && s.Properties.Limits.HH != nil && s.Properties.OnDelayS == 0 {
			return s.ID, *s.Properties.Limits.HH
		}
	}
	t.Fatal("no sensor with an HH limit on a level 1 or 2 hazard unit")
	return "", 0
}
