package bolt_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
)

// BenchmarkDurable64 sets the twin's write path beside its reference, in
// one run (issue 15): 64 writers each creating one entity at a time,
//
//   - parkd: twin.Apply on the bbolt store — validation, one writer,
//     group commit, publish after the fsync;
//   - reference: bbolt's own Batch, tuned to 64 callers, doing the same
//     writes per command (the encoded Feature with its version, the
//     event in the journal, the seq) and nothing else.
//
// The ratio of their cmds/s is what the twin's ordering, validation and
// publishing cost over bbolt at its best.
func BenchmarkDurable64(b *testing.B) {
	const writers = 64
	b.Run("parkd", func(b *testing.B) {
		db := openDB(b, filepath.Join(b.TempDir(), "bench.db"))
		tw := openTwin(b, db)
		ctx := context.Background()
		if _, err := tw.Apply(ctx, twin.Create{Entity: park()}); err != nil {
			b.Fatal(err)
		}
		var n atomic.Int64
		runWriters(b, writers, func() error {
			i := int(n.Add(1))
			tg := target(i)
			tg.ID = fmt.Sprintf("TGT-%07d", i)
			_, err := tw.Apply(ctx, twin.Create{Entity: tg})
			return err
		})
	})
	b.Run("reference", func(b *testing.B) {
		db, err := bbolt.Open(filepath.Join(b.TempDir(), "ref.db"), 0o600, &bbolt.Options{
			FreelistType: bbolt.FreelistMapType, NoFreelistSync: true})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.MaxBatchSize = writers
		db.MaxBatchDelay = time.Millisecond
		err = db.Update(func(tx *bbolt.Tx) error {
			for _, name := range []string{"meta", "entities", "events"} {
				if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		var seq atomic.Uint64
		runWriters(b, writers, func() error {
			s := seq.Add(1)
			tg := target(int(s))
			tg.ID = fmt.Sprintf("TGT-%07d", s)
			f, err := twin.EncodeFeature(tg)
			if err != nil {
				return err
			}
			ev, err := twin.EncodeEvent(twin.Event{Seq: s, At: time.Now(), Op: twin.Created, Kind: twin.KindTarget, ID: tg.ID}, f)
			if err != nil {
				return err
			}
			key := binary.BigEndian.AppendUint64(nil, s)
			stored := append(binary.BigEndian.AppendUint64(nil, s), f...)
			return db.Batch(func(tx *bbolt.Tx) error {
				if err := tx.Bucket([]byte("entities")).Put([]byte("target/"+tg.ID), stored); err != nil {
					return err
				}
				evs := tx.Bucket([]byte("events"))
				evs.FillPercent = 1
				if err := evs.Put(key, ev); err != nil {
					return err
				}
				return tx.Bucket([]byte("meta")).Put([]byte("seq"), key)
			})
		})
	})
}

// runWriters runs op from writers goroutines until the benchmark is done
// and reports the rate.
func runWriters(b *testing.B, writers int, op func() error) {
	b.ReportAllocs()
	b.SetParallelism((writers + 1) / 2) // GOMAXPROCS is 2 here
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			// Fatal is for the benchmark's own goroutine.
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
}
