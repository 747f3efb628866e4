package twin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/benbjohnson/immutable"
)

// Store keeps a twin durable. Commit must return only when the events are
// on disk: the twin publishes nothing before that.
type Store interface {
	// Load calls fn with every stored record and returns the sequence
	// number of the last committed event.
	Load(fn func(Record) error) (seq uint64, err error)
	// Commit makes the events durable, all or none.
	Commit(events []Event) error
}

// Record is what a store keeps of one ID: the entity and its version, or,
// for an ID whose entity was deleted, its kind and ID alone (Entity nil),
// so that the ID is never given again.
type Record struct {
	Entity  Entity
	Version uint64
	Kind    Kind
	ID      string
}

// LiveID is the ID of the live park's twin.
const LiveID = "live"

// Config configures a twin.
type Config struct {
	// ID names the twin in every event; LiveID when empty.
	ID string
	// Exercise marks a twin that is not the live park: a drill or a
	// what-if sandbox. Every event it makes says so.
	Exercise bool
	// Store keeps the twin durable; nil keeps it in memory only (drills,
	// sandboxes, tests of pure logic).
	Store  Store
	Clock  Clock
	Logger *slog.Logger
	// Equipment is the equipment catalogue the ledger takes entries of;
	// the built-in one (DefaultCatalogue) when nil.
	Equipment *Catalogue
}

// maxBatch bounds how many requests one commit carries, so that one fsync
// does not wait behind an unbounded amount of encoding.
const maxBatch = 1024

// Twin is the park in memory: one writer applies commands in order and
// publishes immutable snapshots and ordered events once they are durable.
type Twin struct {
	id       string
	exercise bool
	store    Store
	clock    Clock
	log      *slog.Logger
	equip    *Catalogue

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
	st := newState()
	if cfg.Store != nil {
		var builders [numKinds + 1]*immutable.SortedMapBuilder[string, entry]
		for _, k := range Kinds {
			builders[k] = immutable.NewSortedMapBuilder[string, entry](idComparer{})
		}
		retired := immutable.NewMapBuilder[string, struct{}](nil)
		seq, err := cfg.Store.Load(func(r Record) error {
			if r.Entity == nil {
				retired.Set(retiredKey(r.Kind, r.ID), struct{}{})
				return nil
			}
			builders[r.Entity.Kind()].Set(r.Entity.EntityID(), entry{r.Entity, r.Version})
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, k := range Kinds {
			st.kinds[k] = builders[k].Map()
		}
		st.retired = retired.Map()
		st.seq = seq
		if err := deriveStock(&st); err != nil {
			return nil, err
		}
	}
	t := start(cfg, st)
	if ids := legacyStock(st); len(ids) > 0 {
		// A file written before the ledger keeps stock lines on its
		// warehouses: they open their ledgers, once, journalled.
		ctx := WithActor(context.Background(), Actor{User: ActorMigration, Role: RoleSystem})
		if _, err := t.Apply(ctx, openStock{ids}); err != nil {
			t.Close()
			return nil, fmt.Errorf("open the warehouses' ledgers from their stock lines: %w", err)
		}
	}
	return t, nil
}

// OpenFrom returns a new twin that starts as the park stood in snap: a
// sandbox for a drill or a what-if. It shares nothing that can change
// with the twin snap came from (the snapshot is immutable, so starting
// costs next to nothing), and keeps its own sequence from snap's on. Its
// journal is its own: cfg.Store, which must be empty and able to take a
// baseline (a bbolt file of its own), or nil to keep it in memory.
func OpenFrom(snap *Snapshot, cfg Config) (*Twin, error) {
	if cfg.Store != nil {
		b, ok := cfg.Store.(Baseliner)
		if !ok {
			return nil, fmt.Errorf("open from a snapshot: the store cannot take a baseline")
		}
		if err := b.Baseline(snap.st.seq, snap.Records()); err != nil {
			return nil, err
		}
	}
	return start(cfg, snap.st), nil
}

// Baseliner is a store that can start from a snapshot: it takes every
// record at once, with the sequence number they stand at, and refuses
// when it holds anything already.
type Baseliner interface {
	Baseline(seq uint64, records []Record) error
}

// Records returns every entity of the snapshot with its version, then
// the IDs of deleted entities: what a store keeps.
func (s *Snapshot) Records() []Record {
	var out []Record
	for _, k := range Kinds {
		it := s.st.kinds[k].Iterator()
		for !it.Done() {
			id, en, _ := it.Next()
			out = append(out, Record{Entity: en.e, Version: en.v, Kind: k, ID: id})
		}
	}
	it := s.st.retired.Iterator()
	for !it.Done() {
		key, _, _ := it.Next()
		name, id, _ := strings.Cut(key, "/")
		k, _ := ParseKind(name)
		out = append(out, Record{Kind: k, ID: id})
	}
	return out
}

// start starts the writer of a twin holding st.
func start(cfg Config, st state) *Twin {
	if cfg.Clock == nil {
		cfg.Clock = WallClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ID == "" {
		cfg.ID = LiveID
	}
	t := &Twin{
		id:       cfg.ID,
		exercise: cfg.Exercise,
		store:    cfg.Store,
		clock:    cfg.Clock,
		log:      cfg.Logger,
		equip:    cfg.Equipment,
		reqs:     make(chan *request),
		closing:  make(chan struct{}),
		done:     make(chan struct{}),
		subs:     make(map[*Subscription]struct{}),
	}
	t.snap.Store(&Snapshot{st: st})
	commits := make(chan *pending) // unbuffered: at most one batch waits for its commit
	go t.write(st, commits)
	go t.commit(commits)
	return t
}

// ID returns the twin's ID.
func (t *Twin) ID() string { return t.id }

// Exercise reports whether the twin is not the live park.
func (t *Twin) Exercise() bool { return t.exercise }

// Equipment returns the equipment catalogue the twin's ledger takes.
func (t *Twin) Equipment() *Catalogue {
	if t.equip == nil {
		return DefaultCatalogue()
	}
	return t.equip
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
		p := &pending{reqs: batch, base: work.seq}
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
	base   uint64 // the seq of the state the batch was applied on
}

// applyBatch applies each request's commands in order to st. A refused
// request leaves no trace and gets its error.
func (t *Twin) applyBatch(st state, batch []*request) (state, []Event) {
	tx := txn{st: st, now: t.clock.Now(), twin: t.id, exercise: t.exercise, equip: t.equip}
	for _, r := range batch {
		before, n := tx.st, len(tx.events)
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		tx.actor = actorOf(r.ctx)
		tx.fresh = nil // this request's copies of the stock: none yet
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
		for i := n; i < len(tx.events); i++ {
			tx.events[i].Actor, tx.events[i].Cmd = tx.actor, tx.events[n].Seq
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
		var err error
		switch {
		case p.base != t.snap.Load().st.seq:
			// Applied on top of a batch whose commit failed: whatever
			// each request would have got, events, a no-op or a
			// refusal, was judged against a state that never was.
			err = errNotSaved
			for _, r := range p.reqs {
				r.err = nil
			}
		case len(p.events) == 0:
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
	return &Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("command %d%s: %s", i, what, e.Message), Msg: e.Msg}
}
