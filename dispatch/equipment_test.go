package dispatch_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
)

var today = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

func warehouse(id string, tier twin.Tier, enterprise string, x, y float64, stock ...twin.StockLine) *twin.Warehouse {
	for i := range stock { // a serial is in one place: each warehouse's its own
		stock[i].Items = slices.Clone(stock[i].Items)
		for j := range stock[i].Items {
			stock[i].Items[j].Serial = id + "-" + stock[i].Items[j].Serial
		}
	}
	return &twin.Warehouse{ID: id, Name: id, Tier: tier, Owner: "测试", Enterprise: enterprise, Position: at(x, y),
		Keeper: twin.Contact{Name: "库管", Phone: "13800000000"}, Stock: stock}
}

// foamLot is a lot of AR-AFFF with its maker's expiry (有效期): a lot
// given none keeps to 2031 (a receipt without its expiry is refused).
func foamLot(litres float64, expires twin.Date) twin.StockLine {
	if expires.IsZero() {
		expires = twin.NewDate(2031, 1, 1)
	}
	return twin.StockLine{Type: "foam-ar-afff-3", Name: "AR-AFFF 3%", Quantity: litres, Unit: "L", Expires: expires}
}

func scba(states ...twin.AssetState) twin.StockLine {
	l := twin.StockLine{Type: "scba", Name: "正压式空气呼吸器", Unit: "套"}
	for i, st := range states {
		l.Items = append(l.Items, twin.Asset{Serial: "SCBA-" + string(rune('A'+i)), State: st,
			NextInspection: twin.NewDate(2027, 6, 1)})
	}
	l.Quantity = float64(len(l.Items))
	return l
}

func roads() []twin.Entity {
	return []twin.Entity{
		road("RD-00001", 36, false, at(-2000, 0), at(0, 0)),
		road("RD-00002", 36, false, at(0, 0), at(2000, 0)),
		road("RD-00003", 36, false, at(2000, 0), at(2000, 2000)),
	}
}

// Need 3,393 L of AR-AFFF: the enterprise's own 1,000 L first, then the
// park's 1,500 L, then 893 L of the district's 80 % share; an expired lot
// is never offered.
func TestAllocateByTierAndSplit(t *testing.T) {
	es := append(chemicals(), roads()...)
	es = append(es,
		warehouse("WH-01", twin.TierDistrict, "", 2000, 1000, foamLot(2000, twin.NewDate(2027, 5, 1))),
		warehouse("WH-02", twin.TierPark, "", -1500, 0, foamLot(1500, twin.Date{})),
		warehouse("WH-03", twin.TierEnterprise, "ENT-0001", 100, 50, foamLot(1000, twin.Date{}), foamLot(5000, twin.NewDate(2026, 1, 1))),
	)
	s := snapshot(t, es...)
	g := dispatch.NewGraph(s)
	in, _ := g.Toward(at(200, 0))
	r := dispatch.DefaultRules()
	need := []dispatch.Requirement{{What: "foam-ar-afff-3", Quantity: 3393, Unit: "L"}, {What: dispatch.CoolingWater, Quantity: 1e6, Unit: "L"}}
	lines, short := r.Allocate(s, in, today, "ENT-0001", need)
	if len(short) != 0 {
		t.Fatalf("shortfalls: %v", short)
	}
	want := []struct {
		wh string
		q  float64
	}{{"WH-03", 1000}, {"WH-02", 1500}, {"WH-01", 893}}
	if len(lines) != len(want) {
		t.Fatalf("lines: %+v", lines)
	}
	for i, w := range want {
		if lines[i].Warehouse != w.wh || lines[i].Quantity != w.q || lines[i].EtaS <= 0 || lines[i].Reason == "" {
			t.Errorf("line %d: %+v, want %s %v", i, lines[i], w.wh, w.q)
		}
	}
}

func TestAllocateShortfall(t *testing.T) {
	es := append(chemicals(), roads()...)
	es = append(es, warehouse("WH-02", twin.TierPark, "", -1500, 0, foamLot(2800, twin.Date{})))
	s := snapshot(t, es...)
	in, _ := dispatch.NewGraph(s).Toward(at(200, 0))
	_, short := dispatch.DefaultRules().Allocate(s, in, today, "ENT-0001",
		[]dispatch.Requirement{{What: "foam-ar-afff-3", Quantity: 4300, Unit: "L"}})
	if len(short) != 1 || short[0].String() != "foam-ar-afff-3: need 4,300 L, available 2,800 L" {
		t.Errorf("shortfalls: %v", short)
	}
}

// Serialized items out for repair, quarantined or reserved are never
// offered; another enterprise's own warehouse is not either.
func TestAllocateOnlyAvailableItems(t *testing.T) {
	es := append(chemicals(), roads()...)
	es = append(es,
		warehouse("WH-02", twin.TierPark, "", -1500, 0, scba(twin.AssetAvailable, twin.AssetRepair, twin.AssetAvailable, twin.AssetReserved, twin.AssetQuarantined)),
		warehouse("WH-03", twin.TierEnterprise, "ENT-0001", 100, 50, scba(twin.AssetAvailable, twin.AssetAvailable)),
	)
	s := snapshot(t, es...)
	in, _ := dispatch.NewGraph(s).Toward(at(200, 0))
	lines, short := dispatch.DefaultRules().Allocate(s, in, today, "ENT-0002",
		[]dispatch.Requirement{{What: "scba", Quantity: 4, Unit: "set"}})
	if len(lines) != 1 || lines[0].Warehouse != "WH-02" || lines[0].Quantity != 2 ||
		strings.Join(lines[0].Items, ",") != "WH-02-SCBA-A,WH-02-SCBA-C" {
		t.Errorf("lines: %+v", lines)
	}
	if len(short) != 1 || short[0].Needed != 4 || short[0].Available != 2 {
		t.Errorf("shortfalls: %+v", short)
	}
}
