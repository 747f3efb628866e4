// stream.js — the websocket to /api/v1/stream (docs/stream.md).
//
// Stream connects, hands every message to onMessage in order, and
// reconnects by itself: after a close it waits 0.5 s, doubling up to 5 s,
// and resumes with ?since=<the last seq received>; a close with code 4001
// (resync: the server dropped us for falling behind) reconnects at once.
// A client dropped while its socket was full sees 1006 instead, and
// reconnects after 0.5 s, the backoff having been reset by messages. A
// connection that has said nothing for 20 s (heartbeats come every 5 s) is
// taken as dead and replaced. A connection refused before it opened
// makes the page check its session, and go to the login page when it has
// ended.

import { API, checkSession } from "./api.js";

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5000;
const SILENCE_MS = 20000;
const CLOSE_RESYNC = 4001;
const CLOSE_TWIN_ENDED = 4004; // a sandbox that was ended: nothing to reconnect to

export class Stream {
  /**
   * @param {object} o
   * @param {(msg: object) => void} o.onMessage each parsed message, in order
   * @param {(state: string) => void} o.onState "connecting" | "live" | "reconnecting" | "ended"
   * @param {() => number|null} o.since the seq to resume from, or null for a snapshot
   * @param {string[]} [o.layers] the layers to ask for; all when absent
   */
  constructor({ onMessage, onState, since, layers }) {
    this.onMessage = onMessage;
    this.onState = onState;
    this.since = since;
    this.layers = layers;
    this.ws = null;
    this.state = "";
    this.backoff = BACKOFF_MIN_MS;
    this.retryTimer = 0;
    this.lastHeard = 0;
    this.closes = 0; // connections lost, for the test hooks
    this.watchdog = setInterval(() => this.checkSilence(), 2000);
  }

  url() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const q = new URLSearchParams();
    if (this.layers && this.layers.length) q.set("layers", this.layers.join(","));
    const since = this.since();
    if (since !== null && since !== undefined) q.set("since", String(since));
    const qs = q.toString();
    return `${proto}//${location.host}${API}/stream${qs ? "?" + qs : ""}`;
  }

  setState(s) {
    if (s === this.state) return;
    this.state = s;
    this.onState(s);
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = 0;
    if (this.state === "") this.setState("connecting");
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (err) {
      console.error("stream:", err);
      this.retry(false);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.addEventListener("open", () => (opened = true));
    this.lastHeard = performance.now();
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.lastHeard = performance.now();
      this.setState("live");
    };
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      this.lastHeard = performance.now();
      this.backoff = BACKOFF_MIN_MS; // the server speaks: the link is good again
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (err) {
        console.error("stream: a message that is not JSON", err);
        return;
      }
      this.onMessage(msg);
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.closes++;
      if (ev.code !== 1000 && ev.code !== 1005) console.warn(`stream: closed with ${ev.code} ${ev.reason || ""}`);
      if (ev.code === CLOSE_TWIN_ENDED) {
        this.setState("ended");
        return;
      }
      // Refused before it opened: the session may have ended (idle, or
      // lost to a crash of the server; a graceful restart keeps it).
      if (!opened) checkSession();
      this.retry(ev.code === CLOSE_RESYNC);
    };
    ws.onerror = () => {
      /* a close follows; it is handled there */
    };
  }

  retry(now) {
    this.setState("reconnecting");
    clearTimeout(this.retryTimer);
    const wait = now ? 0 : this.backoff;
    if (!now) this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  checkSilence() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (performance.now() - this.lastHeard > SILENCE_MS) {
      console.warn("stream: silent for too long; reconnecting");
      const ws = this.ws;
      this.ws = null;
      try {
        ws.close(4000, "silent");
      } catch {
        /* closing anyway */
      }
      this.closes++;
      this.retry(true);
    }
  }

  /** send sends a client message (subscribe, unsubscribe) when connected. */
  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }
}
