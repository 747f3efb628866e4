package bolt_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// A file written before the ledger holds its warehouses with stock lines.
// Opened, each warehouse opens its ledger from them, once, journalled as
// the migration's: the stock is what the lines said, the warehouse is
// kept without them, and a second start changes nothing.
func TestStockLinesOpenTheLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := openDB(t, path)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	w := &twin.Warehouse{ID: "WH-01", Name: "旧库", Tier: twin.TierDistrict, Owner: "应急管理局",
		Keeper: twin.Contact{Name: "王", Phone: "13800000000"}, Position: orb.Point{120.85, 30.17},
		Stock: []twin.StockLine{
			{Type: "foam-afff-3", Name: "AFFF", Quantity: 3000, Unit: "L", Expires: twin.NewDate(2030, 1, 1)},
			{Type: "scba", Name: "SCBA", Quantity: 2, Unit: "套", Items: []twin.Asset{
				{Serial: "OLD-1", State: twin.AssetAvailable, NextInspection: twin.NewDate(2026, 12, 20)},
				{Serial: "OLD-2", State: twin.AssetRepair, NextInspection: twin.NewDate(2026, 12, 20)}}},
		}}
	// As an older parkd wrote it: the warehouse's Feature with its lines.
	if err := db.Commit([]twin.Event{
		{Seq: 1, At: at, Op: twin.Created, Kind: twin.KindPark, ID: twin.ParkID, Entity: park()},
		{Seq: 2, At: at, Op: twin.Created, Kind: twin.KindWarehouse, ID: "WH-01", Entity: w},
	}); err != nil {
		t.Fatal(err)
	}
	tw := openTwin(t, db)
	s := tw.Snapshot()
	stored, _ := twin.Lookup[*twin.Warehouse](s, "WH-01")
	if stored.Stock != nil {
		t.Errorf("the warehouse keeps its lines: %+v", stored.Stock)
	}
	if got := s.StockLines("WH-01"); len(got) != 2 || got[0].Quantity != 3000 || got[1].Items[1].State != twin.AssetRepair {
		t.Errorf("the stock its ledger leaves: %+v", got)
	}
	entries := s.LedgerEntries("WH-01")
	if len(entries) != 3 { // foam, the two sets, OLD-2 to repair
		t.Fatalf("%d opening entries", len(entries))
	}
	for _, e := range entries {
		if e.Actor != twin.ActorMigration || e.Reason != twin.OpeningReason {
			t.Errorf("%s: by %s, %q", e.ID, e.Actor, e.Reason)
		}
	}
	seq := s.Seq()
	tw.Close()
	again := openTwin(t, db)
	if got := again.Snapshot().Seq(); got != seq {
		t.Errorf("a second start moved seq from %d to %d", seq, got)
	}
}
