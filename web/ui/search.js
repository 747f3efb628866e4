// search.js — the search box: by name or ID over every loaded feature
// (vehicles and sensors included). Arrow keys move through the results,
// Enter or a click chooses one.

import { t } from "./i18n.js";

const SEARCHED = [
  "enterprises", "tanks", "sewage-pools", "waste-stores", "hazard-units", "warehouses", "teams",
  "targets", "roads", "sensors", "alarms",
];
const MAX_RESULTS = 30;

export class Search {
  /**
   * @param {HTMLInputElement} input
   * @param {HTMLElement} list the results element
   * @param {import("./store.js").Store} store
   * @param {(layer: string, id: string) => void} onChoose
   */
  constructor(input, list, store, onChoose) {
    this.input = input;
    this.list = list;
    this.store = store;
    this.onChoose = onChoose;
    this.results = [];
    this.active = -1;
    this.timer = 0;
    input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), 80);
    });
    input.addEventListener("keydown", (e) => this.key(e));
    input.addEventListener("focus", () => {
      if (this.input.value.trim()) this.run();
    });
    input.addEventListener("blur", () => setTimeout(() => this.hide(), 150));
    list.addEventListener("mousedown", (e) => {
      const li = e.target.closest("li[data-i]");
      if (!li) return;
      e.preventDefault();
      this.choose(Number(li.dataset.i));
    });
    window.addEventListener("langchange", () => {
      if (!this.list.hidden) this.run();
    });
  }

  /** query returns the features matching q: exact IDs first, then ID prefixes, then names and IDs containing q. */
  query(q) {
    q = q.trim().toLowerCase();
    if (!q) return { hits: [], total: 0 };
    const ranked = [];
    const consider = (layer, id, name) => {
      const lid = id.toLowerCase();
      const lname = (name || "").toLowerCase();
      let rank = -1;
      if (lid === q) rank = 0;
      else if (lname === q) rank = 1;
      else if (lid.startsWith(q)) rank = 2;
      else if (lname.startsWith(q)) rank = 3;
      else if (lname.includes(q)) rank = 4;
      else if (lid.includes(q)) rank = 5;
      if (rank >= 0) ranked.push({ rank, layer, id, name: name || id });
    };
    for (const layer of SEARCHED) {
      const m = this.store.layers.get(layer);
      if (!m) continue;
      for (const [id, f] of m) {
        const p = f.properties || {};
        let name = p.name;
        if (layer === "alarms") name = `${this.store.name(p.subject)} ${this.store.name(p.sensor)}`;
        consider(layer, id, name);
      }
    }
    for (const [id, v] of this.store.vehicles) {
      const p = v.feature.properties;
      consider("vehicles", id, `${p.name || ""} ${p.plate || ""}`.trim());
    }
    // among equals, what is drawn comes before sensors and alarms
    const later = (r) => (r.layer === "sensors" || r.layer === "alarms" ? 1 : 0);
    ranked.sort((a, b) => a.rank - b.rank || later(a) - later(b) || a.name.length - b.name.length || (a.id < b.id ? -1 : 1));
    return { hits: ranked.slice(0, MAX_RESULTS), total: ranked.length };
  }

  run() {
    const { hits, total } = this.query(this.input.value);
    this.results = hits;
    this.active = hits.length ? 0 : -1;
    this.render(total);
  }

  render(total) {
    const list = this.list;
    list.replaceChildren();
    if (!this.input.value.trim()) {
      this.hide();
      return;
    }
    if (!this.results.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = t("search.none");
      list.append(li);
    }
    this.results.forEach((r, i) => {
      const li = document.createElement("li");
      li.dataset.i = String(i);
      li.dataset.id = r.id;
      if (i === this.active) li.className = "active";
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = r.name;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = `${t("layers." + r.layer)} · ${r.id}`;
      li.append(name, meta);
      list.append(li);
    });
    if (total > this.results.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = t("search.more", { n: total - this.results.length });
      list.append(li);
    }
    list.hidden = false;
  }

  hide() {
    this.list.hidden = true;
  }

  key(e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!this.results.length) return;
      e.preventDefault();
      this.active = (this.active + (e.key === "ArrowDown" ? 1 : -1) + this.results.length) % this.results.length;
      for (const li of this.list.querySelectorAll("li[data-i]")) li.classList.toggle("active", Number(li.dataset.i) === this.active);
      this.list.querySelector("li.active")?.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter") {
      e.preventDefault();
      clearTimeout(this.timer);
      if (!this.results.length || this.list.hidden) this.run();
      if (this.active >= 0) this.choose(this.active);
    } else if (e.key === "Escape") {
      this.hide();
      this.input.blur();
    }
  }

  choose(i) {
    const r = this.results[i];
    if (!r) return;
    // A search still pending from the last keystroke would open the list
    // again over the map just chosen from.
    clearTimeout(this.timer);
    this.hide();
    this.onChoose(r.layer, r.id);
  }
}
