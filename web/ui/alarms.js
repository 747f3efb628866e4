// alarms.js — the live alarm list: newest first, one <li data-id> per
// alarm (every alarm not closed, and the latest CLOSED_SHOWN closed ones),
// each with its level colour, place (subject · sensor), raised time,
// state, verification-order state and, while it can be acknowledged, an
// Acknowledge button. Items are updated in place; only what changed is
// redrawn, once per frame.
//
// Alarm management (alarmgroups.js, alarmshelve.js): shelved alarms leave
// the active rows for a "shelved" group at the end; when more alarms
// arrive within the flood window than the rules allow, a banner
// (#alarm-flood) says so and the open alarms are grouped by enterprise
// and cause (li.alarm-group[data-group], collapsible, with its count),
// the highest priority first inside and across the groups.
//
// Only the rows in or near the list's view hold their contents (li.drawn):
// the list shows some five rows, and on the ×10 park's history it holds
// 1,100; styling and laying out the others again was most of the long
// frames after ready (docs/performance.md). A row not drawn keeps its
// data-* attributes and classes and the height of a drawn row, so that
// nothing moves as rows are drawn while scrolling.

import { t, enumText, beijing, number } from "./i18n.js";
import { el } from "./dom.js";
import { arrange, shelvedAt, recentCount } from "./alarmgroups.js";
import { shelveForm, shelvedMarker, returnedMarker } from "./alarmshelve.js";

const CLOSED_SHOWN = 100;
// How far beyond the list's view (px, above and below) rows are drawn:
// some twenty rows, so that a scroll finds them drawn.
const NEAR_PX = 1000;
// Rows drawn at once when none has been seen yet (the first draw), before
// the observer reports which are near.
const FIRST_ROWS = 30;

export class AlarmList {
  /**
   * @param {HTMLUListElement} ul
   * @param {import("./store.js").Store} store
   * @param {{onSelect: (id: string) => void, onAck?: (id: string) => Promise<void>, countEl: HTMLElement,
   *   onShelve?: (id: string, durationS: number, reason: string) => Promise<void>, now?: () => number|null}} o
   */
  constructor(ul, store, { onSelect, onAck, countEl, onShelve, now }) {
    this.ul = ul;
    this.store = store;
    this.onSelect = onSelect;
    this.onAck = onAck;
    this.onShelve = onShelve;
    this.nowFn = now || (() => null);
    this.countEl = countEl;
    this.items = new Map(); // alarm ID → li
    this.groups = new Map(); // group key → its header li
    this.collapsed = new Set(); // group keys folded by the user
    this.shelving = new Map(); // alarm ID → the state of its open shelve form
    this.wasShelved = new Set(); // alarms seen shelved, to mark their return
    this.returned = new Set(); // alarms whose shelving ran out while the page was open
    this.rules = null; // GET /api/v1/alarm-rules
    this.flood = false;
    this.recent = 0;
    this.banner = el("div", "flood-banner");
    this.banner.id = "alarm-flood";
    this.banner.hidden = true;
    this.banner.setAttribute("role", "alert");
    ul.before(this.banner);
    this.dirty = new Set();
    this.orderDirty = false;
    this.selected = null;
    this.pending = new Map(); // alarm ID → error text of a failed acknowledgement
    this.near = new Set(); // alarm IDs whose rows are in or near the list's view
    this.nearGroups = new Set(); // group keys whose headers are near the view (a flood brings hundreds)
    this.groupRows = new Map(); // group key → its row as last arranged (to draw it when it comes near)
    this.drawn = new Set(); // alarm IDs whose rows hold their contents
    this.seen = new IntersectionObserver((entries) => this.onSeen(entries), { root: ul, rootMargin: `${NEAR_PX}px 0px` });
    ul.addEventListener("click", (e) => {
      const head = e.target.closest("li[data-group]");
      if (head) {
        const k = head.dataset.group;
        if (this.collapsed.has(k)) this.collapsed.delete(k);
        else this.collapsed.add(k);
        this.orderDirty = true;
        this.flush();
        return;
      }
      const li = e.target.closest("li[data-id]");
      if (!li) return;
      const id = li.dataset.id;
      if (e.target.closest("form.shelve-form")) {
        if (e.target.closest("button.cancel")) {
          this.shelving.delete(id);
          this.touch(id);
          this.flush();
        }
        return;
      }
      if (e.target.closest("button.ack")) {
        e.stopPropagation();
        this.ack(id, e.target.closest("button.ack"));
        return;
      }
      if (e.target.closest("button.shelve")) {
        e.stopPropagation();
        if (this.shelving.has(id)) this.shelving.delete(id);
        else this.shelving.set(id, {});
        this.touch(id);
        this.flush();
        return;
      }
      this.onSelect(id);
    });
    ul.addEventListener("input", (e) => {
      const li = e.target.closest("li[data-id]");
      const st = li && this.shelving.get(li.dataset.id);
      if (!st) return;
      if (e.target.name === "reason") st.reason = e.target.value;
      if (e.target.name === "durationS") st.durationS = Number(e.target.value);
    });
    ul.addEventListener("submit", (e) => {
      e.preventDefault();
      const li = e.target.closest("li[data-id]");
      if (li) this.shelve(li.dataset.id, e.target);
    });
    window.addEventListener("langchange", () => this.touchAll());
    // A flood ends, and a shelving runs out, as time passes.
    setInterval(() => this.tick(), 2000);
  }

  /** onSeen draws the rows that came near the view (the observer's report). */
  onSeen(entries) {
    let more = false;
    for (const e of entries) {
      const key = e.target.dataset.group;
      if (key !== undefined) {
        if (!e.isIntersecting) this.nearGroups.delete(key);
        else if (!this.nearGroups.has(key)) {
          this.nearGroups.add(key);
          const g = this.groupRows.get(key);
          if (g) this.renderGroup(e.target, g);
        }
        continue;
      }
      const id = e.target.dataset.id;
      if (!id) continue;
      if (!e.isIntersecting) {
        this.near.delete(id);
        continue;
      }
      this.near.add(id);
      if (!this.drawn.has(id)) {
        this.dirty.add(id);
        more = true;
      } else if (!this.shelving.has(id) && !this.pending.has(id) && e.boundingClientRect.height > 0) {
        this.measured(e.boundingClientRect.height);
      }
    }
    if (more) this.flush();
  }

  /** measured keeps a drawn row's height (px) as the height of the rows not drawn. */
  measured(h) {
    if (Math.abs(h - (this.rowH || 0)) <= 0.01) return;
    this.rowH = h;
    this.ul.style.setProperty("--alarm-row-h", `${h}px`);
  }

  /** setRules takes the alarm-management rules (GET /api/v1/alarm-rules). */
  setRules(rules) {
    this.rules = rules;
    this.touchAll();
    this.flush();
  }

  now() {
    const n = this.nowFn();
    return typeof n === "number" && Number.isFinite(n) ? n : Date.now();
  }

  tick() {
    const now = this.now();
    const alarms = this.store.layer("alarms");
    let due = false;
    for (const f of alarms.values()) {
      if (f.properties.shelvedUntil && !shelvedAt(f, now) && f.properties.state !== "closed") due = true;
    }
    const r = this.rules;
    const recent = r ? recentCount(alarms, now, r.floodWindowS * 1000) : 0;
    if (due || (r && recent > r.floodThreshold) !== this.flood) {
      this.orderDirty = true;
      this.flush();
    } else if (this.flood && recent !== this.recent) {
      // only the banner's count moved: the rows stay as they are
      this.recent = recent;
      this.floodBanner();
    }
  }

  floodBanner() {
    this.banner.dataset.n = String(this.recent);
    this.banner.textContent = t("alarms.flood", {
      n: this.recent, min: Math.round(this.rules.floodWindowS / 60), max: this.rules.floodThreshold,
    });
    this.banner.title = t("alarms.flood.title");
  }

  async shelve(id, form) {
    const st = this.shelving.get(id);
    if (!st || st.busy) return;
    const reason = form.elements.reason.value.trim();
    const durationS = Number(form.elements.durationS.value);
    if (!reason) {
      st.error = t("alarms.shelve.reason.required");
      this.touch(id);
      this.flush();
      return;
    }
    Object.assign(st, { reason, durationS, busy: true, error: "" });
    this.touch(id);
    this.flush();
    try {
      await this.onShelve(id, durationS, reason);
      this.shelving.delete(id);
    } catch (err) {
      Object.assign(st, { busy: false, error: t("alarms.shelve.failed", { msg: err.message }) });
    }
    this.touch(id);
    this.flush();
  }

  /** touch marks an alarm to be redrawn (its alarm or order changed). */
  touch(id) {
    this.dirty.add(id);
    this.orderDirty = true;
  }

  touchAll() {
    for (const id of this.store.layer("alarms").keys()) this.dirty.add(id);
    for (const id of this.items.keys()) this.dirty.add(id);
    this.orderDirty = true;
  }

  select(id) {
    if (this.selected) this.items.get(this.selected)?.classList.remove("selected");
    this.selected = id;
    const li = id && this.items.get(id);
    if (li) {
      li.classList.add("selected");
      if (!this.drawn.has(id)) {
        this.dirty.add(id);
        this.flush();
      }
      li.scrollIntoView({ block: "nearest" });
    }
  }

  async ack(id, button) {
    button.disabled = true;
    button.textContent = "…";
    this.pending.delete(id);
    try {
      await this.onAck(id);
      // The new state comes as a change on the stream and redraws the
      // item; should it not come (the link is down), give the button back.
      setTimeout(() => {
        if (button.isConnected && button.disabled) {
          this.touch(id);
          this.flush();
        }
      }, 10000);
    } catch (err) {
      this.pending.set(id, t("alarms.ack.failed", { msg: err.message }));
      this.touch(id);
      this.flush();
    }
  }

  flush() {
    if (!this.dirty.size && !this.orderDirty) return;
    const alarms = this.store.layer("alarms");
    if (this.orderDirty) {
      const now = this.now();
      const { flood, recent, rows, open } = arrange(alarms, { now, rules: this.rules, closedShown: CLOSED_SHOWN });
      this.flood = flood;
      this.recent = recent;
      this.ul.classList.toggle("flooded", flood);
      this.banner.hidden = !flood;
      this.banner.dataset.n = String(recent);
      if (flood) this.floodBanner();
      const keepItems = new Set(), keepGroups = new Set();
      const els = [];
      const first = this.nearGroups.size === 0 && this.near.size === 0; // nothing seen yet: draw the first rows at once
      for (const r of rows) {
        if (r.kind === "group") {
          keepGroups.add(r.key);
          this.groupRows.set(r.key, r);
          let li = this.groups.get(r.key);
          if (!li) {
            li = document.createElement("li");
            li.dataset.group = r.key;
            this.groups.set(r.key, li);
            this.seen.observe(li);
            if (first && els.length < FIRST_ROWS) this.nearGroups.add(r.key);
          }
          this.renderGroup(li, r);
          els.push(li);
          continue;
        }
        keepItems.add(r.id);
        let li = this.items.get(r.id);
        if (!li) {
          li = document.createElement("li");
          li.dataset.id = r.id;
          this.items.set(r.id, li);
          this.seen.observe(li);
          this.dirty.add(r.id);
          if (this.near.size === 0 && this.items.size <= FIRST_ROWS) this.near.add(r.id);
        }
        const g = r.group || "";
        li.dataset.inGroup = g;
        li.hidden = !!g && this.collapsed.has(g);
        els.push(li);
      }
      for (const [id, li] of this.items) {
        if (!keepItems.has(id)) {
          this.seen.unobserve(li);
          li.remove();
          this.items.delete(id);
          this.shelving.delete(id);
          this.near.delete(id);
          this.drawn.delete(id);
        }
      }
      for (const [k, li] of this.groups) {
        if (!keepGroups.has(k)) {
          this.seen.unobserve(li);
          li.remove();
          this.groups.delete(k);
          this.groupRows.delete(k);
          this.nearGroups.delete(k);
        }
      }
      let at = this.ul.firstElementChild;
      for (const li of els) {
        if (li !== at) this.ul.insertBefore(li, at);
        else at = at.nextElementSibling;
      }
      // whatever follows is not ours (the empty note)
      while (at) {
        const next = at.nextElementSibling;
        at.remove();
        at = next;
      }
      this.countEl.textContent = t("alarms.open", { n: open });
      this.ul.classList.toggle("empty", rows.length === 0);
      this.ul.dataset.empty = t("alarms.empty");
      this.orderDirty = false;
    }
    for (const id of this.dirty) {
      const li = this.items.get(id);
      const f = alarms.get(id);
      if (li && f) this.render(li, id, f);
    }
    this.dirty.clear();
  }

  /**
   * render draws an alarm's row: its data-* attributes and classes always,
   * its contents when it is near the view (else it empties it).
   */
  render(li, id, f) {
    const p = f.properties;
    li.dataset.id = id;
    li.dataset.state = p.state;
    li.dataset.level = p.level;
    const shelved = shelvedAt(f, this.now());
    if (shelved) this.wasShelved.add(id);
    else if (this.wasShelved.delete(id) && p.state !== "closed") this.returned.add(id);
    li.dataset.shelved = String(shelved);
    const near = this.near.has(id) || this.selected === id;
    li.className = `alarm lvl-${p.level} st-${p.state}${shelved ? " shelved" : ""}${this.selected === id ? " selected" : ""}${near ? " drawn" : ""}`;
    if (!near) {
      if (this.drawn.delete(id)) li.replaceChildren();
      return;
    }
    this.drawn.add(id);
    this.drawRow(li, id, f, shelved);
  }

  /** drawRow fills a row near the view: place, times, badges, forms, buttons. */
  drawRow(li, id, f, shelved) {
    const p = f.properties;
    const st = this.store;
    li.replaceChildren();

    const bar = el("span", "lvl");
    bar.title = enumText("alarm", "level", p.level);
    const main = el("div", "main");
    const place = el("div", "place");
    const subject = st.name(p.subject);
    const sensor = st.name(p.sensor);
    place.textContent = subject && subject !== sensor ? `${subject} · ${sensor}` : sensor;
    place.title = `${id} · ${p.subject || ""} · ${p.sensor}`;
    const ent = p.enterprise ? st.name(p.enterprise) : "";

    const meta = el("div", "meta");
    const time = el("time", "raised", beijing(p.raisedAt, "short"));
    time.dateTime = p.raisedAt;
    const level = el("span", "badge level", enumText("alarm", "level", p.level));
    const state = el("span", "badge state", enumText("alarm", "state", p.state));
    meta.append(time, level, state);
    const oid = st.orderOfAlarm.get(id);
    const order = oid && st.get("orders", oid);
    if (order) {
      const ob = el("span", "badge order", `${t("alarms.order")} ${enumText("order", "state", order.properties.state)}`);
      ob.dataset.order = oid;
      ob.dataset.orderState = order.properties.state;
      if (order.properties.ackEscalated || order.properties.feedbackEscalated) ob.classList.add("escalated");
      meta.append(ob);
    }
    if (shelved) meta.append(shelvedMarker(p));
    else if (this.returned.has(id)) meta.append(returnedMarker());
    const cond = el("div", "cond");
    const unit = st.get("sensors", p.sensor)?.properties.unit || "";
    cond.textContent = `${enumText("alarm", "condition", p.condition)} ${enumText("alarm", "limit", p.limit)} · ${number(p.value)} ${unit} / ${number(p.threshold)} ${unit}${ent ? " · " + ent : ""}`;
    main.append(place, meta, cond);
    const err = this.pending.get(id);
    if (err) main.append(el("div", "error", err));
    const form = this.shelving.get(id);
    if (form && !shelved && p.state !== "closed") main.append(shelveForm(form, this.rules && this.rules.maxShelveS));
    li.append(bar, main);

    const acts = el("div", "acts");
    if (p.state !== "closed" && !p.ackedAt && this.onAck) {
      const b = el("button", "ack", t("alarms.ack"));
      b.type = "button";
      b.title = t("alarms.ack.title");
      acts.append(b);
    }
    if (p.state !== "closed" && !shelved && this.onShelve) {
      const b = el("button", "shelve", t("alarms.shelve"));
      b.type = "button";
      b.title = t("alarms.shelve.title");
      b.setAttribute("aria-expanded", String(!!form));
      acts.append(b);
    }
    li.append(acts);
  }

  /**
   * renderGroup draws a group's header: enterprise and cause (or
   * "shelved"), its count, folded or not; its contents only near the view.
   */
  renderGroup(li, g) {
    li.dataset.group = g.key;
    li.dataset.count = String(g.n);
    li.dataset.level = g.level || "";
    li.removeAttribute("data-id");
    const folded = this.collapsed.has(g.key);
    const near = this.nearGroups.has(g.key);
    li.className = `alarm-group${g.level ? " lvl-" + g.level : ""}${g.shelved ? " shelved" : ""}${folded ? " collapsed" : ""}${near ? " drawn" : ""}`;
    li.setAttribute("aria-expanded", String(!folded));
    li.title = t(folded ? "alarms.group.expand" : "alarms.group.collapse");
    if (!near) {
      li.replaceChildren();
      return;
    }
    const bar = el("span", "lvl");
    const main = el("div", "main");
    const label = g.shelved
      ? t("alarms.group.shelved")
      : `${(g.enterprise && this.store.name(g.enterprise)) || t("alarms.group.park")} · ${enumText("alarm", "condition", g.condition)}`;
    main.append(el("span", "twisty", folded ? "▸" : "▾"), el("span", "glabel", label));
    li.replaceChildren(bar, main, el("span", "badge gcount", String(g.n)));
  }
}

