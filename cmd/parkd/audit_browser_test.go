package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAuditInTheConsole reports an incident over the API, finds who
// entered it in the incident's timeline on the console, and follows the
// timeline's link to the audit page, which names the user, the address
// and the route, in Chinese and then in English. The tests' requests go
// as the token "tests", an administrator's (login_test.go).
func TestAuditInTheConsole(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	_, tank, _ := sensorOf(t, p)
	status, b := send(t, "POST", p.base+"/api/v1/incidents",
		fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"值班员"}`, tank))
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(b, &inc)

	open(t, ctx, p.base+"/")
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, inc.ID))
	waitJS(t, ctx, `document.querySelector("ol.timeline .actor") !== null`, 10*time.Second)
	// The tests' requests carry an administrator's token called "tests".
	if got := eval[string](t, ctx, `document.querySelector("ol.timeline .actor").textContent`); got != "录入：tests" {
		t.Errorf("the step's actor: got %q", got)
	}
	href := eval[string](t, ctx, `document.querySelector(".section.timeline a.audit-link").getAttribute("href")`)
	if want := "/ui/audit.html?incident=" + inc.ID; href != want {
		t.Errorf("the timeline's audit link: got %q, want %q", href, want)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(p.base+href)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.parktwin && window.parktwin.auditPage && window.parktwin.auditPage.ready`, 10*time.Second)
	cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#audit-list tbody tr td")].map(td => td.textContent)`)
	if len(cells) != 7 || cells[2] != "tests (admin)" || cells[3] != "127.0.0.1" || cells[4] != "POST /api/v1/incidents" ||
		cells[5] != "新建 incident "+inc.ID {
		t.Errorf("the incident's entry: %q", cells)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#lang-toggle"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#audit-list th:nth-child(3)").textContent === "User"`, 5*time.Second)
	if got := eval[string](t, ctx, `document.querySelector("#audit-list tbody td:nth-child(6)").textContent`); got != "created incident "+inc.ID {
		t.Errorf("the change in English: %q", got)
	}
	noPageErrors(t, errs)
}
