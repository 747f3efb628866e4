package twin

import (
	"time"

	"github.com/paulmach/orb"
)

// DangerState is where a hidden danger (隐患) stands:
// registered (登记) → rectifying (整改) → accepted (验收) → closed (销号).
type DangerState int

// The hidden-danger states, in order.
const (
	DangerRegistered DangerState = iota + 1
	DangerRectifying
	DangerAccepted
	DangerClosed
)

var dangerStateNames = []string{"", "registered", "rectifying", "accepted", "closed"}

func (s DangerState) String() string { return enumString(dangerStateNames, int(s)) }
func (s DangerState) MarshalText() ([]byte, error) {
	return enumText(dangerStateNames, int(s), "hidden-danger state")
}
func (s *DangerState) UnmarshalText(b []byte) error {
	return enumInto(dangerStateNames, b, "hidden-danger state", (*int)(s))
}

// Next returns the states a hidden danger in s may move to: the next one
// in order, and from accepted back to rectifying (an acceptance that
// fails); none once it is closed.
func (s DangerState) Next() []DangerState {
	switch s {
	case DangerRegistered, DangerRectifying:
		return []DangerState{s + 1}
	case DangerAccepted:
		return []DangerState{DangerClosed, DangerRectifying}
	}
	return nil
}

// DangerStates lists the hidden-danger states in order.
func DangerStates() []DangerState {
	return []DangerState{DangerRegistered, DangerRectifying, DangerAccepted, DangerClosed}
}

// Danger is a hidden danger in the register: found, put right by its
// owner by Due, accepted by the park, struck off. One not yet accepted by
// Due is overdue and gets a reminder (督办) once.
type Danger struct {
	ID           string      `json:"-"`
	Enterprise   string      `json:"enterprise"`
	Title        string      `json:"title"`
	Description  string      `json:"description,omitempty"`
	Owner        string      `json:"owner"`
	Due          Date        `json:"due"`
	State        DangerState `json:"state"`
	RegisteredAt time.Time   `json:"registeredAt,omitzero"`
	RectifyingAt time.Time   `json:"rectifyingAt,omitzero"`
	AcceptedAt   time.Time   `json:"acceptedAt,omitzero"`
	ClosedAt     time.Time   `json:"closedAt,omitzero"`
	Reminded     bool        `json:"reminded"`
	Position     orb.Point   `json:"-"`
}

func (d *Danger) Kind() Kind       { return KindDanger }
func (d *Danger) EntityID() string { return d.ID }
func (d *Danger) setID(id string)  { d.ID = id }
func (d *Danger) refs() []ref      { return []ref{{KindEnterprise, d.Enterprise, "enterprise"}} }

// Geometry returns where the danger is, or nil when no place was given.
func (d *Danger) Geometry() orb.Geometry {
	if d.Position == (orb.Point{}) {
		return nil
	}
	return d.Position
}

func (d *Danger) setGeometry(g orb.Geometry) (err error) {
	if g == nil {
		d.Position = orb.Point{}
		return nil
	}
	d.Position, err = wantPoint(g)
	return err
}

// Overdue reports whether the danger is past its due date at now and not
// yet put right and accepted.
func (d *Danger) Overdue(now time.Time) bool {
	t, ok := d.OverdueAfter()
	return ok && now.After(t)
}

// OverdueAfter returns the time after which the danger is overdue, the
// end of its due date, or false when it cannot be: accepted, or no date.
func (d *Danger) OverdueAfter() (time.Time, bool) {
	if d.State >= DangerAccepted || d.Due.IsZero() {
		return time.Time{}, false
	}
	return d.Due.Time().Add(24 * time.Hour), true
}

// Validate checks the danger's fields.
func (d *Danger) Validate() error {
	err := firstErr(validateID(KindDanger, d.ID), required("enterprise", d.Enterprise),
		required("title", d.Title), required("owner", d.Owner))
	switch {
	case err != nil:
		return err
	case d.Due.IsZero():
		return Required("due")
	case d.State == 0:
		return Required("state")
	}
	if d.Position != (orb.Point{}) {
		return validPoint("geometry", d.Position)
	}
	return nil
}
