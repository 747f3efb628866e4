// api.js — where this console's park lives. The same console serves the
// live park at / and each sandbox at /twins/{id}/: the page's own path
// says which twin, and every request goes to that twin's API.

const m = location.pathname.match(/^\/twins\/([^/]+)\//);

// TWIN is the twin this page shows: "live", or a sandbox's ID.
export const TWIN = m ? decodeURIComponent(m[1]) : "live";

// API is the base of every REST route and of the stream for this twin.
export const API = m ? `/api/v1/twins/${encodeURIComponent(TWIN)}` : "/api/v1";

// ─── The session ───────────────────────────────────────────────────────
// The console runs in a session: the cookie (HTTP-only, so not readable
// here) proves who it is, and every change it asks for carries the
// session's CSRF token, which GET /api/v1/me gives. Without a session the
// page goes to the login page, which brings it back here.

/** loginURL is the login page, with the way back to this page. */
export function loginURL() {
  return "/ui/login.html?next=" + encodeURIComponent(location.pathname + location.search);
}

async function whoAmI() {
  try {
    const res = await fetch("/api/v1/me", { headers: { Accept: "application/json" } });
    if (res.status === 401) {
      location.replace(loginURL());
      return new Promise(() => {}); // the page is leaving: nothing runs on
    }
    if (res.ok) return await res.json();
  } catch {
    /* the server is away: the page shows that; the next change will tell */
  }
  return { user: "", role: "", csrf: "" };
}

/** ME is who this console acts as: {user, role, csrf, enterprise?, warehouses?}. */
export const ME = await whoAmI();

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * apiFetch is fetch with the session's CSRF token on every change; an
 * answer 401 (the session ended) sends the page to the login page.
 */
export async function apiFetch(url, init = {}) {
  const method = (init.method || "GET").toUpperCase();
  if (!SAFE.has(method)) {
    const headers = new Headers(init.headers || {});
    headers.set("X-CSRF-Token", ME.csrf || "");
    init = { ...init, headers };
  }
  const res = await fetch(url, init);
  if (res.status === 401) location.replace(loginURL());
  return res;
}

/** checkSession sends the page to the login page when its session has ended. */
export async function checkSession() {
  try {
    const res = await fetch("/api/v1/me", { headers: { Accept: "application/json" } });
    if (res.status === 401) location.replace(loginURL());
  } catch {
    /* the server is away: the stream goes on trying */
  }
}

/** logout ends the session and goes to the login page. */
export async function logout() {
  try {
    await apiFetch("/api/v1/logout", { method: "POST" });
  } finally {
    location.replace("/ui/login.html");
  }
}

// The user and the logout button, where a page has them.
const userBox = document.getElementById("user-name");
if (userBox) {
  userBox.textContent = ME.user;
  userBox.dataset.role = ME.role;
  userBox.title = ME.role;
}
const logoutBtn = document.getElementById("logout");
if (logoutBtn) logoutBtn.addEventListener("click", () => logout());
