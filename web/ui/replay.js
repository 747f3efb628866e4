// replay.js — the console of a replay (复盘). When the twin shown is a
// replay (GET /api/v1/replays/{twin} answers; 404 means it is not), the
// page gets a blue frame and the replay bar: play/pause, the speeds, step
// to the next event, a slider over the window in the park's time that
// seeks when let go, the events applied of the window's, the report, stop
// and "make a scenario" (replayscenario.js). The ReplayState is polled
// once a second while the page is open, as a drill's view is.
//
// A replay's twin is read-only (the server answers 409 to any change), so
// body.replay hides the panels' buttons that would change it (style.css).

import { t, lang, beijing } from "./i18n.js";
import { el } from "./dom.js";
import * as api from "./replayapi.js";
import { ScenarioMaker } from "./replayscenario.js";
import { can } from "./can.js";

const POLL_MS = 1000;
/** SPEEDS are the speeds the bar offers, times the wall clock. */
export const SPEEDS = [1, 10, 60, 600];
const STOP_CONFIRM_MS = 4000; // how long "press again to end" waits

export class ReplayPanel {
  /**
   * @param {object} o
   * @param {string} o.twin the twin the page shows
   * @param {(v: object) => void} o.onView after every ReplayState drawn
   *   (the banner, the twin's clock)
   */
  constructor({ twin, onView }) {
    this.twin = twin;
    this.onView = onView;
    this.view = null;
    this.isReplay = twin === "live" ? false : null; // null until the first answer
    this.timer = 0;
    this.chosen = null; // the speed last asked for, played again by "play"
    this.dragging = false;
    this.stopArmed = 0;
    const $ = (s) => document.querySelector(s);
    this.bar = $("#replay-bar");
    this.playBtn = $("#replay-play");
    this.stepBtn = $("#replay-step");
    this.stopBtn = $("#replay-stop");
    this.seek = $("#replay-seek");
    this.time = $("#replay-time");
    this.events = $("#replay-events");
    this.state = $("#replay-state");
    this.report = $("#replay-report");
    this.errorEl = $("#replay-error");
    this.speedBtns = SPEEDS.map((s) => {
      const b = el("button", "speed", `${s}×`);
      b.type = "button";
      b.dataset.speed = String(s);
      b.addEventListener("click", () => {
        this.chosen = s;
        this.control({ action: "play", speed: s });
      });
      $("#replay-speeds").append(b);
      return b;
    });
    this.playBtn.addEventListener("click", () => {
      const v = this.view;
      if (!v) return;
      if (v.state === "playing") this.control({ action: "pause" });
      else this.control({ action: "play", speed: this.chosen ?? (v.speed || 1) });
    });
    this.stepBtn.addEventListener("click", () => this.control({ action: "step" }));
    this.stopBtn.addEventListener("click", () => this.stop());
    // While the slider is dragged the polls leave it alone; letting go seeks.
    this.seek.addEventListener("pointerdown", () => (this.dragging = true));
    // A press let go where it began changes nothing and fires no "change".
    const release = () => setTimeout(() => (this.dragging = false));
    this.seek.addEventListener("pointerup", release);
    this.seek.addEventListener("pointercancel", release);
    this.seek.addEventListener("input", () => {
      this.dragging = true;
      this.showTime(this.sliderTime());
    });
    this.seek.addEventListener("change", () => {
      this.dragging = false;
      this.control({ action: "seek", to: api.rfc3339(this.sliderTime()) });
    });
    this.scenario = new ScenarioMaker($("#replay-scenario-box"), $("#replay-scenario"), () => this.view);
    // The replay's controls only to the roles that may call them (can.js): the others watch.
    if (!can("POST", "/api/v1/replays/{id}/control")) {
      for (const e of [this.playBtn, this.stepBtn, this.stopBtn, this.seek, ...this.speedBtns]) if (e) e.hidden = true;
    }
    if (!can("POST", "/api/v1/replays/{id}/scenario")) $("#replay-scenario").hidden = true;
    window.addEventListener("langchange", () => this.relabel());
  }

  /** start finds out whether the twin is a replay and, if so, shows it and polls. */
  async start() {
    if (this.isReplay === false) return;
    let v;
    try {
      v = await api.replay(this.twin);
    } catch {
      setTimeout(() => this.start(), POLL_MS * 5); // the server is away: ask again later
      return;
    }
    this.isReplay = v !== null;
    if (!v) return;
    document.body.classList.add("replay");
    this.bar.hidden = false;
    this.draw(v);
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  async poll() {
    try {
      const v = await api.replay(this.view.id);
      if (!v) {
        clearInterval(this.timer); // stopped, or its time ran out: nothing more to follow
        this.draw({ ...this.view, state: "gone" });
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
      this.setError(t("replay.control.failed", { msg: err.message }));
    }
  }

  setError(msg) {
    this.errorEl.hidden = !msg;
    this.errorEl.textContent = msg;
  }

  // Ending a replay cannot be undone: the button asks for a second press.
  stop() {
    if (this.stopArmed && performance.now() - this.stopArmed < STOP_CONFIRM_MS) {
      this.stopArmed = 0;
      this.control({ action: "stop" });
    } else {
      this.stopArmed = performance.now();
      setTimeout(() => this.relabel(), STOP_CONFIRM_MS);
    }
    this.relabel();
  }

  /** sliderTime is the time (ms) the slider stands at, within the window. */
  sliderTime() {
    const v = this.view;
    return Math.min(Date.parse(v.to), Date.parse(v.from) + Number(this.seek.value) * 1000);
  }

  draw(v) {
    this.view = v;
    const playing = v.state === "playing";
    const over = v.state === "stopped" || v.state === "gone";
    const from = Date.parse(v.from), to = Date.parse(v.to), now = Date.parse(v.time);
    this.bar.dataset.state = v.state;
    this.playBtn.dataset.action = playing ? "pause" : "play";
    this.playBtn.disabled = over || (!playing && now >= to);
    this.stepBtn.disabled = over || v.applied >= v.events;
    this.stopBtn.disabled = over;
    this.seek.disabled = over;
    for (const b of this.speedBtns) {
      b.disabled = over;
      b.setAttribute("aria-pressed", String(playing && String(v.speed) === b.dataset.speed));
    }
    // Whole seconds from the start; the last step reaches the end (sliderTime clamps).
    this.seek.max = String(Math.ceil((to - from) / 1000));
    if (!this.dragging) {
      this.seek.value = String(Math.round((now - from) / 1000));
      this.showTime(now);
    }
    this.events.dataset.applied = String(v.applied);
    this.events.dataset.events = String(v.events);
    this.report.hidden = over; // a replay's report goes with it
    this.scenario.enable(!over);
    this.relabel();
    this.onView(v);
  }

  showTime(ms) {
    this.time.dataset.time = new Date(ms).toISOString();
    this.time.textContent = beijing(ms);
  }

  /** relabel redraws the bar's texts in the current language. */
  relabel() {
    const v = this.view;
    if (!v) return;
    this.playBtn.textContent = t(v.state === "playing" ? "replay.pause" : "replay.play");
    this.stepBtn.textContent = t("replay.step");
    this.stepBtn.title = t("replay.step.title");
    const armed = this.stopArmed && performance.now() - this.stopArmed < STOP_CONFIRM_MS;
    if (!armed) this.stopArmed = 0;
    this.stopBtn.dataset.armed = String(!!armed);
    this.stopBtn.textContent = t(armed ? "replay.stop.confirm" : "replay.stop");
    this.seek.title = t("replay.seek.title", { from: beijing(v.from), to: beijing(v.to) });
    for (const b of this.speedBtns) b.title = t("replay.speed.title", { n: b.dataset.speed });
    this.events.textContent = t("replay.events", { applied: v.applied, events: v.events });
    this.state.dataset.state = v.state;
    this.state.textContent = t("replay.state." + v.state);
    this.drawReport(v);
  }

  // The replay's after-action report, as a page and as a PDF.
  drawReport(v) {
    const sig = `${v.id}|${lang()}`;
    if (this.report.dataset.sig === sig) return; // a link redrawn under the pointer may lose its click
    this.report.dataset.sig = sig;
    const html = el("a", "report-html", t("replay.report"));
    html.href = api.reportURL(v.id, "html", lang());
    html.target = "_blank";
    const pdf = el("a", "report-pdf", t("replay.report.pdf"));
    pdf.href = api.reportURL(v.id, "pdf", lang());
    pdf.target = "_blank";
    this.report.replaceChildren(html, " · ", pdf);
  }

  /** banner is the 复盘 banner's text for this replay, or null when not a replay. */
  banner() {
    const v = this.view;
    return v ? t("replay.banner", { id: v.id, from: beijing(v.from), to: beijing(v.to) }) : null;
  }
}
