package bolt_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

func methanol() *twin.Chemical {
	fp := 11.0
	return &twin.Chemical{CAS: "67-56-1", NameZh: "甲醇", NameEn: "Methanol", UN: 1230, Phase: twin.Liquid,
		DensityKgM3: 791, FlashPointC: &fp, WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 500, Beta: 1}
}

// Guards the upgrade of a file from before the retired bucket (commit
// 6787540): its bucket was made empty, so IDs deleted before the upgrade
// could be given again. Open now fills it from the journal's deletions,
// leaving out natural keys (a chemical's CAS number), which may come
// back, and IDs that an older twin gave again and that are live.
func TestOldFileRetiresDeletedIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cmds := []twin.Command{twin.Create{Entity: park()}, twin.Create{Entity: methanol()}}
	for i := range 4 {
		cmds = append(cmds, twin.Create{Entity: target(i + 1)}) // TGT-01 … TGT-04
	}
	if _, err := tw.Apply(ctx, cmds...); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Apply(ctx, twin.Delete{Kind: twin.KindTarget, ID: "TGT-02"}, twin.Delete{Kind: twin.KindTarget, ID: "TGT-03"},
		twin.Delete{Kind: twin.KindTarget, ID: "TGT-04"}, twin.Delete{Kind: twin.KindChemical, ID: "67-56-1"}); err != nil {
		t.Fatal(err)
	}
	seq := tw.Snapshot().Seq()
	tw.Close()
	// TGT-04 given again, as a twin before 6787540 could: journalled as
	// it would have been, straight into the store.
	again := target(4)
	again.ID = "TGT-04"
	if err := db.Commit([]twin.Event{{Seq: seq + 1, At: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC), Op: twin.Created, Kind: twin.KindTarget,
		ID: again.ID, Entity: again}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The file as a twin before 6787540 left it: no retired bucket.
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(tx *bbolt.Tx) error { return tx.DeleteBucket([]byte("retired")) }); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	tw = openTwin(t, openDB(t, path))
	var got []string
	for _, r := range tw.Snapshot().Records() {
		if r.Entity == nil {
			got = append(got, r.Kind.String()+"/"+r.ID)
		}
	}
	if diff := cmp.Diff(got, []string{"target/TGT-02", "target/TGT-03"}); diff != "" {
		t.Errorf("retired IDs (-got +want):\n%s", diff)
	}
	evs, err := tw.Apply(ctx, twin.Create{Entity: target(5)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := evs[0].ID, "TGT-05"; got != want { // TGT-03 retired, TGT-04 live
		t.Errorf("next target ID: got %s, want %s", got, want)
	}
	tg := target(2)
	tg.ID = "TGT-02"
	if _, err := tw.Apply(ctx, twin.Create{Entity: tg}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("create TGT-02 again: got %v, want a conflict", err)
	}
	if _, err := tw.Apply(ctx, twin.Create{Entity: methanol()}); err != nil {
		t.Errorf("methanol entered again: %v", err)
	}
}
