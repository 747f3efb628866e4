package web

import (
	"time"

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
}

// RouteTable returns the host's table and the live twin's.
func (h *Host) RouteTable() (host, twin []TableRoute) {
	conv := func(rs []route) []TableRoute {
		out := make([]TableRoute, len(rs))
		for i, r := range rs {
			out[i] = TableRoute{Method: r.method, Path: r.path, Roles: r.roles, Public: r.public, Forward: r.forward}
		}
		return out
	}
	return conv(h.table), conv(h.live.srv.table)
}

// CloseText is the reason a close frame carries for s.
func CloseText(s string) string { return closeText(s) }
