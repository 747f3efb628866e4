// audit.js — the audit page (/ui/audit.html): who changed what in the
// live park, when, from which address and through which route
// (GET /api/v1/audit), newest first, filtered by user, entity, incident
// and time (Beijing), paged back with "more".
//
// ─── Hooks for automated browser tests ───────────────────────────────────
//
// window.parktwin.auditPage:
//   ready       true once the first page has been shown
//   entries()   the entries shown, as the API gave them
// Element ids: #audit-form (inputs user, entity, incident, from, to),
//   #audit-list tbody tr[data-seq] one per entry, #audit-more, #audit-error.
// ?incident=INC-00001 (or user, entity) in the page's URL fills the form.

import { errorText } from "./msg.js";
import { t, lang, setLang, applyI18n, beijing, fromBeijing } from "./i18n.js";
import { el } from "./dom.js";

const $ = (s) => document.querySelector(s);
const page = { ready: false, entries: [], next: 0, query: "" };
window.parktwin = Object.assign(window.parktwin || {}, {
  auditPage: { get ready() { return page.ready; }, entries: () => page.entries.slice() },
});

applyI18n(document);

/** query makes the API's query from the form. */
function query() {
  const f = $("#audit-form");
  const q = new URLSearchParams();
  for (const name of ["user", "entity", "incident"]) {
    const v = f.elements[name].value.trim();
    if (v) q.set(name, v);
  }
  for (const name of ["from", "to"]) {
    const ms = fromBeijing(f.elements[name].value);
    if (Number.isFinite(ms)) q.set(name, new Date(ms).toISOString().replace(/\.\d+Z$/, "Z"));
  }
  return q;
}

async function load(more) {
  const q = more ? new URLSearchParams(page.query) : query();
  if (!more) page.query = q.toString();
  if (more) q.set("before", page.next);
  const err = $("#audit-error");
  err.hidden = true;
  try {
    const res = await fetch(`/api/v1/audit?${q}`);
    const body = await res.json();
    if (!res.ok) throw new Error(errorText(body, res.status));
    if (!more) page.entries = [];
    page.entries.push(...body.entries);
    page.next = body.next || 0;
  } catch (e) {
    err.textContent = t("audit.failed", { msg: e.message });
    err.hidden = false;
  }
  render();
  page.ready = true;
}

/** who writes an actor: the user, and for the system whose request woke it. */
function who(a) {
  const s = a.via ? t("audit.via", { user: a.user, via: a.via }) : a.user;
  return a.role ? `${s} (${a.role})` : s;
}

function render() {
  const tbody = $("#audit-list tbody");
  tbody.replaceChildren();
  for (const e of page.entries) {
    const tr = el("tr");
    tr.dataset.seq = e.seq;
    const changes = el("ul", "changes");
    // An administrator's action on users, tokens or the database changes no entity.
    if (e.action) changes.append(el("li", "action", [e.action, e.subject, e.detail].filter(Boolean).join(" · ")));
    for (const c of e.changes) changes.append(el("li", "", `${t("audit.op." + c.op)} ${c.kind} ${c.id}`));
    const user = el("td", e.actor.role === "system" ? "system" : "", who(e.actor));
    tr.append(el("td", "num", String(e.seq)), el("td", "", beijing(e.at)), user,
      el("td", "", e.actor.addr || "—"), el("td", "", e.actor.route || "—"), el("td"), el("td", "hash", e.hash.slice(0, 12)));
    tr.children[5].append(changes);
    tr.children[6].title = e.hash;
    tbody.append(tr);
  }
  $("#audit-empty").hidden = page.entries.length > 0;
  $("#audit-more").hidden = !page.next;
}

$("#audit-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  load(false);
});
$("#audit-more").addEventListener("click", () => load(true));
$("#lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));
window.addEventListener("langchange", render);

const params = new URLSearchParams(location.search);
for (const name of ["user", "entity", "incident"]) {
  if (params.get(name)) $("#audit-form").elements[name].value = params.get(name);
}
load(false);
