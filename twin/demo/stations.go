package demo

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// districtStations sites more fire stations in each scale unit's share
// of the park, besides the special-duty station (特勤站) in its middle, so
// that a station reaches the edge of its district within 5 minutes of
// the order: the siting rule of GB 51080-2015 §4.1.3, which the dispatch
// rules take as their response target. One station in the middle of a
// 12.8 × 5.8 km park left half the farms beyond 300 s (issue 13, point
// 15). Three stand on the north edge and three on the south, a seventh
// and eighth on vacant parcels in the west and east middle where there
// is one. Each has eight vehicles, the fleet of a special-duty station
// (domain.md §8: 8–11): foam tenders, one of them alcohol-resistant, two
// heavy water tenders, a high-flow monitor, a rescue vehicle, a
// gas-protection vehicle (气防车) and a hazmat detection vehicle; they
// are typed special-duty-station and share its turnout and coverage
// rules. The one in the middle keeps the fuller fleet (aerial platform,
// decontamination, command, a second high-flow monitor).
//
// It runs after the park is built: the edge stations stand on the strip
// between the grid's edge street and the boundary, which holds no
// parcel, each with a drive from a junction, so that no street is cut
// and no road ID moves; teams are numbered after the others, and it
// draws from a generator of its own, so that no other ID or figure
// moves.
func (g *gen) districtStations(seed uint64) {
	saved := g.r
	g.r = rand.New(rand.NewPCG(seed, 0x53544154494f4e)) // "STATION"
	defer func() { g.r = saved }()

	span := 2 * gridHalfW / float64(g.scale)
	for k := range g.scale {
		cx := -gridHalfW + (float64(k)+0.5)*span
		suffix := ""
		if g.scale > 1 {
			suffix = cnNum(k + 1)
		}
		top, bottom := g.ys[len(g.ys)-1], g.ys[0]
		for _, d := range []struct {
			name string
			x, y float64
			edge bool // on the strip between the edge street and the boundary
		}{
			{"西北", -1.0 / 3, top, true}, {"北", 0, top, true}, {"东北", 1.0 / 3, top, true},
			{"西南", -1.0 / 3, bottom, true}, {"南", 0, bottom, true}, {"东南", 1.0 / 3, bottom, true},
			{"西", -0.25, 0, false}, {"东", 0.42, 0, false},
		} {
			var base orb.Point
			if d.edge {
				base = g.edgeSite(orb.Point{cx + d.x*span, d.y})
			} else if b, ok := g.stationSite(orb.Point{cx + d.x*span, d.y}); ok {
				base = b
			} else {
				continue
			}
			name := "园区" + d.name + suffix + "消防站"
			g.team(name, twin.SpecialDutyStation, base, 30, nil,
				[]twin.Capability{twin.CapFirefighting, twin.CapFoam, twin.CapCooling, twin.CapHazmatDetection,
					twin.CapLeakSealing, twin.CapConfinedSpaceRescue, twin.CapGasProtection},
				foamTender, arFoamTender, waterTender, waterTender, highFlow, rescue, gasProtection, hazmat)
		}
	}
}

// stationSite takes the vacant parcel nearest p, if one lies within
// 2.5 km (1 km left the east middle of the demo park without its station
// and three farms there beyond 5 minutes, issue 13 point 15), and returns a base in its front corner by a junction, with the
// drive from the junction.
func (g *gen) stationSite(p orb.Point) (orb.Point, bool) {
	var best *cell
	var bestBase, bestJunction orb.Point
	bestD := 2500.0
	for _, c := range g.cells {
		if c.taken {
			continue
		}
		for _, u := range []float64{40, c.width() - 40} {
			base := c.at(u, 40)
			x, ok := g.junctionX(base)
			if !ok {
				continue
			}
			if d := math.Hypot(base[0]-p[0], base[1]-p[1]); d < bestD {
				best, bestD, bestBase, bestJunction = c, d, base, orb.Point{x, c.street.at}
			}
		}
	}
	if best == nil {
		return orb.Point{}, false
	}
	best.taken = true
	g.net.add(piece{line: []orb.Point{bestJunction, bestBase}, name: "消防站出入口", class: twin.Access, speed: 20})
	return bestBase, true
}

// junctionX returns the N–S street within 150 m east or west of p.
func (g *gen) junctionX(p orb.Point) (float64, bool) {
	for _, x := range g.xs {
		if abs(p[0]-x) < 150 {
			return x, true
		}
	}
	return 0, false
}

// edgeSite returns a base on the strip between the grid's edge street
// at p[1] and the boundary, which holds no parcel, beside the junction
// nearest p, with its drive from the junction.
func (g *gen) edgeSite(p orb.Point) orb.Point {
	x := g.xs[0]
	for _, v := range g.xs {
		if abs(v-p[0]) < abs(x-p[0]) {
			x = v
		}
	}
	out := 70.0 // away from the parcels
	if p[1] < 0 {
		out = -out
	}
	junction, base := orb.Point{x, p[1]}, orb.Point{x + 40, p[1] + out}
	g.net.add(piece{line: []orb.Point{junction, base}, name: "消防站出入口", class: twin.Access, speed: 20})
	return base
}

// bandStations sites what the district stations left beyond 5 minutes
// (GB 51080-2015 §4.1.3, issue 13 point 15), in each scale unit's share
// of the park:
//
//   - Two park fire stations on the vacant parcels nearest the west
//     and the middle of the street across the upper middle of the park
//     (纬三路 in the demo park): the plants there front that street, their
//     farms 200–460 m in along 15–20 km/h plant roads, 1.6 km from the
//     north edge stations and 1.8 km from the middle ones, and no station
//     stood on the street itself. Each is named for the N–S street at
//     whose junction it stands. Like the district stations they are
//     typed special-duty-station (fire-station is the district's station
//     outside the park) and have their fleet of eight.
//   - A full-time fire brigade (企业专职消防队) at the enterprise of the
//     south-east with the most tank capacity and no brigade of its own
//     (in the demo park 晟恒化工物流, a storage company of floating-roof
//     and LPG tanks; its neighbour 晟航色素's two farms lay 1.7 km up 经八路
//     and 1.1 km along 纬二路 from the south-east station, 342 and 360 s).
//     Its base is in the enterprise's front yard, as the other brigades',
//     and its vehicles theirs (domain.md §8: 2–4): a foam tender
//     (alcohol-resistant where the enterprise stores water-soluble
//     liquids), a water tender and a gas-protection vehicle; its turnout
//     is a brigade's (90 s).
//
// It runs last, after the targets, and draws from a generator of its
// own: teams are numbered after every other, the drives added after
// every other segment, no street is cut, so that no existing ID moves.
func (g *gen) bandStations(seed uint64) {
	saved := g.r
	g.r = rand.New(rand.NewPCG(seed, 0x42414e44)) // "BAND"
	defer func() { g.r = saved }()

	span := 2 * gridHalfW / float64(g.scale)
	for k := range g.scale {
		cx := -gridHalfW + (float64(k)+0.5)*span
		for _, x := range []float64{-0.40, 0} {
			base, ok := g.stationSite(orb.Point{cx + x*span, 0.35 * gridHalfH})
			if !ok {
				continue
			}
			jx, _ := g.junctionX(base)
			name := g.nsStreet(jx).name + "消防站"
			if !strings.HasPrefix(name, "园区") {
				name = "园区" + name
			}
			g.team(name, twin.SpecialDutyStation, base, 30, nil,
				[]twin.Capability{twin.CapFirefighting, twin.CapFoam, twin.CapCooling, twin.CapHazmatDetection,
					twin.CapLeakSealing, twin.CapConfinedSpaceRescue, twin.CapGasProtection},
				foamTender, arFoamTender, waterTender, waterTender, highFlow, rescue, gasProtection, hazmat)
		}

		// The brigade: the enterprise with the most tank capacity whose
		// gate lies within 1.5 km of the unit's south-east corner (the
		// corner's plants, not the middle's).
		se := orb.Point{cx + 0.42*span, -0.25 * gridHalfH}
		var best *ent
		bestCap := 0.0
		for _, e := range g.ents {
			gate := e.cell.at(e.us, 0)
			if e.ent.FireBrigade || math.Hypot(gate[0]-se[0], gate[1]-se[1]) > 1500 {
				continue
			}
			if c := e.capacity(); c > bestCap {
				best, bestCap = e, c
			}
		}
		if best == nil {
			continue
		}
		best.ent.FireBrigade = true
		foam := brigadeFoam
		if best.arFoam {
			foam.name, foam.foam = "抗溶泡沫消防车", twin.ARAFFF3
		}
		g.team(best.short+"专职消防队", twin.EnterpriseBrigade, best.cell.at(best.us+24, best.front*0.7), 18, best,
			[]twin.Capability{twin.CapFirefighting, twin.CapFoam, twin.CapCooling, twin.CapGasProtection},
			foam, brigadeWater, gasProtection)
	}
}

// nsStreet returns the N–S street at x.
func (g *gen) nsStreet(x float64) *street {
	for _, s := range g.net.ns {
		if s.at == x {
			return s
		}
	}
	return nil
}

// capacity is the nominal capacity of the enterprise's tanks, in m³.
func (e *ent) capacity() float64 {
	c := 0.0
	for _, f := range e.farms {
		for _, t := range f.tanks {
			c += t.CapacityM3
		}
	}
	return c
}
