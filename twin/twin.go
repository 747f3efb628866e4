package twin

import (
	"context"
	"errors"
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

	snap atomic.Pointer[Snapshot]

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
	go t.write()
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

// write is the twin's one writer: it takes every request waiting, applies
// them to a working copy of the state, commits their events in one
// transaction (group commit), and only then publishes.
func (t *Twin) write() {
	defer close(t.done)
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
		t.commit(batch)
		clear(batch)
		batch = batch[:0]
	}
}

func (t *Twin) commit(batch []*request) {
	tx := txn{st: t.snap.Load().st, now: t.clock.Now()}
	for _, r := range batch {
		before, n := tx.st, len(tx.events)
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		for i, c := range r.cmds {
			if err := c.apply(&tx); err != nil {
				if len(r.cmds) > 1 {
					err = commandError(i, err)
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
	if len(tx.events) > 0 && t.store != nil {
		if err := t.store.Commit(tx.events); err != nil {
			t.log.Error("commit", "err", err, "events", len(tx.events))
			for _, r := range batch {
				if r.err == nil {
					r.events, r.err = nil, Errorf(EUNAVAILABLE, "", "the change could not be saved; nothing was changed")
				}
			}
			tx.events = nil
		}
	}
	if len(tx.events) > 0 {
		t.publish(&Snapshot{st: tx.st}, tx.events)
	}
	for _, r := range batch {
		close(r.done)
	}
}

func (t *Twin) publish(s *Snapshot, events []Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.snap.Store(s)
	for sub := range t.subs {
		sub.push(events)
	}
}

// commandError says which command of a request was refused.
func commandError(i int, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &Error{Code: e.Code, Field: e.Field, Message: "command " + itoa(i) + ": " + e.Message}
	}
	return err
}
