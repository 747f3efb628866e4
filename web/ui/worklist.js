// worklist.js — the closed loop's lists (闭环工作台) in the sidebar:
// verification orders, hidden dangers and tasks, overdue first, then by
// the time they are due; filtered by state, enterprise and overdue. A row
// opens its details in the panel, where its actions are (actions.js). The
// lists are drawn from the store, which the stream keeps: they move as
// the twin does.
//
// When a thing is due, and overdue, as the twin reckons it:
//   order   the acknowledge deadline until it is acknowledged, then the
//           feedback deadline until it is answered (a returned order has
//           a new one); answered and closed orders wait on no one's
//           deadline but the park's, so they are never overdue
//   danger  the end of its due date (UTC, as twin.Danger.OverdueAfter)
//           until it is accepted
//   task    when it was raised; an open task that is itself about
//           something late (escalation, overdue danger or loan) counts as
//           overdue
//
// Hooks for browser tests: #worklist; its tabs button.wl-tab[data-list=
// orders|dangers|tasks] (aria-pressed); filters select#wl-state,
// select#wl-enterprise, input#wl-overdue; rows #wl-list li[data-id] with
// data-state and data-overdue ("true" | "false"), in list order; the
// last line, li.wl-more, says how many of how many are shown and its
// button.wl-more shows WL_PAGE more.
//
// A list shows its first WL_PAGE rows (overdue first, so the ones that
// matter), then more on asking: on the ×10 park 1,000 open orders drawn
// at once, and again at each change, were long frames (docs/performance.md).

import { t, enumText, beijing, lang } from "./i18n.js";
import { el } from "./dom.js";

const zhCollator = new Intl.Collator("zh-CN"); // one, not one per comparison (localeCompare)
const idCollator = new Intl.Collator(); // as localeCompare without a locale

const LISTS = {
  orders: { layer: "orders", kind: "order", states: ["issued", "acknowledged", "answered", "returned", "closed"], closed: (p) => p.state === "closed" },
  dangers: { layer: "hidden-dangers", kind: "hidden-danger", states: ["registered", "rectifying", "accepted", "closed"], closed: (p) => p.state === "closed" },
  tasks: { layer: "tasks", kind: "task", states: ["open", "done"], closed: (p) => !!p.done },
};
const LATE_TASKS = new Set(["escalation", "overdue-danger", "overdue-loan"]);
const DAY_MS = 86400000;
const WL_PAGE = 100;

/** dueOf returns when an item of a list is due (ms, or null) and whether it is overdue at now. */
export function dueOf(list, p, now) {
  switch (list) {
    case "orders": {
      let due = null;
      if (p.state === "closed" || p.state === "answered") return { due: null, overdue: false };
      if (!p.ackedAt) due = Date.parse(p.ackDeadline);
      else due = Date.parse(p.feedbackDeadline);
      // the feedback deadline counts too while unacknowledged
      const fb = Date.parse(p.feedbackDeadline);
      const late = (Number.isFinite(due) && now > due) || (Number.isFinite(fb) && now > fb);
      return { due: Number.isFinite(due) ? due : null, overdue: late };
    }
    case "dangers": {
      if (p.state === "accepted" || p.state === "closed" || !p.due) return { due: null, overdue: false };
      const due = Date.parse(p.due) + DAY_MS;
      return { due, overdue: now > due };
    }
    case "tasks": {
      const due = Date.parse(p.raisedAt);
      return { due: Number.isFinite(due) ? due : null, overdue: !p.done && LATE_TASKS.has(p.type) };
    }
  }
  return { due: null, overdue: false };
}

export class Worklist {
  /**
   * @param {HTMLElement} root the #worklist section
   * @param {import("./store.js").Store} store
   * @param {{onSelect: (id: string) => void, now: () => number|null}} o
   */
  constructor(root, store, { onSelect, now }) {
    this.root = root;
    this.store = store;
    this.now = now;
    this.list = "orders";
    this.filter = { state: "", enterprise: "", overdue: false };
    this.dirty = true;
    this.selected = null;
    this.shown = WL_PAGE;
    this.build();
    root.addEventListener("click", (e) => {
      const tab = e.target.closest("button.wl-tab");
      if (tab) {
        this.list = tab.dataset.list;
        this.filter.state = "";
        this.shown = WL_PAGE;
        this.build();
        return;
      }
      if (e.target.closest("button.wl-more")) {
        this.shown += WL_PAGE;
        this.dirty = true;
        this.flush();
        return;
      }
      const li = e.target.closest("#wl-list li[data-id]");
      if (li) onSelect(li.dataset.id);
    });
    window.addEventListener("langchange", () => this.build());
    // overdue moves with the clock, not only with changes
    setInterval(() => {
      this.dirty = true;
      this.flush();
    }, 10000);
  }

  /** touch says that a layer changed; the list redraws on the next flush if it shows it. */
  touch(layer) {
    if (layer === LISTS[this.list].layer || layer === "enterprises") this.dirty = true;
  }

  /** select marks the row of what the panel shows. */
  select(id) {
    this.selected = id;
    for (const li of this.root.querySelectorAll("#wl-list li[data-id]")) li.classList.toggle("selected", li.dataset.id === id);
  }

  build() {
    this.shownSig = null; // a new list element: flush fills it whatever was shown before
    const def = LISTS[this.list];
    const head = el("h2", "", t("wl.title"));
    const tabs = el("div", "segmented wl-tabs");
    for (const k of Object.keys(LISTS)) {
      const b = el("button", "wl-tab", t("wl.tab." + k));
      b.type = "button";
      b.dataset.list = k;
      b.setAttribute("aria-pressed", String(k === this.list));
      tabs.append(b);
    }
    const filters = el("div", "wl-filters");
    const state = el("select");
    state.id = "wl-state";
    state.title = t("wl.filter.state");
    const opt = (sel, value, text) => {
      const o = el("option", "", text);
      o.value = value;
      sel.append(o);
    };
    opt(state, "", t("wl.filter.open"));
    opt(state, "*", t("wl.filter.all"));
    for (const s of def.states) opt(state, s, this.stateText(s));
    state.value = this.filter.state;
    state.addEventListener("change", () => {
      this.filter.state = state.value;
      this.shown = WL_PAGE;
      this.dirty = true;
      this.flush();
    });
    const ent = el("select");
    ent.id = "wl-enterprise";
    ent.title = t("wl.filter.enterprise");
    this.entSelect = ent;
    this.entSig = null; // a new select: filled whatever the last one held
    this.fillEnterprises();
    ent.addEventListener("change", () => {
      this.filter.enterprise = ent.value;
      this.shown = WL_PAGE;
      this.dirty = true;
      this.flush();
    });
    const od = el("label", "wl-overdue");
    const cb = el("input");
    cb.type = "checkbox";
    cb.id = "wl-overdue";
    cb.checked = this.filter.overdue;
    cb.addEventListener("change", () => {
      this.filter.overdue = cb.checked;
      this.shown = WL_PAGE;
      this.dirty = true;
      this.flush();
    });
    od.append(cb, el("span", "", t("wl.filter.overdue")));
    filters.append(state, ent, od);
    const ul = el("ul", "wl-list");
    ul.id = "wl-list";
    ul.dataset.empty = t("wl.empty");
    this.ul = ul;
    this.root.replaceChildren(head, tabs, filters, ul);
    this.dirty = true;
    this.flush();
  }

  stateText(s) {
    if (this.list === "tasks") return t("wl.task." + s);
    return enumText(LISTS[this.list].kind, "state", s);
  }

  fillEnterprises() {
    const sel = this.entSelect;
    const ents = [...this.store.layer("enterprises").values()]
      .map((f) => ({ id: String(f.id), name: (f.properties && f.properties.name) || String(f.id) }));
    // compared before sorting: sorting 640 names (×10 park) at every flush was a long task
    const sig = ents.map((e) => e.id + e.name).join("|");
    if (sig === this.entSig) return;
    this.entSig = sig;
    ents.sort((a, b) => zhCollator.compare(a.name, b.name));
    sel.replaceChildren();
    const o = el("option", "", t("wl.filter.allEnterprises"));
    o.value = "";
    sel.append(o);
    for (const e of ents) {
      const x = el("option", "", e.name);
      x.value = e.id;
      sel.append(x);
    }
    sel.value = this.filter.enterprise;
  }

  /** rows returns the list's items after the filters, in order: overdue first, then by due time, then ID. */
  rows() {
    const def = LISTS[this.list];
    const now = (this.now && this.now()) ?? Date.now();
    const out = [];
    for (const [id, f] of this.store.layer(def.layer)) {
      const p = f.properties || {};
      const state = this.list === "tasks" ? (p.done ? "done" : "open") : p.state;
      const closed = def.closed(p);
      if (this.filter.state === "" && closed) continue;
      if (this.filter.state !== "" && this.filter.state !== "*" && this.filter.state !== state) continue;
      if (this.filter.enterprise && p.enterprise !== this.filter.enterprise) continue;
      const d = dueOf(this.list, p, now);
      if (this.filter.overdue && !d.overdue) continue;
      out.push({ id, p, state, ...d });
    }
    out.sort((a, b) => (b.overdue - a.overdue) || ((a.due ?? Infinity) - (b.due ?? Infinity)) || idCollator.compare(a.id, b.id));
    return out;
  }

  flush() {
    if (!this.dirty || !this.ul) return;
    this.dirty = false;
    this.fillEnterprises();
    const all = this.rows();
    // the row the panel shows is shown, wherever it stands
    const at = this.selected ? all.findIndex((r) => r.id === this.selected) : -1;
    if (at >= this.shown) this.shown = Math.ceil((at + 1) / WL_PAGE) * WL_PAGE;
    const rows = all.slice(0, this.shown);
    // Nothing shown changed (a change elsewhere in the layer): the list stays.
    const sig = JSON.stringify([lang(), this.list, this.selected, all.length, rows.map((r) => [r.id, r.state, r.overdue, r.due, r.p.enterprise, r.p.title, r.p.type, r.p.level, r.p.due])]);
    if (sig === this.shownSig) return;
    this.shownSig = sig;
    const items = [];
    for (const r of rows) {
      const li = el("li", "wl-row");
      li.dataset.id = r.id;
      li.dataset.state = r.state;
      li.dataset.overdue = String(r.overdue);
      if (r.id === this.selected) li.classList.add("selected");
      const top = el("div", "wl-top");
      top.append(el("span", "wl-id", r.id), el("span", "badge wl-state", this.stateText(r.state)));
      if (r.overdue) top.append(el("span", "badge wl-late", t("wl.overdue")));
      const title = this.list === "dangers" ? r.p.title : this.list === "tasks" ? enumText("task", "type", r.p.type) : enumText("order", "level", r.p.level);
      const who = r.p.enterprise ? this.store.name(r.p.enterprise) : "";
      const line = el("div", "wl-line", [title, who].filter(Boolean).join(" · "));
      // a danger is due on a day: that day, not the instant after it
      const when = this.list === "dangers" ? r.p.due : beijing(r.due, "short");
      const due = el("div", "wl-due", r.due === null ? "" : t(this.list === "tasks" ? "wl.raised" : "wl.due", { t: when }));
      li.append(top, line, due);
      items.push(li);
    }
    if (all.length > rows.length) {
      const more = el("li", "wl-more");
      const b = el("button", "wl-more", t("wl.more.button", { n: Math.min(WL_PAGE, all.length - rows.length) }));
      b.type = "button";
      more.append(el("span", "", t("wl.more", { n: rows.length, total: all.length })), b);
      items.push(more);
    }
    this.ul.replaceChildren(...items);
    this.ul.classList.toggle("empty", !items.length);
  }
}
