// alarmkpis.js — the alarm KPI page (/ui/alarm-kpis.html): alarm
// management figures of the live park per day or per shift (ISA-18.2 /
// EEMUA 191) from GET /api/v1/alarm-kpis — alarms per operator-hour,
// standing and chattering alarms, time to acknowledge, the top 10 bad
// actors, time in flood — with the export links (CSV, Excel) and the
// standing and chattering alarms listed for review.
//
// ─── Hooks for automated browser tests ───────────────────────────────────
//
// window.parktwin.alarmKpis:
//   ready   true once the figures have been shown
//   data()  the API's answer shown
// Element ids: #kpi-form (from, to, by), #kpi-csv, #kpi-xlsx,
//   #kpi-summary .kpi[data-kpi=alarms|perOperatorHour|standing|chattering|
//   ackMedianS|ackP90S|floodShare|topShare|shelved|shelvedS] b, #kpi-periods
//   tbody tr[data-day], #kpi-actors, #kpi-floods, #kpi-standing tr[data-id],
//   #kpi-chattering tr[data-sensor], #kpi-shelvings tr[data-id] (one per
//   shelving: who, why, from, until — ISA-18.2's review of shelved alarms). ?by=shift (or from, to) in the URL
//   fills the form.

import { errorText } from "./msg.js";
import { t, lang, setLang, applyI18n, beijing, beijingInput, fromBeijing, number, span, enumText } from "./i18n.js";
import { el } from "./dom.js";
import "./api.js"; // the session: without one, the login page

const $ = (s) => document.querySelector(s);
const page = { ready: false, data: null };
window.parktwin = Object.assign(window.parktwin || {}, {
  alarmKpis: { get ready() { return page.ready; }, data: () => page.data },
});

applyI18n(document);

function query() {
  const f = $("#kpi-form");
  const q = new URLSearchParams();
  for (const name of ["from", "to"]) {
    const ms = fromBeijing(f.elements[name].value);
    if (Number.isFinite(ms)) q.set(name, new Date(ms).toISOString().replace(/\.\d+Z$/, "Z"));
  }
  q.set("by", f.elements.by.value);
  return q;
}

async function load() {
  const q = query();
  const err = $("#kpi-error");
  err.hidden = true;
  for (const [id, fmt] of [["#kpi-csv", "csv"], ["#kpi-xlsx", "xlsx"]]) {
    const e = new URLSearchParams(q);
    e.set("format", fmt);
    $(id).href = `/api/v1/alarm-kpis?${e}`;
  }
  try {
    const res = await fetch(`/api/v1/alarm-kpis?${q}`);
    const body = await res.json();
    if (!res.ok) throw new Error(errorText(body, res.status));
    page.data = body;
    const f = $("#kpi-form");
    for (const name of ["from", "to"]) {
      if (!f.elements[name].value) f.elements[name].value = beijingInput(Date.parse(body[name])).slice(0, 16);
    }
  } catch (e) {
    err.textContent = t("kpi.failed", { msg: e.message });
    err.hidden = false;
  }
  render();
  page.ready = true;
}

const secs = (v) => (typeof v === "number" ? span(v) : "—");
const pct = (v) => (typeof v === "number" ? `${number(v * 100, 1)}%` : "—");
const shiftName = (n) => (n ? (t("kpi.shift." + n) === "kpi.shift." + n ? n : t("kpi.shift." + n)) : "");
const nm = (id) => (page.data && page.data.names && page.data.names[id]) || id;
const actor = (b) => `${b.subject && b.subject !== b.sensor ? nm(b.subject) + " · " : ""}${nm(b.sensor)}`;

/** fill sets a table's header from i18n keys and its rows. */
function fill(sel, heads, rows) {
  const tbl = $(sel);
  const hr = el("tr");
  for (const k of heads) hr.append(el("th", "", t(k)));
  tbl.tHead.replaceChildren(hr);
  tbl.tBodies[0].replaceChildren(...rows);
  if (!rows.length) {
    const tr = el("tr");
    const td = el("td", "empty", t("kpi.none"));
    td.colSpan = heads.length;
    tr.append(td);
    tbl.tBodies[0].append(tr);
  }
}

function row(cells, attrs = {}) {
  const tr = el("tr");
  for (const [k, v] of Object.entries(attrs)) tr.dataset[k] = v;
  for (const c of cells) tr.append(el("td", typeof c === "number" ? "num" : "", typeof c === "number" ? number(c) : c));
  return tr;
}

function render() {
  const d = page.data;
  if (!d) return;
  const r = d.rules;
  $("#kpi-rules").textContent = t("kpi.rules", {
    n: r.floodThreshold, min: Math.round(r.floodWindowS / 60), h: Math.round(r.standingAfterS / 3600),
    k: r.chatterRaises, s: r.chatterWindowS, ops: r.operators, target: r.targets.perOperatorHour, max: r.targets.perOperatorHourMax,
    shifts: r.shifts.map((s) => `${shiftName(s.name)} ${s.start}`).join(" / "),
  });

  const tot = d.total;
  const rate = tot.perOperatorHour;
  const kpis = [
    ["alarms", number(tot.alarms)],
    ["perOperatorHour", number(rate), rate <= r.targets.perOperatorHour ? "ok" : rate <= r.targets.perOperatorHourMax ? "warn" : "bad"],
    ["standing", number(tot.standing), tot.standing ? "warn" : "ok"],
    ["chattering", number(tot.chattering), tot.chattering ? "warn" : "ok"],
    ["acked", `${number(tot.acked)} / ${number(tot.alarms)}`],
    ["ackMedianS", secs(tot.ackMedianS)],
    ["ackP90S", secs(tot.ackP90S)],
    ["floodShare", pct(tot.floodShare), tot.floodShare <= r.targets.floodShare ? "ok" : "bad"],
    ["topShare", pct(tot.topShare)],
    ["shelved", number(tot.shelved ?? 0), tot.shelved ? "warn" : "ok"],
    ["shelvedS", secs(tot.shelvedS ?? 0)],
  ];
  $("#kpi-summary").replaceChildren(...kpis.map(([k, v, cls]) => {
    const box = el("div", "kpi" + (cls ? " " + cls : ""));
    box.dataset.kpi = k;
    box.append(el("b", "", v), el("span", "", t("kpi.k." + k)));
    return box;
  }));

  fill("#kpi-periods",
    ["kpi.col.day", "kpi.col.shift", "kpi.col.span", "kpi.k.alarms", "kpi.k.perOperatorHour", "kpi.k.standing", "kpi.k.chattering",
      "kpi.k.acked", "kpi.k.ackMedianS", "kpi.k.ackP90S", "kpi.k.floodShare", "kpi.k.topShare", "kpi.k.shelved", "kpi.k.shelvedS"],
    d.periods.map((p) => row([p.day, shiftName(p.shift), `${beijing(p.from, "short")} – ${beijing(p.to, "short")}`, p.alarms,
      p.perOperatorHour, p.standing, p.chattering, p.acked, secs(p.ackMedianS), secs(p.ackP90S), pct(p.floodShare), pct(p.topShare),
      p.shelved ?? 0, secs(p.shelvedS ?? 0)],
    { day: p.day, shift: p.shift || "" })));
  fill("#kpi-actors", ["kpi.col.rank", "kpi.col.sensor", "kpi.col.enterprise", "kpi.col.cause", "kpi.k.alarms"],
    tot.badActors.map((b, i) => row([i + 1, actor(b), b.enterprise ? nm(b.enterprise) : "—", enumText("alarm", "condition", b.condition), b.alarms],
      { sensor: b.sensor })));
  fill("#kpi-floods", ["kpi.col.from", "kpi.col.to", "kpi.col.duration", "kpi.col.peak"],
    d.floods.map((f) => row([beijing(f.from), f.ongoing ? t("kpi.ongoing") : beijing(f.to),
      span((Date.parse(f.to) - Date.parse(f.from)) / 1000), f.peak])));
  fill("#kpi-standing", ["kpi.col.alarm", "kpi.col.sensor", "kpi.col.enterprise", "kpi.col.cause", "kpi.col.level", "kpi.col.raised", "kpi.col.for"],
    d.standing.map((a) => row([a.id, actor(a), a.enterprise ? nm(a.enterprise) : "—", enumText("alarm", "condition", a.condition),
      enumText("alarm", "level", a.level), beijing(a.raisedAt), span(a.forS)], { id: a.id })));
  fill("#kpi-chattering", ["kpi.col.sensor", "kpi.col.enterprise", "kpi.col.cause", "kpi.k.alarms", "kpi.col.maxInWindow", "kpi.col.first", "kpi.col.last"],
    d.chattering.map((c) => row([actor(c), c.enterprise ? nm(c.enterprise) : "—", enumText("alarm", "condition", c.condition), c.alarms, c.maxInWindow,
      beijing(c.first), beijing(c.last)], { sensor: c.sensor })));
  fill("#kpi-shelvings", ["kpi.col.alarm", "kpi.col.sensor", "kpi.col.enterprise", "kpi.col.cause", "kpi.col.by", "kpi.col.reason",
    "kpi.col.from", "kpi.col.until", "kpi.col.duration"],
  (tot.shelvings || []).map((s) => row([s.alarm, actor(s), s.enterprise ? nm(s.enterprise) : "—", enumText("alarm", "condition", s.condition),
    s.by, s.reason, beijing(s.from), beijing(s.until), span((Date.parse(s.until) - Date.parse(s.from)) / 1000)], { id: s.alarm })));
}

$("#kpi-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  load();
});
$("#lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));
window.addEventListener("langchange", render);

const params = new URLSearchParams(location.search);
const f = $("#kpi-form");
if (params.get("by") === "shift") f.elements.by.value = "shift";
for (const name of ["from", "to"]) {
  const ms = Date.parse(params.get(name) || "");
  if (Number.isFinite(ms)) f.elements[name].value = beijingInput(ms).slice(0, 16);
}
load();
