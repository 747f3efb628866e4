package twin_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
)

// dump writes out everything of a park that a Restore must reproduce:
// each entity with its version and Feature, and, with retired, the
// deleted IDs.
func dump(t fataler, s *twin.Snapshot, retired bool) []string {
	t.Helper()
	var out []string
	for _, r := range s.Records() {
		if r.Entity == nil {
			if retired {
				out = append(out, fmt.Sprintf("retired %s/%s", r.Kind, r.ID))
			}
			continue
		}
		f, err := twin.EncodeFeature(r.Entity)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s/%s v%d %s", r.Kind, r.ID, r.Version, f))
	}
	return out
}

// rebuild replays every event of a journal from its start.
func rebuild(t *testing.T, db *bolt.DB) *twin.Snapshot {
	t.Helper()
	r := twin.NewReplayer(nil)
	if err := db.Events(0, r.Apply); err != nil {
		t.Fatal(err)
	}
	return r.Snapshot()
}

// The park rebuilt from a real bbolt journal is the park the live twin
// holds: every entity, version and deleted ID, and the seq.
func TestRebuildFromJournal(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	ctx := context.Background()
	if _, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	var changes []twin.Command
	inc := *records()[5].(*twin.Incident)
	inc.ID = "" // numbered by the twin
	changes = append(changes, twin.Create{Entity: records()[0]}, twin.Create{Entity: &inc})
	changes = append(changes,
		twin.Patch{Kind: twin.KindTank, ID: "TNK-0002-06", Merge: []byte(`{"properties":{"maxFill":0.6}}`)},
		twin.Patch{Kind: twin.KindRoad, ID: "RD-00001", Merge: []byte(`{"properties":{"closed":true}}`)},
		twin.Delete{Kind: twin.KindTarget, ID: "TGT-01"},
	)
	for _, c := range changes {
		if _, err := tw.Apply(ctx, c); err != nil {
			t.Fatalf("%T: %v", c, err)
		}
	}
	live := tw.Snapshot()
	got := rebuild(t, db)
	if got.Seq() != live.Seq() {
		t.Errorf("rebuilt at seq %d, the twin is at %d", got.Seq(), live.Seq())
	}
	if diff := cmp.Diff(dump(t, got, true), dump(t, live, true)); diff != "" {
		t.Errorf("rebuilt park differs from the live one (-rebuilt +live):\n%s", diff)
	}
}

// A Replayer refuses a journal with a gap or an event without its entity:
// the state it would build never was.
func TestReplayerRefuses(t *testing.T) {
	tk := tank("TNK-0001-01")
	tests := []struct {
		name string
		ev   twin.Event
	}{
		{"gap", twin.Event{Seq: 2, Op: twin.Created, Kind: twin.KindTank, ID: tk.ID, Entity: tk}},
		{"no entity", twin.Event{Seq: 1, Op: twin.Updated, Kind: twin.KindTank, ID: tk.ID}},
		{"wrong kind", twin.Event{Seq: 1, Op: twin.Created, Kind: twin.KindRoad, ID: tk.ID, Entity: tk}},
	}
	for _, tt := range tests {
		if err := twin.NewReplayer(nil).Apply(tt.ev); err == nil {
			t.Errorf("%s: taken", tt.name)
		}
	}
}

// changed lists "op kind/id" for each event, in order.
func changed(evs []twin.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = fmt.Sprintf("%s %s/%s", e.Op, e.Kind, e.ID)
	}
	return out
}

// Restore moves a twin to another moment of one park, forward and back,
// with an event for exactly each entity that differs, in load order for
// what appears and in the reverse for what goes; its seq runs on.
func TestRestoreForwardAndBack(t *testing.T) {
	ctx := context.Background()
	src := openTwin(t, nil)
	before := src.Snapshot()
	_, err := src.Apply(ctx,
		twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: []byte(`{"properties":{"maxFill":0.6}}`)},
		twin.Create{Entity: tank("TNK-0001-02")},
		twin.Create{Entity: records()[0]}, // an alarm
	)
	if err != nil {
		t.Fatal(err)
	}
	after := src.Snapshot()

	rp, err := twin.OpenFrom(before, twin.Config{ID: "RPL-01", Exercise: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	fwd, err := rp.Apply(ctx, twin.Restore{To: after})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"updated tank/TNK-0001-01", "created tank/TNK-0001-02", "created alarm/ALM-000001"}
	if diff := cmp.Diff(changed(fwd), want); diff != "" {
		t.Errorf("forward (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(dump(t, rp.Snapshot(), false), dump(t, after, false)); diff != "" {
		t.Errorf("after the forward restore (-got +want):\n%s", diff)
	}
	back, err := rp.Apply(ctx, twin.Restore{To: before})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"updated tank/TNK-0001-01", "deleted alarm/ALM-000001", "deleted tank/TNK-0001-02"}
	if diff := cmp.Diff(changed(back), want); diff != "" {
		t.Errorf("back (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(dump(t, rp.Snapshot(), false), dump(t, before, false)); diff != "" {
		t.Errorf("after the restore back (-got +want):\n%s", diff)
	}
	if got, want := rp.Snapshot().Seq(), before.Seq()+6; got != want {
		t.Errorf("seq %d after six changes from %d, want %d", got, before.Seq(), want)
	}
	for _, e := range slices.Concat(fwd, back) {
		if e.Twin != "RPL-01" || !e.Exercise {
			t.Errorf("event %d: twin %q exercise %v", e.Seq, e.Twin, e.Exercise)
		}
	}
	again, err := rp.Apply(ctx, twin.Restore{To: before})
	if err != nil || len(again) != 0 {
		t.Errorf("a restore to where the twin stands: %d events, %v", len(again), err)
	}
}

// For any two moments a and b of one park, Restore(a) then Restore(b)
// leaves the twin as the park stood at b, and the second restore emits
// exactly the entities that differ between a and b.
func TestRestoreProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		src, err := twin.Open(twin.Config{})
		if err != nil {
			rt.Fatal(err)
		}
		defer src.Close()
		if _, err := src.Apply(ctx, twin.Creates(fixture()...)...); err != nil {
			rt.Fatal(err)
		}
		snaps := []*twin.Snapshot{src.Snapshot()}
		tanks := []string{"TNK-0001-01"}
		for i := range rapid.IntRange(1, 12).Draw(rt, "steps") {
			var c twin.Command
			switch op := rapid.IntRange(0, 2).Draw(rt, "op"); {
			case op == 0 || len(tanks) == 0:
				id := fmt.Sprintf("TNK-0001-%02d", 10+i)
				c, tanks = twin.Create{Entity: tank(id)}, append(tanks, id)
			case op == 1:
				id := rapid.SampledFrom(tanks).Draw(rt, "tank")
				fill := rapid.Float64Range(0.5, 0.95).Draw(rt, "maxFill")
				c = twin.Patch{Kind: twin.KindTank, ID: id, Merge: fmt.Appendf(nil, `{"properties":{"maxFill":%v}}`, fill)}
			default:
				j := rapid.IntRange(0, len(tanks)-1).Draw(rt, "delete")
				c, tanks = twin.Delete{Kind: twin.KindTank, ID: tanks[j]}, slices.Delete(tanks, j, j+1)
			}
			if _, err := src.Apply(ctx, c); err != nil {
				rt.Fatalf("%T: %v", c, err)
			}
			snaps = append(snaps, src.Snapshot())
		}
		a := rapid.SampledFrom(snaps).Draw(rt, "a")
		b := rapid.SampledFrom(snaps).Draw(rt, "b")

		rp, err := twin.OpenFrom(rapid.SampledFrom(snaps).Draw(rt, "start"), twin.Config{ID: "RPL-01", Exercise: true})
		if err != nil {
			rt.Fatal(err)
		}
		defer rp.Close()
		if _, err := rp.Apply(ctx, twin.Restore{To: a}); err != nil {
			rt.Fatal(err)
		}
		evs, err := rp.Apply(ctx, twin.Restore{To: b})
		if err != nil {
			rt.Fatal(err)
		}
		got := rp.Snapshot()
		if diff := cmp.Diff(dump(rt, got, false), dump(rt, b, false)); diff != "" {
			rt.Fatalf("restored to a then b, the twin differs from b (-got +b):\n%s", diff)
		}
		// Deleted IDs stay retired, those of a and b both; the set is
		// published with the next event, as every change is.
		for _, s := range []*twin.Snapshot{a, b} {
			if len(evs) == 0 {
				break
			}
			for _, r := range s.Records() {
				if _, ok := got.Get(r.Kind, r.ID); r.Entity == nil && !ok && !retiredIn(got, r.Kind, r.ID) {
					rt.Fatalf("%s %s retired at %d is not retired after the restore", r.Kind, r.ID, s.Seq())
				}
			}
		}
		var want []string
		for _, k := range twin.Kinds {
			ids := map[string]bool{}
			for e := range a.Entities(k) {
				ids[e.EntityID()] = true
			}
			for e := range b.Entities(k) {
				ids[e.EntityID()] = true
			}
			for id := range ids {
				if a.Version(k, id) != b.Version(k, id) {
					want = append(want, fmt.Sprintf("%s/%s", k, id))
				}
			}
		}
		var ids []string
		for _, e := range evs {
			ids = append(ids, fmt.Sprintf("%s/%s", e.Kind, e.ID))
		}
		slices.Sort(ids)
		slices.Sort(want)
		if diff := cmp.Diff(ids, want); diff != "" {
			rt.Fatalf("the entities the restore changed (-got +want):\n%s", diff)
		}
	})
}

// retiredIn reports whether s keeps (k, id) as deleted.
func retiredIn(s *twin.Snapshot, k twin.Kind, id string) bool {
	for _, r := range s.Records() {
		if r.Entity == nil && r.Kind == k && r.ID == id {
			return true
		}
	}
	return false
}
