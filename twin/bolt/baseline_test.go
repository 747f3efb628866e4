package bolt_test

import (
	"context"
	"path/filepath"
	"testing"

	"parktwin/twin"
)

// A sandbox twin on a file of its own starts from the live park's
// snapshot, journals only its own changes there, and comes back from the
// file exactly: entities, versions, deleted IDs and seq. The live park's
// file never sees the sandbox's changes.
func TestSandboxOnItsOwnFile(t *testing.T) {
	dir := t.TempDir()
	live := openTwin(t, openDB(t, filepath.Join(dir, "live.db")))
	ctx := context.Background()
	if _, err := live.Apply(ctx, twin.Create{Entity: park()}, twin.Create{Entity: target(1)}, twin.Create{Entity: target(2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := live.Apply(ctx, twin.Delete{Kind: twin.KindTarget, ID: "TGT-02"}); err != nil {
		t.Fatal(err)
	}
	snap := live.Snapshot()

	sbPath := filepath.Join(dir, "sandbox.db")
	sbDB := openDB(t, sbPath)
	sb, err := twin.OpenFrom(snap, twin.Config{ID: "SBX-01", Exercise: true, Store: sbDB})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := sb.Apply(ctx, twin.Patch{Kind: twin.KindTarget, ID: "TGT-01", Merge: []byte(`{"properties":{"population":999}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if evs[0].Seq != snap.Seq()+1 || evs[0].Twin != "SBX-01" || !evs[0].Exercise {
		t.Errorf("sandbox event: seq %d (want %d), twin %q, exercise %v", evs[0].Seq, snap.Seq()+1, evs[0].Twin, evs[0].Exercise)
	}
	want := sb.Snapshot()
	sb.Close()

	// The journal holds the sandbox's change alone, marked.
	var journal []twin.Event
	if err := sbDB.Events(0, func(ev twin.Event) error { journal = append(journal, ev); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(journal) != 1 || !journal[0].Exercise || journal[0].Twin != "SBX-01" {
		t.Errorf("sandbox journal: %+v", journal)
	}

	again, err := twin.Open(twin.Config{ID: "SBX-01", Exercise: true, Store: sbDB})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	got := again.Snapshot()
	if got.Seq() != want.Seq() || export(t, got) != export(t, want) {
		t.Errorf("reopened sandbox: seq %d, want %d", got.Seq(), want.Seq())
	}
	for _, id := range []string{"TGT-01"} {
		if got.Version(twin.KindTarget, id) != want.Version(twin.KindTarget, id) {
			t.Errorf("%s version %d, want %d", id, got.Version(twin.KindTarget, id), want.Version(twin.KindTarget, id))
		}
	}
	if _, err := again.Apply(ctx, twin.Create{Entity: func() *twin.Target { x := target(2); x.ID = "TGT-02"; return x }()}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("re-create a deleted ID in the sandbox: %v, want a conflict", err)
	}
	if tg, _ := twin.Lookup[*twin.Target](live.Snapshot(), "TGT-01"); tg.Population == 999 {
		t.Errorf("the sandbox's change reached the live park")
	}
	// A file that holds a park already cannot take a baseline.
	if _, err := twin.OpenFrom(snap, twin.Config{ID: "SBX-02", Store: sbDB}); err == nil {
		t.Errorf("a baseline onto a file holding a park was taken")
	}
}
