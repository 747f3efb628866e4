package twin

import (
	"fmt"
	"maps"
	"slices"
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
	At      time.Time  `json:"at"`
	Actor   string     `json:"actor"` // who entered it: the command's actor
}

func (e *LedgerEntry) Kind() Kind             { return KindLedger }
func (e *LedgerEntry) EntityID() string       { return e.ID }
func (e *LedgerEntry) Geometry() orb.Geometry { return nil }
func (e *LedgerEntry) setID(id string)        { e.ID = id }
func (e *LedgerEntry) refs() []ref            { return nil }
func (e *LedgerEntry) setGeometry(g orb.Geometry) error {
	if g != nil {
		return Invalid("geometry", "a ledger entry has no geometry")
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
		return Invalid("at", "required")
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

// inHouse reports whether an item in state st is in its warehouse (not
// issued, not gone).
func inHouse(st AssetState) bool {
	return st != AssetIssued && st != AssetInUse && st != AssetReserved && st != AssetRetired && st != AssetLost
}

// applyEntry applies an entry to the derived stock: the one function by
// which the writer, the load and the replay derive stock from the
// ledger. It checks what the ledger must never break (no stock below
// zero, a serial in one place and one state) and changes nothing when it
// refuses. It needs neither the catalogue nor the clock.
func applyEntry(ls *ledgerState, e *LedgerEntry, seq uint64) error {
	return apply(&stockEdit{ls: ls, copies: map[string]*Stock{}, seq: seq}, e)
}

// applyOwned is applyEntry on a ledger state nobody else holds: changed
// in place, and left as it was half-way when it refuses (a derivation
// that fails is thrown away whole).
func applyOwned(ls *ledgerState, e *LedgerEntry, seq uint64) error {
	return apply(&stockEdit{ls: ls, copies: map[string]*Stock{}, seq: seq, owned: true}, e)
}

func apply(ed *stockEdit, e *LedgerEntry) error {
	var err error
	if len(e.Serials) > 0 {
		err = applySerials(ed, e)
	} else {
		err = applyLots(ed, e)
	}
	if err != nil {
		return err
	}
	ed.done()
	return nil
}

func applySerials(ed *stockEdit, e *LedgerEntry) error {
	ts := ed.typeOf(e.Warehouse, e.Type, e.Unit, true)
	var dst *TypeStock
	if e.Op == OpTransfer {
		dst = ed.typeOf(e.To, e.Type, e.Unit, true)
	}
	serials := ed.ls.serials
	for i, s := range e.Serials {
		field := fmt.Sprintf("serials[%d]", i)
		it, here := ts.Items[s]
		if e.Op == OpReceive {
			if wh, ok := serials.Get(s); ok {
				return Errorf(ECONFLICT, field, "%s %s is already in %s's ledger: a serial is in one place", e.Type, s, wh)
			}
			ts.Items[s] = Item{Serial: s, State: AssetAvailable, Due: e.Due, Expires: e.Expires}
			serials = serials.Set(s, e.Warehouse)
			continue
		}
		if !here {
			if wh, ok := serials.Get(s); ok {
				return Errorf(ECONFLICT, field, "%s is in %s, not in %s's %s", s, wh, e.Warehouse, e.Type)
			}
			return Errorf(ENOTFOUND, field, "%s has no %s %s", e.Warehouse, e.Type, s)
		}
		bad := func(why string) error {
			return Errorf(ECONFLICT, field, "%s %s is %s: %s", e.Type, s, it.State, why)
		}
		switch e.Op {
		case OpIssue:
			if it.State != AssetAvailable {
				return bad("only an available item is issued")
			}
			it.State, it.Holder = AssetIssued, e.Holder()
		case OpReturn:
			if it.State != AssetIssued {
				return bad("only an issued item comes back")
			}
			if h := e.Holder(); h != "" && h != it.Holder {
				return Errorf(ECONFLICT, field, "%s %s is with %s, not %s", e.Type, s, it.Holder, h)
			}
			it.State, it.Holder = e.State, ""
		case OpTransfer:
			if !inHouse(it.State) {
				return bad("only what is in the warehouse is transferred")
			}
			delete(ts.Items, s)
			dst.Items[s] = it
			serials = serials.Set(s, e.To)
			continue
		case OpAdjust:
			if !inHouse(it.State) {
				return bad("an adjustment corrects what is in the warehouse")
			}
			if e.State != 0 {
				it.State = e.State
			}
			if !e.Due.IsZero() {
				it.Due = e.Due
			}
			if !e.Expires.IsZero() {
				it.Expires = e.Expires
			}
		case OpInspect:
			if !inHouse(it.State) {
				return bad("only what is in the warehouse is inspected")
			}
			if e.Result == Pass {
				it.State, it.Due = AssetAvailable, e.Due
			} else {
				it.State = AssetRepair
			}
		case OpRepair:
			if !inHouse(it.State) {
				return bad("only what is in the warehouse goes for repair")
			}
			it.State = AssetRepair
		case OpRetire:
			if !inHouse(it.State) {
				return bad("only what is in the warehouse is retired")
			}
			it.State = AssetRetired
		case OpLost:
			if it.State == AssetLost || it.State == AssetRetired {
				return bad("it is gone already")
			}
			it.State, it.Holder = AssetLost, ""
		}
		ts.Items[s] = it
	}
	ed.ls.serials = serials
	return nil
}

func applyLots(ed *stockEdit, e *LedgerEntry) error {
	ts := ed.typeOf(e.Warehouse, e.Type, e.Unit, false)
	if ts.Items != nil {
		return Invalid("quantity", "%s is counted by serial", e.Type)
	}
	holder := e.Holder()
	for i, lq := range e.Lots {
		field := fmt.Sprintf("lots[%d]", i)
		l, ok := ts.Lots[lq.Lot]
		if !ok && e.Op != OpReceive && !(e.Op == OpAdjust && lq.Quantity > 0) {
			return Errorf(ENOTFOUND, field, "%s has no lot %s of %s", e.Warehouse, lq.Lot, e.Type)
		}
		if !ok {
			l = Lot{ID: lq.Lot, State: AssetAvailable, Due: e.Due, Expires: e.Expires}
		}
		short := func(have float64) error {
			return Errorf(EINSUFFICIENT, field, "lot %s of %s holds %s %s, not %s", lq.Lot, e.Type, num(have), e.Unit, num(lq.Quantity))
		}
		switch e.Op {
		case OpReceive:
			l.Quantity += lq.Quantity
		case OpIssue, OpTransfer:
			if l.Quantity < lq.Quantity-eps {
				return short(l.Quantity)
			}
			if e.Op == OpIssue && l.State != AssetAvailable {
				return Errorf(ECONFLICT, field, "lot %s of %s is %s", lq.Lot, e.Type, l.State)
			}
			l.Quantity = clampZero(l.Quantity - lq.Quantity)
			if e.Op == OpIssue {
				addOut(ts, holder, lq.Lot, lq.Quantity)
			} else {
				dst := ed.typeOf(e.To, e.Type, e.Unit, false)
				if dst.Items != nil {
					return Invalid("to", "%s counts %s by serial", e.To, e.Type)
				}
				d, ok := dst.Lots[lq.Lot]
				if !ok {
					d = l
					d.Quantity = 0
				}
				d.Quantity += lq.Quantity
				dst.Lots[lq.Lot] = d
			}
		case OpReturn:
			have := ts.Out[holder][lq.Lot]
			if have < lq.Quantity-eps {
				return Errorf(EINSUFFICIENT, field, "%s holds %s %s of lot %s, not %s", holderName(holder), num(have), e.Unit, lq.Lot, num(lq.Quantity))
			}
			addOut(ts, holder, lq.Lot, -lq.Quantity)
			l.Quantity += lq.Quantity
		case OpAdjust:
			if l.Quantity+lq.Quantity < -eps {
				return short(l.Quantity)
			}
			l.Quantity = clampZero(l.Quantity + lq.Quantity)
			if e.State != 0 {
				l.State = e.State
			}
			if !e.Due.IsZero() {
				l.Due = e.Due
			}
			if !e.Expires.IsZero() {
				l.Expires = e.Expires
			}
		case OpInspect:
			if e.Result == Pass {
				l.State, l.Due = AssetAvailable, e.Due
			} else {
				l.State = AssetQuarantined
			}
		case OpRetire, OpLost:
			if e.Incident != "" || e.Loan != "" {
				// What a holder had, written off: used at an incident.
				have := ts.Out[holder][lq.Lot]
				if have < lq.Quantity-eps {
					return Errorf(EINSUFFICIENT, field, "%s holds %s %s of lot %s, not %s", holderName(holder), num(have), e.Unit, lq.Lot, num(lq.Quantity))
				}
				addOut(ts, holder, lq.Lot, -lq.Quantity)
				break
			}
			if l.Quantity < lq.Quantity-eps {
				return short(l.Quantity)
			}
			l.Quantity = clampZero(l.Quantity - lq.Quantity)
		case OpRepair:
			return Invalid("op", "bulk stock is not repaired: inspect it, adjust it or retire it")
		}
		ts.Lots[lq.Lot] = l
		if l.Quantity == 0 && !outAnywhere(ts, lq.Lot) {
			delete(ts.Lots, lq.Lot) // used up: the lots kept are those on hand or out
		}
	}
	return nil
}

// outAnywhere reports whether any holder has some of a lot.
func outAnywhere(ts *TypeStock, lot string) bool {
	for _, lots := range ts.Out {
		if lots[lot] > 0 {
			return true
		}
	}
	return false
}

// eps absorbs the rounding of decimal quantities added and taken again.
const eps = 1e-9

func clampZero(v float64) float64 {
	if v < eps {
		return 0
	}
	return v
}

func addOut(ts *TypeStock, holder, lot string, q float64) {
	m := ts.Out[holder]
	if m == nil {
		m = map[string]float64{}
		ts.Out[holder] = m
	}
	m[lot] = clampZero(m[lot] + q)
	if m[lot] == 0 {
		delete(m, lot)
	}
	if len(m) == 0 {
		delete(ts.Out, holder)
	}
}

func holderName(h string) string {
	if h == "" {
		return "nobody named"
	}
	return h
}

// num writes a quantity without trailing zeros.
func num(v float64) string { return fmt.Sprintf("%g", v) }

// sortedSerials returns the keys of a set of serials in order.
func sortedSerials(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
