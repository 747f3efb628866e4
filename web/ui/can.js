// can.js — whether this console's user may call a route: the one check
// behind every button that changes something. The roles come from the
// route table (routeroles.js, generated from web/routes.go and checked
// against what parkd serves by TestRouteRolesJS); a button whose route
// the user's role may not call is not drawn (hidden, not disabled: a
// viewer sees the park, not the actions it may not take).
//
// Call it with the route as web/routes.go names it, parameters in braces:
// can("POST", "/api/v1/alarms/{id}/ack"). In a sandbox (a drill's or a
// planner's twin) the twin's routes are asked as at /api/v1 too: a planner
// may call those there as well, but for the duty's own records.
// TestCanNamesRoutes fails on a call naming no route of the table.

import { ME, TWIN } from "./api.js";
import { ROUTE_ROLES } from "./routeroles.js";

/**
 * can reports whether this console's user may call method path (a route
 * of web/routes.go), on the incident whose properties are inc when the
 * route acts on one: on a level I or II incident a route marked grave is
 * a commander's, not a dispatcher's (web/scope.go grave).
 */
export function can(method, path, inc) {
  const r = ROUTE_ROLES[`${method} ${path}`];
  if (!r) {
    console.warn(`can: no route ${method} ${path} in the route table`);
    return false;
  }
  if (r.grave && ME.role === "dispatcher" && inc && (inc.level === "I" || inc.level === "II")) return false;
  if (r.roles.includes(ME.role)) return true;
  return r.sandbox === true && TWIN !== "live" && ME.role === "planner";
}
