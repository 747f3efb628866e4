// store.js — the console's copy of the park: every feature by layer and
// ID, the latest sensor values, and the indexes the map and panels need
// (sensors by subject, open alarms by subject and by sensor, the order of
// an alarm, the latest grading of a hazard unit, the team of a vehicle).
//
// Layers are named as the stream names them (docs/stream.md): "tanks",
// "sewage-pools", "alarms"… Chemicals are held by CAS.

const LEVEL_RANK = { red: 4, orange: 3, yellow: 2, blue: 1 };

/** layerOfId maps an entity ID to its layer by prefix. */
export function layerOfId(id) {
  const p = [
    ["ENT-", "enterprises"], ["TNK-", "tanks"], ["SWP-", "sewage-pools"], ["HWS-", "waste-stores"],
    ["MHU-", "hazard-units"], ["WH-", "warehouses"], ["TEAM-", "teams"], ["RD-", "roads"],
    ["TGT-", "targets"], ["SEN-", "sensors"], ["ALM-", "alarms"], ["VO-", "orders"],
    ["HD-", "hidden-dangers"], ["GRD-", "gradings"], ["TSK-", "tasks"], ["VEH-", "vehicles"], ["INC-", "incidents"],
  ];
  for (const [pre, layer] of p) if (id.startsWith(pre)) return layer;
  if (/^\d{2,7}-\d{2}-\d$/.test(id)) return "chemicals";
  return null;
}

export class Store {
  constructor() {
    this.layers = new Map(); // layer → Map(id → feature)
    this.park = null;
    this.sensorsBySubject = new Map(); // subject ID → Set(sensor ID)
    this.openAlarmsBySubject = new Map(); // subject ID → Set(alarm ID), alarms not closed
    this.openAlarmsBySensor = new Map(); // sensor ID → Set(alarm ID)
    this.orderOfAlarm = new Map(); // alarm ID → order ID
    this.gradingOfUnit = new Map(); // unit ID → grading ID (the latest)
    this.vehicles = new Map(); // vehicle ID → {team, vehicle}
  }

  layer(name) {
    let m = this.layers.get(name);
    if (!m) {
      m = new Map();
      this.layers.set(name, m);
    }
    return m;
  }

  get(layer, id) {
    const m = this.layers.get(layer);
    return m ? m.get(id) : undefined;
  }

  /** find looks an ID up in its layer: {layer, id, feature} or null. */
  find(id) {
    const layer = layerOfId(id);
    if (!layer) return null;
    if (layer === "vehicles") {
      const v = this.vehicles.get(id);
      return v ? { layer, id, feature: v.feature } : null;
    }
    const f = this.get(layer, id);
    return f ? { layer, id, feature: f } : null;
  }

  /** put stores (or with null deletes) a feature, keeps the indexes and returns the previous one. */
  put(layer, id, f) {
    const m = this.layer(layer);
    const prev = m.get(id);
    if (prev) this.unindex(layer, id, prev);
    if (f) {
      if (layer === "sensors" && prev && f.properties && !("value" in f.properties) && "value" in prev.properties) {
        // a change of a sensor's definition keeps its latest reading
        f.properties.value = prev.properties.value;
        f.properties.t = prev.properties.t;
      }
      m.set(id, f);
      this.index(layer, id, f);
    } else {
      m.delete(id);
    }
    return prev;
  }

  index(layer, id, f) {
    const p = f.properties || {};
    switch (layer) {
      case "sensors":
        addTo(this.sensorsBySubject, p.subject, id);
        break;
      case "alarms":
        if (p.state !== "closed") {
          addTo(this.openAlarmsBySubject, p.subject, id);
          addTo(this.openAlarmsBySensor, p.sensor, id);
        }
        break;
      case "orders":
        if (p.alarm) this.orderOfAlarm.set(p.alarm, id);
        break;
      case "gradings": {
        const cur = this.gradingOfUnit.get(p.unit);
        const curF = cur && this.get("gradings", cur);
        if (!curF || String(curF.properties.at) <= String(p.at)) this.gradingOfUnit.set(p.unit, id);
        break;
      }
      case "teams":
        for (const v of p.vehicles || []) this.vehicles.set(v.id, { team: id, feature: vehicleFeature(id, f, v) });
        break;
    }
  }

  unindex(layer, id, f) {
    const p = f.properties || {};
    switch (layer) {
      case "sensors":
        removeFrom(this.sensorsBySubject, p.subject, id);
        break;
      case "alarms":
        removeFrom(this.openAlarmsBySubject, p.subject, id);
        removeFrom(this.openAlarmsBySensor, p.sensor, id);
        break;
      case "orders":
        if (this.orderOfAlarm.get(p.alarm) === id) this.orderOfAlarm.delete(p.alarm);
        break;
      case "gradings":
        if (this.gradingOfUnit.get(p.unit) === id) {
          this.gradingOfUnit.delete(p.unit);
          // the next latest, if any
          let best = null;
          for (const [gid, g] of this.layer("gradings")) {
            if (gid === id || g.properties.unit !== p.unit) continue;
            if (!best || String(best[1].properties.at) < String(g.properties.at)) best = [gid, g];
          }
          if (best) this.gradingOfUnit.set(p.unit, best[0]);
        }
        break;
      case "teams":
        for (const v of p.vehicles || []) {
          const cur = this.vehicles.get(v.id);
          if (cur && cur.team === id) this.vehicles.delete(v.id);
        }
        break;
    }
  }

  /** setValue records a sensor's latest reading; it returns the sensor, or undefined. */
  setValue(id, value, t) {
    const f = this.get("sensors", id);
    if (!f) return undefined;
    f.properties.value = value;
    f.properties.t = t;
    return f;
  }

  /** alarmLevel is the highest level of the open alarms on a subject (or sensor), or "". */
  alarmLevel(id, bySensor = false) {
    const ids = (bySensor ? this.openAlarmsBySensor : this.openAlarmsBySubject).get(id);
    if (!ids || ids.size === 0) return "";
    let best = "", rank = 0;
    for (const aid of ids) {
      const a = this.get("alarms", aid);
      const r = a ? LEVEL_RANK[a.properties.level] || 0 : 0;
      if (r > rank) {
        rank = r;
        best = a.properties.level;
      }
    }
    return best;
  }

  /** sensorsOf lists the sensor features of a subject, level sensors first. */
  sensorsOf(subject) {
    const ids = this.sensorsBySubject.get(subject);
    if (!ids) return [];
    const out = [];
    for (const id of ids) {
      const f = this.get("sensors", id);
      if (f) out.push(f);
    }
    const order = { level: 0, temperature: 1, pressure: 2 };
    out.sort((a, b) => (order[a.properties.type] ?? 9) - (order[b.properties.type] ?? 9) || (a.id < b.id ? -1 : 1));
    return out;
  }

  /** fill is a tank's level as a fraction of its height (of its diameter for horizontal tanks and spheres), or null. */
  fill(tankId) {
    const tank = this.get("tanks", tankId);
    if (!tank) return null;
    const ids = this.sensorsBySubject.get(tankId);
    if (!ids) return null;
    const p = tank.properties;
    const full = p.type === "horizontal" || p.type === "pressure-sphere" ? p.diameterM : p.heightM;
    if (!(full > 0)) return null;
    for (const sid of ids) {
      const s = this.get("sensors", sid);
      if (s && s.properties.type === "level" && typeof s.properties.value === "number") {
        return Math.max(0, Math.min(1, s.properties.value / full));
      }
    }
    return null;
  }

  /** name is the display name of an entity ID, or the ID itself. */
  name(id) {
    if (!id) return "";
    // the park's own (its gateway's comm-lost alarm): the park's name
    if (id === "PARK" && this.park) {
      const p = this.park.properties || this.park;
      if (p.name) return p.name;
    }
    const r = this.find(id);
    if (!r) return id;
    const p = r.feature.properties || {};
    return p.name || p.nameZh || p.title || id;
  }

  /** count is the number of features held in a layer. */
  count(layer) {
    const m = this.layers.get(layer);
    return m ? m.size : 0;
  }
}

/** vehicleFeature makes a point feature of a team's vehicle, at the team's base. */
function vehicleFeature(teamId, team, v) {
  return {
    type: "Feature",
    id: v.id,
    geometry: team.geometry,
    properties: { kind: "vehicle", team: teamId, ...v },
  };
}

function addTo(m, k, v) {
  if (!k) return;
  let s = m.get(k);
  if (!s) {
    s = new Set();
    m.set(k, s);
  }
  s.add(v);
}

function removeFrom(m, k, v) {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}
