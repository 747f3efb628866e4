package twin_test

import (
	"math"
	"testing"

	"parktwin/twin"
)

// A keeper's 1e308 received twice made the stock +Inf, which no JSON can
// give: every entry is held to a maximum of its unit, and no entry may
// take a type's stock in a warehouse over MaxStock.
func TestQuantityLimits(t *testing.T) {
	tw := ledgerTwin(t, nil)
	maxL := twin.MaxQuantity("L")
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: maxL, Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: maxL, Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)})
	for range int(twin.MaxStock("L")/maxL) - 2 {
		mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: maxL, Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)})
	}
	// WH-01 holds MaxStock - maxL, WH-02 maxL: one more entry fills it.
	seq := tw.Snapshot().Seq()
	for _, tt := range []struct {
		name string
		e    twin.LedgerEntry
	}{
		{"1e308", twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReceive, Type: "absorbent", Quantity: 1e308}},
		{"over the entry's maximum", twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: maxL + 1, Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)}},
		{"adjust by 1e308", twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpAdjust, Type: "foam-afff-3", Quantity: 1e308, Reason: "盘点"}},
		{"adjust by -1e308", twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpAdjust, Type: "foam-afff-3", Quantity: -1e308, Reason: "盘点"}},
		{"infinite", twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReceive, Type: "absorbent", Quantity: math.Inf(1)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := post(tw, tt.e)
			if twin.ErrorCode(err) != twin.EINVALID || twin.ErrorField(err) != "quantity" {
				t.Errorf("got %v, want %s on quantity", err, twin.EINVALID)
			}
		})
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("refusals changed the park: seq %d, was %d", got, seq)
	}
	// The last entry that fits goes through.
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: maxL, Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)})
	for _, e := range []twin.LedgerEntry{
		{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: 1, Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)},
		{Warehouse: "WH-02", Op: twin.OpTransfer, Type: "foam-afff-3", Quantity: 1, To: "WH-01"},
	} {
		if _, err := post(tw, e); twin.ErrorField(err) != "quantity" {
			t.Errorf("%s of a litre over MaxStock: got %v, want refused on quantity", e.Op, err)
		}
	}
	var total float64
	for _, ts := range tw.Snapshot().Stock("WH-01").Types() {
		if ts.Type == "foam-afff-3" {
			total, _ = ts.Ready(ledgerDay)
		}
	}
	if total != twin.MaxStock("L") {
		t.Errorf("WH-01 holds %g L, want %g", total, twin.MaxStock("L"))
	}
}

// Receipts no longer sort the lots (a document of receipts stalled the
// writer): an adjustment up that names no lot still goes to the lot last
// to expire, and an issue still takes the first to expire.
func TestLotChoiceWithoutSorting(t *testing.T) {
	tw := ledgerTwin(t, nil)
	late := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: 100, Expires: twin.NewDate(2031, 1, 1), Due: twin.NewDate(2027, 6, 1)})
	early := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: 100, Expires: twin.NewDate(2028, 1, 1), Due: twin.NewDate(2027, 6, 1)})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: 100, Expires: twin.NewDate(2029, 6, 1), Due: twin.NewDate(2027, 6, 1)})
	up := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpAdjust, Type: "foam-afff-3", Quantity: 5, Reason: "盘盈"})
	if len(up.Lots) != 1 || up.Lots[0].Lot != late.Lots[0].Lot {
		t.Errorf("adjustment up went to %+v, want the last to expire, %s", up.Lots, late.Lots[0].Lot)
	}
	out := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "foam-afff-3", Quantity: 50, To: "TEAM-01"})
	if len(out.Lots) != 1 || out.Lots[0].Lot != early.Lots[0].Lot {
		t.Errorf("issue took %+v, want the first to expire, %s", out.Lots, early.Lots[0].Lot)
	}
}
