// handover.js — the shift handover page (交接班, /ui/handover.html): draft
// the record of the shift (the server reads the summary from the park),
// read it, sign it as the outgoing officer, have the incoming officer log
// in and sign it, print it. The signer is whoever is logged in: the page
// sends no name. Signed by both, the record is shown sealed.
//
// ─── Hooks for automated browser tests ───────────────────────────────────
//
// window.parktwin.handoverPage:
//   ready       true once the list has been read
//   loads       how many times a record was read and shown
//   record()    the record shown, as the API gave it (a Feature), or null
//   defaultStart(ms)  the shift start the form offers when drafting at ms
//               (the rules' shifts; "" before they are read)
// Element ids: #draft-form (shiftStart, notes; [data-default=rules] once the
//   start comes from the rules), #handover-list tbody tr[data-id],
//   #record-… tbody tr[data-id] (td.named: the name, .id the id under it;
//   tr[data-shelved=true] with .shelved for an alarm shelved at the shift's end),
//   #record[data-id][data-state] (draft, outgoing-signed, signed), #sig-outgoing and
//   #sig-incoming (.who, .when, button.sign), #switch-user, #print, #sign-result.
// ?id=HO-00001 in the page's URL opens that record.

import { API, ME, apiFetch, loginURL } from "./api.js";
import { shiftStartAt } from "./shifts.js";
import { t, lang, setLang, applyI18n, beijing, beijingInput, fromBeijing, enumText } from "./i18n.js";
import { el } from "./dom.js";
import { known, msgText, errorText } from "./msg.js";
import { can } from "./can.js";

const $ = (s) => document.querySelector(s);
const page = { ready: false, loads: 0, record: null, list: [] };
window.parktwin = Object.assign(window.parktwin || {}, {
  handoverPage: {
    get ready() { return page.ready; },
    get loads() { return page.loads; },
    record: () => page.record && JSON.parse(JSON.stringify(page.record)),
    defaultStart: (ms) => (page.shifts ? beijingInput(shiftStartAt(ms, page.shifts, HANDOVER_GRACE_MS)) : ""),
  },
});

applyI18n(document);

async function getJSON(url, init) {
  const res = await apiFetch(url, { headers: { Accept: "application/json" }, ...init });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(errorText(body, res.status)), { status: res.status });
  return body;
}

function showError(e) {
  const box = $("#handover-error");
  box.textContent = e ? t("handover.failed", { msg: e.message }) : "";
  box.hidden = !e;
}

/** stateOf is where a record stands: draft, outgoing-signed or signed. */
function stateOf(p) {
  if (p.incoming) return "signed";
  if (p.outgoing) return "outgoing-signed";
  return "draft";
}

async function loadList() {
  try {
    const fc = await getJSON(`${API}/handovers`);
    page.list = fc.features.slice().sort((a, b) => b.id.localeCompare(a.id));
    showError(null);
  } catch (e) {
    showError(e);
    // Not a duty officer's or a commander's session: nothing here is its to do.
    if (e.status === 403) {
      $("#draft").hidden = $("#list").hidden = true;
      showError(new Error(t("handover.forbidden")));
    }
  }
  renderList();
  page.ready = true;
}

function renderList() {
  const tbody = $("#handover-list tbody");
  tbody.replaceChildren();
  for (const f of page.list) {
    const p = f.properties;
    const tr = el("tr");
    tr.dataset.id = f.id;
    if (page.record && page.record.id === f.id) tr.className = "open";
    tr.append(el("td", "", f.id), el("td", "time", `${beijing(p.shiftStart, "short")} – ${beijing(p.shiftEnd, "short")}`),
      el("td", "", p.outgoing ? p.outgoing.user : "—"), el("td", "", p.incoming ? p.incoming.user : "—"),
      el("td", "", t(`handover.state.${stateOf(p)}`)));
    tr.addEventListener("click", () => openRecord(f.id));
    tbody.append(tr);
  }
  $("#handover-empty").hidden = page.list.length > 0;
}

async function openRecord(id) {
  try {
    page.record = await getJSON(`${API}/handovers/${encodeURIComponent(id)}`);
    showError(null);
  } catch (e) {
    showError(e);
    return;
  }
  const u = new URL(location.href);
  u.searchParams.set("id", id);
  history.replaceState(null, "", u);
  renderRecord();
  renderList();
  page.loads++;
}

/** items makes a table of a summary's list, with "and n more" under it. */
function items(list, cols) {
  const box = document.createDocumentFragment();
  if (!list.total) {
    box.append(el("p", "hint", t("handover.none")));
    return box;
  }
  const tbl = el("table", "live");
  const hr = el("tr");
  for (const c of cols) hr.append(el("th", "", t(`handover.col.${c}`)));
  tbl.append(el("thead"));
  tbl.firstChild.append(hr);
  const body = el("tbody");
  for (const it of list.items) {
    const tr = el("tr");
    tr.dataset.id = it.id;
    if (it.level) tr.classList.add(`level-${it.level}`);
    if (it.shelvedUntil) tr.dataset.shelved = "true";
    for (const c of cols) {
      const v = cell(c, it);
      const td = el("td", c === "at" || c === "due" ? "time" : "");
      td.append(v);
      tr.append(td);
    }
    body.append(tr);
  }
  tbl.append(body);
  box.append(tbl);
  if (list.total > list.items.length) box.append(el("p", "more", t("handover.more", { n: list.total - list.items.length })));
  return box;
}

let kindOf = ""; // the kind of the list being drawn, for its enumerations

/** named shows an entity's name, its id small under it and as the title; the id alone when it has no name. */
function named(id, name) {
  if (!id) return "—";
  if (!name) return id;
  const box = el("span", "named", name);
  box.title = id;
  box.append(el("small", "id", id));
  return box;
}

function cell(col, it) {
  switch (col) {
    case "enterprise":
      return named(it.enterprise, it.enterpriseName);
    case "subject":
      return named(it.subject, it.subjectName);
    case "at":
    case "due":
      return it[col] ? beijing(it[col], "short") : "—";
    case "state": {
      if (kindOf === "danger") return t(`handover.danger.${it.state}`);
      const st = enumText(kindOf, "state", it.state);
      if (!it.shelvedUntil) return st;
      // Shelved at the shift's end (ISA-18.2): the incoming officer sees until when, by whom, why.
      const box = el("span", "", st);
      const mark = el("span", "shelved", t("handover.shelvedUntil", { until: beijing(it.shelvedUntil, "short") }));
      mark.title = t("handover.shelved.title", { by: it.shelvedBy || "—", reason: it.shelveReason || "—" });
      box.append(mark);
      return box;
    }
    case "type":
      if (kindOf === "task") return t(`handover.task.${it.type}`);
      return enumText(kindOf, "type", it.type);
    case "level":
      return it.level ? enumText(kindOf, "level", it.level) : "—";
    case "reason":
      return known(it.reasonMsg) ? msgText(it.reasonMsg) : it.reason || "—";
    default:
      return it[col] || "—";
  }
}

function section(host, kind, list, cols) {
  kindOf = kind;
  $(host).replaceChildren(items(list, cols));
}

function renderRecord() {
  const f = page.record;
  const box = $("#record");
  if (!f) {
    box.hidden = true;
    return;
  }
  const p = f.properties;
  box.hidden = false;
  box.dataset.id = f.id;
  box.dataset.state = stateOf(p);
  $("#record-title").textContent = t("handover.recordTitle", { id: f.id });
  $("#record-shift").textContent = `${beijing(p.shiftStart)} – ${beijing(p.shiftEnd)}`;
  $("#record-drafted").textContent = p.draftedBy;
  const a = p.summary.alarms;
  $("#record-alarms").textContent = t("handover.alarmCounts", { raised: a.raised, closed: a.closed, open: a.open.total });
  section("#record-open-alarms", "alarm", a.open, ["id", "level", "state", "enterprise", "subject", "at"]);
  section("#record-incidents", "incident", p.summary.incidents, ["id", "type", "level", "state", "enterprise", "subject", "at"]);
  section("#record-orders", "order", p.summary.orders, ["id", "level", "state", "enterprise", "at", "due"]);
  section("#record-dangers", "danger", p.summary.dangers, ["id", "state", "enterprise", "subject", "due"]);
  section("#record-tasks", "task", p.summary.tasks, ["id", "type", "subject", "reason", "at"]);
  $("#record-notes").textContent = p.notes || t("handover.noNotes");

  const sig = (id, s, canSign) => {
    const root = $(id);
    root.querySelector(".who").textContent = s ? s.user : "";
    root.querySelector(".when").textContent = s ? beijing(s.at) : "";
    root.dataset.signed = s ? "true" : "false";
    root.querySelector("button.sign").hidden = !canSign || !can("POST", "/api/v1/handovers/{id}/sign");
  };
  const out = p.outgoing, inc = p.incoming;
  sig("#sig-outgoing", out, !out && p.draftedBy === ME.user); // the drafter signs out (twin/handover.go)
  sig("#sig-incoming", inc, !!out && !inc && out.user !== ME.user);
  $("#sig-incoming .switch").hidden = !(out && !inc && out.user === ME.user);
  $("#record-sealed").hidden = !(out && inc);
}

async function sign() {
  const f = page.record;
  const res = $("#sign-result");
  res.hidden = true;
  try {
    page.record = await getJSON(`${API}/handovers/${encodeURIComponent(f.id)}/sign`, { method: "POST" });
    res.className = "msg ok no-print";
    res.textContent = t("handover.signed");
    res.dataset.result = "ok";
  } catch (e) {
    res.className = "msg error no-print";
    res.textContent = t("handover.signFailed", { msg: e.message });
    res.dataset.result = "error";
  }
  res.hidden = false;
  renderRecord();
  await loadList();
  page.loads++;
}

// HANDOVER_GRACE_MS: a record drafted within this long after a shift
// began is the previous shift's (the outgoing officer writes it up over
// the change of shift). Ours, no standard.
const HANDOVER_GRACE_MS = 60 * 60 * 1000;

/** fillStart offers the start of the shift being handed over, from the rules' shifts (alarmManagement.shifts). */
async function fillStart() {
  const input = $("#draft-form").elements.shiftStart;
  try {
    const r = await getJSON(`${API}/alarm-rules`);
    if (!r.shifts || !r.shifts.length) throw new Error("no shifts");
    page.shifts = r.shifts;
  } catch {
    // No rules to read: eight hours back on the hour, as a guess to correct.
    const ms = Date.now() - 8 * 3600 * 1000;
    if (!input.value) input.value = beijingInput(ms - (ms % (3600 * 1000)));
    return;
  }
  if (!input.dataset.touched) {
    input.value = beijingInput(shiftStartAt(Date.now(), page.shifts, HANDOVER_GRACE_MS));
    $("#draft-form").dataset.default = "rules";
  }
}

$("#draft-form").elements.shiftStart.addEventListener("input", (ev) => { ev.target.dataset.touched = "true"; });
$("#draft").hidden = !can("POST", "/api/v1/handovers"); // drafting is the duty's (can.js)
$("#draft-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const ms = fromBeijing(form.elements.shiftStart.value);
  if (!Number.isFinite(ms)) {
    showError(new Error(t("handover.badStart")));
    return;
  }
  const body = { shiftStart: new Date(ms).toISOString().replace(/\.\d+Z$/, "Z"), notes: form.elements.notes.value };
  try {
    const f = await getJSON(`${API}/handovers`, {
      method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", Accept: "application/json" },
    });
    form.elements.notes.value = "";
    await loadList();
    await openRecord(f.id);
  } catch (e) {
    showError(e);
  }
});
for (const b of document.querySelectorAll("#record button.sign")) b.addEventListener("click", sign);
$("#print").addEventListener("click", () => window.print());
$("#switch-user").addEventListener("click", async () => {
  try {
    await apiFetch("/api/v1/logout", { method: "POST" });
  } finally {
    location.replace(loginURL()); // back to this record once the incoming officer has logged in
  }
});
$("#lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));
window.addEventListener("langchange", () => {
  renderList();
  renderRecord();
});

const first = new URLSearchParams(location.search).get("id");
fillStart();
loadList().then(() => first && openRecord(first));
