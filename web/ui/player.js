// player.js — a drill's player bar: play/pause, the speeds, step to the
// next inject, the seek slider with a mark per inject, the drill time and
// stop. It sends controls and draws the DrillView it is given; the drill
// panel (drill.js) polls the view and owns the bar.

import { t, clock } from "./i18n.js";
import { el } from "./dom.js";
import { iso } from "./drillapi.js";

// The speeds the player offers; "max" is as fast as possible (speed 0 in a DrillView).
export const SPEEDS = [0.5, 1, 2, 5, 10, 60, "max"];
const STOP_CONFIRM_MS = 4000; // how long "press again to end" waits

const speedOf = (v) => (v.speed === 0 ? "max" : v.speed);

export class PlayerBar {
  /**
   * @param {HTMLElement} bar #drill-bar
   * @param {(body: object) => Promise<void>} control sends a control; the
   *   panel draws the view it answers with and shows an error
   */
  constructor(bar, control) {
    this.bar = bar;
    this.control = control;
    this.view = null;
    this.chosen = null; // the speed last asked for, played again by "play"
    this.dragging = false;
    this.stopArmed = 0;
    const $ = (s) => bar.querySelector(s);
    this.playBtn = $("#drill-play");
    this.stepBtn = $("#drill-step");
    this.stopBtn = $("#drill-stop");
    this.seek = $("#drill-seek");
    this.marks = $("#drill-marks");
    this.time = $("#drill-time");
    this.state = $("#drill-state");
    this.speeds = $("#drill-speeds");
    this.speedBtns = SPEEDS.map((s) => {
      const b = el("button", "speed", s === "max" ? t("drill.speed.max") : `${s}×`);
      b.type = "button";
      b.dataset.speed = String(s);
      b.addEventListener("click", () => {
        this.chosen = s;
        this.control({ action: "play", speed: s });
      });
      this.speeds.append(b);
      return b;
    });
    this.playBtn.addEventListener("click", () => {
      const v = this.view;
      if (!v) return;
      if (v.state === "playing") this.control({ action: "pause" });
      else this.control({ action: "play", speed: this.chosen ?? (v.speed ? speedOf(v) : 1) });
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
      this.showTime(Number(this.seek.value));
    });
    this.seek.addEventListener("change", () => {
      this.dragging = false;
      this.control({ action: "seek", to: iso(Number(this.seek.value)) });
    });
  }

  // Ending a drill cannot be undone: the button asks for a second press.
  stop() {
    if (this.stopArmed && performance.now() - this.stopArmed < STOP_CONFIRM_MS) {
      this.stopArmed = 0;
      this.stopBtn.dataset.armed = "false";
      this.control({ action: "stop" });
    } else {
      this.stopArmed = performance.now();
      this.stopBtn.dataset.armed = "true";
      this.stopBtn.textContent = t("drill.stop.confirm");
      setTimeout(() => this.relabel(), STOP_CONFIRM_MS);
    }
  }

  /** render draws a DrillView. */
  render(v) {
    const marksChanged = !this.view || this.view.durationS !== v.durationS || sigOf(this.view) !== sigOf(v);
    this.view = v;
    const playing = v.state === "playing";
    const over = v.state === "ended" || v.state === "stopped";
    this.bar.dataset.state = v.state;
    this.playBtn.dataset.action = playing ? "pause" : "play";
    this.playBtn.disabled = over;
    this.stepBtn.disabled = over || v.next >= (v.injects || []).length;
    this.stopBtn.disabled = v.state === "stopped";
    this.seek.disabled = v.state === "stopped";
    for (const b of this.speedBtns) {
      b.disabled = over;
      b.setAttribute("aria-pressed", String(playing && String(speedOf(v)) === b.dataset.speed));
    }
    this.seek.max = String(v.durationS || 0);
    if (!this.dragging) {
      this.seek.value = String(v.drillTimeS || 0);
      this.showTime(v.drillTimeS);
    }
    this.state.dataset.state = v.state;
    if (marksChanged) this.drawMarks(v);
    else this.markApplied(v);
    this.relabel();
  }

  showTime(s) {
    const v = this.view;
    this.time.dataset.s = String(s);
    this.time.textContent = `${clock(s)} / ${clock(v ? v.durationS : 0)}`;
  }

  // One mark per inject along the slider, where its time falls.
  drawMarks(v) {
    this.marks.replaceChildren();
    const dur = v.durationS || 1;
    (v.injects || []).forEach((inj, i) => {
      const m = el("span", "mark");
      m.dataset.index = String(i);
      m.dataset.kind = inj.kind;
      m.dataset.applied = String(!!inj.applied);
      m.style.left = `${Math.min(100, (100 * inj.atS) / dur)}%`;
      this.marks.append(m);
    });
  }

  markApplied(v) {
    for (const m of this.marks.children) {
      const inj = (v.injects || [])[Number(m.dataset.index)];
      if (inj) m.dataset.applied = String(!!inj.applied);
    }
  }

  /** relabel redraws the bar's texts in the current language. */
  relabel() {
    const v = this.view;
    this.playBtn.textContent = t(v && v.state === "playing" ? "drill.pause" : "drill.play");
    this.stepBtn.textContent = t("drill.step");
    this.stepBtn.title = t("drill.step.title");
    if (!this.stopArmed || performance.now() - this.stopArmed >= STOP_CONFIRM_MS) {
      this.stopArmed = 0;
      this.stopBtn.dataset.armed = "false";
      this.stopBtn.textContent = t("drill.stop");
    }
    this.seek.title = t("drill.seek.title");
    for (const b of this.speedBtns) {
      const s = b.dataset.speed;
      b.textContent = s === "max" ? t("drill.speed.max") : `${s}×`;
      b.title = s === "max" ? t("drill.speed.max.title") : t("drill.speed.title", { n: s });
    }
    for (const m of this.marks.children) {
      const inj = v && (v.injects || [])[Number(m.dataset.index)];
      if (inj) m.title = t("drill.inject.mark", { time: clock(inj.atS), kind: t("drill.inject." + inj.kind) });
    }
    this.state.textContent = v ? t("drill.state." + v.state) : "";
    if (v) this.showTime(this.dragging ? Number(this.seek.value) : v.drillTimeS);
  }
}

/** sigOf says which injects a view has, to redraw the marks only when they change. */
const sigOf = (v) => (v.injects || []).map((i) => `${i.atS}:${i.kind}`).join(",");
