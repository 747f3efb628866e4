package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/spatial"
)

// nearbyTargets places the sensitive targets that stand at and in the
// park, as in the real zone, where villages, the edge of 沥海 (Lihai, the
// town west of the zone) and worker dormitories lie a few hundred metres
// from plants (positions approximate, [unverified] against a survey):
// worker dormitories on vacant parcels next to major hazard plants; off
// the south edge a village, a hamlet of scattered houses, a dormitory or
// a school in turn; off the west edge the town's edge. Most stand within
// 500 m of a plant boundary, so that GB 18218 α (Table 5) is not 0.5 for
// every unit; the targets south of the south road, 4.4–6.9 km off, are
// kept as they were.
//
// It runs after the park is built and draws from a generator of its own,
// numbering targets after the others and adding its roads after every
// other segment, so that no existing ID moves.
func (g *gen) nearbyTargets(seed uint64) {
	r := rand.New(rand.NewPCG(seed, 0x4e4541524259)) // "NEARBY"
	between := func(lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }
	intBetween := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	name := func() string {
		return g.unique(func() string {
			return string(placeFirst[r.IntN(len(placeFirst))]) + string(placeSecond[r.IntN(len(placeSecond))])
		})
	}
	g.dormitories(r, name)

	// The sites: a road leaves a junction of the grid's edge street,
	// aslant, for a point off the middle of the parcel beside it, outside
	// the boundary; the southern row and the western column of parcels
	// begin 375 m inside the boundary.
	type site struct {
		from, bend orb.Point
		west       bool
	}
	south := boundaryM[0][1]
	west := boundaryM[0][0]
	var sites []site
	for i := 1; i < len(g.xs)-1; i++ {
		x, y0 := g.xs[i], g.ys[0]
		for _, side := range []int{-1, 1} {
			xc := x + float64(side)*abs(g.xs[i+side]-x)/4
			sites = append(sites, site{from: orb.Point{x, y0}, bend: orb.Point{xc, y0 - 80}})
		}
	}
	for j := 1; j < len(g.ys)-1; j++ {
		sites = append(sites, site{from: orb.Point{g.xs[0], g.ys[j]}, bend: orb.Point{g.xs[0] - 80, g.ys[j]}, west: true})
	}
	// A fixed number for each scale unit, spread evenly over the sites,
	// so that targets and roads grow with the scale like every count.
	n := min(len(sites), edgeTargetsPerUnit*g.scale)
	for k := range n {
		s := sites[k*len(sites)/n]
		place := name()
		var t twin.Target
		var at orb.Point
		if s.west {
			// The edge of 沥海, 50 to 200 m west of the boundary.
			t = twin.Target{Type: twin.Residential, Name: "沥海街道" + place + "社区", Population: 100 * intBetween(8, 30)}
			at = orb.Point{west - between(50, 200), s.bend[1] + between(-150, 150)}
		} else {
			// 30 to 150 m outside the boundary: within 500 m of the
			// southern row's plants, but for the school.
			y := south - between(30, 150)
			switch k % 4 {
			case 0:
				t = twin.Target{Type: twin.Residential, Name: place + "村", Population: 10 * intBetween(6, 40)}
			case 1:
				// Scattered houses left on the flats: fewer than 50
				// people, α 1.0 or 1.2.
				t = twin.Target{Type: twin.Residential, Name: place + "散居户", Population: intBetween(8, 45)}
			case 2:
				t = twin.Target{Type: twin.Residential, Name: place + "职工宿舍", Population: 100 * intBetween(3, 12)}
			default:
				t = twin.Target{Type: twin.School, Name: place + "小学", Population: 100 * intBetween(4, 12)}
				y = south - between(400, 700) // a school keeps farther off
			}
			at = orb.Point{s.bend[0] + between(-60, 60), y}
		}
		t.ID = fmt.Sprintf("TGT-%02d", len(g.targets)+1)
		t.Position = g.ll(at)
		g.targets = append(g.targets, &t)
		// A village road, closed to hazardous goods vehicles like every
		// road to a village.
		g.net.add(piece{line: []orb.Point{s.from, s.bend, at}, name: t.Name + "连接路", class: twin.Branch, speed: 30, hazmat: true})
	}
}

// dormitories puts a worker dormitory (职工宿舍) on the vacant parcels
// with the most major hazard plants within 500 m, two for each scale
// unit: such dormitories are what GB 18218 α is there to count, and
// what a park's relocation plan lists first. Each stands in a front
// corner of its parcel, by a street junction, and needs no road of its
// own.
func (g *gen) dormitories(r *rand.Rand, name func() string) {
	var plants []*twin.Enterprise
	for _, u := range g.units {
		for _, e := range g.ents {
			if e.ent.ID == u.Enterprise {
				plants = append(plants, e.ent)
			}
		}
	}
	type site struct {
		at    orb.Point
		score int
	}
	var best []site
	for _, c := range g.cells {
		if c.taken {
			continue
		}
		top := site{score: -1}
		for _, at := range []orb.Point{c.at(60, 60), c.at(c.width()-60, 60)} {
			if !g.byJunction(at) {
				continue
			}
			n := 0
			for _, p := range plants {
				if spatial.DistanceToPolygon(p.Parcel, g.ll(at)) <= 450 {
					n++
				}
			}
			if n > top.score {
				top = site{at, n}
			}
		}
		if top.score > 0 {
			best = append(best, top)
		}
	}
	// The most exposed first; ties in the cells' order.
	slices.SortStableFunc(best, func(a, b site) int { return b.score - a.score })
	for _, s := range best[:min(len(best), 2*g.scale)] {
		t := &twin.Target{ID: fmt.Sprintf("TGT-%02d", len(g.targets)+1), Type: twin.Residential,
			Name: name() + "职工宿舍", Population: 100 * (2 + r.IntN(7)), Position: g.ll(s.at)}
		g.targets = append(g.targets, t)
	}
}

// byJunction reports whether p lies within 150 m east or west of a N–S
// street, so near a junction on the street in front of it.
func (g *gen) byJunction(p orb.Point) bool {
	for _, x := range g.xs {
		if abs(p[0]-x) < 150 {
			return true
		}
	}
	return false
}
