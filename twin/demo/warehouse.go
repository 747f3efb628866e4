package demo

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// warehouse creates a shared equipment warehouse at pos (in metres). Its
// stock is the district stock of domain.md §8 times share.
func (g *gen) warehouse(name string, tier twin.Tier, owner string, e *ent, pos orb.Point, share float64) {
	w := &twin.Warehouse{
		ID:       fmt.Sprintf("WH-%02d", len(g.warehouses)+1),
		Name:     name,
		Tier:     tier,
		Owner:    owner,
		Position: g.ll(pos),
		Keeper:   twin.Contact{Name: g.personName(), Phone: g.mobile()},
	}
	if e != nil {
		w.Enterprise = e.ent.ID
	}
	w.Stock = g.stock(strings.ReplaceAll(w.ID, "-", ""), share)
	g.warehouses = append(g.warehouses, w)
}

// stock returns a warehouse's stock: bulk lines by quantity, serialized
// lines item by item. A district warehouse holds 20–60 t of AFFF 3 % in
// two lots and 10–30 t of AR-AFFF 3 % (a litre of concentrate weighs
// about a kilogram), 20–50 SCBA sets, 10–20 gas-tight suits and so on.
// Dates run from the generator's day (Options.Now): each lot's next lab
// test within the year, each item's next inspection within its interval
// (the catalogue's), so the park is ready the day it is made. The draws
// of the park's generator are the same as before the ledger (the rest of
// the park does not move); the items of types that were counted before
// (spare cylinders, suits, monitors) are drawn from a generator of their
// own.
func (g *gen) stock(code string, share float64) []twin.StockLine {
	n := func(lo, hi int, least int) int {
		return max(least, int(math.Round(share*float64(g.intBetween(lo, hi)))))
	}
	foamLot := func(typ, name string, lo, hi int) twin.StockLine {
		q := float64(1000 * n(lo, hi, 1))
		k := g.dayIndex(twin.NewDate(2026, 3, 1), twin.NewDate(2027, 12, 31))
		return twin.StockLine{Type: typ, Name: name, Quantity: q, Unit: "L",
			Due: g.after(30 + k%330), Expires: g.after(365*3 + k*3)}
	}
	var ls []twin.StockLine
	ls = append(ls, foamLot("foam-afff-3", "水成膜泡沫灭火剂 AFFF 3%", 10, 30))
	if share >= 1 {
		ls = append(ls, foamLot("foam-afff-3", "水成膜泡沫灭火剂 AFFF 3%（第二批）", 10, 30))
	}
	ls = append(ls, foamLot("foam-ar-afff-3", "抗溶性水成膜泡沫灭火剂 AR-AFFF 3%", 10, 30))
	if share < 1 {
		ls = append(ls, foamLot("foam-afff-6", "水成膜泡沫灭火剂 AFFF 6%", 2, 6))
	}
	h := fnv.New64a()
	h.Write([]byte(code))
	own := rand.New(rand.NewPCG(h.Sum64(), 0x4c45444745522121))
	scba := n(20, 50, 2)
	ls = append(ls,
		g.serialized(code, "scba", "正压式空气呼吸器", "套", scba),
		g.counted(own, code, "scba-cylinder", "呼吸器备用气瓶（6.8 L 碳纤维）", "只", scba+n(10, 30, 2)),
		g.counted(own, code, "suit-level-a", "重型防化服（气密型，A级）", "套", n(10, 20, 2)),
		g.counted(own, code, "suit-level-b", "轻型防化服（B级）", "套", n(20, 40, 2)),
		g.serialized(code, "gas-detector", "四合一便携式气体检测仪", "台", n(8, 24, 2)),
		g.serialized(code, "gas-detector-pid", "PID 挥发性有机物检测仪", "台", n(2, 6, 1)),
		twin.StockLine{Type: "leak-sealing-kit", Name: "堵漏工具组（磁压、捆绑、木楔、注入）", Quantity: float64(n(5, 10, 1)), Unit: "套", Due: g.after(20 + own.IntN(150))},
		twin.StockLine{Type: "boom", Name: "吸附围栏", Quantity: float64(10 * n(20, 50, 2)), Unit: "m"},
		g.serialized(code, "transfer-pump", "防爆输转泵", "台", n(2, 6, 1)),
		g.counted(own, code, "mobile-monitor", "移动式大流量消防炮", "台", n(4, 10, 1)),
		twin.StockLine{Type: "absorbent", Name: "化学品吸附棉", Quantity: float64(100 * n(10, 50, 2)), Unit: "kg"},
	)
	// The confined-space rescue kit of GB 30871-2022 §6 (dispatch
	// rules, confinedSpace): fixed shares of a district warehouse's 4
	// tripods, 6 fans and 10 escape sets, drawing no random number so
	// that the rest of the park stays as it was.
	kit := func(of float64) float64 { return max(1, math.Round(share*of)) }
	// Counted item by item (the ledger's serialized class), from the
	// warehouse's own generator.
	ls = append(ls,
		g.counted(own, code, "tripod-winch", "有限空间救援三脚架（含绞盘）", "套", int(kit(4))),
		g.counted(own, code, "fan-explosion-proof", "防爆移动式送排风机", "台", int(kit(6))),
		g.counted(own, code, "escape-breathing-set", "紧急逃生呼吸器（伤员供气）", "具", int(kit(10))),
	)
	// Detectors for the toxic gases the park stores in bulk: a four-gas
	// instrument reads neither chlorine nor ammonia (dispatch rules,
	// toxic.detectors). The catalogue's district minimum of 2 each, in
	// fixed shares, drawn last so that the rest of the park stays as it
	// was.
	ls = append(ls,
		g.counted(own, code, "gas-detector-cl2", "氯气检测仪（电化学）", "台", int(kit(2))),
		g.counted(own, code, "gas-detector-nh3", "氨气检测仪（电化学）", "台", int(kit(2))),
	)
	// And for the other toxic gases it stores (issue 13): HF and SO2 in
	// the toxic-gas farms, ethylene oxide in the gas farms, acrylonitrile
	// (above a 10.6 eV PID lamp) in the liquid farms — drawn after the
	// rest, as above.
	ls = append(ls,
		g.counted(own, code, "gas-detector-hf", "氟化氢检测仪（电化学）", "台", int(kit(2))),
		g.counted(own, code, "gas-detector-so2", "二氧化硫检测仪（电化学）", "台", int(kit(2))),
		g.counted(own, code, "gas-detector-eto", "环氧乙烷检测仪（电化学）", "台", int(kit(2))),
		g.counted(own, code, "gas-detector-pid-117", "PID 挥发性有机物检测仪（11.7 电子伏特灯）", "台", int(kit(2))),
	)
	// The Chlorine Institute's kits for the park's liquid chlorine
	// (issue 13 follow-up, item 5): C for its bulk tanks and the road
	// tankers, B for ton containers, A for cylinders — one of each in
	// every warehouse, drawn last as above.
	ls = append(ls,
		g.counted(own, code, "chlorine-kit-a", "氯气应急堵漏工具箱 A（钢瓶）", "套", int(kit(1))),
		g.counted(own, code, "chlorine-kit-b", "氯气应急堵漏工具箱 B（吨瓶）", "套", int(kit(1))),
		g.counted(own, code, "chlorine-kit-c", "氯气应急堵漏工具箱 C（槽车、储罐）", "套", int(kit(1))),
	)
	return ls
}

// serialized returns a line of count items, mostly available, a few out
// for repair or quarantined after a failed inspection.
func (g *gen) serialized(code, typ, name, unit string, count int) twin.StockLine {
	l := twin.StockLine{Type: typ, Name: name, Quantity: float64(count), Unit: unit}
	for i := range count {
		state := twin.AssetAvailable
		switch g.r.IntN(20) {
		case 0:
			state = twin.AssetRepair
		case 1:
			state = twin.AssetQuarantined
		}
		k := g.dayIndex(twin.NewDate(2026, 1, 1), twin.NewDate(2027, 6, 30))
		a := twin.Asset{
			Serial:         fmt.Sprintf("%s-%s-%03d", code, strings.ToUpper(typ), i+1),
			State:          state,
			NextInspection: g.after(1 + k%g.interval(typ)),
		}
		a.Dues = g.otherDues(typ, a.Serial, a.NextInspection)
		l.Items = append(l.Items, a)
	}
	return l
}

// counted returns a line of count items of a type the park counted
// before the ledger, drawn from r: all available.
func (g *gen) counted(r *rand.Rand, code, typ, name, unit string, count int) twin.StockLine {
	l := twin.StockLine{Type: typ, Name: name, Quantity: float64(count), Unit: unit}
	t, _ := twin.DefaultCatalogue().Type(typ)
	for i := range count {
		a := twin.Asset{
			Serial:         fmt.Sprintf("%s-%s-%03d", code, strings.ToUpper(typ), i+1),
			State:          twin.AssetAvailable,
			NextInspection: g.after(1 + r.IntN(g.interval(typ))),
		}
		a.Dues = g.otherDues(typ, a.Serial, a.NextInspection)
		if !t.ShelfLife.IsZero() {
			// Made up to half its life ago.
			a.Expires = g.after(int(t.ShelfLife.Approx().Hours()/24)/2 + r.IntN(int(t.ShelfLife.Approx().Hours()/48)))
		}
		l.Items = append(l.Items, a)
	}
	return l
}

// otherDues returns the due dates of a type's periodic schedules after
// its shortest (whose date is next, the item's NextInspection): each
// somewhere within its own interval from the generator's day, drawn from
// the serial (no random number: the rest of the park stays as it was) —
// an SCBA set's yearly service is not due with its monthly check. Nil for
// a type with one schedule.
func (g *gen) otherDues(typ, serial string, next twin.Date) map[string]twin.Date {
	t, ok := twin.DefaultCatalogue().Type(typ)
	if !ok || len(t.Periodic()) < 2 {
		return nil
	}
	out := map[string]twin.Date{}
	for _, s := range t.Periodic() {
		if s.Every == t.Inspection.Every {
			out[s.ID] = next
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(serial + "/" + s.ID))
		days := max(1, int(s.Every.Approx().Hours()/24))
		out[s.ID] = g.after(1 + int(h.Sum32()%uint32(days)))
	}
	return out
}

// interval returns a type's inspection interval in days (30 when it has
// none on the calendar).
func (g *gen) interval(typ string) int {
	t, ok := twin.DefaultCatalogue().Type(typ)
	if !ok || t.Inspection.Every.IsZero() {
		return 30
	}
	return max(1, int(t.Inspection.Every.Approx().Hours()/24))
}

// dayIndex draws a day between from and to as the generator always has,
// and returns its number of days after from.
func (g *gen) dayIndex(from, to twin.Date) int {
	d := g.date(from, to)
	return int(d.Time().Sub(from.Time()).Hours() / 24)
}

// after returns the day n days after the generator's day.
func (g *gen) after(n int) twin.Date {
	t := g.today.Time()
	return twin.NewDate(t.Year(), t.Month(), t.Day()+n)
}
