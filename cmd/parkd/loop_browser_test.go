package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The closed loop walked through the page by a duty officer and an
// enterprise's duty person, each logged in as who may do it, each step
// found in the page's lists and done with its panel's buttons and forms
// (web/ui/actions.js, web/ui/worklist.js), the twin's state read back from
// the API after each: an alarm past HH cleared and closed with a note; its
// verification order acknowledged and answered by the enterprise (whose
// console offers no close or return), returned by the duty officer (first
// without a reason, which the form refuses in Chinese, then in English),
// answered again and closed; a hidden danger registered at the tank's
// enterprise, past due, which turns the enterprise's safety code yellow
// with its reason shown, listed before one not yet due, and moved through
// every state to the end, a failed acceptance included; the reminder task
// it raised marked done.
func TestClosedLoopInThePage(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	const pw = "closed-loop-test-password"
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "",
		fmt.Sprintf(`{"name":"duty1","role":"duty-officer","password":%q}`, pw), &struct{}{}); err != nil {
		t.Fatal(err)
	}
	loginAs(t, ctx, p.base+"/", "duty1", pw)
	waitJS(t, ctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)

	lp := loopPage{t, ctx, p}
	props, stateIs, openRow, tab, act, answered, ok := lp.props, lp.stateIs, lp.openRow, lp.tab, lp.act, lp.answered, lp.ok

	// ── The alarm: raised, cleared, closed from its panel ──
	sensor, tank, hh := sensorOf(t, p)
	tok := gatewayToken(t, p)
	if status, b := postReadings(t, p, tok, oneReading(sensor, hh+5)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	var alarms featureList
	getJSON(t, p.base+"/api/v1/alarms?state=active", &alarms)
	if len(alarms.Features) == 0 {
		t.Fatal("no active alarm")
	}
	alarm := alarms.Features[0].ID
	if status, b := postReadings(t, p, tok, oneReading(sensor, normalValue(t, p, sensor))); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	stateIs("alarms/"+alarm, "state", "cleared")
	openRow("#alarm-list", alarm)
	act(alarm, "alarm.close", map[string]string{"note": "现场确认：温度计瞬时干扰"}, "")
	ok(alarm, "alarm.close")
	if a := stateIs("alarms/"+alarm, "state", "closed"); a["note"] != "现场确认：温度计瞬时干扰" || a["closedBy"] != "duty1" {
		t.Errorf("closed alarm: note %v, by %v", a["note"], a["closedBy"])
	}
	// Closed: its panel offers no close any more.
	waitJS(t, ctx, `document.querySelector('#details form.loop-form[data-action="alarm.close"], #details button.loop-open[data-action="alarm.close"]') === null`, 5*time.Second)

	// ── Its verification order, found in the orders list ──
	var orders struct {
		Features []struct {
			ID         string                 `json:"id"`
			Properties struct{ Alarm string } `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, p.base+"/api/v1/orders", &orders)
	order := ""
	for _, o := range orders.Features {
		if o.Properties.Alarm == alarm {
			order = o.ID
		}
	}
	if order == "" {
		t.Fatalf("no order for the alarm %s", alarm)
	}
	// The enterprise's duty person acknowledges and answers it from their
	// own console, which offers them neither close nor return.
	ent, _ := props("tanks/" + tank)["enterprise"].(string)
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "",
		fmt.Sprintf(`{"name":"ent1","role":"enterprise","enterprise":%q,"password":%q}`, ent, pw), &struct{}{}); err != nil {
		t.Fatal(err)
	}
	as := func(user string) {
		t.Helper()
		eval[bool](t, ctx, `(document.querySelector("#logout").click(), true)`)
		pageState(t, ctx, "login")
		loginAs(t, ctx, p.base+"/", user, pw)
		waitJS(t, ctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
		tab("orders")
		openRow("#wl-list", order)
	}
	as("ent1")
	act(order, "order.ack", nil, "")
	ok(order, "order.ack")
	if o := stateIs("orders/"+order, "state", "acknowledged"); o["ackedBy"] != "ent1" {
		t.Errorf("order acknowledged by %v", o["ackedBy"])
	}
	act(order, "order.feedback", map[string]string{"cause": "测温元件接线松动", "action": "已紧固接线并校验"}, "")
	ok(order, "order.feedback")
	stateIs("orders/"+order, "state", "answered")
	waitJS(t, ctx, `document.querySelector('#details form.loop-form[data-action="order.feedback"], #details button.loop-open[data-action="order.feedback"]') === null`, 5*time.Second)
	if n := eval[int](t, ctx, `document.querySelectorAll('#details [data-action="order.close"], #details [data-action="order.return"]').length`); n != 0 {
		t.Errorf("the enterprise user is offered %d close or return buttons", n)
	}

	// The duty officer sends it back: first without a reason, which the
	// API refuses and the form says in Chinese, the order left answered.
	as("duty1")
	act(order, "order.return", map[string]string{"note": ""}, "")
	if r, code, text := answered(order, "order.return"); r != "error" || code != "invalid" || !strings.Contains(text, "退回理由") {
		t.Errorf("return without a reason: %s %s %q, want an error naming 退回理由", r, code, text)
	}
	if st := props("orders/" + order)["state"]; st != "answered" {
		t.Errorf("after a refused return the order is %v", st)
	}
	act(order, "order.return", map[string]string{"note": "请补充校验记录"}, "")
	ok(order, "order.return")
	if o := stateIs("orders/"+order, "state", "returned"); o["returnNote"] != "请补充校验记录" {
		t.Errorf("return note %v", o["returnNote"])
	}

	// Answered again by the enterprise; closed by the duty officer.
	as("ent1")
	act(order, "order.feedback", map[string]string{"cause": "测温元件接线松动", "action": "已紧固接线，附校验记录", "note": "记录编号 JY-01"}, "")
	ok(order, "order.feedback")
	stateIs("orders/"+order, "state", "answered")
	as("duty1")
	// In English a refusal is in English, with the form's own label.
	eval[bool](t, ctx, `(window.parktwin.setLang("en"), true)`)
	act(order, "order.return", map[string]string{"note": ""}, "")
	if r, _, text := answered(order, "order.return"); r != "error" || !strings.Contains(text, "Reason for return") || strings.Contains(text, "退回") {
		t.Errorf("return without a reason in English: %s %q", r, text)
	}
	eval[bool](t, ctx, `(window.parktwin.setLang("zh-CN"), true)`)
	act(order, "order.close", nil, "")
	ok(order, "order.close")
	if o := stateIs("orders/"+order, "state", "closed"); o["closedBy"] != "duty1" {
		t.Errorf("order closed by %v", o["closedBy"])
	}
	// The open orders no longer list it.
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#wl-list li[data-id=%q]') === null`, order), 5*time.Second)

	// ── A hidden danger registered at the tank's enterprise, past due ──
	if !eval[bool](t, ctx, fmt.Sprintf(`window.parktwin.select(%q)`, ent)) {
		t.Fatalf("no enterprise %s in the page", ent)
	}
	pastDue := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
	act(ent, "danger.register", map[string]string{"title": "储罐区防火堤破损", "owner": "张工", "due": pastDue, "description": "东侧防火堤裂缝"}, "")
	ok(ent, "danger.register")
	danger := eval[string](t, ctx, `document.querySelector("#details .loop-msg a.loop-created").dataset.ref`)
	if d := stateIs("hidden-dangers/"+danger, "state", "registered"); d["enterprise"] != ent || d["owner"] != "张工" {
		t.Errorf("registered danger: %v", d)
	}
	// Overdue: the enterprise turns yellow, and its panel says why.
	waitJS(t, ctx, `document.querySelector('#safety-section li[data-reason="danger-overdue"]') !== null`, 15*time.Second)
	if code := props("enterprises/" + ent)["safetyCode"]; code != "yellow" {
		t.Errorf("safety code with an overdue danger: %v", code)
	}

	// A second one, due in two weeks.
	act(ent, "danger.register", map[string]string{"title": "消防通道堆放杂物", "owner": "李工", "due": time.Now().UTC().AddDate(0, 0, 14).Format(time.DateOnly)}, "")
	ok(ent, "danger.register")
	later := eval[string](t, ctx, `document.querySelector("#details .loop-msg a.loop-created").dataset.ref`)
	stateIs("hidden-dangers/"+later, "state", "registered")

	// And one at another enterprise, past due, registered elsewhere.
	other := "ENT-0002"
	if other == ent {
		other = "ENT-0003"
	}
	var elsewhere struct{ ID string }
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/hidden-dangers", "", fmt.Sprintf(
		`{"type":"Feature","geometry":null,"properties":{"enterprise":%q,"title":"配电室漏水","owner":"王工","due":%q}}`, other, pastDue), &elsewhere); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.feature("hidden-dangers", %q) !== undefined`, elsewhere.ID), 10*time.Second)

	// Found in the dangers list filtered by the enterprise: the overdue
	// one first, the other enterprise's not at all; with "overdue only",
	// alone.
	tab("dangers")
	if got := eval[string](t, ctx, fmt.Sprintf(`(() => { const s = document.querySelector("#wl-enterprise"); s.value = %q; s.dispatchEvent(new Event("change")); return s.value; })()`, ent)); got != ent {
		t.Fatalf("the enterprise filter offers no %s (chose %q)", ent, got)
	}
	rows := `[...document.querySelectorAll("#wl-list li[data-id]")].map((li) => li.dataset.id + ":" + li.dataset.overdue).join(",")`
	waitJS(t, ctx, fmt.Sprintf(`%s === %q`, rows, danger+":true,"+later+":false"), 10*time.Second)
	click(t, ctx, "#wl-overdue")
	waitJS(t, ctx, fmt.Sprintf(`%s === %q`, rows, danger+":true"), 5*time.Second)
	click(t, ctx, "#wl-overdue")
	openRow("#wl-list", danger)
	// Every step offers only the states the twin allows next.
	for _, step := range []struct{ from, to string }{
		{"registered", "rectifying"}, {"rectifying", "accepted"}, {"accepted", "rectifying"},
		{"rectifying", "accepted"}, {"accepted", "closed"},
	} {
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q && document.querySelector('#details form.loop-form[data-action="danger.state"][data-to=%q]') !== null`, danger, step.to), 10*time.Second)
		offered := eval[[]string](t, ctx, `[...document.querySelectorAll('#details form.loop-form[data-action="danger.state"]')].map((f) => f.dataset.to)`)
		want := map[string][]string{"registered": {"rectifying"}, "rectifying": {"accepted"}, "accepted": {"closed", "rectifying"}}[step.from]
		if !slices.Equal(offered, want) {
			t.Errorf("a %s danger offers %v, want %v", step.from, offered, want)
		}
		act(danger, "danger.state", nil, step.to)
		ok(danger, "danger.state")
		stateIs("hidden-dangers/"+danger, "state", step.to)
	}
	waitJS(t, ctx, `document.querySelector('#details form.loop-form[data-action="danger.state"]') === null`, 5*time.Second)

	// ── The reminder (督办) the overdue danger raised, done from its panel ──
	var tasks struct {
		Features []struct {
			ID         string                         `json:"id"`
			Properties struct{ Type, Subject string } `json:"properties"`
		} `json:"features"`
	}
	task := ""
	eventually(t, func() bool {
		getJSON(t, p.base+"/api/v1/tasks", &tasks)
		for _, x := range tasks.Features {
			if x.Properties.Type == "overdue-danger" && x.Properties.Subject == danger {
				task = x.ID
			}
		}
		return task != ""
	}, 10*time.Second)
	tab("tasks")
	click(t, ctx, "#wl-overdue")
	openRow("#wl-list", task)
	act(task, "task.done", nil, "")
	ok(task, "task.done")
	if x := stateIs("tasks/"+task, "done", "true"); x["doneBy"] != "duty1" {
		t.Errorf("task done by %v", x["doneBy"])
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#wl-list li[data-id=%q]') === null`, task), 5*time.Second)
	noPageErrors(t, errs)
}

// normalValue is a reading of the sensor inside its limits.
func normalValue(t *testing.T, p *parkd, sensor string) float64 {
	t.Helper()
	var f struct {
		Properties struct {
			Limits struct{ LL, L, H, HH *float64 } `json:"limits"`
		} `json:"properties"`
	}
	getJSON(t, p.base+"/api/v1/sensors/"+sensor, &f)
	l := f.Properties.Limits
	lo, hi := l.LL, l.H
	if l.L != nil {
		lo = l.L
	}
	if hi == nil {
		hi = l.HH
	}
	if hi == nil {
		t.Fatalf("sensor %s has no upper limit", sensor)
	}
	if lo != nil {
		return (*lo + *hi) / 2
	}
	return *hi - 10
}
