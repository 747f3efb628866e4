package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// noticeText is the text of the incident panel's status line outside
// proper names and IDs (span.arg), one text node a line, and all of it
// after a tab.
const noticeText = `(() => {
	const m = document.querySelector("#details .msg");
	if (!m) return "";
	const out = [];
	const w = document.createTreeWalker(m, NodeFilter.SHOW_TEXT);
	for (let n = w.nextNode(); n; n = w.nextNode()) {
		if (n.parentElement.closest(".arg") || !n.textContent.trim()) continue;
		out.push(n.textContent);
	}
	return out.join("\n") + "\t" + m.textContent;
})()`

// TestIncidentNoticeInOneLanguage: a unit released from the incident's
// panel in the Chinese console says so in Chinese; the language changed
// to English, the same status line reads in English (it is kept as what
// it says, not as the text of the moment). A refusal's line (a unit
// released twice, refused by the server) renders again in the language
// shown; a comm-lost alarm's auto-close note writes its time in Beijing
// time and its wait in words in either.
func TestIncidentNoticeInOneLanguage(t *testing.T) {
	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(t.TempDir(), "parktwin.db"), "PARKD_SIMULATE=false")
	_, tank, _ := sensorOf(t, p)
	status, b := send(t, "POST", p.base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":"值班员"}`, tank))
	if status != http.StatusCreated {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct{ ID string }
	json.Unmarshal(b, &inc)
	status, plan := send(t, "POST", p.base+"/api/v1/incidents/"+inc.ID+"/plan", "")
	if status != http.StatusOK {
		t.Fatalf("plan: %d %s", status, plan)
	}
	if status, b := send(t, "POST", p.base+"/api/v1/incidents/"+inc.ID+"/confirm", string(plan)); status != http.StatusOK {
		t.Fatalf("confirm: %d %s", status, b)
	}

	open(t, ctx, p.base+"/")
	setLang := func(l string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`import("/ui/i18n.js").then((m) => (m.setLang(%q), true))`, l),
			chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
	}
	setLang("zh-CN")
	eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, inc.ID))
	waitJS(t, ctx, `document.querySelector("#details button[data-release]") !== null`, 10*time.Second)
	vehicle := eval[string](t, ctx, `document.querySelector("#details button[data-release]").dataset.release`)
	click(t, ctx, "#details button[data-release]")
	waitJS(t, ctx, `(document.querySelector("#details .msg.ok") || {}).textContent?.includes("已释放") === true`, 10*time.Second)
	line := func(lang string) string {
		t.Helper()
		text, all, _ := strings.Cut(eval[string](t, ctx, noticeText), "\t")
		if bad := notInLang(text, lang); len(bad) > 0 || !strings.Contains(all, vehicle) {
			t.Errorf("the status line in %s: %q (not in the language: %q), want it naming %s", lang, all, bad, vehicle)
		}
		return all
	}
	zh := line("zh-CN")
	setLang("en")
	waitJS(t, ctx, `document.documentElement.lang === "en" && (document.querySelector("#details .msg.ok") || {}).textContent?.includes("released: available again") === true`, 10*time.Second)
	en := line("en")
	t.Logf("%s → %s", zh, en)

	// A flammable leak's incident, planned and confirmed, lists the pooled
	// equipment sent: its table names the equipment and its unit in the
	// language shown, not by their codes (absorbent, 套).
	_, other, _ := sensorOf(t, p)
	status, b = send(t, "POST", p.base+"/api/v1/incidents", fmt.Sprintf(`{"type":"flammable-leak","entity":%q,"level":"IV","reporter":"值班员","chemical":"108-90-7"}`, other))
	var leak struct{ ID string }
	if json.Unmarshal(b, &leak); status/100 != 2 || leak.ID == "" {
		t.Fatalf("leak report: %d %s", status, b)
	}
	if leak.ID != inc.ID {
		status, lp := send(t, "POST", p.base+"/api/v1/incidents/"+leak.ID+"/plan", "")
		if status != http.StatusOK {
			t.Fatalf("leak plan: %d %s", status, lp)
		}
		if status, b := send(t, "POST", p.base+"/api/v1/incidents/"+leak.ID+"/confirm", string(lp)); status != http.StatusOK {
			t.Fatalf("leak confirm: %d %.300s", status, b)
		}
		eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, leak.ID))
		equipment := `[...document.querySelectorAll("#details tr")].filter((tr) => tr.cells.length === 4 && tr.cells[0].title)
			.map((tr) => tr.cells[0].textContent + " | " + tr.cells[2].textContent).join("\n")`
		waitJS(t, ctx, equipment+` !== ""`, 10*time.Second)
		for _, l := range []string{"en", "zh-CN"} {
			setLang(l)
			rows := eval[string](t, ctx, equipment)
			for _, row := range strings.Split(rows, "\n") {
				if bad := notInLang(row, l); len(bad) > 0 || regexp.MustCompile(`^[a-z0-9-]+( ·|$| \|)`).MatchString(row) {
					t.Errorf("an equipment row in %s: %q (not in the language: %q)", l, row, bad)
				}
			}
			t.Logf("equipment in %s: %s", l, strings.ReplaceAll(rows, "\n", "; "))
		}
		setLang("en")
		eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, inc.ID))
	}

	// A refusal kept as its body renders again in the language shown.
	refusal := fmt.Sprintf(`(async () => {
		const [{ apiFetch, API }, n, i18n] = await Promise.all([import("/ui/api.js"), import("/ui/notice.js"), import("/ui/i18n.js")]);
		const team = %q, vehicle = %q;
		const res = await apiFetch(API + "/incidents/%s/release-unit", { method: "POST", headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ team, vehicle }) });
		const r = new n.Refused(await res.json(), res.status);
		const notice = n.failed(r);
		i18n.setLang("zh-CN");
		const zh = n.noticeEl(notice).textContent;
		i18n.setLang("en");
		const en = n.noticeEl(notice).textContent;
		return res.status + "\t" + zh + "\t" + en;
	})()`, teamOf(t, plan, vehicle), vehicle, inc.ID)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](refusal, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(got, "\t")
	if len(parts) != 3 || parts[0] != "409" || !strings.Contains(parts[1], "操作失败") || !strings.Contains(parts[1], "无需再次释放") ||
		!strings.Contains(parts[2], "Failed: ") || !strings.Contains(parts[2], "released from "+inc.ID+" already") {
		t.Errorf("a unit released twice, refused: %q", got)
	}

	// The desk's other conflicts, their enumerations in the language.
	conflicts := `(async () => {
		const [m, i18n] = await Promise.all([import("/ui/msg.js"), import("/ui/i18n.js")]);
		const ms = [
			{ code: "error.reinforcement.stale", args: { id: "INC-00001" } },
			{ code: "error.reinforcement.none", args: { id: "INC-00001", state: "dispatched" } },
			{ code: "error.vehicleBusy", args: { vehicle: "VEH-01-01", status: "en-route" } },
			{ code: "error.vehicleNotOnWay", args: { vehicle: "VEH-01-01", from: "INC-00002" } },
			{ code: "error.notRankBelow", args: { from: "INC-00002", id: "INC-00001" } },
			{ code: "error.noRoadToIncident" },
		];
		const out = [];
		for (const l of ["zh-CN", "en"]) {
			i18n.setLang(l);
			for (const x of ms) {
				const d = document.createElement("div");
				d.append(...m.msgNodes(x));
				d.querySelectorAll(".arg").forEach((a) => a.remove());
				out.push(l + "\t" + d.textContent);
			}
		}
		return out.join("\n");
	})()`
	if got, err = chromedp.Run(ctx, chromedp.Evaluate[string](conflicts, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(got, "\n") {
		lang, text, _ := strings.Cut(line, "\t")
		if bad := notInLang(text, lang); len(bad) > 0 || strings.Contains(text, "{") {
			t.Errorf("a desk's conflict in %s: %q (%q)", lang, text, bad)
		}
	}
	for _, want := range []string{"计划依据已变化，请重新生成增援方案", "处于已调派状态", "当前为途中状态", "plan again"} {
		if !strings.Contains(got, want) {
			t.Errorf("the desk's conflicts have no %q:\n%s", want, got)
		}
	}

	// A note's time and duration arguments.
	note := `(async () => {
		const [m, i18n] = await Promise.all([import("/ui/msg.js"), import("/ui/i18n.js")]);
		const n = { code: "alarm.note.autoClosed", args: { restored: "2026-12-02T07:51:44Z", after: 60, rule: "commLost.autoClose" } };
		const old = { code: "alarm.note.autoClosed", args: { restored: "2026-12-02T07:51:44Z", after: "1h0m0s", rule: "commLost.autoClose" } };
		i18n.setLang("zh-CN");
		const zh = m.msgText(n) + "\t" + m.msgText(old);
		i18n.setLang("en");
		return zh + "\t" + m.msgText(n) + "\t" + m.msgText(old);
	})()`
	if got, err = chromedp.Run(ctx, chromedp.Evaluate[string](note, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"通信已于 2026-12-02 15:51:44 恢复，1 分钟内无人确认", "1 小时内无人确认",
		"communication restored at 2026-12-02 15:51:44 and not acknowledged within 1 min", "within 1 h"} {
		if parts := strings.Split(got, "\t"); len(parts) != 4 || !strings.Contains(parts[i], want) {
			t.Errorf("the auto-close note: %q, want %q in part %d", got, want, i)
		}
	}
	noPageErrors(t, errs)
}

// teamOf returns the team of vehicle in the plan's JSON.
func teamOf(t *testing.T, plan []byte, vehicle string) string {
	t.Helper()
	var p struct {
		Assignments []struct{ Team, Vehicle string }
	}
	json.Unmarshal(plan, &p)
	for _, a := range p.Assignments {
		if a.Vehicle == vehicle {
			return a.Team
		}
	}
	t.Fatalf("no %s in the plan %s", vehicle, plan)
	return ""
}
