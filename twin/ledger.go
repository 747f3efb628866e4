package twin

import (
	"fmt"
	"time"

	"github.com/paulmach/orb"
)

// LedgerOp is what a ledger entry does.
type LedgerOp int

// The ledger's operations (domain.md §5).
const (
	OpReceive  LedgerOp = iota + 1 // into the warehouse: bought, given, opening stock
	OpIssue                        // out to an incident, a loan, a team
	OpReturn                       // back from an issue
	OpTransfer                     // to another warehouse
	OpAdjust                       // a correction, with its reason
	OpInspect                      // an inspection: pass or fail, with findings
	OpRepair                       // sent for repair: out of service
	OpRetire                       // out of the account for good (worn out, expired, used)
	OpLost                         // lost
)

var ledgerOpNames = []string{"", "receive", "issue", "return", "transfer", "adjust", "inspect", "repair", "retire", "lost"}

// LedgerOpNames lists the operations' names.
var LedgerOpNames = ledgerOpNames[1:]

func (o LedgerOp) String() string               { return enumString(ledgerOpNames, int(o)) }
func (o LedgerOp) MarshalText() ([]byte, error) { return enumText(ledgerOpNames, int(o), "ledger op") }
func (o *LedgerOp) UnmarshalText(b []byte) error {
	return enumInto(ledgerOpNames, b, "ledger op", (*int)(o))
}

// Result is an inspection's outcome.
type Result int

// The results.
const (
	Pass Result = iota + 1
	Fail
)

var resultNames = []string{"", "pass", "fail"}

func (r Result) String() string                { return enumString(resultNames, int(r)) }
func (r Result) MarshalText() ([]byte, error)  { return enumText(resultNames, int(r), "result") }
func (r *Result) UnmarshalText(b []byte) error { return enumInto(resultNames, b, "result", (*int)(r)) }

// LotQuantity is a quantity of one lot of bulk stock.
type LotQuantity struct {
	Lot      string  `json:"lot"`
	Quantity float64 `json:"quantity"`
}

// LedgerEntry is one movement of equipment, in a warehouse's ledger: an
// entity that is created once and never changes. As stored it is
// resolved: the writer has named the serials and lots it moved and the
// dates and states it set, so that replaying it needs neither the
// catalogue nor the clock.
type LedgerEntry struct {
	ID        string   `json:"-"`
	Warehouse string   `json:"warehouse"`
	Op        LedgerOp `json:"op"`
	Type      string   `json:"type"`
	Quantity  float64  `json:"quantity"`
	Unit      string   `json:"unit"`
	Serials   []string `json:"serials,omitempty"`
	// Lots are the lots of bulk stock it moved, with their quantities
	// (an adjust's signed).
	Lots     []LotQuantity `json:"lots,omitempty"`
	From     string        `json:"from,omitempty"` // a receipt's supplier, a return's holder
	To       string        `json:"to,omitempty"`   // an issue's recipient, a transfer's warehouse
	Incident string        `json:"incident,omitempty"`
	Loan     string        `json:"loan,omitempty"`
	Reason   string        `json:"reason,omitempty"`
	Result   Result        `json:"result,omitempty"`
	Findings string        `json:"findings,omitempty"`
	// State is the state the items end in, where the op leaves a choice
	// (a return, an adjust).
	State   AssetState `json:"state,omitempty"`
	Due     Date       `json:"due,omitzero"`     // next inspection set
	Expires Date       `json:"expires,omitzero"` // end of life set
	// Schedule is the inspection schedule an inspect entry satisfies (or
	// an adjust's due date is for): an ID of the type's inspections, or
	// "afterUse". Given or resolved by the writer.
	Schedule string `json:"schedule,omitempty"`
	// Tested is what a receipt says of each periodic schedule: the day of
	// its last test or calibration, by schedule ID. Made is the
	// manufacture date (出厂日期) a receipt gives, from which the life
	// runs. Dues is the due date per schedule the writer resolves a
	// receipt to.
	Tested map[string]Date `json:"tested,omitempty"`
	Made   Date            `json:"made,omitzero"`
	Dues   map[string]Date `json:"dues,omitempty"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"` // who entered it: the command's actor
}

func (e *LedgerEntry) Kind() Kind             { return KindLedger }
func (e *LedgerEntry) EntityID() string       { return e.ID }
func (e *LedgerEntry) Geometry() orb.Geometry { return nil }
func (e *LedgerEntry) setID(id string)        { e.ID = id }
func (e *LedgerEntry) refs() []ref            { return nil }
func (e *LedgerEntry) setGeometry(g orb.Geometry) error {
	if g != nil {
		return noGeometry(KindLedger)
	}
	return nil
}

// Holder is who holds what the entry issues or returns: its incident,
// else its loan, else whom it went to (or, for a return, came from).
func (e *LedgerEntry) Holder() string {
	switch {
	case e.Incident != "":
		return e.Incident
	case e.Loan != "":
		return e.Loan
	case e.Op == OpReturn && e.From != "":
		return e.From
	}
	return e.To
}

// Validate checks what an entry can check by itself.
func (e *LedgerEntry) Validate() error {
	err := firstErr(validateID(KindLedger, e.ID), required("warehouse", e.Warehouse), required("unit", e.Unit))
	switch {
	case err != nil:
		return err
	case e.Op == 0:
		return Invalid("op", "required: one of %s", joinNames(LedgerOpNames))
	case !equipmentTypePattern.MatchString(e.Type):
		return Invalid("type", "%q is not an equipment type", e.Type)
	case e.At.IsZero():
		return Required("at")
	case len(e.Serials) > 0 && len(e.Lots) > 0:
		return Invalid("serials", "an entry moves serials or lots, not both")
	case len(e.Serials) == 0 && len(e.Lots) == 0:
		return Invalid("quantity", "an entry moves something: serials or a quantity")
	case e.Op == OpAdjust && e.Reason == "":
		return Invalid("reason", "an adjustment says why")
	case e.Op == OpInspect && e.Result == 0:
		return Invalid("result", "an inspection passes or fails")
	case e.Op == OpInspect && e.Result == Fail && e.Findings == "":
		return Invalid("findings", "a failed inspection says what was found")
	case e.Op == OpTransfer && (e.To == "" || e.To == e.Warehouse):
		return Invalid("to", "a transfer goes to another warehouse")
	}
	seen := make(map[string]bool, len(e.Serials))
	for i, s := range e.Serials {
		if s == "" || seen[s] {
			return Invalid(fmt.Sprintf("serials[%d]", i), "a serial, each once")
		}
		seen[s] = true
	}
	for i, l := range e.Lots {
		if l.Lot == "" || finite("quantity", l.Quantity) != nil || l.Quantity == 0 || (l.Quantity < 0 && e.Op != OpAdjust) {
			return Invalid(fmt.Sprintf("lots[%d]", i), "a lot and a quantity")
		}
	}
	return nil
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
