// reinforce.js — what the console does with an incident once its first
// plan is confirmed: reinforcement (增援: raise the level or ask again; the
// plan proposes only what is needed beyond what was sent), releasing units
// one by one (释放), the head of the plan panel (the reinforcement, the
// response target, the shortfalls: what must be read first), and the
// dispatch order (调度单) printed from a plan or from the incident.
//
// Routes: POST …/incidents/{id}/level, …/plan, …/release-unit (web/routes.go).

import { API, apiFetch } from "./api.js";
import { t, lang, beijing, number } from "./i18n.js";
import { said, known, word, shortfallNodes } from "./msg.js";
import { el } from "./dom.js";
import { notice, failed } from "./notice.js";
import { LEVELS, minsec, readJSON } from "./incidents.js";
import { can } from "./can.js";

const ACTIVE = new Set(["dispatched", "en-route", "on-scene", "returning"]);

/** watchMapSize keeps the map filling its cell when the plan panel widens the right column. */
export function watchMapSize(map) {
  if (typeof ResizeObserver === "undefined") return;
  new ResizeObserver(() => map.invalidateSize({ pan: false })).observe(map.getContainer());
}

/** reinforceControls is the 增援 row of a dispatched incident: a level and "ask again". */
export function reinforceControls(inc, id, f) {
  const p = f.properties || {};
  const box = el("div", "reinforce");
  box.id = "reinforce";
  const sel = el("select");
  sel.id = "reinforce-level";
  sel.title = t("reinforce.level");
  for (const lv of LEVELS) {
    const o = el("option", "", t("enum.responseLevel." + lv));
    o.value = lv;
    sel.append(o);
  }
  sel.value = p.level || "III";
  const b = el("button", "primary", t("reinforce.ask"));
  b.type = "button";
  b.id = "reinforce-button";
  b.title = t("reinforce.hint");
  b.addEventListener("click", () => askReinforcement(inc, id, p.level, sel.value, b));
  const print = el("button", "btn", t("dispatchOrder.print"));
  print.type = "button";
  print.id = "print-incident-order";
  print.addEventListener("click", () => printOrder(inc, id, f, null));
  // 增援 only to the roles that may change the level and plan (can.js); printing is anyone's.
  if (can("POST", "/api/v1/incidents/{id}/level", p) && can("POST", "/api/v1/incidents/{id}/plan")) box.append(el("span", "label", t("reinforce.level")), sel, b);
  box.append(print);
  return box;
}

/** askReinforcement raises (or lowers) the level when another is chosen, then plans again. */
async function askReinforcement(inc, id, from, level, button) {
  button.disabled = true;
  try {
    if (level && level !== from) {
      const res = await apiFetch(`${API}/incidents/${encodeURIComponent(id)}/level`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ level }),
      });
      await readJSON(res);
    }
    const res = await apiFetch(`${API}/incidents/${encodeURIComponent(id)}/plan`, { method: "POST" });
    const data = await readJSON(res);
    inc.plan = { id, data, drop: { a: new Set(), e: new Set() } };
    inc.planEl = null;
    inc.fitNext = true;
    inc.message.delete(id);
  } catch (err) {
    inc.message.set(id, failed(err));
  }
  button.disabled = false;
  inc.requestRender();
  inc.drawRoutes();
}

/** releaseCell is the 释放 button of one unit sent, empty once it is released. */
export function releaseCell(inc, id, a) {
  const td = el("td", "release");
  if (!ACTIVE.has(a.state) || !can("POST", "/api/v1/incidents/{id}/release-unit", inc.store.get("incidents", id)?.properties)) return td;
  const b = el("button", "btn small", t("release.button"));
  b.type = "button";
  b.dataset.release = a.vehicle;
  b.title = t("release.hint");
  b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      const res = await apiFetch(`${API}/incidents/${encodeURIComponent(id)}/release-unit`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ team: a.team, vehicle: a.vehicle }),
      });
      await readJSON(res);
      inc.message.set(id, notice("release.done", { vehicle: inc.vehicleName(a.vehicle) }, { names: ["vehicle"] }));
    } catch (err) {
      inc.message.set(id, failed(err));
      b.disabled = false;
    }
    inc.requestRender();
    inc.drawRoutes();
  });
  td.append(b);
  return td;
}

/**
 * carrierSelect chooses the vehicle that carries an equipment line to the scene (随车): releasing
 * that vehicle later gives the line back to its warehouse. The choices are the plan's vehicles and,
 * for a reinforcement, those already sent.
 */
export function carrierSelect(inc, d, e) {
  const sel = el("select", "carrier");
  sel.title = t("carrier.hint");
  const none = el("option", "", t("carrier.none"));
  none.value = "";
  sel.append(none);
  const ids = [...(d.assignments || []).map((a) => a.vehicle), ...((d.reinforcement && d.reinforcement.assigned) || [])];
  for (const v of ids) {
    const o = el("option", "name", inc.vehicleName(v));
    o.value = v;
    sel.append(o);
  }
  sel.value = e.vehicle || "";
  sel.addEventListener("change", () => {
    if (sel.value) e.vehicle = sel.value;
    else delete e.vehicle;
  });
  return sel;
}

/** planHead is what the plan panel shows first: the reinforcement, the response target, the shortfalls. */
export function planHead(d) {
  const out = [];
  const as = d.assignments || [];
  const r = d.reinforcement;
  if (r) {
    const box = el("div", "reinforce-summary");
    box.id = "plan-reinforcement";
    box.append(el("div", "what", t("reinforce.summary", { level: t("enum.responseLevel." + r.level), n: (r.assigned || []).length, m: (r.counted || []).length })));
    if (!as.length && !(d.equipment || []).length) box.append(el("div", "enough", t("reinforce.enough")));
    out.push(box);
  } else if (as.length && d.targetS > 0) {
    const first = Math.min(...as.map((a) => a.etaS));
    const late = first > d.targetS;
    const box = el("div", late ? "target late" : "target ok", t(late ? "plan.target.late" : "plan.target.ok", { eta: minsec(first), target: minsec(d.targetS) }));
    box.id = "plan-target";
    out.push(box);
  }
  if ((d.shortfalls || []).length) {
    out.push(el("h5", "shortfall-title", t("plan.shortfalls")));
    const ul = el("ul", "shortfalls");
    for (const s of d.shortfalls) {
      const li = el("li", "shortfall");
      li.append(...shortfallNodes(s));
      if (known(s.reasonMsg) || (s.reason && lang() === "en")) li.append(said("div", "reason", s.reasonMsg, s.reason));
      ul.append(li);
    }
    out.push(ul);
  }
  return out;
}

/**
 * printOrder prints the dispatch order (调度单): from a plan (its kept lines, with the
 * shortfalls) or, plan null, from the incident as it stands (the units sent, the equipment lent).
 */
export function printOrder(inc, id, f, plan) {
  const p = f.properties || {};
  const units = plan ? plan.assignments || [] : (p.assignments || []).filter((a) => ACTIVE.has(a.state));
  const equipment = plan ? plan.equipment || [] : (p.equipment || []).filter((e) => e.state !== "returned");
  const doc = el("div", "dispatch-order");
  doc.id = "dispatch-order";
  const h = el("h1", "", t("dispatchOrder.title"));
  doc.append(h);
  const sub = plan && plan.reinforcement ? t("dispatchOrder.reinforcement") : plan ? t("dispatchOrder.plan") : t("dispatchOrder.sent");
  doc.append(el("div", "kind", sub));

  const meta = el("table", "meta");
  const row = (k, v) => {
    const tr = el("tr");
    tr.append(el("th", "", t(k)), el("td", "", v));
    meta.append(tr);
  };
  row("dispatchOrder.incident", `${t("enum.incidentType." + p.type)} · ${inc.placeOf(f)} (${id})`);
  row("dispatchOrder.level", t("enum.responseLevel." + p.level));
  row("dispatchOrder.reported", beijing(p.reportedAt));
  const now = inc.now && inc.now();
  row("dispatchOrder.printed", beijing(typeof now === "number" ? now : Date.now()));
  if (plan && plan.staging) row("dispatchOrder.staging", plan.staging.roadName ? `${plan.staging.roadName} (${plan.staging.road})` : plan.staging.road);
  doc.append(meta);

  doc.append(el("h2", "", t("dispatchOrder.units", { n: units.length })));
  const ut = el("table", "units");
  let hr = el("tr");
  for (const k of ["dispatchOrder.col.n", "plan.col.vehicle", "plan.col.team", "plan.col.eta", "dispatchOrder.col.route"]) hr.append(el("th", "", t(k)));
  ut.append(hr);
  units.forEach((a, i) => {
    const tr = el("tr");
    tr.dataset.vehicle = a.vehicle;
    tr.append(el("td", "num", String(i + 1)), el("td", "", inc.vehicleName(a.vehicle)), el("td", "", inc.store.name(a.team)),
      el("td", "num", minsec(a.etaS)), el("td", "route", routeText(inc, a.route)));
    ut.append(tr);
  });
  if (!units.length) ut.append(emptyRow(5));
  doc.append(ut);

  doc.append(el("h2", "", t("dispatchOrder.equipment")));
  const et = el("table", "equipment");
  hr = el("tr");
  for (const k of ["plan.col.warehouse", "plan.col.equipment", "details.col.quantity", "plan.col.eta"]) hr.append(el("th", "", t(k)));
  et.append(hr);
  const byWh = new Map();
  for (const e of equipment) {
    if (!byWh.has(e.warehouse)) byWh.set(e.warehouse, []);
    byWh.get(e.warehouse).push(e);
  }
  for (const [wh, lines] of byWh) {
    lines.forEach((e, i) => {
      const tr = el("tr");
      const wc = el("td", "", i === 0 ? `${inc.store.name(wh)} (${wh})` : "");
      const items = Array.isArray(e.items) && e.items.length ? ` [${e.items.join(", ")}]` : "";
      tr.append(wc, el("td", "", word("equipment.", e.type) + items), el("td", "num", `${number(e.quantity)} ${word("unit.", e.unit || "")}`), el("td", "num", e.etaS ? minsec(e.etaS) : "—"));
      et.append(tr);
    });
  }
  if (!equipment.length) et.append(emptyRow(4));
  doc.append(et);

  if (plan) {
    doc.append(el("h2", "", t("plan.shortfalls")));
    const ul = el("ul", "shortfalls");
    for (const s of plan.shortfalls || []) {
      const li = el("li");
      li.append(...shortfallNodes(s));
      ul.append(li);
    }
    if (!(plan.shortfalls || []).length) ul.append(el("li", "", t("none")));
    doc.append(ul);
  }

  const sig = el("div", "signatures");
  for (const k of ["dispatchOrder.sign.dispatcher", "dispatchOrder.sign.commander"]) {
    const s = el("div", "sign");
    s.append(el("span", "", t(k)), el("span", "line"), el("span", "", t("dispatchOrder.sign.time")), el("span", "line short"));
    sig.append(s);
  }
  doc.append(sig);

  const old = document.getElementById("dispatch-order");
  if (old) old.replaceWith(doc);
  else document.body.append(doc);
  window.print();
  return doc;
}

function routeText(inc, roads) {
  const names = [];
  for (const r of roads || []) {
    const n = inc.store.name(r);
    if (names[names.length - 1] !== n) names.push(n);
  }
  return names.length ? names.join(" → ") : "—";
}

function emptyRow(cols) {
  const tr = el("tr");
  const td = el("td", "hint", t("none"));
  td.colSpan = cols;
  tr.append(td);
  return tr;
}
