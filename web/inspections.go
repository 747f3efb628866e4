package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

// maxInspectionSpan bounds the calendar's window: a cylinder's
// hydrostatic test comes every 5 years, so 6 years show one of each.
const maxInspectionSpan = 6 * 366 * 24 * time.Hour

// getInspections answers GET /warehouses/{id}/inspections: the
// warehouse's inspection calendar (docs/warehouses.md) — what falls due
// in [from, to) and everything overdue now — from a date (today by
// default) to a date (30 days on by default).
func (s *Server) getInspections(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	id := c.Params("id")
	if _, ok := twin.Lookup[*twin.Warehouse](snap, id); !ok {
		return twin.Errorf(twin.ENOTFOUND, "id", "no warehouse %s", id)
	}
	now := s.twin.Clock().Now()
	day := func(name string, def time.Time) (twin.Date, error) {
		var d twin.Date
		if v := c.Query(name); v != "" {
			if err := d.UnmarshalText([]byte(v)); err != nil {
				return d, twin.InField(name, err)
			}
			return d, nil
		}
		return twin.NewDate(def.Year(), def.Month(), def.Day()), nil
	}
	from, err := day("from", now)
	if err != nil {
		return err
	}
	to, err := day("to", from.Time().Add(twin.DueWithin))
	if err != nil {
		return err
	}
	switch span := to.Time().Sub(from.Time()); {
	case span <= 0:
		return twin.NotAfter("to", to.String(), from.String(), fmt.Sprintf("%s is not after from (%s)", to, from))
	case span > maxInspectionSpan:
		return twin.SpanTooLong("to", span.String(), maxInspectionSpan.String(), fmt.Sprintf("%s is more than 6 years after from (%s)", to, from))
	}
	list := snap.Inspections(id, from.Time(), to.Time(), now, s.twin.Equipment())
	if list == nil {
		list = []twin.InspectionDue{}
	}
	overdue := 0
	for _, in := range list {
		if in.Overdue {
			overdue++
		}
	}
	setSeq(c, snap.Seq())
	return c.JSON(fiber.Map{"warehouse": id, "time": now, "from": from, "to": to, "overdue": overdue, "inspections": list})
}
