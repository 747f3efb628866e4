package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The helpers the console's closed-loop and shift tests share
// (loop_browser_test.go, shift_browser_test.go, reinforce_browser_test.go):
// one tab of the console, its panels' buttons and forms, and the twin's
// state read back from the API.

// loopPage is one tab of the console, logged in as somebody, against p.
type loopPage struct {
	t   *testing.T
	ctx context.Context
	p   *parkd
}

// props reads an entity's properties from the API.
func (lp loopPage) props(path string) map[string]any {
	lp.t.Helper()
	var f struct {
		Properties map[string]any `json:"properties"`
	}
	if status := getJSON(lp.t, lp.p.base+"/api/v1/"+path, &f); status != http.StatusOK {
		lp.t.Fatalf("GET %s: %d", path, status)
	}
	return f.Properties
}

// stateIs waits until the entity's field on the server is want.
func (lp loopPage) stateIs(path, field, want string) map[string]any {
	lp.t.Helper()
	var got map[string]any
	eventually(lp.t, func() bool {
		got = lp.props(path)
		return fmt.Sprint(got[field]) == want
	}, 10*time.Second)
	return got
}

// openRow selects an entity through a list's row (the worklist's or the
// alarm list's) and waits for its panel.
func (lp loopPage) openRow(row, id string) {
	lp.t.Helper()
	sel := fmt.Sprintf(`%s li[data-id=%q]`, row, id)
	waitJS(lp.t, lp.ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, sel), 10*time.Second)
	eval[bool](lp.t, lp.ctx, fmt.Sprintf(`(document.querySelector(%q).click(), true)`, sel))
	waitJS(lp.t, lp.ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q`, id), 10*time.Second)
}

// tab shows one of the worklist's lists, open items only.
func (lp loopPage) tab(list string) {
	lp.t.Helper()
	click(lp.t, lp.ctx, fmt.Sprintf(`#worklist button.wl-tab[data-list=%q]`, list))
	waitJS(lp.t, lp.ctx, fmt.Sprintf(`document.querySelector('#worklist button.wl-tab[data-list=%q]').getAttribute("aria-pressed") === "true"`, list), 5*time.Second)
}

// act submits an action's form in the panel with the fields given; a
// form with fields is opened first with its button.
func (lp loopPage) act(id, action string, fields map[string]string, to string) {
	lp.t.Helper()
	t, ctx := lp.t, lp.ctx
	box := fmt.Sprintf(`#details .loop-actions[data-id=%q]`, id)
	form := fmt.Sprintf(`%s form.loop-form[data-action=%q]`, box, action)
	if to != "" {
		form += fmt.Sprintf(`[data-to=%q]`, to)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null || document.querySelector(%q) !== null`,
		form, fmt.Sprintf(`%s button.loop-open[data-action=%q]`, box, action)), 10*time.Second)
	if len(fields) > 0 && eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q) === null`, form)) {
		click(t, ctx, fmt.Sprintf(`%s button.loop-open[data-action=%q]`, box, action))
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, form), 5*time.Second)
	}
	if fields == nil {
		fields = map[string]string{}
	}
	b, _ := json.Marshal(fields)
	eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const f = document.querySelector(%q);
		for (const [k, v] of Object.entries(%s)) f.elements[k].value = v;
		f.querySelector("button[type=submit]").click();
		return true; })()`, form, b))
}

// answered waits for the answer of the last action on id and returns its
// result and text.
func (lp loopPage) answered(id, action string) (result, code, text string) {
	lp.t.Helper()
	sel := fmt.Sprintf(`#details .loop-actions[data-id=%q] .loop-msg[data-action=%q]`, id, action)
	waitJS(lp.t, lp.ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, sel), 10*time.Second)
	m := eval[map[string]string](lp.t, lp.ctx, fmt.Sprintf(`(() => { const m = document.querySelector(%q); return {result: m.dataset.result, code: m.dataset.code || "", text: m.textContent}; })()`, sel))
	return m["result"], m["code"], m["text"]
}

// ok fails the test unless the last action on id succeeded.
func (lp loopPage) ok(id, action string) {
	lp.t.Helper()
	if r, code, text := lp.answered(id, action); r != "ok" {
		lp.t.Fatalf("%s on %s: %s %s %q", action, id, r, code, text)
	}
}

// incidentAt reads an incident from the API.
func incidentAt(t *testing.T, p *parkd, id string) incidentOnServer {
	t.Helper()
	var inc incidentOnServer
	if err := json.Unmarshal(get(t, p.base+"/api/v1/incidents/"+id), &inc); err != nil {
		t.Fatal(err)
	}
	return inc
}

// incidentUntil waits until the incident on the server is as ok wants.
func incidentUntil(t *testing.T, p *parkd, what, id string, ok func(incidentOnServer) bool) incidentOnServer {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		inc := incidentAt(t, p, id)
		if ok(inc) {
			return inc
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: incident %s is %+v", what, id, inc.Properties)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// reportFromMap reports an incident of the type and level by clicking
// the middle of the map in report mode and sending the form; it returns
// the new incident's ID as the page holds it (the page held none before).
func reportFromMap(t *testing.T, ctx context.Context, typ, level string) string {
	t.Helper()
	click(t, ctx, "#report-incident")
	box := eval[[]float64](t, ctx, `(() => { const r = document.querySelector("#map").getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(box[0], box[1])); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#incident-form") !== null`, 10*time.Second)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#incident-form select[name=type]`), typ),
		chromedp.SetValue(chromedp.CSS(`#incident-form select[name=level]`), level),
	); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, `#incident-form button[type=submit]`)
	waitJS(t, ctx, `window.parktwin.incidents().length === 1`, 10*time.Second)
	return eval[string](t, ctx, `window.parktwin.incidents()[0].id`)
}

// find opens an entity's panel through the search box: its ID typed, its
// result chosen.
func (lp loopPage) find(id string) {
	lp.t.Helper()
	res := fmt.Sprintf(`#search-results li[data-id=%q]`, id)
	if err := chromedp.Do(lp.ctx, chromedp.Clear(chromedp.CSS("#search")), chromedp.SendKeys(chromedp.CSS("#search"), id)); err != nil {
		lp.t.Fatal(err)
	}
	waitJS(lp.t, lp.ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, res), 5*time.Second)
	click(lp.t, lp.ctx, res)
	waitJS(lp.t, lp.ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q`, id), 10*time.Second)
}
