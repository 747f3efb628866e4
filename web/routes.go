package web

import (
	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/web/auth"
)

// route is one route of the server: its method and path, who may call
// it, and what answers. The guard of every route is made from its entry
// (guard.go); docs/security.md lists the tables (TestSecurityDoc).
type route struct {
	method string // GET, POST, PATCH, PUT, DELETE, or ALL for a forward
	path   string // fiber's syntax
	roles  auth.Roles
	public bool // anyone, logged in or not
	// forward hands the request to a twin's server, whose own table
	// decides: the host does not guard it.
	forward bool
	// scope narrows a scoped role (enterprise, keeper, gateway) to its
	// own part of the park: nil where the route needs no narrowing.
	scope    func(c *fiber.Ctx, id auth.Identity) error
	handlers []fiber.Handler
	// own keeps the route to its roles in a sandbox or replay too, where
	// every other route is opened to planners: the duty's own records.
	own bool
	// grave: on a level I or II incident the route is a commander's, not a
	// dispatcher's (Server.grave); the console asks it of can.js too.
	grave bool
}

func (rt route) with(scope func(*fiber.Ctx, auth.Identity) error) route {
	rt.scope = scope
	return rt
}

// commandersOnGrave leaves the route's actions on a level I or II
// incident to a commander (Server.grave), and says so in the table.
func (rt route) commandersOnGrave(s *Server) route {
	rt.scope = s.grave
	rt.grave = true
	return rt
}

func get(path string, roles auth.Roles, h ...fiber.Handler) route {
	return route{method: fiber.MethodGet, path: path, roles: roles, handlers: h}
}
func post(path string, roles auth.Roles, h ...fiber.Handler) route {
	return route{method: fiber.MethodPost, path: path, roles: roles, handlers: h}
}
func public(path string, h ...fiber.Handler) route {
	return route{method: fiber.MethodGet, path: path, public: true, handlers: h}
}

// The roles of the twin's routes. Admin may call every route
// (auth.Roles.Allows); in a sandbox or drill, planners may too.
var (
	readers     = auth.Readers
	withEnt     = auth.Readers.Add(auth.Enterprise) // enterprise users read their own part
	duty        = auth.Of(auth.DutyOfficer, auth.Commander)
	ops         = auth.Of(auth.Dispatcher, auth.Commander)
	reporters   = auth.Of(auth.DutyOfficer, auth.Dispatcher, auth.Commander)
	answerers   = duty.Add(auth.Enterprise)
	gateways    = auth.Of(auth.Gateway)
	admins      = auth.Of(auth.Admin)
	sandboxers  = auth.Of(auth.Planner, auth.Commander)
	patchExtras = map[twin.Kind]auth.Roles{
		twin.KindRoad: ops, twin.KindTeam: ops,
		twin.KindWarehouse: auth.Of(auth.Commander, auth.Keeper),
	}
	// patchFields are the properties the roles of patchExtras may set on
	// their kind: what operations change, never the park data around it
	// (a road's line, a team's phone, a warehouse's place and name).
	// Admins, and planners in a sandbox, may patch every field.
	// readExtras are the roles that read a kind other than readers.
	readExtras  = map[twin.Kind]auth.Roles{twin.KindHandover: duty} // the duty's own records
	patchFields = map[twin.Kind][]string{
		twin.KindRoad:      {"closed"},
		twin.KindTeam:      {"status"},
		twin.KindWarehouse: {"keeper"}, // its contact; the stock is the ledger's
	}
)

// twinRoutes is the table of a twin's server: the same for the live park
// (at /api/v1) and every sandbox (at /api/v1/twins/{id}).
func (s *Server) twinRoutes() []route {
	rs := []route{
		public("/healthz", s.health),
		public("/", s.index),
		public("/ui/*", s.static),
		get("/api/v1/park", withEnt, s.getPark),
		get("/api/v1/export", readers, s.export),
		get("/api/v1/stats", readers, s.stats),
		get("/api/v1/stream", withEnt, s.streamCheck, websocket.New(s.stream)).with(s.ownStream),
		get("/api/v1/models", readers, s.listModels),
		post("/api/v1/models/:model", readers, s.runModel), // computes, changes nothing
	}
	rs = append(rs, get("/api/v1/audit", readers, s.getAudit))  // audit.go
	rs = append(rs, s.zoneRoutes()...)                          // weather and consequence zones: zoneroutes.go
	rs = append(rs, s.ledgerRoutes()...)                        // the warehouses' ledgers, stock and readiness: ledger.go
	rs = append(rs, s.handoverRoutes()...)                      // the shift handover: handover.go
	rs = append(rs, get("/api/v1/cockpit", readers, s.cockpit)) // the statistics page's figures: cockpit.go
	// Monitoring: readings from gateways, alarms, the closed loop; a
	// server without a Monitor serves the park alone.
	if s.mon != nil {
		rs = append(rs,
			post("/api/v1/telemetry", gateways, s.ingest),
			get("/api/v1/telemetry/ws", gateways, s.upgrade, websocket.New(s.ingestStream)),
			get("/api/v1/sensors/:id/history", withEnt, s.history).with(s.own(twin.KindSensor)),
			post("/api/v1/alarms/:id/ack", duty, s.ackAlarm),
			post("/api/v1/alarms/:id/close", duty, s.closeAlarm),
			post("/api/v1/alarms/:id/shelve", duty, s.shelveAlarm),
			get("/api/v1/alarm-rules", withEnt, s.alarmRules), // alarmkpi.go: figures, no park data
			get("/api/v1/alarm-kpis", readers, s.alarmKPIs),
			post("/api/v1/orders/:id/ack", answerers, s.ackOrder).with(s.own(twin.KindOrder)),
			post("/api/v1/orders/:id/feedback", answerers, s.answerOrder).with(s.own(twin.KindOrder)),
			post("/api/v1/orders/:id/close", duty, s.closeOrder),
			post("/api/v1/orders/:id/return", duty, s.returnOrder),
			post("/api/v1/hidden-dangers", answerers, s.registerDanger).with(ownNewDanger),
			post("/api/v1/hidden-dangers/:id/state", answerers, s.moveDanger).with(s.own(twin.KindDanger)),
			post("/api/v1/tasks/:id/done", reporters, s.taskDone),
			get("/api/v1/hazard-units/:id/grading", withEnt, s.grading).with(s.own(twin.KindHazardUnit)),
		)
	}
	// Incidents and their plans; level I and II are the commander's.
	if s.desk != nil {
		rs = append(rs,
			post("/api/v1/incidents", reporters, s.reportIncident),
			post("/api/v1/incidents/:id/plan", ops, s.planIncident), // proposes, changes nothing
			post("/api/v1/incidents/:id/confirm", ops, s.confirmIncident).commandersOnGrave(s),
			post("/api/v1/incidents/:id/state", ops, s.incidentState).commandersOnGrave(s),
			post("/api/v1/incidents/:id/cancel", ops, s.cancelIncident).commandersOnGrave(s),
			post("/api/v1/incidents/:id/evacuate", ops, s.evacuate).commandersOnGrave(s),
			post("/api/v1/incidents/:id/level", ops, s.setIncidentLevel).commandersOnGrave(s),   // reinforce.go
			post("/api/v1/incidents/:id/release-unit", ops, s.releaseUnit).commandersOnGrave(s), // one vehicle back (not /release: the chemical's)
			get("/api/v1/response-times", readers, s.responseTimes),
		)
	}
	// The collections: every kind can be read; kinds kept by hand are
	// park data, the administrator's, but for what operations change
	// (a road closed, a team's state, a warehouse's stock).
	for _, k := range twin.Kinds {
		if k == twin.KindPark || k == twin.KindLedger { // the ledger's routes are its warehouses' (ledger.go)
			continue
		}
		p := "/api/v1/" + k.Path()
		read := readers
		if byEnterprise[k] || k == twin.KindChemical {
			read = withEnt
		}
		list, one := get(p, read, s.list(k)).with(ownList), get(p+"/:id", read, s.get(k)).with(s.own(k))
		if r, ok := readExtras[k]; ok {
			list.roles, one.roles = r, r
			list.own, one.own = true, true
		}
		rs = append(rs, list, one)
		if k.Managed() {
			continue
		}
		rs = append(rs,
			post(p, admins, s.create(k)),
			route{method: fiber.MethodPatch, path: p + "/:id", roles: admins | patchExtras[k], handlers: []fiber.Handler{s.patch(k)}}.with(keeps(k)),
			route{method: fiber.MethodPut, path: p + "/:id", roles: admins, handlers: []fiber.Handler{s.replace(k)}},
			route{method: fiber.MethodDelete, path: p + "/:id", roles: admins, handlers: []fiber.Handler{s.remove(k)}},
		)
	}
	return rs
}

// routes registers the twin's table, each route behind its guard.
func (s *Server) routes() {
	s.table = s.twinRoutes()
	register(s.app, s.table, s.auth, s.base, s.base != "/api/v1")
}

// register adds a table's routes to app, each behind its guard.
func register(app *fiber.App, rs []route, svc *auth.Service, base string, sandbox bool) {
	for _, rt := range rs {
		hs := rt.handlers
		if !rt.forward {
			hs = append([]fiber.Handler{guard(svc, rt, base, sandbox)}, hs...)
		}
		if rt.method == "ALL" {
			app.All(rt.path, hs...)
		} else {
			app.Add(rt.method, rt.path, hs...)
		}
	}
}

// everyone is every role: what any caller who proved who it is may do.
var everyone = auth.Of(auth.AllRoles...)

// hostRoutes is the table of the host's own routes: sessions, users and
// tokens; replays, drills and sandboxes; and the forwards to each twin's
// server, whose own table (twinRoutes) guards them. Order matters: a
// replay's twin is read-only, so its routes come before the twins'.
func (h *Host) hostRoutes(rs *replays) []route {
	d := h.drills
	all := func(path string, roles auth.Roles, hs ...fiber.Handler) route {
		return route{method: "ALL", path: path, roles: roles, handlers: hs}
	}
	forward := func(path string, hs ...fiber.Handler) route {
		return route{method: "ALL", path: path, forward: true, handlers: hs}
	}
	del := func(path string, roles auth.Roles, hs ...fiber.Handler) route {
		return route{method: fiber.MethodDelete, path: path, roles: roles, handlers: hs}
	}
	return []route{
		{method: fiber.MethodPost, path: "/api/v1/login", public: true, handlers: []fiber.Handler{h.login}},
		post("/api/v1/logout", everyone, h.logout),
		get("/api/v1/me", everyone, h.me),
		get("/api/v1/users", admins, h.listUsers),
		post("/api/v1/users", admins, h.createUser),
		get("/api/v1/users/:name", admins, h.getUser),
		{method: fiber.MethodPatch, path: "/api/v1/users/:name", roles: admins, handlers: []fiber.Handler{h.updateUser}},
		get("/api/v1/tokens", admins, h.listTokens),
		post("/api/v1/tokens", admins, h.issueToken),
		del("/api/v1/tokens/:id", admins, h.revokeToken),

		post("/api/v1/replays", sandboxers, rs.create),
		get("/api/v1/replays", readers, rs.list),
		get("/api/v1/replays/:id", readers, rs.get),
		post("/api/v1/replays/:id/control", sandboxers, rs.control),
		post("/api/v1/replays/:id/scenario", sandboxers, rs.scenario),
		get("/api/v1/replays/:id/report", readers, rs.report),
		all("/api/v1/twins/:twin", readers, rs.toReplay("")), // a replay's state; else on to the twins'
		forward("/api/v1/twins/:twin/*", rs.toReplay("/api/v1/")),
		forward("/twins/:twin/*", rs.toReplay("/")),

		get("/api/v1/scenarios", readers, d.listScenarios),
		post("/api/v1/scenarios", sandboxers, d.uploadScenario),
		get("/api/v1/scenarios/:id", readers, d.getScenario),
		get("/api/v1/drills", readers, d.listDrills),
		post("/api/v1/drills", sandboxers, d.createDrill),
		get("/api/v1/drills/:id", readers, d.getDrill),
		del("/api/v1/drills/:id", sandboxers, d.deleteDrill),
		post("/api/v1/drills/:id/control", sandboxers, d.control),
		get("/api/v1/drills/:id/report", readers, d.report),

		get("/metrics", readers, h.metrics.handler()),
		public("/api/v1/openapi.json", openapi),
		post("/api/v1/admin/backup", admins, h.backup),

		get("/api/v1/twins", readers, h.listTwins),
		post("/api/v1/twins", sandboxers, h.createTwin),
		get("/api/v1/twins/:twin", readers, h.getTwin),
		del("/api/v1/twins/:twin", sandboxers, h.deleteTwin),
		forward("/api/v1/twins/:twin/*", h.toTwin("/api/v1/")),
		public("/twins/:twin", redirectTwin),
		forward("/twins/:twin/*", h.toTwin("/")),
	}
}
