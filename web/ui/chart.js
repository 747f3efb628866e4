// chart.js — a small trend chart on a <canvas>: one-minute buckets of a
// sensor's history drawn as a min/max band with the mean line, the
// sensor's alarm limits as dashed lines, and a crosshair readout.

import { beijing, number, t } from "./i18n.js";

const LIMIT_COLORS = { hh: "#e03131", h: "#f76707", l: "#f76707", ll: "#e03131" };
const GAP_MS = 3 * 60 * 1000; // buckets further apart than this are not joined

export class TrendChart {
  /**
   * @param {HTMLCanvasElement} canvas
   */
  constructor(canvas) {
    this.canvas = canvas;
    this.buckets = [];
    this.limits = {};
    this.unit = "";
    this.from = 0;
    this.to = 0;
    this.hover = null;
    this.message = "";
    canvas.addEventListener("mousemove", (e) => {
      const r = canvas.getBoundingClientRect();
      this.hover = e.clientX - r.left;
      this.draw();
    });
    canvas.addEventListener("mouseleave", () => {
      this.hover = null;
      this.draw();
    });
  }

  /** setMessage shows a line of text instead of data (loading, empty, failed). */
  setMessage(text) {
    this.message = text;
    this.buckets = [];
    this.draw();
  }

  /**
   * setData draws a history.
   * @param {{t: string, min: number, max: number, mean: number}[]} buckets
   * @param {{from: string, to: string, limits: object, unit: string}} o
   */
  setData(buckets, { from, to, limits, unit }) {
    this.buckets = buckets.map((b) => ({ t: Date.parse(b.t), min: b.min, max: b.max, mean: b.mean, last: b.last, count: b.count }));
    this.buckets.sort((a, b) => a.t - b.t);
    this.from = Date.parse(from);
    this.to = Date.parse(to);
    this.limits = limits || {};
    this.unit = unit || "";
    this.message = this.buckets.length ? "" : t("details.chart.empty");
    this.draw();
  }

  draw() {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth || 320, h = c.clientHeight || 160;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = "11px system-ui, sans-serif";
    if (this.message || !this.buckets.length) {
      ctx.fillStyle = "#6b7785";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(this.message || t("details.chart.empty"), w / 2, h / 2);
      return;
    }
    const pad = { l: 44, r: 8, t: 8, b: 20 };
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    const bs = this.buckets;
    let lo = Infinity, hi = -Infinity;
    for (const b of bs) {
      lo = Math.min(lo, b.min);
      hi = Math.max(hi, b.max);
    }
    // show the nearest limits when they are close to the data
    const lim = Object.entries(this.limits).filter(([, v]) => typeof v === "number");
    for (const [, v] of lim) {
      const span = Math.max(hi - lo, Math.abs(hi) * 0.05, 1e-6);
      if (v >= lo - span && v <= hi + span) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi - lo < 1e-9) {
      const d = Math.abs(hi) * 0.01 || 1;
      lo -= d;
      hi += d;
    }
    const m = (hi - lo) * 0.08;
    lo -= m;
    hi += m;
    const t0 = Number.isFinite(this.from) ? this.from : bs[0].t;
    const t1 = Number.isFinite(this.to) ? this.to : bs[bs.length - 1].t + 60000;
    const X = (tm) => pad.l + ((tm - t0) / Math.max(t1 - t0, 1)) * pw;
    const Y = (v) => pad.t + (1 - (v - lo) / (hi - lo)) * ph;

    // axes and grid
    ctx.strokeStyle = "#e3e7ec";
    ctx.lineWidth = 1;
    ctx.fillStyle = "#6b7785";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    const yt = niceTicks(lo, hi, 4);
    for (const v of yt) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(pad.l, y);
      ctx.lineTo(w - pad.r, y);
      ctx.stroke();
      ctx.fillText(number(v, 2), pad.l - 4, y);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const hour = 3600000;
    const span = t1 - t0;
    const step = span > 12 * hour ? 6 * hour : span > 4 * hour ? 2 * hour : span > hour ? 30 * 60000 : 10 * 60000;
    // ticks on round Beijing hours
    const bj = 8 * hour;
    for (let tm = Math.ceil((t0 + bj) / step) * step - bj; tm <= t1; tm += step) {
      const x = Math.round(X(tm)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, pad.t);
      ctx.lineTo(x, pad.t + ph);
      ctx.stroke();
      ctx.fillText(beijing(tm, "hm"), x, pad.t + ph + 4);
    }

    // limits
    for (const [k, v] of lim) {
      const y = Y(v);
      if (y < pad.t || y > pad.t + ph) continue;
      ctx.strokeStyle = LIMIT_COLORS[k] || "#888";
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(pad.l, y);
      ctx.lineTo(w - pad.r, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = LIMIT_COLORS[k] || "#888";
      ctx.textAlign = "left";
      ctx.textBaseline = "bottom";
      ctx.fillText(k.toUpperCase(), pad.l + 2, y - 1);
    }

    // the band and the mean, split where minutes are missing
    const runs = [];
    let run = [];
    for (const b of bs) {
      if (run.length && b.t - run[run.length - 1].t > GAP_MS) {
        runs.push(run);
        run = [];
      }
      run.push(b);
    }
    if (run.length) runs.push(run);
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.l, pad.t, pw, ph);
    ctx.clip();
    for (const r of runs) {
      const half = r.length === 1 ? 1.5 : 0;
      ctx.beginPath();
      r.forEach((b, i) => ctx[i ? "lineTo" : "moveTo"](X(b.t) - half, Y(b.max)));
      for (let i = r.length - 1; i >= 0; i--) ctx.lineTo(X(r[i].t) + half, Y(r[i].min));
      ctx.closePath();
      ctx.fillStyle = "rgba(28,126,214,0.22)";
      ctx.fill();
      ctx.beginPath();
      r.forEach((b, i) => ctx[i ? "lineTo" : "moveTo"](X(b.t), Y(b.mean)));
      ctx.strokeStyle = "#1864ab";
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    ctx.restore();

    // crosshair
    if (this.hover !== null && this.hover >= pad.l && this.hover <= w - pad.r) {
      const tm = t0 + ((this.hover - pad.l) / pw) * (t1 - t0);
      let best = null;
      for (const b of bs) if (!best || Math.abs(b.t - tm) < Math.abs(best.t - tm)) best = b;
      if (best && Math.abs(best.t - tm) < GAP_MS) {
        const x = X(best.t);
        ctx.strokeStyle = "#343a40";
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(x, pad.t);
        ctx.lineTo(x, pad.t + ph);
        ctx.stroke();
        const text = `${beijing(best.t, "hm")}  ${number(best.mean)} (${number(best.min)}–${number(best.max)}) ${this.unit}`;
        ctx.font = "11px system-ui, sans-serif";
        const tw = ctx.measureText(text).width + 8;
        const bx = Math.min(Math.max(x - tw / 2, pad.l), w - pad.r - tw);
        ctx.fillStyle = "rgba(255,255,255,0.92)";
        ctx.fillRect(bx, pad.t, tw, 16);
        ctx.fillStyle = "#1d2733";
        ctx.textAlign = "left";
        ctx.textBaseline = "top";
        ctx.fillText(text, bx + 4, pad.t + 2);
      }
    }
  }
}

/** niceTicks returns about n round values between lo and hi. */
function niceTicks(lo, hi, n) {
  const span = hi - lo;
  const raw = span / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}
