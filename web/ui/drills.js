// drills.js — the drills page (/ui/drills.html): the scenarios, built-in
// and uploaded, each with a Start button that starts a drill and opens its
// console; the upload form; the drills with their state and links; and
// the replays (复盘, replays.js).
//
// ─── Hooks for automated browser tests ───────────────────────────────────
//
// window.parktwin.drillsPage:
//   ready        true once the scenarios have been listed
//   scenarios()  the scenarios as GET /api/v1/scenarios gave them
//   drills()     the drills as GET /api/v1/drills last gave them
//   replays()    the replays as GET /api/v1/replays last gave them
//
// Element ids and attributes:
//   #scenario-list  one li[data-id=<scenario>][data-builtin=true|false]
//                   each, with button.start
//   #upload-form    input[type=file][name=file], button[type=submit];
//                   #upload-result shows the outcome: data-result = ok |
//                   error; after a 422 data-line and data-field
//   #drill-list     tbody tr[data-id=<drill>][data-state], with a.open (its
//                   console) and, once ended or stopped, a.report
//   #replay-form, #replay-list  the replays: see replays.js

import { t, lang, setLang, applyI18n, span, clock } from "./i18n.js";
import * as api from "./drillapi.js";
import { el } from "./dom.js";
import { startReplays, loadReplays, renderReplays, replays } from "./replays.js";
import { can } from "./can.js";

const $ = (s) => document.querySelector(s);
const POLL_MS = 2000; // the drills list: enough to follow states by eye

const page = { ready: false, scenarios: [], drills: [], errors: new Map() };

applyI18n(document);
$("#upload").hidden = !can("POST", "/api/v1/scenarios");

/** textOf is a {zh, en} text in the current language. */
const textOf = (x) => (x ? (lang() === "en" ? x.en || x.zh : x.zh || x.en) || "" : "");

// ─── scenarios ───────────────────────────────────────────────────────────

async function loadScenarios() {
  const box = $("#scenario-error");
  try {
    page.scenarios = await api.scenarios();
    box.hidden = true;
  } catch (err) {
    box.hidden = false;
    box.textContent = t("drills.loadFailed", { msg: err.message });
  }
  renderScenarios();
  page.ready = true;
}

function renderScenarios() {
  const ul = $("#scenario-list");
  ul.replaceChildren();
  ul.classList.toggle("empty", page.scenarios.length === 0);
  for (const sc of page.scenarios) {
    const li = el("li");
    li.dataset.id = sc.id;
    li.dataset.builtin = String(!!sc.builtin);
    const title = el("div", "title");
    title.append(el("h3", "", textOf(sc.title) || sc.id));
    const meta = el("div", "meta");
    meta.append(
      el("span", "badge " + (sc.builtin ? "builtin" : "uploaded"), t(sc.builtin ? "drills.builtin" : "drills.uploaded")),
      el("span", "badge level", t("drills.level", { level: levelText(sc.level) })),
      el("span", "", t("drills.duration", { d: span(sc.durationS) })),
      el("span", "", t("drills.injects", { n: (sc.injects || []).length })),
      el("span", "", t("drills.expectations", { n: (sc.expectations || []).length })),
    );
    if (sc.author) meta.append(el("span", "", t("drills.author", { who: sc.author })));
    meta.append(el("code", "", sc.id));
    const actions = el("div", "actions");
    const btn = el("button", "primary start", t("drills.start"));
    btn.type = "button";
    btn.addEventListener("click", () => startDrill(sc.id, btn));
    if (can("POST", "/api/v1/drills")) actions.append(btn); // only to the roles that may start one (can.js)
    li.append(title, actions, meta, el("p", "objective", sc.objective || ""));
    const msg = page.errors.get(sc.id);
    if (msg) li.append(el("div", "error", msg));
    ul.append(li);
  }
}

function levelText(level) {
  const key = `enum.responseLevel.${level}`;
  return t(key) === key ? level || "—" : t(key);
}

async function startDrill(id, btn) {
  btn.disabled = true;
  btn.textContent = t("drills.starting");
  page.errors.delete(id);
  try {
    const v = await api.start(id);
    location.assign(api.consoleURL(v.id)); // the drill is worked in its own console
  } catch (err) {
    page.errors.set(id, t("drills.start.failed", { msg: err.message }));
    renderScenarios();
  }
}

// ─── upload ──────────────────────────────────────────────────────────────

$("#upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = $("#upload-result");
  const file = e.target.elements.file.files[0];
  const show = (result, text) => {
    out.hidden = false;
    out.dataset.result = result;
    out.className = "msg " + (result === "ok" ? "ok" : "error");
    out.textContent = text;
  };
  delete out.dataset.line;
  delete out.dataset.field;
  if (!file) return show("error", t("drills.upload.none"));
  try {
    const sc = await api.upload(await file.text());
    show("ok", t("drills.upload.ok", { title: textOf(sc.title) || sc.id }));
    e.target.reset();
    loadScenarios();
  } catch (err) {
    const b = (err && err.body) || {};
    if (b.line) out.dataset.line = String(b.line);
    if (b.field) out.dataset.field = b.field;
    // The message may name the line and field itself; say them anyway, first.
    const key = b.line ? "drills.upload.error.line" : b.field ? "drills.upload.error.field" : "drills.upload.error";
    show("error", t(key, { line: b.line, field: b.field, msg: err.message }));
  }
});

// ─── drills ──────────────────────────────────────────────────────────────

async function loadDrills() {
  const box = $("#drill-error");
  try {
    page.drills = await api.drills();
    box.hidden = true;
  } catch (err) {
    box.hidden = false;
    box.textContent = t("drills.loadFailed", { msg: err.message });
  }
  renderDrills();
}

function renderDrills() {
  const body = $("#drill-list tbody");
  body.replaceChildren();
  $("#drill-empty").hidden = page.drills.length > 0;
  for (const d of page.drills) {
    const tr = el("tr");
    tr.dataset.id = d.id;
    tr.dataset.state = d.state;
    const state = el("span", "badge state", t("drill.state." + d.state));
    state.dataset.state = d.state;
    const links = el("td");
    const open = el("a", "open", t("drills.open"));
    open.href = api.consoleURL(d.twin || d.id);
    links.append(open);
    if (d.state === "ended" || d.state === "stopped") {
      const rep = el("a", "report", t("drill.report"));
      rep.href = api.reportURL(d.id, "html", lang());
      rep.target = "_blank";
      links.append(" · ", rep);
    }
    const cells = [el("td", "", d.id), el("td", "", textOf(d.title) || d.scenario), el("td"), el("td", "time", `${clock(d.drillTimeS)} / ${clock(d.durationS)}`), links];
    cells[2].append(state);
    tr.append(...cells);
    body.append(tr);
  }
}

// ─── language, start ─────────────────────────────────────────────────────

$("#lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));
window.addEventListener("langchange", () => {
  renderScenarios();
  renderDrills();
  renderReplays();
});

window.parktwin = {
  drillsPage: {
    get ready() {
      return page.ready;
    },
    scenarios: () => page.scenarios,
    drills: () => page.drills,
    replays,
  },
};

loadScenarios();
loadDrills();
startReplays();
loadReplays();
setInterval(() => {
  loadDrills();
  loadReplays();
}, POLL_MS);
