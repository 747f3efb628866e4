// warehouse.js — the keeper's page of one warehouse
// (/ui/warehouse.html?id=WH-01, ?serial=… opens an item's history): its
// stock by type, its readiness against the minimums, the forms that post
// its ledger's entries, the ledger with filters and its export, each
// item's history, its loans. Everything from data is shown as text.
//
// ─── Hooks for automated browser tests ───────────────────────────────────
//
// window.parktwin.warehousePage:
//   ready        true once the stock, readiness and ledger were first read
//   loads        how many times they were read (each entry reads them again)
//   stock()      the types as GET …/stock last gave them
//   readiness()  this warehouse's readiness as GET /readiness last gave it
//
// Element ids: #stock-table tr[data-type]; #readiness-percent[data-percent];
// #entry-form (name=op, type, quantity, serials, to, result, findings, …),
// #entry-result[data-result=ok|error][data-entry]; #ledger-table
// tr[data-entry] with a.serial[data-serial]; #item[data-serial] its history;
// #export-xlsx, #export-csv the ledger's export with the filters; the
// inspection calendar's (warehouse-calendar.js) #cal-list, and
//   calendar()   its lines as GET …/inspections last gave them
//   calLoads     how many times it was read

import { t, lang, setLang, applyI18n, beijing, number } from "./i18n.js";
import { API, ME, apiFetch } from "./api.js";
import { can } from "./can.js";
import { el } from "./dom.js";
import { Stream } from "./stream.js";
import { createCalendar } from "./warehouse-calendar.js";
import { errorText } from "./actions.js";
import { known, msgNodes } from "./msg.js";

const $ = (s) => document.querySelector(s);
const params = new URLSearchParams(location.search);
const ID = params.get("id") || "";
const base = `${API}/warehouses/${encodeURIComponent(ID)}`;

// The ledger's forms only to the roles that may post to it (can.js), a
// keeper only on the warehouses it keeps.
const keepsHere = ME.role !== "keeper" || (ME.warehouses || []).includes(ID);
$("#entry").hidden = !keepsHere || !can("POST", "/api/v1/warehouses/{id}/ledger");
$("#import").hidden = !keepsHere || !can("POST", "/api/v1/warehouses/{id}/ledger/import");

const page = { ready: false, loads: 0, stock: [], readiness: null, serial: params.get("serial") || "", live: 0, seq: null };
window.parktwin = Object.assign(window.parktwin || {}, {
  warehousePage: {
    get ready() { return page.ready; },
    get loads() { return page.loads; },
    stock: () => page.stock,
    readiness: () => page.readiness,
    calendar: () => calendar.list(),
    get calLoads() { return calendar.loads; },
    get live() { return page.live; }, // readiness messages applied from the stream
  },
});

applyI18n(document);
$("#lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));
window.addEventListener("langchange", () => { applyI18n(document); load(); });

/** Refused is a request the server refused: its text in the console's language, and its body. */
class Refused extends Error {
  constructor(status, data) {
    super(errorText(status, data));
    this.data = data;
  }
}

async function getJSON(url) {
  const res = await apiFetch(url, { headers: { Accept: "application/json" } });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Refused(res.status, data);
  return data;
}

/** refusalNodes is err as the console shows it: a coded refusal from its message (msg.js: names and values sent in span.arg), any other as its text. */
function refusalNodes(err) {
  const m = err && err.data && err.data.msg;
  return known(m) ? msgNodes(m) : [document.createTextNode(err ? err.message : "")];
}

function showError(err) {
  const box = $("#wh-error");
  box.hidden = !err;
  box.replaceChildren(...(err ? refusalNodes(err) : []));
}

/** showRefusal shows err in box, within the text of key ({msg}); box.dataset.code is the API's error code. */
function showRefusal(box, key, err) {
  showResult(box, false, "");
  const [before, after = ""] = t(key, { msg: "\u0001" }).split("\u0001");
  box.replaceChildren(before, ...refusalNodes(err), after);
  box.dataset.code = (err && err.data && err.data.error) || "";
}

// ─── stock and readiness ─────────────────────────────────────────────────

function renderStock() {
  const body = $("#stock-table tbody");
  body.replaceChildren();
  const types = new Set();
  for (const ts of page.stock) {
    types.add(ts.type);
    const tr = el("tr");
    tr.dataset.type = ts.type;
    tr.append(
      el("td", "", ts.name || ts.type),
      el("td", "num ready", `${number(ts.ready)} ${ts.unit || ""}`),
      el("td", "num out", number(ts.out)),
      el("td", "num expired", number(ts.expired)),
      el("td", "num", number(ts.overdue + ts.outOfService)),
      el("td", "num", number(ts.onHand)),
    );
    body.append(tr);
  }
  for (const tr of (page.readiness && page.readiness.types) || []) types.add(tr.type);
  const dl = $("#type-list");
  dl.replaceChildren(...[...types].map((x) => { const o = el("option"); o.value = x; return o; }));
}

function renderReadiness() {
  const r = page.readiness;
  const pct = $("#readiness-percent");
  const body = $("#readiness-table tbody");
  body.replaceChildren();
  $("#due-list").replaceChildren();
  if (!r) {
    pct.textContent = "—";
    delete pct.dataset.percent;
    return;
  }
  pct.textContent = `${number(r.percent, 1)} %`;
  pct.dataset.percent = String(r.percent);
  for (const x of r.types || []) {
    const tr = el("tr");
    tr.dataset.type = x.type;
    if (x.short > 0) tr.classList.add("short");
    if (x.percent !== undefined) tr.title = `${number(x.percent, 1)} %`;
    tr.append(el("td", "", x.type), el("td", "num", `${number(x.ready)} ${x.unit || ""}`),
      el("td", "num", number(x.minimum)), el("td", "num", number(x.short)));
    body.append(tr);
  }
  for (const [cls, list] of [["overdue", r.overdue], ["due", r.due]]) {
    for (const d of list || []) {
      const li = el("li", cls, `${d.serial || d.lot || ""} ${d.type || ""} ${d.what || ""} ${d.due || ""}`.trim());
      $("#due-list").append(li);
    }
  }
}

// ─── the ledger and an item's history ────────────────────────────────────

function filterQuery() {
  const q = new URLSearchParams();
  for (const [k, v] of new FormData($("#ledger-filter"))) if (v) q.set(k, v);
  return q;
}

function exportLinks() {
  for (const f of ["csv", "xlsx"]) {
    const q = filterQuery();
    q.set("format", f);
    $(`#export-${f}`).href = `${base}/ledger?${q}`;
  }
  $("#labels").href = `${base}/labels.pdf`;
}

function who(e) {
  return [e.from && `${e.from} →`, e.to && `→ ${e.to}`, e.incident, e.loan].filter(Boolean).join(" ");
}

function renderLedger(entries) {
  const body = $("#ledger-table tbody");
  body.replaceChildren();
  for (const e of [...entries].reverse()) { // newest first
    const tr = el("tr");
    tr.dataset.entry = e.id;
    tr.dataset.op = e.op;
    const serials = el("td", "serials");
    for (const s of e.serials || []) {
      const a = el("a", "serial", s);
      a.href = `?id=${encodeURIComponent(ID)}&serial=${encodeURIComponent(s)}`;
      a.dataset.serial = s;
      serials.append(a, " ");
    }
    tr.append(el("td", "", e.id), el("td", "time", beijing(e.at)), el("td", "", t(`wh.op.${e.op}`)),
      el("td", "", e.type), el("td", "num", `${number(e.quantity)} ${e.unit || ""}`), serials,
      el("td", "", who(e)), el("td", "", e.result ? t(`wh.result.${e.result}`) : ""),
      el("td", "", [e.reason, e.findings].filter(Boolean).join(" · ")), el("td", "", e.actor || ""));
    body.append(tr);
  }
}

async function loadItem(serial) {
  const box = $("#item");
  page.serial = serial;
  if (!serial) {
    box.hidden = true;
    return;
  }
  const data = await getJSON(`${base}/ledger?serial=${encodeURIComponent(serial)}`);
  $("#item-serial").textContent = serial;
  let item = null;
  for (const ts of page.stock) for (const it of ts.items || []) if (it.serial === serial) item = { ...it, type: ts.type };
  $("#item-state").textContent = item
    ? t("wh.item.state", { type: item.type, state: t(`wh.state.${item.state}`), due: item.due || "—", expires: item.expires || "—", holder: item.holder || "—" })
    : t("wh.item.gone");
  box.dataset.state = item ? item.state : "";
  const body = $("#item-history tbody");
  body.replaceChildren();
  for (const e of data.entries || []) {
    const tr = el("tr");
    tr.dataset.entry = e.id;
    tr.append(el("td", "", e.id), el("td", "time", beijing(e.at)), el("td", "", t(`wh.op.${e.op}`)),
      el("td", "", who(e)), el("td", "", e.result ? t(`wh.result.${e.result}`) : ""), el("td", "", e.findings || e.reason || ""));
    body.append(tr);
  }
  box.dataset.serial = serial;
  box.hidden = false;
}

// ─── loans ────────────────────────────────────────────────────────────────

function renderLoans(fc) {
  const body = $("#loan-table tbody");
  body.replaceChildren();
  const today = new Date().toISOString().slice(0, 10);
  for (const f of (fc && fc.features) || []) {
    const l = f.properties || {};
    if (l.warehouse !== ID) continue;
    const tr = el("tr");
    tr.dataset.loan = f.id;
    tr.dataset.state = l.state;
    if (l.state === "issued" && l.due < today) tr.classList.add("overdue");
    tr.append(el("td", "", f.id), el("td", "", l.borrower), el("td", "", l.type),
      el("td", "num", number(l.quantity)), el("td", "", l.due || ""), el("td", "", l.state));
    body.append(tr);
  }
}

// ─── loading ──────────────────────────────────────────────────────────────

async function load() {
  try {
    const [stock, ready, ledger, loans] = await Promise.all([
      getJSON(`${base}/stock`),
      getJSON(`${API}/readiness`),
      getJSON(`${base}/ledger?${filterQuery()}`),
      getJSON(`${API}/loans`).catch(() => null),
      calendar.load(),
    ]);
    page.stock = stock.types || [];
    page.readiness = (ready.warehouses || []).find((w) => w.warehouse === ID) || null;
    $("#wh-title").textContent = `${(page.readiness && page.readiness.name) || t("wh.title")} ${ID}`;
    document.title = `${ID} · ${t("wh.title")}`;
    renderStock();
    renderReadiness();
    renderLedger(ledger.entries || []);
    renderLoans(loans);
    exportLinks();
    await loadItem(page.serial);
    showError(null);
  } catch (err) {
    showError(err);
  }
  page.loads++;
  page.ready = true;
}

// ─── the forms ────────────────────────────────────────────────────────────

function entryBody(form) {
  const fd = new FormData(form);
  const body = {};
  for (const k of ["op", "type", "lot", "from", "to", "incident", "result", "findings", "reason", "schedule", "made", "expires"]) {
    const v = String(fd.get(k) || "").trim();
    if (v) body[k] = v;
  }
  const serials = String(fd.get("serials") || "").split(/[,，\s]+/).filter(Boolean);
  if (serials.length) body.serials = serials;
  const q = Number(fd.get("quantity"));
  if (q > 0) body.quantity = q;
  // A receipt's last tests, "schedule:date" each, as the import reads
  // them: a schedule given none is due now.
  for (const pair of String(fd.get("tested") || "").split(/[,，;\s]+/).filter(Boolean)) {
    const [id, day] = pair.split(":");
    (body.tested ||= {})[id] = day || "";
  }
  return body;
}

function showResult(box, ok, text) {
  box.hidden = false;
  box.dataset.result = ok ? "ok" : "error";
  box.className = ok ? "msg ok" : "msg error";
  box.textContent = text;
  delete box.dataset.code;
}

$("#entry-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const box = $("#entry-result");
  const body = entryBody(ev.target);
  try {
    const res = await apiFetch(`${base}/ledger`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Refused(res.status, data);
    showResult(box, true, t("wh.entry.ok", { id: data.id, op: t(`wh.op.${data.op}`), serials: (data.serials || []).join(", ") }));
    box.dataset.entry = data.id;
    box.dataset.serials = (data.serials || []).join(",");
  } catch (err) {
    showRefusal(box, "wh.entry.error", err);
    delete box.dataset.entry;
  }
  await load();
});

$("#import-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const box = $("#import-result");
  const file = ev.target.elements.file.files[0];
  if (!file) return showResult(box, false, t("drills.upload.none"));
  const xlsx = /\.xlsx$/i.test(file.name);
  try {
    const res = await apiFetch(`${base}/ledger/import`, {
      method: "POST",
      headers: { "Content-Type": xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv", Accept: "application/json" },
      body: file,
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Refused(res.status, data);
    showResult(box, true, t("wh.import.ok", { n: (data.entries || []).length }));
  } catch (err) {
    showRefusal(box, "wh.entry.error", err);
  }
  await load();
});

$("#ledger-filter").addEventListener("submit", (ev) => {
  ev.preventDefault();
  load();
});

$("#ledger-table").addEventListener("click", (ev) => {
  const a = ev.target.closest("a.serial");
  if (!a) return;
  ev.preventDefault();
  history.replaceState(null, "", a.href);
  loadItem(a.dataset.serial).catch(showError);
});

// ─── the inspection calendar ─────────────────────────────────────────────

// openItem shows an item's history, as its serial in the ledger does.
function openItem(serial) {
  history.replaceState(null, "", `?id=${encodeURIComponent(ID)}&serial=${encodeURIComponent(serial)}`);
  loadItem(serial).then(() => $("#item").scrollIntoView({ block: "nearest" })).catch(showError);
}

// fillInspect fills the entry form to inspect a calendar's line, passed
// by default: the keeper checks it, changes the result if it failed (with
// the findings) and enters it.
function fillInspect(d) {
  const f = $("#entry-form");
  f.reset();
  f.elements.op.value = "inspect";
  f.elements.type.value = d.type;
  if (d.serial) f.elements.serials.value = d.serial;
  if (d.lot) f.elements.lot.value = d.lot;
  if (d.schedule) f.elements.schedule.value = d.schedule; // the line's schedule, and no other
  f.elements.result.value = "pass";
  f.dataset.filled = d.serial || d.lot || "";
  f.scrollIntoView({ block: "nearest" });
  f.elements.result.focus();
}

const calendar = createCalendar({ base, getJSON, openItem, fillInspect, showError });

load();

// ─── live readiness ───────────────────────────────────────────────────────

// The stream's readiness layer (docs/stream.md) keeps the readiness card
// current while the page is open: another keeper's entry, a dispatch's
// draw or the day's turn shows without a reload.
function applyReadiness(r) {
  page.readiness = r;
  renderStock();
  renderReadiness();
  page.live++;
}

const stream = new Stream({
  layers: ["readiness"],
  since: () => page.seq,
  onState: () => {},
  onMessage: (msg) => {
    if (typeof msg.seq === "number") page.seq = msg.seq;
    if (msg.type === "snapshot") {
      const ws = (msg.layers && msg.layers.readiness && msg.layers.readiness.warehouses) || [];
      const r = ws.find((w) => w.warehouse === ID);
      if (r && page.ready) applyReadiness(r);
    } else if (msg.type === "readiness" && msg.id === ID && msg.op === "updated" && page.ready) {
      applyReadiness(msg.readiness);
    }
  },
});
stream.connect();
