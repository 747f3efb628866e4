package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
)

// panelText is the text of the plan panel and the incident's timeline
// outside the proper names and numbers (span.arg: a message's
// arguments; .name: teams, vehicles, warehouses, people), one text
// node a line.
const panelText = `(() => {
	const out = [];
	for (const box of document.querySelectorAll("#plan-panel, ol.timeline, #zones-panel ul.notes")) {
		const w = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			if (n.parentElement.closest(".arg, .name") || !n.textContent.trim()) continue;
			out.push(n.textContent);
		}
	}
	return out.join("\n");
})()`

// Latin words the Chinese console may show outside names: units and
// the names of standards and guides.
var latinOK = []string{"m", "mm", "s", "L", "kg", "min", "h", "GB", "NFPA", "ERG", "AFFF", "AR", "SCBA", "PID", "BLEVE", "ETA"}

var latinWord = regexp.MustCompile(`[A-Za-z]+`)

// TestPlanInOneLanguage: a chlorine release on the demo park's tank
// T-101 with the wind put (hot zones, staging, the entry units going on,
// chlorine's tactics) and a tank fire (foam, coverage, equipment from
// the warehouses) are planned in the Chinese console, shown again in
// English when the language changes, and planned again in English. The
// plan panel holds no Chinese in English and no English words in
// Chinese, proper names and numbers aside; every assignment's reason and
// every note is rendered from its message, none left out.
func TestPlanInOneLanguage(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	if status, b := send(t, "PUT", p.base+"/api/v1/weather",
		`{"windFromDeg":35,"windSpeedMS":2,"temperatureC":4,"cloudOktas":2,"note":"browser test"}`); status != http.StatusOK {
		t.Fatalf("PUT /api/v1/weather: %d %s", status, b)
	}
	report := func(body string) string {
		t.Helper()
		status, b := send(t, "POST", p.base+"/api/v1/incidents", body)
		if status != http.StatusCreated {
			t.Fatalf("report: %d %s", status, b)
		}
		var inc struct {
			ID string `json:"id"`
		}
		json.Unmarshal(b, &inc)
		return inc.ID
	}
	chlorine := report(`{"type":"toxic-release","entity":"TNK-0013-01","level":"II","reporter":"值班员"}`)
	if status, b := send(t, "POST", p.base+"/api/v1/incidents/"+chlorine+"/release",
		`{"holeDiameterMM":25,"phase":"liquid","durationS":1800,"note":"T-101 bottom valve"}`); status != http.StatusOK {
		t.Fatalf("release: %d %s", status, b)
	}
	_, tank, _ := sensorOf(t, p)
	fire := report(fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"值班员"}`, tank))

	open(t, ctx, p.base+"/")
	setLang := func(l string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`import("/ui/i18n.js").then((m) => (m.setLang(%q), true))`, l),
			chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
	}
	plan := func(id string) {
		t.Helper()
		eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), window.__lastPlan = window.parktwin.planShown(), true)`, id))
		waitJS(t, ctx, `document.querySelector("#plan-button") !== null`, 10*time.Second)
		click(t, ctx, "#plan-button")
		waitJS(t, ctx, fmt.Sprintf(`(() => { const p = window.parktwin.planShown(); return p !== null && p !== window.__lastPlan
			&& document.querySelector('#plan-panel[data-incident=%q]') !== null; })()`, id), 20*time.Second)
	}
	check := func(id, lang, how string) {
		t.Helper()
		what := id + " " + how + " in " + lang
		waitJS(t, ctx, fmt.Sprintf(`document.documentElement.lang === %q && document.querySelector("#plan-panel") !== null`, lang), 10*time.Second)
		n := eval[int](t, ctx, `document.querySelectorAll("#plan-panel td.reason").length`)
		if n == 0 {
			t.Fatalf("%s: no assignment with a reason", what)
		}
		if left := eval[int](t, ctx, `document.querySelectorAll("#plan-panel [data-untranslated], ol.timeline [data-untranslated]").length`); left > 0 {
			t.Errorf("%s: %d reasons, notes, requirements, shortfalls or steps not rendered from a message", what, left)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("#plan-panel .plan-req .reason").length`); n == 0 {
			t.Errorf("%s: no requirement with its reason", what)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("ol.timeline li .what").length`); n < 1 {
			t.Errorf("%s: %d timeline steps shown", what, n)
		}
		text := eval[string](t, ctx, panelText)
		var bad []string
		for _, line := range strings.Split(text, "\n") {
			switch lang {
			case "en":
				if strings.IndexFunc(line, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
					bad = append(bad, line)
				}
			default:
				for _, w := range latinWord.FindAllString(line, -1) {
					if !slices.Contains(latinOK, w) && !(len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z') {
						bad = append(bad, w+" in "+line)
						break
					}
				}
			}
		}
		if len(bad) > 0 {
			t.Errorf("%s: the plan panel is not all in its language:\n%s", what, strings.Join(bad, "\n"))
		}
		// Its citations (arguments, so not in text above) too.
		if lang == "zh-CN" {
			all := eval[string](t, ctx, `document.querySelector("#plan-panel").textContent`)
			for _, not := range []string{"unverified", "Table ", "guide ", "large spill", "small spill"} {
				if strings.Contains(all, not) {
					t.Errorf("%s: %q in the Chinese plan panel:\n%s", what, not, all)
				}
			}
		}
		// It is the plan, in its language.
		want := map[string]string{"en": "run card", "zh-CN": "出动卡"}[lang]
		if !strings.Contains(text, want) {
			t.Errorf("%s: no %q in the panel:\n%s", what, want, text)
		}
	}

	for _, id := range []string{chlorine, fire} {
		setLang("zh-CN")
		plan(id)
		check(id, "zh-CN", "planned")
		setLang("en")
		check(id, "en", "shown again")
		plan(id)
		check(id, "en", "planned")
		setLang("zh-CN")
		check(id, "zh-CN", "shown again")
	}
	// The fire plan's coverage note (辖区留守) names the foam a tender
	// keeps by its catalogue name, after the language's comma: not
	// "（泡沫消防车, afff-3 4,000 L）".
	for _, c := range []struct{ lang, note, want, not string }{
		{"zh-CN", "辖区留守", "，水成膜泡沫灭火剂 AFFF 3% ", ", "},
		{"en", "coverage:", ", AFFF 3 % foam concentrate ", "，"},
	} {
		setLang(c.lang)
		plan(fire)
		notes := eval[string](t, ctx, `[...document.querySelectorAll("#plan-panel li")].map((li) => li.textContent).join("\n")`)
		var note string
		for _, line := range strings.Split(notes, "\n") {
			if strings.Contains(line, c.note) {
				note = line
			}
		}
		if !strings.Contains(note, c.want) || strings.Contains(note, c.not) || strings.Contains(note, "afff-") {
			t.Errorf("the fire plan's coverage note in %s: %q, want %q and no %q nor a raw foam code; notes:\n%s", c.lang, note, c.want, c.not, notes)
		}
	}
	// The chlorine plan has its staging and tactics, in Chinese.
	setLang("zh-CN")
	plan(chlorine)
	text := eval[string](t, ctx, `document.querySelector("#plan-panel").textContent`)
	for _, want := range []string{"集结点", "不得向泄漏点或液氯射水", "危险区：", "ERG 2016 指南 124"} {
		if !strings.Contains(text, want) {
			t.Errorf("the chlorine plan in Chinese has no %q:\n%s", want, text)
		}
	}
	// The rules' citations, arguments inside its sentences, are in
	// Chinese too (citations.yaml), standards' designations aside.
	for _, not := range []string{"guide 124", "unverified", "Chlorine Institute"} {
		if strings.Contains(text, not) {
			t.Errorf("the chlorine plan in Chinese cites in English (%q):\n%s", not, text)
		}
	}
	noPageErrors(t, errs)
}
