// zones.js — the consequence zones of open incidents on the map (the
// stream's "zones" layer, docs/stream.md and docs/zones.md): ERG isolation
// circles and protective-action areas, toxic footprints per endpoint, heat
// and blast rings, each drawn under the point layers; the hot zones (closed
// to the plan's routes) with a heavy outline. A wind arrow shows where the
// park's weather blows. For the open incident's panel: its zones with what
// lies inside each, the evacuation list by priority with its orders, and the
// release form (POST …/release).
//
// Hooks (window.parktwin, app.js): zones() {incidentID: [{id, kind, level,
// hot, drawn, centre}]} (centre: of the drawn polygon's bounds, [lon, lat]); zoneCount() the zone polygons drawn; wind() {fromDeg,
// speedMS} the arrow shows, or null.

import { API, apiFetch } from "./api.js";
import * as L from "./vendor/leaflet/dist/leaflet-src.esm.js";
import { t, number, lang } from "./i18n.js";
import { el } from "./dom.js";
import { said, errorText } from "./msg.js";
import { can } from "./can.js";
import { Refused, notice, failed, noticeEl } from "./notice.js";

// Between the roads (2) and the hazard units (3): over the parcels and the
// roads, under every point symbol.
const Z_ZONES = 2.5;

/** ZONE_COLORS are the zones' colours: by kind, and for toxic footprints by endpoint. */
export const ZONE_COLORS = {
  isolation: "#c92a2a",
  "protective-action": "#e8590c",
  "bleve-evacuation": "#8d5524",
  toxic: { "AEGL-3": "#5f3dc4", "ERPG-3": "#5f3dc4", IDLH: "#7048e8", "AEGL-2": "#845ef7", "ERPG-2": "#9775fa", "AEGL-1": "#b197fc", "ERPG-1": "#c5b3fd" },
  thermal: ["#c92a2a", "#f03e3e", "#ff922b", "#fcc419"],
  overpressure: ["#0b4f8a", "#1864ab", "#4dabf7", "#a5d8ff"],
  flammable: "#e67700",
};

/** zoneColor is a zone's colour. */
export function zoneColor(p) {
  const c = ZONE_COLORS[p.kind];
  if (typeof c === "string") return c;
  if (Array.isArray(c)) return c[Math.min(p.rank || 0, c.length - 1)];
  if (c && c[p.level]) return c[p.level];
  return "#868e96";
}

function zoneStyle(p, renderer) {
  const color = zoneColor(p);
  const s = { renderer, interactive: false, color, weight: 1.5, opacity: 0.9, fill: true, fillColor: color, fillOpacity: 0.08 };
  switch (p.kind) {
    case "isolation":
      s.fillOpacity = 0.14;
      s.dashArray = "6 4";
      break;
    case "protective-action":
      s.fillOpacity = 0.05;
      s.dashArray = "3 5";
      break;
    case "toxic":
      s.fillOpacity = 0.12;
      break;
  }
  if (p.hot) {
    s.weight = 3.5;
    s.dashArray = null;
  }
  return s;
}

/** levelText puts a zone's level in the page's language: ERG's spill and time of day; the figures as they are. */
export function levelText(level) {
  return String(level || "")
    .replace("large spill", t("zones.spill.large"))
    .replace("small spill", t("zones.spill.small"))
    .replace("tank in a fire", t("zones.level.fire"))
    .replace(/, (day|night)$/, (_, tod) => t("zones.sep") + t("zones." + tod));
}

export class Zones {
  /**
   * @param {object} o
   * @param {import("./map.js").ParkMap} o.map
   * @param {import("./store.js").Store} o.store
   * @param {() => void} o.onChange called when an incident's zones change (to redraw its panel)
   */
  constructor({ map, store, onChange }) {
    this.pm = map;
    this.store = store;
    this.onChange = onChange || (() => {});
    this.byIncident = new Map(); // incident ID → {meta, features}
    this.group = L.featureGroup().addTo(map.map);
    this.objs = new Map(); // zone ID → polygon
    this.message = new Map(); // incident ID → the notice of the last action (notice.js), drawn in the language of the moment
    this.wind = L.control({ position: "topright" });
    this.wind.onAdd = () => {
      const d = L.DomUtil.create("div", "wind-arrow");
      d.id = "wind-arrow";
      d.hidden = true;
      return d;
    };
    this.wind.addTo(map.map);
    window.addEventListener("langchange", () => this.drawWind());
  }

  /** applySnapshot replaces every incident's zones with the snapshot's layer. */
  applySnapshot(v) {
    this.byIncident.clear();
    const feats = new Map();
    for (const f of (v && v.features) || []) {
      const id = f.properties && f.properties.incident;
      if (!feats.has(id)) feats.set(id, []);
      feats.get(id).push(f);
    }
    for (const m of (v && v.incidents) || []) this.byIncident.set(m.incident, { meta: m, features: feats.get(m.incident) || [] });
    this.draw();
    this.onChange(null);
  }

  /** applyMessage takes a "zones" message: one incident's zones, whole, or their end. */
  applyMessage(msg) {
    if (msg.op === "deleted" || !msg.zones) {
      this.byIncident.delete(msg.id);
    } else {
      const { features, type, ...meta } = msg.zones;
      this.byIncident.set(msg.id, { meta, features: features || [] });
    }
    this.draw();
    this.onChange(msg.id);
  }

  /** draw puts the polygons on the map: the largest first, so the gravest lie on top. */
  draw() {
    const want = new Map();
    for (const [, z] of this.byIncident) for (const f of z.features) want.set(String(f.id), f);
    for (const [id, o] of this.objs) {
      if (!want.has(id)) {
        this.group.removeLayer(o);
        this.objs.delete(id);
      }
    }
    const order = [...want.values()].sort((a, b) => (b.properties.extentM || 0) - (a.properties.extentM || 0));
    let changed = false;
    order.forEach((f, i) => {
      const id = String(f.id);
      const z = Z_ZONES - 0.4 + (0.8 * i) / Math.max(1, order.length); // the largest lowest
      const lls = ((f.geometry && f.geometry.coordinates) || []).map((ring) => ring.map((c) => [c[1], c[0]]));
      const style = zoneStyle(f.properties, this.pm.renderer);
      let o = this.objs.get(id);
      if (o) {
        o.setLatLngs(lls);
        o.setStyle(style);
      } else {
        o = L.polygon(lls, style);
        o.ptZone = id;
        this.objs.set(id, o);
        this.group.addLayer(o);
        changed = true;
      }
      if (o.ptZ !== z) {
        o.ptZ = z;
        changed = true;
      }
    });
    if (changed) this.pm.needOrder = true;
    this.pm.flush();
    this.drawWind();
  }

  /** weather is the park's weather as the stream holds it, or null. */
  weather() {
    const p = this.store.park && (this.store.park.properties || this.store.park);
    return (p && p.weather) || null;
  }

  /** drawWind shows where the wind blows: an arrow pointing downwind, and its figures. */
  drawWind() {
    const d = document.getElementById("wind-arrow");
    if (!d) return;
    const w = this.weather();
    if (!w) {
      d.hidden = true;
      return;
    }
    d.hidden = false;
    d.dataset.from = String(w.windFromDeg);
    d.dataset.speed = String(w.windSpeedMS);
    const arrow = el("span", "arrow", "➤");
    // ➤ points east (90°): turn it to point where the wind goes.
    arrow.style.transform = `rotate(${(w.windFromDeg + 180 - 90 + 360) % 360}deg)`;
    const label = el("span", "label", t("zones.wind", { from: Math.round(w.windFromDeg), speed: number(w.windSpeedMS, 1) }));
    const src = w.source === "override" ? t("zones.wind.override") : w.source === "drill" ? t("zones.wind.drill") : t("zones.wind.station");
    d.title = `${t("zones.wind.title")} · ${src}`;
    d.replaceChildren(arrow, label, el("span", "src", src));
  }

  // ─── the incident's panel ──────────────────────────────────────────────

  /** section is the open incident's zones part of the details panel, or null. */
  section(incId, incident) {
    const z = this.byIncident.get(incId);
    const box = el("div", "section zones");
    box.id = "zones-panel";
    box.dataset.incident = incId;
    box.append(el("h4", "", t("zones.title")));
    if (!z) {
      const p = (incident && incident.properties) || {};
      box.append(el("p", "hint", p.chemical ? t("zones.none") : t("zones.noChemical")));
      return p.state === "closed" ? null : box;
    }
    const m = z.meta;
    const src = m.source || {};
    const sum = el("div", "zone-source");
    const cf = src.chemical && this.store.get("chemicals", src.chemical);
    const cp = (cf && cf.properties) || {};
    const chem = (lang() === "en" ? cp.nameEn : cp.nameZh) || src.chemicalName || src.chemical || "";
    sum.append(el("div", "", t("zones.source", {
      chem, rate: number(src.rateKgS, 2), dur: Math.round(src.durationS || 0),
      kg: number(src.releasedKg, 0), spill: t("zones.spill." + (src.spill || "small")),
    })));
    sum.append(el("div", "hint", src.entered ? t("zones.entered") : t("zones.assumed")));
    if (m.stability) sum.append(el("div", "hint", t("zones.stability", { cls: m.stability.class, tod: t(m.night ? "zones.night" : "zones.day") })));
    box.append(sum);

    const tbl = el("table", "live zones-table");
    const hr = el("tr");
    for (const k of ["zones.col.zone", "zones.col.extent", "zones.col.inside"]) hr.append(el("th", "", t(k)));
    tbl.append(hr);
    for (const f of z.features) {
      const p = f.properties;
      const tr = el("tr");
      tr.dataset.zone = String(f.id);
      tr.dataset.hot = String(!!p.hot);
      const sw = el("span", "zone-swatch");
      sw.style.background = zoneColor(p);
      const name = el("td", "");
      name.append(sw, `${t("zones.kind." + p.kind)} ${levelText(p.level)}`);
      if (p.hot) name.append(" ", el("span", "badge hot", t("zones.hot")));
      const inside = p.inside || {};
      const what = t("zones.insideCount", {
        e: (inside.enterprises || []).length, g: (inside.targets || []).length, r: (inside.roads || []).length, p: number(inside.people || 0, 0),
      });
      const it = el("td", "inside", what);
      const names = [...(inside.targets || []).map((x) => x.name), ...(inside.enterprises || []).map((x) => x.name)];
      it.title = names.join("、");
      tr.append(name, el("td", "num", `${number(p.extentM, 0)} m`), it);
      tbl.append(tr);
    }
    box.append(tbl);

    // The evacuation list, by priority, with the orders given.
    box.append(el("h5", "", t("zones.evacuation")));
    const ev = m.evacuation || [];
    if (!ev.length) box.append(el("p", "hint", t("zones.evacuation.none")));
    else {
      const ol = el("ol", "evacuation");
      ol.id = "evacuation-list";
      for (const e of ev) {
        const li = el("li");
        li.dataset.target = e.target;
        li.append(el("span", "name", `${e.name} (${e.target})`), el("span", "pop", t("zones.people", { n: number(e.population, 0) })),
          el("span", "hint", e.why));
        if (e.ordered) {
          li.dataset.ordered = e.ordered.action;
          li.append(el("span", "badge ordered", t("zones.ordered." + e.ordered.action)));
        } else if (can("POST", "/api/v1/incidents/{id}/evacuate", incident && incident.properties)) {
          for (const action of ["evacuate", "shelter-in-place"]) {
            const b = el("button", "btn small", t("zones.order." + action));
            b.type = "button";
            b.dataset.action = action;
            b.addEventListener("click", () => this.order(incId, e.target, action, b));
            li.append(b);
          }
        }
        ol.append(li);
      }
      box.append(ol);
    }
    if (m.notes && m.notes.length) {
      const ul = el("ul", "notes");
      m.notes.forEach((n, i) => ul.append(said("li", "", (m.noteMsgs || [])[i], n)));
      box.append(ul);
    }
    if (can("POST", "/api/v1/incidents/{id}/release", incident && incident.properties)) box.append(this.releaseForm(incId, src));
    const msg = this.message.get(incId);
    if (msg) box.append(noticeEl(msg));
    return box;
  }

  /** releaseForm enters what is known of the release. */
  releaseForm(incId, src) {
    const form = el("form", "release-form");
    form.id = "release-form";
    const field = (name, key, value) => {
      const l = el("label", "");
      const i = el("input");
      i.name = name;
      i.type = "number";
      i.min = "0";
      i.step = "any";
      if (value) i.placeholder = String(value);
      l.append(el("span", "", t(key)), i);
      return l;
    };
    const phase = el("select");
    phase.name = "phase";
    for (const p of ["liquid", "vapour"]) {
      const o = el("option", "", t("zones.phase." + p));
      o.value = p;
      phase.append(o);
    }
    const pl = el("label", "");
    pl.append(el("span", "", t("zones.release.phase")), phase);
    const submit = el("button", "primary", t("zones.release.submit"));
    submit.type = "submit";
    form.append(el("h5", "", t("zones.release")),
      field("holeDiameterMM", "zones.release.hole", src.holeDiameterMM), field("rateKgS", "zones.release.rate", ""),
      pl, field("durationS", "zones.release.duration", src.durationS && Math.round(src.durationS)), submit);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = {};
      for (const n of ["holeDiameterMM", "rateKgS", "durationS"]) {
        const v = form.elements[n].value;
        if (v !== "") body[n] = Number(v);
      }
      if (!("rateKgS" in body)) body.phase = phase.value;
      submit.disabled = true;
      try {
        const res = await apiFetch(`${API}/incidents/${encodeURIComponent(incId)}/release`, {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
        });
        const out = await res.json().catch(() => ({}));
        if (!res.ok) throw new Refused(out, res.status, (b, st) => (lang() === "en" && b && b.field ? `${b.field}: ${b.message}` : errorText(b, st)));
        const rate = out.source && out.source.rateKgS;
        this.message.set(incId, notice("zones.release.done", { rate: () => number(rate, 2) }));
      } catch (err) {
        this.message.set(incId, failed(err));
      }
      submit.disabled = false;
      this.onChange(incId);
    });
    return form;
  }

  async order(incId, target, action, button) {
    button.disabled = true;
    try {
      const res = await apiFetch(`${API}/incidents/${encodeURIComponent(incId)}/evacuate`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ targets: [target], action }),
      });
      const out = await res.json().catch(() => ({}));
      if (!res.ok) throw new Refused(out, res.status);
      this.message.set(incId, notice("zones.ordered." + action, {}, { after: target }));
    } catch (err) {
      this.message.set(incId, failed(err));
    }
    button.disabled = false;
    this.onChange(incId);
  }

  // ─── hooks ─────────────────────────────────────────────────────────────

  list() {
    const out = {};
    for (const [id, z] of this.byIncident) {
      out[id] = z.features.map((f) => {
        const o = this.objs.get(String(f.id));
        const c = o && o.getBounds().getCenter();
        return { id: String(f.id), kind: f.properties.kind, level: f.properties.level, hot: !!f.properties.hot, drawn: !!o, centre: c ? [c.lng, c.lat] : null };
      });
    }
    return out;
  }

  count() {
    return this.objs.size;
  }

  windShown() {
    const d = document.getElementById("wind-arrow");
    if (!d || d.hidden) return null;
    return { fromDeg: Number(d.dataset.from), speedMS: Number(d.dataset.speed) };
  }
}
