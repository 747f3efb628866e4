package twin_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

// faultyStore is the real bbolt store with a fault injected at its
// Commit: once armed, the next commit waits until released and then
// fails without writing, as on a full disk. Fault injection around the
// real part, not a stand-in for it.
type faultyStore struct {
	*bolt.DB
	armed   atomic.Bool
	held    chan struct{} // receives when an armed commit waits
	release chan struct{} // closed to let it fail
}

func (s *faultyStore) Commit(events []twin.Event) error {
	if s.armed.Swap(false) {
		s.held <- struct{}{}
		<-s.release
		return errors.New("disk full")
	}
	return s.DB.Commit(events)
}

// takenCtx is a context that says when the twin's writer takes up the
// request made with it: the writer looks at each request's Err just
// before it applies it, and nothing on the way there does.
type takenCtx struct {
	context.Context
	once  sync.Once
	taken chan struct{}
}

func newTakenCtx() *takenCtx {
	return &takenCtx{Context: context.Background(), taken: make(chan struct{})}
}

func (c *takenCtx) Err() error {
	c.once.Do(func() { close(c.taken) })
	return c.Context.Err()
}

// within fails the test unless ch is ready within a generous deadline: a
// bound on a hang, not a timing.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("still waiting for %s", what)
		var zero T
		return zero
	}
}

// Guards the answer to a request applied on top of a batch whose commit
// then fails. The writer applies the next batch while the one before is
// being committed; when that commit fails, the state the next batch was
// judged against never was, so each of its requests is answered "not
// saved", whatever it would have got. Before the fix only a batch with
// events was caught (by its first seq): a no-op got a success for a
// change that is not in the park, and a refusal a conflict with an
// entity that does not exist.
func TestRequestOnAFailedCommitNotAnswered(t *testing.T) {
	tests := []struct {
		name  string
		first twin.Command // its commit fails
		then  twin.Command // applied on top of it
	}{
		{"a no-op", twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: maxFill("0.8")},
			twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: maxFill("0.8")}},
		{"a refusal", twin.Create{Entity: tank("TNK-0001-02")}, twin.Create{Entity: tank("TNK-0001-02")}},
		{"a change", twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: maxFill("0.8")},
			twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: maxFill("0.7")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			st := &faultyStore{DB: db, held: make(chan struct{}), release: make(chan struct{})}
			tw, err := twin.Open(twin.Config{Store: st})
			if err != nil {
				t.Fatal(err)
			}
			defer tw.Close()
			defer func() { // so that Close does not wait on a test that failed early
				select {
				case <-st.release:
				default:
					close(st.release)
				}
			}()
			ctx := context.Background()
			apply(t, tw, twin.Creates(fixture()...)...)
			before := tw.Snapshot()

			st.armed.Store(true)
			first := make(chan error, 1)
			go func() {
				_, err := tw.Apply(ctx, tt.first)
				first <- err
			}()
			within(t, st.held, "the first commit")
			then := make(chan error, 1)
			tctx := newTakenCtx()
			go func() {
				_, err := tw.Apply(tctx, tt.then)
				then <- err
			}()
			within(t, tctx.taken, "the writer to take the second request")
			close(st.release)

			if err := within(t, first, "the first answer"); twin.ErrorCode(err) != twin.EUNAVAILABLE {
				t.Fatalf("the failed commit: got %v, want unavailable", err)
			}
			if err := within(t, then, "the second answer"); twin.ErrorCode(err) != twin.EUNAVAILABLE {
				t.Errorf("the request on top of it: got %v, want unavailable (not saved)", err)
			}
			s := tw.Snapshot()
			if s.Seq() != before.Seq() {
				t.Errorf("seq moved from %d to %d", before.Seq(), s.Seq())
			}
			if tk, _ := twin.Lookup[*twin.Tank](s, "TNK-0001-01"); tk.MaxFill != 0.85 {
				t.Errorf("maxFill %v, want 0.85 as before", tk.MaxFill)
			}
			if _, ok := s.Get(twin.KindTank, "TNK-0001-02"); ok {
				t.Errorf("TNK-0001-02 exists")
			}

			// The next command applies to the park as published, and
			// the file holds it.
			evs := apply(t, tw, tt.then)
			if got, want := evs[0].Seq, before.Seq()+1; got != want {
				t.Errorf("next seq: got %d, want %d", got, want)
			}
			if got, err := db.Seq(); err != nil || got != before.Seq()+1 {
				t.Errorf("file seq: got %d (%v), want %d", got, err, before.Seq()+1)
			}
		})
	}
}
