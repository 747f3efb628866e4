// incidents.js — incidents in the console: reporting one by clicking the
// map (or "report here" in an entity's details), the incident list (open
// incidents first, newest first), the incident's part of the details panel
// (state, actions, timeline, units, equipment) with the dispatch plan
// (POST …/plan; lines can be dropped before "confirm"), the plan's or the
// incident's routes drawn on the map while its panel is open, and the units
// sent moving along their routes by the twin's clock, once a second.
//
// Routes are lists of road IDs (docs: dispatch/plan.go); a route's line is
// the roads' lines walked in order, each oriented to join the previous one,
// cut where the team's base meets its first road and where the incident
// meets its last, with the base and the incident at its two ends.

import { API, TWIN, apiFetch } from "./api.js";
import * as L from "./vendor/leaflet/dist/leaflet-src.esm.js";
import { t, lang, beijing, number } from "./i18n.js";
import { said, word, known, msgText, tNodes } from "./msg.js";
import { Symbol, STATUS_COLORS } from "./map.js";
import { el, section, table } from "./dom.js";
import { Refused, notice, failed, noticeEl } from "./notice.js";
import { reinforceControls, releaseCell, planHead, printOrder, watchMapSize, carrierSelect } from "./reinforce.js";
import { can } from "./can.js";

export const INCIDENT_TYPES = [
  "tank-fire", "pool-fire", "toxic-release", "flammable-leak", "explosion",
  "confined-space", "vehicle-accident", "water-pollution",
];
export const LEVELS = ["I", "II", "III", "IV"];
export const LEVEL_COLORS = { I: "#c92a2a", II: "#f76707", III: "#f5c400", IV: "#1c7ed6" };
/**
 * incidentName is how an incident is named on screen: its type and its
 * place, the entity it was reported on (or the enterprise it is in) by
 * that entity's name; coordinates only when it is at a bare point. The raw
 * ID is never the name (it shows beside it).
 */
export function incidentName(store, f) {
  const type = t("enum.incidentType." + ((f && f.properties) || {}).type);
  const place = incidentPlace(store, f);
  return place ? `${type} · ${place}` : type;
}

/** incidentPlace is where an incident is, by name (see incidentName), or "". */
export function incidentPlace(store, f) {
  const p = (f && f.properties) || {};
  if (p.entity && store.find(p.entity)) return store.name(p.entity);
  if (p.enterprise && store.find(p.enterprise)) return store.name(p.enterprise);
  const c = f && f.geometry && f.geometry.coordinates;
  return c ? `${c[0].toFixed(4)}, ${c[1].toFixed(4)}` : "";
}

const STATE_RANK = { reported: 0, confirmed: 1, dispatched: 2, "under-control": 3, closed: 4 };
const MOVING = new Set(["dispatched", "en-route", "on-scene", "returning"]);
const ROUTE_STYLE = { color: "#00b7ff", weight: 5, opacity: 0.85, interactive: false };
const ROUTE_CASING = { color: "#0b3d66", weight: 8, opacity: 0.35, interactive: false };
const Z_TOP = 100; // above every drawn layer and the selection

export class Incidents {
  /**
   * @param {object} o
   * @param {import("./store.js").Store} o.store
   * @param {import("./map.js").ParkMap} o.map
   * @param {HTMLUListElement} o.list #incident-list
   * @param {HTMLElement} o.countEl
   * @param {HTMLButtonElement} o.reportBtn #report-incident
   * @param {() => number|null} o.now the twin's time (ms), or null before the first heartbeat
   * @param {(id: string) => void} o.onSelect opens an incident (flies there, opens its panel)
   */
  constructor({ store, map, list, countEl, reportBtn, now, onSelect }) {
    this.store = store;
    this.pm = map;
    this.ul = list;
    this.countEl = countEl;
    this.reportBtn = reportBtn;
    this.now = now;
    this.onSelect = onSelect;
    this.items = new Map(); // incident ID → li
    this.dirty = true;
    this.selected = null;
    this.reporting = false;
    this.form = null;
    this.entityClickAt = 0;
    this.shownId = null; // the incident whose panel is open
    this.plan = null; // {id, data, el, error}
    this.planEl = null;
    this.message = new Map(); // incident ID → the notice of the last action (notice.js), drawn in the language of the moment
    this.paths = new Map(); // route key → {pts, cum, total}
    this.markers = L.featureGroup().addTo(map.map);
    this.routes = L.featureGroup().addTo(map.map);
    this.units = L.featureGroup().addTo(map.map);
    this.stagingMarker = null; // the staging point of the open incident's plan or units
    this.stagingAt = null; // [lon, lat] of it
    this.incMarkers = new Map(); // incident ID → Symbol
    this.unitMarkers = new Map(); // vehicle ID → Symbol
    this.routeSig = "";
    this.routeLines = 0;

    list.addEventListener("click", (e) => {
      const li = e.target.closest("li[data-id]");
      if (li) this.onSelect(li.dataset.id);
    });
    reportBtn.addEventListener("click", () => this.setReporting(!this.reporting));
    reportBtn.hidden = !can("POST", "/api/v1/incidents"); // only to the roles that may report (can.js)
    map.map.on("click", (e) => {
      if (!this.reporting) return;
      const ev = e.originalEvent;
      // a click on a drawn entity reports that entity (see reportEntity): skip the point
      setTimeout(() => {
        if (performance.now() - this.entityClickAt < 300) return;
        this.openForm({ point: [round6(e.latlng.lng), round6(e.latlng.lat)] }, ev ? { x: ev.clientX, y: ev.clientY } : null);
      }, 0);
    });
    this.markers.on("click", (e) => {
      const o = e.layer;
      if (o && o.ptId && !this.reporting) this.onSelect(o.ptId);
    });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      if (this.form) this.closeForm();
      else if (this.reporting) this.setReporting(false);
    });
    window.addEventListener("langchange", () => {
      this.dirty = true;
      this.relabel();
      if (this.plan && this.plan.data) this.renderPlan();
      this.flush();
    });
    setInterval(() => this.tick(), 1000);
    watchMapSize(map.map); // the plan panel widens the right column (plan.css)
  }

  relabel() {
    this.reportBtn.textContent = this.reporting ? t("incidents.report.cancel") : t("incidents.report");
    this.ul.dataset.empty = t("incidents.empty");
  }

  // ─── report ────────────────────────────────────────────────────────────

  setReporting(on) {
    this.reporting = on;
    this.reportBtn.setAttribute("aria-pressed", String(on));
    this.pm.map.getContainer().classList.toggle("reporting", on);
    this.relabel();
    if (!on) this.closeForm();
  }

  /** reportEntity opens the form for an entity (a click on it in report mode, or "report here"). */
  reportEntity(id, at) {
    this.entityClickAt = performance.now();
    this.openForm({ entity: id }, at);
  }

  openForm(where, at) {
    this.closeForm();
    const form = el("form", "incident-form");
    form.id = "incident-form";
    form.noValidate = true;
    const f = where.entity ? this.store.find(where.entity)?.feature : null;
    const place = where.entity
      ? `${this.store.name(where.entity)} (${where.entity})`
      : `${where.point[0].toFixed(5)}, ${where.point[1].toFixed(5)}`;
    form.append(el("h4", "", t("incidents.form.title")), el("div", "place", place));
    const row = (label, input) => {
      const l = el("label", "row");
      l.append(el("span", "", label), input);
      form.append(l);
    };
    const type = el("select");
    type.name = "type";
    for (const ty of INCIDENT_TYPES) type.append(option(ty, t("enum.incidentType." + ty)));
    if (f && layerGuess(where.entity) === "tanks") type.value = "tank-fire";
    row(t("incidents.form.type"), type);
    const level = el("select");
    level.name = "level";
    for (const lv of LEVELS) level.append(option(lv, t("enum.responseLevel." + lv)));
    level.value = "III";
    row(t("incidents.form.level"), level);
    const reporter = el("input");
    reporter.name = "reporter";
    reporter.value = t("incidents.defaultReporter");
    row(t("incidents.form.reporter"), reporter);
    const chem = el("input");
    chem.name = "chemical";
    chem.placeholder = t("incidents.form.chemical.placeholder");
    const fc = f && f.properties && f.properties.chemical;
    if (fc) chem.value = fc;
    row(t("incidents.form.chemical"), chem);
    const msg = el("div", "msg");
    const btns = el("div", "buttons");
    const submit = el("button", "primary", t("incidents.form.submit"));
    submit.type = "submit";
    const cancel = el("button", "btn", t("incidents.form.cancel"));
    cancel.type = "button";
    cancel.addEventListener("click", () => this.closeForm());
    btns.append(submit, cancel);
    form.append(msg, btns);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      submit.disabled = true;
      msg.className = "msg";
      msg.textContent = "…";
      const body = { type: type.value, level: level.value, reporter: reporter.value.trim() || t("incidents.defaultReporter") };
      if (where.entity) body.entity = where.entity;
      else body.point = where.point;
      if (chem.value.trim()) body.chemical = chem.value.trim();
      try {
        const res = await apiFetch(`${API}/incidents`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        const data = await readJSON(res);
        const inc = data;
        const merged = res.status === 200;
        this.lastReport = { id: inc.id, merged };
        // the incident may reach us on the stream later than the answer
        if (inc && inc.id && !this.store.get("incidents", inc.id)) this.store.put("incidents", String(inc.id), inc);
        this.touch(inc.id);
        this.message.set(inc.id, merged
          ? notice("incidents.merged", { id: inc.id, n: inc.properties?.reports ?? "" }, { names: ["id"] })
          : notice("incidents.created", { id: inc.id }, { names: ["id"] }));
        form.dataset.result = merged ? "merged" : "created";
        msg.className = "msg ok";
        msg.textContent = merged ? t("incidents.merged", { id: inc.id, n: inc.properties?.reports ?? "" }) : t("incidents.created", { id: inc.id });
        this.setReporting(false);
        this.flush();
        this.onSelect(inc.id);
      } catch (err) {
        msg.className = "msg error";
        msg.textContent = t("incidents.failed", { msg: err.message });
        submit.disabled = false;
      }
    });
    document.body.append(form);
    const w = form.offsetWidth, h = form.offsetHeight;
    const x = at ? at.x + 12 : window.innerWidth / 2 - w / 2;
    const y = at ? at.y - 20 : window.innerHeight / 2 - h / 2;
    form.style.left = `${Math.max(4, Math.min(window.innerWidth - w - 4, x))}px`;
    form.style.top = `${Math.max(4, Math.min(window.innerHeight - h - 4, y))}px`;
    this.form = form;
    type.focus();
  }

  closeForm() {
    if (this.form) this.form.remove();
    this.form = null;
  }

  // ─── list and markers ──────────────────────────────────────────────────

  /** touch says an incident changed (or went). */
  touch(id) {
    this.dirty = true;
    const f = this.store.get("incidents", id);
    this.drawMarker(id, f);
    this.paths.clear(); // cheap to rebuild; roads may have changed too
    if (id === this.shownId) this.drawRoutes();
  }

  all() {
    const out = [...this.store.layer("incidents").entries()];
    out.sort((a, b) => {
      const pa = a[1].properties || {}, pb = b[1].properties || {};
      const ca = pa.state === "closed" ? 1 : 0, cb = pb.state === "closed" ? 1 : 0;
      if (ca !== cb) return ca - cb;
      if (pa.reportedAt !== pb.reportedAt) return pa.reportedAt < pb.reportedAt ? 1 : -1;
      return a[0] < b[0] ? 1 : -1;
    });
    return out;
  }

  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    const list = this.all();
    const keep = new Set(list.map((x) => x[0]));
    for (const [id, li] of this.items) {
      if (!keep.has(id)) {
        li.remove();
        this.items.delete(id);
      }
    }
    let at = this.ul.firstElementChild;
    let open = 0;
    for (const [id, f] of list) {
      let li = this.items.get(id);
      if (!li) {
        li = document.createElement("li");
        this.items.set(id, li);
      }
      this.renderItem(li, id, f);
      if (f.properties.state !== "closed") open++;
      if (li !== at) this.ul.insertBefore(li, at);
      else at = at.nextElementSibling;
    }
    this.ul.classList.toggle("empty", list.length === 0);
    this.ul.dataset.empty = t("incidents.empty");
    this.countEl.textContent = list.length ? t("incidents.open", { n: open }) : "";
    this.tick();
  }

  renderItem(li, id, f) {
    const p = f.properties || {};
    li.dataset.id = id;
    li.dataset.state = p.state || "";
    li.dataset.level = p.level || "";
    li.className = `lvl-${p.level || ""} st-${p.state || ""}${id === this.selected ? " selected" : ""}`;
    const bar = el("div", "lvl");
    bar.style.background = LEVEL_COLORS[p.level] || "#999";
    const main = el("div", "main");
    const head = el("div", "place", incidentName(this.store, f));
    const meta = el("div", "meta");
    const lv = el("span", "badge level", t("enum.responseLevel." + p.level));
    lv.style.background = LEVEL_COLORS[p.level] || "#999";
    lv.style.color = p.level === "III" ? "#3b2f00" : "#fff";
    const st = el("span", "badge state", t("enum.incidentState." + p.state));
    st.dataset.state = p.state || "";
    meta.append(lv, st, el("span", "time", beijing(p.reportedAt, "short")), el("span", "id", id));
    if (p.reports > 1) meta.append(el("span", "badge", t("incidents.reports", { n: p.reports })));
    main.append(head, meta);
    li.replaceChildren(bar, main);
  }

  /** placeOf is where an incident is, by name (the dispatch order prints it). */
  placeOf(f) {
    return incidentPlace(this.store, f) || "—";
  }

  /**
   * refresh renders the list again: a snapshot brings the incidents before
   * the entities their names come from, so the first rendering may have
   * lacked them.
   */
  refresh() {
    this.dirty = true;
  }

  select(id) {
    if (this.selected) this.items.get(this.selected)?.classList.remove("selected");
    this.selected = id;
    const li = id && this.items.get(id);
    if (li) {
      li.classList.add("selected");
      li.scrollIntoView({ block: "nearest" });
    }
  }

  drawMarker(id, f) {
    const cur = this.incMarkers.get(id);
    const c = f && f.geometry && f.geometry.type === "Point" && f.geometry.coordinates;
    if (!c || f.properties.state === "closed") {
      if (cur) this.markers.removeLayer(cur);
      this.incMarkers.delete(id);
      return;
    }
    const p = f.properties;
    const style = {
      renderer: this.pm.renderer, shape: "star", baseRadius: 11, minRadius: 8,
      color: "#5c0a0a", weight: 1.5, fillColor: LEVEL_COLORS[p.level] || "#c92a2a", fillOpacity: 0.95,
      dashArray: p.state === "reported" ? "3 2" : null,
    };
    if (cur) {
      cur.setLatLng([c[1], c[0]]);
      cur.setStyle(style);
      return;
    }
    const o = new Symbol([c[1], c[0]], style);
    o.ptId = id;
    o.ptZ = Z_TOP;
    // A node, never a string: Leaflet sets a string as HTML.
    o.bindTooltip(() => el("span", "", incidentName(this.store, this.store.get("incidents", id) || f)), { direction: "top", offset: [0, -10] });
    this.incMarkers.set(id, o);
    this.markers.addLayer(o);
  }

  // ─── the panel ─────────────────────────────────────────────────────────

  /** shown says which feature the details panel opened (null: closed). */
  shown(layer, id) {
    const inc = layer === "incidents" ? id : null;
    if (inc !== this.shownId || !inc) {
      if (this.plan && this.plan.id !== inc) this.plan = null;
      this.planEl = null;
    }
    this.shownId = inc;
    this.select(inc);
    this.drawRoutes();
  }

  /** sections are the incident's parts of the details panel. */
  sections(id, f) {
    const p = f.properties || {};
    const out = [];
    const banner = el("div", "alarm-banner incident-banner");
    banner.style.background = LEVEL_COLORS[p.level] || "#888";
    if (p.level === "III") banner.style.color = "#3b2f00";
    banner.dataset.state = p.state || "";
    banner.textContent = `${t("enum.incidentType." + p.type)} · ${t("enum.responseLevel." + p.level)} · ${t("enum.incidentState." + p.state)}`;
    out.push(banner);

    const acts = el("div", "incident-actions");
    const btn = (key, act, cls) => {
      const b = el("button", cls || "btn", t(key));
      b.type = "button";
      b.dataset.incAct = act;
      b.addEventListener("click", () => this.act(id, act, b));
      acts.append(b);
      return b;
    };
    const st = p.state;
    // Each action only to the roles its route allows (can.js).
    const moves = can("POST", "/api/v1/incidents/{id}/state", p);
    if (st !== "closed") {
      if (st === "reported" && moves) btn("incidents.act.confirm", "confirm");
      if ((st === "reported" || st === "confirmed") && can("POST", "/api/v1/incidents/{id}/plan")) {
        const pb = btn("incidents.act.plan", "plan", "primary");
        pb.id = "plan-button";
      }
      if (st === "dispatched" && moves) btn("incidents.act.underControl", "under-control");
      // 结案 where the twin allows it (dispatch/lifecycle.go): a dispatched
      // incident is brought under control first, its units sent home.
      if (st !== "dispatched" && moves) btn("incidents.act.close", "closed");
      if (can("POST", "/api/v1/incidents/{id}/cancel", p)) btn("incidents.act.cancel", "cancel", "btn danger");
    }
    if (acts.childElementCount) out.push(acts);
    if (st === "dispatched") out.push(reinforceControls(this, id, f)); // 增援: reinforce.js
    const m = this.message.get(id);
    if (m) out.push(noticeEl(m));

    if (this.plan && this.plan.id === id) {
      if (!this.planEl) this.renderPlan();
      out.push(this.planEl);
    }

    const zs = this.zoneSection && this.zoneSection(id, f);
    if (zs) out.push(zs);

    if (Array.isArray(p.assignments) && p.assignments.length) out.push(this.assignmentsSection(id, p.assignments));
    if (Array.isArray(p.equipment) && p.equipment.length) out.push(this.equipmentSection(p.equipment));

    const tl = el("div", "section timeline");
    const head = el("h4", "", t("incidents.timeline"));
    if (TWIN === "live") {
      // The audit trail of the incident: who did what, from where.
      const a = el("a", "audit-link", t("incidents.timeline.audit"));
      a.href = `/ui/audit.html?incident=${encodeURIComponent(id)}`;
      a.target = "_blank";
      head.append(" ", a);
    }
    tl.append(head);
    const ol = el("ol", "timeline");
    for (const e of p.timeline || []) {
      const li = el("li");
      // A step written before steps carried messages shows its text as it was.
      const what = known(e.whatMsg) ? said("span", "what", e.whatMsg, e.what) : el("span", "what", e.what);
      li.append(el("span", "time", beijing(e.at, "time")), what, e.by ? el("span", "by name", e.by) : "");
      // Who entered the step, as the twin stamped it from the session.
      if (e.actor && e.actor !== e.by) {
        const who = el("span", "actor");
        who.append(...tNodes("incidents.timeline.actor", { user: e.actor }, ["user"]));
        li.append(who);
      }
      ol.append(li);
    }
    tl.append(ol);
    out.push(tl);
    return out;
  }

  assignmentsSection(id, as) {
    const box = section(t("incidents.units"));
    const tbl = table(["plan.col.vehicle", "plan.col.team", "plan.col.eta", "details.col.status", "release.col"]);
    for (const a of as) {
      const tr = el("tr");
      tr.dataset.vehicle = a.vehicle;
      const st = el("td", "status", t("enum.assignState." + a.state));
      st.dataset.status = a.state;
      tr.append(el("td", "", this.vehicleName(a.vehicle)), el("td", "", this.store.name(a.team)), el("td", "num", minsec(a.etaS)), st, releaseCell(this, id, a));
      tbl.append(tr);
    }
    box.append(tbl);
    return box;
  }

  equipmentSection(eq) {
    const box = section(t("incidents.equipment"));
    const tbl = table(["plan.col.equipment", "plan.col.warehouse", "details.col.quantity", "details.col.status"]);
    for (const e of eq) {
      const tr = el("tr");
      const carried = e.vehicle ? ` · ${t("carrier.col")} ${this.vehicleName(e.vehicle)}` : "";
      // the equipment's and the unit's names in the language shown, its type code as the title
      const name = el("td", "", word("equipment.", e.type) + carried);
      name.title = e.type;
      tr.append(name, el("td", "", this.store.name(e.warehouse)), el("td", "num", `${number(e.quantity)} ${e.unit ? word("unit.", e.unit) : ""}`),
        el("td", "", t("enum.equipState." + e.state)));
      tbl.append(tr);
    }
    box.append(tbl);
    return box;
  }

  vehicleName(vid) {
    const v = this.store.vehicles.get(vid);
    const n = v && v.feature && v.feature.properties && v.feature.properties.name;
    return n ? `${n} (${vid})` : vid;
  }

  async act(id, act, button) {
    button.disabled = true;
    const by = t("incidents.defaultReporter");
    try {
      if (act === "plan") {
        const res = await apiFetch(`${API}/incidents/${encodeURIComponent(id)}/plan`, { method: "POST" });
        const data = await readJSON(res);
        this.plan = { id, data, drop: { a: new Set(), e: new Set() } };
        this.planEl = null;
        this.fitNext = true;
        this.message.delete(id);
      } else {
        const url = act === "cancel" ? `${API}/incidents/${encodeURIComponent(id)}/cancel` : `${API}/incidents/${encodeURIComponent(id)}/state`;
        const body = act === "cancel" ? { by } : { state: act, by };
        const res = await apiFetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        await readJSON(res);
        this.message.set(id, notice("incidents.done." + act));
      }
    } catch (err) {
      this.message.set(id, failed(err));
    }
    button.disabled = false;
    this.requestRender();
    this.drawRoutes();
  }

  /** requestRender asks the details panel to redraw (set by app.js). */
  requestRender() {}

  /** keptPlan is the plan as edited: the dropped assignments and equipment lines left out. */
  keptPlan() {
    if (!this.plan) return null;
    const d = this.plan.data;
    return {
      ...d,
      assignments: (d.assignments || []).filter((_, i) => !this.plan.drop.a.has(i)),
      equipment: (d.equipment || []).filter((_, i) => !this.plan.drop.e.has(i)),
    };
  }

  renderPlan() {
    const plan = this.plan;
    const d = plan.data;
    const box = this.planEl || el("div", "section plan");
    box.id = "plan-panel";
    box.dataset.incident = plan.id;
    box.classList.toggle("reinforcement", !!d.reinforcement);
    // What must be read first: the reinforcement, the response target, the
    // shortfalls (reinforce.js); then the units, then the equipment.
    const parts = [el("h4", "", t(d.reinforcement ? "reinforce.title" : "plan.title")), ...planHead(d)];
    delete box.dataset.staging;
    if (d.staging) {
      // Where the units gather, outside the hot zones; its reason says why.
      const st = d.staging;
      box.dataset.staging = st.point.join(",");
      const sd = el("div", "staging");
      sd.id = "plan-staging";
      sd.dataset.side = st.side;
      const what = el("div", "what");
      what.append(...tNodes("plan.staging", {
        road: st.roadName ? `${st.roadName} (${st.road})` : st.road, m: number(st.distanceM, 0), deg: Math.round(st.bearingDeg),
        side: t("plan.side." + st.side),
      }, ["road"]));
      sd.append(what);
      if (st.reason) sd.append(said("div", "reason", st.reasonMsg, st.reason));
      if ((d.closedRoads || []).length) sd.append(el("div", "hint", t("plan.closedRoads", { n: d.closedRoads.length })));
      parts.push(sd);
    }

    // assignments
    const at = el("table", "live plan-assign");
    let hr = el("tr");
    for (const k of ["", "plan.col.team", "plan.col.vehicle", "plan.col.eta"]) hr.append(el("th", "", k ? t(k) : ""));
    at.append(hr);
    (d.assignments || []).forEach((a, i) => {
      const tr = el("tr");
      tr.dataset.vehicle = a.vehicle;
      const cb = checkbox(!plan.drop.a.has(i), (on) => {
        if (on) plan.drop.a.delete(i);
        else plan.drop.a.add(i);
        tr.classList.toggle("dropped", !on);
        this.drawRoutes();
      });
      cb.dataset.kind = "assignment";
      cb.dataset.index = String(i);
      tr.classList.toggle("dropped", plan.drop.a.has(i));
      const c0 = el("td");
      c0.append(cb);
      const vc = el("td");
      vc.append(el("span", "name", this.vehicleName(a.vehicle)));
      if (a.onward) vc.append(" ", el("span", "badge onward", t("plan.onward")));
      tr.append(c0, el("td", "name", this.store.name(a.team)), vc, el("td", "num", minsec(a.etaS)));
      const rr = el("tr", "reason");
      const rc = said("td", "reason", a.reasonMsg, a.reason);
      rc.colSpan = 4;
      rr.append(rc);
      at.append(tr, rr);
    });
    parts.push(el("h5", "", t("plan.assignments", { n: (d.assignments || []).length })));
    parts.push((d.assignments || []).length ? at : el("p", "hint", t("none")));

    // equipment by warehouse
    parts.push(el("h5", "", t("plan.equipment")));
    const eq = d.equipment || [];
    if (eq.length) {
      const et = el("table", "live plan-equip");
      hr = el("tr");
      for (const k of ["", "plan.col.equipment", "details.col.quantity", "plan.col.eta", "carrier.col"]) hr.append(el("th", "", k ? t(k) : ""));
      et.append(hr);
      const byWh = new Map();
      eq.forEach((e, i) => {
        if (!byWh.has(e.warehouse)) byWh.set(e.warehouse, []);
        byWh.get(e.warehouse).push([e, i]);
      });
      for (const [wh, lines] of byWh) {
        const gh = el("tr", "group");
        const gc = el("td", "name", `${this.store.name(wh)} (${wh})`);
        gc.colSpan = 5;
        gh.append(gc);
        et.append(gh);
        for (const [e, i] of lines) {
          const tr = el("tr");
          const cb = checkbox(!plan.drop.e.has(i), (on) => {
            if (on) plan.drop.e.delete(i);
            else plan.drop.e.add(i);
            tr.classList.toggle("dropped", !on);
          });
          cb.dataset.kind = "equipment";
          cb.dataset.index = String(i);
          tr.classList.toggle("dropped", plan.drop.e.has(i));
          const c0 = el("td");
          c0.append(cb);
          const items = Array.isArray(e.items) && e.items.length ? ` [${e.items.join(", ")}]` : "";
          const cc = el("td");
          cc.append(carrierSelect(this, d, e));
          const tc = el("td", "", word("equipment.", e.type));
          if (items) tc.append(el("span", "arg", items));
          tr.append(c0, tc, el("td", "num", `${number(e.quantity)} ${word("unit.", e.unit || "")}`), el("td", "num", minsec(e.etaS)), cc);
          tr.title = known(e.reasonMsg) ? msgText(e.reasonMsg) : lang() === "en" ? e.reason || "" : "";
          et.append(tr);
        }
      }
      parts.push(et);
    } else {
      parts.push(el("p", "hint", t("none")));
    }

    // requirements with their basis numbers
    if ((d.requirements || []).length) {
      parts.push(el("h5", "", t("plan.requirements")));
      const ul = el("ul", "plan-req");
      for (const r of d.requirements) {
        const li = el("li");
        li.append(el("div", "what", `${word("equipment.", r.what)}: ${number(r.quantity)} ${word("unit.", r.unit || "")}`));
        const b = basisText(r.basis);
        if (b) li.append(el("div", "basis", b));
        if (r.reason) li.append(said("div", "reason", r.reasonMsg, r.reason));
        ul.append(li);
      }
      parts.push(ul);
    }

    if ((d.notes || []).length) {
      parts.push(el("h5", "", t("plan.notes")));
      const ul = el("ul", "notes");
      d.notes.forEach((n, i) => ul.append(said("li", "", (d.noteMsgs || [])[i], n)));
      parts.push(ul);
    }
    const btns = el("div", "incident-actions");
    const confirm = el("button", "primary", t(d.reinforcement ? "reinforce.confirm" : "plan.confirm"));
    confirm.type = "button";
    confirm.id = "confirm-button";
    confirm.disabled = !!d.reinforcement && !(d.assignments || []).length && !(d.equipment || []).length;
    confirm.hidden = !can("POST", "/api/v1/incidents/{id}/confirm", this.store.get("incidents", plan.id)?.properties);
    const print = el("button", "btn", t("dispatchOrder.print"));
    print.type = "button";
    print.id = "print-button";
    print.addEventListener("click", () => {
      printOrder(this, plan.id, this.store.layer("incidents").get(plan.id) || { properties: {} }, this.keptPlan());
    });
    confirm.addEventListener("click", () => this.confirmPlan(confirm));
    const discard = el("button", "btn", t("plan.discard"));
    discard.type = "button";
    discard.addEventListener("click", () => {
      this.plan = null;
      this.planEl = null;
      this.requestRender();
      this.drawRoutes();
    });
    btns.append(confirm, print, discard);
    parts.push(btns);
    if (plan.error) parts.push(noticeEl(plan.error));
    box.replaceChildren(...parts);
    this.planEl = box;
  }

  async confirmPlan(button) {
    const plan = this.plan;
    if (!plan) return;
    button.disabled = true;
    try {
      const body = { ...this.keptPlan(), by: t("incidents.defaultReporter") };
      const res = await apiFetch(`${API}/incidents/${encodeURIComponent(plan.id)}/confirm`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      await readJSON(res);
      this.message.set(plan.id, notice(body.reinforcement ? "reinforce.confirmed" : "plan.confirmed", { n: body.assignments.length }));
      this.plan = null;
      this.planEl = null;
    } catch (err) {
      plan.error = failed(err);
      this.renderPlan();
      button.disabled = false;
    }
    this.requestRender();
    this.drawRoutes();
  }

  // ─── routes and units ──────────────────────────────────────────────────

  /** routesWanted lists the routes to draw: the plan's kept assignments, else the open panel's units. */
  routesWanted() {
    const id = this.shownId;
    if (!id) return [];
    const f = this.store.get("incidents", id);
    if (!f) return [];
    if (this.plan && this.plan.id === id) {
      const st = this.plan.data.staging;
      return this.keptPlan().assignments.map((a) => ({ ...a, incident: f, dest: st ? st.point : null }));
    }
    return (f.properties.assignments || []).filter((a) => a.state !== "released").map((a) => ({ ...a, incident: f, dest: a.staging || null }));
  }

  /** drawStaging marks the staging point of the routes drawn, or none. */
  drawStaging(want) {
    const at = (want.find((a) => a.dest) || {}).dest || null;
    const sig = at ? at.join(",") : "";
    if (sig === (this.stagingAt ? this.stagingAt.join(",") : "")) return;
    if (this.stagingMarker) this.routes.removeLayer(this.stagingMarker);
    this.stagingMarker = null;
    this.stagingAt = at;
    if (!at) return;
    const o = new Symbol([at[1], at[0]], {
      renderer: this.pm.renderer, shape: "diamond", baseRadius: 9, minRadius: 7,
      color: "#0b3d66", weight: 2, fillColor: "#40c057", fillOpacity: 1, interactive: false,
    });
    o.ptZ = Z_TOP;
    o.bindTooltip(() => el("span", "", t("plan.staging.marker")), { direction: "top", offset: [0, -10] });
    this.stagingMarker = o;
    this.routes.addLayer(o);
  }

  /** stagingShown is the staging point drawn, [lon, lat], or null. */
  stagingShown() {
    return this.stagingAt;
  }

  drawRoutes() {
    const want = this.routesWanted();
    const byKey = new Map();
    for (const a of want) {
      const k = `${a.team}|${(a.route || []).join(",")}|${a.incident.id}|${a.dest ? a.dest.join(",") : ""}`;
      if (!byKey.has(k)) byKey.set(k, a);
    }
    const sig = [...byKey.keys()].sort().join(";");
    if (sig === this.routeSig) return;
    this.routeSig = sig;
    this.routes.clearLayers();
    this.stagingMarker = null;
    this.stagingAt = null;
    this.drawStaging(want);
    this.routeLines = 0;
    for (const a of byKey.values()) {
      const path = this.pathOf(a.team, a.route || [], a.incident, a.dest);
      if (!path) continue;
      const lls = path.pts.map((c) => [c[1], c[0]]);
      const casing = L.polyline(lls, { ...ROUTE_CASING, renderer: this.pm.renderer });
      const line = L.polyline(lls, { ...ROUTE_STYLE, renderer: this.pm.renderer });
      casing.ptZ = Z_TOP - 2;
      line.ptZ = Z_TOP - 1;
      this.routes.addLayer(casing);
      this.routes.addLayer(line);
      this.routeLines++;
    }
    this.pm.needOrder = true;
    this.pm.flush();
    if (this.fitNext && this.routeLines) {
      this.fitNext = false;
      const b = this.routes.getBounds();
      if (b.isValid()) this.pm.map.flyToBounds(b, { padding: [40, 40], maxZoom: 17, duration: 0.8 });
    }
  }

  /** pathOf is the line a unit drives: {pts [[lon, lat]…], cum [m…], total m}, or null; to the staging point at when given, else to the incident. */
  pathOf(teamId, roads, incident, at) {
    const key = `${teamId}|${roads.join(",")}|${incident.id}|${at ? at.join(",") : ""}`;
    let p = this.paths.get(key);
    if (p) return p;
    const team = this.store.get("teams", teamId);
    const base = team && team.geometry && team.geometry.type === "Point" ? team.geometry.coordinates : null;
    const dest = at || (incident.geometry && incident.geometry.coordinates);
    if (!dest) return null;
    const segs = [];
    for (const rid of roads) {
      const r = this.store.get("roads", rid);
      const line = r && lineOf(r.geometry);
      if (line && line.length >= 2) segs.push(line);
    }
    const pts = walk(base, segs, dest);
    if (pts.length < 2) return null;
    p = measure(pts);
    this.paths.set(key, p);
    return p;
  }

  /** tick moves the units once a second (and after changes). */
  tick() {
    const now = this.now();
    const seen = new Set();
    if (now !== null) {
      for (const [, f] of this.store.layer("incidents")) {
        const p = f.properties || {};
        if (p.state === "closed") continue;
        for (const a of p.assignments || []) {
          if (!MOVING.has(a.state)) continue;
          const pos = this.unitPosition(a, f, now);
          if (!pos) continue;
          seen.add(a.vehicle);
          this.placeUnit(a, pos);
        }
      }
    }
    for (const [vid, o] of this.unitMarkers) {
      if (!seen.has(vid)) {
        this.units.removeLayer(o);
        this.unitMarkers.delete(vid);
      }
    }
  }

  unitPosition(a, inc, now) {
    const dest = a.staging || (inc.geometry && inc.geometry.coordinates);
    if (!dest) return null;
    if (a.state === "on-scene") return dest;
    const path = this.pathOf(a.team, a.route || [], inc, a.staging || null);
    if (!path) return dest;
    const travelS = Math.max(1, (a.etaS || 0) - (a.turnoutS || 0));
    let k;
    if (a.state === "returning") {
      const back = Date.parse(a.returnedAt); // when it will be home
      k = Number.isFinite(back) ? (back - now) / 1000 / travelS : 1;
    } else {
      const ordered = Date.parse(a.orderedAt);
      if (!Number.isFinite(ordered)) return path.pts[0];
      k = ((now - ordered) / 1000 - (a.turnoutS || 0)) / travelS;
    }
    k = Math.max(0, Math.min(1, k));
    return along(path, k * path.total);
  }

  placeUnit(a, pos) {
    const ll = [pos[1], pos[0]];
    const color = STATUS_COLORS[a.state] || "#f08c00";
    let o = this.unitMarkers.get(a.vehicle);
    if (!o) {
      o = new Symbol(ll, {
        renderer: this.pm.renderer, shape: "square", baseRadius: 5, minRadius: 4,
        color: "#1b2a38", weight: 1.2, fillColor: color, fillOpacity: 1,
      });
      o.ptZ = Z_TOP + 1;
      o.ptState = a.state;
      // A vehicle's name is anyone's text: a node, never a string (HTML to Leaflet).
      o.bindTooltip(() => el("span", "", `${this.vehicleName(a.vehicle)} · ${t("enum.assignState." + o.ptState)}`), { direction: "top", offset: [0, -8] });
      this.unitMarkers.set(a.vehicle, o);
      this.units.addLayer(o);
      this.pm.needOrder = true;
      this.pm.flush();
      return;
    }
    const cur = o.getLatLng();
    if (Math.abs(cur.lat - ll[0]) > 1e-9 || Math.abs(cur.lng - ll[1]) > 1e-9) o.setLatLng(ll);
    if (o.ptState !== a.state) {
      o.ptState = a.state;
      o.setStyle({ fillColor: color, dashArray: a.state === "returning" ? "2 2" : null });
    }
  }

  // ─── hooks ─────────────────────────────────────────────────────────────

  list() {
    return this.all().map(([id, f]) => ({ id, state: f.properties.state, level: f.properties.level, type: f.properties.type }));
  }

  planShown() {
    return this.plan && this.plan.id === this.shownId ? this.plan.data : null;
  }

  unitPositions() {
    const out = {};
    for (const [vid, o] of this.unitMarkers) {
      const c = o.getLatLng();
      out[vid] = [c.lng, c.lat];
    }
    return out;
  }

  /** unitPoint is where a unit's marker is on the page ({x, y}), or null. */
  unitPoint(vid) {
    const o = this.unitMarkers.get(vid);
    if (!o || !o._map) return null;
    const p = this.pm.map.latLngToContainerPoint(o.getLatLng());
    const r = this.pm.map.getContainer().getBoundingClientRect();
    return { x: Math.round(r.left + p.x), y: Math.round(r.top + p.y) };
  }
}

// ─── geometry ─────────────────────────────────────────────────────────────

const M_PER_DEG_LAT = 110574;

function dist(a, b) {
  const k = Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180)) * 111320;
  const dx = (b[0] - a[0]) * k, dy = (b[1] - a[1]) * M_PER_DEG_LAT;
  return Math.hypot(dx, dy);
}

function lineOf(g) {
  if (!g) return null;
  if (g.type === "LineString") return g.coordinates;
  if (g.type === "MultiLineString") return g.coordinates.flat();
  return null;
}

/** project finds the point of line nearest p: {i (segment), pt, at (m along the line)}. */
function project(p, line) {
  let best = null, at = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i], b = line[i + 1];
    const k = Math.cos(a[1] * (Math.PI / 180)) * 111320;
    const bx = (b[0] - a[0]) * k, by = (b[1] - a[1]) * M_PER_DEG_LAT;
    const px = (p[0] - a[0]) * k, py = (p[1] - a[1]) * M_PER_DEG_LAT;
    const len2 = bx * bx + by * by;
    const u = len2 > 0 ? Math.max(0, Math.min(1, (px * bx + py * by) / len2)) : 0;
    const q = [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u];
    const d = dist(p, q);
    const len = Math.sqrt(len2);
    if (!best || d < best.d) best = { i, pt: q, d, at: at + u * len };
    at += len;
  }
  return best;
}

const last = (a) => a[a.length - 1];
const rev = (a) => a.slice().reverse();

/**
 * walk joins a route's road lines into one line from base to dest: each
 * road oriented to join the one before (the first towards the second), the
 * first cut where the base meets it, the last where dest meets it.
 */
function walk(base, segs, dest) {
  if (!segs.length) return base ? [base, dest] : [dest];
  const chain = [];
  for (let i = 0; i < segs.length; i++) {
    let s = segs[i];
    if (i === 0) {
      if (segs.length > 1) {
        const n = segs[1];
        const dEnd = Math.min(dist(last(s), n[0]), dist(last(s), last(n)));
        const dStart = Math.min(dist(s[0], n[0]), dist(s[0], last(n)));
        if (dStart < dEnd) s = rev(s);
      } else if (base) {
        const pb = project(base, s), pd = project(dest, s);
        if (pb.at > pd.at) s = rev(s);
      }
    } else {
      const end = last(last(chain));
      if (dist(s[0], end) > dist(last(s), end)) s = rev(s);
    }
    chain.push(s);
  }
  if (chain.length === 1) {
    const s = chain[0];
    const pb = base ? project(base, s) : { i: 0, pt: s[0] };
    const pd = project(dest, s);
    let mid = s.slice(pb.i + 1, pd.i + 1);
    if (pd.i < pb.i) mid = [];
    chain[0] = [pb.pt, ...mid, pd.pt];
  } else {
    const f = chain[0];
    if (base) {
      const pb = project(base, f);
      chain[0] = [pb.pt, ...f.slice(pb.i + 1)];
    }
    const l = last(chain);
    const pd = project(dest, l);
    chain[chain.length - 1] = [...l.slice(0, pd.i + 1), pd.pt];
  }
  const out = base ? [base] : [];
  for (const s of chain) for (const c of s) if (!out.length || dist(last(out), c) > 0.01) out.push(c);
  if (dist(last(out), dest) > 0.01) out.push(dest);
  return out;
}

function measure(pts) {
  const cum = [0];
  for (let i = 1; i < pts.length; i++) cum.push(cum[i - 1] + dist(pts[i - 1], pts[i]));
  return { pts, cum, total: last(cum) };
}

/** along is the point m metres along a measured path. */
function along(path, m) {
  const { pts, cum } = path;
  if (m <= 0) return pts[0];
  if (m >= path.total) return last(pts);
  let lo = 0, hi = cum.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] <= m) lo = mid;
    else hi = mid;
  }
  const seg = cum[hi] - cum[lo];
  const u = seg > 0 ? (m - cum[lo]) / seg : 0;
  return [pts[lo][0] + (pts[hi][0] - pts[lo][0]) * u, pts[lo][1] + (pts[hi][1] - pts[lo][1]) * u];
}

// ─── helpers ─────────────────────────────────────────────────────────────

const BASIS_KEYS = [
  ["areaM2", "m²"], ["rateLPerMinM2", "L/(min·m²)"], ["minutes", "min"], ["solutionL", "L"], ["concentrateL", "L"],
  ["hoseStreams", ""], ["lPerMin", "L/min"], ["circumferenceM", "m"], ["burningLPerSM", "L/(s·m)"], ["hours", "h"],
  ["burningL", "L"], ["radiusM", "m"], ["adjacentLPerSM", "L/(s·m)"], ["neighboursL", "L"], ["responders", ""],
  ["perResponder", ""], ["diameterM", "m"], ["concentration", ""],
];

/** basisText lists a requirement's basis numbers, labelled. */
function basisText(b) {
  if (!b || typeof b !== "object") return "";
  const out = [];
  for (const [k, unit] of BASIS_KEYS) {
    if (!(k in b)) continue;
    let v = b[k];
    if (k === "concentration" && typeof v === "number") v = `${number(v * 100)}%`;
    else if (typeof v === "number") v = number(v);
    out.push(`${t("basis." + k)} ${v}${unit ? " " + unit : ""}`);
  }
  if (Array.isArray(b.neighbours)) out.push(`${t("basis.neighbours")} ${b.neighbours.length}`);
  return out.join(" · ");
}

/** minsec formats seconds as m:ss. */
export function minsec(s) {
  if (typeof s !== "number" || !Number.isFinite(s)) return "—";
  const n = Math.max(0, Math.round(s));
  return `${Math.floor(n / 60)}:${String(n % 60).padStart(2, "0")}`;
}

function round6(x) {
  return Math.round(x * 1e6) / 1e6;
}

function layerGuess(id) {
  return id && id.startsWith("TNK-") ? "tanks" : null;
}

export async function readJSON(res) {
  let data = null;
  try {
    data = await res.json();
  } catch {
    /* no body */
  }
  if (!res.ok) throw new Refused(data, res.status);
  return data;
}

function option(value, text) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text;
  return o;
}

function checkbox(on, onChange) {
  const cb = document.createElement("input");
  cb.type = "checkbox";
  cb.checked = on;
  cb.addEventListener("change", () => onChange(cb.checked));
  return cb;
}


