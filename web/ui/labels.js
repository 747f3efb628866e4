// labels.js — names on the map where they fit: enterprises from
// LABEL_ZOOM.enterprises in, roads and tanks closer (a road's name once in
// view; access roads one zoom further in). Labels are plain DOM
// elements in a pane of their own above the canvas (pointer events off),
// made only for the features in view, placed in priority order
// (enterprises, then tanks, then roads) and left out where they would
// overlap one already placed, at most MAX_LABELS at a time. They are
// rebuilt after a pan or zoom, and after data changes at most every
// REBUILD_EVERY_MS; while the map zooms they are hidden.
//
// Hooks: div.map-label[data-kind][data-id] per label shown.

import * as L from "./vendor/leaflet/dist/leaflet-src.esm.js";

/** LABEL_ZOOM is the zoom from which each kind is labelled. */
export const LABEL_ZOOM = { enterprises: 15, tanks: 18, roads: 16 };
const ORDER = ["enterprises", "tanks", "roads"];
const MAX_LABELS = 300;
const REBUILD_EVERY_MS = 1500;

export class Labels {
  /**
   * @param {import("./map.js").ParkMap} pm
   * @param {import("./store.js").Store} store
   */
  constructor(pm, store) {
    this.pm = pm;
    this.store = store;
    const map = pm.map;
    this.pane = map.createPane("labels");
    this.pane.style.zIndex = "450"; // above the overlay canvas (400), below markers and tooltips
    this.pane.style.pointerEvents = "none";
    this.els = new Map(); // kind:id → element
    this.dirty = false;
    this.builtAt = 0;
    map.on("zoomstart", () => this.pane.classList.add("zooming"));
    map.on("moveend zoomend", () => {
      this.pane.classList.remove("zooming");
      this.rebuild();
    });
  }

  /** touch says that a labelled layer changed. */
  touch(layer) {
    if (LABEL_ZOOM[layer] !== undefined) this.dirty = true;
  }

  flush() {
    if (!this.dirty || performance.now() - this.builtAt < REBUILD_EVERY_MS) return;
    this.rebuild();
  }

  rebuild() {
    this.dirty = false;
    this.builtAt = performance.now();
    const pm = this.pm;
    const map = pm.map;
    const z = map.getZoom();
    const size = map.getSize();
    const view = map.getBounds().pad(0.05);
    const placed = []; // boxes in container pixels
    const keep = new Set();
    const named = new Set(); // road names already placed
    for (const kind of ORDER) {
      if (z < LABEL_ZOOM[kind] || !pm.visible.has(kind) || pm.suppressed.has(kind)) continue;
      for (const [id, o] of pm.objs.get(kind)) {
        if (keep.size >= MAX_LABELS) break;
        const f = this.store.get(kind, id);
        const name = f && f.properties && f.properties.name;
        if (!name) continue;
        if (kind === "roads") {
          // a road's name once in view; the small access roads only closer in
          if (named.has(name) || (f.properties.class === "access" && z < LABEL_ZOOM.roads + 1)) continue;
        }
        const ll = anchorOf(o, kind);
        if (!ll || !view.contains(ll)) continue;
        const cp = map.latLngToContainerPoint(ll);
        const w = textWidth(name), h = 16;
        const box = { x0: cp.x - w / 2, y0: cp.y - h / 2, x1: cp.x + w / 2, y1: cp.y + h / 2 };
        if (box.x1 < 0 || box.y1 < 0 || box.x0 > size.x || box.y0 > size.y) continue;
        if (placed.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
        placed.push(box);
        if (kind === "roads") named.add(name);
        const key = `${kind}:${id}`;
        keep.add(key);
        let e = this.els.get(key);
        if (!e) {
          e = document.createElement("div");
          e.className = `map-label map-label-${kind}`;
          e.dataset.kind = kind;
          e.dataset.id = id;
          e.append(document.createElement("span")); // centred on the anchor by CSS
          this.els.set(key, e);
          this.pane.append(e);
        }
        if (e.firstChild.textContent !== name) e.firstChild.textContent = name; // text, never markup: names are anyone's
        L.DomUtil.setPosition(e, map.latLngToLayerPoint(ll));
      }
    }
    for (const [key, e] of this.els) {
      if (!keep.has(key)) {
        e.remove();
        this.els.delete(key);
      }
    }
  }

  /** shown lists the labels on the map as [kind, id] (for the tests). */
  shown() {
    return [...this.els.values()].map((e) => [e.dataset.kind, e.dataset.id]);
  }
}

/** anchorOf is where a feature's label goes: a point's place, a shape's centre, a line's middle vertex. */
function anchorOf(o, kind) {
  if (o.getLatLng) return o.getLatLng();
  if (kind === "roads") {
    const lls = o.getLatLngs();
    const line = Array.isArray(lls[0]) ? lls.reduce((a, b) => (b.length > a.length ? b : a), []) : lls;
    return line.length ? line[Math.floor(line.length / 2)] : null;
  }
  const b = o.getBounds();
  return b.isValid() ? b.getCenter() : null;
}

/** textWidth estimates a label's width in pixels (12 px type: wide for CJK, narrow for Latin). */
function textWidth(s) {
  let w = 10;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 12 : 7;
  return w;
}
