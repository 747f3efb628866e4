// alarmfetch.js — an alarm the stream's snapshot left out. The snapshot
// carries every alarm not closed and only the latest closed ones
// (docs/stream.md); an older closed alarm the page is asked to show (a
// link from an order, an incident, the search) is read from
// GET …/alarms/{id} once and put in the store.

import { API, apiFetch } from "./api.js";

/** fetchAlarm reads one alarm's GeoJSON feature; null when there is none (or the link is down). */
export async function fetchAlarm(id) {
  try {
    const res = await apiFetch(`${API}/alarms/${encodeURIComponent(id)}`);
    if (!res.ok) return null;
    const f = await res.json();
    return f && f.properties ? f : null;
  } catch {
    return null;
  }
}
