// panel.js — the details panel: the properties of what was clicked or
// found (labelled, references as links), the live readings of its sensors
// (a tank's, a pool's… or the sensor's own), and a 24-hour trend chart of
// one of them from GET /api/v1/sensors/{id}/history, refreshed every
// minute while shown.

import { API, TWIN, apiFetch } from "./api.js";
import { t, has, enumText, propLabel, beijing, number } from "./i18n.js";
import { TrendChart } from "./chart.js";
import { ALARM_COLORS } from "./map.js";
import { el, section, table } from "./dom.js";
import { incidentName } from "./incidents.js";
import { errorText, propNodes } from "./msg.js";
import { GATEWAY_LIMIT } from "./lifecycle.js";

const HISTORY_REFRESH_MS = 60000;
const REF_PROPS = new Set(["enterprise", "chemical", "subject", "sensor", "alarm", "team", "unit", "entity"]);
// Entities an incident can be reported at ("report here").
const REPORTABLE = new Set(["tanks", "sewage-pools", "waste-stores", "hazard-units", "enterprises", "warehouses", "targets", "roads"]);
// Incident properties drawn by the incident view, not the property table.
const INCIDENT_SKIP = new Set(["type", "level", "state", "timeline", "assignments", "equipment"]);
const REF_LIST_PROPS = new Set(["tanks", "stores"]);
const TIME_PROPS = /(At|Deadline)$|^t$/;
const SKIP = new Set(["kind", "name", "vehicles", "stock", "value", "t", "id", "items", "safetyReasons"]);

export class Details {
  /**
   * @param {HTMLElement} root the #details element
   * @param {import("./store.js").Store} store
   * @param {{onSelect: (id: string) => void, onFocus: (id: string) => void,
   *   onReport?: (id: string, at: {x: number, y: number}) => void,
   *   onShow?: (layer: string|null, id: string|null) => void,
   *   incidents?: {sections: (id: string, f: object) => Node[]},
   *   actions?: import("./actions.js").Actions}} o
   */
  constructor(root, store, { onSelect, onFocus, onReport, onShow, incidents, actions }) {
    this.root = root;
    this.actions = actions; // the closed loop's buttons and forms (actions.js)
    if (actions) {
      actions.onChange = (id) => {
        if (!this.cur || this.cur.id !== id) return;
        this.dirty = true;
        this.flush();
      };
    }
    this.onReport = onReport;
    this.onShow = onShow;
    this.incidents = incidents;
    this.store = store;
    this.onSelect = onSelect;
    this.onFocus = onFocus;
    this.cur = null; // {layer, id}
    this.chartSensor = null;
    this.live = new Map(); // sensor ID → {value, time, row}
    this.dirty = false;
    this.timer = 0;
    this.abort = null;
    this.body = root.querySelector(".details-body");
    root.addEventListener("click", (e) => {
      const a = e.target.closest("[data-ref]");
      if (a) {
        e.preventDefault();
        this.onSelect(a.dataset.ref);
        return;
      }
      const row = e.target.closest("tr[data-sensor]");
      if (row) {
        this.chartSensor = row.dataset.sensor;
        this.markChartRow();
        this.loadHistory();
        return;
      }
      const rep = e.target.closest("[data-act=report]");
      if (rep && this.cur && this.onReport) {
        const r = rep.getBoundingClientRect();
        this.onReport(this.cur.id, { x: r.left - 280, y: r.bottom });
        return;
      }
      if (e.target.closest("[data-act=close]")) this.show(null);
      else if (e.target.closest("[data-act=locate]") && this.cur) this.onFocus(this.cur.id);
    });
    // The panel waits to redraw while someone types in one of its forms.
    root.addEventListener("focusout", () => setTimeout(() => this.flush(), 0));
    window.addEventListener("langchange", () => {
      if (this.cur) this.render(true);
      else this.renderEmpty();
    });
    this.renderEmpty();
  }

  /** show opens the details of a feature (null closes them). */
  show(layer, id) {
    clearInterval(this.timer);
    this.timer = 0;
    if (this.abort) this.abort.abort();
    if (this.actions && this.cur && this.cur.id !== id) this.actions.forget(this.cur.id);
    this.cur = layer ? { layer, id } : null;
    this.chartSensor = null;
    this.root.dataset.id = id || "";
    this.root.dataset.layer = layer || "";
    if (this.onShow) this.onShow(layer || null, id || null);
    if (!this.cur) {
      this.renderEmpty();
      return;
    }
    this.render(false);
    this.root.classList.add("open");
    this.root.scrollTop = 0;
  }

  feature() {
    if (!this.cur) return null;
    return this.store.find(this.cur.id)?.feature || null;
  }

  /** touch says that a feature changed; the panel redraws if it shows it or something it depends on. */
  touch(layer, id, f) {
    if (!this.cur) return;
    const cur = this.cur.id;
    if (id === cur || this.live.has(id)) {
      this.dirty = true;
      return;
    }
    const p = (f && f.properties) || {};
    if (layer === "alarms" && (p.subject === cur || p.sensor === cur)) this.dirty = true;
    else if (layer === "orders" && p.alarm === cur) this.dirty = true;
    else if (layer === "gradings" && p.unit === cur) this.dirty = true;
    else if (layer === "teams" && this.cur.layer === "vehicles") this.dirty = true;
    else if (layer === "sensors" && p.subject === cur) this.dirty = true;
  }

  /** value updates the live reading of a sensor, if shown. */
  value(id) {
    const cell = this.live.get(id);
    if (!cell) return;
    const s = this.store.get("sensors", id);
    if (!s) return;
    cell.value.textContent = `${number(s.properties.value)} ${s.properties.unit || ""}`;
    cell.time.textContent = beijing(s.properties.t, "time");
    if (this.cur && this.cur.layer === "tanks") this.fillDirty = true;
  }

  /** typing reports whether the focus is in a field of one of the panel's forms. */
  typing() {
    const a = document.activeElement;
    return !!(a && this.body.contains(a) && (a.tagName === "TEXTAREA" || a.tagName === "INPUT" || a.tagName === "SELECT"));
  }

  flush() {
    if (this.dirty && this.typing()) return; // redrawn once the focus leaves (focusout)
    if (this.dirty) {
      this.dirty = false;
      this.fillDirty = false;
      this.render(true);
    } else if (this.fillDirty) {
      this.fillDirty = false;
      const el = this.body.querySelector(".fill-value");
      if (el) el.textContent = this.fillText();
    }
  }

  renderEmpty() {
    this.live.clear();
    this.root.classList.remove("open");
    this.body.replaceChildren(el("p", "hint", t("details.empty")));
  }

  fillText() {
    const f = this.feature();
    const fill = this.store.fill(this.cur.id);
    if (fill === null || !f) return "—";
    const p = f.properties;
    return `${Math.round(fill * 100)}% (${t("prop.maxFill")} ${Math.round((p.maxFill || 0) * 100)}%)`;
  }

  /** render draws the panel; keep keeps the chart and its sensor. */
  render(keep) {
    const f = this.feature();
    const body = this.body;
    this.live.clear();
    if (!f) {
      body.replaceChildren(el("p", "hint", t("details.notFound", { id: this.cur.id })));
      return;
    }
    const { layer, id } = this.cur;
    const p = f.properties || {};
    const kind = p.kind || layer;
    const oldChart = keep ? body.querySelector(".chart-box") : null;

    const head = el("div", "details-head");
    const title = el("div", "title");
    let heading = p.name || p.nameZh || p.title || id;
    if (layer === "incidents") heading = incidentName(this.store, f);
    if (layer === "alarms") heading = [this.store.name(p.subject), this.store.name(p.sensor)].filter((x, i, a) => x && a.indexOf(x) === i).join(" · ") || id;
    title.append(el("span", "kind", t("enum.kind." + kind)), el("h3", "", heading));
    const sub = el("div", "sub", id);
    const actions = el("div", "actions");
    if (f.geometry && this.onReport && REPORTABLE.has(layer)) actions.append(button(t("details.report"), "report", t("details.report.title")));
    if (f.geometry) actions.append(button(t("details.locate"), "locate"));
    actions.append(button(t("details.close"), "close", t("details.close.title")));
    head.append(title, sub, actions);

    const parts = [head];
    if (layer === "alarms") {
      const lvl = el("div", "alarm-banner");
      lvl.style.background = ALARM_COLORS[p.level] || "#888";
      lvl.textContent = `${enumText("alarm", "level", p.level)} · ${enumText("alarm", "condition", p.condition)} · ${enumText("alarm", "state", p.state)}`;
      parts.push(lvl);
    }
    const acts = this.actions && this.actions.section(layer, id, f);
    if (acts) parts.push(acts);
    if (layer === "enterprises") parts.push(this.safetySection(p));
    if (layer === "incidents" && this.incidents) {
      parts.push(...this.incidents.sections(id, f));
      const q = {};
      for (const [k, v] of Object.entries(p)) if (!INCIDENT_SKIP.has(k)) q[k] = v;
      parts.push(this.propsTable(kind, q, f));
    } else if (layer === "alarms" && p.limit === GATEWAY_LIMIT) {
      parts.push(this.propsTable(kind, gatewayProps(p), f, { enterprise: t("prop.alarm.gateway") }));
    } else {
      parts.push(this.propsTable(kind, p, f));
    }

    if (layer === "tanks") {
      const tbl = el("table", "props");
      const tr = el("tr");
      tr.append(el("th", "", t("details.fill")), el("td", "fill-value", this.fillText()));
      tbl.append(tr);
      parts.push(tbl);
    }
    if (layer === "hazard-units") parts.push(this.gradingSection(id));
    if (layer === "alarms") parts.push(this.orderSection(id));
    if (layer === "teams") parts.push(this.vehiclesSection(p));
    if (layer === "warehouses") parts.push(this.stockSection(id));

    // live readings: a subject's sensors, or the sensor itself
    let sensors = [];
    if (layer === "sensors") sensors = [f];
    else if (["tanks", "sewage-pools", "waste-stores", "hazard-units"].includes(layer)) sensors = this.store.sensorsOf(id);
    if (layer === "hazard-units") {
      // the unit's own sensors, then its tanks'
      for (const tid of p.tanks || []) sensors = sensors.concat(this.store.sensorsOf(tid));
    }
    if (sensors.length || ["tanks", "sewage-pools", "waste-stores", "hazard-units"].includes(layer)) {
      parts.push(this.sensorsSection(sensors));
    }
    if (sensors.length) {
      if (!this.chartSensor || !sensors.some((s) => s.id === this.chartSensor)) {
        this.chartSensor = sensors[0].id;
        keep = false;
      }
      let box = keep && oldChart;
      if (!box) {
        box = el("div", "chart-box");
        const h = el("h4", "", t("details.chart"));
        const cap = el("div", "chart-caption");
        const canvas = document.createElement("canvas");
        canvas.className = "trend";
        canvas.id = "trend";
        const legend = el("div", "chart-legend", t("details.chart.legend"));
        box.append(h, cap, canvas, legend);
        box.chart = new TrendChart(canvas);
      } else {
        box.querySelector("h4").textContent = t("details.chart");
        box.querySelector(".chart-legend").textContent = t("details.chart.legend");
      }
      parts.push(box);
      body.replaceChildren(...parts);
      this.chartBox = box;
      this.markChartRow();
      if (!keep || !oldChart) {
        this.loadHistory();
      } else {
        box.chart.draw();
      }
      if (!this.timer) this.timer = setInterval(() => this.loadHistory(true), HISTORY_REFRESH_MS);
    } else {
      this.chartBox = null;
      body.replaceChildren(...parts);
    }
  }

  markChartRow() {
    for (const [sid, cell] of this.live) cell.row.classList.toggle("charted", sid === this.chartSensor);
    if (!this.chartBox) return;
    const s = this.store.get("sensors", this.chartSensor);
    this.chartBox.querySelector(".chart-caption").textContent = s
      ? `${s.properties.name} (${s.properties.unit || ""}) · ${this.chartSensor}`
      : this.chartSensor || "";
  }

  async loadHistory(quiet) {
    const box = this.chartBox;
    const sid = this.chartSensor;
    if (!box || !sid) return;
    if (this.abort) this.abort.abort();
    const ac = new AbortController();
    this.abort = ac;
    if (!quiet) box.chart.setMessage(t("details.chart.loading"));
    try {
      const res = await apiFetch(`${API}/sensors/${encodeURIComponent(sid)}/history`, { signal: ac.signal });
      if (!res.ok) {
        let msg = `HTTP ${res.status}`;
        try {
          msg = errorText(await res.json(), res.status);
        } catch {
          /* the status is enough */
        }
        throw new Error(msg);
      }
      const h = await res.json();
      if (ac.signal.aborted || this.chartSensor !== sid || this.chartBox !== box) return;
      const s = this.store.get("sensors", sid);
      box.chart.setData(h.buckets || [], {
        from: h.from,
        to: h.to,
        limits: s ? s.properties.limits : {},
        unit: s ? s.properties.unit : "",
      });
      box.dataset.buckets = String((h.buckets || []).length);
    } catch (err) {
      if (err.name === "AbortError") return;
      if (this.chartBox === box) box.chart.setMessage(t("details.chart.failed", { msg: err.message }));
    }
  }

  /** propsTable lists p's properties, labelled by labels[k], a kind's own label or the property's. */
  propsTable(kind, p, f, labels = {}) {
    const tbl = el("table", "props");
    const add = (label, value) => {
      const tr = el("tr");
      const td = el("td");
      if (value instanceof Node) td.append(value);
      else td.textContent = value;
      tr.append(el("th", "", label), td);
      tbl.append(tr);
    };
    for (const [k, v] of Object.entries(p)) {
      if (SKIP.has(k) || v === null || v === undefined || v === "") continue;
      if (kind === "grading" && k === "items") continue;
      if (k.endsWith("Msg") && typeof p[k.slice(0, -3)] === "string") continue; // shown as its text's message
      // a text the server wrote (a task's reason, an alarm's note) in the console's language
      add(labels[k] || (has(`prop.${kind}.${k}`) ? t(`prop.${kind}.${k}`) : propLabel(k)), propNodes(p, k) || this.format(kind, k, v)); // a kind's own label first
    }
    return tbl;
  }

  format(kind, k, v) {
    if (typeof v === "boolean") return t(v ? "yes" : "no");
    if (REF_PROPS.has(k) && typeof v === "string") return this.ref(v, k);
    if (REF_LIST_PROPS.has(k) && Array.isArray(v)) {
      if (!v.length) return t("none");
      const span = el("span", "refs");
      v.forEach((id, i) => {
        if (i) span.append(document.createTextNode("、"));
        span.append(this.ref(id));
      });
      return span;
    }
    if (typeof v === "string" && TIME_PROPS.test(k)) return beijing(v);
    if (k === "limits" && typeof v === "object") {
      return ["ll", "l", "h", "hh"].filter((x) => typeof v[x] === "number").map((x) => `${x.toUpperCase()} ${number(v[x])}`).join(" · ") || t("none");
    }
    if (k === "keeper" && typeof v === "object") return [v.name, v.phone].filter(Boolean).join(" ");
    if (k === "foam" && Array.isArray(v)) return v.length ? v.map((x) => `${x.type} ${number(x.litres)} L`).join("、") : t("none");
    if (k === "feedback" && typeof v === "object") {
      return [v.cause && `${propLabel("cause")}：${v.cause}`, v.action && `${propLabel("action")}：${v.action}`, v.by && `${propLabel("by")}：${v.by}`, v.at && beijing(v.at)]
        .filter(Boolean).join("；");
    }
    if (k === "maxFill" && typeof v === "number") return `${number(v * 100, 1)}%`;
    if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === "object" ? JSON.stringify(x) : enumText(kind, k, x))).join("、") : t("none");
    if (typeof v === "object") return JSON.stringify(v);
    if (typeof v === "number") return number(v);
    return enumText(kind, k, v);
  }

  ref(id, k) {
    if (k === "chemical") {
      const c = this.store.get("chemicals", id);
      if (c) {
        const p = c.properties || c;
        const name = document.documentElement.lang === "en" ? p.nameEn || p.nameZh : p.nameZh || p.nameEn;
        return document.createTextNode(`${name} (CAS ${id}${p.un ? ", UN " + p.un : ""}${p.hazardClass ? ", " + p.hazardClass : ""})`);
      }
      return document.createTextNode(id);
    }
    const r = this.store.find(id);
    if (!r) return document.createTextNode(id);
    const a = el("a", "ref", this.store.name(id));
    a.href = "#";
    a.dataset.ref = id;
    a.title = id;
    return a;
  }

  sensorsSection(sensors) {
    const box = section(t("details.sensors"));
    if (!sensors.length) {
      box.append(el("p", "hint", t("details.sensors.none")));
      return box;
    }
    const tbl = table(["details.col.name", "details.col.type", "details.col.value", "details.col.time"]);
    for (const s of sensors) {
      const p = s.properties;
      const tr = el("tr");
      tr.dataset.sensor = s.id;
      const level = this.store.alarmLevel(s.id, true);
      if (level) {
        tr.dataset.alarm = level;
        tr.style.setProperty("--alarm", ALARM_COLORS[level]);
      }
      const value = el("td", "num", `${number(p.value)} ${p.unit || ""}`);
      const time = el("td", "time", p.t ? beijing(p.t, "time") : "—");
      tr.append(el("td", "", p.name), el("td", "", enumText("sensor", "type", p.type) + (p.gas ? ` ${p.gas}` : "")), value, time);
      tbl.append(tr);
      this.live.set(s.id, { value, time, row: tr });
    }
    box.append(tbl);
    return box;
  }

  gradingSection(unitId) {
    const box = section(t("details.grading"));
    const gid = this.store.gradingOfUnit.get(unitId);
    const g = gid && this.store.get("gradings", gid);
    if (!g) {
      box.append(el("p", "hint", t("details.grading.none")));
      return box;
    }
    const p = g.properties;
    const tbl = el("table", "props");
    const rows = [
      [propLabel("level"), p.level ? t("level.grading", { n: p.level }) : t("level.grading.0")],
      [propLabel("r"), number(p.r)],
      [propLabel("s"), number(p.s)],
      [propLabel("alpha"), number(p.alpha)],
      [propLabel("population"), number(p.population)],
      [propLabel("basis"), enumText("grading", "basis", p.basis)],
      [propLabel("standard"), p.standard],
      [propLabel("at"), beijing(p.at)],
      [propLabel("reason"), propNodes(p, "reason") || p.reason || ""],
    ];
    for (const [k, v] of rows) {
      const tr = el("tr");
      const td = el("td");
      if (v instanceof Node) td.append(v);
      else td.textContent = v;
      tr.append(el("th", "", k), td);
      tbl.append(tr);
    }
    tbl.dataset.level = String(p.level);
    box.append(tbl);
    return box;
  }

  orderSection(alarmId) {
    const box = el("div", "section");
    const oid = this.store.orderOfAlarm.get(alarmId);
    const o = oid && this.store.get("orders", oid);
    if (!o) return box;
    const h = el("h4", "", `${t("details.order")} · `);
    h.append(this.ref(oid)); // its panel has its actions
    box.append(h);
    box.append(this.propsTable("order", o.properties, o));
    return box;
  }

  // safetySection explains an enterprise's safety code (安全码): the
  // conditions of the park's rules that set it, kept by the monitoring in
  // safetyReasons (twin/telemetry/codes.go); none when it is green.
  safetySection(p) {
    const box = section(t("details.safety"));
    box.id = "safety-section";
    box.dataset.code = p.safetyCode || "";
    const code = el("p", "safety-code", p.safetyCode ? enumText("enterprise", "safetyCode", p.safetyCode) : "—");
    code.dataset.code = p.safetyCode || "";
    box.append(code);
    const reasons = p.safetyReasons || [];
    if (!reasons.length) {
      box.append(el("p", "hint", t(p.safetyCode ? "details.safety.none" : "details.safety.unknown")));
      return box;
    }
    box.append(el("p", "hint", t("details.safety.because")));
    const ul = el("ul", "safety-reasons");
    for (const r of reasons) {
      const li = el("li", "", t("enum.safetyReason." + r));
      li.dataset.reason = r;
      ul.append(li);
    }
    box.append(ul);
    return box;
  }

  vehiclesSection(p) {
    const box = section(t("details.vehicles"));
    const tbl = table(["details.col.name", "details.col.type", "prop.plate", "details.col.status"]);
    for (const v of p.vehicles || []) {
      const tr = el("tr");
      const name = el("td");
      const a = el("a", "ref", v.name || v.id);
      a.href = "#";
      a.dataset.ref = v.id;
      name.append(a);
      const st = el("td", "status", enumText("vehicle", "status", v.status));
      st.dataset.status = v.status;
      tr.append(name, el("td", "", enumText("vehicle", "type", v.type)), el("td", "", v.plate || ""), st);
      tbl.append(tr);
    }
    box.append(tbl);
    return box;
  }

  // stockSection shows what the warehouse's ledger leaves, by type:
  // ready to lend, out, expired, overdue or out of service — read from
  // GET …/warehouses/{id}/stock each time the details open or the
  // warehouse's readiness changes (the ledger itself is no stream layer).
  stockSection(id) {
    const box = section(t("details.stock"));
    box.id = "stock-section";
    // The readiness comes live from the stream's readiness layer (the
    // page redraws when a message for this warehouse arrives).
    const r = this.store.readiness && this.store.readiness.get(id);
    if (r) {
      const line = el("p", "readiness-line", `${t("wh.readiness.percent")}: ${number(r.percent, 1)} %`);
      line.dataset.percent = String(r.percent);
      box.append(line);
    }
    const tbl = table(["details.col.name", "details.col.ready", "details.col.out", "details.col.expired", "details.col.unready"]);
    box.append(tbl);
    if (TWIN === "live") {
      // The keeper's page serves the live park's warehouses.
      const a = el("a", "open-warehouse", t("wh.open"));
      a.href = `/ui/warehouse.html?id=${encodeURIComponent(id)}`;
      box.append(a);
    }
    apiFetch(`${API}/warehouses/${encodeURIComponent(id)}/stock`)
      .then((res) => (res.ok ? res.json() : null))
      .then((s) => {
        if (!s) return;
        for (const ts of s.types || []) {
          const tr = el("tr");
          tr.dataset.type = ts.type;
          tr.append(
            el("td", "", ts.name || ts.type),
            el("td", "num ready", `${number(ts.ready)} ${ts.unit || ""}`),
            el("td", "num", number(ts.out)),
            el("td", "num", number(ts.expired)),
            el("td", "num", number(ts.overdue + ts.outOfService)),
          );
          tbl.append(tr);
        }
        box.dataset.loaded = "true";
      })
      .catch(() => {});
    return box;
  }

}


/**
 * gatewayProps are the properties of a gateway's alarm (an enterprise's, or
 * the park's, sensors silent together) as its panel shows them: the
 * enterprise as the gateway, how many of its sensors are silent (the
 * alarm's value) of how many (its threshold); not a sensor, a subject or a
 * limit, which are the enterprise again.
 */
function gatewayProps(p) {
  const q = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === "limit") q.silentSensors = t("details.gateway.silent", { silent: number(p.value), total: number(p.threshold) });
    else if (!["sensor", "subject", "threshold", "value"].includes(k)) q[k] = v;
  }
  if (!q.enterprise) q.enterprise = p.subject || p.sensor;
  return q;
}

function button(text, act, title) {
  const b = el("button", "btn", text);
  b.type = "button";
  b.dataset.act = act;
  if (title) b.title = title;
  return b;
}
