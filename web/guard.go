package web

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"strings"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/msg"
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
func identityOf(c *fiber.Ctx) (auth.Identity, bool) { return identityIn(c.Locals(identityKey)) }

// identityIn reads the identity kept among a request's (or an upgraded
// websocket's) values: a pointer to the auth service's own, kept by the
// guard (a pointer, so that keeping it allocates nothing), or a value,
// kept by the server itself.
func identityIn(v any) (auth.Identity, bool) {
	switch id := v.(type) {
	case auth.Identity:
		return id, true
	case *auth.Identity:
		if id != nil {
			return *id, true
		}
	}
	return auth.Identity{}, false
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
	// The header and the cookie are read in place, not copied (the
	// server's Immutable copies every c.Get): neither is kept.
	var id *auth.Identity
	h := &c.Request().Header
	tok, bearer := bytes.CutPrefix(h.Peek(fiber.HeaderAuthorization), []byte("Bearer "))
	inURL := false
	if !bearer && c.Path() == "/api/v1/telemetry/ws" && websocket.IsWebSocketUpgrade(c) {
		// A gateway's websocket client may not be able to set headers:
		// there alone, and for a gateway's token alone (checked below),
		// as a URL ends up in logs.
		tok = c.Request().URI().QueryArgs().Peek("token")
		bearer = len(tok) > 0
		inURL = bearer
	}
	var sid []byte
	if !bearer {
		sid = h.Cookie(SessionCookie) // once: each call parses the header
	}
	switch {
	case bearer:
		var ok bool
		if id, ok = svc.BearerBytes(bytes.TrimSpace(tok)); !ok {
			return auth.Identity{}, twin.Errorf(twin.EUNAUTHORIZED, "", "the bearer token is not valid")
		}
		if inURL && id.Role != auth.Gateway {
			return auth.Identity{}, twin.Errorf(twin.EUNAUTHORIZED, "token", "only a gateway's token may be given in the URL: send it as Authorization: Bearer TOKEN")
		}
	case len(sid) > 0:
		var ok bool
		if id, ok = svc.SessionBytes(sid); !ok {
			return auth.Identity{}, twin.Errorf(twin.EUNAUTHORIZED, "", "the session has ended: log in again")
		}
		if isChange(c.Method()) && subtle.ConstantTimeCompare(h.Peek(CSRFHeader), []byte(id.CSRF)) != 1 {
			return *id, twin.Errorf(twin.EFORBIDDEN, "", "a change made with the session's cookie carries its CSRF token in %s", CSRFHeader)
		}
	default:
		return auth.Identity{}, twin.Errorf(twin.EUNAUTHORIZED, "", "log in or give a bearer token")
	}
	c.Locals(identityKey, id)
	return *id, nil
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
			return twin.Reasoned(twin.EFORBIDDEN, "", fmt.Sprintf("a %s may not %s", id.Role, name),
				msg.New("error.role", "role", id.Role.String(), "action", name))
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
		a := twin.Actor{User: user, Role: id.Role.String(), Route: name}
		ctx := c.UserContext()
		if cell, ok := twin.ActorCell(ctx); ok && cell.Role == "" {
			// The actor middleware's anonymous actor, which no handler
			// has seen yet: filled in where it is rather than wrapped
			// in a second context (two allocations, a third of the
			// guard's own on a one-tank read, BenchmarkGuard). A cell
			// is filled once: one that has a role is wrapped below.
			a.Addr = cell.Addr
			if a.Addr == "" {
				a.Addr = c.IP()
			}
			*cell = a
			return c.Next()
		}
		// The client's address as the actor middleware found it: no
		// second c.IP(), which formats it again.
		if from, ok := twin.ActorFrom(ctx); ok {
			a.Addr = from.Addr
		}
		if a.Addr == "" {
			a.Addr = c.IP()
		}
		c.SetUserContext(twin.WithActor(ctx, a))
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
