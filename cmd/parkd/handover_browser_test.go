package main

import (
	"bytes"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A shift handed over in the console: the outgoing duty officer drafts
// the record of the shift (a red alarm in it) with notes, signs it, is
// refused the incoming signature, switches user; the incoming officer
// logs in and signs; the record shows both signatures, sealed, as the
// server holds it; the print view (print media, A4) shows the record and
// its signatures without the page's controls, and prints to a PDF.
// The form offers the start of the shift in the rules (alarmManagement
// shifts: drafted at 15:35 Beijing, the day shift's 08:00); the record
// names enterprises and subjects (their ids small, and as titles), marks
// the alarm shelved at the shift's end, and fits the window on screen
// and the A4 page in print.
func TestHandoverInTheConsole(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	const pw = "duty-test-password"
	for _, u := range []string{"duty1", "duty2"} {
		if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "",
			fmt.Sprintf(`{"name":%q,"role":"duty-officer","password":%q}`, u, pw), &struct{}{}); err != nil {
			t.Fatal(err)
		}
	}
	sensor, _, hh := sensorOf(t, p)
	if status, b := postReadings(t, p, gatewayToken(t, p), oneReading(sensor, hh+5)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}

	loginAs(t, ctx, p.base+"/ui/handover.html", "duty1", pw)
	waitJS(t, ctx, `window.parktwin && window.parktwin.handoverPage && window.parktwin.handoverPage.ready`, 30*time.Second)

	// The shift start offered comes from the rules' shifts.
	waitJS(t, ctx, `document.querySelector("#draft-form").dataset.default === "rules"`, 10*time.Second)
	var rules struct {
		Shifts []struct{ Name, Start string }
	}
	if status := getJSON(t, p.base+"/api/v1/alarm-rules", &rules); status != 200 || len(rules.Shifts) == 0 {
		t.Fatalf("alarm-rules: %d %+v", status, rules)
	}
	offered := eval[string](t, ctx, `document.querySelector("#draft-form").elements.shiftStart.value`)
	startOK := false
	for _, sh := range rules.Shifts {
		startOK = startOK || strings.HasSuffix(offered, "T"+sh.Start) || strings.HasSuffix(offered, "T"+sh.Start+":00")
	}
	if !startOK {
		t.Errorf("the form offers the shift start %q, not a shift start of the rules %+v", offered, rules.Shifts)
	}
	for at, want := range map[string]string{
		"2026-12-02T07:35:00Z": "2026-12-02T08:00:00", // 15:35 Beijing: the day shift, from 08:00
		"2026-12-02T08:20:00Z": "2026-12-02T08:00:00", // 16:20: within the hour after the change, still the day shift
		"2026-12-01T16:40:00Z": "2026-12-01T16:00:00", // 00:40 on the 2nd: the evening shift, from 16:00 the day before
		"2026-12-01T18:00:00Z": "2026-12-02T00:00:00", // 02:00: the night shift, from midnight
	} {
		if got := eval[string](t, ctx, fmt.Sprintf(`window.parktwin.handoverPage.defaultStart(Date.parse(%q))`, at)); got != want {
			t.Errorf("drafted at %s the shift start offered is %q, want %q (rules' shifts %+v)", at, got, want, rules.Shifts)
		}
	}

	// The alarm is shelved before the shift is handed over.
	alarmID, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/api/v1/alarms").then((r) => r.json()).then((fc) => fc.features.find((f) => f.properties.state !== "closed").id)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	shelved, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`import("/ui/api.js").then(({ API, apiFetch }) =>
		apiFetch(API + "/alarms/%s/shelve", { method: "POST", headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ durationS: 3600, reason: "仪表检修" }) })).then((r) => r.status)`, alarmID), chromedp.EvalAwaitPromise))
	if err != nil || shelved != 200 {
		t.Fatalf("shelve %s: %d %v", alarmID, shelved, err)
	}
	// The notes end in a run of characters with no place to break, as an
	// officer pastes them: the record must still fit.
	notes := "3号罐区温度报警已通知企业复核；待校验：" + strings.Repeat("SEN000101", 40)
	eval[bool](t, ctx, `(() => {
		const f = document.querySelector("#draft-form");
		f.elements.notes.value = `+strconv.Quote(notes)+`;
		f.querySelector("button[type=submit]").click();
		return true; })()`)
	waitJS(t, ctx, `document.querySelector("#record").dataset.state === "draft"`, 20*time.Second)
	id := eval[string](t, ctx, `document.querySelector("#record").dataset.id`)

	var h struct {
		Properties struct {
			Notes   string
			Summary struct {
				Alarms struct {
					Raised, Closed int
					Open           struct{ Total int }
				}
			}
			Outgoing, Incoming *struct {
				User string
				At   time.Time
			}
		}
	}
	read := func() {
		t.Helper()
		h.Properties.Outgoing, h.Properties.Incoming = nil, nil
		if status := getJSON(t, p.base+"/api/v1/handovers/"+id, &h); status != 200 {
			t.Fatalf("GET handover %s: %d", id, status)
		}
	}
	read()
	if a := h.Properties.Summary.Alarms; a.Raised < 1 || a.Open.Total < 1 {
		t.Errorf("the shift's alarm is not in the summary: %+v", a)
	}
	counts := eval[string](t, ctx, `document.querySelector("#record-alarms").textContent`)
	if want := fmt.Sprintf("本班新增 %d 条，关闭 %d 条；未关闭 %d 条", h.Properties.Summary.Alarms.Raised,
		h.Properties.Summary.Alarms.Closed, h.Properties.Summary.Alarms.Open.Total); counts != want {
		t.Errorf("the page's alarm counts %q, the server's %q", counts, want)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll("#record-open-alarms tbody tr").length`); got != min(h.Properties.Summary.Alarms.Open.Total, 100) {
		t.Errorf("%d open alarms listed, the record holds %d", got, h.Properties.Summary.Alarms.Open.Total)
	}
	// Names, not raw ids: the shelved alarm's enterprise and subject by
	// name, the id small under it and as its title; marked shelved.
	row := fmt.Sprintf(`#record-open-alarms tbody tr[data-id=%q]`, alarmID)
	cells := eval[[]string](t, ctx, fmt.Sprintf(`(() => { const tr = document.querySelector(%q); if (!tr) return [];
		const p = window.parktwin.handoverPage.record().properties.summary.alarms.open.items.find((it) => it.id === %q);
		const n = (td) => td.querySelector(".named");
		return [...tr.querySelectorAll("td")].filter((td) => n(td)).map((td) => n(td).firstChild.textContent + "|" + n(td).title)
			.concat([p.enterpriseName + "|" + p.enterprise, p.subjectName + "|" + p.subject, tr.dataset.shelved || "",
				(tr.querySelector(".shelved") || {}).textContent || ""]); })()`, row, alarmID))
	if len(cells) != 6 || cells[0] != cells[2] || cells[1] != cells[3] || strings.HasPrefix(cells[0], "|") || strings.HasPrefix(cells[1], "|") ||
		!strings.HasPrefix(cells[2], "上虞") && !strings.Contains(cells[2], "公司") || cells[4] != "true" || !strings.HasPrefix(cells[5], "已搁置至") {
		t.Errorf("the shelved alarm's row shows %q: want the enterprise's and subject's names with their ids as titles, marked shelved", cells)
	}
	if raw := eval[string](t, ctx, `[...document.querySelectorAll("#record td")].map((td) => td.textContent).filter((s) => /^(ENT|TNK)-[\d-]+$/.test(s)).join()`); raw != "" {
		t.Errorf("raw ids alone in the record: %s", raw)
	}
	fits := func(what string) {
		t.Helper()
		if w := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth, document.querySelector("#record").scrollWidth, document.querySelector("#record").clientWidth]`); w[0] > w[1] || w[2] > w[3] {
			t.Errorf("%s: the page is %d px wide in a %d px window, the record %d px in %d", what, w[0], w[1], w[2], w[3])
		}
	}
	fits("on screen")
	// The list of records fits its column.
	if w := eval[[]int](t, ctx, `[document.querySelector("#list").scrollWidth, document.querySelector("#list").clientWidth]`); w[0] > w[1] {
		t.Errorf("the list of records is %d px wide in its %d px column", w[0], w[1])
	}

	click(t, ctx, "#sig-outgoing button.sign")
	waitJS(t, ctx, `document.querySelector("#record").dataset.state === "outgoing-signed"`, 10*time.Second)
	if who := eval[string](t, ctx, `document.querySelector("#sig-outgoing .who").textContent`); who != "duty1" {
		t.Errorf("outgoing signature %q", who)
	}
	// duty1 may not sign as the incoming: the page offers to switch user.
	if eval[bool](t, ctx, `!document.querySelector("#sig-incoming button.sign").hidden || document.querySelector("#sig-incoming .switch").hidden`) {
		t.Error("the outgoing officer is offered the incoming signature")
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
	waitLoaded(t, ctx, fmt.Sprintf(`document.querySelector("#record").dataset.id === %q && !document.querySelector("#sig-incoming button.sign").hidden`, id), 20*time.Second)
	click(t, ctx, "#sig-incoming button.sign")
	waitJS(t, ctx, `document.querySelector("#record").dataset.state === "signed"`, 10*time.Second)

	read()
	if o, i := h.Properties.Outgoing, h.Properties.Incoming; o == nil || i == nil || o.User != "duty1" || i.User != "duty2" || i.At.Before(o.At) {
		t.Fatalf("the server's signatures: %+v %+v", o, i)
	}
	if h.Properties.Notes != notes {
		t.Errorf("notes %q", h.Properties.Notes)
	}
	shown := eval[[]string](t, ctx, `["#sig-outgoing .who", "#sig-outgoing .when", "#sig-incoming .who", "#sig-incoming .when"].map((s) => document.querySelector(s).textContent)`)
	if shown[0] != "duty1" || shown[2] != "duty2" || shown[1] == "" || shown[3] == "" {
		t.Errorf("signatures shown: %q", shown)
	}
	if eval[bool](t, ctx, `document.querySelector("#record-sealed").hidden || [...document.querySelectorAll("#record button.sign")].some((b) => !b.hidden)`) {
		t.Error("a record signed by both is not shown sealed")
	}

	// In English, every label is English: no key shows as a key.
	click(t, ctx, "#lang-toggle")
	waitJS(t, ctx, `document.querySelector("#topbar h1").textContent === "Shift handover"`, 5*time.Second)
	if raw := eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter((e) => e.children.length === 0 && /^(handover|enum|nav)\./.test(e.textContent)).map((e) => e.textContent).join()`); raw != "" {
		t.Errorf("untranslated keys on the page: %s", raw)
	}
	if zh := eval[string](t, ctx, `[...document.querySelectorAll("[data-i18n]:not(#lang-toggle), th, .chart-legend li, svg.chart .tick, svg.chart .caption")].map((e) => e.textContent).filter((s) => /[\u4e00-\u9fff]/.test(s) && !/[\u4e00-\u9fff]{2,}(库|公司)/.test(s)).join(" | ")`); zh != "" {
		t.Errorf("Chinese labels in the English page: %s", zh)
	}
	if got := eval[string](t, ctx, `document.querySelector("#record").dataset.state === "signed" && document.querySelector("#record-sealed").textContent`); got != "Signed by both officers: the record cannot change." {
		t.Errorf("the sealed record in English: %q", got)
	}

	// The print view.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shownInPrint := func(sel string) bool {
		return eval[bool](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q);
			return !!e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0; })()`, sel))
	}
	for _, sel := range []string{"#record", "#record-title", "#record-open-alarms table", "#sig-outgoing .who", "#sig-incoming .when", "#record-notes"} {
		if !shownInPrint(sel) {
			t.Errorf("%s is not in the print view", sel)
		}
	}
	for _, sel := range []string{"#topbar", "#draft", "#list", "#print"} {
		if shownInPrint(sel) {
			t.Errorf("%s is in the print view", sel)
		}
	}
	// A4 less the margins (15 mm each side) is 180 mm, 680 CSS px.
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 680, Height: 960, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	fits("in print on A4")
	if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if size := eval[string](t, ctx, `[...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r instanceof CSSPageRule).map((r) => r.style.getPropertyValue("size")).join()`); !strings.EqualFold(size, "A4") {
		t.Errorf("the page size of the print stylesheet: %q", size)
	}
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	pdf := res.Data
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("the printed record is not a PDF (%d bytes)", len(pdf))
	}
	t.Logf("handover %s printed: %d bytes of PDF", id, len(pdf))
	noPageErrors(t, errs)
}
