// replayapi.js — the replays API (复盘). Replays live at the root
// (/api/v1/replays), whichever twin a page shows; a replay's own park is
// served read-only under /api/v1/twins/{id}/ and its console at /twins/{id}/.

import { apiFetch } from "./api.js";
import { call, ApiError } from "./drillapi.js";

const replayPath = (id) => `/replays/${encodeURIComponent(id)}`;

/** open opens a replay of the live journal from one time to another (ms or RFC 3339) and returns its ReplayState. */
export const open = (from, to) => call("POST", "/replays", { from: rfc3339(from), to: rfc3339(to) });

/** replays lists the open replays. */
export const replays = async () => (await call("GET", "/replays")) || [];

/** replay returns one replay's ReplayState, or null when there is no such replay. */
export async function replay(id) {
  try {
    return await call("GET", replayPath(id));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** control plays, pauses, steps, seeks or stops a replay and returns its ReplayState. */
export const control = (id, body) => call("POST", replayPath(id) + "/control", body);

/**
 * scenario makes a scenario of the replay, named id, and returns its YAML.
 * The server adds it to the drills' library at once.
 */
export async function scenario(id, scenarioID) {
  const res = await apiFetch(`/api/v1${replayPath(id)}/scenario`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/yaml, application/json" },
    body: JSON.stringify({ id: scenarioID }),
  });
  const text = await res.text();
  if (!res.ok) {
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* no JSON body: the status says enough */
    }
    throw new ApiError(res.status, body);
  }
  return text;
}

/** reportURL is where a replay's after-action report is: format "html", "pdf" or "json", lang "zh-CN" or "en". */
export function reportURL(id, format, lang) {
  const q = new URLSearchParams();
  if (format !== "json") q.set("format", format);
  if (lang === "en") q.set("lang", "en");
  const qs = q.toString();
  return `/api/v1${replayPath(id)}/report${qs ? "?" + qs : ""}`;
}

/** rfc3339 writes a time (ms or text) as the API reads it. */
export const rfc3339 = (time) => (typeof time === "number" ? new Date(time).toISOString() : time);
