package twin

import (
	"fmt"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin/msg"
)

// LoanState is where a loan stands: requested → approved → issued →
// returned; a request may be refused.
type LoanState int

// The loan states.
const (
	LoanRequested LoanState = iota + 1
	LoanApproved
	LoanIssued
	LoanReturned
	LoanRefused
)

var loanStateNames = []string{"", "requested", "approved", "issued", "returned", "refused"}

func (s LoanState) String() string { return enumString(loanStateNames, int(s)) }
func (s LoanState) MarshalText() ([]byte, error) {
	return enumText(loanStateNames, int(s), "loan state")
}
func (s *LoanState) UnmarshalText(b []byte) error {
	return enumInto(loanStateNames, b, "loan state", (*int)(s))
}

// Loan is equipment lent by a warehouse to a borrower — a team, an
// enterprise, another warehouse — until a day: asked for, approved by the
// lender, issued and returned through the lender's ledger (its entries
// name the loan). Returned counts what has come back.
type Loan struct {
	ID          string    `json:"-"`
	Warehouse   string    `json:"warehouse"` // the lender
	Borrower    string    `json:"borrower"`
	Type        string    `json:"type"`
	Quantity    float64   `json:"quantity"`
	Serials     []string  `json:"serials,omitempty"` // issued
	Returned    float64   `json:"returned"`
	Due         Date      `json:"due"`
	State       LoanState `json:"state"`
	Reason      string    `json:"reason"`
	RequestedBy string    `json:"requestedBy"`
	RequestedAt time.Time `json:"requestedAt"`
	DecidedBy   string    `json:"decidedBy,omitempty"`
	DecidedAt   time.Time `json:"decidedAt,omitzero"`
	IssuedAt    time.Time `json:"issuedAt,omitzero"`
	ReturnedAt  time.Time `json:"returnedAt,omitzero"`
}

func (l *Loan) Kind() Kind             { return KindLoan }
func (l *Loan) EntityID() string       { return l.ID }
func (l *Loan) Geometry() orb.Geometry { return nil }
func (l *Loan) setID(id string)        { l.ID = id }
func (l *Loan) refs() []ref            { return nil }
func (l *Loan) setGeometry(g orb.Geometry) error {
	if g != nil {
		return noGeometry(KindLoan)
	}
	return nil
}

// Validate checks the loan's fields.
func (l *Loan) Validate() error {
	err := firstErr(validateID(KindLoan, l.ID), required("warehouse", l.Warehouse), required("borrower", l.Borrower),
		required("reason", l.Reason), required("requestedBy", l.RequestedBy))
	switch {
	case err != nil:
		return err
	case !equipmentTypePattern.MatchString(l.Type):
		return notEquipment("type", l.Type, fmt.Sprintf("%q is not an equipment type", l.Type))
	case !(l.Quantity > 0) || l.Quantity > 1e9:
		return Reasoned(EINVALID, "quantity", "must be positive", msg.New("error.positive", "field", "quantity", "got", fmt.Sprint(l.Quantity)))
	case l.Due.IsZero():
		return Reasoned(EINVALID, "due", "a loan says when it comes back", msg.New("error.required", "field", "due"))
	case l.State == 0:
		return Required("state")
	case l.RequestedAt.IsZero():
		return Required("requestedAt")
	case l.Returned < 0 || l.Returned > l.Quantity:
		return Reasoned(EINVALID, "returned", "between 0 and the quantity lent",
			msg.New("error.returned", "field", "returned", "got", num(l.Returned), "max", num(l.Quantity)))
	}
	return nil
}

// Overdue reports whether the loan is out past its day at t.
func (l *Loan) Overdue(t time.Time) bool {
	return l.State == LoanIssued && !dateAfter(l.Due.addDays(1), t)
}

func (d Date) addDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// LoanAction is a step of a loan, decided in the writer against the loan
// and the lender's stock as they stand.
type LoanAction struct {
	ID     string
	Action string // approve, refuse, issue, return
	// Quantity or Serials come back with a return; all that is out when
	// both are empty.
	Quantity float64
	Serials  []string
	Result   Result // a return's check-in: pass, fail, or none
}

func (c LoanAction) apply(tx *txn) error {
	en, ok := tx.get(KindLoan, c.ID)
	if !ok {
		return NotFound(KindLoan, c.ID)
	}
	l := *en.(*Loan)
	l.Serials = slices.Clone(l.Serials)
	wrong := func() error {
		return StateRefused(KindLoan, l.ID, l.State.String(), "state", fmt.Sprintf("loan %s is %s: it cannot be %s", l.ID, l.State, c.Action))
	}
	switch c.Action {
	case "approve", "refuse":
		if l.State != LoanRequested {
			return wrong()
		}
		l.State, l.DecidedBy, l.DecidedAt = LoanApproved, tx.actor.User, tx.now
		if c.Action == "refuse" {
			l.State = LoanRefused
		}
	case "issue":
		if l.State != LoanApproved {
			return wrong()
		}
		e := &LedgerEntry{Warehouse: l.Warehouse, Op: OpIssue, Type: l.Type, Quantity: l.Quantity, Loan: l.ID, To: l.Borrower,
			Reason: l.Reason}
		if err := (Post{Entry: e}).apply(tx); err != nil {
			return err
		}
		l.Serials = tx.events[len(tx.events)-1].Entity.(*LedgerEntry).Serials
		l.State, l.IssuedAt = LoanIssued, tx.now
	case "return":
		if l.State != LoanIssued {
			return wrong()
		}
		e := &LedgerEntry{Warehouse: l.Warehouse, Op: OpReturn, Type: l.Type, Loan: l.ID, From: l.Borrower,
			Serials: c.Serials, Quantity: c.Quantity, Result: c.Result, Reason: "loan " + l.ID + " returned"}
		if len(e.Serials) == 0 && e.Quantity == 0 {
			if l.Serials != nil {
				e.Serials = l.stillOut(tx)
			} else {
				e.Quantity = l.Quantity - l.Returned
			}
		}
		if err := (Post{Entry: e}).apply(tx); err != nil {
			return err
		}
		l.Returned += tx.events[len(tx.events)-1].Entity.(*LedgerEntry).Quantity
		if l.Returned >= l.Quantity-eps {
			l.State, l.ReturnedAt = LoanReturned, tx.now
		}
	default:
		return Reasoned(EINVALID, "action", fmt.Sprintf("%q: want approve, refuse, issue or return", c.Action),
			msg.New("error.loanAction", "field", "action", "got", c.Action))
	}
	return Update{Entity: &l}.apply(tx)
}

// stillOut returns the serials of a loan its lender still has out to it.
func (l *Loan) stillOut(tx *txn) []string {
	st, _ := tx.st.stock.Get(l.Warehouse)
	ts := st.Type(l.Type)
	var out []string
	for _, s := range l.Serials {
		if it, ok := ts.item(s); ok && it.State == AssetIssued && it.Holder == l.ID {
			out = append(out, s)
		}
	}
	return out
}

// RequestLoan asks a warehouse for equipment: the loan is made as
// requested, by the command's actor, now.
type RequestLoan struct{ Loan *Loan }

func (c RequestLoan) apply(tx *txn) error {
	if c.Loan == nil {
		return Invalid("", "nothing to request")
	}
	l := *c.Loan
	if l.ID != "" {
		return Invalid("id", "a loan's ID is given by the twin")
	}
	if _, ok := tx.get(KindWarehouse, l.Warehouse); !ok {
		return Reasoned(ENOTFOUND, "warehouse", fmt.Sprintf("no warehouse %s", l.Warehouse),
			msg.New("error.noRef", "field", "warehouse", "kind", KindWarehouse.String(), "id", l.Warehouse))
	}
	if _, ok := tx.catalogue().Type(l.Type); !ok {
		return notEquipment("type", l.Type, fmt.Sprintf("%q is not in the equipment catalogue", l.Type))
	}
	if !l.Due.IsZero() && !dateAfter(l.Due.addDays(1), tx.now) {
		return Reasoned(EINVALID, "due", fmt.Sprintf("%s has passed", l.Due), msg.New("error.passed", "field", "due", "got", l.Due.String()))
	}
	l.State, l.RequestedBy, l.RequestedAt, l.Serials, l.Returned = LoanRequested, tx.actor.User, tx.now, nil, 0
	l.DecidedBy, l.DecidedAt, l.IssuedAt, l.ReturnedAt = "", time.Time{}, time.Time{}, time.Time{}
	return Create{Entity: &l}.apply(tx)
}

// OverdueLoans returns the loans out past their day at t, the most
// overdue first.
func (s *Snapshot) OverdueLoans(t time.Time) []*Loan {
	var out []*Loan
	for l := range All[*Loan](s) {
		if l.Overdue(t) {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b *Loan) int { return a.Due.Time().Compare(b.Due.Time()) })
	return out
}
