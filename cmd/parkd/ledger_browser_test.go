package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// The warehouse's details in the console show what its ledger leaves:
// two SCBA sets issued to a team come off the ready count and show as
// out when the details are opened again.
func TestWarehouseStockInTheConsole(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")
	readyOf := func() (string, string) {
		t.Helper()
		eval[bool](t, ctx, `(() => { window.parktwin.select("TEAM-01"); window.parktwin.select("WH-01"); return true; })()`)
		waitJS(t, ctx, `(() => { const s = document.querySelector("#stock-section"); return s && s.dataset.loaded === "true" && s.querySelector("tr[data-type=scba]") !== null; })()`, 10*time.Second)
		cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#stock-section tr[data-type=scba] td")].map((td) => td.textContent)`)
		return cells[1], cells[2]
	}
	before, outBefore := readyOf()
	if outBefore != "0" {
		t.Fatalf("scba out before the issue: %q", outBefore)
	}
	res, err := http.Post(p.base+"/api/v1/warehouses/WH-01/ledger", "application/json",
		strings.NewReader(`{"op":"issue","type":"scba","quantity":2,"to":"TEAM-01","reason":"训练"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("issue: %d", res.StatusCode)
	}
	after, out := readyOf()
	if after == before || out != "2" {
		t.Errorf("scba ready %q → %q, out %q: want two fewer ready and 2 out", before, after, out)
	}
	t.Logf("scba ready %s → %s", before, after)
}

// A keeper's day from the warehouse's page alone: receive foam, issue two
// SCBA sets to a team, take one back failed, see readiness drop, export
// the ledger to Excel, import a CSV receipt, open a label's link; the
// dispatcher's plan then does not offer the failed set. The inspection
// calendar shows a set overdue for its check, first and in red; from its
// line the keeper opens its history and inspects it, and it leaves the
// overdue list.
func TestKeepersDayInTheConsole(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	const pw = "keeper-test-password"
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "",
		fmt.Sprintf(`{"name":"keeper1","role":"keeper","warehouses":["WH-01"],"password":%q}`, pw), &struct{}{}); err != nil {
		t.Fatal(err)
	}
	loginAs(t, ctx, p.base+"/ui/warehouse.html?id=WH-01", "keeper1", pw)
	waitJS(t, ctx, `window.parktwin && window.parktwin.warehousePage && window.parktwin.warehousePage.ready`, 30*time.Second)

	// scbaReady is the SCBA sets ready in the page's readiness table.
	scbaReady := func() string {
		t.Helper()
		return eval[string](t, ctx, `document.querySelector("#readiness-table tr[data-type=scba] td:nth-child(2)").textContent`)
	}
	ready0, pct0 := scbaReady(), eval[string](t, ctx, `document.querySelector("#readiness-percent").dataset.percent`)

	// enter fills the entry form and submits it as the keeper would, and
	// waits for the page to show the outcome and read the warehouse again.
	enter := func(fields map[string]string) (entry, serials string) {
		t.Helper()
		b, _ := json.Marshal(fields)
		loads := eval[int](t, ctx, `window.parktwin.warehousePage.loads`)
		eval[bool](t, ctx, fmt.Sprintf(`(() => {
			const f = document.querySelector("#entry-form");
			f.reset();
			for (const [k, v] of Object.entries(%s)) f.elements[k].value = v;
			f.querySelector("button[type=submit]").click();
			return true; })()`, b))
		waitJS(t, ctx, fmt.Sprintf(`window.parktwin.warehousePage.loads > %d`, loads), 20*time.Second)
		res := eval[map[string]string](t, ctx, `({...document.querySelector("#entry-result").dataset, text: document.querySelector("#entry-result").textContent})`)
		if res["result"] != "ok" {
			t.Fatalf("%v: %v", fields, res)
		}
		return res["entry"], res["serials"]
	}
	// Foam received with its manufacture date and last lab test, as the
	// form takes them (a receipt without them is refused: its life would
	// have no start).
	made, tested := time.Now().AddDate(0, -3, 0).Format(time.DateOnly), time.Now().AddDate(0, -1, 0).Format(time.DateOnly)
	enter(map[string]string{"op": "receive", "type": "foam-afff-3", "quantity": "1000", "from": "供应商", "reason": "采购入库",
		"made": made, "tested": "test:" + tested})
	_, issued := enter(map[string]string{"op": "issue", "type": "scba", "quantity": "2", "to": "TEAM-01", "reason": "训练"})
	serials := strings.Split(issued, ",")
	if len(serials) != 2 {
		t.Fatalf("issued %q, want two serials", issued)
	}
	failed := serials[0]
	enter(map[string]string{"op": "return", "type": "scba", "serials": failed, "result": "fail", "findings": "面罩漏气"})

	ready1, pct1 := scbaReady(), eval[string](t, ctx, `document.querySelector("#readiness-percent").dataset.percent`)
	r0, r1 := parseLead(t, ready0), parseLead(t, ready1)
	if r1 != r0-2 {
		t.Errorf("scba ready %v → %v: want two fewer (one out, one failed)", r0, r1)
	}
	t.Logf("scba ready %v → %v, readiness %s %% → %s %%", r0, r1, pct0, pct1)
	if p0, p1 := parseLead(t, pct0), parseLead(t, pct1); p1 > p0 {
		t.Errorf("readiness rose: %v → %v", p0, p1)
	}

	// The item's history: its serial in the ledger opens it.
	eval[bool](t, ctx, fmt.Sprintf(`(document.querySelector("#ledger-table a.serial[data-serial='%s']").click(), true)`, failed))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#item").dataset.serial === %q && !document.querySelector("#item").hidden`, failed), 10*time.Second)
	if st := eval[string](t, ctx, `document.querySelector("#item").dataset.state`); st != "quarantined" && st != "repair" {
		t.Errorf("the failed set is %q, want quarantined or in repair", st)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#item-history tbody tr").length`); n < 3 {
		t.Errorf("the failed set's history has %d entries, want its receipt, issue and return", n)
	}

	// The export the page links to, read back with excelize.
	href := eval[string](t, ctx, `document.querySelector("#export-xlsx").href`)
	res, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatalf("%s: %v", href, err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var foam, ret bool
	for _, row := range rows {
		line := strings.Join(row, "|")
		foam = foam || strings.Contains(line, "foam-afff-3") && strings.Contains(line, "receive") && strings.Contains(line, "keeper1")
		ret = ret || strings.Contains(line, "return") && strings.Contains(line, failed) && strings.Contains(line, "fail")
	}
	if !foam || !ret {
		t.Errorf("the workbook (%d rows) lacks the foam's receipt (%v) or the failed return (%v)", len(rows), foam, ret)
	}

	// The office's file, imported from the page: two new sets received.
	csvFile := filepath.Join(t.TempDir(), "receipt.csv")
	if err := os.WriteFile(csvFile, []byte("操作 op,类型 type,序列号 serials,来自 from,原因 reason\nreceive,scba,WH01-NEW-001 WH01-NEW-002,供应商,采购入库\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loads := eval[int](t, ctx, `window.parktwin.warehousePage.loads`)
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#import-form input[type=file]`), []string{csvFile}),
		chromedp.Click(chromedp.CSS(`#import-form button[type=submit]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.warehousePage.loads > %d`, loads), 20*time.Second)
	if r := eval[string](t, ctx, `document.querySelector("#import-result").dataset.result`); r != "ok" {
		t.Errorf("import: %s %q", r, eval[string](t, ctx, `document.querySelector("#import-result").textContent`))
	}
	waitJS(t, ctx, `document.querySelector("#ledger-table a.serial[data-serial='WH01-NEW-002']") !== null`, 10*time.Second)

	// The failed set's label: its link (the URL its QR code holds) opens
	// the item's page.
	pdf := get(t, p.base+"/api/v1/warehouses/WH-01/labels.pdf")
	var itemPage string
	for _, m := range regexp.MustCompile(`/URI \(([^)]*)\)`).FindAllSubmatch(pdf, -1) {
		if strings.HasSuffix(string(m[1]), "serial="+failed) {
			itemPage = string(m[1])
		}
	}
	if itemPage == "" {
		t.Fatalf("no label links to %s", failed)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(itemPage)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`(() => { const i = document.querySelector("#item"); return i && !i.hidden && i.dataset.serial === %q; })()`, failed), 20*time.Second)

	// The inspection calendar: a set received (by the office, over the
	// API) with its monthly check five days past is overdue (its yearly
	// service two months old is not) — listed
	// first, in red, whatever the month shown; its line opens the set's
	// history and fills the entry form to inspect it, and the inspection
	// passed takes it off the overdue list.
	const calSerial = "WH01-CAL-001"
	var rec any
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/warehouses/WH-01/ledger", "",
		fmt.Sprintf(`{"op":"receive","type":"scba","serials":[%q],"tested":{"monthly":%q,"service":%q},"from":"供应商","reason":"采购入库"}`,
			calSerial, time.Now().AddDate(0, -1, -5).Format(time.DateOnly), time.Now().AddDate(0, -2, 0).Format(time.DateOnly)), &rec); err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf(`#cal-list table[data-group=overdue] tr[data-serial=%q][data-kind=inspection]`, calSerial)
	calLoads := eval[int](t, ctx, `window.parktwin.warehousePage.calLoads`)
	eval[bool](t, ctx, `(document.querySelector("#cal-this").click(), true)`)
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.warehousePage.calLoads > %d && document.querySelector(%q) !== null`, calLoads, row), 20*time.Second)
	if g := eval[string](t, ctx, `document.querySelector("#cal-list table").dataset.group`); g != "overdue" {
		t.Errorf("the calendar's first group is %q, want the overdue", g)
	}
	if c := eval[string](t, ctx, fmt.Sprintf(`getComputedStyle(document.querySelector(%q + " td")).color`, row)); c != "rgb(224, 49, 49)" {
		t.Errorf("the overdue line's colour %s, want red (#e03131)", c)
	}
	if h := eval[string](t, ctx, `document.querySelector("#cal-list h3").textContent`); !strings.Contains(h, "逾期") {
		t.Errorf("the overdue group's heading %q, want it in Chinese (逾期)", h)
	}
	eval[bool](t, ctx, fmt.Sprintf(`(document.querySelector(%q + " button.cal-history").click(), true)`, row))
	waitJS(t, ctx, fmt.Sprintf(`(() => { const i = document.querySelector("#item"); return !i.hidden && i.dataset.serial === %q && document.querySelectorAll("#item-history tbody tr").length > 0; })()`, calSerial), 10*time.Second)
	eval[bool](t, ctx, fmt.Sprintf(`(document.querySelector(%q + " button.cal-inspect").click(), true)`, row))
	form := eval[map[string]string](t, ctx, `(() => { const f = document.querySelector("#entry-form").elements; return {op: f.op.value, type: f.type.value, serials: f.serials.value, result: f.result.value, schedule: f.schedule.value}; })()`)
	if form["op"] != "inspect" || form["type"] != "scba" || form["serials"] != calSerial || form["result"] != "pass" || form["schedule"] != "monthly" {
		t.Fatalf("the inspect form as the calendar filled it: %v", form)
	}
	loads = eval[int](t, ctx, `window.parktwin.warehousePage.loads`)
	eval[bool](t, ctx, `(document.querySelector("#entry-form button[type=submit]").click(), true)`)
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.warehousePage.loads > %d`, loads), 20*time.Second)
	if r := eval[string](t, ctx, `document.querySelector("#entry-result").dataset.result`); r != "ok" {
		t.Fatalf("the inspection: %s %q", r, eval[string](t, ctx, `document.querySelector("#entry-result").textContent`))
	}
	if n := eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll("#cal-list tr[data-serial='%s'][data-overdue=true]").length + window.parktwin.warehousePage.calendar().filter((d) => d.serial === %q && d.overdue).length`, calSerial, calSerial)); n != 0 {
		t.Errorf("%s still overdue after its inspection passed (%d lines)", calSerial, n)
	}
	calLoads = eval[int](t, ctx, `window.parktwin.warehousePage.calLoads`)
	eval[bool](t, ctx, `(document.querySelector("#lang-toggle").click(), true)`)
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.warehousePage.calLoads > %d`, calLoads), 20*time.Second)
	if h := eval[string](t, ctx, `document.querySelector("#calendar h2").textContent`); h != "Inspection calendar" {
		t.Errorf("the calendar's title in English: %q", h)
	}

	// The dispatcher: a toxic release at the tank nearest the warehouse
	// asks for spare breathing sets for its entry team. The other stores
	// rank before a district warehouse, so their sets go out first (to a
	// training day, over the API): the plan must draw on WH-01, whose first
	// ready serial the failed set was, and offers neither the failed set
	// nor the one out.
	var whs featureList
	if getJSON(t, p.base+"/api/v1/warehouses", &whs); len(whs.Features) == 0 {
		t.Fatal("no warehouses")
	}
	for _, wh := range whs.Features {
		if wh.ID == "WH-01" {
			continue
		}
		var st struct {
			Types []struct {
				Type  string
				Ready float64
			}
		}
		getJSON(t, p.base+"/api/v1/warehouses/"+wh.ID+"/stock", &st)
		for _, ty := range st.Types {
			if ty.Type != "scba" || ty.Ready == 0 {
				continue
			}
			var e any
			if err := postJSON(http.DefaultClient, p.base+"/api/v1/warehouses/"+wh.ID+"/ledger", "",
				fmt.Sprintf(`{"op":"issue","type":"scba","quantity":%v,"to":"TEAM-02","reason":"训练"}`, ty.Ready), &e); err != nil {
				t.Fatal(err)
			}
		}
	}
	tank := nearestTank(t, p, "WH-01")
	var inc struct{ ID string }
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/incidents", "",
		fmt.Sprintf(`{"type":"toxic-release","entity":%q,"level":"I","reporter":"调度员"}`, tank), &inc); err != nil {
		t.Fatal(err)
	}
	var plan struct {
		Equipment []struct {
			Type, Warehouse string
			Items           []string
		}
	}
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/incidents/"+inc.ID+"/plan", "", "", &plan); err != nil {
		t.Fatal(err)
	}
	offered, fromWH01 := 0, false
	for _, l := range plan.Equipment {
		if l.Type != "scba" {
			continue
		}
		t.Logf("plan: %d scba from %s", len(l.Items), l.Warehouse)
		fromWH01 = fromWH01 || l.Warehouse == "WH-01"
		for _, s := range l.Items {
			offered++
			if s == failed || s == serials[1] {
				t.Errorf("the plan offers %s, which is failed or out", s)
			}
		}
	}
	if offered == 0 || !fromWH01 {
		t.Error("the plan offers no SCBA set of WH-01: nothing to judge")
	}
}

// parseLead reads the number a cell begins with ("18 套", "85.5").
func parseLead(t *testing.T, s string) float64 {
	t.Helper()
	f := strings.Fields(strings.ReplaceAll(s, ",", ""))
	if len(f) == 0 {
		t.Fatalf("no number in %q", s)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		t.Fatalf("no number in %q", s)
	}
	return v
}

// nearestTank returns the tank nearest to an entity (by its point).
func nearestTank(t *testing.T, p *parkd, id string) string {
	t.Helper()
	type fc struct {
		Features []struct {
			ID       string `json:"id"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	var whs, tanks fc
	json.Unmarshal(get(t, p.base+"/api/v1/warehouses"), &whs)
	json.Unmarshal(get(t, p.base+"/api/v1/tanks"), &tanks)
	first := func(raw json.RawMessage) [2]float64 {
		// The first position of a point, line or polygon.
		var pt [2]float64
		for _, v := range []any{&pt, &[][2]float64{}, &[][][2]float64{}} {
			if json.Unmarshal(raw, v) == nil {
				switch x := v.(type) {
				case *[][2]float64:
					if len(*x) > 0 {
						return (*x)[0]
					}
				case *[][][2]float64:
					if len(*x) > 0 && len((*x)[0]) > 0 {
						return (*x)[0][0]
					}
				default:
					return pt
				}
			}
		}
		return pt
	}
	var at [2]float64
	for _, w := range whs.Features {
		if w.ID == id {
			at = first(w.Geometry.Coordinates)
		}
	}
	best, bd := "", math.Inf(1)
	for _, tk := range tanks.Features {
		c := first(tk.Geometry.Coordinates)
		if d := math.Hypot(c[0]-at[0], c[1]-at[1]); d < bd {
			best, bd = tk.ID, d
		}
	}
	if best == "" {
		t.Fatal("no tank")
	}
	return best
}

// loginAs loads url and logs in on the login page it is sent to.
func loginAs(t *testing.T, ctx context.Context, url, user, password string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if pageState(t, ctx, "topbar", "login") == "topbar" {
		t.Fatal("already logged in")
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), user),
		chromedp.SendKeys(chromedp.CSS("#login-password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
	); err != nil {
		t.Fatal(err)
	}
	pageState(t, ctx, "topbar")
}

// Readiness live: an issue posted elsewhere (not through the page) shows
// on the warehouse's page without a reload, from the stream's readiness
// layer, and in the map's open details of the warehouse without opening
// them again.
func TestReadinessLiveInTheConsole(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	issue := func() {
		t.Helper()
		res, err := http.Post(p.base+"/api/v1/warehouses/WH-01/ledger", "application/json",
			strings.NewReader(`{"op":"issue","type":"scba","quantity":2,"to":"TEAM-01","reason":"训练"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("issue: %d", res.StatusCode)
		}
	}

	navigate(t, ctx, p.base+"/ui/warehouse.html?id=WH-01")
	waitJS(t, ctx, `window.parktwin && window.parktwin.warehousePage && window.parktwin.warehousePage.ready`, 30*time.Second)
	cell := `document.querySelector("#readiness-table tr[data-type=scba] td:nth-child(2)").textContent`
	before, loads, live := eval[string](t, ctx, cell), eval[int](t, ctx, `window.parktwin.warehousePage.loads`), eval[int](t, ctx, `window.parktwin.warehousePage.live`)
	issue()
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.warehousePage.live > %d && %s !== %q`, live, cell, before), 20*time.Second)
	after := eval[string](t, ctx, cell)
	if r0, r1 := parseLead(t, before), parseLead(t, after); r1 != r0-2 {
		t.Errorf("page: scba ready %v → %v, want two fewer", r0, r1)
	}
	if n := eval[int](t, ctx, `window.parktwin.warehousePage.loads`); n != loads {
		t.Errorf("the page read the warehouse again (%d → %d loads): the change was to come from the stream", loads, n)
	}

	open(t, ctx, p.base+"/")
	eval[bool](t, ctx, `(() => { window.parktwin.select("WH-01"); return true; })()`)
	stock := `document.querySelector("#stock-section tr[data-type=scba] td:nth-child(2)")`
	waitJS(t, ctx, `(() => { const s = document.querySelector("#stock-section"); return s && s.dataset.loaded === "true" && document.querySelector("#stock-section .readiness-line") !== null && `+stock+` !== null; })()`, 20*time.Second)
	shown := eval[string](t, ctx, stock+`.textContent`)
	issue()
	waitJS(t, ctx, fmt.Sprintf(`(() => { const c = %s; return c !== null && c.textContent !== %q; })()`, stock, shown), 20*time.Second)
	if r0, r1 := parseLead(t, shown), parseLead(t, eval[string](t, ctx, stock+`.textContent`)); r1 != r0-2 {
		t.Errorf("details: scba ready %v → %v, want two fewer", r0, r1)
	}
}
