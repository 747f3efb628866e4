package twin

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"parktwin/twin/msg"
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
		return Reasoned(ENOTFOUND, "warehouse", fmt.Sprintf("no warehouse %s", e.Warehouse),
			msg.New("error.noRef", "field", "warehouse", "kind", KindWarehouse.String(), "id", e.Warehouse))
	}
	if e.Op == OpIssue && e.Holder() == "" {
		return Reasoned(EINVALID, "to", "an issue says where it goes: an incident, a loan, or to whom", msg.New("error.issueWhere"))
	}
	cat := tx.catalogue()
	t, ok := cat.Type(e.Type)
	if !ok {
		return notEquipment("type", e.Type, fmt.Sprintf("%q is not in the equipment catalogue", e.Type))
	}
	e.Unit, e.At, e.Actor = t.Unit, tx.now, tx.actor.User
	today := NewDate(tx.now.Year(), tx.now.Month(), tx.now.Day())
	switch {
	case !(e.Quantity >= 0) || math.IsInf(e.Quantity, 0):
		if !(e.Op == OpAdjust && e.Quantity < 0 && !math.IsInf(e.Quantity, 0)) {
			return Reasoned(EINVALID, "quantity", "must be a positive number", msg.New("error.positive", "field", "quantity", "got", fmt.Sprint(e.Quantity)))
		}
	}
	if e.Op == OpTransfer {
		if _, ok := tx.get(KindWarehouse, e.To); !ok || e.To == e.Warehouse {
			return Reasoned(EINVALID, "to", fmt.Sprintf("no other warehouse %s to transfer to", e.To),
				msg.New("error.noRef", "field", "to", "kind", KindWarehouse.String(), "id", e.To))
		}
	}
	if e.Incident != "" {
		inc, ok := tx.get(KindIncident, e.Incident)
		if !ok {
			return Reasoned(EINVALID, "incident", fmt.Sprintf("no incident %s", e.Incident),
				msg.New("error.noRef", "field", "incident", "kind", KindIncident.String(), "id", e.Incident))
		}
		if e.Op == OpIssue && !inc.(*Incident).Open() {
			return Reasoned(ECONFLICT, "incident", fmt.Sprintf("incident %s is closed", e.Incident),
				msg.New("error.state.incident", "id", e.Incident, "state", IncidentClosed.String()))
		}
	}
	stock, _ := tx.st.stock.Get(e.Warehouse)
	ts := stock.Type(e.Type)
	into := ts
	if e.Op == OpTransfer {
		dest, _ := tx.st.stock.Get(e.To)
		into = dest.Type(e.Type)
	}
	if err := tx.checkQuantity(e, into); err != nil {
		return err
	}
	switch e.Op {
	case OpReceive:
		if err := resolveReceipt(e, t, today); err != nil {
			return err
		}
	case OpInspect:
		if err := resolveSchedule(e, t, ts); err != nil {
			return err
		}
		if s, _ := t.Schedule(e.Schedule); e.Result == Pass && s.Periodic() && e.Due.IsZero() {
			e.Due = s.Every.After(today)
		}
		if e.Schedule == AfterUseSchedule {
			e.Due = Date{} // an after-use check sets no date
		}
	case OpReturn:
		switch {
		case e.Result != Pass && t.Class == Bulk && t.ReturnedUsed != nil:
			// Back from use, not passed as unused: written off as
			// hazardous waste (absorbent, boom), or quarantined apart
			// until tested (opened foam).
			e.State = AssetQuarantined
			if t.ReturnedUsed.Goes == "waste" {
				e.State = AssetRetired
			}
			e.Reason = strings.TrimPrefix(e.Reason+"; "+t.ReturnedUsed.Why, "; ")
		case e.Result == Pass:
			e.State = AssetAvailable
		case e.Result == Fail:
			e.State = AssetQuarantined
		case t.AfterUse():
			e.State = AssetReturned
		default:
			e.State = AssetAvailable
		}
	case OpAdjust:
		if _, ok := t.Schedule(e.Schedule); e.Schedule != "" && !ok {
			return noSchedule("schedule", e.Type, e.Schedule, fmt.Sprintf("%s has no inspection schedule %q", e.Type, e.Schedule))
		}
		if e.State != 0 && (!inHouse(e.State) || e.State == AssetRetired) {
			return Reasoned(EINVALID, "state", "an adjustment sets available, returned, repair or quarantined; retire, lose and issue have their own entries",
				msg.New("error.adjustState"))
		}
	}
	if t.Class == Serialized {
		return tx.resolveSerials(e, t, ts)
	}
	return tx.resolveLots(e, t, ts)
}

// resolveReceipt resolves what a receipt says of an item's dates. Its
// life runs from its manufacture date (made), or ends on the maker's
// expiry the receipt gives (expires: a foam lot's 有效期): a type with a
// life is refused without either — no date is invented for it. Each
// periodic schedule falls due its interval after the last test the
// receipt gives (tested), or on the due date it gives (due); without
// either, it is due now: the item is not ready until inspected.
func resolveReceipt(e *LedgerEntry, t *EquipmentType, today Date) error {
	if !e.Made.IsZero() && e.Made.Time().After(today.Time()) {
		return Reasoned(EINVALID, "made", fmt.Sprintf("%s is after today", e.Made), msg.New("error.afterToday", "field", "made", "got", e.Made.String()))
	}
	if e.Expires.IsZero() && !t.ShelfLife.IsZero() {
		if e.Made.IsZero() {
			return Reasoned(EINVALID, "made", fmt.Sprintf("required: %s keeps %s from its manufacture date — give the manufacture date (出厂日期), or the maker's expiry (expires, 有效期)", e.Type, t.ShelfLife),
				msg.New("error.madeRequired", "type", e.Type, "life", t.ShelfLife.String()))
		}
		e.Expires = t.ShelfLife.After(e.Made)
	}
	for id, d := range e.Tested {
		s, ok := t.Schedule(id)
		switch {
		case !ok || !s.Periodic():
			return noSchedule("tested."+id, e.Type, id, fmt.Sprintf("%s has no periodic inspection schedule %q (it has: %s)", e.Type, id, strings.Join(scheduleIDs(t), ", ")))
		case d.IsZero() || d.Time().After(today.Time()):
			return lastTest("tested."+id, d)
		}
	}
	given := e.Dues // a park file's opening stock: the next due date per schedule
	for id := range given {
		if s, ok := t.Schedule(id); !ok || !s.Periodic() {
			return noSchedule("dues."+id, e.Type, id, fmt.Sprintf("%s has no periodic inspection schedule %q", e.Type, id))
		}
	}
	e.Dues = nil
	for _, s := range t.Periodic() {
		due := today // not known: due now
		if d, ok := e.Tested[s.ID]; ok {
			due = s.Every.After(d)
		} else if d, ok := given[s.ID]; ok && !d.IsZero() {
			due = d
		} else if !e.Due.IsZero() {
			due = e.Due
		}
		if e.Dues == nil {
			e.Dues = map[string]Date{}
		}
		e.Dues[s.ID] = due
	}
	if len(t.Periodic()) == 0 {
		e.Due = Date{}
	} else {
		e.Due = soonest(e.Dues)
	}
	return nil
}

func scheduleIDs(t *EquipmentType) []string {
	var out []string
	for _, s := range t.Periodic() {
		out = append(out, s.ID)
	}
	return out
}

// resolveSchedule names the schedule an inspection satisfies when the
// entry does not: the after-use check for items back from use, else the
// type's first periodic schedule (its calendar check, or its test or
// calibration when it has no other). Items of both sorts in one entry
// must name it.
func resolveSchedule(e *LedgerEntry, t *EquipmentType, ts *TypeStock) error {
	if e.Schedule != "" {
		if _, ok := t.Schedule(e.Schedule); !ok && e.Schedule != AfterUseSchedule {
			return noSchedule("schedule", e.Type, e.Schedule, fmt.Sprintf("%s has no inspection schedule %q", e.Type, e.Schedule))
		}
		return nil
	}
	back, other := 0, 0
	for _, s := range e.Serials {
		if it, ok := ts.item(s); ok && it.State == AssetReturned {
			back++
		} else {
			other++
		}
	}
	switch {
	case back > 0 && other > 0:
		return Invalid("schedule", "some of these %s are back from use and some not: name the schedule the inspection satisfies (afterUse, or one of %s)", e.Type, strings.Join(scheduleIDs(t), ", "))
	case back > 0:
		e.Schedule = AfterUseSchedule
	case len(t.Periodic()) > 0:
		e.Schedule = t.Periodic()[0].ID
	}
	return nil
}

func (tx *txn) catalogue() *Catalogue {
	if tx.equip == nil {
		return DefaultCatalogue()
	}
	return tx.equip
}

func (tx *txn) resolveSerials(e *LedgerEntry, t *EquipmentType, ts *TypeStock) error {
	if len(e.Lots) > 0 {
		return Reasoned(EINVALID, "lots", fmt.Sprintf("%s is counted by serial", e.Type), msg.New("error.bySerial", "type", e.Type))
	}
	if len(e.Serials) > 0 {
		if e.Quantity != 0 && e.Quantity != float64(len(e.Serials)) {
			return quantitySerials(e.Quantity, len(e.Serials))
		}
		e.Quantity = float64(len(e.Serials))
		if e.Op == OpIssue {
			// An item not ready is never lent: overdue, expired,
			// quarantined, in repair or lost.
			for i, s := range e.Serials {
				if it, ok := ts.item(s); ok && !it.ReadyAt(tx.now) {
					return notReady(fmt.Sprintf("serials[%d]", i), e.Type, s, it.State)
				}
			}
		}
		return nil
	}
	if e.Op != OpIssue || e.Quantity <= 0 || e.Quantity != math.Trunc(e.Quantity) {
		return Reasoned(EINVALID, "serials", fmt.Sprintf("name the serials of %s (%s is counted item by item)", t.Unit, e.Type),
			msg.New("error.nameSerials", "type", e.Type))
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
		return Reasoned(EINVALID, "serials", fmt.Sprintf("%s is counted by quantity, in %s", e.Type, t.Unit),
			msg.New("error.byQuantity", "type", e.Type, "unit", t.Unit))
	}
	named := ""
	if len(e.Lots) == 1 && e.Lots[0].Quantity == 0 {
		named = e.Lots[0].Lot // {"lot": "..."}: that lot
	} else if len(e.Lots) > 0 {
		return Invalid("lots", "lots are chosen by the ledger: name one lot at most")
	}
	e.Lots = nil
	q := e.Quantity
	// The lots in order, for the ops that take from them: sorting every
	// lot for a receipt, which makes a lot of its own, made a document
	// of receipts cost as the square of the lots (a writer's stall).
	sorted := func() []Lot {
		var lots []Lot
		if ts != nil {
			lots = ts.SortedLots()
		}
		if named != "" {
			lots = slices.DeleteFunc(lots, func(l Lot) bool { return l.ID != named })
		}
		return lots
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
		return take(sorted(), func(l Lot) float64 {
			if l.ReadyAt(tx.now) {
				return l.Quantity
			}
			return 0
		}, "ready")
	case OpTransfer:
		if q <= 0 {
			return Required("quantity")
		}
		return take(sorted(), func(l Lot) float64 { return l.Quantity }, "on hand")
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
			return Reasoned(EINSUFFICIENT, "quantity", fmt.Sprintf("%s has no %s out with %s", e.Warehouse, e.Type, holderName(h)),
				msg.New("error.noneOut", "warehouse", e.Warehouse, "type", e.Type, "holder", holderName(h)))
		}
		return take(sorted(), func(l Lot) float64 { return l.Quantity }, "on hand")
	case OpAdjust:
		if q == 0 {
			return Invalid("quantity", "an adjustment of %s changes its quantity, + or −; a lot's test is an inspection", e.Type)
		}
		if q > 0 {
			lot := named
			if lot == "" {
				lot = ts.lastLot() // the latest to expire
			}
			if lot == "" {
				lot = tx.nextID(e)
			}
			e.Lots = []LotQuantity{{lot, q}}
			return nil
		}
		q = -q
		err := take(sorted(), func(l Lot) float64 { return l.Quantity }, "on hand")
		for i := range e.Lots {
			e.Lots[i].Quantity = -e.Lots[i].Quantity
		}
		return err
	case OpInspect:
		for _, l := range sorted() {
			e.Lots = append(e.Lots, LotQuantity{l.ID, l.Quantity})
		}
		if len(e.Lots) == 0 {
			return Reasoned(ENOTFOUND, "lot", fmt.Sprintf("%s has no %s on hand to inspect", e.Warehouse, e.Type),
				msg.New("error.noneOnHand", "warehouse", e.Warehouse, "type", e.Type))
		}
		e.Quantity = 0
		for _, l := range e.Lots {
			e.Quantity += l.Quantity
		}
	case OpRepair:
		return bulkNotRepaired()
	}
	return nil
}
