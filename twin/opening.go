package twin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
)

// A warehouse's stock lines (StockLine) are how a park file, the demo
// generator and an export write what a warehouse holds. The twin keeps no
// stock on the warehouse itself: a warehouse created with lines gets an
// opening receipt of each (and, for an item not available, the entry
// that puts it in its state), made by whoever created it; and a warehouse
// read for a park file is written with the lines its ledger leaves.

// OpeningReason is the reason of the entries that open a warehouse's
// ledger from its stock lines.
const OpeningReason = "opening stock (期初库存)"

// openingEntries returns the entries that bring an empty ledger to the
// lines of w.
func openingEntries(w *Warehouse) ([]*LedgerEntry, error) {
	var out []*LedgerEntry
	for li, l := range w.Stock {
		field := fmt.Sprintf("stock[%d]", li)
		base := LedgerEntry{Warehouse: w.ID, Type: l.Type, Reason: OpeningReason}
		if len(l.Items) == 0 {
			if l.Quantity == 0 {
				continue
			}
			e := base
			e.Op, e.Quantity, e.Expires, e.Due = OpReceive, l.Quantity, l.Expires, l.Due
			out = append(out, &e)
			continue
		}
		// One receipt per run of items of the same dates, then an entry
		// for each item not available.
		for i := 0; i < len(l.Items); {
			j := i + 1
			for j < len(l.Items) && l.Items[j].NextInspection == l.Items[i].NextInspection && l.Items[j].Expires == l.Items[i].Expires &&
				maps.Equal(l.Items[j].Dues, l.Items[i].Dues) {
				j++
			}
			e := base
			e.Op, e.Due, e.Expires, e.Dues = OpReceive, l.Items[i].NextInspection, l.Items[i].Expires, maps.Clone(l.Items[i].Dues)
			for _, it := range l.Items[i:j] {
				e.Serials = append(e.Serials, it.Serial)
			}
			out = append(out, &e)
			i = j
		}
		for ii, it := range l.Items {
			e := base
			e.Serials = []string{it.Serial}
			switch it.State {
			case AssetAvailable:
				continue
			case AssetRepair:
				e.Op = OpRepair
			case AssetRetired:
				e.Op = OpRetire
			case AssetLost:
				e.Op = OpLost
			case AssetQuarantined, AssetReturned:
				e.Op, e.State = OpAdjust, it.State
			case AssetReserved, AssetIssued, AssetInUse:
				// Out with nobody the park knows: back, to be checked in.
				e.Op, e.State = OpAdjust, AssetReturned
				e.Reason += fmt.Sprintf("; was %s, awaits check-in", it.State)
			default:
				return nil, Invalid(fmt.Sprintf("%s.items[%d].state", field, ii), "required")
			}
			out = append(out, &e)
		}
	}
	return out, nil
}

// open posts the opening entries of a warehouse created with stock
// lines, and stores the warehouse without them.
func (tx *txn) open(w *Warehouse) error {
	entries, err := openingEntries(w)
	if err != nil {
		return err
	}
	for i, e := range entries {
		if err := (Post{Entry: e}).apply(tx); err != nil {
			return prefixField(fmt.Sprintf("stock (opening entry %d, %s %s)", i, e.Op, e.Type), err)
		}
	}
	return nil
}

// withoutStock returns w as the twin keeps it: without stock lines.
func withoutStock(w *Warehouse) *Warehouse {
	if w.Stock == nil {
		return w
	}
	cp := *w
	cp.Stock = nil
	return &cp
}

// StockLines returns a warehouse's stock as lines, as a park file writes
// them: each type's items (in order of serial) or each lot on hand
// (first expiring first), retired and lost items left out.
func (s *Snapshot) StockLines(warehouse string) []StockLine {
	st := s.Stock(warehouse)
	if st == nil {
		return nil
	}
	cat := DefaultCatalogue()
	var out []StockLine
	for _, ts := range st.Types() {
		name := ts.Type
		if t, ok := cat.Type(ts.Type); ok {
			name = t.Name
		}
		if ts.Serialized() {
			l := StockLine{Type: ts.Type, Name: name, Unit: ts.Unit}
			for _, it := range ts.SortedItems() {
				if it.State == AssetRetired || it.State == AssetLost {
					continue
				}
				l.Items = append(l.Items, Asset{Serial: it.Serial, State: it.State, NextInspection: it.Due, Expires: it.Expires, Dues: maps.Clone(it.Dues)})
			}
			if len(l.Items) > 0 {
				l.Quantity = float64(len(l.Items))
				out = append(out, l)
			}
			continue
		}
		for _, lot := range ts.SortedLots() {
			out = append(out, StockLine{Type: ts.Type, Name: name, Unit: ts.Unit, Quantity: lot.Quantity, Expires: lot.Expires, Due: lot.Due})
		}
	}
	return out
}

// WithStock returns a copy of w with the stock lines its ledger leaves:
// the warehouse as the REST API and a park file show it.
func (s *Snapshot) WithStock(w *Warehouse) *Warehouse {
	cp := *w
	cp.Stock = s.StockLines(w.ID)
	return &cp
}

// sameStock reports whether lines are the stock the ledger leaves: a
// warehouse written back as it was read changes nothing of its stock.
func (tx *txn) sameStock(w *Warehouse) bool {
	a, err1 := json.Marshal(w.Stock)
	b, err2 := json.Marshal((&Snapshot{st: tx.st}).StockLines(w.ID))
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

// stockRefused refuses a change of a warehouse's stock made by hand.
func stockRefused(w *Warehouse) error {
	return Errorf(ECONFLICT, "stock", "%s's stock is derived from its ledger and is never edited: "+
		"post an entry (receive, issue, return, transfer, adjust, inspect, repair, retire, lost) to /api/v1/warehouses/%s/ledger", w.ID, w.ID)
}

// legacyStock returns the IDs of the warehouses of st that still carry
// stock lines: stored before the ledger.
func legacyStock(st state) []string {
	var ids []string
	it := st.kinds[KindWarehouse].Iterator()
	for !it.Done() {
		id, en, _ := it.Next()
		if w := en.e.(*Warehouse); w.Stock != nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// openStock opens the ledgers of warehouses stored with stock lines
// before there was a ledger: each is stored without them, and they
// become its opening entries.
type openStock struct{ ids []string }

func (c openStock) apply(tx *txn) error {
	for _, id := range c.ids {
		w, ok := tx.get(KindWarehouse, id)
		if !ok {
			continue
		}
		wh := w.(*Warehouse)
		if wh.Stock == nil {
			continue
		}
		tx.put(Updated, withoutStock(wh))
		if err := tx.open(wh); err != nil {
			return fmt.Errorf("warehouse %s: %w", id, err)
		}
	}
	return nil
}
