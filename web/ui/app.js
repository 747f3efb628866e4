// app.js — the parkd console: wires the stream, the store, the map, the
// alarm list, the details panel, the search box and the status bar.
//
// ─── Hooks for automated browser tests (keep them stable) ───────────────
//
// window.parktwin:
//   ready        true once the first snapshot has been drawn (stays true)
//   seq          the last seq handled (from snapshot and change messages)
//   counts()     {layer: number of features drawn as map objects}, for the
//                layers park, enterprises, roads, hazard-units, waste-stores,
//                sewage-pools, tanks, sensors, warehouses, targets, teams,
//                vehicles, alarms — whether the layer is switched on or not.
//                "park" counts its shapes (boundary, safety control line,
//                shoreline and the water beyond it); "alarms" counts the
//                alarms not closed (closed ones leave the map, not the list).
//   tankColor(id) the fill colour (CSS colour string) of a tank's symbol:
//                TANK_NORMAL "#7d95aa" without open alarms, else the colour
//                of the highest open alarm on its sensors: red "#e03131",
//                orange "#f76707", yellow "#f5c400", blue "#1c7ed6";
//                null for an unknown tank
//   connection   "connecting" | "live" | "reconnecting" | "ended" (a sandbox ended)
//   lang         "zh-CN" | "en"
//   select(id)   opens the details of an entity and flies to it
//   pointOf(id)  {x, y}: where a drawn feature is on the page (for a
//                click), or null when it is not drawn or its layer is off
//   setLang(l)   switches the language ("zh-CN" or "en")
//   stats()      {messages, changes, values, snapshots, reconnects, gaps,
//                pumpMaxMs, lastPump, queued}: counters for load tests
//   canvas()     the map canvas's redraws since the page opened {redraws,
//                full, rects, maxMs, maxRects, byLayer}: for load tests
//   incidents()  [{id, state, level, type}] of the incidents the page holds
//                (from the stream's "incidents" layer, and the answer to a
//                report), in list order: open first, newest first
//   planShown()  the dispatch plan shown in the open incident's panel (the
//                parsed JSON of POST …/plan, as proposed: the lines dropped
//                with the checkboxes are still in it), or null
//   routeCount() the number of route lines drawn on the map: the routes of
//                the shown plan's kept assignments, else of the open
//                incident's units not released; identical routes (one team's
//                vehicles) are drawn once. None when no incident panel is open.
//   unitPositions() {vehicleID: [lon, lat]} of the unit markers moving with
//                incidents: dispatched and en-route ones along their route
//                by the twin's clock, progress = (now − orderedAt − turnoutS)
//                / (etaS − turnoutS) clamped to [0, 1]; on-scene ones at the
//                incident (at their staging point when the plan staged them); returning ones back along it, (returnedAt − now) /
//                (etaS − turnoutS). Updated once a second.
//   zones()      {incidentID: [{id, kind, level, hot, drawn, centre}]}: the
//                consequence zones the page holds (the stream's "zones"
//                layer, web/ui/zones.js), drawn = a polygon is on the map,
//                centre = [lon, lat] of its bounds' centre (null undrawn)
//   zoneCount()  the zone polygons drawn
//   wind()       {fromDeg, speedMS} the wind arrow shows, or null
//   stagingShown() [lon, lat] of the staging point drawn for the open
//                incident (its plan's, else its units'), or null
//   unitPoint(vid) {x, y}: where a unit's marker is on the page (to hover
//                it), or null when it has none
//   now()        the twin's time (ms) as the page reckons it, or null; in a
//                drill it runs at the drill's speed (still while paused)
//   drill()      the last DrillView (GET /api/v1/drills/{twin}) when the
//                twin is a drill; else null. The page reloads when the
//                view's pass changes: seeking back plays the drill again on
//                a new park, and the old one's stream has ended.
//   isDrill      true when the twin is a drill, false when not, null until known
//   replay()     the last ReplayState (GET /api/v1/replays/{twin}) when the
//                twin is a replay (复盘); its state is "gone" once the replay
//                is no more; else null
//   isReplay     true when the twin is a replay, false when not, null until known
//   alerts()     {beeps, muted, last: {kind: "incident"|"alarm", id}|null,
//                pulses}: the beeps due since the page was ready (new level
//                I–II incidents, new active red alarms; not counted muted)
//   clusters()   {discs, tanks, sensors}: disc count; true = that layer is
//                drawn as clusters now (web/ui/cluster.js)
//   labels()     [[kind, id]] of the map labels shown (web/ui/labels.js)
//   view()       {zoom, center: [lon, lat], bounds: [west, south, east, north]} of the map
//   setView(lon, lat, zoom)  moves the map at once, without animation
//
// body.ready (class) and body[data-ready] = ms from navigation start to the
// first snapshot drawn: the console's ready signal (cmd/consoleload);
// body[data-snapshot] = ms from navigation start to the first snapshot
// received (parsed), before it is drawn.
//
// The console subscribes to every layer (no ?layers=), so seq moves with
// the twin's and a gap in it is counted in stats().gaps.
//
// Element ids and attributes:
//   #status-conn    data-state = connection; text = its label
//   #status-seq     text = seq
//   #status-age     text = data age ("3 秒" / "3 s"); data-age = seconds
//                   since the server last told its time (a heartbeat, every
//                   5 s; a snapshot; a values message)
//   #status-clock   the twin's clock in Beijing time, "YYYY-MM-DD HH:MM:SS";
//                   data-time = the same instant in RFC 3339 (UTC)
//   #lang-toggle    the language button
//   #search         the search input; results in #search-results, one
//                   li[data-id] each
//   #alarm-list     one li[data-id="ALM-…"] per alarm shown (every alarm
//                   not closed and the latest 100 closed), newest first,
//                   with data-state (active | acknowledged | cleared |
//                   closed) and data-level (red | orange | yellow | blue);
//                   button.ack while it can be acknowledged (not closed,
//                   not yet acknowledged); its verification order's
//                   state in span.badge.order[data-order-state]
//   #details        the details panel; data-id and data-layer = what it
//                   shows; its chart is canvas#trend (data-buckets on its
//                   box = buckets drawn)
//   #layers         the layer switches: input#layer-<layer>[data-layer]
//   #fill-grade, #fill-code  the enterprise fill toggle (aria-pressed)
//   #incident-list  one li[data-id="INC-…"] per incident, open ones first
//                (then newest first), with data-state (reported | confirmed |
//                dispatched | under-control | closed) and data-level (I–IV);
//                a click flies to the incident and opens its panel
//   #report-incident  the button entering (and leaving) report mode
//                (aria-pressed); in report mode a click on the map opens the
//                report form for that point, a click on a drawn entity (or
//                "report here", button[data-act=report] in an entity's
//                details) for that entity
//   #incident-form  the report form: select[name=type] (the 8 types),
//                select[name=level] (I–IV), input[name=reporter] (default
//                值班员), input[name=chemical] (optional CAS),
//                button[type=submit]; after an answer data-result = created
//                (201) or merged (200)
//   #plan-button  in an incident's panel: POST …/plan and show the plan
//   #plan-panel   the plan shown: assignments (input[type=checkbox]
//                [data-kind=assignment][data-index]), requirements with their
//                basis, equipment by warehouse (checkboxes data-kind=
//                equipment), shortfalls (li.shortfall, in red), notes
//   #confirm-button  posts the plan without the unchecked lines to …/confirm
//   button[data-inc-act]  in an incident's panel: confirm | under-control |
//                closed | cancel | plan
//   #map            the Leaflet map
//   #drills-link    the link to the drills page (/ui/drills.html)
//   #audit-link     the link to the audit page (/ui/audit.html)
//   #handover-link  the link to the shift handover page (/ui/handover.html)
//   #cockpit-link   the link to the statistics page (/ui/cockpit.html)
//   #worklist       the closed loop's lists of orders, hidden dangers and
//                tasks (web/ui/worklist.js says its hooks); in the details
//                panel, div.loop-actions[data-id] holds the closed loop's
//                actions on what it shows (web/ui/actions.js says its hooks);
//                #safety-section explains an enterprise's safety code:
//                li[data-reason] per condition that set it
//
// A drill's console (web/ui/drill.js, web/ui/player.js): body.drill (the
// orange frame), and
//   #drill-bar      data-state = the drill's state; #drill-play (data-action
//                = play | pause), button.speed[data-speed] for 0.5 1 2 5 10
//                60 max (aria-pressed on the one playing), #drill-step,
//                #drill-seek (a range over 0…durationS) with one
//                #drill-marks span.mark[data-index][data-kind][data-applied]
//                per inject, #drill-time (data-s = drill time in seconds),
//                #drill-state, #drill-stop (data-armed: a second press
//                within 4 s ends the drill), #drill-error
//   #drill-report   shown once the drill is ended or stopped: a.report-html
//                (?format=html) and a.report-pdf (?format=pdf)
//   #drill-checklist  one li[data-id=<expectation>][data-status=met|missed|
//                pending] each
//   #drill-messages  one li[data-at] per trainee message, newest first;
//                each new one also shows a div.toast[data-at] in #drill-toasts
//
// A replay's console (web/ui/replay.js, web/ui/replayscenario.js):
// body.replay (the blue frame; the buttons that would change the park are
// not shown), and
//   #replay-bar     data-state = the replay's state (paused | playing |
//                ended | stopped | gone); #replay-play (data-action = play |
//                pause), button.speed[data-speed] for 1 10 60 600
//                (aria-pressed on the one playing), #replay-step, #replay-seek
//                (a range over whole seconds from the window's start; a
//                "change" seeks), #replay-time (the park's time in Beijing
//                time; data-time = RFC 3339), #replay-events (data-applied,
//                data-events), #replay-state, #replay-report (a.report-html,
//                a.report-pdf), #replay-error, #replay-stop (data-armed: a
//                second press within 4 s ends the replay)
//   #replay-scenario  opens #replay-scenario-box: #replay-scenario-form
//                (input[name=id], button[type=submit]) and
//                #replay-scenario-result (data-result = ok | error, data-id);
//                once made, button#replay-drill starts it as a drill and
//                opens the drill's console, a.yaml downloads it

import { API, TWIN, apiFetch } from "./api.js";
import { t, lang, setLang, applyI18n, beijing } from "./i18n.js";
import { errorText } from "./msg.js";
import { Stream } from "./stream.js";
import { Store, layerOfId } from "./store.js";
import {
  ParkMap, LAYERS, ALARM_COLORS, TANK_NORMAL, SAFETY_COLORS, GRADE_COLORS,
  GRADING_COLORS, STATUS_COLORS, TANK_SHAPES, paintSymbol,
} from "./map.js";
import { AlarmList } from "./alarms.js";
import { fetchAlarm } from "./alarmfetch.js";
import { loadAlarmRules, shelveAlarm } from "./alarmshelve.js";
import { AlarmReview } from "./alarmreview.js";
import { Details } from "./panel.js";
import { Search } from "./search.js";
import { Incidents } from "./incidents.js";
import { DrillPanel } from "./drill.js";
import { Zones, ZONE_COLORS } from "./zones.js";
import { ReplayPanel } from "./replay.js";
import { Alert } from "./alert.js";
import { Clusters } from "./cluster.js";
import { Labels } from "./labels.js";
import { Actions } from "./actions.js";
import { Worklist } from "./worklist.js";
import { can } from "./can.js";

const $ = (s) => document.querySelector(s);
const FRAME_BUDGET_MS = 10; // work per animation frame before yielding
// Until the first snapshot is drawn nothing on the page answers a hand
// yet: the pump takes longer turns, so that the console is ready sooner.
const LOAD_BUDGET_MS = 40;
const SNAPSHOT_BATCH = 400; // features between checks of the frame budget
const VALUES_BATCH = 500; // values between checks of the frame budget

// Layers whose data the drawn layers depend on, loaded first in a snapshot.
const DATA_FIRST = ["chemicals", "gradings", "sensors", "orders", "alarms"];
// Data layers that are not drawn on the map.
const NOT_DRAWN = new Set(["chemicals", "gradings", "orders", "hidden-dangers", "tasks", "incidents"]);

const store = new Store();
let parkChanged = false;
const state = {
  ready: false,
  seq: null, // last seq handled
  received: null, // last seq received (queued), the resume point
  connection: "connecting",
  heardAt: 0, // performance.now() of the last heartbeat (or snapshot, or values)
  time: null, // the twin's time at timeAt
  timeAt: 0,
  rate: 1, // twin seconds per wall second: a drill's speed, 0 while it is paused
  stats: { messages: 0, changes: 0, values: 0, snapshots: 0, reconnects: 0, gaps: 0, pumpMaxMs: 0, lastPump: null },
  layers: null,
};

applyI18n(document);

const map = new ParkMap($("#map"), store, (layer, id) => {
  if (incidents.reporting) incidents.reportEntity(id, lastPointer);
  else select(layer, id, false);
});
let lastPointer = null; // where the pointer last went down, for the report form
document.addEventListener("pointerdown", (e) => (lastPointer = { x: e.clientX, y: e.clientY }), true);
const incidents = new Incidents({
  store,
  map,
  list: $("#incident-list"),
  countEl: $("#incident-count"),
  reportBtn: $("#report-incident"),
  now: twinNow,
  onSelect: (id) => selectId(id, true),
});
// Only the actions the user's role may call are offered (can.js).
const alarms = new AlarmList($("#alarm-list"), store, {
  onSelect: (id) => select("alarms", id, true),
  onAck: can("POST", "/api/v1/alarms/{id}/ack") ? ackAlarm : null,
  onShelve: can("POST", "/api/v1/alarms/{id}/shelve") ? shelveAlarm : null,
  now: twinNow,
  countEl: $("#alarm-count"),
});
loadAlarmRules(alarms); // alarmshelve.js
const alarmReview = new AlarmReview($("#alarm-list"), twinNow);
const details = new Details($("#details"), store, {
  onSelect: (id) => selectId(id, true),
  onFocus: (id) => {
    const r = store.find(id);
    if (r) map.focus(r.feature);
  },
  onReport: can("POST", "/api/v1/incidents") ? (id, at) => incidents.reportEntity(id, at) : null,
  onShow: (layer, id) => {
    incidents.shown(layer, id);
    worklist.select(id);
  },
  incidents,
  actions: new Actions({ store }),
});
// The closed loop's lists: orders, hidden dangers, tasks (worklist.js).
const worklist = new Worklist($("#worklist"), store, { onSelect: (id) => selectId(id, true), now: twinNow });
incidents.requestRender = () => {
  if (details.cur && details.cur.layer === "incidents") details.render(true);
};
// The consequence zones: drawn on the map, listed in the incident's panel.
const zones = new Zones({
  map,
  store,
  onChange: (id) => {
    if (details.cur && details.cur.layer === "incidents" && (!id || details.cur.id === id)) details.render(true);
  },
});
incidents.zoneSection = (id, f) => zones.section(id, f);
new Search($("#search"), $("#search-results"), store, (layer, id) => select(layer, id, true));
// The map's aids (web/ui/alert.js, cluster.js, labels.js): open incidents
// pulse and are named in a banner, with a beep; large point layers are
// clustered far out; names show where they fit.
const incidentAlert = new Alert({ map, store, onSelect: (id) => selectId(id, true), muteBefore: $("#lang-toggle") });
const clusters = new Clusters(map, store);
const labels = new Labels(map, store);

// ─── selection ───────────────────────────────────────────────────────────

function select(layer, id, fly) {
  map.select(layer, id);
  details.show(layer, id);
  alarms.select(layer === "alarms" ? id : null);
  if (fly) {
    const r = store.find(id);
    if (r) map.focus(r.feature);
  }
}

function selectId(id, fly = true) {
  const layer = layerOfId(id);
  if (layer === "alarms" && !store.find(id)) {
    // an older closed alarm, not in the snapshot (alarmfetch.js)
    fetchAlarm(id).then((f) => {
      if (f && !store.find(id)) store.put("alarms", id, f);
      if (store.find(id)) select(layer, id, fly);
    });
    return true;
  }
  if (!layer || !store.find(id)) return false;
  select(layer, id, fly);
  return true;
}

async function ackAlarm(id) {
  const res = await apiFetch(`${API}/alarms/${encodeURIComponent(id)}/ack`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ by: "值班员" }),
  });
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    try {
      msg = errorText(await res.json(), res.status);
    } catch {
      /* the status says enough */
    }
    throw new Error(msg);
  }
  // the alarm's new state arrives as a change on the stream
}

// ─── applying the stream ─────────────────────────────────────────────────

/** apply stores a feature (null: deletes it) and updates what shows it. */
function apply(layer, id, f) {
  if (layer === "park") {
    store.park = f;
    map.setPark(f);
    zones.drawWind();
    parkChanged = true;
    return;
  }
  const prev = store.put(layer, id, f);
  const cur = f || prev;
  if (!cur) return;
  const p = cur.properties || {};
  const pp = (prev && prev.properties) || {};
  switch (layer) {
    case "sensors":
      if (f) map.upsert(layer, id, f);
      else map.remove(layer, id);
      touchSubject(p.subject);
      if (pp.subject && pp.subject !== p.subject) touchSubject(pp.subject);
      break;
    case "alarms":
      if (f) map.upsert(layer, id, f);
      else map.remove(layer, id);
      touchSubject(p.subject);
      map.touch("sensors", p.sensor);
      if (pp.subject && pp.subject !== p.subject) touchSubject(pp.subject);
      alarms.touch(id);
      incidentAlert.alarm(id);
      alarmReview.refresh();
      break;
    case "orders":
      alarms.touch(p.alarm);
      if (pp.alarm && pp.alarm !== p.alarm) alarms.touch(pp.alarm);
      break;
    case "gradings":
      map.touch("hazard-units", p.unit);
      break;
    case "incidents":
      incidents.touch(id);
      incidentAlert.incident(id);
      break;
    default:
      if (!NOT_DRAWN.has(layer)) {
        if (f) map.upsert(layer, id, f);
        else map.remove(layer, id);
        labels.touch(layer);
      }
  }
  details.touch(layer, id, cur);
  worklist.touch(layer);
}

function touchSubject(subject) {
  if (!subject) return;
  const layer = layerOfId(subject);
  if (layer) map.touch(layer, subject);
}

/** featuresOf reads a snapshot layer: a FeatureCollection, or a list (chemicals). */
function featuresOf(layer, v) {
  if (!v) return [];
  if (Array.isArray(v)) {
    return v.map((c) => (c && c.type === "Feature" ? c : { type: "Feature", id: c.cas || c.id, geometry: null, properties: c }));
  }
  return v.features || [];
}

/** applySnapshot replaces the layers a snapshot holds, a batch at a time (a generator the pump drives). */
function* applySnapshot(msg) {
  const { zones: zoneLayer, readiness: readyLayer, ...layers } = msg.layers || {};
  if (readyLayer) {
    // The warehouses' readiness (a derived layer): kept apart from the features.
    store.readiness = new Map((readyLayer.warehouses || []).map((r) => [r.warehouse, r]));
  }
  if (msg.park) {
    store.park = msg.park;
    map.setPark(msg.park);
    parkChanged = true;
  }
  if (zoneLayer) zones.applySnapshot(zoneLayer);
  zones.drawWind();
  const names = Object.keys(layers);
  const feats = new Map(names.map((l) => [l, featuresOf(l, layers[l])]));
  if (!state.ready) map.hold(); // the first snapshot is drawn once, at its end
  let n = 0;
  // What the snapshot no longer holds goes.
  for (const [layer, fs] of feats) {
    const seen = new Set(fs.map((f) => String(f.id)));
    for (const id of [...store.layer(layer).keys()]) if (!seen.has(id)) apply(layer, id, null);
  }
  // First the data the drawn layers depend on (sensors, alarms, gradings…),
  // into the store; sensors and alarms are drawn later, in layer order.
  const first = [...DATA_FIRST.filter((l) => feats.has(l)), ...names.filter((l) => !DATA_FIRST.includes(l) && !LAYERS.includes(l))];
  for (const layer of first) {
    for (const f of feats.get(layer)) {
      const id = String(f.id);
      if (layer === "sensors" || layer === "alarms") {
        const prev = store.put(layer, id, f);
        const pp = prev && prev.properties;
        if (pp && pp.subject !== f.properties.subject) touchSubject(pp.subject);
        if (layer === "alarms") {
          alarms.touch(id);
          incidentAlert.alarm(id);
        }
      } else {
        apply(layer, id, f);
      }
      if (++n % SNAPSHOT_BATCH === 0) yield;
    }
  }
  // Then the map, bottom layer first.
  for (const layer of LAYERS) {
    if (!feats.has(layer)) continue;
    for (const f of feats.get(layer)) {
      const id = String(f.id);
      if (layer === "sensors" || layer === "alarms") {
        map.upsert(layer, id, f);
        touchSubject(f.properties.subject);
        if (layer === "alarms") map.touch("sensors", f.properties.sensor);
        details.touch(layer, id, f);
      } else {
        apply(layer, id, f);
      }
      if (++n % SNAPSHOT_BATCH === 0) yield;
    }
  }

  state.seq = msg.seq;
  setTime(msg.time);
  state.heardAt = performance.now();
  state.stats.snapshots++;
  alarms.touchAll();
  incidents.refresh(); // their names come from entities drawn after them
  incidentAlert.refresh();
  if (!state.ready) {
    yield* map.release(); // a layer at a time
    map.fitPark();
    clusters.rebuild();
    state.ready = true;
    incidentAlert.arm();
    document.body.classList.add("ready");
    document.body.dataset.ready = String(Math.round(performance.now()));
  }
}

function handle(msg) {
  switch (msg.type) {
    case "change":
      if (state.seq !== null && msg.seq <= state.seq) return; // seen already (a resume may replay)
      if (state.seq !== null && msg.seq > state.seq + 1) {
        state.stats.gaps++;
        console.warn(`stream: seq ${msg.seq} after ${state.seq}`);
      }
      state.seq = msg.seq;
      state.stats.changes++;
      apply(msg.layer, msg.id, msg.op === "deleted" ? null : msg.feature);
      break;
    case "values":
      for (const g = applyValues(msg); !g.next().done; ); // a small message: at once
      break;
    case "readiness":
      // A warehouse's readiness, whole: applied whatever its seq (as zones).
      if (!store.readiness) store.readiness = new Map();
      if (msg.op === "deleted") store.readiness.delete(msg.id);
      else store.readiness.set(msg.id, msg.readiness);
      details.touch("warehouses", msg.id, null);
      break;
    case "zones":
      // An incident's zones, whole: applied whatever its seq (it shares
      // the seq of the change it follows, and a resume may send it again).
      zones.applyMessage(msg);
      break;
    case "heartbeat":
      setTime(msg.time);
      state.heardAt = performance.now();
      break;
    case "subscribed":
      state.layers = msg.layers || null;
      break;
    default:
      break;
  }
}

/**
 * applyValues stores a values message's readings, VALUES_BATCH at a time
 * (a generator: the pump yields between batches; on the ×10 park one
 * message carries up to 12,729 values, one long task on a busy core).
 */
function* applyValues(msg) {
  state.stats.values++;
  setTime(msg.time);
  if (msg.time) state.heardAt = performance.now();
  let n = 0;
  for (const [id, v, tm] of msg.values || []) {
    const s = store.setValue(id, v, tm);
    if (s) {
      details.value(id);
      if (s.properties.type === "level" && layerOfId(s.properties.subject || "") === "tanks") map.touchFill(s.properties.subject);
    }
    if (++n % VALUES_BATCH === 0) yield;
  }
}

/** twinNow is the twin's time now (ms), reckoned from the last time the server told it, or null. */
function twinNow() {
  return state.time === null ? null : state.time + (performance.now() - state.timeAt) * state.rate;
}

function setTime(time) {
  const ms = Date.parse(time);
  if (!Number.isFinite(ms)) return;
  state.time = ms;
  state.timeAt = performance.now();
}

// The pump handles queued messages in order, within a budget per
// animation frame, then lets the views catch up once. A snapshot is a
// generator that yields between batches, so later messages wait behind it.
const queue = [];
let scheduled = false;

function enqueue(msg) {
  state.stats.messages++;
  if ((msg.type === "snapshot" || msg.type === "change") && typeof msg.seq === "number") {
    if (msg.type === "snapshot" || state.received === null || msg.seq > state.received) state.received = msg.seq;
  }
  if (msg.type === "snapshot" && !document.body.dataset.snapshot) document.body.dataset.snapshot = String(Math.round(performance.now()));
  if (msg.type === "snapshot") queue.push({ gen: applySnapshot(msg), snapshot: true });
  else if (msg.type === "values" && (msg.values || []).length > VALUES_BATCH) queue.push({ gen: applyValues(msg) });
  else queue.push({ msg });
  if (document.hidden) pump(Infinity); // no animation frames in a hidden tab: keep up anyway
  else schedule();
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    pump(state.ready ? FRAME_BUDGET_MS : LOAD_BUDGET_MS);
  });
}

function pump(budget) {
  const t0 = performance.now();
  while (queue.length) {
    const item = queue[0];
    try {
      if (item.gen) {
        if (item.gen.next().done) queue.shift();
      } else {
        queue.shift();
        handle(item.msg);
      }
    } catch (err) {
      console.error("console: a message could not be applied", err);
      if (item.gen && queue[0] === item) queue.shift();
    }
    if (performance.now() - t0 > budget) break;
  }
  const t1 = performance.now();
  clusters.flush();
  map.flush();
  const t2 = performance.now();
  // While a snapshot is still being applied the lists wait for its end:
  // sorting 10,000 alarms after every batch cost seconds on the ×10 park.
  if (!(queue.length && queue[0].snapshot)) {
    alarms.flush();
    incidents.flush();
    incidentAlert.flush();
    labels.flush();
    details.flush();
    flushWorklist();
  }
  updateCounts();
  updateStatus();
  const t3 = performance.now();
  const st = state.stats;
  st.pumpMaxMs = Math.max(st.pumpMaxMs, Math.round(t3 - t0));
  st.lastPump = { handleMs: +(t1 - t0).toFixed(1), mapMs: +(t2 - t1).toFixed(1), viewsMs: +(t3 - t2).toFixed(1) };
  if (parkChanged) {
    parkChanged = false;
    parkTitle();
  }
  if (queue.length) schedule();
}

// The worklist (worklist.js) redraws its whole list when its layer
// changes; on the ×10 park with 1,000 open orders that is a long task, so
// it redraws at most once a WORKLIST_EVERY_MS (a timer catches the last
// change when no message follows).
const WORKLIST_EVERY_MS = 1000;
let worklistAt = -Infinity;
let worklistTimer = null;
function flushWorklist() {
  const wait = WORKLIST_EVERY_MS - (performance.now() - worklistAt);
  if (wait > 0) {
    if (!worklistTimer) {
      worklistTimer = setTimeout(() => {
        worklistTimer = null;
        flushWorklist();
      }, wait);
    }
    return;
  }
  worklistAt = performance.now();
  worklist.flush();
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden && queue.length) schedule();
});

const stream = new Stream({
  onMessage: (msg) => {
    enqueue(msg);
  },
  onState: (s) => {
    if (s === "reconnecting" && state.connection === "live") state.stats.reconnects++;
    state.connection = s;
    updateStatus();
  },
  since: () => state.received,
});
stream.connect();

// ─── status bar ──────────────────────────────────────────────────────────

function updateStatus() {
  const conn = $("#status-conn");
  if (conn.dataset.state !== state.connection) {
    conn.dataset.state = state.connection;
  }
  conn.textContent = t("status." + state.connection);
  $("#status-seq").textContent = state.seq === null ? "—" : String(state.seq);
  const age = $("#status-age");
  if (state.heardAt) {
    const s = Math.max(0, Math.floor((performance.now() - state.heardAt) / 1000));
    age.dataset.age = String(s);
    age.textContent = t("status.age.value", { n: s });
    age.classList.toggle("stale", s > 15);
  } else {
    age.dataset.age = "";
    age.textContent = t("status.age.none");
  }
  const clock = $("#status-clock");
  if (state.time !== null) {
    const now = twinNow();
    clock.textContent = beijing(now);
    clock.dataset.time = new Date(now).toISOString();
  } else {
    clock.textContent = "—";
  }
}
setInterval(updateStatus, 1000);
updateStatus();

// ─── layer switches, enterprise fill, legend ─────────────────────────────

const countEls = new Map();
function buildLayerControl() {
  const box = $("#layers");
  box.replaceChildren();
  for (const layer of LAYERS) {
    const label = document.createElement("label");
    label.className = "layer";
    const cb = document.createElement("input");
    cb.type = "checkbox";
    cb.dataset.layer = layer;
    cb.id = `layer-${layer}`;
    cb.checked = map.visible.has(layer);
    cb.addEventListener("change", () => map.setVisible(layer, cb.checked));
    const sw = document.createElement("canvas");
    sw.className = "swatch";
    sw.width = sw.height = 16;
    drawSwatch(sw, layer);
    const name = document.createElement("span");
    name.className = "name";
    name.dataset.i18n = `layers.${layer}`;
    name.textContent = t(`layers.${layer}`);
    const count = document.createElement("span");
    count.className = "count";
    countEls.set(layer, count);
    label.append(cb, sw, name, count);
    box.append(label);
  }
  updateCounts();
}

let lastCounts = "";
function updateCounts() {
  const c = map.counts();
  const sig = JSON.stringify(c);
  if (sig === lastCounts) return;
  lastCounts = sig;
  for (const [layer, el] of countEls) el.textContent = String(c[layer] ?? 0);
}

/** drawSwatch draws a layer's symbol for the layer list and the legend. */
function drawSwatch(canvas, layer, opt = {}) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, x = w / 2, y = h / 2;
  ctx.clearRect(0, 0, w, h);
  const fillStroke = (fill, stroke, lw = 1) => {
    if (fill) {
      ctx.fillStyle = fill;
      ctx.fill();
    }
    if (stroke) {
      ctx.lineWidth = lw;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    }
  };
  ctx.beginPath();
  switch (opt.kind || layer) {
    case "park":
      ctx.rect(2, 3, w - 4, h - 6);
      fillStroke("#fbfcfd", "#1c6dd0", 2);
      break;
    case "enterprises":
      ctx.rect(2, 3, w - 4, h - 6);
      fillStroke(opt.color ? opt.color + "66" : "#4263eb55", "#5c6975");
      break;
    case "roads":
      ctx.moveTo(1, h - 4);
      ctx.lineTo(w - 1, 4);
      fillStroke(null, opt.color || "#8a96a3", opt.width || 3);
      break;
    case "hazard-units":
      ctx.rect(2, 3, w - 4, h - 6);
      fillStroke("#ffffff", opt.color || "#c92a2a", 2);
      break;
    case "waste-stores":
      ctx.rect(3, 4, w - 6, h - 8);
      fillStroke("#b07a4f", "#7a4b2a");
      break;
    case "sewage-pools":
      paintSymbol(ctx, x, y, 4.5, { shape: "square", color: "#145a8d", weight: 1, fillColor: "#74c0fc", fillOpacity: 1 });
      break;
    case "tanks":
      paintSymbol(ctx, x, y, opt.shape === "capsule" ? 4.5 : 5, {
        shape: opt.shape || "circle", deco: opt.deco || "", color: "#1f2f3f", weight: 1,
        fillColor: opt.color || TANK_NORMAL, fillOpacity: 1, ring: opt.ring ?? null,
      });
      break;
    case "sensors":
      paintSymbol(ctx, x, y, 3, { shape: "circle", color: "#343a40", weight: 0.5, fillColor: "#495057", fillOpacity: 1 });
      break;
    case "warehouses":
      paintSymbol(ctx, x, y, 5.5, { shape: "diamond", color: "#3b1f8f", weight: 1.2, fillColor: "#845ef7", fillOpacity: 1 });
      break;
    case "targets":
      paintSymbol(ctx, x, y, 6, { shape: "star", color: "#7a1d3f", weight: 1, fillColor: "#e64980", fillOpacity: 1 });
      break;
    case "teams":
      paintSymbol(ctx, x, y + 1, 6, { shape: "triangle", color: "#1b2a38", weight: 1.2, fillColor: opt.color || STATUS_COLORS.available, fillOpacity: 1 });
      break;
    case "vehicles":
      paintSymbol(ctx, x, y, 3.5, { shape: "circle", color: "#1b2a38", weight: 0.8, fillColor: opt.color || STATUS_COLORS.available, fillOpacity: 1 });
      break;
    case "alarms":
      paintSymbol(ctx, x, y, 6, { shape: "circle", color: opt.color || ALARM_COLORS.red, weight: 2.5, fillColor: opt.color || ALARM_COLORS.red, fillOpacity: 0.2 });
      break;
    case "dash":
      ctx.setLineDash([4, 3]);
      ctx.moveTo(1, y);
      ctx.lineTo(w - 1, y);
      fillStroke(null, opt.color, 2);
      break;
    case "line":
      ctx.moveTo(1, y);
      ctx.lineTo(w - 1, y);
      fillStroke(null, opt.color, 2.5);
      break;
  }
}

function buildLegend() {
  const box = $("#legend");
  box.replaceChildren();
  const group = (titleKey) => {
    const g = document.createElement("div");
    g.className = "legend-group";
    if (titleKey) {
      const h = document.createElement("div");
      h.className = "legend-title";
      h.textContent = t(titleKey);
      g.append(h);
    }
    box.append(g);
    return g;
  };
  const item = (g, label, layer, opt) => {
    const d = document.createElement("div");
    d.className = "legend-item";
    const c = document.createElement("canvas");
    c.width = c.height = 16;
    c.className = "swatch";
    drawSwatch(c, layer, opt);
    const s = document.createElement("span");
    s.textContent = label;
    d.append(c, s);
    g.append(d);
  };
  let g = group("layers.enterprises");
  if (map.enterpriseMode === "code") {
    for (const [k, c] of Object.entries(SAFETY_COLORS)) item(g, t("enum.safetyCode." + k), "enterprises", { color: c });
  } else {
    for (const [k, c] of Object.entries(GRADE_COLORS)) item(g, t("enum.grade." + k), "enterprises", { color: c });
  }
  g = group("layers.tanks");
  for (const [k, s] of Object.entries(TANK_SHAPES)) item(g, t("enum.tankType." + k), "tanks", { shape: s.shape, deco: s.deco });
  item(g, t("legend.tank.normal"), "tanks", { color: TANK_NORMAL });
  for (const [k, c] of Object.entries(ALARM_COLORS)) item(g, t("enum.alarmLevel." + k), "tanks", { color: c });
  item(g, t("legend.fill"), "tanks", { color: TANK_NORMAL, ring: 0.65 });
  g = group("legend.mhu");
  for (const lvl of [1, 2, 3, 4]) item(g, t("level.grading", { n: lvl }), "hazard-units", { color: GRADING_COLORS[lvl] });
  g = group("layers.teams");
  for (const [k, c] of Object.entries(STATUS_COLORS)) item(g, t("enum.status." + k), "teams", { color: c });
  g = group(null);
  item(g, t("legend.boundary"), "line", { kind: "line", color: "#1c6dd0" });
  item(g, t("legend.controlLine"), "dash", { kind: "dash", color: "#e8590c" });
  item(g, t("legend.shoreline"), "line", { kind: "line", color: "#4a90c2" });
  item(g, t("legend.closedRoad"), "dash", { kind: "dash", color: "#e03131" });
  g = group("zones.legend");
  item(g, t("zones.kind.isolation"), "enterprises", { color: ZONE_COLORS.isolation });
  item(g, t("zones.kind.protective-action"), "enterprises", { color: ZONE_COLORS["protective-action"] });
  for (const e of ["AEGL-3", "AEGL-2", "AEGL-1"]) item(g, `${t("zones.kind.toxic")} ${e}`, "enterprises", { color: ZONE_COLORS.toxic[e] });
  item(g, `${t("zones.kind.thermal")} 37.5 / 12.5 / 5 kW/m²`, "enterprises", { color: ZONE_COLORS.thermal[1] });
  item(g, `${t("zones.kind.overpressure")} 20.7 / 13.8 / 3.5 kPa`, "enterprises", { color: ZONE_COLORS.overpressure[1] });
  item(g, `${t("zones.kind.flammable")} ½ LFL`, "enterprises", { color: ZONE_COLORS.flammable });
  item(g, t("zones.legend.hot"), "line", { kind: "line", color: ZONE_COLORS.isolation });
}

function setFillMode(mode) {
  map.setEnterpriseMode(mode);
  $("#fill-grade").setAttribute("aria-pressed", String(map.enterpriseMode === "grade"));
  $("#fill-code").setAttribute("aria-pressed", String(map.enterpriseMode === "code"));
  try {
    localStorage.setItem("parktwin.fill", map.enterpriseMode);
  } catch {
    /* not remembered */
  }
  buildLegend();
}
$("#fill-grade").addEventListener("click", () => setFillMode("grade"));
$("#fill-code").addEventListener("click", () => setFillMode("code"));

buildLayerControl();
let savedFill = "grade";
try {
  savedFill = localStorage.getItem("parktwin.fill") || "grade";
} catch {
  /* the default then */
}
setFillMode(savedFill);

// ─── language ────────────────────────────────────────────────────────────

function parkTitle() {
  const p = store.park && (store.park.properties || store.park);
  const name = p ? (lang() === "en" ? p.nameEn || p.name : p.name) : "";
  $("#park-name").textContent = name || t("app.subtitle");
  // A sandbox says so on every screen: nothing done here reaches the live
  // park. Until the page knows whether it is a drill or a replay it says
  // just that, so that a replay is never called an exercise.
  const banner = $("#exercise-banner");
  const plain = drill.isDrill === false && replay.isReplay === false;
  banner.hidden = TWIN === "live";
  banner.textContent = banner.hidden ? "" : replay.banner() || drill.banner() || t(plain ? "exercise.banner" : "twin.banner", { id: TWIN });
}
// A drill: its player, checklist and messages; its clock runs at its speed.
const drill = new DrillPanel({
  twin: TWIN,
  onView: (v) => {
    setTime(v.now);
    state.rate = v.state === "playing" ? v.speed : 0; // speed 0 (as fast as possible): the polls tell the time
    parkTitle();
    updateStatus();
  },
});
drill.start().then(parkTitle);
// A replay: its bar; its clock runs at its speed.
const replay = new ReplayPanel({
  twin: TWIN,
  onView: (v) => {
    setTime(v.time);
    state.rate = v.state === "playing" ? v.speed : 0;
    parkTitle();
    updateStatus();
  },
});
replay.start().then(parkTitle);

$("#lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));
window.addEventListener("langchange", () => {
  buildLegend();
  parkTitle();
  schedule(); // the alarm list and the rest redraw in the next frame
});
parkTitle();

// ─── hooks ───────────────────────────────────────────────────────────────

window.parktwin = {
  get ready() {
    return state.ready;
  },
  get seq() {
    return state.seq;
  },
  get connection() {
    return state.connection;
  },
  get lang() {
    return lang();
  },
  counts: () => map.counts(),
  tankColor: (id) => map.fillColor("tanks", id),
  select: (id) => selectId(id, true),
  pointOf: (id) => {
    const layer = layerOfId(id);
    return layer ? map.pagePoint(layer, id) : null;
  },
  setLang: (l) => setLang(l),
  stats: () => ({ ...state.stats, queued: queue.length }),
  incidents: () => incidents.list(),
  planShown: () => incidents.planShown(),
  routeCount: () => incidents.routeLines,
  zones: () => zones.list(),
  zoneCount: () => zones.count(),
  wind: () => zones.windShown(),
  stagingShown: () => incidents.stagingShown(),
  unitPositions: () => incidents.unitPositions(),
  unitPoint: (vid) => incidents.unitPoint(vid),
  now: () => twinNow(),
  drill: () => drill.view,
  get isDrill() {
    return drill.isDrill;
  },
  replay: () => replay.view,
  get isReplay() {
    return replay.isReplay;
  },
  feature: (layer, id) => store.get(layer, id),
  alerts: () => incidentAlert.stats(),
  clusters: () => clusters.stats(),
  canvas: () => ({ ...map.renderer.stats }),
  labels: () => labels.shown(),
  view: () => {
    const c = map.map.getCenter(), b = map.map.getBounds();
    return { zoom: map.map.getZoom(), center: [c.lng, c.lat], bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
  },
  setView: (lon, lat, zoom) => {
    // A zoom animation under way would swallow it (Leaflet 1.9 ignores a
    // new view while _animatingZoom): end that one now, then move.
    if (map.map._animatingZoom) map.map._onZoomTransitionEnd();
    map.map.setView([lat, lon], zoom, { animate: false });
  },
  twin: TWIN,
};
