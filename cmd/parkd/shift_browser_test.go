package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A duty shift in the console (issue 14's "Done when"), on one parkd with
// the demo park and its simulator off, every action by the page's buttons
// and forms; from outside come only the gateways' readings (the ingest
// route) and the people at the other consoles: the enterprise's duty
// person (ent1) and the commander (cmd1), each in a browser context of
// their own. After each step the twin's state is read from the API.
//
//  1. Three readings past HH raise three alarms: duty1 acknowledges one,
//     shelves one with a reason, and closes the third with a note after
//     its reading clears.
//  2. The third alarm's verification order is acknowledged and answered
//     by ent1 and closed by duty1.
//  3. duty1 registers a hidden danger at that enterprise and moves it
//     through every state to closed.
//  4. cmd1 reports an incident from the map, plans and confirms it, raises
//     it to level II and confirms the reinforcement (增援), releases one
//     unit, brings it under control and closes it (结案); duty1's page
//     shows it live.
//  5. duty1 drafts the handover, signs it out; duty2 signs it in; its
//     print view opens; its summary holds the shift.
func TestAShiftInTheConsole(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	const pw = "a-shift-test-password"
	user := func(name, role, ent string) {
		t.Helper()
		body := fmt.Sprintf(`{"name":%q,"role":%q,"password":%q}`, name, role, pw)
		if ent != "" {
			body = fmt.Sprintf(`{"name":%q,"role":%q,"enterprise":%q,"password":%q}`, name, role, ent, pw)
		}
		if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "", body, &struct{}{}); err != nil {
			t.Fatal(err)
		}
	}
	user("duty1", "duty-officer", "")
	user("duty2", "duty-officer", "")
	user("cmd1", "commander", "")
	start := time.Now()
	step := func(name string) { t.Logf("%-10s %v", name, time.Since(start).Round(100*time.Millisecond)) }

	loginAs(t, ctx, p.base+"/", "duty1", pw)
	waitJS(t, ctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	duty := loopPage{t, ctx, p}
	step("logged in")

	// ── 1. Alarms: raised by readings, acknowledged, shelved, closed ──
	sensors := alarmSensors(t, p, 3)
	tok := gatewayToken(t, p)
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var rs []string
	for _, s := range sensors {
		rs = append(rs, fmt.Sprintf(`{"sensor":%q,"t":%q,"value":%v}`, s.id, now, s.hh+5))
	}
	if status, b := postReadings(t, p, tok, `{"readings":[`+strings.Join(rs, ",")+`]}`); status != 200 || !strings.Contains(b, `"accepted":3`) {
		t.Fatalf("readings: %d %s", status, b)
	}
	alarmOf := map[string]string{} // sensor → its active alarm
	eventually(t, func() bool {
		var active featureList
		getJSON(t, p.base+"/api/v1/alarms?state=active", &active)
		for _, f := range active.Features {
			alarmOf[f.Properties.Sensor] = f.ID
		}
		return alarmOf[sensors[0].id] != "" && alarmOf[sensors[1].id] != "" && alarmOf[sensors[2].id] != ""
	}, 10*time.Second)
	acked, shelved, closed := alarmOf[sensors[0].id], alarmOf[sensors[1].id], alarmOf[sensors[2].id]

	// Acknowledged with its row's button.
	row := func(id string) string { return fmt.Sprintf(`#alarm-list li[data-id=%q]`, id) }
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, row(acked)+" button.ack"), 10*time.Second)
	click(t, ctx, row(acked)+" button.ack")
	if a := duty.stateIs("alarms/"+acked, "state", "acknowledged"); a["ackedBy"] != "duty1" {
		t.Errorf("alarm %s acknowledged by %v", acked, a["ackedBy"])
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q).dataset.state === "acknowledged"`, row(acked)), 10*time.Second)

	// Shelved for 30 minutes with a reason, through its 搁置 form.
	const reason = "仪表检修，已现场确认"
	click(t, ctx, row(shelved)+" button.shelve")
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, row(shelved)+" form.shelve-form"), 5*time.Second)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(row(shelved)+` select[name=durationS]`), "1800"),
		chromedp.SendKeys(chromedp.CSS(row(shelved)+` input[name=reason]`), reason),
		chromedp.Click(chromedp.CSS(row(shelved)+` form.shelve-form button[type=submit]`)),
	); err != nil {
		t.Fatal(err)
	}
	a := duty.stateIs("alarms/"+shelved, "shelveReason", reason)
	if until, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(a["shelvedUntil"])); a["shelvedBy"] != "duty1" || time.Until(until) < 25*time.Minute {
		t.Errorf("alarm %s shelved: by %v until %v", shelved, a["shelvedBy"], a["shelvedUntil"])
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q).dataset.shelved === "true"`, row(shelved)), 10*time.Second)

	// Its reading back to normal, the third is closed from its panel.
	if status, b := postReadings(t, p, tok, oneReading(sensors[2].id, normalValue(t, p, sensors[2].id))); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	duty.stateIs("alarms/"+closed, "state", "cleared")
	duty.openRow("#alarm-list", closed)
	const note = "现场确认：温度计瞬时干扰"
	duty.act(closed, "alarm.close", map[string]string{"note": note}, "")
	duty.ok(closed, "alarm.close")
	if a := duty.stateIs("alarms/"+closed, "state", "closed"); a["note"] != note || a["closedBy"] != "duty1" {
		t.Errorf("closed alarm: note %v, by %v", a["note"], a["closedBy"])
	}
	// The other two stand as they were left.
	if a := duty.props("alarms/" + acked); a["state"] != "acknowledged" {
		t.Errorf("the acknowledged alarm is %v", a["state"])
	}
	if a := duty.props("alarms/" + shelved); a["state"] != "active" || a["shelvedBy"] != "duty1" {
		t.Errorf("the shelved alarm is %v, shelved by %v", a["state"], a["shelvedBy"])
	}
	step("alarms")

	// ── 2. The closed alarm's verification order, answered and closed ──
	var orders struct {
		Features []struct {
			ID         string                             `json:"id"`
			Properties struct{ Alarm, Enterprise string } `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, p.base+"/api/v1/orders", &orders)
	order, ent := "", ""
	for _, o := range orders.Features {
		if o.Properties.Alarm == closed {
			order, ent = o.ID, o.Properties.Enterprise
		}
	}
	if order == "" {
		t.Fatalf("no verification order for the alarm %s", closed)
	}
	user("ent1", "enterprise", ent)
	ectx, done := otherTab(t, ctx, "ent1")
	entErrs := pageErrors(t, ectx)
	loginAs(t, ectx, p.base+"/", "ent1", pw)
	waitJS(t, ectx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	enterprise := loopPage{t, ectx, p}
	enterprise.tab("orders")
	enterprise.openRow("#wl-list", order)
	enterprise.act(order, "order.ack", nil, "")
	enterprise.ok(order, "order.ack")
	if o := duty.stateIs("orders/"+order, "state", "acknowledged"); o["ackedBy"] != "ent1" {
		t.Errorf("order acknowledged by %v", o["ackedBy"])
	}
	enterprise.act(order, "order.feedback", map[string]string{"cause": "测温元件接线松动", "action": "已紧固接线并校验"}, "")
	enterprise.ok(order, "order.feedback")
	duty.stateIs("orders/"+order, "state", "answered")
	noPageErrors(t, entErrs)
	done()

	duty.tab("orders")
	duty.openRow("#wl-list", order)
	duty.act(order, "order.close", nil, "")
	duty.ok(order, "order.close")
	if o := duty.stateIs("orders/"+order, "state", "closed"); o["closedBy"] != "duty1" {
		t.Errorf("order closed by %v", o["closedBy"])
	}
	if fb, _ := duty.props("orders/" + order)["feedback"].(map[string]any); fb == nil || fb["cause"] != "测温元件接线松动" {
		t.Errorf("the closed order's feedback: %v", fb)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#wl-list li[data-id=%q]') === null`, order), 5*time.Second)
	step("order")

	// ── 3. A hidden danger at the enterprise, through every state ──
	duty.find(ent)
	due := time.Now().UTC().AddDate(0, 0, 14).Format(time.DateOnly)
	duty.act(ent, "danger.register", map[string]string{"title": "储罐区防火堤破损", "owner": "张工", "due": due, "description": "东侧防火堤裂缝"}, "")
	duty.ok(ent, "danger.register")
	danger := eval[string](t, ctx, `document.querySelector("#details .loop-msg a.loop-created").dataset.ref`)
	if d := duty.stateIs("hidden-dangers/"+danger, "state", "registered"); d["enterprise"] != ent || d["owner"] != "张工" {
		t.Errorf("registered danger: %v", d)
	}
	duty.tab("dangers")
	duty.openRow("#wl-list", danger)
	for _, to := range []string{"rectifying", "accepted", "closed"} {
		duty.act(danger, "danger.state", nil, to)
		duty.ok(danger, "danger.state")
		duty.stateIs("hidden-dangers/"+danger, "state", to)
	}
	waitJS(t, ctx, `document.querySelector('#details form.loop-form[data-action="danger.state"]') === null`, 5*time.Second)
	step("danger")

	// ── 4. An incident: reported, planned, confirmed, reinforced, a unit
	// released, under control, closed — by the commander ──
	cctx, done := otherTab(t, ctx, "cmd1")
	cmdErrs := pageErrors(t, cctx)
	loginAs(t, cctx, p.base+"/", "cmd1", pw)
	waitJS(t, cctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	inc := reportFromMap(t, cctx, "pool-fire", "III")
	if got := incidentAt(t, p, inc).Properties.State; got != "reported" {
		t.Errorf("the reported incident is %q", got)
	}
	// The duty officer's page shows it as it comes.
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.incidents().some((i) => i.id === %q)`, inc), 10*time.Second)

	waitJS(t, cctx, `document.querySelector("#plan-button") !== null`, 10*time.Second)
	click(t, cctx, "#plan-button")
	waitJS(t, cctx, `window.parktwin.planShown() !== null && document.querySelector("#confirm-button") !== null`, 10*time.Second)
	click(t, cctx, "#confirm-button")
	sent := incidentUntil(t, p, "after the confirm", inc, func(i incidentOnServer) bool {
		return i.Properties.State == "dispatched" && len(i.active()) > 0
	}).active()
	// Dispatched, it offers no 结案: under control first (dispatch/lifecycle.go).
	waitJS(t, cctx, `document.querySelector('#details button[data-inc-act="under-control"]') !== null`, 10*time.Second)
	if eval[bool](t, cctx, `document.querySelector('#details button[data-inc-act="closed"]') !== null`) {
		t.Error("a dispatched incident offers 结案, which the twin refuses")
	}

	// 增援 at level II: the plan proposes only units not sent yet.
	waitJS(t, cctx, `document.querySelector("#reinforce-button") !== null`, 10*time.Second)
	if err := chromedp.Do(cctx, chromedp.SetValue(chromedp.CSS(`#reinforce-level`), "II")); err != nil {
		t.Fatal(err)
	}
	click(t, cctx, "#reinforce-button")
	waitJS(t, cctx, `(() => { const p = window.parktwin.planShown(); return p !== null && !!p.reinforcement; })()`, 10*time.Second)
	var plan struct {
		Assignments []struct{ Team, Vehicle string }
	}
	if err := json.Unmarshal([]byte(eval[string](t, cctx, `JSON.stringify(window.parktwin.planShown())`)), &plan); err != nil {
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
	if got := incidentAt(t, p, inc).Properties.Level; got != "II" {
		t.Errorf("the level on the server is %q after 增援 at II", got)
	}
	click(t, cctx, "#confirm-button")
	more := incidentUntil(t, p, "after the reinforcement", inc, func(i incidentOnServer) bool {
		return len(i.active()) == len(sent)+len(plan.Assignments)
	})

	// 释放: one unit back, available again.
	released := more.Properties.Assignments[0]
	rel := fmt.Sprintf(`#details button[data-release=%q]`, released.Vehicle)
	waitJS(t, cctx, fmt.Sprintf(`document.querySelector(%q) !== null`, rel), 10*time.Second)
	click(t, cctx, rel)
	after := incidentUntil(t, p, "after the release", inc, func(i incidentOnServer) bool {
		return !slices.Contains(i.active(), released.Vehicle)
	})
	if after.Properties.State != "dispatched" || len(after.active()) != len(sent)+len(plan.Assignments)-1 {
		t.Errorf("after one release: %s with %d units", after.Properties.State, len(after.active()))
	}
	if st := vehicleStatus(t, p, released.Team, released.Vehicle); st != "available" {
		t.Errorf("released %s is %s", released.Vehicle, st)
	}

	// Under control, then 结案, by the panel's buttons.
	click(t, cctx, `#details button[data-inc-act="under-control"]`)
	incidentUntil(t, p, "under control", inc, func(i incidentOnServer) bool { return i.Properties.State == "under-control" })
	waitJS(t, cctx, `document.querySelector('#details button[data-inc-act="closed"]') !== null`, 10*time.Second)
	click(t, cctx, `#details button[data-inc-act="closed"]`)
	incidentUntil(t, p, "closed", inc, func(i incidentOnServer) bool { return i.Properties.State == "closed" })
	waitJS(t, cctx, `document.querySelector('#details .incident-banner').dataset.state === "closed" && document.querySelector('#details button[data-inc-act]') === null`, 10*time.Second)
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.incidents().some((i) => i.id === %q && i.state === "closed")`, inc), 10*time.Second)
	noPageErrors(t, cmdErrs)
	done()
	step("incident")

	// ── 5. The handover: drafted, signed out, signed in, printed ──
	click(t, ctx, "#handover-link")
	waitLoaded(t, ctx, `window.parktwin && window.parktwin.handoverPage && window.parktwin.handoverPage.ready`, 30*time.Second)
	const notes = "3号罐区报警一条搁置检修；池火已结案"
	eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const f = document.querySelector("#draft-form");
		f.elements.notes.value = %q;
		f.querySelector("button[type=submit]").click();
		return true; })()`, notes))
	waitJS(t, ctx, `document.querySelector("#record").dataset.state === "draft"`, 20*time.Second)
	ho := eval[string](t, ctx, `document.querySelector("#record").dataset.id`)
	click(t, ctx, "#sig-outgoing button.sign")
	waitJS(t, ctx, `document.querySelector("#record").dataset.state === "outgoing-signed"`, 10*time.Second)
	if h := duty.props("handovers/" + ho); h["draftedBy"] != "duty1" || h["incoming"] != nil ||
		fmt.Sprint(h["outgoing"].(map[string]any)["user"]) != "duty1" {
		t.Errorf("the server's record after the outgoing signature: drafted by %v, signed %v %v", h["draftedBy"], h["outgoing"], h["incoming"])
	}
	click(t, ctx, "#switch-user")
	pageState(t, ctx, "login")
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), "duty2"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), pw),
		chromedp.Click(chromedp.CSS("#login-submit")),
	); err != nil {
		t.Fatal(err)
	}
	pageState(t, ctx, "topbar")
	waitLoaded(t, ctx, fmt.Sprintf(`document.querySelector("#record").dataset.id === %q && !document.querySelector("#sig-incoming button.sign").hidden`, ho), 20*time.Second)
	click(t, ctx, "#sig-incoming button.sign")
	waitJS(t, ctx, `document.querySelector("#record").dataset.state === "signed"`, 10*time.Second)

	var h struct {
		Properties struct {
			Notes              string
			Outgoing, Incoming *struct{ User string }
			Summary            struct {
				Alarms struct {
					Raised, Closed int
					Open           struct{ Items []struct{ ID, State string } }
				}
				Incidents, Orders, Dangers struct{ Items []struct{ ID, State string } }
			}
		}
	}
	if status := getJSON(t, p.base+"/api/v1/handovers/"+ho, &h); status != http.StatusOK {
		t.Fatalf("GET handover %s: %d", ho, status)
	}
	pr := h.Properties
	if pr.Outgoing == nil || pr.Incoming == nil || pr.Outgoing.User != "duty1" || pr.Incoming.User != "duty2" || pr.Notes != notes {
		t.Errorf("the handover on the server: notes %q, signed %+v %+v", pr.Notes, pr.Outgoing, pr.Incoming)
	}
	has := func(items []struct{ ID, State string }, id string) string {
		for _, it := range items {
			if it.ID == id {
				return it.State
			}
		}
		return ""
	}
	s := pr.Summary
	if s.Alarms.Raised < 3 || s.Alarms.Closed < 1 || has(s.Alarms.Open.Items, acked) != "acknowledged" || has(s.Alarms.Open.Items, closed) != "" {
		t.Errorf("the record's alarms: %+v", s.Alarms)
	}
	if has(s.Incidents.Items, inc) != "closed" {
		t.Errorf("the record's incidents %+v lack the closed %s", s.Incidents.Items, inc)
	}
	if has(s.Orders.Items, order) != "" || has(s.Dangers.Items, danger) != "" {
		t.Errorf("the record hands on the closed order %s or danger %s: %+v %+v", order, danger, s.Orders.Items, s.Dangers.Items)
	}

	// Its print view, from the page's button.
	eval[bool](t, ctx, `(() => { window.__printed = 0; window.print = () => { window.__printed++; }; return true; })()`)
	click(t, ctx, "#print")
	waitJS(t, ctx, `window.__printed === 1`, 5*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shown := func(sel string) bool {
		return eval[bool](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q);
			return !!e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0; })()`, sel))
	}
	for _, sel := range []string{"#record", "#sig-outgoing .who", "#sig-incoming .who", "#record-notes"} {
		if !shown(sel) {
			t.Errorf("%s is not in the print view", sel)
		}
	}
	for _, sel := range []string{"#topbar", "#draft", "#print"} {
		if shown(sel) {
			t.Errorf("%s is in the print view", sel)
		}
	}
	step("handover")
	noPageErrors(t, errs)
}

// alarmSensor is a sensor whose reading past HH raises an alarm at once.
type alarmSensor struct {
	id string
	hh float64
}

// alarmSensors returns n sensors with an HH limit and no on-delay, each
// with a lower limit or an H (normalValue finds a reading inside them).
func alarmSensors(t *testing.T, p *parkd, n int) []alarmSensor {
	t.Helper()
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				OnDelayS float64 `json:"onDelayS"`
				Limits   struct{ H, HH *float64 }
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(get(t, p.base+"/api/v1/sensors"), &fc); err != nil {
		t.Fatal(err)
	}
	var out []alarmSensor
	for _, f := range fc.Features {
		if l := f.Properties.Limits; l.HH != nil && l.H != nil && f.Properties.OnDelayS == 0 && len(out) < n {
			out = append(out, alarmSensor{f.ID, *l.HH})
		}
	}
	if len(out) < n {
		t.Fatalf("%d sensors with HH and H and no on-delay, want %d", len(out), n)
	}
	return out
}

// vehicleStatus reads a vehicle's status from its team.
func vehicleStatus(t *testing.T, p *parkd, team, vehicle string) string {
	t.Helper()
	var f struct {
		Properties struct{ Vehicles []struct{ ID, Status string } } `json:"properties"`
	}
	getJSON(t, p.base+"/api/v1/teams/"+team, &f)
	for _, v := range f.Properties.Vehicles {
		if v.ID == vehicle {
			return v.Status
		}
	}
	t.Fatalf("no vehicle %s in %s", vehicle, team)
	return ""
}

// otherTab opens a tab in a browser context of its own (its own cookies:
// another user's session) in ctx's browser; done closes it. A failing
// test keeps a screenshot of it, named for who used it.
func otherTab(t *testing.T, ctx context.Context, who string) (context.Context, func()) {
	t.Helper()
	tctx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tctx); err != nil {
		t.Fatal(err)
	}
	closed := false
	done := func() {
		if !closed {
			closed = true
			if t.Failed() {
				screenshotAs(t, tctx, t.Name()+"_"+who)
			}
			cancel()
		}
	}
	t.Cleanup(done)
	return tctx, done
}
