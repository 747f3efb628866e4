package bolt_test

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// BenchmarkBoltCommitOptions: what bbolt's options on the write path
// cost a commit of ledger entries, on a file already holding 50,000 of
// them (docs/performance.md, the warehouses' ledger). One op is one
// commit (one fsync, unless nosync) of entries=N: N entities written
// (the entry, with its version, under its key), N events journalled
// (under the next seq, keys that only grow) and the seq, as
// bolt.DB.Commit writes them, with values the size of a ledger entry's
// (about 600 bytes). The variants:
//
//   - freelist=map/nofreelistsync: parkd's (bolt.OpenWith);
//   - freelist=array: bbolt's default freelist, a sorted array;
//   - freelistsync: the freelist written to the file at every commit
//     (bbolt's default), not rebuilt by scanning at open;
//   - nosync: no fsync at all — not durable, never an option for the
//     ledger: it shows what the fsync costs.
//
// entries=16 is a commit of 16 keepers posting one line each;
// entries=800 one of 16 keepers posting documents of 50 lines.
func BenchmarkBoltCommitOptions(b *testing.B) {
	for _, o := range []struct {
		name     string
		freelist bbolt.FreelistType
		noFLSync bool
		noSync   bool
	}{
		{"freelist=map/nofreelistsync", bbolt.FreelistMapType, true, false},
		{"freelist=array/nofreelistsync", bbolt.FreelistArrayType, true, false},
		{"freelist=map/freelistsync", bbolt.FreelistMapType, false, false},
		{"freelist=array/freelistsync", bbolt.FreelistArrayType, false, false},
		{"freelist=map/nofreelistsync/nosync", bbolt.FreelistMapType, true, true},
	} {
		for _, n := range []int{16, 800} {
			b.Run(fmt.Sprintf("%s/entries=%d", o.name, n), func(b *testing.B) {
				db, err := bbolt.Open(filepath.Join(b.TempDir(), "opts.db"), 0o600, &bbolt.Options{
					FreelistType: o.freelist, NoFreelistSync: o.noFLSync, NoSync: o.noSync})
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				value := []byte(`{"type":"Feature","id":"LE-00000000","geometry":null,"properties":{"warehouse":"WH-01","op":"issue",` +
					`"type":"boom","quantity":1,"unit":"m","lots":[{"lot":"BENCH-WH-01","quantity":1}],"to":"TEAM-01",` +
					`"at":"2026-12-02T05:00:00Z","actor":"bench"},"reason":"` + strings.Repeat("训练", 60) + `"}`)
				var seq uint64
				commit := func(n int) error {
					return db.Update(func(tx *bbolt.Tx) error {
						ents, err := tx.CreateBucketIfNotExists([]byte("entities"))
						if err != nil {
							return err
						}
						evs, err := tx.CreateBucketIfNotExists([]byte("events"))
						if err != nil {
							return err
						}
						meta, err := tx.CreateBucketIfNotExists([]byte("meta"))
						if err != nil {
							return err
						}
						evs.FillPercent = 1
						for range n {
							seq++
							key := binary.BigEndian.AppendUint64(nil, seq)
							if err := ents.Put(fmt.Appendf(nil, "ledger/LE-%08d", seq), append(key, value...)); err != nil {
								return err
							}
							if err := evs.Put(key, value); err != nil {
								return err
							}
						}
						return meta.Put([]byte("seq"), binary.BigEndian.AppendUint64(nil, seq))
					})
				}
				for range 50 { // 50,000 entries there already, in commits of 1,000
					if err := commit(1000); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				for range b.N {
					if err := commit(n); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/commit")
			})
		}
	}
}
