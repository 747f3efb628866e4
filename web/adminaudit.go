package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/web/auth"
)

// recordAction writes an administrator's action that changes no entity
// (users, tokens, a backup) to the live park's audit trail, with who did
// it, from where and through which route, as every command's entry. The
// trail is where an investigation looks: the log alone would let an
// administrator who made himself a second account leave no chained trace.
// A failure to write is logged and does not undo the action, which has
// happened by then.
func (h *Host) recordAction(c *fiber.Ctx, action, subject, detail string) {
	if h.cfg.Store == nil {
		return
	}
	a, _ := twin.ActorFrom(c.UserContext())
	e := twin.AuditEntry{At: h.live.park.Twin().Clock().Now(), Actor: a, Twin: twin.LiveID,
		Action: action, Subject: subject, Detail: detail}
	if err := h.cfg.Store.AppendAudit(e); err != nil {
		h.log.Error("audit of an administrator's action", "action", action, "subject", subject, "err", err)
	}
}

// updateDetail says what a change of a user changed: the new role, scope
// and state, and that the password was reset, never the password.
func updateDetail(up auth.UserUpdate) string {
	var parts []string
	if up.Role != nil {
		parts = append(parts, "role "+up.Role.String())
	}
	if up.Enterprise != nil {
		parts = append(parts, "enterprise "+*up.Enterprise)
	}
	if up.Warehouses != nil {
		parts = append(parts, "warehouses "+strings.Join(*up.Warehouses, ","))
	}
	if up.Disabled != nil {
		parts = append(parts, fmt.Sprintf("disabled %t", *up.Disabled))
	}
	if up.Password != nil {
		parts = append(parts, "password reset")
	}
	return strings.Join(parts, "; ")
}

// tokenDetail says what a token may do: its name, role and scope.
func tokenDetail(t auth.Token) string {
	d := "name " + t.Name + "; role " + t.Role.String()
	if t.Enterprise != "" {
		d += "; enterprise " + t.Enterprise
	}
	if len(t.Warehouses) > 0 {
		d += "; warehouses " + strings.Join(t.Warehouses, ",")
	}
	if len(t.Enterprises) > 0 {
		d += "; enterprises " + strings.Join(t.Enterprises, ",")
	}
	if len(t.Sensors) > 0 {
		d += "; sensors " + strings.Join(t.Sensors, ",")
	}
	return d
}
