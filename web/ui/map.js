// map.js — the park map: Leaflet on one canvas renderer, no tiles. The
// base map is the park's own layers (boundary, safety control line,
// shoreline, roads, enterprise parcels) on a plain background.
//
// Every feature is one Leaflet object, kept in objs (layer → id → object)
// and updated in place: a change or a new reading restyles or moves the
// object it concerns and the canvas redraws only the pixels it covers,
// once per animation frame. Layers are stacked in a fixed order (Z below);
// switching a layer on, or a feature created under others, restores that
// order in the renderer's draw list.

import * as L from "./vendor/leaflet/dist/leaflet-src.esm.js";
import { t, enumText } from "./i18n.js";

// Leaflet sets a tooltip's or popup's content as HTML when it is a string
// (innerHTML). Names come from anyone with a login or a park file, so the
// console gives Leaflet DOM nodes built with textContent; and in case a
// string slips through, it is shown as text here, never parsed as markup.
{
  const update = L.DivOverlay.prototype._updateContent;
  L.DivOverlay.prototype._updateContent = function () {
    if (!this._content) return update.call(this);
    const given = this._content;
    const content = typeof given === "function" ? given(this._source || this) : given;
    if (typeof content === "string") {
      const span = document.createElement("span");
      span.textContent = content;
      this._content = span;
    } else {
      this._content = content;
    }
    try {
      update.call(this);
    } finally {
      this._content = given;
    }
  };
}

/** The drawn layers, bottom to top. */
export const LAYERS = [
  "park", "enterprises", "roads", "hazard-units", "waste-stores", "sewage-pools", "tanks",
  "sensors", "warehouses", "targets", "teams", "vehicles", "alarms",
];
const Z = Object.fromEntries(LAYERS.map((l, i) => [l, i]));
const Z_SELECTION = LAYERS.length;

/** The layers shown when the console opens. */
export const DEFAULT_ON = new Set(LAYERS.filter((l) => l !== "sensors"));

export const ALARM_COLORS = { red: "#e03131", orange: "#f76707", yellow: "#f5c400", blue: "#1c7ed6" };
export const TANK_NORMAL = "#7d95aa";
export const SAFETY_COLORS = { green: "#2f9e44", yellow: "#f5c400", red: "#e03131" };
export const GRADE_COLORS = { A: "#4263eb", B: "#15aabf", C: "#fab005", D: "#d9480f" };
export const GRADING_COLORS = { 1: "#c92a2a", 2: "#f76707", 3: "#f5c400", 4: "#1c7ed6", 0: "#868e96" };
export const STATUS_COLORS = {
  available: "#2b8a3e", dispatched: "#e67700", "en-route": "#f08c00", "on-scene": "#c92a2a",
  returning: "#1971c2", "out-of-service": "#868e96",
};
const ROAD_STYLE = {
  expressway: { color: "#d9822b", weight: 4 },
  arterial: { color: "#8a96a3", weight: 3 },
  secondary: { color: "#9eaab6", weight: 2.5 },
  branch: { color: "#b3bdc7", weight: 1.6 },
  access: { color: "#c3ccd5", weight: 1.2 },
};
export const TANK_SHAPES = {
  "fixed-roof": { shape: "circle" },
  "internal-floating-roof": { shape: "circle", deco: "bar" },
  "external-floating-roof": { shape: "circle", deco: "ring" },
  "pressure-sphere": { shape: "circle", deco: "cross" },
  horizontal: { shape: "capsule" },
};

const FILL_EVERY_MS = 1000;
const FOCUS_AROUND_M = 400; // ground shown around a point flown to
const FOCUS_MAX_ZOOM = 17; // flying to a thing never comes closer than this

/** quantFill rounds a fill fraction to the 5 % steps the ring shows (null stays null). */
function quantFill(f) {
  return f === null || f === undefined ? null : Math.round(f * 20) / 20;
}

/** zoomScale grows point symbols as the map zooms in. */
function zoomScale(z) {
  return Math.max(0.6, Math.min(1, Math.pow(2, (z - 15) / 2)));
}

/**
 * Symbol is a canvas point symbol: a shape (circle, square, diamond,
 * triangle, star, capsule) with an optional decoration, an optional ring
 * showing a fraction (a tank's fill level) and an optional pixel offset
 * (vehicles around their team's base). Its size follows the zoom.
 */
export const Symbol = L.CircleMarker.extend({
  options: { shape: "circle", deco: "", baseRadius: 5, minRadius: 2, ring: null, ringColor: "#1864ab", offset: null },

  _project() {
    const map = this._map;
    const z = map.getZoom();
    const k = zoomScale(z);
    let r = Math.max(this.options.minRadius, this.options.baseRadius * k);
    if (this.options.realRadiusM) {
      // close in, a tank is drawn at its true size when that is larger
      const mPerPx = (40075016.686 * Math.cos((this._latlng.lat * Math.PI) / 180)) / Math.pow(2, z + 8);
      r = Math.max(r, this.options.realRadiusM / mPerPx);
    }
    this._radius = r;
    let p = map.latLngToLayerPoint(this._latlng);
    const off = this.options.offset;
    if (off) p = p.add([off[0] * k, off[1] * k]);
    this._point = p;
    this._updateBounds();
  },

  _updateBounds() {
    const extra = this.options.ring !== null && this.options.ring !== undefined ? 5 : 0;
    const r = this._radius * (this.options.shape === "capsule" ? 1.3 : 1) + extra + this._clickTolerance();
    this._pxBounds = L.bounds(this._point.subtract([r, r]), this._point.add([r, r]));
  },

  _updatePath() {
    const rd = this._renderer;
    if (!rd._drawing || this._empty()) return;
    paintSymbol(rd._ctx, this._point.x, this._point.y, this._radius, this.options);
  },

  _containsPoint(p) {
    const k = this.options.shape === "capsule" ? 1.2 : 1;
    return p.distanceTo(this._point) <= this._radius * k + this._clickTolerance();
  },
});

/**
 * paintSymbol draws a point symbol of radius r at (x, y) with Path-style
 * options (fill, fillColor, fillOpacity, stroke, color, weight, opacity,
 * dashArray) and the Symbol options (shape, deco, ring, ringColor). The map
 * and the legend draw with it.
 */
export function paintSymbol(ctx, x, y, r, o) {
  ctx.beginPath();
  shapePath(ctx, o.shape, x, y, r);
  if (o.fill !== false) {
    ctx.globalAlpha = o.fillOpacity ?? 0.2;
    ctx.fillStyle = o.fillColor || o.color || "#3388ff";
    ctx.fill();
  }
  if (o.stroke !== false && o.weight !== 0) {
    ctx.setLineDash(o.dashArray ? String(o.dashArray).split(/[ ,]+/).map(Number) : []);
    ctx.globalAlpha = o.opacity ?? 1;
    ctx.lineWidth = o.weight ?? 3;
    ctx.strokeStyle = o.color || "#3388ff";
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.stroke();
  }
  if (o.deco) {
    ctx.beginPath();
    if (o.deco === "bar") {
      ctx.moveTo(x - r * 0.6, y);
      ctx.lineTo(x + r * 0.6, y);
    } else if (o.deco === "ring") {
      ctx.arc(x, y, r * 0.55, 0, Math.PI * 2);
    } else if (o.deco === "cross") {
      ctx.moveTo(x - r * 0.7, y);
      ctx.lineTo(x + r * 0.7, y);
      ctx.moveTo(x, y - r * 0.7);
      ctx.lineTo(x, y + r * 0.7);
    }
    ctx.globalAlpha = 0.9;
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    ctx.strokeStyle = o.color || "#000";
    ctx.stroke();
  }
  if (o.ring !== null && o.ring !== undefined) {
    // the fill level: an arc clockwise from the top, over a faint track
    const small = r < 5;
    const rr = r * (o.shape === "capsule" ? 1.25 : 1) + (small ? 1.8 : 2.5);
    ctx.setLineDash([]);
    ctx.lineWidth = small ? 1.4 : 2;
    ctx.globalAlpha = 1;
    if (!small) {
      ctx.beginPath();
      ctx.arc(x, y, rr, 0, Math.PI * 2);
      ctx.strokeStyle = "rgba(20,30,40,0.15)";
      ctx.stroke();
    }
    if (o.ring > 0) {
      ctx.beginPath();
      ctx.arc(x, y, rr, -Math.PI / 2, -Math.PI / 2 + Math.PI * 2 * o.ring);
      ctx.strokeStyle = o.ringColor || "#1864ab";
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
}

/** shapePath adds the outline of a shape of radius r centred on (x, y) to the current path. */
export function shapePath(ctx, shape, x, y, r) {
  switch (shape) {
    case "square":
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      break;
    case "diamond":
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.15, y);
      ctx.lineTo(x, y + r * 1.15);
      ctx.lineTo(x - r * 1.15, y);
      ctx.closePath();
      break;
    case "triangle":
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.1, y + r * 0.8);
      ctx.lineTo(x - r * 1.1, y + r * 0.8);
      ctx.closePath();
      break;
    case "star":
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 ? r * 0.5 : r * 1.2;
        ctx[i ? "lineTo" : "moveTo"](x + rr * Math.cos(a), y + rr * Math.sin(a));
      }
      ctx.closePath();
      break;
    case "capsule": {
      const w = r * 1.25, h = r * 0.62;
      ctx.moveTo(x - w + h, y - h);
      ctx.lineTo(x + w - h, y - h);
      ctx.arc(x + w - h, y, h, -Math.PI / 2, Math.PI / 2);
      ctx.lineTo(x - w + h, y + h);
      ctx.arc(x - w + h, y, h, Math.PI / 2, (3 * Math.PI) / 2);
      ctx.closePath();
      break;
    }
    default:
      ctx.arc(x, y, r, 0, Math.PI * 2);
  }
}

/**
 * ParkCanvas is Leaflet's canvas renderer redrawing several small dirty
 * rectangles instead of their union. Leaflet 1.9 clears and redraws the
 * one rectangle that holds everything changed since the last frame, so
 * two tanks changing at opposite corners of the park redraw the whole
 * canvas (tens of milliseconds with the ×10 park's 15,000 objects). Here
 * each change adds its rectangle; overlapping ones merge; each is then
 * cleared and redrawn alone (every pass skips the objects outside it).
 * After a pan, zoom or reset (_updatePaths) the whole canvas is redrawn
 * as before. It relies on Leaflet 1.9's Canvas internals (_redrawBounds,
 * _extendRedrawBounds, _redraw, _clear, _draw); the vendored version is
 * pinned.
 */
const MAX_RECTS = 24;
const ParkCanvas = L.Canvas.extend({
  _extendRedrawBounds(layer) {
    if (!layer._pxBounds) return;
    const pad = (layer.options.weight || 0) + 1;
    (this._rectsFrom || (this._rectsFrom = [])).push(layer.ptLayer || "?");
    (this._rects || (this._rects = [])).push(
      L.bounds(layer._pxBounds.min.subtract([pad, pad]), layer._pxBounds.max.add([pad, pad])),
    );
  },

  _updatePaths() {
    this._rects = [];
    this._full = true;
    L.Canvas.prototype._updatePaths.call(this);
  },

  _redraw() {
    this._redrawRequest = null;
    const t0 = performance.now();
    const st = this.stats || (this.stats = { redraws: 0, full: 0, rects: 0, maxMs: 0, maxRects: 0, byLayer: {} });
    for (const r of this._rectsFrom || []) st.byLayer[r] = (st.byLayer[r] || 0) + 1;
    this._rectsFrom = [];
    const rects = this._full ? [] : mergeRects(this._rects || []);
    const full = this._full || !this._rects || !this._rects.length;
    this._rects = [];
    this._full = false;
    st.redraws++;
    if (full) {
      st.full++;
      this._redrawBounds = null;
      this._clear();
      this._draw();
      st.maxMs = Math.max(st.maxMs, performance.now() - t0);
      return;
    }
    let parts = rects;
    if (parts.length > MAX_RECTS) {
      const u = L.bounds(parts[0].min, parts[0].max);
      for (const r of parts) u.extend(r.min).extend(r.max);
      parts = [u];
    }
    for (const b of parts) {
      b.min._floor();
      b.max._ceil();
      this._redrawBounds = b;
      this._clear();
      this._draw();
    }
    this._redrawBounds = null;
    st.rects += parts.length;
    st.maxRects = Math.max(st.maxRects, parts.length);
    st.maxMs = Math.max(st.maxMs, performance.now() - t0);
  },

  /** redrawAll clears and redraws the whole canvas at the next frame. */
  redrawAll() {
    this._full = true;
    if (this._map && !this._redrawRequest) this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
  },
});

/** mergeRects merges overlapping rectangles until none overlap. */
function mergeRects(rs) {
  if (rs.length > 400) return rs; // too many to merge one by one: the caller takes their union
  const out = [];
  for (const r of rs) {
    let cur = L.bounds(r.min, r.max);
    for (let merged = true; merged; ) {
      merged = false;
      for (let i = 0; i < out.length; i++) {
        if (out[i].intersects(cur)) {
          cur = L.bounds(cur.min, cur.max).extend(out[i].min).extend(out[i].max);
          out.splice(i, 1);
          merged = true;
          break;
        }
      }
    }
    out.push(cur);
  }
  return out;
}

const ll = (c) => [c[1], c[0]];
const ring = (r) => r.map(ll);

/** latLngsOf converts a GeoJSON geometry to Leaflet's nested lat/lng arrays and says which object draws it. */
function latLngsOf(g) {
  if (!g || !g.coordinates) return null;
  switch (g.type) {
    case "Point":
      return { kind: "point", ll: ll(g.coordinates) };
    case "MultiPoint":
      return g.coordinates.length ? { kind: "point", ll: ll(g.coordinates[0]) } : null;
    case "LineString":
      return { kind: "line", ll: ring(g.coordinates) };
    case "MultiLineString":
      return { kind: "line", ll: g.coordinates.map(ring) };
    case "Polygon":
      return { kind: "polygon", ll: g.coordinates.map(ring) };
    case "MultiPolygon":
      return { kind: "polygon", ll: g.coordinates.map((p) => p.map(ring)) };
    default:
      return null;
  }
}

/** geometryOf reads a park member that may be a geometry or bare coordinates. */
function geometryOf(v, type) {
  if (!v) return null;
  if (v.type && v.coordinates) return v;
  if (Array.isArray(v)) return { type, coordinates: v };
  return null;
}

export class ParkMap {
  /**
   * @param {HTMLElement} el the map's element
   * @param {import("./store.js").Store} store
   * @param {(layer: string, id: string) => void} onSelect called when a feature is clicked
   */
  constructor(el, store, onSelect) {
    this.store = store;
    this.onSelect = onSelect;
    this.renderer = new ParkCanvas({ padding: 0.3, tolerance: 3 });
    this.map = L.map(el, {
      preferCanvas: true,
      renderer: this.renderer,
      attributionControl: false,
      zoomControl: false,
      minZoom: 9,
      maxZoom: 20,
      zoomSnap: 0.25,
      wheelPxPerZoomLevel: 90,
      center: [30.17, 120.85],
      zoom: 13,
    });
    this.groups = new Map();
    this.objs = new Map();
    this.visible = new Set(DEFAULT_ON);
    this.enterpriseMode = "grade";
    this.dirty = new Map(); // layer → Set(id) to restyle at the next flush
    this.fillDirty = new Set(); // tanks whose level reading changed
    this.fillFlushed = 0;
    this.needOrder = false;
    for (const name of LAYERS) {
      const g = L.featureGroup();
      this.groups.set(name, g);
      this.objs.set(name, new Map());
      if (name !== "park") {
        g.on("click", (e) => {
          const o = e.layer;
          if (o && o.ptId) this.onSelect(o.ptLayer, o.ptId);
        });
        g.bindTooltip((o) => this.tooltip(o), { sticky: true, direction: "top", offset: [0, -8], opacity: 0.95 });
      }
      if (this.visible.has(name)) g.addTo(this.map);
    }
    this.selection = L.featureGroup().addTo(this.map);
    this.selected = null;
    this.suppressed = new Set(); // layers switched on but drawn as clusters instead (web/ui/cluster.js)
    this.onGrow = null; // (layer, size) when a layer gains an object: the clustering's hook
    this.onVisible = null; // (layer, on) when a layer is switched on or off
    this.zoom = null;
    this.scale = null;
    this.relabel();
    window.addEventListener("langchange", () => this.relabel());
  }

  /** relabel puts the zoom buttons' titles into the current language; the scale bar (metric) sits under them. */
  relabel() {
    if (this.zoom) this.zoom.remove();
    this.zoom = L.control.zoom({ zoomInTitle: t("map.zoomIn"), zoomOutTitle: t("map.zoomOut") }).addTo(this.map);
    if (!this.scale) this.scale = L.control.scale({ metric: true, imperial: false, maxWidth: 140, position: "bottomleft" }).addTo(this.map);
  }

  /**
   * suppress takes a layer off the map while its clusters stand for it
   * (on: true), or puts it back when it is switched on (on: false).
   */
  suppress(layer, on) {
    const g = this.groups.get(layer);
    if (!g) return;
    if (on) {
      this.suppressed.add(layer);
      if (this.map.hasLayer(g)) this.map.removeLayer(g);
    } else {
      this.suppressed.delete(layer);
      if (!this.held && this.visible.has(layer) && !this.map.hasLayer(g)) {
        g.addTo(this.map);
        this.order();
      }
    }
  }

  tooltip(o) {
    const f = o.ptLayer === "vehicles" ? this.store.vehicles.get(o.ptId)?.feature : this.store.get(o.ptLayer, o.ptId);
    const p = (f && f.properties) || {};
    let name = p.name || p.nameZh || o.ptId;
    if (o.ptLayer === "alarms") name = `${this.store.name(p.subject)} · ${enumText("alarm", "level", p.level)}`;
    const el = document.createElement("div");
    const b = document.createElement("b");
    b.textContent = name;
    const s = document.createElement("div");
    s.className = "tt-sub";
    s.textContent = `${t("enum.kind." + (p.kind || o.ptLayer))} · ${o.ptId}`;
    el.append(b, s);
    return el;
  }

  /** fitPark shows the whole park. */
  fitPark() {
    const o = this.objs.get("park").get("boundary");
    // at once: an animated zoom's end redraws everything again in a later frame
    if (o) this.map.fitBounds(o.getBounds(), { padding: [20, 20], animate: false });
  }

  /** setPark draws (or redraws in place) the park's boundary, safety control line and shoreline, and the water beyond the shore. */
  setPark(park) {
    if (!park) return;
    const p = park.properties ? { ...park.properties, boundary: park.geometry } : park;
    const shapes = {
      boundary: geometryOf(p.boundary, "Polygon"),
      controlLine: geometryOf(p.safetyControlLine, "Polygon"),
      shoreline: geometryOf(p.shoreline, "LineString"),
    };
    shapes.water = waterOf(shapes.shoreline, shapes.boundary);
    const styles = {
      water: { stroke: false, fill: true, fillColor: "#cfe2f0", fillOpacity: 1 },
      boundary: { color: "#1c6dd0", weight: 2, fill: true, fillColor: "#fbfcfd", fillOpacity: 0.85 },
      controlLine: { color: "#e8590c", weight: 2, dashArray: "8 6", fill: false },
      shoreline: { color: "#4a90c2", weight: 2.5, fill: false },
    };
    const objs = this.objs.get("park");
    for (const key of ["water", "boundary", "controlLine", "shoreline"]) {
      const g = shapes[key];
      const lls = g && latLngsOf(g);
      const cur = objs.get(key);
      if (!lls) {
        if (cur) this.groups.get("park").removeLayer(cur);
        objs.delete(key);
        continue;
      }
      const style = { ...styles[key], interactive: false, renderer: this.renderer };
      if (cur) {
        cur.setLatLngs(lls.ll);
        cur.setStyle(style);
      } else {
        const o = lls.kind === "line" ? L.polyline(lls.ll, style) : L.polygon(lls.ll, style);
        o.ptLayer = "park";
        o.ptId = key;
        o.ptZ = Z.park;
        objs.set(key, o);
        this.groups.get("park").addLayer(o);
      }
    }
    this.needOrder = true;
  }

  /** upsert draws a feature, or updates its object in place. */
  upsert(layer, id, f) {
    if (layer === "teams") this.upsertVehicles(id, f);
    const objs = this.objs.get(layer);
    if (!objs) return;
    if (layer === "alarms" && f.properties.state === "closed") {
      this.remove(layer, id); // a closed alarm is history: the list keeps it, the map does not
      return;
    }
    const g = latLngsOf(f.geometry);
    if (!g) {
      this.remove(layer, id);
      return;
    }
    const style = this.style(layer, id, f, g.kind);
    let o = objs.get(id);
    if (o && o.ptKind !== g.kind) {
      this.remove(layer, id);
      o = null;
    }
    if (!o) {
      o = this.make(layer, id, g, style);
      objs.set(id, o);
      if (this.onGrow) this.onGrow(layer, objs.size);
      this.groups.get(layer).addLayer(o);
      if (this.visible.has(layer)) this.needOrder = true;
    } else {
      this.moveTo(o, g);
      this.restyleObj(o, style);
    }
    if (this.selected && this.selected.layer === layer && this.selected.id === id) this.highlight();
  }

  upsertVehicles(teamId, team) {
    const objs = this.objs.get("vehicles");
    const vs = (team && team.properties && team.properties.vehicles) || [];
    const keep = new Set();
    const g = latLngsOf(team && team.geometry);
    vs.forEach((v, i) => {
      keep.add(v.id);
      if (!g || g.kind !== "point") return;
      const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(vs.length, 1);
      const rr = 13 + Math.min(vs.length, 12);
      const style = {
        ...this.style("vehicles", v.id, { properties: v }, "point"),
        offset: [Math.cos(a) * rr, Math.sin(a) * rr],
      };
      let o = objs.get(v.id);
      if (!o) {
        o = this.make("vehicles", v.id, g, style);
        o.ptTeam = teamId;
        objs.set(v.id, o);
        this.groups.get("vehicles").addLayer(o);
        if (this.visible.has("vehicles")) this.needOrder = true;
      } else {
        o.ptTeam = teamId;
        this.moveTo(o, g);
        this.restyleObj(o, style);
      }
    });
    for (const [vid, o] of objs) {
      if (o.ptTeam === teamId && !keep.has(vid)) {
        this.groups.get("vehicles").removeLayer(o);
        objs.delete(vid);
      }
    }
  }

  make(layer, id, g, style) {
    const opts = { ...style, renderer: this.renderer };
    let o;
    if (g.kind === "point") o = new Symbol(g.ll, opts);
    else if (g.kind === "line") o = L.polyline(g.ll, opts);
    else o = L.polygon(g.ll, opts);
    o.ptLayer = layer;
    o.ptId = id;
    o.ptKind = g.kind;
    o.ptZ = Z[layer];
    o.ptSig = JSON.stringify(style);
    o.ptGeo = JSON.stringify(g.ll);
    return o;
  }

  moveTo(o, g) {
    const sig = JSON.stringify(g.ll);
    if (sig === o.ptGeo) return;
    o.ptGeo = sig;
    if (g.kind === "point") o.setLatLng(g.ll);
    else o.setLatLngs(g.ll);
  }

  restyleObj(o, style) {
    const sig = JSON.stringify(style);
    if (sig === o.ptSig) return;
    o.ptSig = sig;
    // On the map, setStyle redraws just this object's pixels (a Symbol
    // re-projects too: its size or offset may have changed); off the map
    // the options are enough, read when its layer is switched on.
    if (o._map) o.setStyle(style);
    else L.Util.setOptions(o, style);
  }

  remove(layer, id) {
    if (layer === "teams") {
      const objs = this.objs.get("vehicles");
      for (const [vid, o] of objs) {
        if (o.ptTeam === id) {
          this.groups.get("vehicles").removeLayer(o);
          objs.delete(vid);
        }
      }
    }
    const objs = this.objs.get(layer);
    if (!objs) return;
    const o = objs.get(id);
    if (!o) return;
    this.groups.get(layer).removeLayer(o);
    objs.delete(id);
    if (this.selected && this.selected.layer === layer && this.selected.id === id) this.highlight();
  }

  /** ids lists the IDs drawn in a layer. */
  ids(layer) {
    const objs = this.objs.get(layer);
    return objs ? [...objs.keys()] : [];
  }

  /** touch marks a feature to be restyled at the next flush (its alarms, fill or grading changed). */
  touch(layer, id) {
    if (!this.objs.has(layer)) return;
    let s = this.dirty.get(layer);
    if (!s) {
      s = new Set();
      this.dirty.set(layer, s);
    }
    s.add(id);
  }

  /**
   * touchFill says that a tank's level reading changed. Its ring is
   * redrawn (at the next flush, at most every FILL_EVERY_MS) only when
   * the fill crosses a 5 % step: on the ×10 park the readings of
   * thousands of tanks arrive every second, and each redraw of a wide
   * area of the canvas costs tens of milliseconds.
   */
  touchFill(id) {
    this.fillDirty.add(id);
  }

  /** flush restyles what was touched and restores the stacking order when needed. */
  flush() {
    const now = performance.now();
    if (this.fillDirty.size && now - this.fillFlushed >= FILL_EVERY_MS) {
      this.fillFlushed = now;
      const tanks = this.objs.get("tanks");
      for (const id of this.fillDirty) {
        const o = tanks.get(id);
        if (o && quantFill(this.store.fill(id)) !== o.options.ring) this.touch("tanks", id);
      }
      this.fillDirty.clear();
    }
    for (const [layer, ids] of this.dirty) {
      const objs = this.objs.get(layer);
      for (const id of ids) {
        const o = objs.get(id);
        if (!o) continue;
        const f = layer === "vehicles" ? this.store.vehicles.get(id)?.feature : this.store.get(layer, id);
        if (!f) continue;
        const style = this.style(layer, id, f, o.ptKind);
        if (layer === "vehicles") style.offset = o.options.offset;
        this.restyleObj(o, style);
      }
    }
    this.dirty.clear();
    if (this.needOrder) {
      this.needOrder = false;
      this.order();
    }
  }

  /**
   * order puts the canvas renderer's draw list back into layer order (it
   * appends whatever is added last). It relies on the draw list of
   * Leaflet 1.9's Canvas renderer (_drawFirst/_drawLast, a doubly linked
   * list of {layer, prev, next}); the vendored version is pinned.
   */
  order() {
    const rd = this.renderer;
    let sorted = true, prevZ = -1, n = 0;
    for (let o = rd._drawFirst; o; o = o.next, n++) {
      const z = o.layer.ptZ ?? Z_SELECTION;
      if (z < prevZ) sorted = false;
      prevZ = z;
    }
    if (sorted || n < 2) return;
    const nodes = [];
    for (let o = rd._drawFirst; o; o = o.next) nodes.push(o);
    nodes.forEach((o, i) => (o.i = i));
    nodes.sort((a, b) => (a.layer.ptZ ?? Z_SELECTION) - (b.layer.ptZ ?? Z_SELECTION) || a.i - b.i);
    for (let i = 0; i < nodes.length; i++) {
      nodes[i].prev = nodes[i - 1] || null;
      nodes[i].next = nodes[i + 1] || null;
    }
    rd._drawFirst = nodes[0];
    rd._drawLast = nodes[nodes.length - 1];
    rd.redrawAll();
  }

  /**
   * hold takes the drawn layers off the map while a first snapshot fills
   * them: objects added to a group off the map cost nothing to draw, where
   * on it each one redraws its part of the canvas, frame after frame.
   * release puts them back, a layer at a time.
   */
  hold() {
    this.held = true;
    for (const [name, g] of this.groups) if (this.map.hasLayer(g)) this.map.removeLayer(g);
  }

  *release() {
    if (!this.held) return;
    // one layer at a time (a generator: the caller yields between them),
    // so that no single task adds and draws them all
    for (const [name, g] of this.groups) {
      if (this.visible.has(name) && !this.suppressed.has(name) && !this.map.hasLayer(g)) {
        g.addTo(this.map);
        yield;
      }
    }
    this.held = false;
    this.order();
    this.renderer.redrawAll();
  }

  /** setVisible switches a layer on or off. */
  setVisible(layer, on) {
    const g = this.groups.get(layer);
    if (!g) return;
    if (on) {
      this.visible.add(layer);
      if (!this.held && !this.suppressed.has(layer) && !this.map.hasLayer(g)) {
        g.addTo(this.map);
        this.order();
      }
    } else {
      this.visible.delete(layer);
      if (this.map.hasLayer(g)) this.map.removeLayer(g);
    }
    if (this.onVisible) this.onVisible(layer, on);
  }

  /** setEnterpriseMode fills the parcels by "grade" or by safety "code". */
  setEnterpriseMode(mode) {
    this.enterpriseMode = mode === "code" ? "code" : "grade";
    for (const id of this.objs.get("enterprises").keys()) this.touch("enterprises", id);
    this.flush();
  }

  /** counts gives the number of features drawn per layer (switched on or not). */
  counts() {
    const out = {};
    for (const [layer, objs] of this.objs) out[layer] = objs.size;
    return out;
  }

  /** pagePoint is where a drawn feature is on the page (its symbol's centre, a shape's bounds' centre), or null. */
  pagePoint(layer, id) {
    const o = this.objs.get(layer)?.get(id);
    if (!o || !o._map) return null;
    let p;
    if (o._point) p = this.map.layerPointToContainerPoint(o._point);
    else p = this.map.latLngToContainerPoint(o.getBounds().getCenter());
    const r = this.map.getContainer().getBoundingClientRect();
    return { x: Math.round(r.left + p.x), y: Math.round(r.top + p.y) };
  }

  /** fillColor is the fill colour of a feature's symbol, or null. */
  fillColor(layer, id) {
    const o = this.objs.get(layer)?.get(id);
    return o ? o.options.fillColor || o.options.color || null : null;
  }

  style(layer, id, f, kind) {
    const p = f.properties || {};
    const st = this.store;
    switch (layer) {
      case "enterprises": {
        const c = this.enterpriseMode === "code" ? SAFETY_COLORS[p.safetyCode] : GRADE_COLORS[p.grade];
        return { color: "#5c6975", weight: 1, fillColor: c || "#adb5bd", fillOpacity: 0.3 };
      }
      case "roads": {
        const s = ROAD_STYLE[p.class] || ROAD_STYLE.branch;
        if (p.closed) return { color: "#e03131", weight: Math.max(s.weight, 2.5), dashArray: "6 4", opacity: 0.95 };
        return { color: p.hazmatRestricted ? "#9c36b5" : s.color, weight: s.weight, opacity: 0.9, dashArray: p.hazmatRestricted ? "2 3" : null };
      }
      case "hazard-units": {
        const gid = st.gradingOfUnit.get(id);
        const gr = gid && st.get("gradings", gid);
        const lvl = gr ? gr.properties.level : null;
        const alarm = st.alarmLevel(id);
        return {
          color: lvl === null || lvl === undefined ? "#495057" : GRADING_COLORS[lvl] || "#495057",
          weight: 2.5,
          dashArray: lvl === null || lvl === undefined || lvl === 0 ? "4 3" : null,
          fillColor: alarm ? ALARM_COLORS[alarm] : "#ffffff",
          fillOpacity: alarm ? 0.35 : 0.05,
        };
      }
      case "waste-stores": {
        const alarm = st.alarmLevel(id);
        return {
          color: alarm ? ALARM_COLORS[alarm] : "#7a4b2a",
          weight: alarm ? 3 : 1.2,
          fillColor: alarm ? ALARM_COLORS[alarm] : "#b07a4f",
          fillOpacity: 0.6,
        };
      }
      case "tanks": {
        const alarm = st.alarmLevel(id);
        const shape = TANK_SHAPES[p.type] || TANK_SHAPES["fixed-roof"];
        const fill = st.fill(id);
        return {
          shape: shape.shape,
          deco: shape.deco || "",
          baseRadius: Math.max(3.5, Math.min(10, 2.5 + (p.diameterM || 8) / 4)),
          realRadiusM: p.type === "horizontal" ? (p.diameterM || 3) * 0.85 : (p.diameterM || 0) / 2,
          color: "#1f2f3f",
          weight: 1,
          fillColor: alarm ? ALARM_COLORS[alarm] : TANK_NORMAL,
          fillOpacity: 0.95,
          ring: quantFill(fill),
        };
      }
      case "sewage-pools": {
        const alarm = st.alarmLevel(id);
        return { shape: "square", baseRadius: 4.5, color: "#145a8d", weight: 1, fillColor: alarm ? ALARM_COLORS[alarm] : "#74c0fc", fillOpacity: 0.95 };
      }
      case "sensors": {
        const alarm = st.alarmLevel(id, true);
        return { shape: "circle", baseRadius: 2.5, minRadius: 1.5, color: "#343a40", weight: 0.5, fillColor: alarm ? ALARM_COLORS[alarm] : "#495057", fillOpacity: 0.9 };
      }
      case "warehouses":
        return { shape: "diamond", baseRadius: 7, color: "#3b1f8f", weight: 1.5, fillColor: "#845ef7", fillOpacity: 0.95 };
      case "targets":
        return {
          shape: "star",
          baseRadius: 5 + Math.min(5, Math.log10(Math.max(p.population || 1, 1))),
          color: "#7a1d3f",
          weight: 1,
          fillColor: "#e64980",
          fillOpacity: 0.95,
        };
      case "teams":
        return { shape: "triangle", baseRadius: 8, color: "#1b2a38", weight: 1.5, fillColor: STATUS_COLORS[p.status] || "#2b8a3e", fillOpacity: 0.95 };
      case "vehicles":
        return { shape: "circle", baseRadius: 2.8, minRadius: 2, color: "#1b2a38", weight: 0.8, fillColor: STATUS_COLORS[p.status] || "#2b8a3e", fillOpacity: 1 };
      case "alarms": {
        const c = ALARM_COLORS[p.level] || "#e03131";
        const s = p.state;
        return {
          shape: "circle",
          baseRadius: 11,
          minRadius: 8,
          color: c,
          weight: s === "active" ? 3.5 : s === "acknowledged" ? 2.5 : 1.5,
          dashArray: s === "active" ? null : "5 4",
          opacity: s === "cleared" ? 0.7 : 1,
          fill: true,
          fillColor: c,
          fillOpacity: s === "active" ? 0.18 : 0.06,
        };
      }
    }
    return kind === "point" ? { shape: "circle", baseRadius: 4 } : { weight: 1 };
  }

  /** select highlights a feature (null clears the highlight). */
  select(layer, id) {
    this.selected = layer ? { layer, id } : null;
    this.highlight();
  }

  highlight() {
    this.selection.clearLayers();
    if (!this.selected) return;
    const o = this.objs.get(this.selected.layer)?.get(this.selected.id);
    let g = null;
    if (o) {
      g = o.ptKind === "point" ? { kind: "point", ll: o.getLatLng() } : { kind: o.ptKind, ll: o.getLatLngs() };
    } else {
      const f = this.store.find(this.selected.id)?.feature;
      g = f && latLngsOf(f.geometry);
    }
    if (!g) return;
    const style = { renderer: this.renderer, interactive: false, color: "#00b7ff", weight: 3, opacity: 1 };
    let h;
    if (g.kind === "point") {
      const r = o ? o._radius || 8 : 8;
      h = new Symbol(g.ll, { ...style, fill: false, baseRadius: Math.max(8, r + 6), minRadius: 9, offset: o ? o.options.offset : null });
    } else if (g.kind === "line") {
      h = L.polyline(g.ll, { ...style, weight: 6, opacity: 0.6 });
    } else {
      h = L.polygon(g.ll, { ...style, fill: false });
    }
    h.ptZ = Z_SELECTION;
    this.selection.addLayer(h);
  }

  /**
   * focus flies the map to a feature at a zoom that keeps its
   * surroundings: a point with FOCUS_AROUND_M of ground around it, a shape
   * whole at half the view or less, never closer than FOCUS_MAX_ZOOM (a
   * tank and its neighbours, the roads to it).
   */
  focus(feature) {
    const g = feature && latLngsOf(feature.geometry);
    if (!g) return;
    let b = g.kind === "point" ? L.latLng(g.ll).toBounds(FOCUS_AROUND_M) : L.latLngBounds(pointsOf(g.ll));
    if (!b.isValid()) return;
    // A shape (an enterprise's parcel, a road) takes at most half the
    // view each way, and a small one as much ground as a point has.
    if (g.kind !== "point") b = b.pad(0.5).extend(b.getCenter().toBounds(FOCUS_AROUND_M));
    this.map.flyToBounds(b, { maxZoom: FOCUS_MAX_ZOOM, padding: [60, 60], duration: 0.8 });
  }
}

/** pointsOf flattens nested lat/lng arrays to a list of [lat, lng]. */
function pointsOf(a, out = []) {
  if (typeof a[0] === "number") out.push(a);
  else for (const x of a) pointsOf(x, out);
  return out;
}

/**
 * waterOf makes a polygon of the water beyond the shoreline: the side of
 * the line away from the park, closed far out. It is a backdrop only.
 */
function waterOf(shore, boundary) {
  if (!shore || shore.type !== "LineString" || shore.coordinates.length < 2 || !boundary) return null;
  const cs = shore.coordinates;
  const pts = boundary.coordinates[0] || [];
  if (!pts.length) return null;
  const cx = pts.reduce((s, c) => s + c[0], 0) / pts.length;
  const cy = pts.reduce((s, c) => s + c[1], 0) / pts.length;
  const a = cs[0], b = cs[cs.length - 1];
  const far = 1.0;
  let close;
  if (Math.abs(b[0] - a[0]) >= Math.abs(b[1] - a[1])) {
    const my = cs.reduce((s, c) => s + c[1], 0) / cs.length;
    const y = cy < my ? my + far : my - far;
    close = [[b[0], y], [a[0], y]];
  } else {
    const mx = cs.reduce((s, c) => s + c[0], 0) / cs.length;
    const x = cx < mx ? mx + far : mx - far;
    close = [[x, b[1]], [x, a[1]]];
  }
  return { type: "Polygon", coordinates: [[...cs, ...close, cs[0]]] };
}
