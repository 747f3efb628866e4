// Small DOM builders shared by the console's panels and lists.

import { t } from "./i18n.js";

/** el makes an element with an optional class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** section makes a panel section headed by title. */
export function section(title) {
  const box = el("div", "section");
  box.append(el("h4", "", title));
  return box;
}

/** table makes a live table whose header row is the i18n keys given. */
export function table(headerKeys) {
  const tbl = el("table", "live");
  const hr = el("tr");
  for (const k of headerKeys) hr.append(el("th", "", t(k)));
  tbl.append(hr);
  return tbl;
}
