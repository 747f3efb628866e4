package twin

import (
	"encoding/json"
	"fmt"
)

// Command is a change asked of the twin. Commands are applied one at a
// time by the twin's writer; each yields the events of what it changed, or
// an error and no change at all.
type Command interface {
	apply(tx *txn) error
}

// Create adds a new entity. An empty ID is assigned by the twin.
type Create struct{ Entity Entity }

// Update replaces an existing entity with the one given.
type Update struct{ Entity Entity }

// Patch changes an existing entity by an RFC 7386 merge patch of its
// GeoJSON Feature: {"properties": {"maxFill": 0.85}} changes one field,
// {"geometry": {...}} moves it.
type Patch struct {
	Kind  Kind
	ID    string
	Merge json.RawMessage
}

// Delete removes an entity that nothing refers to.
type Delete struct {
	Kind Kind
	ID   string
}

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
	if err := tx.check(e); err != nil {
		return err
	}
	tx.put(Created, e)
	return nil
}

func (c Update) apply(tx *txn) error {
	e := c.Entity
	if e == nil {
		return Invalid("", "nothing to update")
	}
	if _, ok := tx.get(e.Kind(), e.EntityID()); !ok {
		return Errorf(ENOTFOUND, "id", "no %s %s", e.Kind(), e.EntityID())
	}
	if err := tx.check(e); err != nil {
		return err
	}
	tx.put(Updated, e)
	return nil
}

func (c Patch) apply(tx *txn) error {
	old, ok := tx.get(c.Kind, c.ID)
	if !ok {
		return Errorf(ENOTFOUND, "id", "no %s %s", c.Kind, c.ID)
	}
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
	if _, ok := tx.get(c.Kind, c.ID); !ok {
		return Errorf(ENOTFOUND, "id", "no %s %s", c.Kind, c.ID)
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
	case *Road, *Sensor, *Danger, *Grading, *Task, *Incident:
		format = "%s%05d"
	case *Alarm, *Order:
		format = "%s%06d"
	}
	prefix, start := k.Prefix(), tx.st.kinds[k].Len()+1
	if n, ok := enterpriseNumber(owner); ok {
		prefix, format, start = prefix+n+"-", "%s%02d", 1
	}
	for n := start; ; n++ {
		id := fmt.Sprintf(format, prefix, n)
		if _, ok := tx.get(k, id); !ok {
			return id
		}
	}
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
