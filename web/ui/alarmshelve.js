// alarmshelve.js — shelving an alarm from the list (ISA-18.2 shelving):
// the 搁置 button's form, a duration from the choices (none longer than
// the rules' shelving.maxDuration) and a reason, required; it calls
// POST …/alarms/{id}/shelve. The server brings the alarm back when the
// time is up; a shelved alarm shows when that will be.
//
// Element hooks: li[data-id] button.shelve; form.shelve-form with
// select[name=durationS], input[name=reason], button[type=submit],
// button.cancel, .error; a shelved alarm's .shelved-until (time) marker,
// and .shelve-returned on one that came back while the page was open.

import { errorText } from "./msg.js";
import { t, beijing, span } from "./i18n.js";
import { el } from "./dom.js";
import { API, apiFetch } from "./api.js";

// The durations offered, in seconds; 1 h is chosen first.
const CHOICES = [900, 1800, 3600, 7200, 14400, 28800];
const DEFAULT_S = 3600;

/**
 * shelveForm makes the form of alarm id from its state {durationS,
 * reason, error, busy}; maxS bounds the choices.
 */
export function shelveForm(st, maxS) {
  const form = el("form", "shelve-form");
  const dur = el("select");
  dur.name = "durationS";
  for (const s of CHOICES.filter((s) => !maxS || s <= maxS)) {
    const o = el("option", "", span(s));
    o.value = String(s);
    if (s === (st.durationS || DEFAULT_S)) o.selected = true;
    dur.append(o);
  }
  const reason = el("input");
  reason.name = "reason";
  reason.type = "text";
  reason.required = true;
  reason.maxLength = 200;
  reason.autocomplete = "off";
  reason.placeholder = t("alarms.shelve.reason.placeholder");
  reason.value = st.reason || "";
  const l1 = el("label", "", t("alarms.shelve.duration") + " ");
  l1.append(dur);
  const l2 = el("label", "", t("alarms.shelve.reason") + " ");
  l2.append(reason);
  const ok = el("button", "primary", st.busy ? "…" : t("alarms.shelve.submit"));
  ok.type = "submit";
  ok.disabled = !!st.busy;
  const cancel = el("button", "btn cancel", t("alarms.shelve.cancel"));
  cancel.type = "button";
  form.append(l1, l2, ok, cancel);
  if (st.error) form.append(el("div", "error", st.error));
  return form;
}

/** shelvedMarker shows until when an alarm is shelved, by whom and why. */
export function shelvedMarker(p) {
  const m = el("time", "badge shelved-until", t("alarms.shelved.until", { at: beijing(p.shelvedUntil, "short") }));
  m.dateTime = p.shelvedUntil;
  m.title = t("alarms.shelved.title", { by: p.shelvedBy || "—", reason: p.shelveReason || "—" });
  return m;
}

/** returnedMarker marks an alarm whose shelving ran out while the page was open. */
export function returnedMarker() {
  const m = el("span", "badge shelve-returned", t("alarms.shelve.returned"));
  m.title = t("alarms.shelve.returned.title");
  return m;
}

/** shelveAlarm asks the server to shelve alarm id for durationS with a reason. */
export async function shelveAlarm(id, durationS, reason) {
  const res = await apiFetch(`${API}/alarms/${encodeURIComponent(id)}/shelve`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ durationS, reason }),
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

/** loadAlarmRules gives the list the alarm-management rules, trying again while the server is away. */
export async function loadAlarmRules(list, wait = 2000) {
  try {
    const res = await apiFetch(`${API}/alarm-rules`);
    if (res.ok) {
      list.setRules(await res.json());
      return;
    }
    if (res.status < 500) return; // a server without monitoring (404), or a replay: no floods to see
  } catch {
    /* away: try again */
  }
  setTimeout(() => loadAlarmRules(list, Math.min(wait * 2, 30000)), wait);
}
