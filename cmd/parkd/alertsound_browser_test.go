package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The beep is never skipped silently. In a browser that holds sound back
// until a gesture on the page (Chromium's autoplay policy, its default
// named by its flag so that the helper's flags cannot change it) — a
// console opened with a session and no click on it, as a duty officer's
// browser is after a restart — the console says so
// on the sound button — "声音被浏览器拦截，点击启用", in English "Sound
// blocked by the browser — click to enable" — and a level II incident's
// beep is counted as missed, not as sounded. The first click anywhere on
// the page lets the sound out: the button says 声音提醒：开 and the next
// incident's beep sounds. After a reload the sound is held back again;
// a click on the button itself then enables the sound, it does not mute.
func TestSoundBlockedUntilAGesture(t *testing.T) {
	ctx := browserWith(t, chromedp.Flag("autoplay-policy", "document-user-activation-required"))
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	// A session made outside the browser: the login page's clicks would
	// count as gestures the browser carries on to the console.
	res, err := http.Post(p.base+"/api/v1/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"user":"admin","password":%q}`, testAdminPassword)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var sid string
	for _, c := range res.Cookies() {
		if c.Name == "parktwin_session" {
			sid = c.Value
		}
	}
	if res.StatusCode != 200 || sid == "" {
		t.Fatalf("login: %d, session %q", res.StatusCode, sid)
	}
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "parktwin_session", Value: sid, URL: p.base + "/"}); err != nil {
		t.Fatal(err)
	}
	openNoGesture(t, ctx, p.base+"/")
	type stats struct {
		Beeps, Missed  int
		Blocked, Muted bool
		Last           *struct{ Kind, ID string }
	}
	alerts := func() stats { return eval[stats](t, ctx, `window.parktwin.alerts()`) }
	button := func() (text, blocked, pressed string) {
		b := eval[[]string](t, ctx, `(() => { const b = document.querySelector("#alert-mute"); return [b.textContent, b.dataset.blocked, b.getAttribute("aria-pressed")]; })()`)
		return b[0], b[1], b[2]
	}
	report := func(level, tank string) string {
		t.Helper()
		status, b := send(t, "POST", p.base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":%q,"reporter":"值班员"}`, tank, level))
		if status != http.StatusCreated {
			t.Fatalf("report: %d %s", status, b)
		}
		var inc struct{ ID string }
		json.Unmarshal(b, &inc)
		waitJS(t, ctx, fmt.Sprintf(`(() => { const l = window.parktwin.alerts().last; return l !== null && l.id === %q; })()`, inc.ID), 15*time.Second)
		return inc.ID
	}

	if text, blocked, _ := button(); text != "声音被浏览器拦截，点击启用" || blocked != "true" || !alerts().Blocked {
		t.Fatalf("no gesture yet: the button says %q (blocked %s), alerts %+v; want it blocked", text, blocked, alerts())
	}
	eval[bool](t, ctx, `(window.parktwin.setLang("en"), true)`)
	waitJS(t, ctx, `document.querySelector("#alert-mute").textContent === "Sound blocked by the browser — click to enable"`, 5*time.Second)
	eval[bool](t, ctx, `(window.parktwin.setLang("zh-CN"), true)`)
	waitJS(t, ctx, `document.querySelector("#alert-mute").textContent === "声音被浏览器拦截，点击启用"`, 5*time.Second)

	report("II", "TNK-0013-01")
	if a := alerts(); a.Beeps != 0 || a.Missed != 1 {
		t.Errorf("a level II incident with the sound held back: %+v, want no beep sounded and one missed", a)
	}

	// The first click anywhere (the top bar's title) lets the sound out.
	click(t, ctx, "#topbar h1")
	waitJS(t, ctx, `document.querySelector("#alert-mute").dataset.blocked === "false"`, 5*time.Second)
	if text, _, pressed := button(); text != "声音提醒：开" || pressed != "false" || alerts().Blocked {
		t.Errorf("after a click: the button says %q (pressed %s), alerts %+v", text, pressed, alerts())
	}
	report("I", "TNK-0001-01")
	if a := alerts(); a.Beeps != 1 || a.Missed != 1 {
		t.Errorf("a level I incident after the click: %+v, want one beep sounded", a)
	}

	// In another browser, as fresh, the button's own click enables the
	// sound and does not mute.
	ctx2 := browserWith(t, chromedp.Flag("autoplay-policy", "document-user-activation-required"))
	if _, err := chromedp.Call(ctx2, network.SetCookie, network.SetCookieParams{Name: "parktwin_session", Value: sid, URL: p.base + "/"}); err != nil {
		t.Fatal(err)
	}
	ctx = ctx2
	openNoGesture(t, ctx, p.base+"/")
	waitJS(t, ctx, `document.querySelector("#alert-mute").dataset.blocked === "true"`, 5*time.Second)
	click(t, ctx, "#alert-mute")
	waitJS(t, ctx, `document.querySelector("#alert-mute").dataset.blocked === "false"`, 5*time.Second)
	if text, _, pressed := button(); text != "声音提醒：开" || pressed != "false" {
		t.Errorf("after a click on the blocked button: %q (pressed %s), want the sound on, not muted", text, pressed)
	}
	noPageErrors(t, errs)
}

// openNoGesture opens the console as a page's own script does, from a
// blank page: the browser's own navigation (the test's) would count as
// the user's activation of the console, and let it sound.
func openNoGesture(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, fmt.Sprintf(`(location.assign(%q), true)`, url))
	waitLoaded(t, ctx, `window.parktwin !== undefined && window.parktwin.ready === true`, 60*time.Second)
	if eval[bool](t, ctx, `navigator.userActivation.hasBeenActive`) {
		t.Fatal("the console opened with the user's activation: the browser would let it sound")
	}
}
