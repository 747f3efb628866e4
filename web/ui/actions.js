// actions.js — the closed loop's actions as buttons with their forms, in
// the panel of the thing they act on:
//
//   an alarm         close, with a note (once its condition has cleared)
//   an order (核查单) acknowledge; answer (cause, action, note); close;
//                    return, with a reason
//   an enterprise,   register a hidden danger there (title, owner, due
//   a tank           date, description; a tank's place)
//   a hidden danger  each state its state machine allows next
//   a task           done
//
// Which actions an entity allows, and to whom, comes from Go
// (lifecycle.js, generated from the twin's state machines and the route
// table): a button shows only when the action is legal now and the user's
// role may call it. An error from the API shows in the form, in the chosen
// language; on success the form closes and the entity's new state arrives
// from the stream, which redraws the panel.
//
// Hooks for browser tests: every action is a form.loop-form[data-action]
// (alarm.close, order.ack, order.feedback, order.close, order.return,
// danger.register, danger.state, task.done) inside div.loop-actions[data-id];
// a form with fields opens from button.loop-open[data-action] and submits
// with its button[type=submit]; danger.state forms carry data-to (the
// state). After an answer, .loop-msg[data-action] has data-result = ok |
// error (and data-code = the API's error code).

import { API, apiFetch } from "./api.js";
import { t, propLabel, lang } from "./i18n.js";
import { el } from "./dom.js";
import { known, msgText, msgNodes, roleRefusal } from "./msg.js";
import { ALARM_CLOSABLE, DANGER_NEXT, ORDER_ACTIONS } from "./lifecycle.js";
import { can } from "./can.js";

/** may reports whether this console's user may call an action's route (can.js: the route table's roles). */
export function may(action) {
  switch (action) {
    case "alarm.close": return can("POST", "/api/v1/alarms/{id}/close");
    case "order.ack": return can("POST", "/api/v1/orders/{id}/ack");
    case "order.feedback": return can("POST", "/api/v1/orders/{id}/feedback");
    case "order.close": return can("POST", "/api/v1/orders/{id}/close");
    case "order.return": return can("POST", "/api/v1/orders/{id}/return");
    case "danger.register": return can("POST", "/api/v1/hidden-dangers");
    case "danger.state": return can("POST", "/api/v1/hidden-dangers/{id}/state");
    case "task.done": return can("POST", "/api/v1/tasks/{id}/done");
  }
  return false;
}

// The forms: their fields, their route and body.
const FORMS = {
  "alarm.close": {
    fields: [{ name: "note", type: "textarea" }],
    url: (id) => `${API}/alarms/${encodeURIComponent(id)}/close`,
  },
  "order.ack": { fields: [], url: (id) => `${API}/orders/${encodeURIComponent(id)}/ack` },
  "order.feedback": {
    fields: [
      { name: "cause", type: "textarea", required: true },
      { name: "action", type: "textarea", required: true },
      { name: "note", type: "text" },
    ],
    url: (id) => `${API}/orders/${encodeURIComponent(id)}/feedback`,
  },
  "order.close": { fields: [], url: (id) => `${API}/orders/${encodeURIComponent(id)}/close` },
  "order.return": {
    fields: [{ name: "note", type: "textarea", required: true, label: "loop.f.returnReason" }],
    url: (id) => `${API}/orders/${encodeURIComponent(id)}/return`,
  },
  "danger.register": {
    fields: [
      { name: "title", type: "text", required: true },
      { name: "owner", type: "text", required: true, label: "loop.f.dangerOwner" },
      { name: "due", type: "date", required: true },
      { name: "description", type: "textarea" },
    ],
    url: () => `${API}/hidden-dangers`,
  },
  "danger.state": { fields: [], url: (id) => `${API}/hidden-dangers/${encodeURIComponent(id)}/state` },
  "task.done": { fields: [], url: (id) => `${API}/tasks/${encodeURIComponent(id)}/done` },
};

export class Actions {
  /**
   * @param {{store: import("./store.js").Store, onCreated?: (id: string) => void}} o
   */
  constructor({ store, onCreated }) {
    this.store = store;
    this.onCreated = onCreated;
    // What survives a redraw of the panel (the stream redraws it often):
    // the form open on each entity, what was typed, the last answer.
    this.open = new Map(); // entity ID → action open
    this.values = new Map(); // `${id}|${action}` → {field: value}
    this.msgs = new Map(); // entity ID → {action, ok, text, code}
    this.busy = new Set(); // `${id}|${action}` posting
    this.onChange = null; // (id) => void: the panel redraws what it shows of id (set by panel.js)
  }

  /** section returns the actions of the entity shown, or null when there are none for this user. */
  section(layer, id, f) {
    const p = (f && f.properties) || {};
    const acts = []; // [action, extra]
    switch (layer) {
      case "alarms":
        if (ALARM_CLOSABLE.includes(p.state)) acts.push(["alarm.close"]);
        break;
      case "orders":
        for (const a of ["ack", "feedback", "close", "return"]) {
          if ((ORDER_ACTIONS[a] || []).includes(p.state)) acts.push(["order." + a]);
        }
        break;
      case "hidden-dangers":
        for (const to of DANGER_NEXT[p.state] || []) acts.push(["danger.state", { from: p.state, to }]);
        break;
      case "tasks":
        if (!p.done) acts.push(["task.done"]);
        break;
      case "enterprises":
      case "tanks":
        acts.push(["danger.register"]);
        break;
    }
    const mine = acts.filter(([a]) => may(a));
    const msg = this.msgs.get(id);
    if (!mine.length && !msg) return null;
    const box = el("div", "section loop-actions");
    box.dataset.id = id;
    box.append(el("h4", "", t("loop.title")));
    const bar = el("div", "loop-bar");
    box.append(bar);
    const forms = [];
    for (const [a, extra] of mine) {
      const def = FORMS[a];
      if (!def.fields.length) {
        bar.append(this.form(layer, id, f, a, def, extra));
      } else {
        const b = el("button", "btn loop-open", t("loop.act." + a));
        b.type = "button";
        b.dataset.action = a;
        b.setAttribute("aria-expanded", String(this.open.get(id) === a));
        b.addEventListener("click", () => {
          this.open.set(id, this.open.get(id) === a ? null : a);
          this.msgs.delete(id);
          this.redraw(box, layer, id, f);
        });
        bar.append(b);
        if (this.open.get(id) === a) forms.push(this.form(layer, id, f, a, def));
      }
    }
    box.append(...forms);
    if (msg) {
      const m = el("div", `msg loop-msg ${msg.ok ? "ok" : "error"}`, msg.said ? "" : msg.text);
      // a coded refusal: its names and values (a route, an ID) in span.arg
      if (msg.said) m.append(...msgNodes(msg.said));
      m.dataset.action = msg.action;
      m.dataset.result = msg.ok ? "ok" : "error";
      if (msg.code) m.dataset.code = msg.code;
      if (msg.created) {
        // the new danger: its panel has its next states
        const a = el("a", "ref loop-created", msg.created);
        a.href = "#";
        a.dataset.ref = msg.created;
        m.append(" ", a);
      }
      box.append(m);
    }
    return box;
  }

  redraw(box, layer, id, f) {
    const now = this.section(layer, id, this.store.find(id)?.feature || f);
    if (now) box.replaceWith(now);
    else box.remove();
  }

  /** form makes one action's form: its fields, and a submit button labelled with the action. */
  form(layer, id, f, action, def, extra) {
    const form = el("form", "loop-form");
    form.dataset.action = action;
    form.noValidate = true; // the API checks; its errors show here in the chosen language
    const key = `${id}|${action}`;
    const kept = this.values.get(key) || {};
    for (const fd of def.fields) {
      const label = el("label", "loop-field");
      label.append(el("span", "", t(fd.label || "loop.f." + fd.name) + (fd.required ? " *" : "")));
      const input = document.createElement(fd.type === "textarea" ? "textarea" : "input");
      if (fd.type !== "textarea") input.type = fd.type;
      input.name = fd.name;
      if (fd.type === "textarea") input.rows = 2;
      input.value = kept[fd.name] ?? (fd.type === "date" ? defaultDue() : "");
      input.addEventListener("input", () => {
        const v = this.values.get(key) || {};
        v[fd.name] = input.value;
        this.values.set(key, v);
      });
      label.append(input);
      form.append(label);
      if (action === "danger.register" && fd.name === "due") form.append(pastDueWarning(input));
    }
    const submit = el("button", def.fields.length ? "primary" : "btn", this.submitText(action, extra));
    submit.type = "submit";
    submit.dataset.action = action;
    if (extra && extra.to) {
      form.dataset.to = extra.to;
      submit.dataset.to = extra.to;
    }
    submit.disabled = this.busy.has(key);
    form.append(submit);
    if (def.fields.length) {
      const cancel = el("button", "btn cancel", t("loop.cancel"));
      cancel.type = "button";
      cancel.addEventListener("click", () => {
        this.open.delete(id);
        const box = form.closest(".loop-actions");
        if (box) this.redraw(box, layer, id, f);
      });
      form.append(cancel);
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const vals = {};
      for (const fd of def.fields) vals[fd.name] = form.elements[fd.name].value.trim();
      this.submit(form, layer, id, action, vals, extra);
    });
    return form;
  }

  submitText(action, extra) {
    if (action === "danger.state") return t(`loop.danger.${extra.from}.${extra.to}`);
    return t(FORMS[action].fields.length ? "loop.submit" : "loop.act." + action);
  }

  /** body is what an action posts. */
  body(layer, id, action, v, extra) {
    switch (action) {
      case "alarm.close":
        return { note: v.note };
      case "order.feedback":
        return { cause: v.cause, action: v.action, note: v.note };
      case "order.return":
        return { note: v.note };
      case "danger.state":
        return { state: extra.to };
      case "danger.register": {
        const f = this.store.find(id)?.feature;
        const p = (f && f.properties) || {};
        const props = { enterprise: layer === "enterprises" ? id : p.enterprise, title: v.title, owner: v.owner, due: v.due };
        if (v.description) props.description = v.description;
        // a tank's place is where the danger is; an enterprise's is its parcel, no point
        const geometry = layer === "tanks" && f && f.geometry && f.geometry.type === "Point" ? f.geometry : null;
        return { type: "Feature", geometry, properties: props };
      }
    }
    return {};
  }

  async submit(form, layer, id, action, vals, extra) {
    const key = `${id}|${action}`;
    if (this.busy.has(key)) return;
    this.busy.add(key);
    for (const b of form.querySelectorAll("button")) b.disabled = true;
    // the last answer goes as the next is asked for
    this.msgs.delete(id);
    const box0 = form.closest(".loop-actions");
    if (box0) for (const m of box0.querySelectorAll(".loop-msg")) m.remove();
    let msg;
    try {
      const res = await apiFetch(FORMS[action].url(id), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(this.body(layer, id, action, vals, extra)),
      });
      let data = null;
      try {
        data = await res.json();
      } catch {
        /* the status says it */
      }
      if (res.ok) {
        const created = action === "danger.register" && data && data.id;
        msg = { action, ok: true, text: t("loop.done." + action, { id: created || id }) };
        this.values.delete(key);
        this.open.delete(id);
        if (created) {
          msg.created = created;
          if (this.onCreated) this.onCreated(created);
        }
      } else {
        msg = { action, ok: false, text: errorText(res.status, data, FORMS[action].fields), code: (data && data.error) || String(res.status), said: data && known(data.msg) ? data.msg : null };
      }
    } catch (err) {
      msg = { action, ok: false, text: t("loop.err.network", { msg: err.message }), code: "network" };
    }
    this.busy.delete(key);
    this.msgs.set(id, msg);
    // The stream may have redrawn the panel meanwhile, even without this
    // box: the panel draws it again.
    if (this.onChange) this.onChange(id);
  }

  /** forget drops what was kept for an entity's forms when its panel closes. */
  forget(id) {
    this.open.delete(id);
    this.msgs.delete(id);
  }
}

/** errorText renders the API's error in the chosen language: its code and field (as the form's fields label it), and in English its message. */
export function errorText(status, data, fields = []) {
  // A role's refusal is a plain sentence, without the route (msg.js).
  if (status === 403 && roleRefusal(data)) return roleRefusal(data);
  // A coded error says it all in the chosen language (msg.js).
  if (data && known(data.msg)) return msgText(data.msg);
  const code = (data && data.error) || "";
  const field = data && data.field ? fieldLabel(data.field, fields) : "";
  const key = "loop.err." + code;
  let text = t(key) === key ? t("loop.err.status", { status }) : t(key, { field });
  if (code === "invalid" && !field) text = t("loop.err.invalidNoField");
  // The server's own words are English: the English console adds them.
  if (lang() === "en" && data && data.message) text += ` (${data.message})`;
  return text;
}

/** fieldLabel names a field the API named: as the form labels it, else as the panel does. */
function fieldLabel(f, fields) {
  const name = String(f).replace(/^properties\./, "");
  const fd = fields.find((x) => x.name === name);
  if (fd && fd.label) return t(fd.label);
  const key = "loop.f." + name;
  const lbl = t(key);
  return lbl === key ? propLabel(name) : lbl;
}

/** defaultDue is a week from today (Beijing date), as a date input's value. */
/**
 * pastDueWarning warns, under a danger's due date, that a date already past
 * makes the danger overdue at once (a reminder task is raised). Such a date
 * is taken, not refused: a danger found earlier and entered late (补录, an
 * inspection's or an old ledger's open dangers) is overdue and needs its
 * reminder. Hook: p.loop-warn[data-warn=past-due], hidden unless past.
 */
function pastDueWarning(input) {
  const warn = el("p", "msg loop-warn", t("loop.warn.pastDue"));
  warn.dataset.warn = "past-due";
  const check = () => {
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10); // Beijing
    warn.hidden = !(input.value && input.value < today);
  };
  input.addEventListener("input", check);
  input.addEventListener("change", check);
  check();
  return warn;
}

function defaultDue() {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + 7 * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}
