package twin

import (
	"cmp"
	"slices"
	"time"
)

// InspectionDue is one line of a warehouse's inspection calendar: an item
// or a lot whose inspection falls due (on the catalogue's calendar, or
// after use), or whose life ends, on a day.
type InspectionDue struct {
	Type     string  `json:"type"`
	Name     string  `json:"name"`
	Unit     string  `json:"unit"`
	Serial   string  `json:"serial,omitempty"`
	Lot      string  `json:"lot,omitempty"`
	Quantity float64 `json:"quantity,omitempty"` // a lot's on hand
	// Kind is what falls due: InspectionCalendar (the type's inspection
	// every so long), InspectionAfterUse (an item back from use, not lent
	// again until inspected) or InspectionExpires (the end of its life:
	// retired, not inspected).
	Kind string `json:"kind"`
	// Schedule is the inspection schedule falling due (its ID in
	// equipment.yaml; "afterUse" for the after-use check), empty for an
	// end of life. An item has a line for each of its schedules.
	Schedule string `json:"schedule,omitempty"`
	What     string `json:"what"`           // the inspection, as the catalogue names it
	Every    Period `json:"every,omitzero"` // the calendar's interval
	Due      Date   `json:"due"`
	// Overdue: the day has come (an item due today is due now, as
	// readiness counts it) and the item or lot is not offered until it is
	// inspected (or, expired, ever).
	Overdue bool       `json:"overdue"`
	State   AssetState `json:"state"`
}

// The kinds of InspectionDue.
const (
	InspectionCalendar = "inspection"
	InspectionAfterUse = "after-use"
	InspectionExpires  = "expires"
)

// Inspections returns a warehouse's inspection calendar at now: every
// inspection or end of life falling due in [from, to), and every one
// overdue at now whatever its day, overdue first, then by day, type,
// serial and lot. An item back from use and awaiting its check is due on
// the day it came back. Items issued, lost or retired are not in the
// warehouse to inspect and are left out.
func (s *Snapshot) Inspections(warehouse string, from, to, now time.Time, cat *Catalogue) []InspectionDue {
	st := s.Stock(warehouse)
	var out []InspectionDue
	var returned map[string]Date // serial → the day it came back, read from the ledger when needed
	add := func(in InspectionDue) {
		in.Overdue = !dateAfter(in.Due, now)
		t := in.Due.Time()
		if in.Overdue || (!t.Before(from) && t.Before(to)) {
			out = append(out, in)
		}
	}
	for _, ts := range st.Types() {
		line := InspectionDue{Type: ts.Type, Name: ts.Type, Unit: ts.Unit, Kind: InspectionCalendar, What: "inspection"}
		afterUse := false
		et, known := cat.Type(ts.Type)
		if known {
			line.Name = et.Name
			afterUse = et.AfterUse()
		}
		// scheduled returns the line of one schedule's due date.
		scheduled := func(id string, due Date) InspectionDue {
			in := line
			in.Schedule, in.Due = id, due
			if known {
				if s, ok := et.Schedule(id); ok {
					in.What, in.Every = s.What, s.Every
				}
			}
			return in
		}
		expires := line
		expires.Kind, expires.What, expires.Every = InspectionExpires, "expires", Period{}
		for _, it := range ts.SortedItems() {
			if it.State == AssetIssued || it.State == AssetLost || it.State == AssetRetired {
				continue
			}
			for _, sd := range sortedDues(it.Dues) {
				in := scheduled(sd.id, sd.due)
				in.Serial, in.State = it.Serial, it.State
				add(in)
			}
			if it.State == AssetReturned && afterUse {
				if returned == nil {
					returned = s.lastMoved(warehouse)
				}
				in := scheduled(AfterUseSchedule, returned[it.Serial])
				in.Serial, in.State, in.Kind = it.Serial, it.State, InspectionAfterUse
				if in.Due.IsZero() {
					in.Due = NewDate(now.Year(), now.Month(), now.Day())
				}
				add(in)
			}
			if !it.Expires.IsZero() {
				ex := expires
				ex.Serial, ex.State, ex.Due = it.Serial, it.State, it.Expires
				add(ex)
			}
		}
		for _, l := range ts.SortedLots() {
			for _, sd := range sortedDues(l.Dues) {
				in := scheduled(sd.id, sd.due)
				in.Lot, in.Quantity, in.State = l.ID, l.Quantity, l.State
				add(in)
			}
			if !l.Expires.IsZero() {
				ex := expires
				ex.Lot, ex.Quantity, ex.State, ex.Due = l.ID, l.Quantity, l.State, l.Expires
				add(ex)
			}
		}
	}
	slices.SortFunc(out, func(a, b InspectionDue) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Due.Time().Compare(b.Due.Time()), catalogueOrder(cat, a.Type, b.Type),
			cmp.Compare(a.Serial, b.Serial), cmp.Compare(a.Lot, b.Lot), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Schedule, b.Schedule))
	})
	return out
}

// lastMoved returns the day each serial of a warehouse's ledger was last
// moved: for an item awaiting its check after use, the day it came back.
func (s *Snapshot) lastMoved(warehouse string) map[string]Date {
	out := map[string]Date{}
	for _, e := range s.LedgerEntries(warehouse) {
		for _, serial := range e.Serials {
			out[serial] = NewDate(e.At.Year(), e.At.Month(), e.At.Day())
		}
	}
	return out
}
