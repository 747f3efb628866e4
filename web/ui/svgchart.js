// svgchart.js — small charts drawn as SVG, no library: stacked bars by
// category, horizontal bars, and a donut. Each call replaces what the
// host element held with the chart and its legend. Every mark carries
// data-category / data-series / data-value (and a <title> for hover) so
// that a test, or a screen reader, can read what is drawn.

const NS = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function titled(e, text) {
  e.append(svgEl("title", {}, text));
  return e;
}

/** legend makes the list of series under a chart. */
function legend(items) {
  const ul = document.createElement("ul");
  ul.className = "chart-legend";
  for (const it of items) {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = it.color;
    li.append(sw, document.createTextNode(it.value === undefined ? it.label : `${it.label} ${it.value}`));
    ul.append(li);
  }
  return ul;
}

/** widthOf is the width to draw in: the host's, so that text keeps its size. */
function widthOf(host, fallback) {
  const w = Math.floor(host.clientWidth || 0);
  return w >= 200 ? w : fallback;
}

/** niceMax rounds a maximum up to 1, 2 or 5 × a power of ten, at least 1. */
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/**
 * barChart draws stacked vertical bars: one bar a category, one segment a
 * series.
 * @param {Element} host
 * @param {object} o
 * @param {{key: string, label: string}[]} o.categories
 * @param {{key: string, label: string, color: string}[]} o.series
 * @param {(category: string, series: string) => number} o.value
 */
export function barChart(host, { categories, series, value }) {
  const W = widthOf(host, 420), H = 200, left = 34, bottom = 22, top = 18, right = 6;
  const totals = categories.map((c) => series.reduce((n, s) => n + (value(c.key, s.key) || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart bars", role: "img" });
  const ph = H - top - bottom, pw = W - left - right;
  const y = (v) => top + ph - (v / max) * ph;
  for (const tick of [0, max / 2, max].filter(Number.isInteger)) {
    svg.append(svgEl("line", { x1: left, x2: W - right, y1: y(tick), y2: y(tick), class: "grid" }));
    svg.append(svgEl("text", { x: left - 4, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, String(tick)));
  }
  const slot = pw / Math.max(1, categories.length);
  const bw = Math.min(36, slot * 0.6);
  categories.forEach((c, i) => {
    const x = left + i * slot + (slot - bw) / 2;
    let acc = 0;
    const g = svgEl("g", { "data-category": c.key, "data-total": totals[i] });
    for (const s of series) {
      const v = value(c.key, s.key) || 0;
      if (v > 0) {
        const r = svgEl("rect", { x, y: y(acc + v), width: bw, height: y(acc) - y(acc + v), fill: s.color,
          "data-series": s.key, "data-value": v });
        g.append(titled(r, `${c.label} · ${s.label}: ${v}`));
      }
      acc += v;
    }
    if (totals[i] > 0) g.append(svgEl("text", { x: x + bw / 2, y: y(acc) - 3, "text-anchor": "middle", class: "total" }, String(totals[i])));
    g.append(svgEl("text", { x: x + bw / 2, y: H - 6, "text-anchor": "middle", class: "tick" }, c.label));
    svg.append(g);
  });
  host.replaceChildren(svg, legend(series));
}

/**
 * hbarChart draws one horizontal bar a row, against max.
 * @param {Element} host
 * @param {{key: string, label: string, value: number, color: string, text?: string}[]} rows
 * @param {number} max
 */
export function hbarChart(host, rows, max) {
  const W = widthOf(host, 420), row = 22, labelW = Math.min(180, W * 0.4), right = 56;
  const H = Math.max(row, rows.length * row) + 4;
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart hbars", role: "img" });
  const pw = W - labelW - right;
  rows.forEach((r, i) => {
    const yy = 2 + i * row;
    const g = svgEl("g", { "data-category": r.key, "data-value": r.value });
    const fits = Math.floor(labelW / 12); // CJK characters of the label column
    const label = r.label.length > fits ? r.label.slice(0, fits - 1) + "…" : r.label;
    g.append(titled(svgEl("text", { x: labelW - 6, y: yy + 15, "text-anchor": "end", class: "tick" }, label), r.label));
    g.append(svgEl("rect", { x: labelW, y: yy + 3, width: pw, height: row - 8, class: "track" }));
    const w = Math.max(0, Math.min(1, r.value / max)) * pw;
    g.append(titled(svgEl("rect", { x: labelW, y: yy + 3, width: w, height: row - 8, fill: r.color }), `${r.label}: ${r.text ?? r.value}`));
    g.append(svgEl("text", { x: labelW + pw + 4, y: yy + 15, class: "total" }, r.text ?? String(r.value)));
    svg.append(g);
  });
  host.replaceChildren(svg);
}

/**
 * donutChart draws the slices as a ring, their total in the middle.
 * @param {Element} host
 * @param {{key: string, label: string, value: number, color: string}[]} slices
 * @param {string} [caption] under the total
 */
export function donutChart(host, slices, caption = "") {
  const S = 160, R = 64, r = 40, c = S / 2;
  const total = slices.reduce((n, s) => n + s.value, 0);
  const svg = svgEl("svg", { viewBox: `0 0 ${S} ${S}`, class: "chart donut", role: "img", "data-total": total });
  if (total === 0) svg.append(svgEl("circle", { cx: c, cy: c, r: (R + r) / 2, class: "track", "stroke-width": R - r, fill: "none" }));
  let a0 = -Math.PI / 2;
  for (const s of slices) {
    if (!(s.value > 0)) continue;
    const a1 = a0 + (s.value / total) * 2 * Math.PI;
    const attrs = { fill: s.color, "data-series": s.key, "data-value": s.value };
    let mark;
    if (s.value === total) {
      // A whole ring: an arc cannot start and end at one point.
      mark = svgEl("path", { ...attrs, "fill-rule": "evenodd",
        d: `M${c - R},${c}a${R},${R} 0 1,0 ${2 * R},0a${R},${R} 0 1,0 ${-2 * R},0Z` +
          `M${c - r},${c}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z` });
    } else {
      const large = a1 - a0 > Math.PI ? 1 : 0;
      const p = (rad, a) => `${(c + rad * Math.cos(a)).toFixed(2)},${(c + rad * Math.sin(a)).toFixed(2)}`;
      mark = svgEl("path", { ...attrs,
        d: `M${p(R, a0)}A${R},${R} 0 ${large},1 ${p(R, a1)}L${p(r, a1)}A${r},${r} 0 ${large},0 ${p(r, a0)}Z` });
    }
    svg.append(titled(mark, `${s.label}: ${s.value}`));
    a0 = a1;
  }
  svg.append(svgEl("text", { x: c, y: c + 4, "text-anchor": "middle", class: "center" }, String(total)));
  if (caption) svg.append(svgEl("text", { x: c, y: c + 20, "text-anchor": "middle", class: "caption" }, caption));
  host.replaceChildren(svg, legend(slices.map((s) => ({ label: s.label, color: s.color, value: s.value }))));
}
