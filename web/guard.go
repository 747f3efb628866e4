package web

import (
	"crypto/subtle"
	"strings"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/web/auth"
)

// SessionCookie is the name of the console's session cookie.
const SessionCookie = "parktwin_session"

// CSRFHeader carries the session's CSRF token on every change made with
// the session's cookie.
const CSRFHeader = "X-CSRF-Token"

// identityKey keys the request's identity among its user values: set by
// the first guard that resolves it (the host's, or the server's own), or
// by the server itself when it plays a drill's kept action again. Only Go
// code can set a user value, never a request. A string, as the websocket
// package copies only those to its connection.
const identityKey = "parktwin.identity"

// identityOf returns the identity resolved for the request, if any.
func identityOf(c *fiber.Ctx) (auth.Identity, bool) {
	id, ok := c.Locals(identityKey).(auth.Identity)
	return id, ok
}

// identify resolves who the request is, once: a bearer token, else the
// session cookie, whose changes must carry the session's CSRF token.
// Without either it is an EUNAUTHORIZED error. A server without an auth
// service knows only identities set by the server itself.
func identify(svc *auth.Service, c *fiber.Ctx) (auth.Identity, error) {
	if id, ok := identityOf(c); ok {
		return id, nil
	}
	if svc == nil {
		return auth.Identity{}, twin.Errorf(twin.EUNAUTHORIZED, "", "log in or give a bearer token")
	}
	if isChange(c.Method()) && len(c.Request().URI().QueryArgs().Peek("token")) > 0 {
		// A URL ends up in logs and histories, and a client that can
		// change something can set a header.
		return auth.Identity{}, twin.Errorf(twin.EMALFORMED, "token",
			"a token in the URL is refused here: send it as Authorization: Bearer TOKEN (and make a new one, this one has been in a URL)")
	}
	var id auth.Identity
	tok, bearer := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !bearer && websocket.IsWebSocketUpgrade(c) {
		// A gateway's websocket client may not be able to set headers.
		tok, bearer = c.Query("token"), c.Query("token") != ""
	}
	var sid string
	if !bearer {
		sid = c.Cookies(SessionCookie) // once: each call parses the header
	}
	switch {
	case bearer:
		var ok bool
		if id, ok = svc.Bearer(strings.TrimSpace(tok)); !ok {
			return id, twin.Errorf(twin.EUNAUTHORIZED, "", "the bearer token is not valid")
		}
	case sid != "":
		var ok bool
		if id, ok = svc.Session(sid); !ok {
			return id, twin.Errorf(twin.EUNAUTHORIZED, "", "the session has ended: log in again")
		}
		if isChange(c.Method()) && subtle.ConstantTimeCompare([]byte(c.Get(CSRFHeader)), []byte(id.CSRF)) != 1 {
			return id, twin.Errorf(twin.EFORBIDDEN, "", "a change made with the session's cookie carries its CSRF token in %s", CSRFHeader)
		}
	default:
		return id, twin.Errorf(twin.EUNAUTHORIZED, "", "log in or give a bearer token")
	}
	c.Locals(identityKey, id)
	return id, nil
}

// guard is the middleware of a route: anyone through a public one;
// otherwise the caller is identified (401), must hold one of the route's
// roles (403) and, in a scoped role, act on its own part of the park
// (the route's scope). The caller becomes the actor of the request's
// commands, named by the route as served at base (a sandbox's
// /api/v1/twins/{id}). sandbox opens every route to planners too.
func guard(svc *auth.Service, rt route, base string, sandbox bool) fiber.Handler {
	if rt.public {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	roles := rt.roles
	if sandbox {
		roles = roles.Add(auth.Planner)
	}
	name := rt.method + " " + braces(rt.path)
	if rest, ok := strings.CutPrefix(rt.path, "/api/v1"); ok && base != "" {
		name = rt.method + " " + base + braces(rest)
	}
	return func(c *fiber.Ctx) error {
		id, err := identify(svc, c)
		if err != nil {
			return err
		}
		if !roles.Allows(id.Role) {
			return twin.Errorf(twin.EFORBIDDEN, "", "a %s may not %s", id.Role, name)
		}
		if rt.scope != nil && id.Role != auth.Admin {
			if err := rt.scope(c, id); err != nil {
				return err
			}
		}
		user := id.User
		if id.Role == auth.Gateway {
			// A gateway's name is no person's: the prefix keeps the two
			// apart in the audit trail.
			user = "gateway:" + user
		}
		// The client's address as the actor middleware found it: no
		// second c.IP(), which formats it again (a tenth of the guard's
		// cost on a one-tank read, BenchmarkGuard).
		addr := ""
		if a, ok := twin.ActorFrom(c.UserContext()); ok {
			addr = a.Addr
		}
		if addr == "" {
			addr = c.IP()
		}
		c.SetUserContext(twin.WithActor(c.UserContext(), twin.Actor{User: user, Role: id.Role.String(), Addr: addr, Route: name}))
		return c.Next()
	}
}

// braces writes a fiber path as the docs do: /orders/:id → /orders/{id}.
func braces(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// actorName is who acts for a request: its actor's user.
func actorName(c *fiber.Ctx) string {
	a, _ := twin.ActorFrom(c.UserContext())
	return a.User
}
