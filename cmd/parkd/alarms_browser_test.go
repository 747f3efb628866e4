package main

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// floodReadings returns n readings, each raising an alarm at once on its
// own sensor (one without an on-delay): a third past HH (orange, high), a
// third between H and HH (yellow, high), a third under LL where the
// sensor has one (orange, low): levels and causes to sort and group. And
// the readings of one more sensor that chatters: three alarms in 20 s.
func floodReadings(t *testing.T, p *parkd, n int) (flood, chatter, chatterer string) {
	t.Helper()
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				OnDelayS float64 `json:"onDelayS"`
				Limits   struct {
					H, HH, LL *float64
				} `json:"limits"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(get(t, p.base+"/api/v1/sensors"), &fc); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var rs []string
	for _, f := range fc.Features {
		l := f.Properties.Limits
		if l.HH == nil || f.Properties.OnDelayS != 0 {
			continue
		}
		if len(rs) == n {
			if chatterer == "" && l.H != nil {
				// past HH, back under H, three times in 20 s, 40 s ago
				chatterer = f.ID
				var cs []string
				for i := range 5 {
					v := *l.H - 20
					if i%2 == 0 {
						v = *l.HH + 5
					}
					at := time.Now().Add(time.Duration(-40+5*i) * time.Second).UTC().Format(time.RFC3339Nano)
					cs = append(cs, fmt.Sprintf(`{"sensor":%q,"t":%q,"value":%v}`, f.ID, at, v))
				}
				chatter = `{"readings":[` + strings.Join(cs, ",") + `]}`
			}
			continue
		}
		v := *l.HH + 5
		switch {
		case len(rs)%3 == 1 && l.H != nil && *l.H < *l.HH:
			v = (*l.H + *l.HH) / 2
		case len(rs)%3 == 2 && l.LL != nil:
			v = *l.LL - 5
		}
		rs = append(rs, fmt.Sprintf(`{"sensor":%q,"t":%q,"value":%v}`, f.ID, now, v))
	}
	if len(rs) < n || chatterer == "" {
		t.Fatalf("%d sensors with an HH limit and no on-delay, want %d and one more to chatter", len(rs), n)
	}
	return `{"readings":[` + strings.Join(rs, ",") + `]}`, chatter, chatterer
}

// A flood of alarms from gateways' readings, as the console shows and
// handles it: twelve alarms in one batch through the ingest route (more
// than the rules' 10 in 10 minutes, after one sensor's three in 20 s)
// bring up the flood banner and group
// the open alarms by enterprise and cause, groups and alarms highest
// priority first, each group folding and unfolding with its count. One
// alarm shelved through its 搁置 form, with a reason, is shelved on the
// server by the session's user and moves from the active rows to the
// shelved group with the time it comes back; one shelved for 3 s comes
// back by itself, marked as back from shelving. The alarm panel's review
// line and the KPI page count the chatterer; the page counts the fifteen
// alarms, lists the flood and the chatterer as the top bad actor, its
// export answers, and it speaks English when switched.
func TestAlarmFloodShelveAndKPIsInThePage(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	readings, chatter, chatterer := floodReadings(t, p, 12)
	open(t, ctx, p.base+"/")
	if !eval[bool](t, ctx, `document.querySelector("#alarm-flood").hidden`) {
		t.Fatal("a flood banner before any alarm")
	}

	if status, b := postReadings(t, p, gatewayToken(t, p), chatter); status != 200 || !strings.Contains(b, `"accepted":5`) {
		t.Fatalf("readings: %d %s", status, b)
	}
	if status, b := postReadings(t, p, gatewayToken(t, p), readings); status != 200 || !strings.Contains(b, `"accepted":12`) {
		t.Fatalf("readings: %d %s", status, b)
	}
	waitJS(t, ctx, `!document.querySelector("#alarm-flood").hidden && document.querySelectorAll("#alarm-list li.alarm-group").length > 0`, 15*time.Second)
	waitJS(t, ctx, `[...document.querySelectorAll("#alarm-list li.alarm-group")].reduce((s, g) => s + Number(g.dataset.count), 0) === 15`, 10*time.Second)
	// The review line counts the chatterer.
	waitJS(t, ctx, `document.querySelector("#alarm-review").dataset.chattering === "1"`, 10*time.Second)

	// Every open alarm sits in the group of its enterprise and cause;
	// groups and the alarms in each go highest priority first.
	check := eval[string](t, ctx, `(() => {
		const rank = { red: 1, orange: 2, yellow: 3, blue: 4 };
		const heads = [...document.querySelectorAll("#alarm-list li.alarm-group")];
		for (let i = 1; i < heads.length; i++)
			if (rank[heads[i].dataset.level] < rank[heads[i - 1].dataset.level]) return "groups out of order at " + heads[i].dataset.group;
		for (const h of heads) {
			const items = [...document.querySelectorAll('#alarm-list li[data-id]')].filter((li) => li.dataset.inGroup === h.dataset.group);
			if (items.length !== Number(h.dataset.count)) return h.dataset.group + ": " + items.length + " items, count " + h.dataset.count;
			if (items[0].dataset.level !== h.dataset.level) return h.dataset.group + ": head level is not its first alarm's";
			for (let i = 0; i < items.length; i++) {
				const p = window.parktwin.feature("alarms", items[i].dataset.id).properties;
				if ((p.enterprise || "-") + "|" + p.condition !== h.dataset.group) return items[i].dataset.id + " in the wrong group";
				if (i > 0 && rank[items[i].dataset.level] < rank[items[i - 1].dataset.level]) return h.dataset.group + ": alarms out of order";
			}
		}
		return "";
	})()`)
	if check != "" {
		t.Fatal(check)
	}
	levels := eval[string](t, ctx, `[...document.querySelectorAll("#alarm-list li[data-id]")].map((li) => li.dataset.level).join(" ")`)
	if !strings.Contains(levels, "orange") || !strings.Contains(levels, "yellow") {
		t.Errorf("levels in the list: %s, want orange and yellow to sort", levels)
	}
	t.Logf("banner: %s", eval[string](t, ctx, `document.querySelector("#alarm-flood").textContent`))

	// A group folds and unfolds.
	key := eval[string](t, ctx, `document.querySelector("#alarm-list li.alarm-group").dataset.group`)
	items := fmt.Sprintf(`[...document.querySelectorAll("#alarm-list li[data-id]")].filter((li) => li.dataset.inGroup === %q)`, key)
	head := fmt.Sprintf(`#alarm-list li.alarm-group[data-group=%q]`, key)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(head))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, items+`.every((li) => li.hidden)`, 5*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(head))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, items+`.every((li) => !li.hidden)`, 5*time.Second)

	// Shelve the first alarm of the first group for 30 minutes, with a reason.
	id := eval[string](t, ctx, items+`[0].dataset.id`)
	li := fmt.Sprintf(`#alarm-list li[data-id=%q]`, id)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(li+" button.shelve"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, li+" form.shelve-form"), 5*time.Second)
	if !eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).validity.valueMissing`, li+` input[name=reason]`)) {
		t.Error("the reason is not required")
	}
	const reason = "仪表检修，已现场确认"
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(li+` select[name=durationS]`), "1800"),
		chromedp.SendKeys(chromedp.CSS(li+` input[name=reason]`), reason),
		chromedp.Click(chromedp.CSS(li+` form.shelve-form button[type=submit]`)),
	); err != nil {
		t.Fatal(err)
	}
	var a struct {
		Properties struct {
			State        string    `json:"state"`
			ShelvedUntil time.Time `json:"shelvedUntil"`
			ShelvedBy    string    `json:"shelvedBy"`
			ShelveReason string    `json:"shelveReason"`
		} `json:"properties"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		json.Unmarshal(get(t, p.base+"/api/v1/alarms/"+id), &a)
		if !a.Properties.ShelvedUntil.IsZero() || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if pr := a.Properties; pr.ShelveReason != reason || pr.ShelvedBy != "admin" ||
		time.Until(pr.ShelvedUntil) < 25*time.Minute || time.Until(pr.ShelvedUntil) > 31*time.Minute {
		t.Fatalf("alarm %s on the server after the form: %+v", id, pr)
	}
	waitJS(t, ctx, fmt.Sprintf(`(() => { const li = document.querySelector(%q);
		return li.dataset.shelved === "true" && li.dataset.inGroup === "shelved" && li.querySelector("time.shelved-until") !== null; })()`, li), 10*time.Second)
	if got := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).dateTime`, li+" time.shelved-until")); got == "" {
		t.Error("the shelved marker carries no time")
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll("#alarm-list li.alarm-group:not(.shelved)")].reduce((s, g) => s + Number(g.dataset.count), 0)`); n != 14 {
		t.Errorf("%d alarms in the active groups after shelving one, want 14", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('#alarm-list li.alarm-group[data-group="shelved"]').dataset.count`); got != "1" {
		t.Errorf("the shelved group counts %s, want 1", got)
	}

	// Another, shelved for 3 s (the page's own session, through the API:
	// the form offers 15 min and more), comes back by itself, marked so.
	id2 := eval[string](t, ctx, `[...document.querySelectorAll("#alarm-list li[data-id]")].find((li) => li.dataset.inGroup && li.dataset.inGroup !== "shelved").dataset.id`)
	li2 := fmt.Sprintf(`#alarm-list li[data-id=%q]`, id2)
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`import("/ui/api.js").then(({ API, apiFetch }) =>
		apiFetch(API + "/alarms/%s/shelve", { method: "POST", headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ durationS: 3, reason: "短时检修" }) })).then((r) => r.status)`, id2), chromedp.EvalAwaitPromise))
	if err != nil || status != 200 {
		t.Fatalf("shelve %s for 3 s: %d %v", id2, status, err)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q).dataset.shelved === "true"`, li2), 10*time.Second)
	// The Monitor brings it back on the server (its tick), and the
	// change reaches the page.
	type shelf struct {
		Properties struct {
			ShelvedUntil time.Time `json:"shelvedUntil"`
			ShelvedBy    string    `json:"shelvedBy"`
		} `json:"properties"`
	}
	deadline = time.Now().Add(20 * time.Second)
	for {
		var back shelf // afresh: a field left out keeps no old value
		json.Unmarshal(get(t, p.base+"/api/v1/alarms/"+id2), &back)
		if back.Properties.ShelvedUntil.IsZero() && back.Properties.ShelvedBy == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("alarm %s still shelved on the server: %+v", id2, back.Properties)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitJS(t, ctx, fmt.Sprintf(`(() => { const li = document.querySelector(%q);
		const p = window.parktwin.feature("alarms", %q).properties;
		return !p.shelvedUntil && li.dataset.shelved === "false" && li.dataset.inGroup !== "shelved" &&
			li.querySelector(".shelve-returned") !== null; })()`, li2, id2), 10*time.Second)
	// The review line counts both shelvings, the one that came back too.
	waitJS(t, ctx, `document.querySelector("#alarm-review").dataset.shelved === "2"`, 10*time.Second)

	// The KPI page, linked from the top bar.
	if href := eval[string](t, ctx, `document.querySelector("#alarm-kpis-link").getAttribute("href")`); href != "/ui/alarm-kpis.html" {
		t.Errorf("the top bar links %q", href)
	}
	navigate(t, ctx, p.base+"/ui/alarm-kpis.html?by=shift")
	waitJS(t, ctx, `window.parktwin && window.parktwin.alarmKpis && window.parktwin.alarmKpis.ready`, 20*time.Second)
	for kpi, want := range map[string]string{"alarms": "15", "chattering": "1", "standing": "0", "shelved": "2"} {
		if got := eval[string](t, ctx, fmt.Sprintf(`document.querySelector('#kpi-summary .kpi[data-kpi=%s] b').textContent`, kpi)); got != want {
			t.Errorf("the KPI page counts %s %q, want %s", kpi, got, want)
		}
	}
	if n := eval[int](t, ctx, `window.parktwin.alarmKpis.data().periods.reduce((s, p) => s + p.alarms, 0)`); n != 15 {
		t.Errorf("the shifts count %d alarms, want 15", n)
	}
	if got := eval[string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#kpi-chattering tbody tr[data-sensor=%q] td')].map((td) => td.textContent).join("|")`, chatterer)); !strings.Contains(got, "|3|3|") {
		t.Errorf("the chattering row of %s: %q, want 3 alarms, 3 within a window", chatterer, got)
	}
	// The tables, the shelvings' too, fit the page.
	if w := eval[[]int](t, ctx, `[document.body.scrollWidth, window.innerWidth, ...[...document.querySelectorAll("#kpi-main table")].map((t) => t.parentElement.clientWidth - t.scrollWidth)]`); w[0] > w[1] || slices.ContainsFunc(w[2:], func(d int) bool { return d < 0 }) {
		t.Errorf("the KPI page is %d px wide in a %d px window; room left by each table: %v", w[0], w[1], w[2:])
	}
	// The shelvings, listed for review: who, why; the one back from
	// shelving as well as the one still shelved.
	for aid, why := range map[string]string{id: reason, id2: "短时检修"} {
		if got := eval[string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#kpi-shelvings tbody tr[data-id=%q] td')].map((td) => td.textContent).join("|")`, aid)); !strings.Contains(got, "|admin|"+why+"|") {
			t.Errorf("the shelving row of %s: %q, want by admin for %s", aid, got, why)
		}
	}
	if got := eval[string](t, ctx, `document.querySelector("#kpi-actors tbody tr").dataset.sensor`); got != chatterer {
		t.Errorf("the top bad actor is %s, want the chatterer %s", got, chatterer)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#kpi-floods tbody tr:not(:has(td.empty))").length`); n != 1 {
		t.Errorf("%d flood rows, want 1", n)
	}
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#kpi-csv").href).then((r) => r.status + " " + r.headers.get("content-type"))`,
		chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(csv, "200 text/csv") {
		t.Errorf("the CSV export link answers %s %v", csv, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lang-toggle"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector('#kpi-summary .kpi[data-kpi=alarms] span').textContent === "Alarms"`, 5*time.Second)
	noPageErrors(t, errs)
}

// Long lists draw what is seen. The alarm list draws only the rows in or
// near its view (alarms.js): of 240 open alarms, the rows far below hold
// no contents and keep the height of a drawn row; scrolled to, the last
// row is drawn where it was, and the row under a point before the rows
// were drawn is the one under it after. Selecting a row far from the view
// draws it. The worklist shows the first 100 of the orders those alarms
// raised (overdue first), says how many of how many, and shows the rest
// when asked.
func TestLongListsDrawWhatIsSeen(t *testing.T) {
	const n = 240
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	readings, _, _ := floodReadings(t, p, n)
	open(t, ctx, p.base+"/")
	if status, b := postReadings(t, p, gatewayToken(t, p), readings); status != 200 || !strings.Contains(b, fmt.Sprintf(`"accepted":%d`, n)) {
		t.Fatalf("readings: %d %s", status, b)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelectorAll("#alarm-list li[data-id]").length === %d`, n), 20*time.Second)
	waitJS(t, ctx, `document.querySelectorAll("#alarm-list li.drawn").length > 0`, 10*time.Second)

	type rows struct {
		Drawn, Empty, Heights        int
		Groups, GroupsDrawn, GroupHs int
		Height                       float64
		Far, Mid                     string
	}
	look := func() rows {
		return eval[rows](t, ctx, `(() => {
			const all = [...document.querySelectorAll("#alarm-list li[data-id]")];
			const drawn = all.filter((li) => li.classList.contains("drawn"));
			const rest = all.filter((li) => !li.classList.contains("drawn"));
			const hs = new Set(all.filter((li) => !li.querySelector("form, .error")).map((li) => Math.round(li.getBoundingClientRect().height)));
			const gs = [...document.querySelectorAll("#alarm-list li.alarm-group")];
			const gd = gs.filter((li) => li.classList.contains("drawn"));
			if (gs.some((li) => !li.classList.contains("drawn") && li.childElementCount > 0)) return {};
			return { Groups: gs.length, GroupsDrawn: gd.length, GroupHs: new Set(gs.map((li) => Math.round(li.getBoundingClientRect().height))).size,
				Drawn: drawn.length, Empty: rest.filter((li) => li.childElementCount === 0).length, Heights: hs.size,
				Height: drawn[0].getBoundingClientRect().height, Far: all[all.length - 1].dataset.id, Mid: all[all.length >> 1].dataset.id };
		})()`)
	}
	r := look()
	t.Logf("rows: %+v", r)
	// Under the flood's banner the list shows rows to work on, and no row's
	// buttons are cut off by the column's edge.
	if shown := eval[float64](t, ctx, `document.querySelector("#alarm-list").clientHeight`); shown < 4*r.Height {
		t.Errorf("the alarm list shows %.0f px under the flood's banner: fewer than 4 rows of %.0f px", shown, r.Height)
	}
	if cut := eval[string](t, ctx, `(() => {
		const edge = document.querySelector("#alarm-list").getBoundingClientRect().right;
		const b = [...document.querySelectorAll("#alarm-list li.drawn button")].find((b) => b.getBoundingClientRect().right > edge + 0.5);
		return b ? b.closest("li").dataset.id + " " + b.textContent : "";
	})()`); cut != "" {
		t.Errorf("a row's button runs past the list's edge: %s", cut)
	}
	if r.Drawn == 0 || r.Drawn > n/3 {
		t.Fatalf("%d of %d rows drawn, want only those near the view", r.Drawn, n)
	}
	if r.Empty != n-r.Drawn {
		t.Errorf("%d rows not drawn hold contents", n-r.Drawn-r.Empty)
	}
	if r.Heights != 1 {
		t.Errorf("rows of %d heights, drawn or not: want one (a row drawn must not move the others)", r.Heights)
	}
	// The flood's groups' headers too (240 alarms in one batch: a flood).
	if r.Groups < 20 || r.GroupsDrawn == 0 || r.GroupsDrawn > r.Groups/2 || r.GroupHs != 1 {
		t.Errorf("%d group headers, %d drawn, of %d heights: want only those near the view drawn, all of one height", r.Groups, r.GroupsDrawn, r.GroupHs)
	}

	// Scroll the last row into view: it is drawn where it was.
	far := fmt.Sprintf(`document.querySelector('#alarm-list li[data-id=%q]')`, r.Far)
	before := eval[float64](t, ctx, `(() => { const li = `+far+`; li.parentElement.scrollTop = li.offsetTop - 40; return li.offsetTop; })()`)
	under := eval[string](t, ctx, `(() => { const r = `+far+`.getBoundingClientRect(); return document.elementFromPoint(r.left + 30, r.top + r.height / 2).closest("li").dataset.id; })()`)
	waitJS(t, ctx, far+`.classList.contains("drawn") && `+far+`.querySelector(".place") !== null`, 10*time.Second)
	if after := eval[float64](t, ctx, far+`.offsetTop`); math.Abs(after-before) > 1 {
		t.Errorf("the last row moved from %v to %v px as the rows near it were drawn", before, after)
	}
	if got := eval[string](t, ctx, `(() => { const r = `+far+`.getBoundingClientRect(); return document.elementFromPoint(r.left + 30, r.top + r.height / 2).closest("li").dataset.id; })()`); got != under || got != r.Far {
		t.Errorf("under the point: %s before the rows were drawn, %s after; want %s", under, got, r.Far)
	}
	if got := eval[string](t, ctx, far+`.querySelector(".place").textContent`); got == "" {
		t.Error("the last row drawn without its place")
	}

	// Back to the top; select a row in the middle, never near the view,
	// from outside the list (as the map does): it is drawn and scrolled to.
	mid := fmt.Sprintf(`document.querySelector('#alarm-list li[data-id=%q]')`, r.Mid)
	eval[bool](t, ctx, `(() => { document.querySelector("#alarm-list").scrollTop = 0; return true; })()`)
	if eval[int](t, ctx, mid+`.childElementCount`) != 0 {
		t.Fatal("the middle row was drawn before it was near the view")
	}
	eval[bool](t, ctx, fmt.Sprintf(`(() => { window.parktwin.select(%q); return true; })()`, r.Mid))
	waitJS(t, ctx, mid+`.classList.contains("selected") && `+mid+`.querySelector(".place") !== null`, 10*time.Second)

	// The orders of the orange alarms, in the worklist.
	var fc struct {
		Features []struct {
			Properties struct{ State string } `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(get(t, p.base+"/api/v1/orders"), &fc); err != nil {
		t.Fatal(err)
	}
	orders := 0
	for _, f := range fc.Features {
		if f.Properties.State != "closed" {
			orders++
		}
	}
	if orders <= 100 {
		t.Fatalf("%d open orders, want more than a page", orders)
	}
	waitJS(t, ctx, `document.querySelectorAll("#wl-list li[data-id]").length === 100`, 10*time.Second)
	if got, want := eval[string](t, ctx, `document.querySelector("#wl-list li.wl-more span").textContent`), fmt.Sprintf("显示 100 / 共 %d 条", orders); !strings.HasPrefix(got, want) {
		t.Errorf("worklist's last line %q, want it to begin %q", got, want)
	}
	click(t, ctx, `#wl-list button.wl-more`)
	waitJS(t, ctx, fmt.Sprintf(`document.querySelectorAll("#wl-list li[data-id]").length === %d && !document.querySelector("#wl-list li.wl-more")`, orders), 10*time.Second)
	noPageErrors(t, errs)
}

// Outside a flood the alarm list goes highest level first, then newest
// (EEMUA 191's alarm list by priority): an orange alarm raised before
// two yellow ones stays above them, where newest first would bury it.
func TestAlarmListHighestLevelFirst(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				OnDelayS float64                  `json:"onDelayS"`
				Limits   struct{ H, HH *float64 } `json:"limits"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(get(t, p.base+"/api/v1/sensors"), &fc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	var vals []float64
	for _, f := range fc.Features {
		l := f.Properties.Limits
		if l.H == nil || l.HH == nil || *l.H >= *l.HH || f.Properties.OnDelayS != 0 {
			continue
		}
		if len(ids) == 0 {
			vals = append(vals, *l.HH+5) // orange
		} else {
			vals = append(vals, (*l.H+*l.HH)/2) // yellow
		}
		ids = append(ids, f.ID)
		if len(ids) == 3 {
			break
		}
	}
	if len(ids) < 3 {
		t.Fatalf("%d sensors with H < HH and no on-delay", len(ids))
	}
	open(t, ctx, p.base+"/")
	tok := gatewayToken(t, p)
	for i, id := range ids {
		at := time.Now().Add(time.Duration(-120+30*i) * time.Second).UTC().Format(time.RFC3339Nano)
		if status, b := postReadings(t, p, tok, fmt.Sprintf(`{"readings":[{"sensor":%q,"t":%q,"value":%v}]}`, id, at, vals[i])); status != 200 {
			t.Fatalf("readings: %d %s", status, b)
		}
	}
	waitJS(t, ctx, `document.querySelectorAll("#alarm-list li[data-id]").length === 3`, 15*time.Second)
	if got := eval[string](t, ctx, `[...document.querySelectorAll("#alarm-list li[data-id]")].map((li) => li.dataset.level).join(" ")`); got != "orange yellow yellow" {
		t.Errorf("levels in list order: %s, want the orange one, raised first, above the yellow ones", got)
	}
	if !eval[bool](t, ctx, `document.querySelector("#alarm-flood").hidden`) {
		t.Error("a flood banner over three alarms")
	}
}
