package twin

import (
	"encoding/json"
	"errors"
	"fmt"

	"parktwin/twin/msg"
)

// Command is a change asked of the twin. Commands are applied one at a
// time by the twin's writer; each yields the events of what it changed, or
// an error and no change at all.
type Command interface {
	apply(tx *txn) error
}

// Create adds a new entity. An empty ID is assigned by the twin.
type Create struct{ Entity Entity }

// Update replaces an existing entity with the one given. Version is the
// version of the entity the replacement was made from: the update is
// refused when the entity has changed since, so that nobody's change is
// overwritten unseen. Zero skips the check: only for a writer that owns
// the kind alone, and better not at all (see Decide).
type Update struct {
	Entity  Entity
	Version uint64
}

// Patch changes an existing entity by an RFC 7386 merge patch of its
// GeoJSON Feature: {"properties": {"maxFill": 0.85}} changes one field,
// {"geometry": {...}} moves it. A patch names only what it changes, so it
// needs no Version to be safe; given one (If-Match), it is refused when
// the entity has changed since.
type Patch struct {
	Kind    Kind
	ID      string
	Merge   json.RawMessage
	Version uint64
}

// Delete removes an entity that nothing refers to. A non-zero Version is
// checked as for Update.
type Delete struct {
	Kind    Kind
	ID      string
	Version uint64
}

// Decide is a command that reads before it writes: it is called by the
// twin's writer with the park as it stands at that moment, every change
// before it applied, and returns the commands to apply in its place. What
// it decided on cannot change under it, so a decision such as "reserve the
// last SCBA set" or "dispatch this vehicle" can never be made on stale
// state (design rule 9). It runs inside the writer, so it must be quick
// and must not call the twin. If it panics, its request is refused with
// an EINTERNAL error and the writer goes on.
type Decide func(s *Snapshot) ([]Command, error)

func (c Create) apply(tx *txn) error {
	e := c.Entity
	if e == nil {
		return Invalid("", "nothing to create")
	}
	if e.EntityID() == "" {
		e.setID(tx.nextID(e))
	}
	if _, ok := tx.get(e.Kind(), e.EntityID()); ok {
		return Errorf(ECONFLICT, "id", "%s %s exists already", e.Kind(), e.EntityID())
	}
	// Only IDs the twin assigns are retired: a CAS number or the park's
	// ID names the thing itself, which may come back.
	if _, ok := tx.st.retired.Get(retiredKey(e.Kind(), e.EntityID())); ok && e.Kind().Prefix() != "" {
		return Errorf(ECONFLICT, "id", "%s %s was deleted: an ID is never given again", e.Kind(), e.EntityID())
	}
	if err := tx.check(e); err != nil {
		return err
	}
	if err := tx.checkHeld(nil, e); err != nil {
		return err
	}
	if w, ok := e.(*Warehouse); ok && w.Stock != nil {
		// Its stock opens its ledger: the twin keeps none on it.
		tx.put(Created, withoutStock(w))
		return tx.open(w)
	}
	tx.put(Created, e)
	return nil
}

func (c Update) apply(tx *txn) error {
	e := c.Entity
	if e == nil {
		return Invalid("", "nothing to update")
	}
	old, err := tx.current(e.Kind(), e.EntityID(), c.Version)
	if err != nil {
		return err
	}
	if err := checkSigned(old.e, e); err != nil {
		return err
	}
	if err := tx.check(e); err != nil {
		return err
	}
	if err := tx.checkHeld(old.e, e); err != nil {
		return err
	}
	if w, ok := e.(*Warehouse); ok && w.Stock != nil {
		if !tx.sameStock(w) {
			return stockRefused(w)
		}
		e = withoutStock(w)
	}
	tx.put(Updated, e)
	return nil
}

// current returns the entity to be changed, refusing the change when
// version is given and the entity has moved on since.
func (tx *txn) current(k Kind, id string, version uint64) (entry, error) {
	en, ok := tx.entry(k, id)
	if !ok {
		return entry{}, NotFound(k, id)
	}
	if version != 0 && en.v != version {
		return entry{}, coded(ECONFLICT, "version", msg.New("error.moved", "kind", k.String(), "id", id,
			"version", version, "at", en.v))
	}
	return en, nil
}

// IsStale reports whether err refuses a change because the entity it was
// based on has changed since.
func IsStale(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == ECONFLICT && e.Field == "version"
}

func (c Patch) apply(tx *txn) error {
	en, err := tx.current(c.Kind, c.ID, c.Version)
	if err != nil {
		return err
	}
	old := en.e
	f, err := EncodeFeature(old)
	if err != nil {
		return err
	}
	merged, err := MergePatch(f, c.Merge)
	if err != nil {
		return err
	}
	e, err := DecodeFeatureOf(c.Kind, merged)
	if err != nil {
		return err
	}
	return Update{Entity: e}.apply(tx)
}

func (c Delete) apply(tx *txn) error {
	en, err := tx.current(c.Kind, c.ID, c.Version)
	if err != nil {
		return err
	}
	if err := tx.checkDeletable(en.e); err != nil {
		return err
	}
	if err := checkSigned(en.e, nil); err != nil {
		return err
	}
	if c.Kind == KindPark {
		for _, k := range Kinds[1:] {
			if tx.st.kinds[k].Len() > 0 {
				return Errorf(ECONFLICT, "id", "the park cannot be deleted while it holds %s", k.Path())
			}
		}
	}
	if by, field, ok := tx.referrer(c.Kind, c.ID); ok {
		return Errorf(ECONFLICT, "id", "%s %s is still referred to by %s %s (%s)",
			c.Kind, c.ID, by.Kind(), by.EntityID(), field)
	}
	tx.remove(c.Kind, c.ID)
	return nil
}

// nextID returns a free ID for e: its kind's prefix and the lowest free
// number, within its enterprise's numbers for what an enterprise owns
// (TNK-0012-03 is enterprise ENT-0012's third tank).
func (tx *txn) nextID(e Entity) string {
	k := e.Kind()
	format := "%s%04d"
	var owner string
	switch e := e.(type) {
	case *Tank:
		owner = e.Enterprise
	case *SewagePool:
		owner = e.Enterprise
	case *WasteStore:
		owner = e.Enterprise
	case *HazardUnit:
		format = "%s%02d"
	case *Warehouse, *Team, *Target:
		format = "%s%02d"
	case *Road, *Sensor, *Danger, *Grading, *Task, *Incident, *Loan, *Handover:
		format = "%s%05d"
	case *Alarm, *Order:
		format = "%s%06d"
	case *LedgerEntry:
		format = "%s%08d"
	}
	prefix, start := k.Prefix(), tx.st.kinds[k].Len()+1
	if n, ok := enterpriseNumber(owner); ok {
		prefix, format, start = prefix+n+"-", "%s%02d", 1
	}
	for n := start; ; n++ {
		id := fmt.Sprintf(format, prefix, n)
		if _, ok := tx.get(k, id); ok {
			continue
		}
		if _, ok := tx.st.retired.Get(retiredKey(k, id)); !ok {
			return id
		}
	}
}

func (d Decide) apply(tx *txn) error {
	if d == nil {
		return Invalid("", "nothing to decide")
	}
	cmds, err := d.decide(&Snapshot{st: tx.st})
	if err != nil {
		return err
	}
	for _, c := range cmds {
		if err := c.apply(tx); err != nil {
			return err
		}
	}
	return nil
}

// errDecisionPanicked refuses a request whose decision panicked.
var errDecisionPanicked = Errorf(EINTERNAL, "", "internal error in a decision")

// decide calls d. A decision is the caller's logic (the desk's) run in
// the twin's one writer: a panic in it refuses its request instead of
// ending the writer and the process. The error goes back to the caller,
// who logs it or not; nothing is logged here.
func (d Decide) decide(s *Snapshot) (cmds []Command, err error) {
	defer func() {
		if recover() != nil {
			cmds, err = nil, errDecisionPanicked
		}
	}()
	return d(s)
}

// enterpriseNumber returns the number part of an enterprise ID, "0012" of
// "ENT-0012".
func enterpriseNumber(id string) (string, bool) {
	const p = "ENT-"
	if len(id) <= len(p) || id[:len(p)] != p {
		return "", false
	}
	return id[len(p):], true
}

// Creates returns a Create command for each entity, in order: a park
// loaded in one Apply.
func Creates(es ...Entity) []Command {
	cmds := make([]Command, len(es))
	for i, e := range es {
		cmds[i] = Create{Entity: e}
	}
	return cmds
}
