// alarmreview.js — the alarm panel's review line (ISA-18.2 / EEMUA 191):
// the standing alarms now, the sensor conditions that chattered in the
// last 24 hours and the alarms shelved in them (ISA-18.2: shelved alarms
// are reviewed), counted by GET …/alarm-kpis (the server's rules), every
// minute; on the live park it links to the KPI page that lists them.
//
// Element hooks: #alarm-review[data-standing][data-chattering][data-shelved].

import { t } from "./i18n.js";
import { el } from "./dom.js";
import { API, TWIN, apiFetch } from "./api.js";

const EVERY_MS = 60000;
const DAY_MS = 24 * 3600 * 1000;

export class AlarmReview {
  /**
   * @param {HTMLElement} before  the element the line goes before
   * @param {() => number|null} now  the twin's time (ms)
   */
  constructor(before, now) {
    this.now = now;
    this.counts = null;
    this.box = el(TWIN === "live" ? "a" : "div", "alarm-review");
    this.box.id = "alarm-review";
    if (TWIN === "live") this.box.href = "/ui/alarm-kpis.html";
    this.box.hidden = true;
    before.before(this.box);
    window.addEventListener("langchange", () => this.render());
    this.load();
    setInterval(() => this.load(), EVERY_MS);
  }

  async load() {
    const now = this.now() ?? Date.now();
    const q = new URLSearchParams({
      by: "day",
      from: new Date(now - DAY_MS).toISOString().replace(/\.\d+Z$/, "Z"),
      to: new Date(now + 1000).toISOString().replace(/\.\d+Z$/, "Z"),
    });
    try {
      const res = await apiFetch(`${API}/alarm-kpis?${q}`);
      if (!res.ok) return; // no monitoring here, or a replay: nothing to count
      const d = await res.json();
      this.counts = { standing: d.standing.length, chattering: d.chattering.length, shelved: d.total.shelved ?? 0 };
    } catch {
      return; // away: the next minute tries again
    }
    this.render();
  }

  /** refresh counts again soon (alarms came in). */
  refresh() {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => this.load(), 1500);
  }

  render() {
    if (!this.counts) return;
    const { standing, chattering, shelved } = this.counts;
    this.box.hidden = false;
    this.box.dataset.standing = String(standing);
    this.box.dataset.chattering = String(chattering);
    this.box.dataset.shelved = String(shelved);
    this.box.classList.toggle("due", standing + chattering + shelved > 0);
    this.box.textContent = t("alarms.review", { standing, chattering, shelved });
    this.box.title = t("alarms.review.title");
  }
}
