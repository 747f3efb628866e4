// Package spatial holds the geometry the twin needs beyond orb: distances
// in metres between WGS84 points, segments and polygons, computed in a
// local planar projection on a sphere of the Earth's mean radius. Over the
// tens of kilometres of a park the projection adds far less than a metre
// per kilometre to the sphere's own departure from the WGS84 ellipsoid
// (a few metres per kilometre): nothing for distances, reach or ETAs.
package spatial

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// earthRadiusM is the mean Earth radius, as orb/geo uses.
const earthRadiusM = 6371008.8

// Projection maps WGS84 longitude and latitude to metres east and north
// of an origin (an equirectangular projection about the origin's
// latitude).
type Projection struct {
	origin orb.Point
	kx, ky float64 // metres per degree
}

// NewProjection returns a projection about origin.
func NewProjection(origin orb.Point) Projection {
	ky := earthRadiusM * math.Pi / 180
	return Projection{origin: origin, kx: ky * math.Cos(origin[1]*math.Pi/180), ky: ky}
}

// Forward returns p in metres east and north of the origin.
func (pr Projection) Forward(p orb.Point) orb.Point {
	return orb.Point{(p[0] - pr.origin[0]) * pr.kx, (p[1] - pr.origin[1]) * pr.ky}
}

// Inverse returns the longitude and latitude of a point given in metres
// east and north of the origin.
func (pr Projection) Inverse(m orb.Point) orb.Point {
	return orb.Point{pr.origin[0] + m[0]/pr.kx, pr.origin[1] + m[1]/pr.ky}
}

// Offset returns the point dx metres east and dy metres north of p.
func Offset(p orb.Point, dx, dy float64) orb.Point {
	return NewProjection(p).Inverse(orb.Point{dx, dy})
}

// Distance returns the distance in metres between a and b.
func Distance(a, b orb.Point) float64 {
	pr := NewProjection(a)
	return planar.Distance(pr.Forward(a), pr.Forward(b))
}

// DistanceToSegment returns the distance in metres from p to the segment
// from a to b.
func DistanceToSegment(p, a, b orb.Point) float64 {
	pr := NewProjection(p)
	return segmentDistance(orb.Point{}, pr.Forward(a), pr.Forward(b))
}

// segmentDistance is the planar distance from p to the segment ab.
func segmentDistance(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
		t = max(0, min(1, t))
	}
	return math.Hypot(p[0]-(a[0]+t*dx), p[1]-(a[1]+t*dy))
}

// DistanceToPolygon returns the distance in metres from p to the polygon:
// zero when p lies inside it, else the distance to its nearest edge.
func DistanceToPolygon(pg orb.Polygon, p orb.Point) float64 {
	if planar.PolygonContains(pg, p) {
		return 0
	}
	pr := NewProjection(p)
	best := math.Inf(1)
	for _, ring := range pg {
		for i := 0; i+1 < len(ring); i++ {
			d := segmentDistance(orb.Point{}, pr.Forward(ring[i]), pr.Forward(ring[i+1]))
			best = min(best, d)
		}
	}
	return best
}

// Vertices returns every vertex of g.
func Vertices(g orb.Geometry) []orb.Point {
	var ps []orb.Point
	switch g := g.(type) {
	case orb.Point:
		ps = append(ps, g)
	case orb.LineString:
		ps = append(ps, g...)
	case orb.Polygon:
		for _, r := range g {
			ps = append(ps, r...)
		}
	case orb.Ring:
		ps = append(ps, g...)
	case orb.MultiPoint:
		ps = append(ps, g...)
	}
	return ps
}
