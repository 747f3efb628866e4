package twin_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// BenchmarkReadiness: every warehouse's readiness over the demo park
// (GET /api/v1/readiness), recomputed whole from the derived stock, at
// scale 1 (4 warehouses) and 10 (40).
func BenchmarkReadiness(b *testing.B) {
	for _, scale := range []int{1, 10} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			tw, err := twin.Open(twin.Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer tw.Close()
			if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, scale)...)...); err != nil {
				b.Fatal(err)
			}
			snap, cat := tw.Snapshot(), tw.Equipment()
			now := demo.ReferenceDay.Add(8 * time.Hour)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if r := snap.Readiness(now, cat); len(r) != 4*scale {
					b.Fatalf("%d warehouses", len(r))
				}
			}
		})
	}
}

// BenchmarkReplayLedger derives the stock of 40 warehouses from
// 1,000,000 entries, from empty (issue 10: aim ≤ 2 s): receipts of items
// and lots, issues to incidents and teams, returns, inspections,
// transfers, as a year of a ×10 park's keepers might make them, each
// warehouse holding some hundreds of items.
func BenchmarkReplayLedger(b *testing.B) {
	entries := syntheticLedger(1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := twin.ReplayLedger(entries); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(entries))*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// syntheticLedger returns n resolved entries that a ledger could hold:
// each warehouse receives 200 SCBA sets and a foam lot, then cycles them
// out and back (issue, return, inspect), foam out and back, and now and
// then a transfer to its neighbour and back.
func syntheticLedger(n int) []*twin.LedgerEntry {
	const warehouses, sets = 40, 200
	at := demo.ReferenceDay
	due := twin.NewDate(2027, 12, 1)
	out := make([]*twin.LedgerEntry, 0, n)
	add := func(e twin.LedgerEntry) {
		e.ID, e.At, e.Actor = fmt.Sprintf("LE-%08d", len(out)+1), at, "bench"
		out = append(out, &e)
	}
	wh := func(i int) string { return fmt.Sprintf("WH-%02d", i+1) }
	serial := func(w, i int) string { return fmt.Sprintf("W%02d-SCBA-%03d", w, i) }
	for w := range warehouses {
		var ss []string
		for i := range sets {
			ss = append(ss, serial(w, i))
		}
		add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpReceive, Type: "scba", Unit: "套", Quantity: sets, Serials: ss, Due: due})
		add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpReceive, Type: "foam-afff-3", Unit: "L", Quantity: 20000,
			Lots: []twin.LotQuantity{{Lot: "F" + wh(w), Quantity: 20000}}, Due: due})
	}
	for step := 0; len(out) < n; step++ {
		w := step % warehouses
		s := serial(w, (step/warehouses)%sets)
		inc := fmt.Sprintf("INC-%05d", step%997)
		lot := []twin.LotQuantity{{Lot: "F" + wh(w), Quantity: 100}}
		add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpIssue, Type: "scba", Unit: "套", Quantity: 1, Serials: []string{s}, Incident: inc})
		add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpReturn, Type: "scba", Unit: "套", Quantity: 1, Serials: []string{s}, Incident: inc, State: twin.AssetReturned})
		add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpInspect, Type: "scba", Unit: "套", Quantity: 1, Serials: []string{s}, Result: twin.Pass, Due: due})
		add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpIssue, Type: "foam-afff-3", Unit: "L", Quantity: 100, Lots: lot, Incident: inc})
		add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpReturn, Type: "foam-afff-3", Unit: "L", Quantity: 100, Lots: lot, Incident: inc})
		if step%10 == 0 {
			to := wh((w + 1) % warehouses)
			add(twin.LedgerEntry{Warehouse: wh(w), Op: twin.OpTransfer, Type: "scba", Unit: "套", Quantity: 1, Serials: []string{s}, To: to})
			add(twin.LedgerEntry{Warehouse: to, Op: twin.OpTransfer, Type: "scba", Unit: "套", Quantity: 1, Serials: []string{s}, To: wh(w)})
		}
	}
	return out[:n]
}

// The synthetic ledger is a ledger: it replays without a refusal, and the
// writer would have taken it (its entries validate).
func TestSyntheticLedger(t *testing.T) {
	entries := syntheticLedger(20_000)
	for _, e := range entries[:200] {
		if err := e.Validate(); err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
	}
	if _, err := twin.ReplayLedger(entries); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkReadinessAfterOneEntry: the readiness of every warehouse of
// the ×10 park recomputed after one entry, through the cache that keeps
// each warehouse's until its stock changes (issue 10: aim ≤ 1 ms).
func BenchmarkReadinessAfterOneEntry(b *testing.B) {
	tw, err := twin.Open(twin.Config{Clock: twin.NewSimClock(demo.ReferenceDay.Add(8 * time.Hour))})
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
	ctx := context.Background()
	if _, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 10)...)...); err != nil {
		b.Fatal(err)
	}
	cache := twin.NewReadinessCache(tw.Equipment())
	now := tw.Clock().Now()
	cache.Readiness(tw.Snapshot(), now)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		wh := fmt.Sprintf("WH-%02d", i%40+1)
		if _, err := tw.Apply(ctx, twin.Post{Entry: &twin.LedgerEntry{Warehouse: wh, Op: twin.OpReceive, Type: "boom", Quantity: 1}}); err != nil {
			b.Fatal(err)
		}
		snap := tw.Snapshot()
		b.StartTimer()
		if r := cache.Readiness(snap, now); len(r) != 40 {
			b.Fatalf("%d warehouses", len(r))
		}
	}
}
