package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The console's tests drive Debian's Chromium, headless, against a real
// parkd. The page exposes window.parktwin for them (web/ui/app.js).

// browser returns a chromedp context on a fresh headless Chromium. On a
// machine without Chromium the tests are skipped, except in CI, where
// .ci/run installs it and its absence is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserWith(t)
}

// browserWith is browser with more options (a flag of Chromium's).
func browserWith(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs Debian's chromium")
		}
		t.Skip("no chromium on this machine (apt-get install chromium): browser tests skipped")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
		// This machine's network is closed: keep Chromium from calling home.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		if t.Failed() {
			screenshot(t, ctx)
		}
		cancel()
		cancelAlloc()
	})
	return ctx
}

// screenshot saves what the page showed when a test failed.
func screenshot(t *testing.T, ctx context.Context) {
	screenshotAs(t, ctx, t.Name())
}

// screenshotAs saves what the page of ctx showed, as name: a test with
// more than one tab names each.
func screenshotAs(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("PARKTWIN_SCREENSHOTS")
	if dir == "" {
		dir = os.TempDir()
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)) // quality 100: a PNG
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	name = filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".png")
	if err := os.WriteFile(name, png, 0o644); err == nil {
		t.Logf("screenshot of the failing page: %s", name)
	}
}

// open loads the console and waits until it has drawn its first snapshot.
func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	navigate(t, ctx, url)
	waitJS(t, ctx, `window.parktwin && window.parktwin.ready === true`, 60*time.Second)
}

// waitJS polls a JavaScript condition in the page until it holds.
func waitJS(t *testing.T, ctx context.Context, cond string, timeout time.Duration) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(timeout))); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// sensorOf returns a temperature sensor of a tank and its HH limit.
func sensorOf(t *testing.T, p *parkd) (sensor, tank string, hh float64) {
	t.Helper()
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Type    string `json:"type"`
				Subject string `json:"subject"`
				Limits  struct {
					HH *float64 `json:"hh"`
				} `json:"limits"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(get(t, p.base+"/api/v1/sensors"), &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		pr := f.Properties
		if pr.Type == "temperature" && strings.HasPrefix(pr.Subject, "TNK-") && pr.Limits.HH != nil {
			return f.ID, pr.Subject, *pr.Limits.HH
		}
	}
	t.Fatal("no tank temperature sensor")
	return
}

func TestConsoleDrawsThePark(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")
	counts := eval[map[string]int](t, ctx, `window.parktwin.counts()`)
	info := readPark(t, p)
	for _, layer := range []string{"tanks", "enterprises", "roads", "teams", "warehouses", "targets"} {
		key := layer
		if got, want := counts[layer], info.Counts[key]; got != want {
			t.Errorf("%s drawn: %d, the park holds %d", layer, got, want)
		}
	}
	if got := eval[string](t, ctx, `document.querySelector("#status-conn").dataset.state`); got != "live" {
		t.Errorf("connection state %q", got)
	}
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != "zh-CN" {
		t.Errorf("default language %q, want zh-CN", got)
	}
}

// A reading past HH posted to the API turns its tank's colour.
func TestReadingTurnsTheTank(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	sensor, tank, hh := sensorOf(t, p)
	open(t, ctx, p.base+"/")
	before := eval[string](t, ctx, fmt.Sprintf(`window.parktwin.tankColor(%q)`, tank))
	start := time.Now()
	if status, b := postReadings(t, p, gatewayToken(t, p), oneReading(sensor, hh+5)); status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin.tankColor(%q) !== %q`, tank, before), 10*time.Second)
	t.Logf("tank %s turned from %s to %s %v after the reading was posted", tank, before,
		eval[string](t, ctx, fmt.Sprintf(`window.parktwin.tankColor(%q)`, tank)), time.Since(start).Round(time.Millisecond))
}

// Acknowledging an alarm in the page acknowledges it on the server.
func TestAcknowledgeInThePage(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	sensor, _, hh := sensorOf(t, p)
	open(t, ctx, p.base+"/")
	postReadings(t, p, gatewayToken(t, p), oneReading(sensor, hh+5))
	var alarms struct {
		Features []struct{ ID string } `json:"features"`
	}
	json.Unmarshal(get(t, p.base+"/api/v1/alarms?state=active"), &alarms)
	if len(alarms.Features) == 0 {
		t.Fatal("no active alarm")
	}
	id := alarms.Features[0].ID
	sel := fmt.Sprintf(`#alarm-list li[data-id=%q] button.ack`, id)
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, sel), 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var a struct {
			Properties struct{ State string } `json:"properties"`
		}
		json.Unmarshal(get(t, p.base+"/api/v1/alarms/"+id), &a)
		if a.Properties.State == "acknowledged" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("alarm %s is %s on the server after the click", id, a.Properties.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#alarm-list li[data-id=%q]').dataset.state === "acknowledged"`, id), 10*time.Second)
}

// After parkd restarts, the page keeps its session (sessions are kept in
// the park's file, web/auth/sessionstore.go): it comes back live and
// caught up without asking for a login.
func TestConsoleReconnectsAfterRestart(t *testing.T) {
	ctx := browser(t)
	db := filepath.Join(t.TempDir(), "parktwin.db")
	p := startParkd(t, db, "PARKD_SIMULATE=false")
	sensor, _, hh := sensorOf(t, p)
	open(t, ctx, p.base+"/")
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#status-conn").dataset.state !== "live"`, 10*time.Second)
	// The same address again, so the page finds it.
	addr := strings.TrimPrefix(p.base, "http://")
	waitFree(t, addr)
	p2 := startParkd(t, db, "PARKD_SIMULATE=false", "PARKD_ADDR="+addr)
	postReadings(t, p2, gatewayToken(t, p2), oneReading(sensor, hh+5)) // an alarm: a change to catch up on
	want := readPark(t, p2).Seq
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin && window.parktwin.seq >= %d && document.querySelector("#status-conn").dataset.state === "live"`, want), 30*time.Second)
	if path := eval[string](t, ctx, `location.pathname`); path != "/" {
		t.Errorf("after the restart the page is at %s, want the console (no login)", path)
	}
	waitJS(t, ctx, `document.querySelectorAll("#alarm-list li").length > 0`, 10*time.Second)
}

// waitFree waits until nothing listens on addr.
func waitFree(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			ln.Close()
			return
		}
	}
	t.Fatalf("%s stays busy", addr)
}

func TestLanguageSwitch(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")
	zh := eval[string](t, ctx, `document.body.innerText`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lang-toggle"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.documentElement.lang === "en"`, 5*time.Second)
	en := eval[string](t, ctx, `document.body.innerText`)
	if en == zh {
		t.Error("the page reads the same in English")
	}
	// The top bar stays one line in English, its longer words too (1400 px).
	if h := eval[float64](t, ctx, `document.querySelector("#topbar").getBoundingClientRect().height`); h > 52 {
		t.Errorf("the English top bar is %.0f px high: its words wrap", h)
	}
	// The choice is remembered.
	open(t, ctx, p.base+"/")
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != "en" {
		t.Errorf("after a reload: %q, want en", got)
	}
}

// Report a fire by clicking the map in report mode, plan it, confirm it:
// the incident is dispatched on the server and its units move on the map.
func TestIncidentFromTheMap(t *testing.T) {
	ctx := browser(t)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	open(t, ctx, p.base+"/")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#report-incident"))); err != nil {
		t.Fatal(err)
	}
	// Click the middle of the map: a point report.
	box := eval[[]float64](t, ctx, `(() => { const r = document.querySelector("#map").getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(box[0], box[1])); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#incident-form") !== null`, 10*time.Second)
	eval[bool](t, ctx, `(() => { const f = document.querySelector("#incident-form");
		f.querySelector("select[name=type]").value = "pool-fire";
		f.querySelector("select[name=level]").value = "III"; return true; })()`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#incident-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.parktwin.incidents().length === 1`, 10*time.Second)
	id := eval[string](t, ctx, `window.parktwin.incidents()[0].id`)
	waitJS(t, ctx, `document.querySelector("#plan-button") !== null`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#plan-button"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.parktwin.planShown() !== null && window.parktwin.routeCount() > 0`, 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#confirm-button"))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var inc struct {
			Properties struct {
				State       string
				Assignments []any
			} `json:"properties"`
		}
		json.Unmarshal(get(t, p.base+"/api/v1/incidents/"+id), &inc)
		if inc.Properties.State == "dispatched" && len(inc.Properties.Assignments) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("incident %s is %q on the server after confirm", id, inc.Properties.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitJS(t, ctx, `Object.keys(window.parktwin.unitPositions()).length > 0`, 10*time.Second)
}
