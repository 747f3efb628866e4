package bolt_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// BenchmarkLedgerEntries: 16 keepers posting entries at once to the
// demo park's four warehouses on a real bbolt file, each acknowledged
// once durable (issue 10: aim ≥ 20,000 entries/s). Each keeper alternates
// a receipt of absorbent boom into its lot and an issue of a metre of it
// to a team: the writer resolves both (lots, holder), derives the stock
// and journals the entry. One op is one entry: ns/op is per entry.
//
// A commit (one fsync) carries every request waiting, so the rate is the
// commits a second the disk gives times the entries a commit carries:
//
//   - keepers=16: each keeper posts one line and waits for it, so a
//     commit carries at most 16 entries;
//   - keepers=16/inflight=K: each keeper's client keeps K entries in
//     flight (pipelined), each acknowledged only once durable: up to 16·K
//     a commit;
//   - keepers=16/lines=N: each keeper posts documents of N lines (a
//     delivery note, a stocktake: twin.Document, all or none), so a commit
//     carries up to 16·N entries;
//   - keepers=64, and store=memory (no fsync: the writer's own cost).
//
// BenchmarkDurable64 run beside it shows what this machine's disk gives.
func BenchmarkLedgerEntries(b *testing.B) {
	for _, c := range []struct {
		name                   string
		keepers, inflight, doc int
		memory                 bool
	}{
		{"keepers=16", 16, 1, 1, false},
		{"keepers=16/inflight=4", 16, 4, 1, false},
		{"keepers=16/inflight=16", 16, 16, 1, false},
		{"keepers=16/lines=10", 16, 1, 10, false},
		{"keepers=16/lines=50", 16, 1, 50, false},
		{"keepers=16/lines=200", 16, 1, 200, false},
		{"keepers=64", 64, 1, 1, false},
		{"keepers=16/store=memory", 16, 1, 1, true},
		{"keepers=16/lines=50/store=memory", 16, 1, 50, true},
	} {
		b.Run(c.name, func(b *testing.B) { benchLedger(b, c.keepers*c.inflight, c.doc, c.memory) })
	}
}

// benchLedger runs writers posting documents of lines entries each (one
// entry: a Post) until b.N entries have been asked for.
func benchLedger(b *testing.B, writers, lines int, memory bool) {
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
	// Boom enough in each warehouse that no issue is short: every entry
	// asked for is entered, and entries/s counts only entries entered.
	for i := range 4 {
		wh := fmt.Sprintf("WH-%02d", i+1)
		if _, err := tw.Apply(ctx, twin.Post{Entry: &twin.LedgerEntry{Warehouse: wh, Op: twin.OpReceive, Type: "boom",
			Quantity: 1_000_000, // twin.MaxQuantity("m")
			Lots:     []twin.LotQuantity{{Lot: "BENCH-" + wh}}}}); err != nil {
			b.Fatal(err)
		}
	}
	// line is the i-th entry: a receipt and an issue alternately.
	line := func(wh string, i int) *twin.LedgerEntry {
		if i%2 == 0 {
			return &twin.LedgerEntry{Warehouse: wh, Op: twin.OpReceive, Type: "boom", Quantity: 1, Lots: []twin.LotQuantity{{Lot: "BENCH-" + wh}}}
		}
		return &twin.LedgerEntry{Warehouse: wh, Op: twin.OpIssue, Type: "boom", Quantity: 1, To: "TEAM-01"}
	}
	var asked, entered, docs atomic.Int64
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for {
				// Take up to lines of the b.N entries still to ask for.
				end := asked.Add(int64(lines))
				start := end - int64(lines)
				if start >= int64(b.N) {
					return
				}
				n := int(min(end, int64(b.N)) - start)
				wh := fmt.Sprintf("WH-%02d", docs.Add(1)%4+1)
				var cmd twin.Command
				if lines == 1 {
					cmd = twin.Post{Entry: line(wh, int(start))}
				} else {
					doc := twin.Document{Entries: make([]*twin.LedgerEntry, n)}
					for i := range n {
						doc.Entries[i] = line(wh, i)
					}
					cmd = doc
				}
				evs, err := tw.Apply(ctx, cmd)
				if err != nil && twin.ErrorCode(err) != twin.EINSUFFICIENT {
					b.Error(err)
					return
				}
				entered.Add(int64(len(evs)))
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(entered.Load())/b.Elapsed().Seconds(), "entries/s")
	// The process's CPU time an entry (every goroutine: the keepers, the
	// writer, the commit, the collector): what the rate would be with
	// the machine's cores to itself is about cores ÷ this, where the wall
	// clock's rate shows what the other loads on the machine left it.
	if n := entered.Load(); n > 0 {
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(n), "cpu-µs/entry")
	}
	b.ReportMetric(float64(b.N-int(entered.Load())), "refused")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
