// replayscenario.js — "make a scenario from this" in a replay's console:
// asks for the scenario's id, makes it of the replay's window (POST
// /api/v1/replays/{id}/scenario; the server checks the id and adds the
// scenario to the drills' library), then offers to start it as a drill,
// whose console opens, and its YAML to keep.

import { t, beijing } from "./i18n.js";
import { el } from "./dom.js";
import * as replays from "./replayapi.js";
import * as drills from "./drillapi.js";

export class ScenarioMaker {
  /**
   * @param {HTMLElement} box #replay-scenario-box: the form and its result
   * @param {HTMLButtonElement} toggle #replay-scenario, which opens the box
   * @param {() => object} view the replay's last ReplayState
   */
  constructor(box, toggle, view) {
    this.box = box;
    this.toggle = toggle;
    this.view = view;
    this.form = box.querySelector("#replay-scenario-form");
    this.result = box.querySelector("#replay-scenario-result");
    this.outcome = null; // {ok, id, msg}: the last answer, redrawn on a language change
    this.yamlURL = "";
    toggle.addEventListener("click", () => this.open(this.box.hidden));
    this.form.querySelector("button.cancel").addEventListener("click", () => this.open(false));
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.make();
    });
    window.addEventListener("langchange", () => this.drawResult());
  }

  /**
   * enable lets a scenario be made, or not: a stopped replay makes none.
   * One made already stays offered: it is in the library, not in the replay.
   */
  enable(on) {
    this.toggle.disabled = !on && this.box.hidden;
    this.form.querySelector("button[type=submit]").disabled = !on;
  }

  open(on) {
    this.box.hidden = !on;
    this.toggle.setAttribute("aria-expanded", String(on));
    if (!on) return;
    const input = this.form.elements.id;
    if (!input.value) input.value = defaultID(this.view());
    input.focus();
    input.select();
  }

  async make() {
    const v = this.view();
    const id = this.form.elements.id.value.trim();
    const submit = this.form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      const yaml = await replays.scenario(v.id, id);
      if (this.yamlURL) URL.revokeObjectURL(this.yamlURL);
      this.yamlURL = URL.createObjectURL(new Blob([yaml], { type: "application/yaml" }));
      this.outcome = { ok: true, id };
    } catch (err) {
      // The server says what is wrong with the id, or that the window has nothing to drill.
      this.outcome = { ok: false, id, msg: err.message };
    }
    submit.disabled = false;
    this.drawResult();
  }

  drawResult() {
    const o = this.outcome;
    const r = this.result;
    r.hidden = !o;
    if (!o) return;
    r.dataset.result = o.ok ? "ok" : "error";
    r.dataset.id = o.id;
    r.className = "msg " + (o.ok ? "ok" : "error");
    if (!o.ok) {
      r.textContent = t("replay.scenario.failed", { msg: o.msg });
      return;
    }
    const start = el("button", "primary", t("replay.scenario.drill"));
    start.type = "button";
    start.id = "replay-drill";
    start.addEventListener("click", () => this.startDrill(o.id, start));
    const yaml = el("a", "yaml", t("replay.scenario.yaml"));
    yaml.href = this.yamlURL;
    yaml.download = `${o.id}.yaml`;
    const page = el("a", "drills", t("replay.scenario.library"));
    page.href = "/ui/drills.html";
    r.replaceChildren(el("div", "", t("replay.scenario.made", { id: o.id })), start, " ", yaml, " · ", page);
  }

  // The drill is worked in its own console, as one started from the drills page.
  async startDrill(id, btn) {
    btn.disabled = true;
    btn.textContent = t("drills.starting");
    try {
      const d = await drills.start(id);
      location.assign(drills.consoleURL(d.twin || d.id));
    } catch (err) {
      this.outcome = { ok: false, id, msg: err.message };
      this.drawResult();
    }
  }
}

/** defaultID names a scenario after its replay's start, as the server would: replay-YYYYMMDD-HHMM in Beijing time. */
function defaultID(v) {
  const d = beijing(v.from).replace(/[-:]/g, "");
  return `replay-${d.slice(0, 8)}-${d.slice(9, 13)}`;
}
