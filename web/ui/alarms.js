// alarms.js — the live alarm list: newest first, one <li data-id> per
// alarm (every alarm not closed, and the latest CLOSED_SHOWN closed ones),
// each with its level colour, place (subject · sensor), raised time,
// state, verification-order state and, while it can be acknowledged, an
// Acknowledge button. Items are updated in place; only what changed is
// redrawn, once per frame.

import { t, enumText, beijing, number } from "./i18n.js";
import { el } from "./dom.js";

const CLOSED_SHOWN = 100;

export class AlarmList {
  /**
   * @param {HTMLUListElement} ul
   * @param {import("./store.js").Store} store
   * @param {{onSelect: (id: string) => void, onAck: (id: string) => Promise<void>, countEl: HTMLElement}} o
   */
  constructor(ul, store, { onSelect, onAck, countEl }) {
    this.ul = ul;
    this.store = store;
    this.onSelect = onSelect;
    this.onAck = onAck;
    this.countEl = countEl;
    this.items = new Map(); // alarm ID → li
    this.dirty = new Set();
    this.orderDirty = false;
    this.selected = null;
    this.pending = new Map(); // alarm ID → error text of a failed acknowledgement
    ul.addEventListener("click", (e) => {
      const li = e.target.closest("li[data-id]");
      if (!li) return;
      const id = li.dataset.id;
      if (e.target.closest("button.ack")) {
        e.stopPropagation();
        this.ack(id, e.target.closest("button.ack"));
        return;
      }
      this.onSelect(id);
    });
    window.addEventListener("langchange", () => this.touchAll());
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
      const open = [], closed = [];
      for (const [id, f] of alarms) (f.properties.state === "closed" ? closed : open).push([id, f]);
      const newest = (a, b) => (a[1].properties.raisedAt < b[1].properties.raisedAt ? 1 : a[1].properties.raisedAt > b[1].properties.raisedAt ? -1 : a[0] < b[0] ? 1 : -1);
      closed.sort(newest);
      const shown = open.concat(closed.slice(0, CLOSED_SHOWN)).sort(newest);
      const keep = new Set(shown.map((x) => x[0]));
      for (const [id, li] of this.items) {
        if (!keep.has(id)) {
          li.remove();
          this.items.delete(id);
        }
      }
      let at = this.ul.firstElementChild;
      for (const [id, f] of shown) {
        let li = this.items.get(id);
        if (!li) {
          li = document.createElement("li");
          this.items.set(id, li);
          this.render(li, id, f);
          this.dirty.delete(id);
        }
        if (li !== at) this.ul.insertBefore(li, at);
        else at = at.nextElementSibling;
      }
      // whatever follows is not ours (the empty note)
      while (at) {
        const next = at.nextElementSibling;
        if (!at.dataset.id) at.remove();
        at = next;
      }
      this.countEl.textContent = t("alarms.open", { n: open.length });
      this.ul.classList.toggle("empty", shown.length === 0);
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

  render(li, id, f) {
    const p = f.properties;
    const st = this.store;
    li.dataset.id = id;
    li.dataset.state = p.state;
    li.dataset.level = p.level;
    li.className = `alarm lvl-${p.level} st-${p.state}${this.selected === id ? " selected" : ""}`;
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
    const cond = el("div", "cond");
    const unit = st.get("sensors", p.sensor)?.properties.unit || "";
    cond.textContent = `${enumText("alarm", "condition", p.condition)} ${p.limit} · ${number(p.value)} ${unit} / ${number(p.threshold)} ${unit}${ent ? " · " + ent : ""}`;
    main.append(place, meta, cond);
    const err = this.pending.get(id);
    if (err) main.append(el("div", "error", err));
    li.append(bar, main);

    if (p.state !== "closed" && !p.ackedAt) {
      const b = el("button", "ack", t("alarms.ack"));
      b.type = "button";
      b.title = t("alarms.ack.title");
      li.append(b);
    }
  }
}

