// warehouse-calendar.js — the keeper's inspection calendar on the
// warehouse's page: what is overdue (first, in red, whatever its day) and
// what falls due in the month shown, by week, from
// GET /api/v1/warehouses/{id}/inspections?from=&to=. Each line opens the
// item's history and, for an inspection, fills the entry form to inspect
// it. Everything from data is shown as text.
//
// Hooks for browser tests: #cal-list table[data-group=overdue|week-N],
// tr[data-serial|data-lot][data-kind][data-due][data-overdue], with
// button.cal-history and button.cal-inspect; #cal-month[data-from].

import { t, lang } from "./i18n.js";
import { el } from "./dom.js";

const $ = (s) => document.querySelector(s);

const pad = (n) => String(n).padStart(2, "0");
const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`; // m 1–12

/**
 * createCalendar wires the calendar section. base is the warehouse's API
 * base, getJSON reads a URL, openItem(serial) shows an item's history,
 * fillInspect(line) fills the entry form to inspect a line, showError
 * shows a failed read.
 */
export function createCalendar({ base, getJSON, openItem, fillInspect, showError }) {
  const now = new Date();
  const cal = { y: now.getFullYear(), m: now.getMonth() + 1, list: [], loads: 0 };

  async function load() {
    const from = iso(cal.y, cal.m, 1);
    const next = cal.m === 12 ? [cal.y + 1, 1] : [cal.y, cal.m + 1];
    const to = iso(next[0], next[1], 1);
    const data = await getJSON(`${base}/inspections?from=${from}&to=${to}`);
    cal.list = data.inspections || [];
    render(from);
    cal.loads++;
  }

  function line(d) {
    const tr = el("tr", d.overdue ? "overdue" : "");
    if (d.serial) tr.dataset.serial = d.serial;
    if (d.lot) tr.dataset.lot = d.lot;
    tr.dataset.type = d.type;
    tr.dataset.kind = d.kind;
    tr.dataset.due = d.due;
    tr.dataset.overdue = String(!!d.overdue);
    const acts = el("td", "actions");
    if (d.serial) {
      const h = el("button", "cal-history", t("wh.cal.history"));
      h.type = "button";
      h.addEventListener("click", () => openItem(d.serial));
      acts.append(h);
    }
    if (d.kind !== "expires") {
      const b = el("button", "cal-inspect", t("wh.op.inspect"));
      b.type = "button";
      b.addEventListener("click", () => fillInspect(d));
      acts.append(" ", b);
    }
    const item = d.serial || `${t("wh.f.lot")} ${d.lot} · ${d.quantity} ${d.unit || ""}`;
    tr.append(el("td", "time", d.due), el("td", "", d.name || d.type), el("td", "", item),
      el("td", "", `${t(`wh.cal.kind.${d.kind}`)}${d.kind === "expires" ? "" : ` · ${d.what}`}`),
      el("td", "", t(`wh.state.${d.state}`)), acts);
    return tr;
  }

  function group(name, title, lines) {
    const box = el("div", "cal-group");
    box.append(el("h3", name === "overdue" ? "overdue" : "", title));
    const tbl = el("table", "live");
    tbl.dataset.group = name;
    const hr = el("tr");
    for (const k of ["wh.cal.col.due", "wh.col.type", "wh.cal.col.item", "wh.cal.col.what", "wh.cal.col.state", ""]) {
      hr.append(el("th", "", k ? t(k) : ""));
    }
    tbl.append(hr, ...lines.map(line));
    box.append(tbl);
    return box;
  }

  function render(from) {
    const month = $("#cal-month");
    month.dataset.from = from;
    month.textContent = new Date(cal.y, cal.m - 1, 1).toLocaleDateString(lang() === "en" ? "en-GB" : "zh-CN", { year: "numeric", month: "long" });
    const box = $("#cal-list");
    box.replaceChildren();
    const overdue = cal.list.filter((d) => d.overdue);
    if (overdue.length) box.append(group("overdue", t("wh.cal.overdue", { n: overdue.length }), overdue));
    // The month's weeks, Monday to Sunday, cut at its first and last day.
    const days = new Date(cal.y, cal.m, 0).getDate();
    const first = (new Date(cal.y, cal.m - 1, 1).getDay() + 6) % 7; // 0 Monday
    let any = false;
    for (let w = 0, start = 1; start <= days; w++) {
      const end = Math.min(days, start + (w === 0 ? 6 - first : 6));
      const lo = iso(cal.y, cal.m, start), hi = iso(cal.y, cal.m, end);
      const lines = cal.list.filter((d) => !d.overdue && d.due >= lo && d.due <= hi);
      if (lines.length) {
        any = true;
        box.append(group(`week-${w + 1}`, t("wh.cal.week", { n: w + 1, from: lo.slice(5), to: hi.slice(5), count: lines.length }), lines));
      }
      start = end + 1;
    }
    if (!any && !overdue.length) box.append(el("p", "muted", t("wh.cal.none")));
  }

  function shift(by) {
    cal.m += by;
    if (cal.m < 1) { cal.m = 12; cal.y--; }
    if (cal.m > 12) { cal.m = 1; cal.y++; }
    return load();
  }
  $("#cal-prev").addEventListener("click", () => shift(-1).catch(showError));
  $("#cal-next").addEventListener("click", () => shift(1).catch(showError));
  $("#cal-this").addEventListener("click", () => {
    const d = new Date();
    cal.y = d.getFullYear();
    cal.m = d.getMonth() + 1;
    load().catch(showError);
  });

  return {
    load,
    list: () => cal.list,
    get loads() { return cal.loads; },
  };
}
