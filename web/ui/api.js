// api.js — where this console's park lives. The same console serves the
// live park at / and each sandbox at /twins/{id}/: the page's own path
// says which twin, and every request goes to that twin's API.

const m = location.pathname.match(/^\/twins\/([^/]+)\//);

// TWIN is the twin this page shows: "live", or a sandbox's ID.
export const TWIN = m ? decodeURIComponent(m[1]) : "live";

// API is the base of every REST route and of the stream for this twin.
export const API = m ? `/api/v1/twins/${encodeURIComponent(TWIN)}` : "/api/v1";
