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
)

// beijing is the park's zone, in which its people read and type times.
var beijing = time.FixedZone("CST", 8*60*60)

// A real incident in the live park, replayed (复盘): reported, planned,
// confirmed, brought under control and closed over the API; then opened
// as a replay from the drills page, whose console is framed in blue and
// says 复盘; sought to just before the report (no incident) and to the end
// (the incident closed), stepped and played at 60×; made a scenario and
// started as a drill, whose console opens framed in orange.
func TestReplayConsole(t *testing.T) {
	began := time.Now()
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	// The replay begins on a whole second after the park was seeded (the
	// journal's first event), and the report comes a second and more later.
	from := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(from.Add(1500 * time.Millisecond)))

	// The incident, worked in the live park.
	_, tank, _ := sensorOf(t, p)
	inc := workIncident(t, p.base+"/api/v1", tank)
	// The replay ends on a whole second after the incident was closed.
	to := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(to.Add(100 * time.Millisecond)))
	t.Logf("incident %s reported at %s, closed before %s; %v in", inc.id, inc.reported.Format(time.RFC3339Nano), to.Format(time.RFC3339), time.Since(began).Round(time.Millisecond))

	// The drills page opens the replay of that window, in Beijing time.
	navigate(t, ctx, p.base+"/ui/drills.html")
	waitJS(t, ctx, `!!window.parktwin && !!window.parktwin.drillsPage && window.parktwin.drillsPage.ready`, 20*time.Second)
	local := func(tm time.Time) string { return tm.In(beijing).Format("2006-01-02T15:04:05") }
	eval[bool](t, ctx, fmt.Sprintf(`(() => { const f = document.querySelector("#replay-form");
		f.elements.from.value = %q; f.elements.to.value = %q; return true; })()`, local(from), local(to)))
	click(t, ctx, `#replay-form button[type=submit]`)
	waitLoaded(t, ctx, `location.pathname.startsWith("/twins/") && !!window.parktwin && window.parktwin.ready === true && window.parktwin.isReplay === true`, 30*time.Second)
	id := eval[string](t, ctx, `window.parktwin.twin`)
	t.Logf("replay %s opened %v in", id, time.Since(began).Round(time.Millisecond))

	// Framed in blue, bannered 复盘, not a drill, nothing to change.
	if got := eval[string](t, ctx, `getComputedStyle(document.body, "::after").borderTopColor`); got != "rgb(25, 113, 194)" {
		t.Errorf("the replay's frame is %q, want blue", got)
	}
	waitJS(t, ctx, `!document.querySelector("#exercise-banner").hidden`, 5*time.Second)
	if got := eval[string](t, ctx, `document.querySelector("#exercise-banner").textContent`); !strings.Contains(got, "复盘") || strings.Contains(got, "演练") || !strings.Contains(got, id) {
		t.Errorf("banner %q, want 复盘 and %s", got, id)
	}
	if got := eval[string](t, ctx, `[window.parktwin.isDrill, getComputedStyle(document.querySelector("#report-incident")).display, document.querySelector("#drill-bar").hidden, document.querySelector("#replay-bar").hidden].join(" ")`); got != "false none true false" {
		t.Errorf("isDrill, the report button's display, the drill bar and the replay bar hidden: %s, want false none true false", got)
	}
	st := eval[map[string]any](t, ctx, `window.parktwin.replay()`)
	if st["state"] != "paused" || !sameTime(st["from"], from) || !sameTime(st["to"], to) || st["events"].(float64) == 0 {
		t.Fatalf("the replay opened as %v, want paused from %s to %s with events", st, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	report := eval[string](t, ctx, `document.querySelector("#replay-report a.report-html").href + " " + document.querySelector("#replay-report a.report-pdf").href`)
	if want := fmt.Sprintf("/api/v1/replays/%s/report?format=html %s/api/v1/replays/%s/report?format=pdf", id, p.base, id); !strings.HasSuffix(report, want) {
		t.Errorf("the report links: %s", report)
	}
	html, pdf := strings.Fields(report)[0], strings.Fields(report)[1]
	if status, b := send(t, "GET", html, ""); status != http.StatusOK || !strings.Contains(string(b), inc.id) {
		t.Errorf("GET %s: %d, %d bytes, naming %s: %t", html, status, len(b), inc.id, strings.Contains(string(b), inc.id))
	}
	if status, b := send(t, "GET", pdf, ""); status != http.StatusOK || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("GET %s: %d, %d bytes", pdf, status, len(b))
	}

	seekTo := func(s int) {
		t.Helper()
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const s = document.querySelector("#replay-seek");
			s.value = "%d"; s.dispatchEvent(new Event("change")); return true; })()`, s))
	}
	incidentState := fmt.Sprintf(`((window.parktwin.incidents().find((i) => i.id === %q) || {}).state || "")`, inc.id)

	// To the end: the incident is there, closed, every event applied.
	seekTo(eval[int](t, ctx, `Number(document.querySelector("#replay-seek").max)`))
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.replay().state === "ended" && %s === "closed"
		&& document.querySelector('#incident-list li[data-id=%q]').dataset.state === "closed"`, incidentState, inc.id), 10*time.Second)
	if got := eval[string](t, ctx, `(() => { const e = document.querySelector("#replay-events"); return e.dataset.applied + "/" + e.dataset.events + " " + e.textContent; })()`); !regexp.MustCompile(`^(\d+)/(\d+) 事件 (\d+)/(\d+)$`).MatchString(got) || strings.Fields(got)[0] != fmt.Sprintf("%v/%v", st["events"], st["events"]) {
		t.Errorf("at the end the events read %q, want all %v applied", got, st["events"])
	}

	// Just before the report: no incident, and the park's time in Beijing time.
	before := int(inc.reported.Sub(from).Seconds()+0.999) - 1
	at := from.Add(time.Duration(before) * time.Second)
	seekTo(before)
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.replay().state === "paused" && Date.parse(window.parktwin.replay().time) === %d
		&& window.parktwin.incidents().length === 0 && document.querySelectorAll("#incident-list li").length === 0`, at.UnixMilli()), 10*time.Second)
	if got, want := eval[string](t, ctx, `document.querySelector("#replay-time").textContent`), at.In(beijing).Format("2006-01-02 15:04:05"); got != want {
		t.Errorf("the replay's time reads %q, want %q (Beijing time)", got, want)
	}

	// Step: to the next event's time, the report or one before it.
	applied := eval[int](t, ctx, `window.parktwin.replay().applied`)
	click(t, ctx, "#replay-step")
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.replay().applied > %d`, applied), 10*time.Second)
	if got := eval[string](t, ctx, `window.parktwin.replay().time`); !laterThan(got, at) {
		t.Errorf("stepped to %s, want after %s", got, at.Format(time.RFC3339))
	}

	// Played at 60× it runs to its end, and the incident closes again.
	click(t, ctx, `#replay-bar button.speed[data-speed="60"]`)
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.replay().speed === 60 && window.parktwin.replay().state === "ended" && %s === "closed"`, incidentState), 20*time.Second)

	// In English too, all of the bar, down to the report's labels.
	eval[bool](t, ctx, `(window.parktwin.setLang("en"), true)`)
	if got := eval[string](t, ctx, `document.querySelector("#replay-bar").innerText + " " + document.querySelector("#exercise-banner").textContent`); regexp.MustCompile(`\p{Han}`).MatchString(got) {
		t.Errorf("in English the replay bar and banner read %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("#replay-report a.report-html").href`); !strings.HasSuffix(got, "format=html&lang=en") {
		t.Errorf("in English the report's link is %s", got)
	}
	eval[bool](t, ctx, `(window.parktwin.setLang("zh-CN"), true)`)

	// Make a scenario of it: a bad id is refused, a good one made, and
	// started as a drill whose console opens.
	click(t, ctx, "#replay-scenario")
	waitJS(t, ctx, `!document.querySelector("#replay-scenario-box").hidden && /^replay-\d{8}-\d{4}$/.test(document.querySelector("#replay-scenario-form").elements.id.value)`, 5*time.Second)
	makeScenario := func(sid string) string {
		t.Helper()
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const r = document.querySelector("#replay-scenario-result"); delete r.dataset.result;
			document.querySelector("#replay-scenario-form").elements.id.value = %q; return true; })()`, sid))
		click(t, ctx, `#replay-scenario-form button[type=submit]`)
		waitJS(t, ctx, `document.querySelector("#replay-scenario-result").dataset.result !== undefined`, 10*time.Second)
		return eval[string](t, ctx, `document.querySelector("#replay-scenario-result").dataset.result + " " + document.querySelector("#replay-scenario-result").textContent`)
	}
	if got := makeScenario("Bad ID"); !strings.HasPrefix(got, "error ") {
		t.Errorf("a scenario named %q: %s", "Bad ID", got)
	}
	if got := makeScenario("replayed-leak"); !strings.HasPrefix(got, "ok ") || !strings.Contains(got, "replayed-leak") {
		t.Fatalf("a scenario named replayed-leak: %s", got)
	}
	var lib struct {
		Scenarios []struct{ ID string } `json:"scenarios"`
	}
	getJSON(t, p.base+"/api/v1/scenarios", &lib)
	if !slices.ContainsFunc(lib.Scenarios, func(s struct{ ID string }) bool { return s.ID == "replayed-leak" }) {
		t.Errorf("the scenario made is not in the library: %+v", lib.Scenarios)
	}

	// Stop asks for a second press; then the replay and its park are gone,
	// and the scenario made of it stays, to be drilled.
	click(t, ctx, "#replay-stop")
	if got := eval[string](t, ctx, `window.parktwin.replay().state + " " + document.querySelector("#replay-stop").dataset.armed`); got != "ended true" {
		t.Errorf("after one press of stop: %s, want the replay at its end and the button armed", got)
	}
	click(t, ctx, "#replay-stop")
	waitJS(t, ctx, `["stopped", "gone"].includes(window.parktwin.replay().state) && window.parktwin.connection === "ended" && document.querySelector("#replay-play").disabled`, 10*time.Second)
	if status, b := send(t, "GET", p.base+"/api/v1/replays/"+id, ""); status != http.StatusNotFound {
		t.Errorf("GET the stopped replay: %d %s", status, b)
	}
	click(t, ctx, "#replay-drill")
	waitLoaded(t, ctx, fmt.Sprintf(`location.pathname.startsWith("/twins/") && window.parktwin.twin !== %q && window.parktwin.ready === true && window.parktwin.isDrill === true && window.parktwin.isReplay === false`, id), 30*time.Second)
	drill := eval[string](t, ctx, `window.parktwin.twin`)
	if got := eval[string](t, ctx, `getComputedStyle(document.body, "::after").borderTopColor + " " + window.parktwin.drill().scenario`); got != "rgb(247, 103, 7) replayed-leak" {
		t.Errorf("the drill's frame and scenario: %q, want orange and replayed-leak", got)
	}
	t.Logf("drill %s of the replay opened %v in", drill, time.Since(began).Round(time.Millisecond))

	// The drills page lists the drill and the open replays, with links to
	// their consoles: not the stopped one, another opened over the API.
	status, b := send(t, "POST", p.base+"/api/v1/replays", fmt.Sprintf(`{"from":%q,"to":%q}`, from.Format(time.RFC3339), to.Format(time.RFC3339)))
	var other struct{ ID string }
	if err := json.Unmarshal(b, &other); status != http.StatusCreated || err != nil {
		t.Fatalf("POST /api/v1/replays: %d %s", status, b)
	}
	navigate(t, ctx, p.base+"/ui/drills.html")
	waitLoaded(t, ctx, fmt.Sprintf(`!!window.parktwin && !!window.parktwin.drillsPage && document.querySelector('#replay-list tr[data-id=%q] a.open') !== null
		&& document.querySelector('#drill-list tr[data-id=%q] a.open') !== null`, other.ID, drill), 10*time.Second)
	if got := eval[string](t, ctx, `[...document.querySelectorAll("#replay-list tbody tr")].map((tr) => tr.dataset.id + " " + tr.querySelector("a.open").getAttribute("href") + " " + tr.querySelector("a.report").getAttribute("href")).join(",")`); got != fmt.Sprintf("%s /twins/%[1]s/ /api/v1/replays/%[1]s/report?format=html", other.ID) {
		t.Errorf("the replays listed: %q, want %s alone with its links", got, other.ID)
	}
	noPageErrors(t, errs)
	t.Logf("the whole replay: %v", time.Since(began).Round(time.Millisecond))
}

// worked is an incident worked through in the live park.
type worked struct {
	id       string
	reported time.Time
}

// workIncident reports a toxic release at tank over the API, plans and
// confirms it, and a couple of seconds later brings it under control and
// closes it.
func workIncident(t *testing.T, api, tank string) worked {
	t.Helper()
	post := func(path, body string, want int) []byte {
		t.Helper()
		status, b := send(t, "POST", api+path, body)
		if status != want {
			t.Fatalf("POST %s: %d %s", path, status, b)
		}
		return b
	}
	var inc struct {
		ID         string `json:"id"`
		Properties struct {
			ReportedAt time.Time `json:"reportedAt"`
		} `json:"properties"`
	}
	b := post("/incidents", fmt.Sprintf(`{"type":"toxic-release","entity":%q,"level":"III","reporter":"夜班班长"}`, tank), http.StatusCreated)
	if err := json.Unmarshal(b, &inc); err != nil || inc.ID == "" || inc.Properties.ReportedAt.IsZero() {
		t.Fatalf("report: %v %s", err, b)
	}
	plan := post("/incidents/"+inc.ID+"/plan", "", http.StatusOK)
	post("/incidents/"+inc.ID+"/confirm", string(plan), http.StatusOK)
	time.Sleep(2 * time.Second) // the units roll
	post("/incidents/"+inc.ID+"/state", `{"state":"under-control"}`, http.StatusOK)
	post("/incidents/"+inc.ID+"/state", `{"state":"closed"}`, http.StatusOK)
	return worked{inc.ID, inc.Properties.ReportedAt}
}

// sameTime reports whether an RFC 3339 text from the page is tm.
func sameTime(v any, tm time.Time) bool {
	s, _ := v.(string)
	got, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && got.Equal(tm)
}

// laterThan reports whether an RFC 3339 text from the page is after tm.
func laterThan(s string, tm time.Time) bool {
	got, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && got.After(tm)
}
