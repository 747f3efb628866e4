// login.js — the login page: POST /api/v1/login with the user name and
// password; the answer sets the session's cookie, and the page goes back
// to where it was sent from (?next=, a path of this server only).
//
// Hooks for browser tests: #login-user, #login-password, #login-submit,
// #login-error (shown with the reason when a login is refused).

import { t, lang, setLang, applyI18n } from "./i18n.js";

applyI18n(document);
document.getElementById("lang-toggle").addEventListener("click", () => setLang(lang() === "en" ? "zh-CN" : "en"));

/** next is where to go once logged in: a page of this server, "/" otherwise.
 * Resolved as the browser will resolve it, so that no spelling (a tab or
 * a backslash the URL parser drops or turns) can lead to another origin. */
function next() {
  const n = new URLSearchParams(location.search).get("next") || "/";
  let u;
  try {
    u = new URL(n, location.origin);
  } catch {
    return "/";
  }
  return u.origin === location.origin ? u.pathname + u.search + u.hash : "/";
}

const form = document.getElementById("login-form");
const errBox = document.getElementById("login-error");

function fail(text) {
  errBox.textContent = text;
  errBox.hidden = false;
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  errBox.hidden = true;
  const body = { user: form.user.value.trim(), password: form.password.value };
  let res;
  try {
    res = await fetch("/api/v1/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch (e) {
    fail(t("login.error", { msg: e.message }));
    return;
  }
  if (res.ok) {
    location.replace(next());
    return;
  }
  let data = {};
  try {
    data = await res.json();
  } catch {
    /* the status says enough */
  }
  if (res.status === 401) fail(t("login.failed"));
  else if (res.status === 429) fail(t("login.locked", { s: res.headers.get("Retry-After") || "?" }));
  else fail(t("login.error", { msg: data.message || `HTTP ${res.status}` }));
  form.password.value = "";
  form.password.focus();
});
