package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/web/auth"
)

// ReapAt ends the sandboxes whose time has run out at now, as the host's
// reaper does every minute.
func (h *Host) ReapAt(now time.Time) { h.reapAt(now) }

// SubscribeBurst is how many subscribe messages a stream client may send
// at once.
const SubscribeBurst = subscribeBurst

// TableRoute is a route of a table as the tests walk it.
type TableRoute struct {
	Method, Path    string
	Roles           auth.Roles
	Public, Forward bool
	// Fields are the properties the roles other than admin may PATCH
	// (patchFields); nil where they may patch none or the route is no PATCH.
	Fields []string
	// Own: the route keeps to its roles in a sandbox or replay too (no
	// planner added there).
	Own bool
	// Grave: on a level I or II incident, a commander's, not a dispatcher's.
	Grave bool
}

// RouteTable returns the host's table and the live twin's.
func (h *Host) RouteTable() (host, twin []TableRoute) {
	conv := func(rs []route) []TableRoute {
		out := make([]TableRoute, len(rs))
		for i, r := range rs {
			out[i] = TableRoute{Method: r.method, Path: r.path, Roles: r.roles, Public: r.public, Forward: r.forward, Own: r.own, Grave: r.grave}
			if r.method == fiber.MethodPatch {
				for k, fs := range patchFields {
					if r.path == "/api/v1/"+k.Path()+"/:id" {
						out[i].Fields = fs
					}
				}
			}
		}
		return out
	}
	return conv(h.table), conv(h.live.srv.table)
}

// CloseText is the reason a close frame carries for s.
func CloseText(s string) string { return closeText(s) }
