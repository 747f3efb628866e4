package demo

import (
	"slices"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// network collects the road network while the park is laid out: straight
// streets, which are cut into segments at every junction made on them,
// and pieces that are segments already.
type network struct {
	ew, ns []*street // the grid
	others []*street // the southern road, the expressway
	pieces []piece
}

// street is a straight road along one axis. Its junctions are its stops,
// given as the coordinate along the axis; its ends are its first and last
// stop.
type street struct {
	name       string
	class      twin.RoadClass
	speed      float64
	horizontal bool    // runs east–west
	at         float64 // its y when horizontal, else its x
	stops      []float64
	dual       bool // a dual carriageway: each segment is a one-way pair
	hazmat     bool
}

func (s *street) point(t float64) orb.Point {
	if s.horizontal {
		return orb.Point{t, s.at}
	}
	return orb.Point{s.at, t}
}

// stop makes a junction at t and returns its point.
func (s *street) stop(t float64) orb.Point {
	s.stops = append(s.stops, t)
	return s.point(t)
}

// piece is one road segment between two junctions, in metres.
type piece struct {
	line   []orb.Point
	name   string
	class  twin.RoadClass
	speed  float64
	oneWay bool
	hazmat bool
}

func (n *network) add(p piece) { n.pieces = append(n.pieces, p) }

// segments returns every segment of the network: the streets cut at
// their junctions, then the pieces in the order they were added.
func (n *network) segments() []piece {
	var ps []piece
	for _, s := range slices.Concat(n.ew, n.ns, n.others) {
		stops := slices.Clone(s.stops)
		slices.Sort(stops)
		stops = slices.Compact(stops)
		for i := 0; i+1 < len(stops); i++ {
			a, b := s.point(stops[i]), s.point(stops[i+1])
			p := piece{line: []orb.Point{a, b}, name: s.name, class: s.class, speed: s.speed, hazmat: s.hazmat}
			if !s.dual {
				ps = append(ps, p)
				continue
			}
			back := p
			back.line = []orb.Point{b, a}
			p.oneWay, back.oneWay = true, true
			ps = append(ps, p, back)
		}
	}
	return append(ps, n.pieces...)
}
