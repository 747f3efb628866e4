package twin

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/benbjohnson/immutable"
)

// Stock is what a warehouse holds as its ledger leaves it: derived from
// the entries alone, in order, never edited (docs/warehouses.md). The
// writer applies each entry it takes; loading and replaying apply the
// same entries with the same function (applyEntry), so that replaying
// the ledger from empty gives the stock exactly. A Stock in a snapshot is
// shared and read-only.
type Stock struct {
	Warehouse string
	Seq       uint64 // the seq of the last entry that changed it
	types     map[string]*TypeStock
}

// TypeStock is a warehouse's stock of one equipment type: its items by
// serial, or its lots on hand and what holders have of them.
type TypeStock struct {
	Type  string
	Unit  string
	Items map[string]Item
	Lots  map[string]Lot
	// Out is the bulk stock issued and not yet returned or written off:
	// holder (an incident, a loan, whoever it went to) → lot → quantity.
	Out map[string]map[string]float64
}

// Item is one serialized item as the ledger leaves it.
type Item struct {
	Serial  string     `json:"serial"`
	State   AssetState `json:"state"`
	Due     Date       `json:"due,omitzero"`     // next inspection: the soonest of Dues
	Expires Date       `json:"expires,omitzero"` // end of its life
	Holder  string     `json:"holder,omitempty"` // while issued
	// Dues is the next due date of each of its type's periodic schedules
	// (equipment.yaml inspections), by schedule ID. Shared between copies:
	// replaced, never changed in place. "" holds the single due date of an
	// entry made before schedules were plural.
	Dues map[string]Date `json:"dues,omitempty"`
}

// Lot is a quantity of bulk stock received together: one date of expiry,
// one date of its next test.
type Lot struct {
	ID       string     `json:"lot"`
	Quantity float64    `json:"quantity"`
	State    AssetState `json:"state"`        // available or quarantined
	Due      Date       `json:"due,omitzero"` // the soonest of Dues
	Expires  Date       `json:"expires,omitzero"`
	// Dues: as an item's.
	Dues map[string]Date `json:"dues,omitempty"`
}

// itemEqual and lotEqual compare as == would, Dues by content.
func itemEqual(a, b Item) bool {
	return a.Serial == b.Serial && a.State == b.State && a.Due == b.Due && a.Expires == b.Expires && a.Holder == b.Holder && maps.Equal(a.Dues, b.Dues)
}

func lotEqual(a, b Lot) bool {
	return a.ID == b.ID && a.Quantity == b.Quantity && a.State == b.State && a.Due == b.Due && a.Expires == b.Expires && maps.Equal(a.Dues, b.Dues)
}

// withDue returns dues with schedule's date set (removed when d is
// zero), a new map: the old one may be shared.
func withDue(dues map[string]Date, schedule string, d Date) map[string]Date {
	out := maps.Clone(dues)
	if out == nil {
		out = map[string]Date{}
	}
	if d.IsZero() {
		delete(out, schedule)
	} else {
		out[schedule] = d
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// soonest returns the soonest of dues, zero when there is none.
func soonest(dues map[string]Date) Date {
	var out Date
	for _, d := range dues {
		if out.IsZero() || d.Time().Before(out.Time()) {
			out = d
		}
	}
	return out
}

// Types returns the types the warehouse has had, in order of ID.
func (s *Stock) Types() []*TypeStock {
	if s == nil {
		return nil
	}
	out := make([]*TypeStock, 0, len(s.types))
	for _, id := range slices.Sorted(maps.Keys(s.types)) {
		out = append(out, s.types[id])
	}
	return out
}

// Type returns the stock of one type, nil when the warehouse has had none.
func (s *Stock) Type(id string) *TypeStock {
	if s == nil {
		return nil
	}
	return s.types[id]
}

// ReadyAt reports whether an item may be offered at t: available, its
// inspection not overdue, its life not over.
func (it Item) ReadyAt(t time.Time) bool {
	return it.State == AssetAvailable && dateAfter(it.Due, t) && dateAfter(it.Expires, t)
}

// ReadyAt reports whether a lot may be offered at t.
func (l Lot) ReadyAt(t time.Time) bool {
	return l.Quantity > 0 && l.State == AssetAvailable && dateAfter(l.Due, t) && dateAfter(l.Expires, t)
}

// dateAfter reports whether d is unset or its day begins after t: an
// item due for inspection today is due now.
func dateAfter(d Date, t time.Time) bool { return d.IsZero() || d.Time().After(t) }

// Ready returns what of the type may be offered at t: the quantity, and
// for serialized stock the serials, in order.
func (ts *TypeStock) Ready(t time.Time) (float64, []string) {
	if ts == nil {
		return 0, nil
	}
	if ts.Items != nil {
		var serials []string
		for s, it := range ts.Items {
			if it.ReadyAt(t) {
				serials = append(serials, s)
			}
		}
		slices.Sort(serials)
		return float64(len(serials)), serials
	}
	q := 0.0
	for _, l := range ts.Lots {
		if l.ReadyAt(t) {
			q += l.Quantity
		}
	}
	return q, nil
}

// Serialized reports whether the type is counted item by item.
func (ts *TypeStock) Serialized() bool { return ts != nil && ts.Items != nil }

// SortedItems returns the items in order of serial.
func (ts *TypeStock) SortedItems() []Item {
	out := make([]Item, 0, len(ts.Items))
	for _, s := range slices.Sorted(maps.Keys(ts.Items)) {
		out = append(out, ts.Items[s])
	}
	return out
}

// SortedLots returns the lots with stock on hand, soonest to expire
// first, then by ID.
func (ts *TypeStock) SortedLots() []Lot {
	var out []Lot
	for _, l := range ts.Lots {
		if l.Quantity > 0 {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, lotOrder)
	return out
}

// lotOrder is first expiring, first out: soonest expiry, then soonest
// test, then lot ID; a lot that never expires last.
func lotOrder(a, b Lot) int {
	key := func(d Date) int64 {
		if d.IsZero() {
			return math.MaxInt64
		}
		return d.Time().Unix()
	}
	return cmp.Or(cmp.Compare(key(a.Expires), key(b.Expires)), cmp.Compare(key(a.Due), key(b.Due)), cmp.Compare(a.ID, b.ID))
}

// OutQuantity returns the bulk stock out with holders, all holders or
// one.
func (ts *TypeStock) OutQuantity(holder string) float64 {
	q := 0.0
	for h, lots := range ts.Out {
		if holder != "" && h != holder {
			continue
		}
		for _, v := range lots {
			q += v
		}
	}
	return q
}

// Stock returns a warehouse's stock as its ledger leaves it, nil when it
// has no entries.
func (s *Snapshot) Stock(warehouse string) *Stock {
	st, _ := s.st.stock.Get(warehouse)
	return st
}

// SerialAt returns the warehouse that holds an item by its serial.
func (s *Snapshot) SerialAt(serial string) (string, bool) {
	return s.st.serials.Get(serial)
}

// ledgerState is the part of the state the ledger derives: each
// warehouse's stock, and where each serial is.
type ledgerState struct {
	stock   *immutable.Map[string, *Stock]
	serials *immutable.Map[string, string] // serial → warehouse
}

func newLedgerState() ledgerState {
	return ledgerState{immutable.NewMap[string, *Stock](nil), immutable.NewMap[string, string](nil)}
}

// stockEdit is a change of the derived stock being made: the copies it
// made, written back at the end, so that a refused entry leaves nothing.
type stockEdit struct {
	ls     *ledgerState
	copies map[string]*Stock
	seq    uint64
	// owned: nobody else holds ls (a derivation from empty, before it is
	// published), so its stock is changed in place, not copied.
	owned bool
	// fresh holds the copies (*Stock, *TypeStock) made by the request
	// being applied (txn.fresh): nobody else holds them — no snapshot, no
	// state before the request — so a later entry of the same request (a
	// document's next line) changes them in place. A refused request is
	// thrown away whole, with them. A snapshot made within the request (a
	// Decide's) sees what the request's later entries do to them: a
	// decision reads its snapshot while it decides and keeps it no
	// longer. Nil: copy every time.
	fresh map[any]struct{}
}

// mine reports whether the edit may change p in place.
func (ed *stockEdit) mine(p any) bool {
	if ed.owned {
		return true
	}
	_, ok := ed.fresh[p]
	return ok
}

// made records a copy made by the edit.
func (ed *stockEdit) made(p any) {
	if ed.fresh != nil {
		ed.fresh[p] = struct{}{}
	}
}

// stockOf returns a copy of a warehouse's stock that may be changed.
func (ed *stockEdit) stockOf(wh string) *Stock {
	if s, ok := ed.copies[wh]; ok {
		return s
	}
	old, _ := ed.ls.stock.Get(wh)
	if old != nil && ed.mine(old) {
		ed.copies[wh] = old
		return old
	}
	s := &Stock{Warehouse: wh, types: map[string]*TypeStock{}}
	if old != nil {
		maps.Copy(s.types, old.types)
	}
	ed.copies[wh] = s
	ed.made(s)
	return s
}

// typeOf returns a copy of one type's stock that may be changed.
func (ed *stockEdit) typeOf(wh, typ, unit string, serialized bool) *TypeStock {
	s := ed.stockOf(wh)
	old := s.types[typ]
	if old != nil && ed.mine(old) && (old.Items != nil) == serialized {
		return old
	}
	ts := &TypeStock{Type: typ, Unit: unit}
	if old != nil {
		ts.Unit = old.Unit
		if old.Items != nil {
			ts.Items = maps.Clone(old.Items)
		}
		ts.Lots = maps.Clone(old.Lots)
		ts.Out = make(map[string]map[string]float64, len(old.Out))
		for h, lots := range old.Out {
			ts.Out[h] = maps.Clone(lots)
		}
	}
	if serialized && ts.Items == nil {
		ts.Items = map[string]Item{}
	}
	if !serialized && ts.Lots == nil {
		ts.Lots = map[string]Lot{}
		ts.Out = map[string]map[string]float64{}
	}
	s.types[typ] = ts
	ed.made(ts)
	return ts
}

func (ed *stockEdit) done() {
	for wh, s := range ed.copies {
		s.Seq = ed.seq
		if ed.mine(s) {
			if old, ok := ed.ls.stock.Get(wh); ok && old == s {
				continue // changed in place: the map holds it already
			}
		}
		ed.ls.stock = ed.ls.stock.Set(wh, s)
	}
}

// deriveStock derives every warehouse's stock from the ledger's entries
// of st, in the order they were made (their versions: each entry's seq).
func deriveStock(st *state) error {
	ls := newLedgerState()
	it := st.kinds[KindLedger].Iterator()
	for !it.Done() {
		id, en, _ := it.Next()
		if err := applyOwned(&ls, en.e.(*LedgerEntry), en.v); err != nil {
			return fmt.Errorf("derive stock: ledger entry %s: %w", id, err)
		}
	}
	st.ledgerState = ls
	return nil
}

// ReplayLedger derives every warehouse's stock from entries, in order,
// from empty: what the ledger says each warehouse holds, by warehouse ID.
// It is the function the twin derives its stock with, so its result is
// the twin's stock when given the twin's entries.
func ReplayLedger(entries []*LedgerEntry) (map[string]*Stock, error) {
	ls := newLedgerState()
	for i, e := range entries {
		if err := applyOwned(&ls, e, uint64(i+1)); err != nil {
			return nil, fmt.Errorf("ledger entry %s: %w", e.ID, err)
		}
	}
	out := make(map[string]*Stock, ls.stock.Len())
	it := ls.stock.Iterator()
	for !it.Done() {
		wh, s, _ := it.Next()
		out[wh] = s
	}
	return out, nil
}

// LedgerEntries returns the ledger's entries in the order they were made,
// all or those of one warehouse (a transfer is in the ledgers of both).
func (s *Snapshot) LedgerEntries(warehouse string) []*LedgerEntry {
	var out []*LedgerEntry
	for e := range All[*LedgerEntry](s) {
		if warehouse == "" || e.Warehouse == warehouse || (e.Op == OpTransfer && e.To == warehouse) {
			out = append(out, e)
		}
	}
	return out
}

// Stocks returns every warehouse's stock, by warehouse ID.
func (s *Snapshot) Stocks() map[string]*Stock {
	out := make(map[string]*Stock, s.st.stock.Len())
	it := s.st.stock.Iterator()
	for !it.Done() {
		wh, st, _ := it.Next()
		out[wh] = st
	}
	return out
}

// Equal reports whether two stocks hold the same: every item, lot and
// quantity out, whatever their Seq.
func (s *Stock) Equal(o *Stock) bool {
	if s == nil || o == nil {
		return s == o
	}
	if len(s.types) != len(o.types) {
		return false
	}
	for id, a := range s.types {
		b, ok := o.types[id]
		if !ok || a.Type != b.Type || a.Unit != b.Unit || !maps.EqualFunc(a.Items, b.Items, itemEqual) || !maps.EqualFunc(a.Lots, b.Lots, lotEqual) ||
			!maps.EqualFunc(a.Out, b.Out, func(x, y map[string]float64) bool { return maps.Equal(x, y) }) {
			return false
		}
	}
	return true
}
