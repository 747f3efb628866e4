package twin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/benbjohnson/immutable"
)

// Store keeps a twin durable. Commit must return only when the events are
// on disk: the twin publishes nothing before that.
type Store interface {
	// Load calls fn with every stored entity and returns the sequence
	// number of the last committed event.
	Load(fn func(Entity) error) (seq uint64, err error)
	// Commit makes the events durable, all or none.
	Commit(events []Event) error
}

// Config configures a twin.
type Config struct {
	// Store keeps the twin durable; nil keeps it in memory only (drills,
	// tests of pure logic).
	Store  Store
	Clock  Clock
	Logger *slog.Logger
}

// maxBatch bounds how many requests one commit carries, so that one fsync
// does not wait behind an unbounded amount of encoding.
const maxBatch = 1024

// Twin is the park in memory: one writer applies commands in order and
// publishes immutable snapshots and ordered events once they are durable.
type Twin struct {
	store Store
	clock Clock
	log   *slog.Logger

	reqs    chan *request // unbuffered: a sender waits until the writer takes it
	closing chan struct{}
	done    chan struct{}
	once    sync.Once

	snap   atomic.Pointer[Snapshot]
	rebase atomic.Bool // set by commit when a commit fails

	// mu orders publishing against subscribing, so that a subscriber's
	// first snapshot and its first event follow each other without a gap.
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

type request struct {
	ctx    context.Context
	cmds   []Command
	events []Event
	err    error
	done   chan struct{}
}

// Open loads the twin from its store and starts its writer.
func Open(cfg Config) (*Twin, error) {
	if cfg.Clock == nil {
		cfg.Clock = WallClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	st := newState()
	if cfg.Store != nil {
		var builders [numKinds + 1]*immutable.SortedMapBuilder[string, Entity]
		for _, k := range Kinds {
			builders[k] = immutable.NewSortedMapBuilder[string, Entity](idComparer{})
		}
		seq, err := cfg.Store.Load(func(e Entity) error {
			builders[e.Kind()].Set(e.EntityID(), e)
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, k := range Kinds {
			st.kinds[k] = builders[k].Map()
		}
		st.seq = seq
	}
	t := &Twin{
		store:   cfg.Store,
		clock:   cfg.Clock,
		log:     cfg.Logger,
		reqs:    make(chan *request),
		closing: make(chan struct{}),
		done:    make(chan struct{}),
		subs:    make(map[*Subscription]struct{}),
	}
	t.snap.Store(&Snapshot{st: st})
	commits := make(chan *pending) // unbuffered: at most one batch waits for its commit
	go t.write(st, commits)
	go t.commit(commits)
	return t, nil
}

// Clock returns the twin's clock.
func (t *Twin) Clock() Clock { return t.clock }

// Snapshot returns the park as last published.
func (t *Twin) Snapshot() *Snapshot { return t.snap.Load() }

// errClosed is returned for commands that arrive after Close.
var errClosed = Errorf(EUNAVAILABLE, "", "the twin is shutting down")

// Apply applies the commands in order, all or none, and returns their
// events once they are durable. If one command is refused, none is
// applied and the error says which.
func (t *Twin) Apply(ctx context.Context, cmds ...Command) ([]Event, error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	r := &request{ctx: ctx, cmds: cmds, done: make(chan struct{})}
	select {
	case t.reqs <- r:
	case <-t.closing:
		return nil, errClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once taken, the request is answered within one commit: wait for it
	// even if ctx ends, so that the caller never misses an acknowledgement.
	<-r.done
	return r.events, r.err
}

// Close stops taking commands, finishes the ones taken, and ends every
// subscription. It does not close the store.
func (t *Twin) Close() error {
	t.once.Do(func() { close(t.closing) })
	<-t.done
	t.mu.Lock()
	for s := range t.subs {
		s.close()
	}
	t.subs = nil
	t.mu.Unlock()
	return nil
}

// write is the twin's one writer. It takes every request waiting, applies
// them to its working copy of the state and hands the batch to commit.
// While one batch is being made durable the writer applies the next on top
// of it: the two stages overlap, and only commit publishes.
func (t *Twin) write(work state, commits chan<- *pending) {
	defer close(commits)
	batch := make([]*request, 0, maxBatch)
	for {
		select {
		case r := <-t.reqs:
			batch = append(batch, r)
		case <-t.closing:
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-t.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		if t.rebase.Swap(false) {
			// A commit failed: what was applied on top of it is void.
			work = t.snap.Load().st
		}
		p := &pending{reqs: batch}
		work, p.events = t.applyBatch(work, batch)
		p.st = work
		commits <- p
		batch = make([]*request, 0, maxBatch)
	}
}

// pending is a batch applied by the writer and waiting to be made durable.
type pending struct {
	reqs   []*request
	events []Event
	st     state
}

// applyBatch applies each request's commands in order to st. A refused
// request leaves no trace and gets its error.
func (t *Twin) applyBatch(st state, batch []*request) (state, []Event) {
	tx := txn{st: st, now: t.clock.Now()}
	for _, r := range batch {
		before, n := tx.st, len(tx.events)
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		for i, c := range r.cmds {
			if err := c.apply(&tx); err != nil {
				if len(r.cmds) > 1 {
					err = commandError(i, c, err)
				}
				r.err = err
				break
			}
		}
		if r.err != nil {
			tx.st, tx.events = before, tx.events[:n]
			continue
		}
		r.events = tx.events[n:len(tx.events):len(tx.events)]
	}
	return tx.st, tx.events
}

// commit makes each batch durable in one transaction (group commit), then
// publishes it and answers its requests: nobody hears of a change before
// it is on disk.
func (t *Twin) commit(commits <-chan *pending) {
	defer close(t.done)
	for p := range commits {
		published := t.snap.Load().st.seq
		var err error
		switch {
		case len(p.events) == 0:
		case p.events[0].Seq != published+1:
			// Applied on top of a batch whose commit failed: even its
			// refusals were judged against a state that never was.
			err = errNotSaved
			for _, r := range p.reqs {
				r.err = nil
			}
		case t.store != nil:
			if err = t.store.Commit(p.events); err != nil {
				t.log.Error("commit", "err", err, "events", len(p.events))
				t.rebase.Store(true)
				err = errNotSaved
			}
		}
		if err == nil && len(p.events) > 0 {
			t.publish(&Snapshot{st: p.st}, p.events)
		}
		for _, r := range p.reqs {
			if err != nil && r.err == nil {
				r.events, r.err = nil, err
			}
			close(r.done)
		}
	}
}

var errNotSaved = Errorf(EUNAVAILABLE, "", "the change could not be saved; nothing was changed")

func (t *Twin) publish(s *Snapshot, events []Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.snap.Store(s)
	for sub := range t.subs {
		sub.push(events)
	}
}

// commandError says which command of a request was refused, and what it
// was about.
func commandError(i int, c Command, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	what := ""
	switch c := c.(type) {
	case Create:
		if c.Entity != nil {
			what = fmt.Sprintf(" (%s %s)", c.Entity.Kind(), c.Entity.EntityID())
		}
	case Update:
		if c.Entity != nil {
			what = fmt.Sprintf(" (%s %s)", c.Entity.Kind(), c.Entity.EntityID())
		}
	case Patch:
		what = fmt.Sprintf(" (%s %s)", c.Kind, c.ID)
	case Delete:
		what = fmt.Sprintf(" (%s %s)", c.Kind, c.ID)
	}
	return &Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("command %d%s: %s", i, what, e.Message)}
}
