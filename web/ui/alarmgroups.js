// alarmgroups.js — how the alarm list is arranged (ISA-18.2 / EEMUA 191
// alarm management): which alarms are shelved, whether the alarms arriving
// make a flood, and in a flood the open alarms grouped by enterprise and
// cause, the highest priority first inside and across the groups. The
// rules (flood threshold and window) come from GET /api/v1/alarm-rules,
// the monitoring rules' alarmManagement.
//
// Outside a flood the open alarms go highest priority first, then newest,
// and the closed ones after them, newest first.
//
// arrange returns rows for the list: {kind: "group", key, n, level,
// enterprise, condition} and {kind: "alarm", id, f, group}; alarm rows of
// a group follow its header.

// Priority of a level: red first.
export const LEVEL_RANK = { red: 1, orange: 2, yellow: 3, blue: 4 };
const rank = (f) => LEVEL_RANK[f.properties.level] || 9;

// A feature's times parsed once: the list's timer reads every alarm's
// every 2 s (10,000 Date.parse a turn on the ×10 park's history). A
// change brings a new feature object, and so a new entry.
const raisedMs = new WeakMap();
function raised(f) {
  let at = raisedMs.get(f);
  if (at === undefined) {
    at = Date.parse(f.properties.raisedAt);
    raisedMs.set(f, at);
  }
  return at;
}

/** shelvedAt reports whether alarm feature f is shelved at now (ms). */
export function shelvedAt(f, now) {
  const u = f.properties.shelvedUntil;
  return !!u && Date.parse(u) > now;
}

/** recentCount counts the alarms raised within windowMs before now. */
export function recentCount(alarms, now, windowMs) {
  let n = 0;
  for (const f of alarms.values()) {
    const at = raised(f);
    if (now - at < windowMs && at <= now + 60000) n++;
  }
  return n;
}

// newest first, then by ID (newest ID first), as the list has always been
const newest = (a, b) => {
  const x = a[1].properties.raisedAt, y = b[1].properties.raisedAt;
  return x < y ? 1 : x > y ? -1 : a[0] < b[0] ? 1 : -1;
};
const priority = (a, b) => rank(a[1]) - rank(b[1]) || newest(a, b);

/**
 * arrange orders the alarms for the list.
 * @param {Map<string, any>} alarms  alarm ID → GeoJSON feature
 * @param {{now: number, rules: any, closedShown: number}} o
 * @returns {{flood: boolean, recent: number, rows: any[]}}
 */
export function arrange(alarms, { now, rules, closedShown }) {
  const open = [], closed = [], shelved = [];
  for (const [id, f] of alarms) {
    if (f.properties.state === "closed") closed.push([id, f]);
    else if (shelvedAt(f, now)) shelved.push([id, f]);
    else open.push([id, f]);
  }
  closed.sort(newest);
  const recent = rules ? recentCount(alarms, now, rules.floodWindowS * 1000) : 0;
  const flood = !!rules && recent > rules.floodThreshold;
  const rows = [];
  if (!flood) {
    // highest priority first, then newest (EEMUA 191's alarm list): a
    // gateway's blue comm-lost alarms never bury an orange one; the
    // closed ones after, newest first
    for (const [id, f] of open.sort(priority)) rows.push({ kind: "alarm", id, f, group: "" });
    for (const [id, f] of closed.slice(0, closedShown)) rows.push({ kind: "alarm", id, f, group: "" });
  } else {
    const groups = new Map();
    for (const x of open) {
      const p = x[1].properties;
      const key = `${p.enterprise || "-"}|${p.condition}`;
      if (!groups.has(key)) groups.set(key, { kind: "group", key, enterprise: p.enterprise || "", condition: p.condition, items: [] });
      groups.get(key).items.push(x);
    }
    const gs = [...groups.values()];
    for (const g of gs) {
      g.items.sort(priority);
      g.n = g.items.length;
      g.level = g.items[0][1].properties.level;
    }
    gs.sort((a, b) => priority(a.items[0], b.items[0]) || (a.key < b.key ? -1 : 1));
    for (const g of gs) {
      rows.push(g);
      for (const [id, f] of g.items) rows.push({ kind: "alarm", id, f, group: g.key });
    }
    for (const [id, f] of closed.slice(0, closedShown)) rows.push({ kind: "alarm", id, f, group: "" });
  }
  if (shelved.length) {
    shelved.sort((a, b) => (a[1].properties.shelvedUntil < b[1].properties.shelvedUntil ? -1 : 1));
    rows.push({ kind: "group", key: "shelved", n: shelved.length, level: "", shelved: true });
    for (const [id, f] of shelved) rows.push({ kind: "alarm", id, f, group: "shelved" });
  }
  return { flood, recent, rows, open: open.length + shelved.length };
}
