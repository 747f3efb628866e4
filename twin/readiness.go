package twin

import (
	"cmp"
	"maps"
	"slices"
	"sync"
	"time"
)

// TypeSummary is a warehouse's stock of one type as a keeper reads it:
// how much is ready to lend, out, expired, overdue for inspection, out of
// service (in repair, quarantined, back and not yet inspected), and the
// items and lots themselves.
type TypeSummary struct {
	Type         string             `json:"type"`
	Name         string             `json:"name"`
	Unit         string             `json:"unit"`
	Class        EquipmentClass     `json:"class"`
	Ready        float64            `json:"ready"`
	Out          float64            `json:"out"`
	Expired      float64            `json:"expired"`
	Overdue      float64            `json:"overdue"`
	OutOfService float64            `json:"outOfService"`
	OnHand       float64            `json:"onHand"` // in the warehouse, whatever its state
	OutWith      map[string]float64 `json:"outWith,omitempty"`
	Items        []Item             `json:"items,omitempty"`
	Lots         []Lot              `json:"lots,omitempty"`
}

// Summary returns a warehouse's stock by type at t, in the catalogue's
// order of types.
func (s *Snapshot) Summary(warehouse string, t time.Time, cat *Catalogue) []TypeSummary {
	st := s.Stock(warehouse)
	var out []TypeSummary
	for _, ts := range st.Types() {
		out = append(out, summarize(ts, t, cat))
	}
	slices.SortFunc(out, func(a, b TypeSummary) int { return catalogueOrder(cat, a.Type, b.Type) })
	return out
}

func catalogueOrder(cat *Catalogue, a, b string) int {
	ia, ib := slices.Index(cat.TypeIDs(), a), slices.Index(cat.TypeIDs(), b)
	if ia < 0 {
		ia = len(cat.Types)
	}
	if ib < 0 {
		ib = len(cat.Types)
	}
	if ia != ib {
		return ia - ib
	}
	return cmp.Compare(a, b)
}

func summarize(ts *TypeStock, t time.Time, cat *Catalogue) TypeSummary {
	sum := TypeSummary{Type: ts.Type, Name: ts.Type, Unit: ts.Unit, Class: Bulk, OutWith: map[string]float64{}}
	if et, ok := cat.Type(ts.Type); ok {
		sum.Name = et.Name
	}
	if ts.Serialized() {
		sum.Class = Serialized
		sum.Items = ts.SortedItems()
		for _, it := range sum.Items {
			switch {
			case it.State == AssetIssued:
				sum.Out++
				sum.OutWith[it.Holder]++
				continue
			case it.State == AssetLost || it.State == AssetRetired:
				continue
			}
			sum.OnHand++
			switch {
			case it.ReadyAt(t):
				sum.Ready++
			case !dateAfter(it.Expires, t):
				sum.Expired++
			case it.State != AssetAvailable:
				sum.OutOfService++
			default:
				sum.Overdue++
			}
		}
	} else {
		sum.Lots = ts.SortedLots()
		for _, l := range sum.Lots {
			sum.OnHand += l.Quantity
			switch {
			case l.ReadyAt(t):
				sum.Ready += l.Quantity
			case !dateAfter(l.Expires, t):
				sum.Expired += l.Quantity
			case l.State != AssetAvailable:
				sum.OutOfService += l.Quantity
			default:
				sum.Overdue += l.Quantity
			}
		}
		for h := range ts.Out {
			q := ts.OutQuantity(h)
			sum.Out += q
			sum.OutWith[h] = q
		}
	}
	if len(sum.OutWith) == 0 {
		sum.OutWith = nil
	}
	return sum
}

// Readiness is a warehouse's readiness at a moment: by type, what is
// ready against the minimum its tier should hold, what it is short of,
// and the inspections due soon or overdue.
type Readiness struct {
	Warehouse string          `json:"warehouse"`
	Name      string          `json:"name"`
	Tier      Tier            `json:"tier"`
	Percent   float64         `json:"percent"` // ready of the minimums, over the types with one, capped at each
	Types     []TypeReadiness `json:"types"`
	Short     []TypeReadiness `json:"short"`
	Due       []Inspect       `json:"due"`     // within DueWithin
	Overdue   []Inspect       `json:"overdue"` // due already, or past their life
}

// TypeReadiness is one type's readiness in a warehouse.
type TypeReadiness struct {
	Type    string  `json:"type"`
	Unit    string  `json:"unit"`
	Ready   float64 `json:"ready"`
	Minimum float64 `json:"minimum"`
	Short   float64 `json:"short"`
	Percent float64 `json:"percent"` // ready of the minimum, capped at 100; 100 without one
}

// Inspect is an item or a lot whose inspection falls due, or whose life
// ends.
type Inspect struct {
	Type   string `json:"type"`
	Serial string `json:"serial,omitempty"`
	Lot    string `json:"lot,omitempty"`
	What   string `json:"what"` // the inspection, or "expires"
	// Schedule is the inspection schedule falling due (equipment.yaml
	// inspections), empty for an end of life.
	Schedule string `json:"schedule,omitempty"`
	Due      Date   `json:"due"`
}

// DueWithin is how far ahead the readiness lists inspections due.
const DueWithin = 30 * 24 * time.Hour

// Readiness returns every warehouse's readiness at t against the
// catalogue's minimums, in order of warehouse ID.
func (s *Snapshot) Readiness(t time.Time, cat *Catalogue) []Readiness {
	var out []Readiness
	for w := range All[*Warehouse](s) {
		out = append(out, s.readinessOf(w, t, cat))
	}
	return out
}

func (s *Snapshot) readinessOf(w *Warehouse, t time.Time, cat *Catalogue) Readiness {
	r := Readiness{Warehouse: w.ID, Name: w.Name, Tier: w.Tier, Types: []TypeReadiness{}, Short: []TypeReadiness{},
		Due: []Inspect{}, Overdue: []Inspect{}}
	st := s.Stock(w.ID)
	ids := cat.TypeIDs()
	for _, ts := range st.Types() {
		if !slices.Contains(ids, ts.Type) {
			ids = append(ids, ts.Type)
		}
	}
	soon := t.Add(DueWithin)
	share, types := 0.0, 0
	for _, id := range ids {
		et, _ := cat.Type(id)
		ts := st.Type(id)
		min := 0.0
		if et != nil {
			min = et.MinimumFor(w.Tier)
		}
		if ts == nil && min == 0 {
			continue
		}
		ready, _ := ts.Ready(t)
		tr := TypeReadiness{Type: id, Ready: ready, Minimum: min, Percent: 100}
		if et != nil {
			tr.Unit = et.Unit
		}
		if min > 0 {
			types++
			share += minFloat(ready/min, 1)
			tr.Percent = roundTo(100*minFloat(ready/min, 1), 1)
			if ready < min {
				tr.Short = min - ready
				r.Short = append(r.Short, tr)
			}
		}
		r.Types = append(r.Types, tr)
		if ts == nil {
			continue
		}
		what := func(schedule string) string {
			if et != nil {
				if s, ok := et.Schedule(schedule); ok {
					return s.What
				}
			}
			return "inspection"
		}
		list := func(in Inspect) {
			switch {
			case !dateAfter(in.Due, t):
				r.Overdue = append(r.Overdue, in)
			case !dateAfter(in.Due, soon):
				r.Due = append(r.Due, in)
			}
		}
		for _, it := range ts.SortedItems() {
			if it.State == AssetIssued || it.State == AssetLost || it.State == AssetRetired {
				continue
			}
			for _, sd := range sortedDues(it.Dues) {
				list(Inspect{Type: id, Serial: it.Serial, What: what(sd.id), Schedule: sd.id, Due: sd.due})
			}
			if !it.Expires.IsZero() {
				list(Inspect{Type: id, Serial: it.Serial, What: "expires", Due: it.Expires})
			}
		}
		for _, l := range ts.SortedLots() {
			for _, sd := range sortedDues(l.Dues) {
				list(Inspect{Type: id, Lot: l.ID, What: what(sd.id), Schedule: sd.id, Due: sd.due})
			}
			if !l.Expires.IsZero() {
				list(Inspect{Type: id, Lot: l.ID, What: "expires", Due: l.Expires})
			}
		}
	}
	if types > 0 {
		r.Percent = roundTo(100*share/float64(types), 1)
	} else {
		r.Percent = 100
	}
	byDue := func(a, b Inspect) int {
		return cmp.Compare(a.Due.String()+a.Type+a.Serial+a.Lot+"\x00"+a.Schedule+a.What, b.Due.String()+b.Type+b.Serial+b.Lot+"\x00"+b.Schedule+b.What)
	}
	slices.SortFunc(r.Due, byDue)
	slices.SortFunc(r.Overdue, byDue)
	return r
}

type scheduleDue struct {
	id  string
	due Date
}

// sortedDues returns an item's or a lot's due dates by schedule ID.
func sortedDues(dues map[string]Date) []scheduleDue {
	out := make([]scheduleDue, 0, len(dues))
	for _, id := range slices.Sorted(maps.Keys(dues)) {
		out = append(out, scheduleDue{id, dues[id]})
	}
	return out
}

func minFloat(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func roundTo(v float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}

// ReadinessCache keeps each warehouse's readiness until its stock, the
// warehouse itself or the day changes: after one entry, one warehouse is
// computed again and the others are taken as they were. A readiness
// depends on the moment only through its day (every date compared is a
// day's midnight). Safe for concurrent use.
type ReadinessCache struct {
	mu   sync.Mutex
	cat  *Catalogue
	byWH map[string]cachedReadiness
}

type cachedReadiness struct {
	stock *Stock
	wh    *Warehouse
	day   Date
	r     Readiness
}

// NewReadinessCache returns an empty cache for readiness against cat.
func NewReadinessCache(cat *Catalogue) *ReadinessCache {
	return &ReadinessCache{cat: cat, byWH: map[string]cachedReadiness{}}
}

// Readiness returns every warehouse's readiness at t, as
// Snapshot.Readiness does.
func (c *ReadinessCache) Readiness(s *Snapshot, t time.Time) []Readiness {
	day := NewDate(t.Year(), t.Month(), t.Day())
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Readiness
	seen := make(map[string]bool, len(c.byWH))
	for w := range All[*Warehouse](s) {
		seen[w.ID] = true
		st := s.Stock(w.ID)
		if cr, ok := c.byWH[w.ID]; ok && cr.stock == st && cr.wh == w && cr.day == day {
			out = append(out, cr.r)
			continue
		}
		r := s.readinessOf(w, t, c.cat)
		c.byWH[w.ID] = cachedReadiness{st, w, day, r}
		out = append(out, r)
	}
	for id := range c.byWH {
		if !seen[id] {
			delete(c.byWH, id)
		}
	}
	return out
}
