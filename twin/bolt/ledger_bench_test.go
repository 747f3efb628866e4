package bolt_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// BenchmarkLedgerEntries: 16 keepers posting entries at once to the
// demo park's four warehouses on a real bbolt file, each acknowledged
// once durable (issue 10: aim ≥ 20,000 entries/s). Each keeper alternates
// a receipt of absorbent boom into its lot and an issue of a metre of it
// to a team: the writer resolves both (lots, holder), derives the stock
// and journals the entry.
//
// The rate is bounded by the commits a second the disk gives (a batch
// holds at most one entry per keeper): keepers=64 and store=memory
// (no fsync: the writer's own cost) show where the time goes, and
// BenchmarkDurable64 run beside it what this machine's disk gives.
func BenchmarkLedgerEntries(b *testing.B) {
	for _, c := range []struct {
		name    string
		keepers int
		memory  bool
	}{{"keepers=16", 16, false}, {"keepers=64", 64, false}, {"keepers=16/store=memory", 16, true}} {
		b.Run(c.name, func(b *testing.B) { benchLedger(b, c.keepers, c.memory) })
	}
}

func benchLedger(b *testing.B, keepers int, memory bool) {
	var store twin.Store
	if !memory {
		store = openDB(b, filepath.Join(b.TempDir(), "ledger.db"))
	}
	tw, err := twin.Open(twin.Config{Store: store})
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
	ctx := twin.WithActor(context.Background(), twin.Actor{User: "bench", Role: "keeper"})
	if _, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(keepers / 2) // GOMAXPROCS is 2 here
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			wh := fmt.Sprintf("WH-%02d", i%4+1)
			e := &twin.LedgerEntry{Warehouse: wh, Op: twin.OpReceive, Type: "boom", Quantity: 1, Lots: []twin.LotQuantity{{Lot: "BENCH-" + wh}}}
			if i%2 == 0 {
				e = &twin.LedgerEntry{Warehouse: wh, Op: twin.OpIssue, Type: "boom", Quantity: 1, To: "TEAM-01"}
			}
			if _, err := tw.Apply(ctx, twin.Post{Entry: e}); err != nil && twin.ErrorCode(err) != twin.EINSUFFICIENT {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
