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

	"github.com/chromedp/chromedp"
)

// postRaw posts body to url with the tests' admin token and returns the
// answer.
func postRaw(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// offered is what one tab of the console offers on an alarm, a tank and
// two incidents (one reported, one dispatched): the buttons drawn, by what
// they do.
type offered struct {
	Ack, Shelve, ReportBtn, ReportHere bool
	Reported, Dispatched               []string // data-inc-act of the incident's buttons
	Plan, Reinforce, Release           bool
}

// offers opens the alarm's, the tank's and each incident's panel in the
// tab and reads the buttons offered.
func offers(t *testing.T, lp loopPage, alarm, tank, reported, dispatched string) offered {
	t.Helper()
	var o offered
	row := fmt.Sprintf(`#alarm-list li[data-id=%q]`, alarm)
	waitJS(t, lp.ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, row), 15*time.Second)
	lp.openRow("#alarm-list", alarm)
	o.Ack = eval[bool](t, lp.ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, row+" button.ack"))
	o.Shelve = eval[bool](t, lp.ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, row+" button.shelve"))
	lp.find(tank) // "report here" is in the panel of a place (a tank)
	o.ReportHere = eval[bool](t, lp.ctx, `document.querySelector("#details [data-act=report]") !== null`)
	o.ReportBtn = eval[bool](t, lp.ctx, `(() => { const b = document.querySelector("#report-incident"); return !!b && !b.hidden && b.offsetParent !== null; })()`)
	buttons := func() []string {
		return eval[[]string](t, lp.ctx, `[...document.querySelectorAll("#details .incident-actions button[data-inc-act]")].map((b) => b.dataset.incAct)`)
	}
	lp.openRow("#incident-list", reported)
	o.Reported = buttons()
	o.Plan = eval[bool](t, lp.ctx, `document.querySelector("#plan-button") !== null`)
	lp.openRow("#incident-list", dispatched)
	// The units sent are drawn once the incident's panel has its assignments.
	waitJS(t, lp.ctx, `document.querySelectorAll("#details tr[data-vehicle]").length > 0`, 10*time.Second)
	o.Dispatched = buttons()
	o.Reinforce = eval[bool](t, lp.ctx, `document.querySelector("#reinforce-button") !== null`)
	o.Release = eval[bool](t, lp.ctx, `document.querySelector("#details button[data-release]") !== null`)
	return o
}

// TestViewerIsOfferedNoActions: the console offers each action only to
// the roles its route allows (web/ui/can.js from the route table). A
// viewer's page shows an alarm and two incidents with no acknowledge,
// shelve or report button and no incident action; a duty officer's shows
// the alarm's actions and reporting but not the dispatcher's incident
// actions; the administrator's shows them all. A refusal of the viewer's
// role, should one reach a form, reads as a sentence in the console's
// language without the raw route.
func TestViewerIsOfferedNoActions(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	const pw = "roles-browser-test-password"
	for _, u := range []struct{ name, role string }{{"screen1", "viewer"}, {"duty1", "duty-officer"}, {"disp1", "dispatcher"}} {
		if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "",
			fmt.Sprintf(`{"name":%q,"role":%q,"password":%q}`, u.name, u.role, pw), &struct{}{}); err != nil {
			t.Fatal(err)
		}
	}

	// An alarm raised; an incident reported on its tank, another on a tank
	// of another enterprise, planned and confirmed (dispatched).
	sensor, tank, hh := sensorOf(t, p)
	if status, b := postReadings(t, p, gatewayToken(t, p), oneReading(sensor, hh+5)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	var alarms struct {
		Features []struct{ ID string } `json:"features"`
	}
	json.Unmarshal(get(t, p.base+"/api/v1/alarms?state=active"), &alarms)
	if len(alarms.Features) == 0 {
		t.Fatal("no active alarm")
	}
	alarm := alarms.Features[0].ID
	var tanks struct {
		Features []struct {
			ID         string                      `json:"id"`
			Properties struct{ Enterprise string } `json:"properties"`
		} `json:"features"`
	}
	json.Unmarshal(get(t, p.base+"/api/v1/tanks"), &tanks)
	entOf := map[string]string{}
	for _, f := range tanks.Features {
		entOf[f.ID] = f.Properties.Enterprise
	}
	other := ""
	for _, f := range tanks.Features {
		if f.Properties.Enterprise != entOf[tank] {
			other = f.ID
			break
		}
	}
	if other == "" {
		t.Fatal("no tank of another enterprise")
	}
	report := func(entity string) string {
		t.Helper()
		status, b := postRaw(t, p.base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","level":"III","reporter":"测试","entity":%q}`, entity))
		var inc struct{ ID string }
		if json.Unmarshal(b, &inc); status != 201 || inc.ID == "" {
			t.Fatalf("report at %s: %d %s", entity, status, b)
		}
		return inc.ID
	}
	reported, dispatched := report(tank), report(other)
	status, plan := postRaw(t, p.base+"/api/v1/incidents/"+dispatched+"/plan", "")
	if status != 200 {
		t.Fatalf("plan: %d %s", status, plan)
	}
	if status, b := postRaw(t, p.base+"/api/v1/incidents/"+dispatched+"/confirm", string(plan)); status != 200 {
		t.Fatalf("confirm: %d %.300s", status, b)
	}

	// The viewer: nothing to do.
	vctx, vdone := otherTab(t, ctx, "viewer")
	verrs := pageErrors(t, vctx)
	loginAs(t, vctx, p.base+"/", "screen1", pw)
	waitJS(t, vctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	v := offers(t, loopPage{t, vctx, p}, alarm, tank, reported, dispatched)
	t.Logf("viewer: %+v", v)
	if v.Ack || v.Shelve || v.ReportBtn || v.ReportHere || len(v.Reported) > 0 || len(v.Dispatched) > 0 || v.Plan || v.Reinforce || v.Release {
		t.Errorf("a viewer is offered actions: %+v", v)
	}
	// A role's refusal reaching a form: the viewer's own 403 from the
	// server, rendered by the console in each language.
	for _, c := range []struct{ lang, want string }{{"zh-CN", "只读用户无权执行此操作"}, {"en", "your role (viewer) may not do this"}} {
		got, err := chromedp.Run(vctx, chromedp.Evaluate[string](fmt.Sprintf(`(async () => {
			const api = await import("/ui/api.js"), msg = await import("/ui/msg.js"), i18n = await import("/ui/i18n.js");
			const res = await api.apiFetch("/api/v1/incidents/%s/state", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({state: "under-control"})});
			i18n.setLang(%q);
			return res.status + " " + msg.errorText(await res.json(), res.status);
		})()`, dispatched, c.lang), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if got != "403 "+c.want || strings.Contains(got, "/api/") {
			t.Errorf("%s: the viewer's refusal reads %q, want %q", c.lang, got, "403 "+c.want)
		}
	}
	if inc := incidentAt(t, p, dispatched); inc.Properties.State != "dispatched" {
		t.Errorf("the viewer's refused call changed the incident: %s", inc.Properties.State)
	}
	noPageErrors(t, verrs)
	vdone()

	// The duty officer: the alarm's actions and reporting, not the
	// dispatcher's incident actions (web/routes.go: duty, reporters, ops).
	dctx, ddone := otherTab(t, ctx, "duty")
	derrs := pageErrors(t, dctx)
	loginAs(t, dctx, p.base+"/", "duty1", pw)
	waitJS(t, dctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	d := offers(t, loopPage{t, dctx, p}, alarm, tank, reported, dispatched)
	t.Logf("duty officer: %+v", d)
	if !d.Ack || !d.Shelve || !d.ReportBtn || !d.ReportHere {
		t.Errorf("a duty officer is not offered the alarm's actions or reporting: %+v", d)
	}
	if len(d.Reported) > 0 || len(d.Dispatched) > 0 || d.Plan || d.Reinforce || d.Release {
		t.Errorf("a duty officer is offered the dispatcher's incident actions: %+v", d)
	}
	noPageErrors(t, derrs)
	ddone()

	// The administrator: everything.
	open(t, ctx, p.base+"/")
	a := offers(t, loopPage{t, ctx, p}, alarm, tank, reported, dispatched)
	t.Logf("admin: %+v", a)
	if !a.Ack || !a.Shelve || !a.ReportBtn || !a.ReportHere || !a.Plan || !a.Reinforce || !a.Release {
		t.Errorf("the administrator is not offered every action: %+v", a)
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"reported", a.Reported, []string{"confirm", "plan", "closed", "cancel"}},
		{"dispatched", a.Dispatched, []string{"under-control", "cancel"}},
	} {
		if strings.Join(c.got, ",") != strings.Join(c.want, ",") {
			t.Errorf("the administrator's buttons on the %s incident: %v, want %v", c.name, c.got, c.want)
		}
	}

	// A dispatcher: the incident actions on a level III incident; on a
	// level I one only the plan (its actions are a commander's, web/scope.go
	// grave), and the server's refusal, should one reach a form, says why.
	third := ""
	for _, f := range tanks.Features {
		if f.Properties.Enterprise != entOf[tank] && f.Properties.Enterprise != entOf[other] {
			third = f.ID
			break
		}
	}
	status, b := postRaw(t, p.base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","level":"I","reporter":"测试","entity":%q}`, third))
	var graveInc struct{ ID string }
	if json.Unmarshal(b, &graveInc); status != 201 || graveInc.ID == "" {
		t.Fatalf("report at level I: %d %s", status, b)
	}
	pctx, pdone := otherTab(t, ctx, "dispatcher")
	perrs := pageErrors(t, pctx)
	loginAs(t, pctx, p.base+"/", "disp1", pw)
	waitJS(t, pctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	lp := loopPage{t, pctx, p}
	incButtons := func(id string) string {
		lp.openRow("#incident-list", id)
		return strings.Join(eval[[]string](t, pctx, `[...document.querySelectorAll("#details .incident-actions button[data-inc-act]")].map((b) => b.dataset.incAct)`), ",")
	}
	if got := incButtons(reported); got != "confirm,plan,closed,cancel" {
		t.Errorf("a dispatcher's buttons on a level III incident: %s, want confirm,plan,closed,cancel", got)
	}
	if got := incButtons(graveInc.ID); got != "plan" {
		t.Errorf("a dispatcher's buttons on a level I incident: %s, want the plan only", got)
	}
	for _, c := range []struct{ lang, want string }{{"zh-CN", "须由指挥长处置"}, {"en", "is level I"}} {
		got, err := chromedp.Run(pctx, chromedp.Evaluate[string](fmt.Sprintf(`(async () => {
			const api = await import("/ui/api.js"), msg = await import("/ui/msg.js"), i18n = await import("/ui/i18n.js");
			const res = await api.apiFetch("/api/v1/incidents/%s/cancel", {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"});
			i18n.setLang(%q);
			return res.status + " " + msg.errorText(await res.json(), res.status);
		})()`, graveInc.ID, c.lang), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(got, "403 ") || !strings.Contains(got, c.want) {
			t.Errorf("%s: a dispatcher's refusal on a level I incident reads %q, want 403 and %q", c.lang, got, c.want)
		}
	}
	if inc := incidentAt(t, p, graveInc.ID); inc.Properties.State != "reported" {
		t.Errorf("the dispatcher's refused call changed the level I incident: %s", inc.Properties.State)
	}
	noPageErrors(t, perrs)
	pdone()
	noPageErrors(t, errs)
}
