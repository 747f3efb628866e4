// alert.js — an incident in progress cannot be missed: a pulsing ring (CSS
// animation) on every open incident at any zoom, a banner at the top of
// the map naming each (name, level, time; a click flies to it), and a
// beep made in the page (WebAudio, no sound file) when a new level I or II
// incident or a new red alarm arrives after the console is ready. The
// mute button's state is remembered (localStorage "parktwin.mute").
//
// Hooks: div.incident-pulse[data-id] per open incident; #incident-alert
// (hidden when none is open) with one button.incident-alert-item[data-id]
// each, most severe first, then newest; #alert-mute (aria-pressed = muted);
// window.parktwin.alerts() = {beeps, missed, blocked, muted, last: {kind, id} | null}:
// a beep is counted when it sounded; one due while the browser held the
// sound back (its autoplay policy keeps the AudioContext suspended until
// a click or a key press on the page, e.g. after a reload) is counted as
// missed. While held back (blocked), #alert-mute[data-blocked=true] says
// so ("声音被浏览器拦截，点击启用"); the first click or key press anywhere
// on the page resumes the sound, and a click on the button then only
// enables it, it does not mute.

import * as L from "./vendor/leaflet/dist/leaflet-src.esm.js";
import { t, beijing } from "./i18n.js";
import { incidentName, LEVEL_COLORS } from "./incidents.js";

const MUTE_KEY = "parktwin.mute";
const LEVEL_RANK = { I: 0, II: 1, III: 2, IV: 3 };
const LOUD_LEVELS = new Set(["I", "II"]);
const BANNER_MAX = 3; // incidents named in the banner; the rest are counted

export class Alert {
  /**
   * @param {object} o
   * @param {import("./map.js").ParkMap} o.map
   * @param {import("./store.js").Store} o.store
   * @param {(id: string) => void} o.onSelect opens an incident and flies to it
   * @param {HTMLElement} o.muteBefore the top bar's element the mute button goes before
   */
  constructor({ map, store, onSelect, muteBefore }) {
    this.pm = map;
    this.store = store;
    this.onSelect = onSelect;
    this.armed = false; // set once the first snapshot is drawn: what it holds is not new
    this.seen = new Set(); // incidents and red alarms already known
    this.dirty = true;
    this.beeps = 0; // beeps that sounded
    this.missed = 0; // beeps due while the browser held the sound back
    this.last = null;
    this.audio = null;
    this.pulses = new Map(); // incident ID → L.marker
    this.muted = false;
    try {
      this.muted = localStorage.getItem(MUTE_KEY) === "1";
    } catch {
      /* not remembered */
    }

    const pane = map.map.createPane("pulse");
    pane.style.zIndex = "420"; // above the canvas, below the labels and the markers
    pane.style.pointerEvents = "none";
    this.layer = L.layerGroup().addTo(map.map);

    this.banner = document.createElement("div");
    this.banner.id = "incident-alert";
    this.banner.className = "incident-alert";
    this.banner.hidden = true;
    this.banner.setAttribute("role", "alert");
    L.DomEvent.disableClickPropagation(this.banner);
    L.DomEvent.disableScrollPropagation(this.banner);
    map.map.getContainer().append(this.banner);
    this.banner.addEventListener("click", (e) => {
      const b = e.target.closest("[data-id]");
      if (b) this.onSelect(b.dataset.id);
    });

    this.muteBtn = document.createElement("button");
    this.muteBtn.id = "alert-mute";
    this.muteBtn.type = "button";
    this.muteBtn.className = "alert-mute";
    this.muteBtn.addEventListener("click", () => {
      // The gesture that unblocked the sound was this click: it enables, not mutes.
      if (this.unblocking) {
        this.unblocking = false;
        return;
      }
      this.setMuted(!this.muted);
    });
    muteBefore.before(this.muteBtn);

    // Browsers start audio only after a gesture on the page (autoplay
    // policy): the context is made now, so that a suspended one shows as
    // blocked at once, and every click or key press resumes it if it is.
    this.context();
    const unlock = (e) => {
      const ctx = this.context();
      this.unblocking = !this.muted && !!ctx && ctx.state !== "running" && this.muteBtn.contains(e.target);
    };
    document.addEventListener("pointerdown", unlock, true);
    document.addEventListener("keydown", unlock, true);
    this.relabel();
    window.addEventListener("langchange", () => {
      this.relabel();
      this.dirty = true;
      this.flush();
    });
  }

  /** blocked reports whether the browser holds the sound back: a context there, not running. */
  blocked() {
    return !!this.audio && this.audio.state !== "running";
  }

  relabel() {
    const blocked = !this.muted && this.blocked();
    this.muteBtn.setAttribute("aria-pressed", String(this.muted));
    this.muteBtn.dataset.blocked = String(blocked);
    this.muteBtn.classList.toggle("blocked", blocked);
    this.muteBtn.textContent = this.muted ? t("alert.muted") : blocked ? t("alert.blocked") : t("alert.sound");
    this.muteBtn.title = t(this.muted ? "alert.unmute.title" : blocked ? "alert.blocked.title" : "alert.mute.title");
  }

  setMuted(on) {
    this.muted = on;
    try {
      localStorage.setItem(MUTE_KEY, on ? "1" : "0");
    } catch {
      /* not remembered */
    }
    this.relabel();
  }

  /** arm says the first snapshot is drawn: from now on what arrives is new. */
  arm() {
    this.armed = true;
  }

  /** incident says an incident changed (or went). */
  incident(id) {
    this.dirty = true;
    const f = this.store.get("incidents", id);
    const p = f && f.properties;
    if (!p || p.state === "closed" || this.seen.has(id)) return;
    this.seen.add(id);
    if (this.armed && LOUD_LEVELS.has(p.level)) this.sound("incident", id);
  }

  /** alarm says an alarm changed: a red one not seen before, active, sounds. */
  alarm(id) {
    if (this.seen.has(id)) return;
    const f = this.store.get("alarms", id);
    const p = f && f.properties;
    if (!p || p.level !== "red" || p.state !== "active") return;
    this.seen.add(id);
    if (this.armed) this.sound("alarm", id);
  }

  sound(kind, id) {
    this.last = { kind, id };
    if (this.muted) return;
    const ctx = this.context();
    if (!ctx || ctx.state !== "running") {
      this.missed++; // held back: the button says so, and the next gesture enables the sound
      this.relabel();
      return;
    }
    this.beeps++;
    // An incident: three rising tones; a red alarm: two. Square waves at a
    // low gain cut through a control room without a sound file.
    const tones = kind === "incident" ? [660, 880, 1100] : [880, 880];
    let at = ctx.currentTime + 0.02;
    for (const hz of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "square";
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.12, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.2);
      at += 0.24;
    }
  }

  context() {
    try {
      if (!this.audio) {
        const AC = window.AudioContext || window.webkitAudioContext;
        if (!AC) return null;
        this.audio = new AC();
        this.audio.addEventListener("statechange", () => this.relabel());
      }
      if (this.audio.state === "suspended") this.audio.resume().catch(() => {});
      return this.audio;
    } catch {
      return null;
    }
  }

  /** open lists the open incidents, most severe first, then newest. */
  open() {
    const out = [];
    for (const [id, f] of this.store.layer("incidents")) {
      const p = f.properties || {};
      if (p.state !== "closed") out.push([id, f]);
    }
    out.sort((a, b) => {
      const pa = a[1].properties, pb = b[1].properties;
      const r = (LEVEL_RANK[pa.level] ?? 9) - (LEVEL_RANK[pb.level] ?? 9);
      if (r) return r;
      return pa.reportedAt < pb.reportedAt ? 1 : pa.reportedAt > pb.reportedAt ? -1 : 0;
    });
    return out;
  }

  /** refresh redraws the names (the entities they come from may have arrived later). */
  refresh() {
    this.dirty = true;
  }

  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    const open = this.open();
    const keep = new Set();
    for (const [id, f] of open) {
      const c = f.geometry && f.geometry.type === "Point" && f.geometry.coordinates;
      if (!c) continue;
      keep.add(id);
      const ll = [c[1], c[0]];
      const lvl = f.properties.level || "";
      let m = this.pulses.get(id);
      if (!m) {
        const icon = L.divIcon({ className: "incident-pulse", iconSize: [56, 56], html: "<i></i><i></i>" });
        m = L.marker(ll, { icon, pane: "pulse", interactive: false, keyboard: false });
        this.layer.addLayer(m);
        this.pulses.set(id, m);
      } else {
        m.setLatLng(ll);
      }
      const e = m.getElement();
      if (e) {
        e.dataset.id = id;
        e.dataset.level = lvl;
        e.style.setProperty("--pulse", LEVEL_COLORS[lvl] || "#c92a2a");
      }
    }
    for (const [id, m] of this.pulses) {
      if (!keep.has(id)) {
        this.layer.removeLayer(m);
        this.pulses.delete(id);
      }
    }
    this.renderBanner(open);
  }

  renderBanner(open) {
    const b = this.banner;
    b.hidden = open.length === 0;
    if (!open.length) {
      b.replaceChildren();
      return;
    }
    const items = open.slice(0, BANNER_MAX).map(([id, f]) => {
      const p = f.properties;
      const it = document.createElement("button");
      it.type = "button";
      it.className = "incident-alert-item";
      it.dataset.id = id;
      it.dataset.level = p.level || "";
      it.title = t("alert.banner.fly");
      const lv = document.createElement("span");
      lv.className = "lvl";
      lv.style.background = LEVEL_COLORS[p.level] || "#c92a2a";
      lv.textContent = t("enum.responseLevel." + p.level);
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = incidentName(this.store, f);
      const time = document.createElement("span");
      time.className = "time";
      time.textContent = beijing(p.reportedAt, "short");
      it.append(lv, name, time);
      return it;
    });
    const head = document.createElement("span");
    head.className = "head";
    head.textContent = t("alert.banner.title", { n: open.length });
    b.replaceChildren(head, ...items);
    if (open.length > BANNER_MAX) {
      const more = document.createElement("span");
      more.className = "more";
      more.textContent = t("alert.banner.more", { n: open.length - BANNER_MAX });
      b.append(more);
    }
  }

  /** stats are for the tests: {beeps, missed, blocked, muted, last, pulses}. */
  stats() {
    return { beeps: this.beeps, missed: this.missed, blocked: this.blocked(), muted: this.muted, last: this.last, pulses: this.pulses.size };
  }
}
