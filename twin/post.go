package twin

import (
	"cmp"
	"fmt"
	"math"
	"parktwin/twin/msg"
	"slices"
	"strconv"
)

// Post enters one movement in a warehouse's ledger. The entry is given as
// asked — an op, a type, serials or a quantity, whom it is for — and the
// writer resolves it against the stock as it stands: which serials an
// issue by quantity takes (the first ready by serial), which lots (first
// expiring first), the dates a receipt or an inspection sets (from the
// catalogue), the state a return leaves an item in. Then it is entered
// with who made it and when, and the stock follows. Its ID is assigned.
type Post struct{ Entry *LedgerEntry }

func (c Post) apply(tx *txn) error {
	if c.Entry == nil {
		return Invalid("", "nothing to enter")
	}
	e := *c.Entry // the caller's stays as asked
	e.Serials, e.Lots = slices.Clone(e.Serials), slices.Clone(e.Lots)
	if e.ID != "" {
		return Invalid("id", "a ledger entry's ID is given by the ledger")
	}
	if err := tx.resolve(&e); err != nil {
		return err
	}
	e.ID = tx.nextID(&e)
	if err := CheckLimits(&e); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if tx.fresh == nil {
		tx.fresh = map[any]struct{}{}
	}
	if err := applyFresh(&tx.st.ledgerState, &e, tx.st.seq+1, tx.fresh); err != nil {
		return err
	}
	tx.put(Created, &e)
	return nil
}

// resolve fills in what the writer decides of an entry.
func (tx *txn) resolve(e *LedgerEntry) error {
	if e.Op == 0 {
		return Invalid("op", "required: one of %s", joinNames(LedgerOpNames))
	}
	if _, ok := tx.get(KindWarehouse, e.Warehouse); !ok {
		return Errorf(ENOTFOUND, "warehouse", "no warehouse %s", e.Warehouse)
	}
	if e.Op == OpIssue && e.Holder() == "" {
		return Invalid("to", "an issue says where it goes: an incident, a loan, or to whom")
	}
	cat := tx.catalogue()
	t, ok := cat.Type(e.Type)
	if !ok {
		return Invalid("type", "%q is not in the equipment catalogue", e.Type)
	}
	e.Unit, e.At, e.Actor = t.Unit, tx.now, tx.actor.User
	today := NewDate(tx.now.Year(), tx.now.Month(), tx.now.Day())
	switch {
	case !(e.Quantity >= 0) || math.IsInf(e.Quantity, 0):
		if !(e.Op == OpAdjust && e.Quantity < 0 && !math.IsInf(e.Quantity, 0)) {
			return Invalid("quantity", "must be a positive number")
		}
	}
	if e.Op == OpTransfer {
		if _, ok := tx.get(KindWarehouse, e.To); !ok || e.To == e.Warehouse {
			return Invalid("to", "no other warehouse %s to transfer to", e.To)
		}
	}
	if e.Incident != "" {
		inc, ok := tx.get(KindIncident, e.Incident)
		if !ok {
			return Invalid("incident", "no incident %s", e.Incident)
		}
		if e.Op == OpIssue && !inc.(*Incident).Open() {
			return Errorf(ECONFLICT, "incident", "incident %s is closed", e.Incident)
		}
	}
	stock, _ := tx.st.stock.Get(e.Warehouse)
	ts := stock.Type(e.Type)
	switch e.Op {
	case OpReceive:
		if e.Expires.IsZero() {
			e.Expires = t.ShelfLife.After(today)
		}
		if e.Due.IsZero() {
			e.Due = t.Inspection.Every.After(today)
		}
	case OpInspect:
		if e.Result == Pass && e.Due.IsZero() {
			e.Due = t.Inspection.Every.After(today)
		}
	case OpReturn:
		switch {
		case e.Result == Pass:
			e.State = AssetAvailable
		case e.Result == Fail:
			e.State = AssetQuarantined
		case t.Inspection.AfterUse:
			e.State = AssetReturned
		default:
			e.State = AssetAvailable
		}
	case OpAdjust:
		if e.State != 0 && (!inHouse(e.State) || e.State == AssetRetired) {
			return Invalid("state", "an adjustment sets available, returned, repair or quarantined; retire, lose and issue have their own entries")
		}
	}
	if t.Class == Serialized {
		return tx.resolveSerials(e, t, ts)
	}
	return tx.resolveLots(e, t, ts)
}

func (tx *txn) catalogue() *Catalogue {
	if tx.equip == nil {
		return DefaultCatalogue()
	}
	return tx.equip
}

func (tx *txn) resolveSerials(e *LedgerEntry, t *EquipmentType, ts *TypeStock) error {
	if len(e.Lots) > 0 {
		return Invalid("lots", "%s is counted by serial", e.Type)
	}
	if len(e.Serials) > 0 {
		if e.Quantity != 0 && e.Quantity != float64(len(e.Serials)) {
			return Invalid("quantity", "%v, but %d serials", e.Quantity, len(e.Serials))
		}
		e.Quantity = float64(len(e.Serials))
		if e.Op == OpIssue {
			// An item not ready is never lent: overdue, expired,
			// quarantined, in repair or lost.
			for i, s := range e.Serials {
				if it, ok := ts.item(s); ok && !it.ReadyAt(tx.now) {
					why := it.State.String()
					if it.State == AssetAvailable {
						why = "due for inspection or past its life"
					}
					return Errorf(ECONFLICT, fmt.Sprintf("serials[%d]", i), "%s %s is not ready to issue: %s", e.Type, s, why)
				}
			}
		}
		return nil
	}
	if e.Op != OpIssue || e.Quantity <= 0 || e.Quantity != math.Trunc(e.Quantity) {
		return Invalid("serials", "name the serials of %s (%s is counted item by item)", t.Unit, e.Type)
	}
	_, ready := ts.Ready(tx.now)
	if float64(len(ready)) < e.Quantity {
		return Reasoned(EINSUFFICIENT, "quantity", fmt.Sprintf("%s has %d %s of %s ready, %v asked", e.Warehouse, len(ready), t.Unit, e.Type, e.Quantity),
			msg.New("error.stockShort", "warehouse", e.Warehouse, "have", strconv.Itoa(len(ready)), "unit", t.Unit, "type", e.Type, "asked", num(e.Quantity)))
	}
	e.Serials = ready[:int(e.Quantity)]
	return nil
}

func (ts *TypeStock) item(serial string) (Item, bool) {
	if ts == nil {
		return Item{}, false
	}
	it, ok := ts.Items[serial]
	return it, ok
}

// lot is a lot named in a request ("lot"), for the ops that may name one.
func (tx *txn) resolveLots(e *LedgerEntry, t *EquipmentType, ts *TypeStock) error {
	if len(e.Serials) > 0 {
		return Invalid("serials", "%s is counted by quantity, in %s", e.Type, t.Unit)
	}
	named := ""
	if len(e.Lots) == 1 && e.Lots[0].Quantity == 0 {
		named = e.Lots[0].Lot // {"lot": "..."}: that lot
	} else if len(e.Lots) > 0 {
		return Invalid("lots", "lots are chosen by the ledger: name one lot at most")
	}
	e.Lots = nil
	q := e.Quantity
	var lots []Lot
	if ts != nil {
		lots = ts.SortedLots()
	}
	if named != "" {
		lots = slices.DeleteFunc(lots, func(l Lot) bool { return l.ID != named })
	}
	take := func(from []Lot, have func(Lot) float64, what string) error {
		left := q
		for _, l := range from {
			if left <= eps {
				break
			}
			n := math.Min(have(l), left)
			if n <= 0 {
				continue
			}
			e.Lots = append(e.Lots, LotQuantity{l.ID, n})
			left -= n
		}
		if left > eps {
			return Reasoned(EINSUFFICIENT, "quantity", fmt.Sprintf("%s has %s %s of %s %s, %s asked", e.Warehouse, num(q-left), t.Unit, e.Type, what, num(q)),
				msg.New("error.stockShort", "warehouse", e.Warehouse, "have", num(q-left), "unit", t.Unit, "type", e.Type, "asked", num(q)))
		}
		return nil
	}
	switch e.Op {
	case OpReceive:
		if q <= 0 {
			return Invalid("quantity", "a receipt of %s gives a quantity", e.Type)
		}
		lot := named
		if lot == "" {
			lot = tx.nextID(e) // the entry's own ID: a lot of its own
		}
		e.Lots = []LotQuantity{{lot, q}}
	case OpIssue:
		if q <= 0 {
			return Required("quantity")
		}
		return take(lots, func(l Lot) float64 {
			if l.ReadyAt(tx.now) {
				return l.Quantity
			}
			return 0
		}, "ready")
	case OpTransfer:
		if q <= 0 {
			return Required("quantity")
		}
		return take(lots, func(l Lot) float64 { return l.Quantity }, "on hand")
	case OpReturn, OpRetire, OpLost:
		if q <= 0 {
			return Required("quantity")
		}
		if h := e.Holder(); (e.Op == OpReturn || e.Incident != "" || e.Loan != "") && ts != nil {
			var held []Lot
			for lot, v := range ts.Out[h] {
				held = append(held, Lot{ID: lot, Quantity: v})
			}
			slices.SortFunc(held, func(a, b Lot) int { return cmp.Compare(a.ID, b.ID) })
			return take(held, func(l Lot) float64 { return l.Quantity }, "out with "+holderName(h))
		} else if e.Op == OpReturn {
			return Errorf(EINSUFFICIENT, "quantity", "%s has no %s out with %s", e.Warehouse, e.Type, holderName(h))
		}
		return take(lots, func(l Lot) float64 { return l.Quantity }, "on hand")
	case OpAdjust:
		if q == 0 {
			return Invalid("quantity", "an adjustment of %s changes its quantity, + or −; a lot's test is an inspection", e.Type)
		}
		if q > 0 {
			lot := named
			if lot == "" && len(lots) > 0 {
				lot = lots[len(lots)-1].ID // the latest to expire
			}
			if lot == "" {
				lot = tx.nextID(e)
			}
			e.Lots = []LotQuantity{{lot, q}}
			return nil
		}
		q = -q
		err := take(lots, func(l Lot) float64 { return l.Quantity }, "on hand")
		for i := range e.Lots {
			e.Lots[i].Quantity = -e.Lots[i].Quantity
		}
		return err
	case OpInspect:
		for _, l := range lots {
			e.Lots = append(e.Lots, LotQuantity{l.ID, l.Quantity})
		}
		if len(e.Lots) == 0 {
			return Errorf(ENOTFOUND, "lot", "%s has no %s on hand to inspect", e.Warehouse, e.Type)
		}
		e.Quantity = 0
		for _, l := range e.Lots {
			e.Quantity += l.Quantity
		}
	case OpRepair:
		return Invalid("op", "bulk stock is not repaired: inspect it, adjust it or retire it")
	}
	return nil
}
