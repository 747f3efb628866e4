// notice.js — a panel's status line ("已释放 …", "操作失败：…") kept as
// what it says, not as finished text: an i18n key with its values and,
// for a refusal, the server's error body. It is rendered each time the
// panel is drawn, so that after a change of language it speaks the new one.

import { errorText, known, msgNodes } from "./msg.js";
import { lang, t } from "./i18n.js";
import { el } from "./dom.js";

/** Refused is a request the server refused: its message is the refusal in the language of the moment, and it keeps the body to render it again in another. */
export class Refused extends Error {
  /**
   * @param {object|null} body the error body ({error, message, field, msg})
   * @param {number} status the HTTP status
   * @param {(body: object|null, status: number) => string} [render] how to write it (errorText by default)
   */
  constructor(body, status, render = errorText) {
    super(render(body, status));
    this.body = body;
    this.status = status;
    this.render = render;
  }

  /** text is the refusal in the console's language now. */
  text() {
    return this.render(this.body, this.status);
  }

  /** nodes is the refusal as nodes, its names and values in span.arg, when the Chinese console draws it from its message; else null (text). */
  nodes() {
    if (lang() === "en" || !this.body || !known(this.body.msg)) return null;
    return msgNodes(this.body.msg);
  }
}

/**
 * notice is a status line: t(key, vars) when drawn. A value of vars may
 * be a function (called when drawn: a number formatted in the language)
 * or an error (a Refused rendered again in the language); names are the
 * vars that are proper names (a vehicle's, an ID), drawn in span.arg;
 * after is a name appended after " · " (the target of an order).
 */
export function notice(key, vars = {}, { error = false, names = [], after = "" } = {}) {
  return { key, vars, error, names, after };
}

/** failed is the notice of an action that failed with err: "操作失败：…". */
export function failed(err) {
  return notice("incidents.failed", { msg: err }, { error: true });
}

/** noticeEl draws a notice as div.msg (ok or error), its names (and a refusal's) in span.arg. */
export function noticeEl(n) {
  const d = el("div", n.error ? "msg error" : "msg ok");
  const vars = {};
  const slots = []; // nodes of the values that stand apart: names, refusals
  for (const [k, v] of Object.entries(n.vars || {})) {
    const ns = v instanceof Refused ? v.nodes() : null;
    if (ns || (n.names || []).includes(k)) {
      vars[k] = `\u0001${slots.length}\u0001`;
      slots.push(ns || [el("span", "arg", String(value(v) ?? ""))]);
    } else vars[k] = value(v);
  }
  t(n.key, vars).split("\u0001").forEach((part, i) => {
    if (i % 2 === 0) d.append(part);
    else d.append(...slots[Number(part)]);
  });
  if (n.after) d.append(" · ", el("span", "arg", n.after));
  return d;
}

function value(v) {
  if (typeof v === "function") return v();
  if (v instanceof Refused) return v.text();
  if (v instanceof Error) return v.message;
  return v;
}
