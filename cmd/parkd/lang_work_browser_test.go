package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
)

// detailsText is the text of the details panel outside proper names
// and numbers (span.arg: a message's arguments; a.ref: the entities it
// links to, by name; the heading, which is names; .sub, the id), one
// text node a line.
const detailsText = `(() => {
	const out = [];
	const w = document.createTreeWalker(document.querySelector("#details"), NodeFilter.SHOW_TEXT);
	for (let n = w.nextNode(); n; n = w.nextNode()) {
		if (n.parentElement.closest(".arg, .name, a.ref, .details-head h3, .details-head .sub, .chart-box, script, style") || !n.textContent.trim()) continue;
		out.push(n.textContent);
	}
	return out.join("\n");
})()`

// notInLang returns the lines of text that are not in lang: Chinese in
// English, or Latin words in Chinese other than units, standards'
// names and the limits' symbols (HH, H, L, LL).
func notInLang(text, lang string) []string {
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		if lang == "en" {
			if strings.IndexFunc(line, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
				bad = append(bad, line)
			}
			continue
		}
		for _, w := range latinWord.FindAllString(line, -1) {
			if !slices.Contains(latinOK, w) && !slices.Contains([]string{"HH", "LL", "CAS", "UN", "ID"}, w) && !(len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z') {
				bad = append(bad, w+" in "+line)
				break
			}
		}
	}
	return bad
}

// TestWorkInOneLanguage: an alarm's panel, the reminder task an overdue
// hidden danger raised (its reason written by the server) and a form's
// refusal by the server (a danger's title over its limit) are shown in
// the Chinese console and again in the English one: no English words in
// the Chinese outside names, numbers, units and standards, no Chinese in
// the English outside names; the task's reason and the refusal are
// rendered from their messages.
func TestWorkInOneLanguage(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	const pw = "one-language-test-password"
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/users", "",
		fmt.Sprintf(`{"name":"duty1","role":"duty-officer","password":%q}`, pw), &struct{}{}); err != nil {
		t.Fatal(err)
	}
	loginAs(t, ctx, p.base+"/", "duty1", pw)
	waitJS(t, ctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
	lp := loopPage{t, ctx, p}

	// An alarm, raised past HH and still active.
	sensor, tank, hh := sensorOf(t, p)
	if status, b := postReadings(t, p, gatewayToken(t, p), oneReading(sensor, hh+5)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	var alarms featureList
	getJSON(t, p.base+"/api/v1/alarms?state=active", &alarms)
	if len(alarms.Features) == 0 {
		t.Fatal("no active alarm")
	}
	alarm := alarms.Features[0].ID

	// A hidden danger past due, and the reminder it raises.
	ent, _ := lp.props("tanks/" + tank)["enterprise"].(string)
	pastDue := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
	var danger struct{ ID string }
	if err := postJSON(http.DefaultClient, p.base+"/api/v1/hidden-dangers", "", fmt.Sprintf(
		`{"type":"Feature","geometry":null,"properties":{"enterprise":%q,"title":"配电室漏水","owner":"王工","due":%q}}`, ent, pastDue), &danger); err != nil {
		t.Fatal(err)
	}
	var tasks struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Type, Subject string
				ReasonMsg     []any `json:"reasonMsg"`
			} `json:"properties"`
		} `json:"features"`
	}
	task := ""
	eventually(t, func() bool {
		getJSON(t, p.base+"/api/v1/tasks", &tasks)
		for _, x := range tasks.Features {
			if x.Properties.Type == "overdue-danger" && x.Properties.Subject == danger.ID && len(x.Properties.ReasonMsg) > 0 {
				task = x.ID
			}
		}
		return task != ""
	}, 15*time.Second)

	setLang := func(l string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`import("/ui/i18n.js").then((m) => (m.setLang(%q), true))`, l),
			chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, fmt.Sprintf(`document.documentElement.lang === %q`, l), 5*time.Second)
	}
	inLang := func(what, lang string, want ...string) {
		t.Helper()
		text := eval[string](t, ctx, detailsText)
		if bad := notInLang(text, lang); len(bad) > 0 {
			t.Errorf("%s in %s is not all in its language:\n%s", what, lang, strings.Join(bad, "\n"))
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s in %s: no %q in\n%s", what, lang, w, text)
			}
		}
	}
	for _, lang := range []string{"zh-CN", "en"} {
		setLang(lang)
		lp.openRow("#alarm-list", alarm)
		inLang("the alarm's panel", lang)

		lp.tab("tasks")
		lp.openRow("#wl-list", task)
		waitJS(t, ctx, `document.querySelector("#details span.msg") !== null`, 5*time.Second)
		inLang("the task's panel", lang, map[string]string{"zh-CN": "已于", "en": "was due"}[lang])
		// A task's own labels: what it concerns and when it was made, not
		// an alarm's "watches" and "raised".
		th := eval[[]string](t, ctx, `[...document.querySelectorAll("#details table.props th")].map((th) => th.textContent)`)
		wantTh, notTh := []string{"关联事项", "生成时间"}, []string{"监测对象", "报警时间"}
		if lang == "en" {
			wantTh, notTh = []string{"Concerns", "Created"}, []string{"Watches", "Raised"}
		}
		for _, w := range wantTh {
			if !slices.Contains(th, w) {
				t.Errorf("%s: the task's panel labels %q, want %q", lang, th, w)
			}
		}
		for _, w := range notTh {
			if slices.Contains(th, w) {
				t.Errorf("%s: the task's panel labels %q, an alarm's %q among them", lang, th, w)
			}
		}

		// The server refuses a title over its limit; the form says so in
		// the language.
		if !eval[bool](t, ctx, fmt.Sprintf(`window.parktwin.select(%q)`, ent)) {
			t.Fatalf("no enterprise %s in the page", ent)
		}
		lp.act(ent, "danger.register", map[string]string{"title": strings.Repeat("裂", 250), "owner": "张工", "due": pastDue}, "")
		result, code, text := lp.answered(ent, "danger.register")
		if result != "error" {
			t.Fatalf("%s: a title of 250 characters: %s %s %q", lang, result, code, text)
		}
		want := map[string]string{"zh-CN": "至多 200 个", "en": "at most 200"}[lang]
		if !strings.Contains(text, want) {
			t.Errorf("%s: the refusal %q does not say %q", lang, text, want)
		}
		if bad := notInLang(text, lang); len(bad) > 0 {
			t.Errorf("%s: the refusal is not in its language: %v", lang, bad)
		}
		// A due date already past is taken (a danger entered late is
		// overdue and needs its reminder), and the form warns of it.
		warnSel := fmt.Sprintf(`#details .loop-actions[data-id=%q] form.loop-form[data-action="danger.register"] p.loop-warn[data-warn="past-due"]`, ent)
		setDue := func(day string) string {
			return eval[string](t, ctx, fmt.Sprintf(`(() => { const f = document.querySelector('#details .loop-actions[data-id=%q] form.loop-form[data-action="danger.register"]');
				f.elements.due.value = %q; f.elements.due.dispatchEvent(new Event("input"));
				const w = document.querySelector(%q); return w && !w.hidden ? w.textContent : ""; })()`, ent, day, warnSel))
		}
		wantWarn := map[string]string{"zh-CN": "整改期限已过", "en": "The due date has passed"}[lang]
		if got := setDue(pastDue); !strings.Contains(got, wantWarn) {
			t.Errorf("%s: a past due date warns %q, want %q", lang, got, wantWarn)
		}
		if got := setDue(time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly)); got != "" {
			t.Errorf("%s: a due date a week ahead warns %q", lang, got)
		}
		// The form itself (the enterprise's own data, its industry in
		// Chinese alone, is not the console's words).
		if bad := notInLang(eval[string](t, ctx, strings.Replace(detailsText, `"#details"`, `"#details .loop-actions"`, 1)), lang); len(bad) > 0 {
			t.Errorf("%s: the danger's form is not in its language:\n%s", lang, strings.Join(bad, "\n"))
		}
	}
	noPageErrors(t, errs)
}
