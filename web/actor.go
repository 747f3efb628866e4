package web

import (
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

// Anonymous is the user of a request nobody signed: every request until
// sessions and tokens say who makes it.
const Anonymous = "anonymous"

// actorMiddleware sets who makes a request's commands (twin.WithActor):
// the user, the client's address and the route the request matched
// ("POST /api/v1/incidents/:id/confirm"). It is the one place where a
// request's actor is made: sessions and tokens fill in User and Role
// here, and every command the request applies carries them.
func actorMiddleware(app *fiber.App) fiber.Handler {
	var once sync.Once
	var routes []matchRoute
	return func(c *fiber.Ctx) error {
		// The table is read at the first request, once every route is
		// registered: a middleware runs before fiber picks the route, so
		// c.Route() would name the middleware's own.
		once.Do(func() { routes = routeTable(app) })
		// A cell, which the route's guard fills in with the caller
		// (guard) rather than wrapping the context a second time.
		a := &twin.Actor{User: Anonymous, Addr: c.IP(), Route: c.Method() + " " + matchPath(routes, c.Method(), c.Path())}
		c.SetUserContext(twin.WithActorCell(c.UserContext(), a))
		return c.Next()
	}
}

// setUser makes the request's commands those of user in role, from the
// address and route the middleware found.
func setUser(c *fiber.Ctx, user, role string) {
	a, _ := twin.ActorFrom(c.UserContext())
	a.User, a.Role = user, role
	c.SetUserContext(twin.WithActor(c.UserContext(), a))
}

// matchRoute is a registered route, its path cut into segments.
type matchRoute struct {
	method, path string
	segs         []string
}

func routeTable(app *fiber.App) []matchRoute {
	var out []matchRoute
	for _, r := range app.GetRoutes(true) {
		out = append(out, matchRoute{method: r.Method, path: r.Path, segs: strings.Split(strings.Trim(r.Path, "/"), "/")})
	}
	return out
}

// matchPath returns the path of the first route of method that path
// matches (":x" one segment, "*" the rest), or path itself.
func matchPath(routes []matchRoute, method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
next:
	for _, r := range routes {
		if r.method != method {
			continue
		}
		for i, s := range r.segs {
			switch {
			case s == "*":
				return r.path
			case i >= len(segs):
				continue next
			case strings.HasPrefix(s, ":"):
				if segs[i] == "" {
					continue next
				}
			case !strings.EqualFold(s, segs[i]):
				continue next
			}
		}
		if len(r.segs) == len(segs) {
			return r.path
		}
	}
	return path
}
