package demo

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// The built-in drill benzene-tank-fire (scenarios/builtin) needs benzene
// in floating-roof tanks, which the random mix of farms seldom gives:
// benzene is one of eleven class-A chemicals. So the park gets a benzene
// farm per scale unit once everything else is built, drawing nothing from
// the generator, so that no other entity changes and the farms' tanks,
// sensors and roads take the next free IDs.
const (
	benzeneCAS   = "71-43-2"
	benzeneTanks = 2
	benzeneM3    = 5000 // the largest internal floating roof it takes
	benzeneSpace = 0.5  // the gap between tanks in diameters, within the generator's 0.4–1
	benzeneFill  = 0.85 // within the generator's 0.8–0.9
)

// benzeneFarms adds a farm of two internal floating-roof benzene tanks
// (GB 50160 keeps class 甲B liquids such as benzene in floating-roof tanks
// [unverified]) to each of the first enterprises, one per scale unit,
// that nitrate or chlorinate — benzene is the feed of nitrobenzene and
// chlorobenzene — and have one farm: on the free side of the spine, its
// fire lane joined to the spine where the first farm's link leaves it.
// The farm has the instruments of every tank and a ring of
// combustible-gas detectors on its dike, with the settings of GB/T 50493
// (first alarm 25 % LEL, second 50 %). Where no enterprise has room, the
// park gets fewer.
func (g *gen) benzeneFarms() {
	feeds := func(p twin.Process) bool { return p == twin.Nitration || p == twin.Chlorination }
	added := 0
	for _, e := range g.ents {
		if added == g.scale {
			return
		}
		if e.spare == ([2]float64{}) || !slices.ContainsFunc(e.ent.Processes, feeds) {
			continue
		}
		l, ok := fit(twin.InternalFloatingRoof, benzeneM3, benzeneTanks, benzeneSpace,
			e.spare[1]-e.spare[0], e.zone[1]-e.zone[0])
		if !ok || l.typ != twin.InternalFloatingRoof {
			continue
		}
		rw, rd := l.size()
		// The ring's near side faces the spine, its middle across from
		// the first farm's link, as far as the farm zone allows.
		lv := e.firstLink
		v0 := clamp(lv-rd/2, e.zone[0], e.zone[1]-rd)
		if lv <= v0 || lv >= v0+rd {
			continue
		}
		u0, near, far := e.us+8, e.us+8, e.us+8+rw
		if e.spare[0] < e.us {
			u0, near, far = e.us-8-rw, e.us-8, e.us-8-rw
		}
		g.placeBenzene(e, l, u0, v0, lv, near, far)
		added++
	}
}

// placeBenzene creates the benzene farm in the ring whose corner nearest
// the cell's west edge and street front is (u0, v0), its roads and its
// sensors.
func (g *gen) placeBenzene(e *ent, l layout, u0, v0, lv, near, far float64) {
	c := e.cell
	benzene := g.chems[benzeneCAS]
	f := &farm{kind: classA, name: tankLabel(benzene) + "罐区", n: benzeneTanks, typ: l.typ,
		chems: []*twin.Chemical{benzene}, space: benzeneSpace, fill: benzeneFill}
	fi := len(e.farms)
	e.farms = append(e.farms, f)
	for k := range f.n {
		row, col := k/l.cols, k%l.cols
		u := u0 + l.margin + l.d/2 + float64(col)*(l.d+l.gap)
		v := v0 + l.margin + l.along()/2 + float64(row)*(l.along()+l.gap)
		f.tanks = append(f.tanks, &twin.Tank{
			ID:         fmt.Sprintf("TNK-%04d-%02d", e.num, len(e.tankIDs())+1),
			Name:       fmt.Sprintf("T-%d%02d %s储罐", fi+1, k+1, tankLabel(benzene)),
			Enterprise: e.ent.ID, Farm: f.name, Chemical: benzeneCAS, Type: l.typ,
			DiameterM: l.d, HeightM: l.h, CapacityM3: l.capM3, MaxFill: f.fill,
			Position: g.ll(c.at(u, v)),
			// Benzene's Q is 50 t: most such tanks have one (sisChance).
			SIS:            true,
			LastInspection: twin.NewDate(2025, 9, 15),
		})
		f.load += l.capM3 * f.fill * benzene.DensityKgM3 / 1000 / benzene.CriticalQT
	}
	rw, rd := l.size()
	f.ring = c.rect(u0, u0+rw, v0, v0+rd)

	link := c.at(near, lv)
	g.net.add(piece{line: []orb.Point{c.at(e.us, lv), link}, name: e.short + "厂区道路", class: twin.Access, speed: 15})
	lane := e.short + f.name + "消防车道"
	corners := []orb.Point{link, c.at(near, v0+rd), c.at(far, v0+rd), c.at(far, v0), c.at(near, v0), link}
	for i := 0; i+1 < len(corners); i++ {
		g.net.add(piece{line: []orb.Point{corners[i], corners[i+1]}, name: lane, class: twin.Access, speed: 15})
	}

	for _, t := range f.tanks {
		g.tankSensors(t)
	}
	for i, p := range g.detectorRing(f, benzeneCAS) {
		g.addSensor(&twin.Sensor{
			Name:    fmt.Sprintf("%s %d#可燃气体探测器", f.name, i+1),
			Subject: f.tanks[0].ID, Type: twin.CombustibleGas,
			Limits: limits(math.NaN(), math.NaN(), 25, 50), Deadband: 2, OnDelayS: 3, Position: g.ll(p),
		})
	}
}
