package twin

import (
	"fmt"
	"maps"

	"parktwin/twin/msg"
)

// How an entry changes the stock it is applied to: the derivation of the
// stock from the ledger (stock.go), one entry at a time.

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

// applyFresh is applyEntry within a request of the writer: the copies of
// the stock the request made before (fresh) are changed in place, and
// the copies it makes are added to fresh. Refusing, it may leave those
// copies changed: the request is then refused whole and they go with it.
func applyFresh(ls *ledgerState, e *LedgerEntry, seq uint64, fresh map[any]struct{}) error {
	return apply(&stockEdit{ls: ls, copies: map[string]*Stock{}, seq: seq, fresh: fresh}, e)
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
				return Reasoned(ECONFLICT, field, fmt.Sprintf("%s %s is already in %s's ledger: a serial is in one place", e.Type, s, wh),
					msg.New("error.serialElsewhere", "type", e.Type, "serial", s, "warehouse", wh))
			}
			ts.Items[s] = Item{Serial: s, State: AssetAvailable, Expires: e.Expires, Dues: receiptDues(e)}
			ts.Items[s] = withSoonest(ts.Items[s])
			serials = serials.Set(s, e.Warehouse)
			continue
		}
		if !here {
			if wh, ok := serials.Get(s); ok {
				return Reasoned(ECONFLICT, field, fmt.Sprintf("%s is in %s, not in %s's %s", s, wh, e.Warehouse, e.Type),
					msg.New("error.serialNotHere", "type", e.Type, "serial", s, "in", wh, "warehouse", e.Warehouse))
			}
			return Reasoned(ENOTFOUND, field, fmt.Sprintf("%s has no %s %s", e.Warehouse, e.Type, s),
				msg.New("error.noSerial", "type", e.Type, "serial", s, "warehouse", e.Warehouse))
		}
		bad := func(why string) error { return serialState(field, e.Type, s, it.State, why) }
		switch e.Op {
		case OpIssue:
			if it.State != AssetAvailable {
				return bad("error.move.issue")
			}
			it.State, it.Holder = AssetIssued, e.Holder()
		case OpReturn:
			if it.State != AssetIssued {
				return bad("error.move.return")
			}
			if h := e.Holder(); h != "" && h != it.Holder {
				return Reasoned(ECONFLICT, field, fmt.Sprintf("%s %s is with %s, not %s", e.Type, s, it.Holder, h),
					msg.New("error.serialHolder", "type", e.Type, "serial", s, "holder", it.Holder, "asked", h))
			}
			it.State, it.Holder = e.State, ""
		case OpTransfer:
			if !inHouse(it.State) {
				return bad("error.move.transfer")
			}
			delete(ts.Items, s)
			dst.Items[s] = it
			serials = serials.Set(s, e.To)
			continue
		case OpAdjust:
			if !inHouse(it.State) {
				return bad("error.move.adjust")
			}
			if e.State != 0 {
				it.State = e.State
			}
			if !e.Due.IsZero() {
				it.Dues = adjustDues(it.Dues, e)
			}
			if !e.Expires.IsZero() {
				it.Expires = e.Expires
			}
		case OpInspect:
			if !inHouse(it.State) {
				return bad("error.move.inspect")
			}
			switch {
			case e.Result != Pass:
				it.State = AssetRepair
			case e.Schedule == AfterUseSchedule:
				// The after-use check clears the item's being back from
				// use, and nothing else: no due date moves, and an item
				// in repair stays there.
				if it.State == AssetReturned {
					it.State = AssetAvailable
				}
			default:
				// A periodic schedule's pass moves its due date alone. An
				// item back from use still awaits its after-use check.
				it.Dues = withDue(it.Dues, e.Schedule, e.Due)
				// An entry written before schedules names none: its pass
				// cleared the item whole then, and a replay keeps it so.
				if it.State != AssetReturned || e.Schedule == "" {
					it.State = AssetAvailable
				}
			}
		case OpRepair:
			if !inHouse(it.State) {
				return bad("error.move.repair")
			}
			it.State = AssetRepair
		case OpRetire:
			if !inHouse(it.State) {
				return bad("error.move.retire")
			}
			it.State = AssetRetired
		case OpLost:
			if it.State == AssetLost || it.State == AssetRetired {
				return bad("error.move.lost")
			}
			it.State, it.Holder = AssetLost, ""
		}
		ts.Items[s] = withSoonest(it)
	}
	ed.ls.serials = serials
	return nil
}

func applyLots(ed *stockEdit, e *LedgerEntry) error {
	ts := ed.typeOf(e.Warehouse, e.Type, e.Unit, false)
	if ts.Items != nil {
		return Reasoned(EINVALID, "quantity", fmt.Sprintf("%s is counted by serial", e.Type), msg.New("error.bySerial", "type", e.Type))
	}
	holder := e.Holder()
	for i, lq := range e.Lots {
		field := fmt.Sprintf("lots[%d]", i)
		l, ok := ts.Lots[lq.Lot]
		if !ok && e.Op != OpReceive && !(e.Op == OpAdjust && lq.Quantity > 0) {
			return Reasoned(ENOTFOUND, field, fmt.Sprintf("%s has no lot %s of %s", e.Warehouse, lq.Lot, e.Type),
				msg.New("error.noLot", "type", e.Type, "lot", lq.Lot, "warehouse", e.Warehouse))
		}
		if !ok {
			l = withSoonestLot(Lot{ID: lq.Lot, State: AssetAvailable, Expires: e.Expires, Dues: receiptDues(e)})
		}
		short := func(have float64) error {
			return Reasoned(EINSUFFICIENT, field, fmt.Sprintf("lot %s of %s holds %s %s, not %s", lq.Lot, e.Type, num(have), e.Unit, num(lq.Quantity)),
				msg.New("error.lotShort", "lot", lq.Lot, "type", e.Type, "have", num(have), "unit", e.Unit, "asked", num(lq.Quantity)))
		}
		switch e.Op {
		case OpReceive:
			l.Quantity += lq.Quantity
		case OpIssue, OpTransfer:
			if l.Quantity < lq.Quantity-eps {
				return short(l.Quantity)
			}
			if e.Op == OpIssue && l.State != AssetAvailable {
				return lotState(field, e.Type, lq.Lot, l.State)
			}
			l.Quantity = clampZero(l.Quantity - lq.Quantity)
			if e.Op == OpIssue {
				addOut(ts, holder, lq.Lot, lq.Quantity)
			} else {
				dst := ed.typeOf(e.To, e.Type, e.Unit, false)
				if dst.Items != nil {
					return Reasoned(EINVALID, "to", fmt.Sprintf("%s counts %s by serial", e.To, e.Type), msg.New("error.bySerialThere", "to", e.To, "type", e.Type))
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
				return Reasoned(EINSUFFICIENT, field, fmt.Sprintf("%s holds %s %s of lot %s, not %s", holderName(holder), num(have), e.Unit, lq.Lot, num(lq.Quantity)),
					msg.New("error.holderShort", "holder", holder, "have", num(have), "unit", e.Unit, "lot", lq.Lot, "asked", num(lq.Quantity)))
			}
			addOut(ts, holder, lq.Lot, -lq.Quantity)
			switch e.State {
			case AssetRetired:
				// Used: written off (hazardous waste), not back in stock.
			case AssetQuarantined:
				// Opened: a lot of its own, quarantined, the rest of the
				// lot it came from untouched.
				q, ok := ts.Lots[returnedLot(lq.Lot, e.ID)]
				if !ok {
					q = l
					q.ID, q.Quantity = returnedLot(lq.Lot, e.ID), 0
				}
				q.Quantity += lq.Quantity
				q.State = AssetQuarantined
				ts.Lots[q.ID] = withSoonestLot(q)
			default:
				l.Quantity += lq.Quantity
			}
		case OpAdjust:
			if l.Quantity+lq.Quantity < -eps {
				return short(l.Quantity)
			}
			l.Quantity = clampZero(l.Quantity + lq.Quantity)
			if e.State != 0 {
				l.State = e.State
			}
			if !e.Due.IsZero() {
				l.Dues = adjustDues(l.Dues, e)
			}
			if !e.Expires.IsZero() {
				l.Expires = e.Expires
			}
		case OpInspect:
			if e.Result == Pass {
				l.State = AssetAvailable
				if e.Schedule != AfterUseSchedule {
					l.Dues = withDue(l.Dues, e.Schedule, e.Due)
				}
			} else {
				l.State = AssetQuarantined
			}
		case OpRetire, OpLost:
			if e.Incident != "" || e.Loan != "" {
				// What a holder had, written off: used at an incident.
				have := ts.Out[holder][lq.Lot]
				if have < lq.Quantity-eps {
					return Reasoned(EINSUFFICIENT, field, fmt.Sprintf("%s holds %s %s of lot %s, not %s", holderName(holder), num(have), e.Unit, lq.Lot, num(lq.Quantity)),
						msg.New("error.holderShort", "holder", holder, "have", num(have), "unit", e.Unit, "lot", lq.Lot, "asked", num(lq.Quantity)))
				}
				addOut(ts, holder, lq.Lot, -lq.Quantity)
				break
			}
			if l.Quantity < lq.Quantity-eps {
				return short(l.Quantity)
			}
			l.Quantity = clampZero(l.Quantity - lq.Quantity)
		case OpRepair:
			return bulkNotRepaired()
		}
		l = withSoonestLot(l)
		ts.Lots[lq.Lot] = l
		if l.Quantity == 0 && !outAnywhere(ts, lq.Lot) {
			delete(ts.Lots, lq.Lot) // used up: the lots kept are those on hand or out
		}
	}
	return nil
}

// receiptDues returns the due dates a receipt sets: its Dues, or (an
// entry made before schedules were plural) its single Due under "".
func receiptDues(e *LedgerEntry) map[string]Date {
	if len(e.Dues) > 0 {
		return maps.Clone(e.Dues)
	}
	if !e.Due.IsZero() {
		return map[string]Date{"": e.Due}
	}
	return nil
}

// adjustDues returns the due dates an adjustment with a due date leaves:
// its schedule's set, or, naming none, every one set to it (the keeper
// says when the item is next due, whatever for).
func adjustDues(dues map[string]Date, e *LedgerEntry) map[string]Date {
	if e.Schedule != "" {
		return withDue(dues, e.Schedule, e.Due)
	}
	if len(dues) == 0 {
		return map[string]Date{"": e.Due}
	}
	out := make(map[string]Date, len(dues))
	for k := range dues {
		out[k] = e.Due
	}
	return out
}

// returnedLot is the lot opened stock returned by entry goes to.
func returnedLot(lot, entry string) string { return lot + "/" + entry }

func withSoonest(it Item) Item { it.Due = soonest(it.Dues); return it }
func withSoonestLot(l Lot) Lot { l.Due = soonest(l.Dues); return l }

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
