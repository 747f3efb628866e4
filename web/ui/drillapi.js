// drillapi.js — the drills API. Scenarios and drills live at the root
// (/api/v1/scenarios, /api/v1/drills), whichever twin a page shows: a
// drill's own park is served under /api/v1/twins/{id}/ like any sandbox.

import { errorText } from "./msg.js";
import { apiFetch } from "./api.js";

const ROOT = "/api/v1";

/** ApiError is a refused request: the HTTP status and the server's error body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(errorText(body, status));
    this.status = status;
    this.body = body || {};
  }
}

/** call sends a request to the root API and returns its JSON answer (null without one); a refusal throws an ApiError. */
export async function call(method, path, body, type = "application/json") {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = type;
    init.body = type === "application/json" ? JSON.stringify(body) : body;
  }
  const res = await apiFetch(ROOT + path, init);
  let data = null;
  try {
    data = await res.json();
  } catch {
    /* no JSON body: the status says enough */
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

const drillPath = (id) => `/drills/${encodeURIComponent(id)}`;

/** scenarios lists the built-in and uploaded scenarios. */
export const scenarios = async () => (await call("GET", "/scenarios")).scenarios || [];

/** upload posts a scenario's YAML; a 422 ApiError names the line and field. */
export const upload = (yaml) => call("POST", "/scenarios", yaml, "application/yaml");

/** start starts a drill of a scenario and returns its DrillView. */
export const start = (scenario) => call("POST", "/drills", { scenario });

/** drills lists the drills. */
export const drills = async () => (await call("GET", "/drills")).drills || [];

/** drill returns one drill's DrillView, or null when there is no such drill. */
export async function drill(id) {
  try {
    return await call("GET", drillPath(id));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** control plays, pauses, steps, seeks or stops a drill and returns its DrillView. */
export const control = (id, body) => call("POST", drillPath(id) + "/control", body);

/** reportURL is where a drill's after-action report is: format "html", "pdf" or "json", lang "zh-CN" or "en". */
export function reportURL(id, format, lang) {
  const q = new URLSearchParams();
  if (format !== "json") q.set("format", format);
  if (lang === "en") q.set("lang", "en"); // the report's labels; Chinese by default
  const qs = q.toString();
  return `${ROOT}${drillPath(id)}/report${qs ? "?" + qs : ""}`;
}

/** consoleURL is where a drill's console is. */
export const consoleURL = (id) => `/twins/${encodeURIComponent(id)}/`;

/** iso writes seconds as an ISO 8601 duration ("PT25M", "PT1H30S"), as control's "to" takes it. */
export function iso(s) {
  s = Math.max(0, Math.round(s));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return `PT${h ? h + "H" : ""}${m ? m + "M" : ""}${sec || (!h && !m) ? sec + "S" : ""}`;
}
