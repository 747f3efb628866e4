package dispatch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
)

// The lost update: an operator's PATCH of a team and the desk's confirm of
// a plan that dispatches one of the team's vehicles, at the same moment.
// Before the desk decided inside the twin's writer, the confirm copied the
// team from the published snapshot, and while the PATCH waited for its
// commit that snapshot did not hold it yet: the confirm's whole-team write
// erased the PATCH. Here a real bbolt store is held at its commit, so that
// the second change is decided while the first is not yet published.

// gatedStore is the real bbolt store with a gate before its Commit: fault
// injection around the real part, not a stand-in for it.
type gatedStore struct {
	*bolt.DB
	held chan []twin.Event // the events of a commit that waits at the gate

	mu   sync.Mutex
	gate chan struct{} // nil while commits pass
}

func (g *gatedStore) Commit(events []twin.Event) error {
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	if gate != nil {
		select {
		case g.held <- events:
		case <-gate:
		}
		<-gate
	}
	return g.DB.Commit(events)
}

// hold makes every commit from now on wait until release.
func (g *gatedStore) hold() {
	g.mu.Lock()
	g.gate = make(chan struct{})
	g.mu.Unlock()
}

// release lets every commit through, the ones waiting and the ones to
// come.
func (g *gatedStore) release() {
	g.mu.Lock()
	if g.gate != nil {
		close(g.gate)
		g.gate = nil
	}
	g.mu.Unlock()
}

// writerCtx is a context that says when the twin's writer takes up the
// request made with it: the writer looks at each request's Err just
// before it applies it, and nothing on the way there does. Once taken, a
// request is decided against the writer's state, whatever is published.
type writerCtx struct {
	context.Context
	once  sync.Once
	taken chan struct{}
}

func newWriterCtx() *writerCtx {
	return &writerCtx{Context: context.Background(), taken: make(chan struct{})}
}

func (c *writerCtx) Err() error {
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

// demoFile returns a bbolt file holding the demo park, to be copied by
// each run that needs one: loading the park costs more than copying it.
func demoFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tw, err := twin.Open(twin.Config{Store: db, Clock: twin.NewSimClock(today)})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	return path
}

// gatedDesk is the demo park in a bbolt file behind a gate, its desk, and
// an incident planned but not confirmed.
type gatedDesk struct {
	store *gatedStore
	tw    *twin.Twin
	desk  *dispatch.Desk
	inc   string
	plan  dispatch.Plan
}

// newGatedDesk opens a copy of the demo file behind a gate.
func newGatedDesk(t *testing.T, demoFile string) *gatedDesk {
	t.Helper()
	b, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "park.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	g := &gatedDesk{}
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	g.store = &gatedStore{DB: db, held: make(chan []twin.Event)}
	if g.tw, err = twin.Open(twin.Config{Store: g.store, Clock: twin.NewSimClock(today)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		g.tw.Close()
		if err := db.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		db.Close()
	})
	t.Cleanup(g.store.release) // first: a test that failed at the gate must not hang Close
	ctx := context.Background()
	g.desk = dispatch.NewDesk(g.tw, dispatch.DefaultRules())
	tank := floatingRoofTank(t, g.tw.Snapshot())
	inc, _, err := g.desk.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := g.desk.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	g.inc, g.plan = inc.ID, *plan
	return g
}

// result is what one of the two changes was answered.
type result struct {
	who string
	err error
}

// Guards design rule 9 for the desk: a confirm decided while an
// operator's PATCH of the same team waits for its commit (or the other
// way round) loses nothing. Afterwards the patched field and the
// dispatched status are both in the park, in memory and on disk; where
// the PATCH itself replaces the vehicles as they were before the confirm,
// it is refused as a conflict rather than let undo the dispatch.
func TestConfirmLosesNoPatch(t *testing.T) {
	const (
		patchFirst   = "patch first"
		confirmFirst = "confirm first"
		together     = "together"
	)
	type field struct {
		name  string
		patch func(t *testing.T, tm *twin.Team, vehicle string) (json.RawMessage, func(*twin.Team) bool)
		// mayConflict: the patch names the dispatched vehicle's old
		// status, so when it comes after the confirm it is refused.
		mayConflict bool
	}
	phone := field{name: "the team's phone", patch: func(t *testing.T, tm *twin.Team, _ string) (json.RawMessage, func(*twin.Team) bool) {
		want := tm.Phone + "-9"
		return json.RawMessage(fmt.Sprintf(`{"properties":{"phone":%q}}`, want)),
			func(got *twin.Team) bool { return got.Phone == want }
	}}
	crew := field{name: "the vehicle's crew", mayConflict: true, patch: func(t *testing.T, tm *twin.Team, vehicle string) (json.RawMessage, func(*twin.Team) bool) {
		vs := slices.Clone(tm.Vehicles)
		i := slices.IndexFunc(vs, func(v twin.Vehicle) bool { return v.ID == vehicle })
		if vs[i].Crew == 0 {
			t.Fatalf("%s has no crew to change", vehicle)
		}
		vs[i].Crew--
		want := vs[i].Crew
		b, err := json.Marshal(map[string]any{"properties": map[string]any{"vehicles": vs}})
		if err != nil {
			t.Fatal(err)
		}
		return b, func(got *twin.Team) bool { return vehicleIn(got, vehicle).Crew == want }
	}}
	base := demoFile(t)
	for _, tt := range []struct {
		field field
		order string
	}{
		{phone, patchFirst}, {phone, confirmFirst}, {phone, together}, {phone, together}, {phone, together},
		{crew, patchFirst}, {crew, confirmFirst}, {crew, together},
	} {
		t.Run(tt.field.name+"/"+tt.order, func(t *testing.T) {
			g := newGatedDesk(t, base)
			a := g.plan.Assignments[0]
			tm, _ := twin.Lookup[*twin.Team](g.tw.Snapshot(), a.Team)
			merge, patched := tt.field.patch(t, tm, a.Vehicle)

			results := make(chan result, 2)
			patch := func(ctx context.Context) {
				_, err := g.tw.Apply(ctx, twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: merge})
				results <- result{"patch", err}
			}
			confirm := func(ctx context.Context) {
				_, err := g.desk.Confirm(ctx, g.inc, g.plan, "指挥员")
				results <- result{"confirm", err}
			}
			g.store.hold()
			switch tt.order {
			case patchFirst, confirmFirst:
				first, second := patch, confirm
				if tt.order == confirmFirst {
					first, second = confirm, patch
				}
				go first(context.Background())
				within(t, g.store.held, "the first change at the commit")
				wc := newWriterCtx()
				go second(wc)
				within(t, wc.taken, "the writer to take the second change")
			case together:
				pc, cc := newWriterCtx(), newWriterCtx()
				go patch(pc)
				go confirm(cc)
				within(t, pc.taken, "the writer to take the patch")
				within(t, cc.taken, "the writer to take the confirm")
			}
			g.store.release()
			errs := map[string]error{}
			for range 2 {
				r := within(t, results, "the answers")
				errs[r.who] = r.err
			}

			if errs["confirm"] != nil {
				t.Fatalf("confirm: %v", errs["confirm"])
			}
			patchRefused := false
			switch err := errs["patch"]; {
			case err == nil:
			case tt.field.mayConflict && tt.order != patchFirst && twin.ErrorCode(err) == twin.ECONFLICT && strings.Contains(twin.ErrorMessage(err), g.inc):
				patchRefused = true
			default:
				t.Fatalf("patch: %v", err)
			}
			if tt.field.mayConflict && tt.order == confirmFirst && !patchRefused {
				t.Error("a patch of the vehicles as they were before the confirm was taken after it")
			}

			check := func(when string) {
				t.Helper()
				s := g.tw.Snapshot()
				got, _ := twin.Lookup[*twin.Team](s, tm.ID)
				if ok := patched(got); ok == patchRefused {
					t.Errorf("%s: the patched field is %v, want %v (patch refused: %v)", when, ok, !patchRefused, patchRefused)
				}
				if st := vehicleIn(got, a.Vehicle).Status; st != twin.Dispatched {
					t.Errorf("%s: %s is %v, want dispatched", when, a.Vehicle, st)
				}
				if inc, _ := twin.Lookup[*twin.Incident](s, g.inc); inc.State != twin.IncidentDispatched {
					t.Errorf("%s: %s is %v, want dispatched", when, g.inc, inc.State)
				}
			}
			check("after both")
			if tt.order != patchFirst {
				return
			}
			// What was answered is on disk: the same after a restart
			// (once per field: loading the park is the slow part).
			g.tw.Close()
			tw, err := twin.Open(twin.Config{Store: g.store.DB})
			if err != nil {
				t.Fatal(err)
			}
			g.tw = tw
			check("after a restart")
		})
	}
}

func vehicleIn(tm *twin.Team, id string) twin.Vehicle {
	i := slices.IndexFunc(tm.Vehicles, func(v twin.Vehicle) bool { return v.ID == id })
	if i < 0 {
		return twin.Vehicle{}
	}
	return tm.Vehicles[i]
}
