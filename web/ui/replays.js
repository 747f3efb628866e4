// replays.js — the drills page's replay card (复盘): a form that opens a
// replay of the live park's journal between two Beijing times and opens
// its console, and the open replays with their state and links.
//
// Hooks for automated browser tests (see drills.js): #replay-form with
// input[name=from], input[name=to] (datetime-local, Beijing time) and
// button[type=submit]; #replay-result shows a refusal; #replay-list tbody
// tr[data-id=<replay>][data-state] each, with a.open and a.report.

import { t, lang, beijing, beijingInput, fromBeijing } from "./i18n.js";
import { el } from "./dom.js";
import * as api from "./replayapi.js";
import { consoleURL } from "./drillapi.js";
import { can } from "./can.js";

const $ = (s) => document.querySelector(s);
const DEFAULT_WINDOW_MS = 3600 * 1000; // the form's first guess: the last hour

let list = []; // the replays as GET /api/v1/replays last gave them
let refusal = null; // {msg}: the last refusal of the form, redrawn on a language change

/** startReplays fills the form's first guess and sets it to open replays. */
export function startReplays() {
  const f = $("#replay-form");
  f.hidden = !can("POST", "/api/v1/replays"); // only to the roles that may open one (can.js)
  const now = Math.floor(Date.now() / 1000) * 1000;
  f.elements.from.value = beijingInput(now - DEFAULT_WINDOW_MS);
  f.elements.to.value = beijingInput(now);
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    openReplay(f);
  });
}

async function openReplay(f) {
  const from = fromBeijing(f.elements.from.value), to = fromBeijing(f.elements.to.value);
  const submit = f.querySelector("button[type=submit]");
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    refusal = { key: "replays.bad" };
    drawRefusal();
    return;
  }
  submit.disabled = true;
  submit.textContent = t("replays.opening");
  try {
    const st = await api.open(from, to);
    location.assign(consoleURL(st.twin || st.id)); // the replay is watched in its own console
  } catch (err) {
    // The server says why: the journal begins later, the end has not come yet…
    refusal = { key: "replays.open.failed", msg: err.message };
    drawRefusal();
  }
  submit.disabled = false;
  submit.textContent = t("replays.open");
}

function drawRefusal() {
  const box = $("#replay-result");
  box.hidden = !refusal;
  if (refusal) box.textContent = t(refusal.key, { msg: refusal.msg });
}

/** loadReplays lists the open replays; a failure leaves the last list. */
export async function loadReplays() {
  try {
    list = await api.replays();
  } catch {
    /* the drills' list says when the server is away */
  }
  renderReplays();
}

/** replays are the replays as last listed. */
export const replays = () => list;

/** windowText is a replay's window in Beijing time, its end's date only when another day. */
function windowText(r) {
  const from = beijing(r.from, "short"), to = beijing(r.to, "short");
  return `${from} – ${from.slice(0, 5) === to.slice(0, 5) ? beijing(r.to, "time") : to}`;
}

/** renderReplays draws the list, and the refusal, in the current language. */
export function renderReplays() {
  drawRefusal();
  const body = $("#replay-list tbody");
  body.replaceChildren();
  $("#replay-empty").hidden = list.length > 0;
  for (const r of list) {
    const tr = el("tr");
    tr.dataset.id = r.id;
    tr.dataset.state = r.state;
    const state = el("span", "badge state", t("replay.state." + r.state));
    state.dataset.state = r.state;
    const links = el("td");
    const open = el("a", "open", t("drills.open"));
    open.href = consoleURL(r.twin || r.id);
    const rep = el("a", "report", t("replay.report"));
    rep.href = api.reportURL(r.id, "html", lang());
    rep.target = "_blank";
    links.append(open, " · ", rep);
    const cells = [el("td", "", r.id), el("td", "time", windowText(r)), el("td"), el("td", "num", `${r.applied}/${r.events}`), links];
    cells[2].append(state);
    tr.append(...cells);
    body.append(tr);
  }
}
