// Package demo generates a deterministic demo park: the Hangzhou Bay
// Shangyu Economic and Technological Development Zone on the south shore
// of Hangzhou Bay, filled with synthetic enterprises, tank farms, rescue
// forces, roads, sensitive targets and the sensors that watch tanks, pools
// and stores. Kinds, sizes and mixes follow domain.md §8; every name, code
// and number of an enterprise or person is invented.
//
// The layout is built in metres east and north of the park's centre and
// projected to WGS84 at the end, rounded to 7 decimals (about 1 cm), so
// that road segments meeting at a junction share its exact coordinates.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/chem"
	"parktwin/twin/spatial"
)

// MaxScale is the largest scale Generate builds; a larger one is taken as
// MaxScale. Beyond it the parcels of the finer grid grow too small for
// tank farms.
const MaxScale = 15

// The counts of one scale unit. Scale N multiplies each.
const (
	enterprisesPerUnit = 64
	farmsPerUnit       = 96
	tanksPerUnit       = 400
	hazardUnitsPerUnit = 15
	targetsPerUnit     = 10
	// edgeTargetsPerUnit is the number of targets at the park's south
	// and west edges (nearby.go), besides the dormitories inside it.
	edgeTargetsPerUnit = 5
)

// Generate returns the entities of a demo park in load order (the order
// of twin.Kinds: the park, the chemical catalogue, enterprises, tanks,
// sewage pools, waste stores, hazard units, warehouses, teams, roads,
// targets, sensors), each kind in the order of its IDs' numbers. Creating
// them in this order, in one Apply on an empty twin, succeeds. The same
// seed and scale always give the same entities; scale (1 to MaxScale)
// multiplies every count, that of sensors about, since it follows the mix
// of tanks and farms.
func Generate(seed uint64, scale int) []twin.Entity {
	return GenerateWith(seed, scale, Options{})
}

func newGen(seed uint64, scale int) *gen {
	scale = min(max(scale, 1), MaxScale)
	g := &gen{
		r:     rand.New(rand.NewPCG(seed, 0x5348414e47595521)),
		seed:  seed,
		scale: scale,
		proj:  spatial.NewProjection(parkCentre),
		chems: map[string]*twin.Chemical{},
		used:  map[string]bool{},

		sensorDigits: 5,
		today:        twin.NewDate(ReferenceDay.Year(), ReferenceDay.Month(), ReferenceDay.Day()),
	}
	g.catalogue = chem.Catalogue()
	for _, c := range g.catalogue {
		g.chems[c.CAS] = c
	}
	return g
}

// build lays out the park and fills it, sensors last but for the
// benzene farm's.
func (g *gen) build() {
	g.layOut()
	g.reserveFacilities()
	g.planEnterprises()
	g.placeEnterprises()
	g.chooseHazardUnits()
	g.outside()
	g.rescueForces()
	g.instrument()
	g.benzeneFarms()     // it changes nothing built before it
	g.gasFarmDetectors() // nor does this
	g.specialDutyFleet() // nor this
	g.districtStations(g.seed)
	g.nearbyTargets(g.seed)
	g.bandStations(g.seed)
}

// gen holds the generator's state while it builds one park.
type gen struct {
	r     *rand.Rand
	seed  uint64 // for the steps that draw from a generator of their own
	scale int
	proj  spatial.Projection

	catalogue []*twin.Chemical
	chems     map[string]*twin.Chemical // by CAS, for lookups only
	used      map[string]bool           // names, codes, phones and plates given out

	xs, ys     []float64 // the grid's N–S and E–W street lines
	cells      []*cell
	facilities []*facility
	net        network
	south      *street     // the road south of the park
	stations   []orb.Point // sites of the district fire stations, in metres

	ents       []*ent
	units      []*twin.HazardUnit
	warehouses []*twin.Warehouse
	teams      []*twin.Team
	targets    []*twin.Target
	sensors    []*twin.Sensor
	// sensorDigits is the width of a sensor ID's number: 5, or more for
	// a park of more sensors, so that IDs sort in the order of numbers.
	sensorDigits int
	// today is the day the stock is dated from (Options.Now).
	today twin.Date
}

// entities assembles the park's entities in load order.
func (g *gen) entities() []twin.Entity {
	var es []twin.Entity
	es = append(es, g.park())
	for _, c := range g.catalogue {
		es = append(es, c)
	}
	for _, e := range g.ents {
		es = append(es, e.ent)
	}
	for _, e := range g.ents {
		for _, f := range e.farms {
			for _, t := range f.tanks {
				es = append(es, t)
			}
		}
	}
	for _, e := range g.ents {
		es = append(es, e.pool)
	}
	for _, e := range g.ents {
		es = append(es, e.store)
	}
	for _, u := range g.units {
		es = append(es, u)
	}
	for _, w := range g.warehouses {
		es = append(es, w)
	}
	for _, t := range g.teams {
		es = append(es, t)
	}
	for i, p := range g.net.segments() {
		es = append(es, &twin.Road{
			ID:               fmt.Sprintf("RD-%05d", i+1),
			Name:             p.name,
			Line:             g.line(p.line),
			Class:            p.class,
			SpeedKmh:         p.speed,
			OneWay:           p.oneWay,
			HazmatRestricted: p.hazmat,
		})
	}
	for _, t := range g.targets {
		es = append(es, t)
	}
	for _, s := range g.sensors {
		es = append(es, s)
	}
	return es
}

// ll returns the WGS84 position of a point given in metres from the
// park's centre, rounded to 7 decimals so that equal points stay equal.
func (g *gen) ll(p orb.Point) orb.Point {
	q := g.proj.Inverse(p)
	return orb.Point{round7(q[0]), round7(q[1])}
}

func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

func (g *gen) line(ps []orb.Point) orb.LineString {
	ls := make(orb.LineString, len(ps))
	for i, p := range ps {
		ls[i] = g.ll(p)
	}
	return ls
}

// polygon returns the WGS84 polygon of a ring given in metres, closed and
// counter-clockwise as RFC 7946 asks of an outer ring.
func (g *gen) polygon(ps []orb.Point) orb.Polygon {
	ring := make(orb.Ring, 0, len(ps)+1)
	for _, p := range ps {
		ring = append(ring, g.ll(p))
	}
	ring = append(ring, ring[0])
	if ring.Orientation() == orb.CW {
		ring.Reverse()
	}
	return orb.Polygon{ring}
}

// between returns a uniform number in [lo, hi).
func (g *gen) between(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

// intBetween returns a uniform integer in [lo, hi].
func (g *gen) intBetween(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// weighted returns an index into weights, drawn in proportion to them.
func (g *gen) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// date returns a day between from and to, inclusive.
func (g *gen) date(from, to twin.Date) twin.Date {
	days := int(to.Time().Sub(from.Time()).Hours() / 24)
	t := from.Time()
	return twin.NewDate(t.Year(), t.Month(), t.Day()+g.r.IntN(days+1))
}

// unique calls fn until it returns a value not given out before.
func (g *gen) unique(fn func() string) string {
	for {
		s := fn()
		if !g.used[s] {
			g.used[s] = true
			return s
		}
	}
}

// phone returns a new Shangyu landline number.
func (g *gen) phone() string {
	return g.unique(func() string { return fmt.Sprintf("0575-82%06d", g.r.IntN(1_000_000)) })
}

// mobile returns a new mobile number.
func (g *gen) mobile() string {
	return g.unique(func() string {
		return fmt.Sprintf("1%d%d%08d", 3+g.r.IntN(6), g.r.IntN(10), g.r.IntN(100_000_000))
	})
}
