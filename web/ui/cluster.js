// cluster.js — grid clustering of the point layers that grow large (tanks
// and sensors: 10,000 and 11,772 on the ×10 park). Below CLUSTER_BELOW_ZOOM
// a layer with more than CLUSTER_ABOVE objects is taken off the map and
// drawn as one disc per CELL_PX grid cell of the screen instead, with its
// count, coloured by the highest open alarm inside it; a click on a disc
// flies to what it holds. Closer in, or on a small park, every object is
// drawn as before.
//
// Written here rather than vendored: the layers are drawn on our own
// canvas renderer (map.js), which Leaflet.markercluster (built on DOM
// markers) does not cluster, and a grid over projected points is a few
// dozen lines.

import * as L from "./vendor/leaflet/dist/leaflet-src.esm.js";
import { ALARM_COLORS, TANK_NORMAL } from "./map.js";

export const CLUSTERED = ["tanks", "sensors"];
export const CLUSTER_ABOVE = 2000; // objects in a layer before it is clustered
export const CLUSTER_BELOW_ZOOM = 15; // clustered at zooms below this
const CELL_PX = 72;
const REBUILD_EVERY_MS = 2000; // data changes redraw the clusters at most this often
const RANK = { red: 4, orange: 3, yellow: 2, blue: 1 };
const BASE_COLOR = { tanks: TANK_NORMAL, sensors: "#495057" };

/** ClusterDisc is a disc on the canvas renderer with its count written in it. */
const ClusterDisc = L.CircleMarker.extend({
  _updatePath() {
    L.CircleMarker.prototype._updatePath.call(this);
    const rd = this._renderer;
    if (!rd._drawing || this._empty()) return;
    const ctx = rd._ctx;
    ctx.globalAlpha = 1;
    ctx.fillStyle = this.options.textColor || "#fff";
    ctx.font = "bold 11px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(this.options.label, this._point.x, this._point.y + 0.5);
  },
});

export class Clusters {
  /**
   * @param {import("./map.js").ParkMap} pm
   * @param {import("./store.js").Store} store
   */
  constructor(pm, store) {
    this.pm = pm;
    this.store = store;
    this.group = L.featureGroup().addTo(pm.map);
    this.discs = 0;
    this.dirty = false;
    this.builtAt = 0;
    this.group.on("click", (e) => {
      const d = e.layer;
      if (d && d.ptBounds) pm.map.flyToBounds(d.ptBounds, { padding: [40, 40], maxZoom: CLUSTER_BELOW_ZOOM + 1, duration: 0.6 });
    });
    // A layer that grows past the limit while the map is far out is taken
    // off at once, before thousands of objects are drawn one by one.
    pm.onGrow = (layer, n) => {
      if (!CLUSTERED.includes(layer)) return;
      this.dirty = true;
      if (n === CLUSTER_ABOVE + 1 && pm.map.getZoom() < CLUSTER_BELOW_ZOOM) this.rebuild();
    };
    pm.map.on("zoomend", () => this.rebuild());
    pm.onVisible = (layer) => {
      if (CLUSTERED.includes(layer)) this.rebuild();
    };
  }

  /** touch says that a clustered layer changed (an object, an alarm): the discs are rebuilt soon. */
  touch() {
    this.dirty = true;
  }

  /**
   * flush rebuilds the discs when something changed and the last rebuild
   * is old enough; call it before the map's flush, which clears what the
   * map was told to restyle (an alarm's colour on a tank or sensor).
   */
  flush() {
    if (this.pm.dirty.has("tanks") || this.pm.dirty.has("sensors")) this.dirty = true;
    if (!this.dirty || performance.now() - this.builtAt < REBUILD_EVERY_MS) return;
    this.rebuild();
  }

  /** on says whether a layer is drawn as clusters now. */
  on(layer) {
    return this.pm.suppressed.has(layer);
  }

  rebuild() {
    if (this.building) return;
    this.building = true;
    try {
      this.dirty = false;
      this.builtAt = performance.now();
      const pm = this.pm;
      const z = pm.map.getZoom();
      const cells = [];
      for (const layer of CLUSTERED) {
        const objs = pm.objs.get(layer);
        const cluster = objs.size > CLUSTER_ABOVE && z < CLUSTER_BELOW_ZOOM;
        if (cluster !== pm.suppressed.has(layer)) pm.suppress(layer, cluster);
        if (cluster && pm.visible.has(layer)) cells.push([layer, this.cells(objs, z, layer === "sensors")]);
      }
      // Redrawn only when a disc would change (a count, a colour): a
      // redraw reorders the renderer's list and repaints the whole canvas.
      const sig = z + JSON.stringify(cells.map(([l, cs]) => [l, [...cs].map(([k, c]) => `${k}/${c.n}/${c.level}`)]));
      if (sig === this.sig) return;
      this.sig = sig;
      this.group.clearLayers();
      this.discs = 0;
      for (const [layer, cs] of cells) this.draw(layer, cs);
    } finally {
      this.building = false;
    }
  }

  /** cells groups a layer's objects by grid cell at zoom z: key → {n, lat, lng, level, bounds}. */
  cells(objs, z, bySensor) {
    const cells = new Map();
    for (const [id, o] of objs) {
      const ll = o.getLatLng();
      if (o.ptCellZ !== z || o.ptCellAt !== ll) {
        // tanks and sensors stay where they are: their cell is kept per zoom
        const p = this.pm.map.project(ll, z);
        o.ptCell = `${Math.floor(p.x / CELL_PX)}:${Math.floor(p.y / CELL_PX)}`;
        o.ptCellZ = z;
        o.ptCellAt = ll;
      }
      const key = o.ptCell;
      let c = cells.get(key);
      if (!c) {
        c = { n: 0, lat: 0, lng: 0, rank: 0, level: "", bounds: L.latLngBounds(ll, ll) };
        cells.set(key, c);
      }
      c.n++;
      c.lat += ll.lat;
      c.lng += ll.lng;
      c.bounds.extend(ll);
      const lvl = this.store.alarmLevel(id, bySensor);
      if (lvl && RANK[lvl] > c.rank) {
        c.rank = RANK[lvl];
        c.level = lvl;
      }
    }
    return cells;
  }

  draw(layer, cells) {
    for (const c of cells.values()) {
      const r = Math.min(22, 8 + 3.2 * Math.log10(c.n + 1));
      const d = new ClusterDisc([c.lat / c.n, c.lng / c.n], {
        renderer: this.pm.renderer,
        radius: r,
        color: "#1f2f3f",
        weight: 1,
        fillColor: c.level ? ALARM_COLORS[c.level] : BASE_COLOR[layer],
        fillOpacity: 0.85,
        label: String(c.n),
        textColor: c.level === "yellow" ? "#3b2f00" : "#fff",
      });
      d.ptZ = 12.5; // above the drawn layers but the alarms, below the selection (map.js LAYERS)
      d.ptLayer = "clusters";
      d.ptBounds = c.bounds;
      d.ptCount = c.n;
      d.ptOf = layer;
      this.group.addLayer(d);
      this.discs++;
    }
    this.pm.needOrder = true;
  }

  /** stats are for the tests and the load tool: {discs, tanks, sensors} (true: drawn as clusters). */
  stats() {
    return { discs: this.discs, tanks: this.on("tanks"), sensors: this.on("sensors") };
  }
}
