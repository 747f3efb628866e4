package demo

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// farmKind is the kind of a tank farm (罐区), by the fire class of what it
// holds or by the gas: what decides its tanks and its chemicals.
type farmKind int

const (
	classA    farmKind = iota // 甲B: flammable liquids, flash point below 28 °C
	classB                    // 乙: flash point 28–60 °C
	classC                    // 丙: flash point 60 °C and above
	acidBase                  // acids and caustic soda
	chlorine                  // liquid chlorine
	ammonia                   // liquid ammonia
	toxicGas                  // other liquefied toxic gases
	liquefied                 // liquefied hydrocarbons and ethylene oxide (甲A)
	bulk                      // large floating-roof storage of a storage company
	numFarmKinds
)

// farmKindInfo describes a kind of farm.
type farmKindInfo struct {
	name     string   // the farm's name before its letter, or after its chemical
	chems    []string // CAS numbers it may hold
	types    []twin.TankType
	weights  []int // of types
	maxTanks int
	single   bool // holds one chemical and is named after it (液氯罐区)
}

var farmKinds = [numFarmKinds]farmKindInfo{
	classA: {name: "甲类罐区",
		chems: []string{"67-56-1", "108-88-3", "67-64-1", "64-17-5", "141-78-6", "71-43-2", "110-82-7",
			"110-54-3", "107-13-1", "1330-20-7", "75-56-9"},
		types:   []twin.TankType{twin.InternalFloatingRoof, twin.FixedRoof, twin.Horizontal},
		weights: []int{6, 3, 1}, maxTanks: 8},
	classB: {name: "乙类罐区",
		chems:   []string{"108-90-7", "100-42-5", "64-19-7", "106-89-8", "68-12-2"},
		types:   []twin.TankType{twin.FixedRoof, twin.InternalFloatingRoof, twin.Horizontal},
		weights: []int{6, 2, 2}, maxTanks: 8},
	classC: {name: "丙类罐区",
		chems:   []string{"98-95-3", "62-53-3", "108-95-2", "26471-62-5"},
		types:   []twin.TankType{twin.FixedRoof, twin.Horizontal},
		weights: []int{8, 2}, maxTanks: 8},
	acidBase: {name: "酸碱罐区",
		chems:   []string{"7664-93-9", "7697-37-2", "1310-73-2"},
		types:   []twin.TankType{twin.FixedRoof, twin.Horizontal},
		weights: []int{6, 4}, maxTanks: 8},
	chlorine: {name: "罐区", chems: []string{"7782-50-5"},
		types: []twin.TankType{twin.Horizontal}, weights: []int{1}, maxTanks: 4, single: true},
	ammonia: {name: "罐区", chems: []string{"7664-41-7"},
		types: []twin.TankType{twin.Horizontal}, weights: []int{1}, maxTanks: 4, single: true},
	toxicGas: {name: "罐区", chems: []string{"7664-39-3", "7446-09-5"},
		types: []twin.TankType{twin.Horizontal}, weights: []int{1}, maxTanks: 3, single: true},
	liquefied: {name: "液化烃罐区",
		chems:   []string{"68476-85-7", "106-99-0", "75-01-4", "75-21-8"},
		types:   []twin.TankType{twin.PressureSphere, twin.Horizontal},
		weights: []int{6, 4}, maxTanks: 4},
	bulk: {name: "储运罐区",
		chems:   []string{"86290-81-5", "108-88-3", "67-56-1", "1330-20-7"},
		types:   []twin.TankType{twin.ExternalFloatingRoof, twin.InternalFloatingRoof},
		weights: []int{7, 3}, maxTanks: 6},
}

// sphereChems are the liquefied gases stored in spheres; ethylene oxide
// stays in horizontal pressure tanks.
var sphereChems = []string{"68476-85-7", "106-99-0", "75-01-4"}

// farm is a tank farm of an enterprise: tanks of one construction and
// spacing inside a dike, ringed by a fire lane.
type farm struct {
	kind  farmKind
	name  string
	n     int
	typ   twin.TankType // as planned; placing may fall back to a smaller type
	chems []*twin.Chemical
	space float64 // the gap between tanks as a fraction of their diameter
	fill  float64

	tanks []*twin.Tank
	ring  []orb.Point // the fire lane around the dike, in metres
	load  float64     // S = Σ q/Q of GB 18218
	// drawLoad is S with the Q of before issue 13 point 11 took some
	// chemicals out of the standard: the hazard units are drawn over the
	// farms it makes candidates, so that the draw, and every entity built
	// after it, stays where the drills name them. (The GB 51283 caps of
	// point 16 shrink some farms' tanks but, in the demo park, move no
	// farm out of the candidates.)
	drawLoad float64
}

// capacities returns the nominal capacities, in m³, of a type of tank.
func capacities(t twin.TankType) []float64 {
	switch t {
	case twin.Horizontal:
		return []float64{20, 30, 40, 50, 60, 80, 100}
	case twin.FixedRoof:
		return []float64{100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000}
	case twin.InternalFloatingRoof:
		return []float64{1000, 2000, 3000, 5000, 10000}
	case twin.ExternalFloatingRoof:
		return []float64{5000, 10000, 20000, 30000, 50000}
	case twin.PressureSphere:
		return []float64{400, 650, 1000, 1500, 2000}
	}
	return nil
}

// horizontalDiameter is the shell diameter of a horizontal tank of a
// nominal capacity; lengths follow at 2.4–3.9 diameters.
func horizontalDiameter(capM3 float64) float64 {
	switch {
	case capM3 <= 20:
		return 2.2
	case capM3 <= 30:
		return 2.4
	case capM3 <= 40:
		return 2.6
	case capM3 <= 60:
		return 2.8
	case capM3 <= 80:
		return 3.0
	}
	return 3.2
}

// dims returns the diameter and the height (a horizontal tank's length)
// of a tank of type t and capacity capM3, consistent with the capacity:
// π/4·D²·H for a cylinder, π/6·D³ for a sphere.
func dims(t twin.TankType, capM3 float64) (d, h float64) {
	cyl := func(d float64) float64 { return round1(capM3 / (math.Pi / 4 * d * d)) }
	switch t {
	case twin.Horizontal:
		d = horizontalDiameter(capM3)
		return d, cyl(d)
	case twin.FixedRoof: // about as tall as wide
		d = round1(clamp(math.Cbrt(4*capM3/(math.Pi*0.9)), 5, 20))
		return d, cyl(d)
	case twin.InternalFloatingRoof:
		d = round1(clamp(math.Cbrt(4*capM3/(math.Pi*0.7)), 12, 30))
		return d, cyl(d)
	case twin.ExternalFloatingRoof: // shells 16–21 m high
		h = 16.0
		switch {
		case capM3 > 30000:
			h = 21
		case capM3 > 10000:
			h = 19
		}
		d = round1(clamp(math.Sqrt(4*capM3/(math.Pi*h)), 20, 60))
		return d, cyl(d)
	case twin.PressureSphere:
		d = round1(math.Cbrt(6 * capM3 / math.Pi))
		return d, d
	}
	return 0, 0
}

// fallback is the type to try when no tank of type t fits its slot.
func fallback(t twin.TankType) twin.TankType {
	switch t {
	case twin.ExternalFloatingRoof:
		return twin.InternalFloatingRoof
	case twin.InternalFloatingRoof, twin.PressureSphere:
		return twin.FixedRoof
	case twin.FixedRoof:
		return twin.Horizontal
	}
	return 0
}

// layout is the arrangement of a farm's tanks: their size, their grid and
// the margin from the tanks to the fire lane (the dike and the lane).
type layout struct {
	typ        twin.TankType
	capM3      float64
	d, h       float64
	rows, cols int
	margin     float64
	gap        float64
}

// along is the tank's extent across the rows: its diameter, or a
// horizontal tank's length.
func (l layout) along() float64 {
	if l.typ == twin.Horizontal {
		return l.h
	}
	return l.d
}

// size returns the extent of the fire-lane ring: across (u) and along (v).
func (l layout) size() (w, d float64) {
	w = float64(l.cols)*l.d + float64(l.cols-1)*l.gap + 2*l.margin
	d = float64(l.rows)*l.along() + float64(l.rows-1)*l.gap + 2*l.margin
	return w, d
}

// fit returns the largest arrangement of n tanks of type t, of capacity at
// most want, whose ring fits a slot w × d metres. Small farms stand in one
// row, larger ones in two, as the fire code prefers.
func fit(t twin.TankType, want float64, n int, space, w, d float64) (layout, bool) {
	caps := capacities(t)
	rowOrder := []int{2, 1, 3, 4}
	if n <= 3 {
		rowOrder = []int{1, 2, 3}
	}
	for i := len(caps) - 1; i >= 0; i-- {
		if caps[i] > want {
			continue
		}
		l := layout{typ: t, capM3: caps[i]}
		l.d, l.h = dims(t, caps[i])
		l.gap = math.Ceil(space*l.d*10) / 10 // never under space × D
		l.margin = max(8, math.Ceil(l.h/2)+4)
		if t == twin.Horizontal {
			l.margin = 8
		}
		for _, rows := range rowOrder {
			if rows > n {
				continue
			}
			l.rows, l.cols = rows, (n+rows-1)/rows
			if lw, ld := l.size(); lw <= w && ld <= d {
				return l, true
			}
		}
	}
	return layout{}, false
}

// fineChemLimits are the limits of GB 51283-2020 (the fire code of fine
// chemical enterprises) §6.2 for tanks of 甲B and 乙 liquids in an
// enterprise that is not a storage company: the nominal capacity of one
// tank and the total of a tank group (罐组, one of the demo's farms).
// [unverified: the figures are as recalled, not read in the primary text;
// issue 13, point 16.]
var fineChemLimits = struct{ tankM3, groupM3 float64 }{tankM3: 5000, groupM3: 20000}

// capLimit is the largest nominal capacity a tank of f may have: within
// fineChemLimits for a 甲B or 乙 farm, unlimited for the others (丙
// liquids, acids, pressure tanks of liquefied gas, a storage company's
// farms, which other sections govern).
func capLimit(f *farm) float64 {
	if f.kind != classA && f.kind != classB {
		return math.Inf(1)
	}
	return min(fineChemLimits.tankM3, fineChemLimits.groupM3/float64(f.n))
}

// chlorineFill limits a fixed liquid-chlorine tank: at most 80 % of its
// volume liquid, about 1.13 t per m³ at 20 °C (1,410 kg/m³ × 0.8) —
// GB 11984 (氯气安全规程) for fixed storage tanks [unverified: recalled,
// not read in the primary text]. 1.25 t/m³, which the demo used before
// (issue 13), is the filling coefficient of chlorine cylinders and ton
// containers, not of fixed tanks.
var chlorineFill = struct {
	volumeShare float64
	source      string
}{volumeShare: 0.80, source: "GB 11984, fixed liquid-chlorine tanks: at most 80 % of the volume (≈ 1.13 t/m³ at 20 °C) [unverified]"}

// planFarm chooses a farm's tanks, chemicals, spacing and fill.
func (g *gen) planFarm(f *farm) {
	info := farmKinds[f.kind]
	f.typ = info.types[g.weighted(info.weights)]
	f.space = round2(g.between(0.4, 1.0))
	f.fill = round2(g.between(0.8, 0.9))
	if f.kind == chlorine {
		// No more chlorine than a fixed tank may hold (chlorineFill).
		f.fill = min(f.fill, chlorineFill.volumeShare)
	}
	pool := info.chems
	if f.typ == twin.PressureSphere {
		pool = sphereChems
	}
	k := 1
	if !info.single {
		k = min(len(pool), g.weighted([]int{0, 5, 4, 2}))
	}
	for _, i := range g.r.Perm(len(pool))[:k] {
		f.chems = append(f.chems, g.chems[pool[i]])
	}
}

// arrange chooses the size and arrangement of the farm's tanks for a
// slot of slotW × slotD metres: the planned type and a capacity drawn from
// its nominal sizes, the middle ones most often; smaller ones or a smaller
// type where the slot is too small.
func (g *gen) arrange(f *farm, slotW, slotD float64) layout {
	t := f.typ
	n := len(capacities(t))
	want := capacities(t)[(g.r.IntN(n)+g.r.IntN(n))/2]
	// The code's limits apply after the draw, so that the draw, and every
	// entity after it, stays.
	limit := capLimit(f)
	for t != 0 {
		if l, ok := fit(t, min(want, limit), f.n, f.space, slotW, slotD); ok {
			return l
		}
		t = fallback(t)
		if t != 0 {
			want = math.Inf(1)
		}
	}
	panic(fmt.Sprintf("demo: %d tanks do not fit a %.0f × %.0f m slot", f.n, slotW, slotD))
}

// makeTanks creates the farm's tanks in the ring whose corner nearest the
// cell's west edge and street front is (u0, v0).
func (g *gen) makeTanks(e *ent, fi int, f *farm, l layout, u0, v0 float64) {
	for k := range f.n {
		row, col := k/l.cols, k%l.cols
		u := u0 + l.margin + l.d/2 + float64(col)*(l.d+l.gap)
		v := v0 + l.margin + l.along()/2 + float64(row)*(l.along()+l.gap)
		c := f.chems[k%len(f.chems)]
		typ, capM3, d, h := storage(c, l)
		kind := "储罐"
		if l.typ == twin.PressureSphere {
			kind = "球罐"
		}
		t := &twin.Tank{
			ID:             fmt.Sprintf("TNK-%04d-%02d", e.num, len(e.tankIDs())+1),
			Name:           fmt.Sprintf("T-%d%02d %s%s", fi+1, k+1, tankLabel(c), kind),
			Enterprise:     e.ent.ID,
			Farm:           f.name,
			Chemical:       c.CAS,
			Type:           typ,
			DiameterM:      d,
			HeightM:        h,
			CapacityM3:     capM3,
			MaxFill:        f.fill,
			Position:       g.ll(e.cell.at(u, v)),
			SIS:            g.chance(sisChance(l.typ, c)),
			LastInspection: g.date(twin.NewDate(2023, 1, 1), twin.NewDate(2026, 3, 31)),
			// Set after the draws above, so that no later entity moves.
			Chilled:  c.CAS == propyleneOxide && typ == twin.FixedRoof,
			InertGas: inertGas(c, typ),
		}
		f.tanks = append(f.tanks, t)
		if c.CriticalQT > 0 {
			f.load += capM3 * f.fill * c.DensityKgM3 / 1000 / c.CriticalQT
		}
		f.drawLoad += l.capM3 * f.fill * c.DensityKgM3 / 1000 / formerQ(c)
	}
}

// sisChance is how likely a tank has a safety instrumented system: most
// pressure tanks of liquefied gas and most tanks of toxic or low-Q
// substances (40号令 Art. 13), few others.
func sisChance(t twin.TankType, c *twin.Chemical) float64 {
	switch {
	case t == twin.PressureSphere || c.Phase == twin.LiquefiedGas || c.ToxicGas:
		return 0.9
	case c.CriticalQT > 0 && c.CriticalQT <= 50:
		return 0.6
	}
	return 0.15
}

// tankLabel is the name a chemical goes by on its tank.
func tankLabel(c *twin.Chemical) string {
	switch c.CAS {
	case "7782-50-5":
		return "液氯"
	case "7664-41-7":
		return "液氨"
	case "7446-09-5":
		return "液体二氧化硫"
	case "1310-73-2":
		return "液碱"
	case "1330-20-7":
		return "二甲苯"
	}
	name, _, _ := strings.Cut(c.NameZh, "（")
	return name
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }
func round1(v float64) float64        { return math.Round(v*10) / 10 }
func round2(v float64) float64        { return math.Round(v*100) / 100 }

// propyleneOxide boils at 34 °C: a 甲B liquid boiling below 45 °C is kept
// in pressure, low-pressure or chilled (低温常压) tanks, not in ordinary
// atmospheric ones (GB 50160-2008 (2018) §6.2 [unverified: section not
// checked in the primary text]; issue 13, point 16). The demo keeps it in
// its horizontal pressure tanks and, chilled under nitrogen, in fixed-roof
// tanks; never in a floating-roof tank.
const propyleneOxide = "75-56-9"

// storage returns the type and size of a tank of c laid out as l: l's,
// but a floating-roof tank drawn for propylene oxide is built as a chilled
// fixed-roof tank in the same place, of the largest fixed-roof size not
// above l's (it stands within l's footprint, so nothing overlaps).
func storage(c *twin.Chemical, l layout) (t twin.TankType, capM3, d, h float64) {
	if c.CAS != propyleneOxide || (l.typ != twin.InternalFloatingRoof && l.typ != twin.ExternalFloatingRoof) {
		return l.typ, l.capM3, l.d, l.h
	}
	for _, v := range capacities(twin.FixedRoof) {
		if v <= l.capM3 {
			capM3 = v
		}
	}
	d, h = dims(twin.FixedRoof, capM3)
	return twin.FixedRoof, capM3, d, h
}

// blanketFlashC is the flash point below which a liquid is 甲B or 乙A
// (below 28 °C, 28–45 °C).
const blanketFlashC = 45

// inertGas is the blanket a tank of c of type t has: nitrogen over 甲B and
// 乙A liquids in fixed-roof tanks, which have no floating roof to keep
// vapour from the air above the liquid (GB 50160-2008 (2018) §6.2.2 and
// GB 51283-2020 §6.2 [unverified: neither checked in the primary text]),
// and over propylene oxide in any tank; none otherwise.
func inertGas(c *twin.Chemical, t twin.TankType) string {
	if c.CAS == propyleneOxide {
		return "nitrogen"
	}
	if t == twin.FixedRoof && c.FlashPointC != nil && *c.FlashPointC < blanketFlashC {
		return "nitrogen"
	}
	return ""
}

// formerQ is a chemical's Q as the demo drew with before issue 13, point
// 11: nitrobenzene, aniline and phenol at J5's 500 t.
func formerQ(c *twin.Chemical) float64 {
	switch c.CAS {
	case "98-95-3", "62-53-3", "108-95-2":
		return 500
	}
	if c.CriticalQT > 0 {
		return c.CriticalQT
	}
	return math.Inf(1)
}
