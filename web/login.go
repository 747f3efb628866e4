package web

// The sessions, users and tokens over HTTP: login, logout and who am I
// for everyone; users and tokens for administrators.

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/web/auth"
)

// meView is what login and GET /api/v1/me answer.
type meView struct {
	User       string    `json:"user"`
	Role       auth.Role `json:"role"`
	Enterprise string    `json:"enterprise,omitempty"`
	Warehouses []string  `json:"warehouses,omitempty"`
	// CSRF is the session's token, to send in X-CSRF-Token with every
	// change; none for a bearer token.
	CSRF string `json:"csrf,omitempty"`
}

func viewOf(id auth.Identity) meView {
	return meView{User: id.User, Role: id.Role, Enterprise: id.Enterprise, Warehouses: id.Warehouses, CSRF: id.CSRF}
}

func (h *Host) auth() (*auth.Service, error) {
	if h.cfg.Auth == nil {
		return nil, twin.Errorf(twin.EUNAVAILABLE, "", "this server has no users")
	}
	return h.cfg.Auth, nil
}

func (h *Host) login(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	var req struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := decodeStrict(c.Body(), &req, "a login"); err != nil {
		return err
	}
	sid, id, err := svc.Login(c.UserContext(), req.User, req.Password, c.IP())
	if err != nil {
		h.log.Info("login refused", "user", req.User, "addr", c.IP(), "err", err)
		var le *auth.LockedError
		if errors.As(err, &le) {
			h.metrics.Login("locked")
		} else {
			h.metrics.Login("failed")
		}
		return err
	}
	h.metrics.Login("ok")
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: sid, Path: "/", HTTPOnly: true,
		Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode})
	h.log.Info("login", "user", id.User, "role", id.Role.String(), "addr", c.IP())
	return c.JSON(viewOf(id))
}

func (h *Host) logout(c *fiber.Ctx) error {
	if svc := h.cfg.Auth; svc != nil && c.Cookies(SessionCookie) != "" {
		svc.Logout(c.Cookies(SessionCookie))
	}
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true, Expires: time.Unix(0, 0),
		Secure: c.Protocol() == "https", SameSite: fiber.CookieSameSiteStrictMode})
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Host) me(c *fiber.Ctx) error {
	id, _ := identityOf(c)
	return c.JSON(viewOf(id))
}

func (h *Host) listUsers(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	return c.JSON(svc.Users())
}

func (h *Host) getUser(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	name, err := userParam(c)
	if err != nil {
		return err
	}
	u, err := svc.User(name)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (h *Host) createUser(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	var nu auth.NewUser
	if err := roleKnown(c.Body(), auth.UserRoles); err != nil {
		return err
	}
	if err := decodeStrict(c.Body(), &nu, "a user"); err != nil {
		return err
	}
	u, err := svc.CreateUser(c.UserContext(), nu)
	if err != nil {
		return err
	}
	h.log.Info("user created", "user", u.Name, "role", u.Role.String(), "by", actorName(c))
	d := "role " + u.Role.String()
	if u.Enterprise != "" {
		d += "; enterprise " + u.Enterprise
	}
	if len(u.Warehouses) > 0 {
		d += "; warehouses " + strings.Join(u.Warehouses, ",")
	}
	h.recordAction(c, "user.create", u.Name, d)
	c.Location("/api/v1/users/" + u.Name)
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (h *Host) updateUser(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	var up auth.UserUpdate
	if err := roleKnown(c.Body(), auth.UserRoles); err != nil {
		return err
	}
	if err := decodeStrict(c.Body(), &up, "a change of a user"); err != nil {
		return err
	}
	name, err := userParam(c)
	if err != nil {
		return err
	}
	u, err := svc.UpdateUser(c.UserContext(), name, up)
	if err != nil {
		return err
	}
	h.log.Info("user changed", "user", u.Name, "role", u.Role.String(), "disabled", u.Disabled,
		"password", up.Password != nil, "by", actorName(c))
	h.recordAction(c, "user.update", u.Name, updateDetail(up))
	return c.JSON(u)
}

// roleKnown refuses a body whose role is no role's name as an invalid
// value of the field role, naming the roles allowed. auth.Role refuses
// it while the JSON is read, where decodeStrict could say only that the
// body could not be read. A body that is not JSON, or whose role is not
// a string, is left to decodeStrict.
func roleKnown(body []byte, allowed []auth.Role) error {
	var b struct {
		Role *string `json:"role"`
	}
	if json.Unmarshal(body, &b) != nil || b.Role == nil {
		return nil
	}
	if _, err := auth.ParseRole(*b.Role); err != nil {
		return auth.UnknownRole(*b.Role, allowed)
	}
	return nil
}

func (h *Host) listTokens(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	return c.JSON(svc.Tokens())
}

func (h *Host) issueToken(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	var nt auth.NewToken
	if err := roleKnown(c.Body(), auth.AllRoles); err != nil {
		return err
	}
	if err := decodeStrict(c.Body(), &nt, "a token request"); err != nil {
		return err
	}
	secret, t, err := svc.IssueToken(nt, actorName(c))
	if err != nil {
		return err
	}
	h.log.Info("token issued", "token", t.ID, "name", t.Name, "role", t.Role.String(), "by", t.By)
	h.recordAction(c, "token.issue", t.ID, tokenDetail(t))
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": secret, "id": t.ID, "name": t.Name, "role": t.Role})
}

func (h *Host) revokeToken(c *fiber.Ctx) error {
	svc, err := h.auth()
	if err != nil {
		return err
	}
	if err := svc.RevokeToken(c.Params("id")); err != nil {
		return err
	}
	h.log.Info("token revoked", "token", c.Params("id"), "by", actorName(c))
	h.recordAction(c, "token.revoke", c.Params("id"), "")
	return c.SendStatus(fiber.StatusNoContent)
}

// userParam is the {name} of a user's route, unescaped: fiber hands the
// path's bytes as sent, and a client escapes a name such as 值班员 in a
// URL (%E5%80%BC…).
func userParam(c *fiber.Ctx) (string, error) {
	name, err := url.PathUnescape(c.Params("name"))
	if err != nil {
		return "", twin.Errorf(twin.EMALFORMED, "name", "the user's name in the path is not well escaped: %v", err)
	}
	return name, nil
}
