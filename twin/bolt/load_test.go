package bolt_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
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
	// Warehouses made with stock lines open their ledgers with receipts:
	// the file holds those entries too.
	n := 0
	for _, k := range twin.Kinds {
		n += tw.Snapshot().Len(k)
	}
	return path, n
}

// BenchmarkLoad reads the ×10 demo park back from its file: parkd is the
// store's load path (bolt.DB.Load into twin records, as twin.Open calls
// it); reference is one orb decode pass (geojson.UnmarshalFeature) over
// the same stored values, read from the same file in the same way, its
// properties into a map; reference-typed the same pass with the properties
// straight into each kind's type (geojson.FeatureOf[*twin.Tank], …), the
// least one decode can do. The ratio of their ns/op is what parkd's load
// costs over one decode.
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
		referenceLoad(b, path, n, func(_, v []byte) (any, error) { return geojson.UnmarshalFeature(v) })
	})
	b.Run("reference-typed", func(b *testing.B) {
		referenceLoad(b, path, n, func(k, v []byte) (any, error) {
			name, _, _ := bytes.Cut(k, []byte("/"))
			kind, _ := twin.ParseKind(string(name))
			return typedDecoders[kind](v)
		})
	})
}

// typed decodes a Feature with orb into a FeatureOf[*T]: one pass, the
// properties straight into the concrete type.
func typed[T any](b []byte) (any, error) {
	var f geojson.FeatureOf[*T]
	err := f.UnmarshalJSON(b)
	return &f, err
}

// typedDecoders are typed for each kind.
var typedDecoders = map[twin.Kind]func([]byte) (any, error){
	twin.KindPark: typed[twin.Park], twin.KindChemical: typed[twin.Chemical],
	twin.KindEnterprise: typed[twin.Enterprise], twin.KindTank: typed[twin.Tank],
	twin.KindSewagePool: typed[twin.SewagePool], twin.KindWasteStore: typed[twin.WasteStore],
	twin.KindHazardUnit: typed[twin.HazardUnit], twin.KindWarehouse: typed[twin.Warehouse],
	twin.KindTeam: typed[twin.Team], twin.KindRoad: typed[twin.Road], twin.KindTarget: typed[twin.Target],
	twin.KindSensor: typed[twin.Sensor], twin.KindAlarm: typed[twin.Alarm], twin.KindOrder: typed[twin.Order],
	twin.KindDanger: typed[twin.Danger], twin.KindGrading: typed[twin.Grading], twin.KindTask: typed[twin.Task],
	twin.KindIncident: typed[twin.Incident], twin.KindLedger: typed[twin.LedgerEntry],
}

// referenceLoad reads every stored value of the file at path and decodes
// it with decode, as BenchmarkLoad's references do.
func referenceLoad(b *testing.B, path string, n int, decode func(key, v []byte) (any, error)) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	out := make([]any, 0, n)
	for b.Loop() {
		out = out[:0]
		err := db.View(func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("entities")).ForEach(func(k, v []byte) error {
				f, err := decode(k, v[8:len(v)-4]) // after the version, before the checksum
				if err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
				out = append(out, f)
				return nil
			})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if len(out) != n {
		b.Fatalf("decoded %d features, want %d", len(out), n)
	}
	reportEntities(b, n)
}

func reportEntities(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entities/s")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
}

// TestLoadReportsBadEntity spoils one stored entity in a file the twin
// wrote: loading it must fail and name the entity's key, never skip it.
func TestLoadReportsBadEntity(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(key, v []byte) (newKey, newV []byte)
	}{
		{"truncated JSON", func(k, v []byte) ([]byte, []byte) { return k, v[:len(v)/2] }},
		{"not JSON", func(k, v []byte) ([]byte, []byte) { return k, append(v[:8:8], "garbage"...) }},
		{"a number where a string is", func(k, v []byte) ([]byte, []byte) {
			return k, bytes.Replace(v, []byte(`"name":"`), []byte(`"name":7,"x":"`), 1)
		}},
		{"a line where a point is", func(k, v []byte) ([]byte, []byte) {
			return k, bytes.Replace(v, []byte(`"type":"Point"`), []byte(`"type":"LineString"`), 1)
		}},
		{"the Feature's id not the key's", func(k, v []byte) ([]byte, []byte) {
			return append(k[:len(k):len(k)], '9'), v
		}},
		{"an unknown kind in the key", func(k, v []byte) ([]byte, []byte) {
			return append([]byte("spaceship"), k[bytes.IndexByte(k, '/'):]...), v
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "park.db")
			db, err := bolt.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			tw, err := twin.Open(twin.Config{Store: db})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Apply(context.Background(), twin.Creates(park(), target(1), target(2))...); err != nil {
				t.Fatal(err)
			}
			tw.Close()
			db.Close()

			raw, err := bbolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			var key []byte
			err = raw.Update(func(tx *bbolt.Tx) error {
				b := tx.Bucket([]byte("entities"))
				k, v := b.Cursor().Last() // a target, after the park
				k, v = bytes.Clone(k), bytes.Clone(v)
				if err := b.Delete(k); err != nil {
					return err
				}
				// Spoilt as the twin could have written it: under a
				// checksum that holds.
				v, _ = bolt.Unseal(k, v)
				var nv []byte
				key, nv = tt.spoil(k, v)
				return b.Put(key, bolt.Seal(key, nv))
			})
			raw.Close()
			if err != nil {
				t.Fatal(err)
			}

			db = openDB(t, path)
			n := 0
			_, err = db.Load(func(twin.Record) error { n++; return nil })
			t.Logf("Load: %v", err)
			if err == nil || !strings.Contains(err.Error(), "entity "+string(key)+":") {
				t.Errorf("Load: %v (after %d records), want an error naming entity %s", err, n, key)
			}
			if _, err := twin.Open(twin.Config{Store: db}); err == nil {
				t.Error("twin.Open on the spoilt file: no error")
			}
		})
	}
}
