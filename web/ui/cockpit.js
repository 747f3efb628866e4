// cockpit.js — the statistics page (驾驶舱, /ui/cockpit.html): alarms by
// day and level, the orders' closed loop, enterprises by safety code and
// grade, major hazard units by level, open incidents and the warehouses'
// readiness, as charts of svgchart.js. The figures are the server's
// (GET /api/v1/cockpit, computed from the twin at one seq); the page
// holds a stream of the layers they are counted from and asks again when
// one of them changes, at most once a second.
//
// ─── Hooks for automated browser tests ───────────────────────────────────
//
// window.parktwin.cockpit:
//   ready       true once the first figures have been drawn
//   loads       how many times the figures were read and drawn
//   figures()   the figures drawn last, as the API gave them
//   changes     stream changes seen (each may cause a read)
// Element ids: #chart-alarms (g[data-category=<day>][data-total]), #chart-orders,
//   #chart-codes, #chart-grades (svg[data-total], path[data-series][data-value]),
//   #chart-units, #chart-incidents, #chart-readiness (g[data-category][data-value]),
//   #kpi-alarms-today, #kpi-alarms-7, #kpi-closure, #kpi-mean-close, #kpi-open-incidents.

import { errorText } from "./msg.js";
import { API, apiFetch } from "./api.js";
import { t, lang, setLang, applyI18n, beijing, span } from "./i18n.js";
import { Stream } from "./stream.js";
import { barChart, hbarChart, donutChart } from "./svgchart.js";

// The map's colours (map.js), kept here so that this page needs no map.
const LEVEL_COLORS = { red: "#e03131", orange: "#f76707", yellow: "#f5c400", blue: "#1c7ed6" };
const CODE_COLORS = { green: "#2f9e44", yellow: "#f5c400", red: "#e03131", none: "#adb5bd" };
const GRADE_COLORS = { A: "#4263eb", B: "#15aabf", C: "#fab005", D: "#d9480f", none: "#adb5bd" };
const UNIT_COLORS = { I: "#c92a2a", II: "#f76707", III: "#f5c400", IV: "#1c7ed6", none: "#868e96" };

// The layers the figures are counted from.
const LAYERS = ["alarms", "orders", "enterprises", "hazard-units", "gradings", "incidents", "readiness"];
const THROTTLE_MS = 1000;

const $ = (s) => document.querySelector(s);
const page = { ready: false, loads: 0, changes: 0, figures: null, seq: null, timer: 0, last: 0, busy: false, dirty: false };
window.parktwin = Object.assign(window.parktwin || {}, {
  cockpit: {
    get ready() { return page.ready; },
    get loads() { return page.loads; },
    get changes() { return page.changes; },
    figures: () => page.figures && JSON.parse(JSON.stringify(page.figures)),
  },
});

applyI18n(document);

/** schedule reads the figures again, at most once every THROTTLE_MS. */
function schedule() {
  page.dirty = true;
  if (page.timer || page.busy) return;
  const wait = Math.max(0, page.last + THROTTLE_MS - performance.now());
  page.timer = setTimeout(load, wait);
}

async function load() {
  page.timer = 0;
  page.busy = true;
  page.dirty = false;
  page.last = performance.now();
  const err = $("#cockpit-error");
  try {
    const res = await apiFetch(`${API}/cockpit`, { headers: { Accept: "application/json" } });
    const body = await res.json();
    if (!res.ok) throw new Error(errorText(body, res.status));
    page.figures = body;
    err.hidden = true;
    render();
    page.loads++;
    page.ready = true;
  } catch (e) {
    err.textContent = t("cockpit.failed", { msg: e.message });
    err.hidden = false;
  } finally {
    page.busy = false;
    if (page.dirty) schedule();
  }
}

const pct = (x) => `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 1)}%`;

function render() {
  const f = page.figures;
  if (!f) return;
  const days = f.alarms.map((d) => ({ key: d.day, label: d.day.slice(5) }));
  const levels = ["red", "orange", "yellow", "blue"].map((k) => ({ key: k, label: t(`enum.alarmLevel.${k}`), color: LEVEL_COLORS[k] }));
  const byDay = new Map(f.alarms.map((d) => [d.day, d]));
  barChart($("#chart-alarms"), { categories: days, series: levels, value: (day, lv) => byDay.get(day)[lv] });
  const total = (d) => d.red + d.orange + d.yellow + d.blue;
  $("#kpi-alarms-today").textContent = String(total(f.alarms[f.alarms.length - 1]));
  $("#kpi-alarms-7").textContent = String(f.alarms.reduce((n, d) => n + total(d), 0));

  const o = f.orders;
  donutChart($("#chart-orders"), [
    { key: "closed", label: t("cockpit.orders.closed"), value: o.closed, color: "#2f9e44" },
    { key: "open", label: t("cockpit.orders.open"), value: o.total - o.closed, color: "#f76707" },
  ], t("cockpit.orders.total"));
  $("#kpi-closure").textContent = o.total ? pct(o.closureRate) : "—";
  $("#kpi-mean-close").textContent = o.closed ? span(o.meanCloseS) : "—";

  const slices = (counts, keys, colors, label) =>
    keys.map((k) => ({ key: k, label: k === "none" ? t("cockpit.none") : label(k), value: counts[k] || 0, color: colors[k] }));
  donutChart($("#chart-codes"), slices(f.enterprisesByCode, ["green", "yellow", "red", "none"], CODE_COLORS,
    (k) => t(`enum.safetyCode.${k}`)), t("cockpit.enterprises"));
  donutChart($("#chart-grades"), slices(f.enterprisesByGrade, ["A", "B", "C", "D", "none"], GRADE_COLORS,
    (k) => t(`enum.grade.${k}`)), t("cockpit.enterprises"));

  const units = ["I", "II", "III", "IV", "none"];
  const nUnits = units.reduce((n, k) => n + (f.hazardUnits[k] || 0), 0);
  hbarChart($("#chart-units"), units.map((k) => ({ key: k, label: k === "none" ? t("cockpit.units.none") : t("cockpit.units.level", { level: k }),
    value: f.hazardUnits[k] || 0, color: UNIT_COLORS[k] })), Math.max(1, nUnits));

  $("#kpi-open-incidents").textContent = String(f.openIncidents);
  hbarChart($("#chart-incidents"), ["I", "II", "III", "IV"].map((k) => ({ key: k, label: t(`enum.responseLevel.${k}`),
    value: f.incidentsByLevel[k] || 0, color: UNIT_COLORS[k] })), Math.max(1, f.openIncidents));

  const ready = (p) => (p >= 90 ? "#2f9e44" : p >= 70 ? "#f5c400" : "#e03131");
  hbarChart($("#chart-readiness"), f.readiness.map((r) => ({ key: r.warehouse, label: r.name || r.warehouse, value: r.percent,
    text: `${r.percent.toFixed(1)}%`, color: ready(r.percent) })), 100);
  $("#kpi-as-of").textContent = `${beijing(f.time)} · #${f.seq}`;
}

const stream = new Stream({
  layers: LAYERS,
  since: () => page.seq,
  onState: (s) => {
    const box = $("#cockpit-live");
    box.dataset.state = s;
    box.textContent = t(`cockpit.live.${s}`);
  },
  onMessage: (msg) => {
    if (typeof msg.seq === "number") page.seq = Math.max(page.seq ?? 0, msg.seq);
    switch (msg.type) {
      case "snapshot":
        schedule(); // the first, or after a resync: whatever was missed
        break;
      case "change":
      case "readiness":
        page.changes++;
        schedule();
        break;
    }
  },
});
stream.connect();
// The day turns by the clock alone: read again now and then.
setInterval(schedule, 5 * 60 * 1000);

let resizing = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(render, 150); // the charts are drawn to their cards' width
});
$("#lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));
window.addEventListener("langchange", () => {
  render();
  $("#cockpit-live").textContent = t(`cockpit.live.${stream.state || "connecting"}`);
});
