// drill.js — the console of a drill. When the twin shown is a drill (GET
// /api/v1/drills/{twin} answers; 404 means it is not), the page gets an
// orange frame, the player bar, the trainees' messages (a toast each as
// it arrives, and a list), the expectation checklist, and at the end the
// links to the report. The DrillView is polled once a second while the
// page is open: simple, and it heals by itself after a lost request.

import { t, lang, clock, span } from "./i18n.js";
import { el } from "./dom.js";
import * as api from "./drillapi.js";
import { PlayerBar } from "./player.js";
import { can } from "./can.js";

const POLL_MS = 1000;
const TOAST_MS = 8000;
const TOAST_RECENT_S = 30; // on opening, messages this recent in drill time still toast
const MARKS = { met: "✓", missed: "✗", pending: "○" };
// The parameter of an expectation, by what it checks: which enumeration names it.
const PARAM_ENUM = { "incident-created": "incidentType", "capability-assigned": "capability" };

const textOf = (x) => (x ? (lang() === "en" ? x.en || x.zh : x.zh || x.en) || "" : "");

export class DrillPanel {
  /**
   * @param {object} o
   * @param {string} o.twin the twin the page shows
   * @param {(view: object) => void} o.onView after every view drawn (the
   *   banner, the twin's clock)
   */
  constructor({ twin, onView }) {
    this.twin = twin;
    this.onView = onView;
    this.view = null;
    this.isDrill = twin === "live" ? false : null; // null until the first answer
    this.timer = 0;
    this.toasted = new Set(); // message keys already toasted
    this.msgSig = "";
    const $ = (s) => document.querySelector(s);
    this.bar = $("#drill-bar");
    this.panel = $("#drill-panel");
    this.checklist = $("#drill-checklist");
    this.messages = $("#drill-messages");
    this.toasts = $("#drill-toasts");
    this.report = $("#drill-report");
    this.errorEl = $("#drill-error");
    this.player = new PlayerBar(this.bar, (body) => this.control(body));
    // The drill's controls only to the roles that may call them (can.js): the others watch.
    if (!can("POST", "/api/v1/drills/{id}/control")) {
      for (const e of [this.player.playBtn, this.player.stepBtn, this.player.stopBtn, this.player.speeds, this.player.seek]) if (e) e.hidden = true;
    }
    window.addEventListener("langchange", () => this.relabel());
  }

  /** start finds out whether the twin is a drill and, if so, shows it and polls. */
  async start() {
    if (this.isDrill === false) return;
    let v;
    try {
      v = await api.drill(this.twin);
    } catch (err) {
      setTimeout(() => this.start(), POLL_MS * 5); // the server is away: ask again later
      return;
    }
    this.isDrill = v !== null;
    if (!v) return;
    document.body.classList.add("drill");
    this.bar.hidden = false;
    this.panel.hidden = false;
    // Messages just before the opening still toast; older ones are listed only.
    for (const m of v.messages || []) if (m.atS < v.drillTimeS - TOAST_RECENT_S) this.toasted.add(keyOf(m));
    this.draw(v);
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  async poll() {
    try {
      const v = await api.drill(this.view.id);
      if (!v) {
        clearInterval(this.timer); // the drill was removed: nothing more to follow
        this.bar.dataset.state = "gone";
        this.player.state.textContent = t("drill.state.gone");
        return;
      }
      this.draw(v);
    } catch {
      /* a lost poll: the next one tries again */
    }
  }

  async control(body) {
    try {
      this.draw(await api.control(this.view.id, body));
      this.setError("");
    } catch (err) {
      this.setError(t("drill.control.failed", { msg: err.message }));
    }
  }

  setError(msg) {
    this.errorEl.hidden = !msg;
    this.errorEl.textContent = msg;
  }

  draw(v) {
    // Seeking back plays the drill again on a new park: the page's park and
    // stream are gone with the old one, so the page starts again.
    if (this.view && v.pass !== undefined && this.view.pass !== undefined && v.pass !== this.view.pass) {
      clearInterval(this.timer);
      location.reload();
      return;
    }
    this.view = v;
    this.player.render(v);
    this.drawChecklist(v);
    this.drawMessages(v);
    this.drawReport(v);
    this.onView(v);
  }

  // One line per expectation: its mark, what it checks, and took vs target.
  drawChecklist(v) {
    this.checklist.replaceChildren();
    for (const e of v.expectations || []) {
      const li = el("li");
      li.dataset.id = e.id;
      li.dataset.status = e.status;
      li.append(el("span", "mark", MARKS[e.status] || "○"));
      const body = el("div", "body");
      body.append(el("div", "what", whatText(e)));
      const vars = { target: span(e.targetS), of: e.of ? t("drill.of." + e.of) : "" };
      const detail = e.status === "met" && typeof e.tookS === "number"
        ? t("drill.took", { ...vars, took: span(e.tookS) })
        : t("drill.target", vars);
      body.append(el("div", "detail", `${t("drill.status." + e.status)} · ${detail}`));
      li.append(body);
      li.append(el("span", "at", typeof e.atS === "number" ? clock(e.atS) : ""));
      this.checklist.append(li);
    }
  }

  // The messages, newest first; each new one also toasts once.
  drawMessages(v) {
    const list = v.messages || [];
    const sig = lang() + list.map(keyOf).join("|");
    if (sig !== this.msgSig) {
      this.msgSig = sig;
      this.messages.replaceChildren();
      this.messages.classList.toggle("empty", list.length === 0);
      for (const m of [...list].reverse()) {
        const li = el("li");
        li.dataset.at = String(m.atS);
        li.append(el("span", "time", clock(m.atS)), el("span", "text", textOf(m)));
        this.messages.append(li);
      }
    }
    for (const m of list) {
      const k = keyOf(m);
      if (this.toasted.has(k)) continue;
      this.toasted.add(k);
      this.toast(m);
    }
  }

  toast(m) {
    const d = el("div", "toast");
    d.dataset.at = String(m.atS);
    d.append(el("span", "time", clock(m.atS)), el("span", "text", textOf(m)));
    d.addEventListener("click", () => d.remove());
    this.toasts.append(d);
    setTimeout(() => d.remove(), TOAST_MS);
  }

  // At the end: the after-action report, as a page and as a PDF.
  drawReport(v) {
    const over = v.state === "ended" || v.state === "stopped";
    this.report.hidden = !over;
    if (!over || this.report.dataset.id === v.id) return;
    this.report.dataset.id = v.id;
    const html = el("a", "report-html", t("drill.report"));
    html.href = api.reportURL(v.id, "html", lang());
    html.target = "_blank";
    const pdf = el("a", "report-pdf", t("drill.report.pdf"));
    pdf.href = api.reportURL(v.id, "pdf", lang());
    pdf.target = "_blank";
    this.report.replaceChildren(el("span", "", t("drill.ended")), html, " · ", pdf);
  }

  /** banner is the exercise banner's text for this drill, or null when not a drill. */
  banner() {
    const v = this.view;
    return v ? t("drill.banner", { id: v.id, title: textOf(v.title) || v.scenario }) : null;
  }

  relabel() {
    if (!this.view) return;
    this.report.dataset.id = ""; // redrawn in the new language
    this.msgSig = "";
    this.draw(this.view);
  }
}

const keyOf = (m) => `${m.atS}|${m.zh}`;

function whatText(e) {
  const what = t("drill.what." + e.what);
  if (!e.param) return what;
  const dom = PARAM_ENUM[e.what];
  const key = dom ? `enum.${dom}.${e.param}` : "";
  return t("drill.what.param", { what, param: key && t(key) !== key ? t(key) : e.param });
}
