package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

// openDB opens a database in a temporary directory and checks its
// consistency when the test ends.
func openDB(t testing.TB, path string) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		db.Close()
	})
	return db
}

func openTwin(t testing.TB, db *bolt.DB) *twin.Twin {
	t.Helper()
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	return tw
}

func box(w, s, e, n float64) orb.Polygon {
	return orb.Polygon{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}
}

func park() *twin.Park {
	return &twin.Park{ID: twin.ParkID, Name: "测试园区", Boundary: box(120.80, 30.14, 120.90, 30.20)}
}

func target(i int) *twin.Target {
	return &twin.Target{Name: fmt.Sprintf("测试村%d", i), Type: twin.Residential, Population: 100 + i,
		Position: orb.Point{120.80 + float64(i%1000)*1e-4, 30.13}}
}

func export(t testing.TB, s *twin.Snapshot) string {
	t.Helper()
	var b bytes.Buffer
	if err := twin.WriteCollection(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRestartRestoresState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := tw.Apply(ctx, twin.Create{Entity: park()}); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := tw.Apply(ctx, twin.Create{Entity: target(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tw.Apply(ctx, twin.Delete{Kind: twin.KindTarget, ID: "TGT-05"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Apply(ctx, twin.Patch{Kind: twin.KindTarget, ID: "TGT-07", Merge: []byte(`{"properties":{"population":999}}`)}); err != nil {
		t.Fatal(err)
	}
	want, wantSeq := export(t, tw.Snapshot()), tw.Snapshot().Seq()
	tw.Close()
	db.Close()

	db2 := openDB(t, path)
	tw2 := openTwin(t, db2)
	if diff := cmp.Diff(export(t, tw2.Snapshot()), want); diff != "" {
		t.Errorf("state after restart (-got +want):\n%s", diff)
	}
	if got := tw2.Snapshot().Seq(); got != wantSeq {
		t.Errorf("seq after restart: got %d, want %d", got, wantSeq)
	}
	var seqs []uint64
	if err := db2.Events(0, func(ev twin.Event) error { seqs = append(seqs, ev.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	if got := uint64(len(seqs)); got != wantSeq || seqs[len(seqs)-1] != wantSeq {
		t.Errorf("journal holds %d events ending at %d, want %d", got, seqs[len(seqs)-1], wantSeq)
	}
	// The next event continues the sequence.
	evs, err := tw2.Apply(ctx, twin.Create{Entity: target(99)})
	if err != nil {
		t.Fatal(err)
	}
	if got := evs[0].Seq; got != wantSeq+1 {
		t.Errorf("first seq after restart: got %d, want %d", got, wantSeq+1)
	}
}

func TestSecondOpenRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	openDB(t, path)
	_, err := bolt.Open(path)
	if !errors.Is(err, bolt.ErrLocked) {
		t.Fatalf("second open: got %v, want ErrLocked", err)
	}
}

// BenchmarkApply measures commands applied and durably committed per
// second, each writer waiting for its own acknowledgement.
func BenchmarkApply(b *testing.B) {
	for _, writers := range []int{1, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db := openDB(b, filepath.Join(b.TempDir(), "bench.db"))
			tw := openTwin(b, db)
			ctx := context.Background()
			if _, err := tw.Apply(ctx, twin.Create{Entity: park()}); err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			create := func() error {
				i := int(n.Add(1))
				tg := target(i)
				tg.ID = fmt.Sprintf("TGT-%07d", i)
				_, err := tw.Apply(ctx, twin.Create{Entity: tg})
				return err
			}
			b.ReportAllocs()
			b.ResetTimer()
			if writers == 1 {
				for b.Loop() {
					if err := create(); err != nil {
						b.Fatal(err)
					}
				}
			} else {
				b.SetParallelism((writers + 1) / 2) // GOMAXPROCS is 2 here
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						// Fatal is for the benchmark's own goroutine.
						if err := create(); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
		})
	}
}

// A commit that fails answers every command of its batch with an error and
// publishes nothing: what nobody was told is not in the park.
func TestFailedCommitChangesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tw := openTwin(t, db)
	ctx := context.Background()
	if _, err := tw.Apply(ctx, twin.Create{Entity: park()}); err != nil {
		t.Fatal(err)
	}
	before := tw.Snapshot()
	_, sub := tw.Subscribe()
	db.Close() // every later commit fails
	_, err = tw.Apply(ctx, twin.Create{Entity: target(1)})
	if got := twin.ErrorCode(err); got != twin.EUNAVAILABLE {
		t.Fatalf("apply on a closed store: got %q (%v), want unavailable", got, err)
	}
	if got := tw.Snapshot(); got != before {
		t.Errorf("snapshot moved from seq %d to %d", before.Seq(), got.Seq())
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if evs, err := sub.Next(short); err == nil {
		t.Errorf("subscriber got %d events of a failed commit", len(evs))
	}
}
