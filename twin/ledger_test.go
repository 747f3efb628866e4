package twin_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"pgregory.net/rapid"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

var ledgerDay = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func warehouse(id string, tier twin.Tier) *twin.Warehouse {
	return &twin.Warehouse{ID: id, Name: "测试装备库 " + id, Tier: tier, Owner: "园区管委会",
		Keeper: twin.Contact{Name: "王库管", Phone: "13800000000"}, Position: orb.Point{120.85, 30.17}}
}

// ledgerTwin returns a twin holding the fixture and two warehouses,
// kept in store (nil: in memory).
func ledgerTwin(t testing.TB, store twin.Store) *twin.Twin {
	t.Helper()
	tw, err := twin.Open(twin.Config{Clock: twin.NewSimClock(ledgerDay), Store: store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	es := append(fixture(), warehouse("WH-01", twin.TierDistrict), warehouse("WH-02", twin.TierPark))
	if _, err := tw.Apply(keeper(), twin.Creates(es...)...); err != nil {
		t.Fatal(err)
	}
	return tw
}

func keeper() context.Context {
	return twin.WithActor(context.Background(), twin.Actor{User: "wang", Role: "keeper"})
}

func post(tw *twin.Twin, e twin.LedgerEntry) (*twin.LedgerEntry, error) {
	evs, err := tw.Apply(keeper(), twin.Post{Entry: &e})
	if err != nil {
		return nil, err
	}
	return evs[len(evs)-1].Entity.(*twin.LedgerEntry), nil
}

func mustPost(t testing.TB, tw *twin.Twin, e twin.LedgerEntry) *twin.LedgerEntry {
	t.Helper()
	got, err := post(tw, e)
	if err != nil {
		t.Fatalf("%s %s: %v", e.Op, e.Type, err)
	}
	return got
}

func serials(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%03d", prefix, i+1)
	}
	return out
}

// A day of a keeper's work: each entry resolved by the writer (who, when,
// which serials, which lots, the dates), the stock following.
func TestLedgerDay(t *testing.T) {
	tw := ledgerTwin(t, nil)
	// Last checked on 20 November, serviced in June: due on 20 December.
	r := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Serials: serials("S", 3), From: "供应商",
		Tested: map[string]twin.Date{"monthly": twin.NewDate(2026, 11, 20), "service": twin.NewDate(2026, 6, 1)}})
	if r.Actor != "wang" || !r.At.Equal(ledgerDay) || r.Unit != "套" || r.Quantity != 3 || r.Due != twin.NewDate(2026, 12, 20) ||
		r.Dues["service"] != twin.NewDate(2027, 6, 1) {
		t.Errorf("receipt as entered: %+v", r)
	}
	// Made in October 2026 (a life of 10 years), lab-tested in November.
	foam := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: 4000,
		Made: twin.NewDate(2026, 10, 1), Tested: map[string]twin.Date{"test": twin.NewDate(2026, 11, 15)}})
	if foam.Expires != twin.NewDate(2036, 10, 1) || foam.Due != twin.NewDate(2027, 11, 15) || len(foam.Lots) != 1 || foam.Lots[0].Lot != foam.ID {
		t.Errorf("foam receipt: %+v", foam)
	}
	is := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Quantity: 2, To: "TEAM-01"})
	if !slices.Equal(is.Serials, []string{"S-001", "S-002"}) {
		t.Errorf("issue by quantity took %v, want the first two by serial", is.Serials)
	}
	_, err := post(tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Quantity: 2, To: "TEAM-02"})
	if twin.ErrorCode(err) != twin.EINSUFFICIENT || !strings.Contains(twin.ErrorMessage(err), "has 1 套 of scba ready, 2 asked") {
		t.Errorf("issue of two when one is left: %v", err)
	}
	ret := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "scba", Serials: []string{"S-001"}, From: "TEAM-01"})
	if ret.State != twin.AssetReturned {
		t.Errorf("an SCBA back from use: %s, want returned (inspected after each use)", ret.State)
	}
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpInspect, Type: "scba", Serials: []string{"S-001"}, Result: twin.Fail, Findings: "面罩破损"})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "foam-afff-3", Quantity: 1500, Incident: "", To: "TEAM-01"})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpTransfer, Type: "foam-afff-3", Quantity: 500, To: "WH-02"})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpAdjust, Type: "foam-afff-3", Quantity: -20, Reason: "盘点损耗"})

	snap := tw.Snapshot()
	scba := snap.Stock("WH-01").Type("scba")
	states := map[string]twin.AssetState{}
	for s, it := range scba.Items {
		states[s] = it.State
	}
	want := map[string]twin.AssetState{"S-001": twin.AssetRepair, "S-002": twin.AssetIssued, "S-003": twin.AssetAvailable}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("scba: %v, want %v", states, want)
	}
	if q, _ := snap.Stock("WH-01").Type("foam-afff-3").Ready(ledgerDay); q != 1980 {
		t.Errorf("foam in WH-01: %v, want 4000 − 1500 − 500 − 20", q)
	}
	if q := snap.Stock("WH-01").Type("foam-afff-3").OutQuantity("TEAM-01"); q != 1500 {
		t.Errorf("foam out with TEAM-01: %v", q)
	}
	if q, _ := snap.Stock("WH-02").Type("foam-afff-3").Ready(ledgerDay); q != 500 {
		t.Errorf("foam in WH-02: %v, want 500", q)
	}
	if got := len(snap.LedgerEntries("WH-02")); got != 1 {
		t.Errorf("WH-02's ledger: %d entries, want the transfer", got)
	}
	checkReplay(t, snap)
}

// Bad entries are refused, naming the field, and change nothing.
func TestLedgerRefusals(t *testing.T) {
	tw := ledgerTwin(t, nil)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: serials("S", 2)})
	seq := tw.Snapshot().Seq()
	for _, tt := range []struct {
		name  string
		e     twin.LedgerEntry
		code  string
		field string
	}{
		{"unknown type", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "tea-kettle", Quantity: 1}, twin.EINVALID, "type"},
		{"no op", twin.LedgerEntry{Warehouse: "WH-01", Type: "scba", Serials: []string{"X"}}, twin.EINVALID, "op"},
		{"no warehouse", twin.LedgerEntry{Warehouse: "WH-09", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: []string{"X"}}, twin.ENOTFOUND, "warehouse"},
		{"serial twice in the park", twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: []string{"S-001"}}, twin.ECONFLICT, "serials[0]"},
		{"bulk as serials", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Due: twin.NewDate(2027, 6, 1), Expires: twin.NewDate(2030, 6, 1), Serials: []string{"F1"}}, twin.EINVALID, "serials"},
		{"serialized by quantity", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Quantity: 3}, twin.EINVALID, "serials"},
		{"negative", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: -3}, twin.EINVALID, "quantity"},
		{"adjust without reason", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpAdjust, Type: "scba", Serials: []string{"S-001"}, State: twin.AssetQuarantined}, twin.EINVALID, "reason"},
		{"failed without findings", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpInspect, Type: "scba", Serials: []string{"S-001"}, Result: twin.Fail}, twin.EINVALID, "findings"},
		{"issue to nobody", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Quantity: 1}, twin.EINVALID, "to"},
		{"return what is not out", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "scba", Serials: []string{"S-001"}}, twin.ECONFLICT, "serials[0]"},
		{"bulk out of nothing", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "boom", Quantity: 10, To: "TEAM-01"}, twin.EINSUFFICIENT, "quantity"},
		{"transfer to itself", twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpTransfer, Type: "scba", Serials: []string{"S-001"}, To: "WH-01"}, twin.EINVALID, "to"},
		{"given ID", twin.LedgerEntry{ID: "LE-00000099", Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 3}, twin.EINVALID, "id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := post(tw, tt.e)
			if twin.ErrorCode(err) != tt.code || twin.ErrorField(err) != tt.field {
				t.Errorf("got %v, want %s on %s", err, tt.code, tt.field)
			}
		})
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refusals changed the park: seq %d, was %d", got, seq)
	}
}

// A warehouse's stock is never edited: a patch or a replacement of its
// stock is refused and points to the ledger; one of its other fields goes
// through, and so does the warehouse written back with the stock it was
// read with.
func TestStockIsNotEdited(t *testing.T) {
	tw := ledgerTwin(t, nil)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 200})
	_, err := tw.Apply(keeper(), twin.Patch{Kind: twin.KindWarehouse, ID: "WH-01",
		Merge: json.RawMessage(`{"properties":{"stock":[{"type":"boom","name":"围栏","quantity":900,"unit":"m"}]}}`)})
	if twin.ErrorCode(err) != twin.ECONFLICT || !strings.Contains(twin.ErrorMessage(err), "/api/v1/warehouses/WH-01/ledger") {
		t.Errorf("patch of the stock: %v", err)
	}
	snap := tw.Snapshot()
	w, _ := twin.Lookup[*twin.Warehouse](snap, "WH-01")
	shown := snap.WithStock(w)
	if len(shown.Stock) != 1 || shown.Stock[0].Quantity != 200 {
		t.Fatalf("shown stock: %+v", shown.Stock)
	}
	shown.Name = "上虞区装备库"
	if _, err := tw.Apply(keeper(), twin.Update{Entity: shown}); err != nil {
		t.Errorf("the warehouse written back as read, renamed: %v", err)
	}
	shown.Stock[0].Quantity = 1
	if _, err := tw.Apply(keeper(), twin.Update{Entity: shown}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("a replacement with other stock: %v", err)
	}
	if q, _ := tw.Snapshot().Stock("WH-01").Type("boom").Ready(ledgerDay); q != 200 {
		t.Errorf("boom after the refusals: %v", q)
	}
}

// checkReplay holds the twin's stock to the ledger replayed from empty.
func checkReplay(t testing.TB, snap *twin.Snapshot) {
	t.Helper()
	replayed, err := twin.ReplayLedger(snap.LedgerEntries(""))
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	have := snap.Stocks()
	if len(replayed) != len(have) {
		t.Fatalf("replayed %d warehouses' stock, the twin holds %d", len(replayed), len(have))
	}
	for wh, s := range have {
		if !s.Equal(replayed[wh]) {
			t.Fatalf("%s: the ledger replayed from empty does not give the stock the twin holds", wh)
		}
	}
}

// checkInvariants: no stock below zero; each serial in exactly one place
// (the warehouse the index names) and one state.
func checkInvariants(t testing.TB, snap *twin.Snapshot) {
	t.Helper()
	where := map[string]string{}
	for wh, s := range snap.Stocks() {
		for _, ts := range s.Types() {
			for serial, it := range ts.Items {
				if other, ok := where[serial]; ok {
					t.Fatalf("serial %s in %s and %s", serial, other, wh)
				}
				where[serial] = wh
				if it.State == 0 || (it.State == twin.AssetIssued) != (it.Holder != "") {
					t.Fatalf("serial %s: state %s, holder %q", serial, it.State, it.Holder)
				}
				if at, _ := snap.SerialAt(serial); at != wh {
					t.Fatalf("serial %s in %s, the index says %s", serial, wh, at)
				}
			}
			for _, l := range ts.Lots {
				if l.Quantity < 0 {
					t.Fatalf("%s lot %s: %v", wh, l.ID, l.Quantity)
				}
			}
			for h, lots := range ts.Out {
				for lot, q := range lots {
					if q <= 0 {
						t.Fatalf("%s: %s holds %v of lot %s", wh, h, q, lot)
					}
				}
			}
		}
	}
}

// Random sequences of entries, posted by four keepers at once, one at a
// time or as documents: whatever is refused, the invariants hold, a
// refused document leaves none of its lines, and replaying the ledger
// from empty gives the stock exactly.
func TestLedgerProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tw := ledgerTwin(t, nil)
		whs := []string{"WH-01", "WH-02"}
		holders := []string{"TEAM-01", "TEAM-02", "ENT-0001"}
		all := serials("P", 12)
		entry := rapid.Custom(func(rt *rapid.T) twin.LedgerEntry {
			wh := rapid.SampledFrom(whs).Draw(rt, "wh")
			op := twin.LedgerOp(rapid.IntRange(1, 9).Draw(rt, "op"))
			e := twin.LedgerEntry{Warehouse: wh, Op: op, Reason: "盘点", Findings: "阀门漏气"}
			if rapid.Bool().Draw(rt, "serialized") {
				e.Type = "scba"
				if op != twin.OpIssue || rapid.Bool().Draw(rt, "by serial") {
					e.Serials = []string{rapid.SampledFrom(all).Draw(rt, "serial")}
				} else {
					e.Quantity = float64(rapid.IntRange(1, 3).Draw(rt, "n"))
				}
				if op == twin.OpAdjust {
					e.State = rapid.SampledFrom([]twin.AssetState{twin.AssetAvailable, twin.AssetQuarantined, twin.AssetReturned}).Draw(rt, "state")
				}
			} else {
				e.Type = "foam-afff-3"
				e.Quantity = float64(rapid.IntRange(1, 60).Draw(rt, "q") * 50)
				if op == twin.OpAdjust && rapid.Bool().Draw(rt, "down") {
					e.Quantity = -e.Quantity
				}
			}
			e.Result = twin.Result(rapid.IntRange(1, 2).Draw(rt, "result"))
			if op == twin.OpTransfer {
				e.To = whs[0]
				if wh == whs[0] {
					e.To = whs[1]
				}
			} else if op == twin.OpIssue || op == twin.OpReturn || rapid.Bool().Draw(rt, "holder") {
				h := rapid.SampledFrom(holders).Draw(rt, "holder")
				if op == twin.OpReturn {
					e.From = h
				} else if op == twin.OpIssue {
					e.To = h
				} else {
					e.Loan = h
				}
			}
			return e
		})
		batches := rapid.SliceOfN(rapid.SliceOfN(entry, 1, 25), 4, 4).Draw(rt, "keepers")
		// A keeper posts its entries one at a time, or as documents of
		// up to five lines, entered all or none.
		docs := rapid.SliceOfN(rapid.IntRange(1, 5), 4, 4).Draw(rt, "document lines")
		before := tw.Snapshot().Len(twin.KindLedger)
		var entered atomic.Int64
		var wg sync.WaitGroup
		for k, es := range batches {
			wg.Go(func() {
				for len(es) > 0 {
					n := min(docs[k], len(es))
					var cmd twin.Command = twin.Post{Entry: &es[0]}
					if n > 1 {
						doc := twin.Document{}
						for i := range n {
							doc.Entries = append(doc.Entries, &es[i])
						}
						cmd = doc
					}
					es = es[n:]
					evs, err := tw.Apply(keeper(), cmd)
					var te *twin.Error
					switch {
					case err != nil && !errors.As(err, &te):
						t.Errorf("not a domain error: %v", err)
					case err == nil && len(evs) != n:
						t.Errorf("a document of %d lines entered %d", n, len(evs))
					}
					entered.Add(int64(len(evs)))
				}
			})
		}
		wg.Wait()
		snap := tw.Snapshot()
		if got := snap.Len(twin.KindLedger) - before; got != int(entered.Load()) {
			t.Fatalf("%d entries in the ledger, %d acknowledged: a refused document left lines", got, entered.Load())
		}
		checkInvariants(t, snap)
		checkReplay(t, snap)
	})
}

// The last unit, asked for by two at once, goes to exactly one of them.
func TestLastUnitGoesToOne(t *testing.T) {
	tw := ledgerTwin(t, nil)
	for round := range 50 {
		s := fmt.Sprintf("L-%03d", round)
		mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: []string{s}})
		mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 10})
		var wg sync.WaitGroup
		got := make([]error, 4)
		for i := range 4 {
			wg.Go(func() {
				if i < 2 {
					_, got[i] = post(tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Quantity: 1, To: fmt.Sprintf("TEAM-0%d", i+1)})
				} else {
					_, got[i] = post(tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "boom", Quantity: 10, To: fmt.Sprintf("TEAM-0%d", i+1)})
				}
			})
		}
		wg.Wait()
		for _, pair := range [][]error{got[:2], got[2:]} {
			ok := 0
			for _, err := range pair {
				switch {
				case err == nil:
					ok++
				case twin.ErrorCode(err) != twin.EINSUFFICIENT:
					t.Fatalf("round %d: refused with %v, want insufficient", round, err)
				}
			}
			if ok != 1 {
				t.Fatalf("round %d: the last unit went to %d requests", round, ok)
			}
		}
	}
	checkInvariants(t, tw.Snapshot())
	checkReplay(t, tw.Snapshot())
}

// The stock survives a restart: loaded from bbolt and derived again from
// the ledger, it is the stock the twin held.
func TestStockAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tw := ledgerTwin(t, db)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: serials("R", 4)})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-ar-afff-3", Due: twin.NewDate(2027, 6, 1), Expires: twin.NewDate(2030, 6, 1), Quantity: 3000})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Quantity: 1, To: "TEAM-01"})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpTransfer, Type: "foam-ar-afff-3", Quantity: 1000, To: "WH-02"})
	before := tw.Snapshot()
	tw.Close()
	db.Close()

	db, err = bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	after := again.Snapshot()
	for wh, s := range before.Stocks() {
		if !s.Equal(after.Stock(wh)) {
			t.Errorf("%s's stock after a restart is not what it was", wh)
		}
	}
	// And rebuilt from the journal, as a replay does.
	if got := rebuild(t, db); !got.Stock("WH-01").Equal(before.Stock("WH-01")) {
		t.Error("WH-01's stock rebuilt from the journal is not what it was")
	}
}

// The readiness cache gives what a full recompute gives, entry after
// entry, and across a change of day.
func TestReadinessCache(t *testing.T) {
	tw := ledgerTwin(t, nil)
	cache := twin.NewReadinessCache(tw.Equipment())
	now := ledgerDay
	check := func(what string) {
		t.Helper()
		got, want := cache.Readiness(tw.Snapshot(), now), tw.Snapshot().Readiness(now, tw.Equipment())
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: the cache gives %v, a recompute %v", what, got, want)
		}
	}
	check("empty")
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Serials: serials("C", 3),
		Tested: map[string]twin.Date{"monthly": twin.NewDate(2026, 11, 3), "service": twin.NewDate(2026, 6, 1)}}) // monthly due 3 December
	check("after a receipt")
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Quantity: 1, To: "TEAM-01"})
	check("after an issue")
	now = now.Add(48 * time.Hour) // the sets fall due
	check("two days on")
	if r := cache.Readiness(tw.Snapshot(), now); len(r[0].Overdue) != 2 {
		t.Errorf("overdue two days on: %v", r[0].Overdue)
	}
}

// A document of many lines is entered all or none: each line resolved
// against the stock the lines before it leave (sets received and issued
// in one delivery), and a document with one short line enters nothing —
// its refusal names the line.
func TestDocumentAllOrNothing(t *testing.T) {
	tw := ledgerTwin(t, nil)
	doc := func(es ...twin.LedgerEntry) ([]twin.Event, error) {
		d := twin.Document{}
		for i := range es {
			d.Entries = append(d.Entries, &es[i])
		}
		return tw.Apply(keeper(), d)
	}
	evs, err := doc(
		twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: serials("D", 3), From: "供应商"},
		twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 100},
		twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Quantity: 2, To: "TEAM-01"},
	)
	if err != nil || len(evs) != 3 {
		t.Fatalf("a delivery and an issue from it: %d events, %v", len(evs), err)
	}
	if got := evs[2].Entity.(*twin.LedgerEntry).Serials; !slices.Equal(got, []string{"D-001", "D-002"}) {
		t.Errorf("the issue took %v, want the first two sets the document received", got)
	}

	snap := tw.Snapshot()
	_, err = doc(
		twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: []string{"D-100"}},
		twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "boom", Quantity: 60, To: "TEAM-01"},
		twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "boom", Quantity: 60, To: "TEAM-02"},
		twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 500},
	)
	var te *twin.Error
	if !errors.As(err, &te) || te.Code != twin.EINSUFFICIENT || !strings.HasPrefix(te.Field, "[2]") || !strings.HasPrefix(te.Message, "[2]: ") {
		t.Fatalf("a document whose third line is short: %v, want insufficient naming [2]", err)
	}
	after := tw.Snapshot()
	if after.Len(twin.KindLedger) != snap.Len(twin.KindLedger) || after.Seq() != snap.Seq() {
		t.Errorf("the refused document left entries: %d → %d", snap.Len(twin.KindLedger), after.Len(twin.KindLedger))
	}
	for wh, st := range snap.Stocks() {
		if !st.Equal(after.Stock(wh)) {
			t.Errorf("%s: the stock changed by a refused document", wh)
		}
	}
	if _, ok := after.SerialAt("D-100"); ok {
		t.Error("the refused document's receipt of D-100 is in the park")
	}
	if _, err := doc(); twin.ErrorCode(err) != twin.EINVALID {
		t.Errorf("an empty document: %v", err)
	}
	many := make([]twin.LedgerEntry, twin.MaxDocumentLines+1)
	for i := range many {
		many[i] = twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 1}
	}
	if _, err := doc(many...); twin.ErrorCode(err) != twin.ETOOLARGE {
		t.Errorf("a document of %d lines: %v, want too large", len(many), err)
	}
	// A document's lines change the copies of the stock its earlier lines
	// made in place (one copy of a warehouse's boom a document, not one a
	// line): the snapshots published before it keep their stock.
	lines := make([]twin.LedgerEntry, 40)
	for i := range lines {
		lines[i] = twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "boom", Quantity: 1}
		if i%2 == 1 {
			lines[i] = twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "boom", Quantity: 1, To: "TEAM-01"}
		}
	}
	lines = append(lines, twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpTransfer, Type: "scba", Serials: []string{"D-003"}, To: "WH-01"})
	if _, err := doc(lines...); err == nil {
		t.Fatal("a transfer of a set WH-02 does not hold was entered")
	}
	lines[len(lines)-1] = twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpTransfer, Type: "scba", Serials: []string{"D-003"}, To: "WH-02"}
	if _, err := doc(lines...); err != nil {
		t.Fatal(err)
	}
	last := tw.Snapshot()
	if last.Stock("WH-01").Equal(after.Stock("WH-01")) {
		t.Fatal("the document changed nothing")
	}
	for _, s := range []*twin.Snapshot{snap, after, last} {
		checkInvariants(t, s)
		checkReplay(t, s)
	}
}
