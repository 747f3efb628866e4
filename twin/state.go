package twin

import (
	"bytes"
	"fmt"
	"iter"
	"parktwin/twin/msg"
	"strings"
	"time"

	"github.com/benbjohnson/immutable"
	"github.com/paulmach/orb"

	"parktwin/twin/spatial"
)

// state is the whole park at one sequence number. Its maps are persistent
// (immutable, sharing structure), so copying a state is cheap and a copy
// never sees later changes: the writer works on a copy and publishes it
// whole once it is durable.
type state struct {
	seq   uint64
	kinds [numKinds + 1]*immutable.SortedMap[string, entry]
	// retired holds the IDs of deleted entities ("tanks/TNK-0001-01"):
	// an ID is never given to another entity, which would inherit its
	// alarms, history and journal.
	retired *immutable.Map[string, struct{}]
	// The warehouses' stock, derived from the ledger's entries.
	ledgerState
}

// entry is an entity with its version: the seq of its last change.
type entry struct {
	e Entity
	v uint64
}

func retiredKey(k Kind, id string) string { return k.String() + "/" + id }

type idComparer struct{}

func (idComparer) Compare(a, b string) int { return strings.Compare(a, b) }

func newState() state {
	var s state
	for _, k := range Kinds {
		s.kinds[k] = immutable.NewSortedMap[string, entry](idComparer{})
	}
	s.retired = immutable.NewMap[string, struct{}](nil)
	s.ledgerState = newLedgerState()
	return s
}

// Snapshot is the park as it stood at one sequence number. It never
// changes; any number of goroutines may read it. The entities in it are
// shared and must not be modified.
type Snapshot struct {
	st state
}

// Seq returns the sequence number of the last event the snapshot includes.
func (s *Snapshot) Seq() uint64 { return s.st.seq }

// Get returns the entity of kind k with the given ID.
func (s *Snapshot) Get(k Kind, id string) (Entity, bool) {
	if !k.valid() {
		return nil, false
	}
	en, ok := s.st.kinds[k].Get(id)
	return en.e, ok
}

// Version returns the version of the entity of kind k with the given ID:
// the seq of the event that last changed it, 0 when there is none.
func (s *Snapshot) Version(k Kind, id string) uint64 {
	if !k.valid() {
		return 0
	}
	en, _ := s.st.kinds[k].Get(id)
	return en.v
}

// Len returns the number of entities of kind k.
func (s *Snapshot) Len(k Kind) int {
	if !k.valid() {
		return 0
	}
	return s.st.kinds[k].Len()
}

// Entities yields the entities of kind k in order of ID.
func (s *Snapshot) Entities(k Kind) iter.Seq[Entity] {
	return func(yield func(Entity) bool) {
		if !k.valid() {
			return
		}
		it := s.st.kinds[k].Iterator()
		for !it.Done() {
			_, en, _ := it.Next()
			if !yield(en.e) {
				return
			}
		}
	}
}

// All yields the entities of T's kind in order of ID:
// twin.All[*twin.Tank](snap).
func All[T Entity](s *Snapshot) iter.Seq[T] {
	var zero T
	return func(yield func(T) bool) {
		for e := range s.Entities(zero.Kind()) {
			if !yield(e.(T)) {
				return
			}
		}
	}
}

// Lookup returns the entity of T's kind with the given ID.
func Lookup[T Entity](s *Snapshot, id string) (T, bool) {
	var zero T
	e, ok := s.Get(zero.Kind(), id)
	if !ok {
		return zero, false
	}
	return e.(T), true
}

// Unchanged reports whether nothing of kind k was created, updated or
// deleted between old and s: the persistent map of a kind untouched by a
// change is the very same map in the next state.
func (s *Snapshot) Unchanged(old *Snapshot, k Kind) bool {
	return k.valid() && old != nil && s.st.kinds[k] == old.st.kinds[k]
}

// Park returns the park, or nil when none has been loaded.
func (s *Snapshot) Park() *Park {
	p, _ := Lookup[*Park](s, ParkID)
	return p
}

// Counts returns the number of entities of each kind under its count key,
// and the number of vehicles.
func (s *Snapshot) Counts() map[string]int {
	c := make(map[string]int, numKinds+1)
	for _, k := range Kinds {
		if key := k.CountKey(); key != "" {
			c[key] = s.Len(k)
		}
	}
	v := 0
	for t := range All[*Team](s) {
		v += len(t.Vehicles)
	}
	c["vehicles"] = v
	return c
}

// maxParkDistanceM is how far from the park boundary an entity may lie:
// the district stations and villages around the park are part of its
// picture, anything farther is a mistake in the coordinates.
const maxParkDistanceM = 10_000

// txn is the writer's working copy of the state while it applies one
// request's commands.
type txn struct {
	st       state
	now      time.Time
	events   []Event
	twin     string // the twin's ID, stamped on every event
	exercise bool   // the twin is not the live park
	actor    Actor  // who makes the request being applied
	equip    *Catalogue
	// fresh holds the copies of the derived stock the request being
	// applied made (stockEdit.fresh): emptied at each request, since a
	// request's copies are the state the next request may be refused
	// back to.
	fresh map[any]struct{}
}

func (tx *txn) get(k Kind, id string) (Entity, bool) {
	en, ok := tx.entry(k, id)
	return en.e, ok
}

func (tx *txn) entry(k Kind, id string) (entry, bool) {
	if !k.valid() {
		return entry{}, false
	}
	return tx.st.kinds[k].Get(id)
}

// put stores e as the next change. An update that leaves the entity's
// Feature as it was is no change: it is neither journalled nor published,
// and the version stays.
func (tx *txn) put(op Op, e Entity) {
	k := e.Kind()
	if inc, ok := e.(*Incident); ok {
		prev, _ := tx.get(k, e.EntityID())
		p, _ := prev.(*Incident)
		stampSteps(inc, p, tx.actor.User)
	}
	// Encoded here, once: the store, the journal and every stream client
	// need the same bytes. An entity that cannot be encoded is encoded
	// again, and fails, where it is needed.
	f, _ := EncodeFeature(e)
	var prev Entity
	if op == Updated {
		prev, _ = tx.get(k, e.EntityID())
		if prev != nil && f != nil {
			if of, err := EncodeFeature(prev); err == nil && bytes.Equal(of, f) {
				return
			}
		}
	}
	tx.st.seq++
	tx.st.kinds[k] = tx.st.kinds[k].Set(e.EntityID(), entry{e, tx.st.seq})
	tx.events = append(tx.events, tx.event(Event{Seq: tx.st.seq, At: tx.now, Op: op, Kind: k, ID: e.EntityID(), Entity: e, Prev: prev, feature: f}))
}

func (tx *txn) remove(k Kind, id string) {
	prev, _ := tx.get(k, id)
	tx.st.kinds[k] = tx.st.kinds[k].Delete(id)
	tx.st.retired = tx.st.retired.Set(retiredKey(k, id), struct{}{})
	tx.st.seq++
	tx.events = append(tx.events, tx.event(Event{Seq: tx.st.seq, At: tx.now, Op: Deleted, Kind: k, ID: id, Prev: prev}))
}

// event stamps ev with the twin it happens in.
func (tx *txn) event(ev Event) Event {
	ev.Twin, ev.Exercise = tx.twin, tx.exercise
	return ev
}

// check validates e against the rest of the park: its own rules, its
// place within reach of the park, and what it refers to.
func (tx *txn) check(e Entity) error {
	if err := CheckLimits(e); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if e.Kind() != KindPark && e.Geometry() != nil {
		park, ok := tx.get(KindPark, ParkID)
		if !ok {
			return Errorf(ECONFLICT, "geometry", "the park has no boundary yet: load the park first")
		}
		if err := withinReach(park.(*Park).Boundary, e.Geometry()); err != nil {
			return err
		}
	}
	for _, r := range e.refs() {
		target, ok := tx.get(r.kind, r.id)
		if !ok {
			return Reasoned(EINVALID, r.field, fmt.Sprintf("no %s %s", r.kind, r.id),
				msg.New("error.noRef", "field", r.field, "kind", r.kind.String(), "id", r.id))
		}
		if err := checkOwner(e, r, target); err != nil {
			return err
		}
	}
	if t, ok := e.(*Team); ok {
		return tx.checkVehicleIDs(t)
	}
	return nil
}

// checkOwner keeps a major hazard unit to its own enterprise's tanks and
// stores.
func checkOwner(e Entity, r ref, target Entity) error {
	h, ok := e.(*HazardUnit)
	if !ok {
		return nil
	}
	var owner string
	switch t := target.(type) {
	case *Tank:
		owner = t.Enterprise
	case *WasteStore:
		owner = t.Enterprise
	default:
		return nil
	}
	if owner != h.Enterprise {
		return Reasoned(EINVALID, r.field, fmt.Sprintf("%s belongs to %s, not to the unit's enterprise %s", r.id, owner, h.Enterprise),
			msg.New("error.otherEnterprise", "field", r.field, "id", r.id, "owner", owner, "enterprise", h.Enterprise))
	}
	return nil
}

// checkVehicleIDs keeps vehicle IDs unique across the park.
func (tx *txn) checkVehicleIDs(t *Team) error {
	mine := make(map[string]int, len(t.Vehicles))
	for i, v := range t.Vehicles {
		mine[v.ID] = i
	}
	it := tx.st.kinds[KindTeam].Iterator()
	for !it.Done() {
		id, en, _ := it.Next()
		if id == t.ID {
			continue
		}
		for _, v := range en.e.(*Team).Vehicles {
			if i, ok := mine[v.ID]; ok {
				return Errorf(ECONFLICT, fmt.Sprintf("vehicles[%d].id", i), "vehicle %s belongs to %s", v.ID, id)
			}
		}
	}
	return nil
}

// referrer returns an entity that refers to (k, id), and its field.
func (tx *txn) referrer(k Kind, id string) (Entity, string, bool) {
	for _, rk := range Kinds {
		it := tx.st.kinds[rk].Iterator()
		for !it.Done() {
			_, en, _ := it.Next()
			for _, r := range en.e.refs() {
				if r.kind == k && r.id == id {
					return en.e, r.field, true
				}
			}
		}
	}
	return nil, "", false
}

// withinReach checks that every vertex of g lies within maxParkDistanceM
// of the park boundary.
func withinReach(boundary orb.Polygon, g orb.Geometry) error {
	for _, p := range spatial.Vertices(g) {
		if d := spatial.DistanceToPolygon(boundary, p); d > maxParkDistanceM {
			return Invalid("geometry", "[%.6f, %.6f] lies %.1f km from the park boundary; the limit is %d km",
				p[0], p[1], d/1000, maxParkDistanceM/1000)
		}
	}
	return nil
}
