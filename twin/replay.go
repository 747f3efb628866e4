package twin

import (
	"fmt"

	"github.com/benbjohnson/immutable"
)

// Replayer builds the park's state from its journal: each event puts its
// entity, at the event's seq as its version, or deletes it. The events are
// trusted — they were checked when they were first applied — so nothing
// is validated again; only their order is, since a missing event would
// leave a state that never was. Its Snapshot costs next to nothing (the
// maps are persistent), so a reader may keep one every few hundred events
// and start again from the nearest. A Replayer is not safe for
// concurrent use; the snapshots it gives are.
type Replayer struct {
	st state
}

// NewReplayer returns a Replayer standing at from, or at the empty park
// before the journal's first event when from is nil.
func NewReplayer(from *Snapshot) *Replayer {
	if from == nil {
		return &Replayer{st: newState()}
	}
	return &Replayer{st: from.st}
}

// Apply applies one journalled event. It must be the next one: its seq
// one past the Replayer's.
func (r *Replayer) Apply(ev Event) error {
	switch {
	case ev.Seq != r.st.seq+1:
		return fmt.Errorf("replay event %d: the journal stands at %d, want event %d next", ev.Seq, r.st.seq, r.st.seq+1)
	case !ev.Kind.valid():
		return fmt.Errorf("replay event %d: unknown kind %d", ev.Seq, ev.Kind)
	case ev.Op == Deleted:
		r.st.kinds[ev.Kind] = r.st.kinds[ev.Kind].Delete(ev.ID)
		r.st.retired = r.st.retired.Set(retiredKey(ev.Kind, ev.ID), struct{}{})
	case ev.Entity == nil || ev.Entity.Kind() != ev.Kind || ev.Entity.EntityID() != ev.ID:
		return fmt.Errorf("replay event %d: %s %s %s without its entity", ev.Seq, ev.Op, ev.Kind, ev.ID)
	default:
		if e, ok := ev.Entity.(*LedgerEntry); ok {
			if err := applyEntry(&r.st.ledgerState, e, ev.Seq); err != nil {
				return fmt.Errorf("replay event %d: ledger entry %s: %w", ev.Seq, ev.ID, err)
			}
		}
		r.st.kinds[ev.Kind] = r.st.kinds[ev.Kind].Set(ev.ID, entry{ev.Entity, ev.Seq})
	}
	r.st.seq = ev.Seq
	return nil
}

// Seq returns the seq of the last event applied.
func (r *Replayer) Seq() uint64 { return r.st.seq }

// Snapshot returns the park as the events applied so far leave it.
func (r *Replayer) Snapshot() *Snapshot { return &Snapshot{st: r.st} }

// Restore moves the twin to the park as it stood in To: each entity that
// differs is created, updated or deleted, so that whoever follows the twin
// (a console's stream) sees the park move to that moment, forward or
// back, with an event for exactly what differs. The entities take the
// versions they have in To — for a replay, their seqs in the live park's
// journal — while the twin's own sequence runs on, so that a stream's
// seqs never go back. The IDs deleted at either moment stay retired
// (published with the next event, as every change is). Two entries of one ID with the same version and the
// same entity are taken to be the same: Restore is meant for snapshots of
// one lineage (a journal rebuilt by a Replayer), where that holds.
//
// Like the journal it comes from, To is trusted and not checked again.
// Restore is for a twin kept in memory (a replay's): a store would record
// each entity at its event's seq rather than at To's version.
type Restore struct{ To *Snapshot }

func (c Restore) apply(tx *txn) error {
	if c.To == nil {
		return Invalid("", "nothing to restore")
	}
	to := c.To.st
	// Created and updated in load order, deleted in the reverse: a kind
	// refers only to kinds before it, so an event read in order never
	// names what is not there.
	var gone [numKinds + 1][]entry
	for _, k := range Kinds {
		gone[k] = tx.restoreKind(k, to.kinds[k])
	}
	for i := len(Kinds) - 1; i >= 0; i-- {
		k := Kinds[i]
		for _, en := range gone[k] {
			tx.st.seq++
			tx.events = append(tx.events, tx.event(Event{Seq: tx.st.seq, At: tx.now, Op: Deleted, Kind: k,
				ID: en.e.EntityID(), Prev: en.e}))
		}
	}
	// What differed has its event; the maps themselves are To's, so a
	// later Restore to a snapshot sharing them finds them equal at once.
	tx.st.kinds = to.kinds
	tx.st.retired = union(tx.st.retired, to.retired)
	tx.st.ledgerState = to.ledgerState
	return nil
}

// union returns the IDs retired in a or b. An ID once given stays
// retired in a twin whichever moment it is moved to, as it would in the
// journal; and the set changes without an event of its own, so it must
// never shrink between what the writer holds and what it has published.
func union(a, b *immutable.Map[string, struct{}]) *immutable.Map[string, struct{}] {
	if a == b || b.Len() == 0 {
		return a
	}
	it := b.Iterator()
	for !it.Done() {
		k, _, _ := it.Next()
		if _, ok := a.Get(k); !ok {
			a = a.Set(k, struct{}{})
		}
	}
	return a
}

// restoreKind emits the creations and updates that bring the twin's
// entities of kind k to those of to, walking both sorted maps together,
// and returns the entries to delete.
func (tx *txn) restoreKind(k Kind, to *immutable.SortedMap[string, entry]) []entry {
	cur := tx.st.kinds[k]
	if cur == to {
		return nil
	}
	put := func(op Op, en entry, prev Entity) {
		f, _ := EncodeFeature(en.e) // once for every reader, as put does
		tx.st.seq++
		tx.events = append(tx.events, tx.event(Event{Seq: tx.st.seq, At: tx.now, Op: op, Kind: k,
			ID: en.e.EntityID(), Entity: en.e, Prev: prev, feature: f}))
	}
	var gone []entry
	a, b := cur.Iterator(), to.Iterator()
	aid, ae, aok := a.Next()
	bid, be, bok := b.Next()
	for aok || bok {
		switch {
		case aok && (!bok || aid < bid):
			gone = append(gone, ae)
			aid, ae, aok = a.Next()
		case bok && (!aok || bid < aid):
			put(Created, be, nil)
			bid, be, bok = b.Next()
		default:
			if ae != be {
				put(Updated, be, ae.e)
			}
			aid, ae, aok = a.Next()
			bid, be, bok = b.Next()
		}
	}
	return gone
}
