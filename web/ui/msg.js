// msg.js — renders the messages parkd sends beside its English texts
// (reasonMsg, noteMsgs, whatMsg: {code, args}, or a list of them read
// one after the other) in the console's language, from the catalogue
// parkd serves as messages.js (generated from Go: web/uimessages.go).
//
// In a template {name} stands for an argument: another message (or a
// list of them), rendered in turn; an enumeration value (the template's
// enums name its key prefix), shown in the language; a time (kinds: time)
// in Beijing time, a duration (kinds: duration, in seconds) in words; or a proper name or
// a number, shown as it is inside <span class="arg">, so that a test can
// tell the names apart from the console's own words.

import CATALOGUE from "./messages.js";
import { lang, t, has, number, beijing, span } from "./i18n.js";

/** word translates value under a key prefix ("equipment.", "enum.vehicleType."): from the catalogue, then i18n. */
export function word(prefix, value) {
  const key = prefix + value;
  if (key in CATALOGUE) return msgText({ code: key });
  if (has(key)) return t(key);
  return String(value ?? "");
}

/** known reports whether m is a message (or a list of them) the catalogue can render. */
export function known(m) {
  if (Array.isArray(m)) return m.length > 0 && m.every(known);
  return !!m && typeof m === "object" && m.code in CATALOGUE;
}

/** msgNodes renders m (a message or a list) as nodes: the console's words as text, names and numbers in span.arg. */
export function msgNodes(m) {
  const out = [];
  walk(m, (text, isArg) => {
    if (!isArg) {
      out.push(document.createTextNode(text));
      return;
    }
    const s = document.createElement("span");
    s.className = "arg";
    s.textContent = text;
    out.push(s);
  });
  return out;
}

/** msgText renders m (a message or a list) as text. */
export function msgText(m) {
  let s = "";
  walk(m, (text) => {
    s += text;
  });
  return s;
}

function walk(m, emit) {
  if (Array.isArray(m)) {
    for (const x of m) walk(x, emit);
    return;
  }
  if (!m || typeof m !== "object") return;
  const tp = CATALOGUE[m.code];
  if (!tp) {
    emit(m.code, true);
    return;
  }
  const s = lang() === "en" ? tp.en : tp.zh;
  const args = m.args || {};
  const enums = tp.enums || {};
  const kinds = tp.kinds || {};
  let at = 0;
  for (const ph of s.matchAll(/\{(\w+)\}/g)) {
    if (ph.index > at) emit(s.slice(at, ph.index), false);
    at = ph.index + ph[0].length;
    const name = ph[1];
    const v = args[name];
    if (v === undefined) emit(ph[0], true);
    else if (kinds[name] === "time") emit(beijing(v), true);
    else if (kinds[name] === "duration" && seconds(v) !== null) emit(span(seconds(v)), false);
    else if (Array.isArray(v) || (v && typeof v === "object")) walk(v, emit);
    else if (name in enums && v === "") continue; // a field not named
    else if (name in enums) {
      // an enumeration value the console has no word for (a unit "L", a
      // field's path) is shown as it is, like a name
      const key = enums[name] + v;
      if (key in CATALOGUE || has(key)) emit(word(enums[name], v), false);
      else emit(String(v), true);
    }
    else emit(String(v), true);
  }
  if (at < s.length) emit(s.slice(at), false);
}

/** seconds reads a duration argument: seconds, or Go's text of a duration ("1h0m0s", "1m30s", "45s") that notes written before held; null when it is neither. */
export function seconds(v) {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(String(v ?? ""));
  if (!m || !String(v)) return null;
  return Number(m[1] || 0) * 3600 + Number(m[2] || 0) * 60 + Number(m[3] || 0);
}

/** propNodes renders the property k of p: from its message p[k + "Msg"] (a text the server wrote, in the console's language) when the catalogue knows it, or null. */
export function propNodes(p, k) {
  const m = p[k + "Msg"];
  if (!known(m)) return null;
  const span = document.createElement("span");
  span.className = "msg";
  span.append(...msgNodes(m));
  return span;
}

/** said makes an element of tag and class holding message m, or, without one the catalogue knows, text in the English console alone (an English text no one has coded yet stays out of the Chinese one). */
export function said(tag, cls, m, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (known(m)) e.append(...msgNodes(m));
  else if (lang() === "en" && text) e.textContent = text;
  else e.dataset.untranslated = "1";
  return e;
}

/** tNodes is t(key, vars) as nodes, the values of names (proper names: roads, enterprises) in span.arg. */
export function tNodes(key, vars, names) {
  const v = { ...vars };
  names.forEach((n, i) => {
    v[n] = `\u0001${i}\u0001`;
  });
  return t(key, v).split("\u0001").map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const s = document.createElement("span");
    s.className = "arg";
    s.textContent = String(vars[names[Number(part)]] ?? "");
    return s;
  });
}

/** errorText is a refused request's error body ({error, message, field, msg}) in the console's language. */
export function errorText(body, status) {
  if (!body || typeof body !== "object") return `HTTP ${status}`;
  // A role's refusal: a sentence in the language, without the raw route.
  const role = roleRefusal(body);
  if (role) return role;
  // English: the message, as precise as the server wrote it; else the coded message in the language
  if (lang() === "en" && body.message) return body.message;
  if (known(body.msg)) return msgText(body.msg);
  if (!body.error) return `HTTP ${status}`;
  // An error not coded yet: its kind, and the field, in the language.
  const heading = { code: "error." + body.error };
  if (!known(heading)) return body.message || `HTTP ${status}`;
  return msgText(body.field ? { code: "error.field", args: { heading, field: body.field } } : heading);
}

/**
 * roleRefusal is a refusal for the caller's role (the guard's 403, message
 * error.role: "a viewer may not POST /api/v1/…") as a plain sentence in the
 * console's language, the role named and the route left out; "" for any
 * other body.
 */
export function roleRefusal(body) {
  const m = body && body.msg;
  if (!m || m.code !== "error.role") return "";
  const role = m.args && m.args.role;
  return role ? t("error.roleRefused", { role: word("enum.role.", role) }) : t("error.roleRefusedAnon");
}

/** shortfallNodes renders a plan's shortfall: what it is (its message, or the equipment's name), needed and available. */
export function shortfallNodes(s) {
  const out = known(s.whatMsg) ? msgNodes(s.whatMsg) : [document.createTextNode(word("equipment.", s.what))];
  out.push(document.createTextNode(t("plan.shortfall.need", { needed: number(s.needed), available: number(s.available), unit: word("unit.", s.unit || "") })));
  return out;
}
