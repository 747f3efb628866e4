package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

// AuditLog is a park's audit trail: the live park's bbolt file. Sandboxes
// keep none (they are in memory, and every change of theirs is an
// exercise).
type AuditLog interface {
	Audit(f bolt.AuditFilter) ([]bolt.AuditRecord, uint64, error)
}

// maxAuditPage bounds a page of the audit trail.
const maxAuditPage = 500

// auditPage is the answer of GET /api/v1/audit: the entries, newest
// first, and the position to pass as ?before= for the next page.
type auditPage struct {
	Entries []bolt.AuditRecord `json:"entries"`
	Next    uint64             `json:"next,omitempty"`
}

// getAudit answers GET /api/v1/audit?user=&entity=&incident=&from=&to=&before=&limit=.
func (s *Server) getAudit(c *fiber.Ctx) error {
	if s.audit == nil {
		// Sandboxes, drills and replays keep no audit trail: their
		// changes are exercise, and vanish with them.
		return twin.Errorf(twin.ENOTFOUND, "", "this twin keeps no audit trail: the live park's is at /api/v1/audit")
	}
	f := bolt.AuditFilter{User: c.Query("user"), Entity: c.Query("entity"), Incident: c.Query("incident")}
	var err error
	if f.From, err = timeParam(c, "from", time.Time{}); err != nil {
		return err
	}
	if f.To, err = timeParam(c, "to", time.Time{}); err != nil {
		return err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return twin.NotAfter("to", f.To.Format(time.RFC3339), f.From.Format(time.RFC3339),
			fmt.Sprintf("%s is before from %s", f.To.Format(time.RFC3339), f.From.Format(time.RFC3339)))
	}
	if f.Before, err = uintParam(c, "before", 0, 1<<63); err != nil {
		return err
	}
	limit, err := uintParam(c, "limit", 100, maxAuditPage)
	if err != nil {
		return err
	}
	f.Limit = int(limit)
	entries, next, err := s.audit.Audit(f)
	if err != nil {
		return err
	}
	return c.JSON(auditPage{Entries: entries, Next: next})
}

// uintParam reads a query parameter of 1 to max, def when absent.
func uintParam(c *fiber.Ctx, name string, def, max uint64) (uint64, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n < 1 || n > max {
		return 0, twin.OutOfRange(name, v, 1, max, fmt.Sprintf("want a whole number from 1 to %d, got %q", max, v))
	}
	return n, nil
}
