package scenarios

// A stretch of the live park's journal read into memory, for a replay and
// for the scenario made from it.

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"parktwin/twin"
)

// Journal is a park's journal: every event after a seq, in order, each
// with its entity after the change. The live park's bbolt file
// (*bolt.DB) is one.
type Journal interface {
	Events(after uint64, fn func(twin.Event) error) error
}

// checkpointEvery is how many events of a window lie between two of its
// checkpoints: a seek replays at most this many events from the nearest
// one, and each checkpoint costs only the map nodes its events changed.
const checkpointEvery = 256

// window is a journal's stretch from one time to another: the park as it
// stood at from, every event after it up to to, and checkpoints among
// them. It never changes once read, so any number of goroutines may read
// it.
type window struct {
	from, to time.Time
	start    *twin.Snapshot // the park at from
	end      *twin.Snapshot // the park at to
	events   []twin.Event   // the events after from up to to, in order
	// at is each event's time, made non-decreasing (a wall clock set
	// back must not unsort the index): a binary search over it finds the
	// events up to any time. It is the journal's index by time; the
	// journal itself is indexed by seq.
	at     []time.Time
	checks []checkpoint // checks[0] is start; then one every checkpointEvery events
}

// checkpoint is the park after the window's first n events.
type checkpoint struct {
	n    int
	snap *twin.Snapshot
}

// errRead ends a journal read once it has passed the window.
var errRead = errors.New("read to the window's end")

// readWindow reads the journal once, from its first event to the first
// after to, rebuilding the park (twin.Replayer) as it goes. The events
// before from only build the park; those of the window are kept.
func readWindow(j Journal, from, to time.Time) (*window, error) {
	if to.Before(from) {
		return nil, twin.Invalid("to", "%s is before from (%s)", stamp(to), stamp(from))
	}
	w := &window{from: from, to: to}
	r := twin.NewReplayer(nil)
	var first, last time.Time
	err := j.Events(0, func(ev twin.Event) error {
		at := ev.At
		if at.Before(last) {
			at = last
		}
		last = at
		if r.Seq() == 0 {
			if ev.Seq != 1 {
				return twin.Errorf(twin.EUNAVAILABLE, "", "the journal begins at event %d, after a baseline it does not hold: the park cannot be rebuilt from it", ev.Seq)
			}
			first = at
		}
		if at.After(to) {
			return errRead
		}
		if w.start == nil && at.After(from) {
			w.start = r.Snapshot()
		}
		if err := r.Apply(ev); err != nil {
			return err
		}
		if w.start != nil {
			w.events = append(w.events, ev)
			w.at = append(w.at, at)
			if len(w.events)%checkpointEvery == 0 {
				w.checks = append(w.checks, checkpoint{len(w.events), r.Snapshot()})
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRead) {
		return nil, fmt.Errorf("read the journal: %w", err)
	}
	switch {
	case first.IsZero():
		return nil, twin.Invalid("from", "the journal holds no event: there is no park to replay")
	case first.After(from):
		return nil, twin.Invalid("from", "the journal begins at %s: the park was not there at %s", stamp(first), stamp(from))
	}
	if w.start == nil {
		w.start = r.Snapshot() // nothing happened after from
	}
	w.end = r.Snapshot()
	w.checks = append([]checkpoint{{0, w.start}}, w.checks...)
	return w, nil
}

// SnapshotAt returns the live park as its journal says it stood at t:
// every event up to t applied. It reads the journal from its start.
func SnapshotAt(j Journal, t time.Time) (*twin.Snapshot, error) {
	w, err := readWindow(j, t, t)
	if err != nil {
		return nil, err
	}
	return w.start, nil
}

// upTo returns how many of the window's events happened at or before t.
func (w *window) upTo(t time.Time) int {
	return sort.Search(len(w.at), func(i int) bool { return w.at[i].After(t) })
}

// state returns the park after the window's first n events, from the
// nearest checkpoint before them, or from the park after its first k
// events, cur, when that is nearer.
func (w *window) state(n int, k int, cur *twin.Snapshot) (*twin.Snapshot, error) {
	i := sort.Search(len(w.checks), func(i int) bool { return w.checks[i].n > n }) - 1
	base, snap := w.checks[i].n, w.checks[i].snap
	if cur != nil && k <= n && k > base {
		base, snap = k, cur
	}
	if base == n {
		return snap, nil
	}
	r := twin.NewReplayer(snap)
	for _, ev := range w.events[base:n] {
		if err := r.Apply(ev); err != nil {
			return nil, err
		}
	}
	return r.Snapshot(), nil
}

// stamp writes a time for a message.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
