package bolt_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb/geojson"
	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
)

// demoFile writes the demo park at scale into a new file, as parkd seeds
// it (one Create each, in one request), and returns the file's path and
// the number of entities in it.
func demoFile(tb testing.TB, scale int) (string, int) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "demo.db")
	db, err := bolt.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		tb.Fatal(err)
	}
	defer tw.Close()
	es := demo.Generate(1, scale)
	if _, err := tw.Apply(context.Background(), twin.Creates(es...)...); err != nil {
		tb.Fatal(err)
	}
	return path, len(es)
}

// BenchmarkLoad reads the ×10 demo park back from its file: parkd is the
// store's load path (bolt.DB.Load into twin records, as twin.Open calls
// it); reference is one orb decode pass (geojson.UnmarshalFeature) over
// the same stored values, read from the same file in the same way. The
// ratio of their ns/op is what parkd's load costs over one decode.
func BenchmarkLoad(b *testing.B) {
	path, n := demoFile(b, 10)
	b.Run("parkd", func(b *testing.B) {
		db, err := bolt.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		records := make([]twin.Record, 0, n)
		for b.Loop() {
			records = records[:0]
			_, err := db.Load(func(r twin.Record) error {
				records = append(records, r)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		if len(records) < n {
			b.Fatalf("loaded %d records, want at least %d", len(records), n)
		}
		reportEntities(b, n)
	})
	b.Run("reference", func(b *testing.B) {
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		features := make([]*geojson.Feature, 0, n)
		for b.Loop() {
			features = features[:0]
			err := db.View(func(tx *bbolt.Tx) error {
				return tx.Bucket([]byte("entities")).ForEach(func(_, v []byte) error {
					f, err := geojson.UnmarshalFeature(v[8:]) // after the version
					if err != nil {
						return err
					}
					features = append(features, f)
					return nil
				})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		if len(features) != n {
			b.Fatalf("decoded %d features, want %d", len(features), n)
		}
		reportEntities(b, n)
	})
}

func reportEntities(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entities/s")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
}
