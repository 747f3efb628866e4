package report

import (
	"fmt"
	"math"
)

// metresPerDegree is the length of a degree of latitude (and of longitude
// at the equator) on a sphere of the earth's mean radius: close enough for
// a scale bar over a park.
const metresPerDegree = 6371008.8 * math.Pi / 180

// projection maps longitude/latitude onto a w×h box whose y grows down:
// equirectangular, longitude scaled by cos of the middle latitude so that
// a park keeps its shape, fitted to the box and centred in it.
type projection struct {
	west, north float64
	cos         float64 // cos of the middle latitude
	scale       float64 // box units per degree of latitude
	dx, dy      float64 // offsets that centre the map
}

// newProjection fits m's bounds into a w×h box. Bounds that are missing or
// empty are worked out from what the map draws.
func newProjection(m Map, w, h float64) projection {
	west, south, east, north := bounds(m)
	mid := (south + north) / 2 * math.Pi / 180
	p := projection{west: west, north: north, cos: math.Cos(mid)}
	spanX, spanY := (east-west)*p.cos, north-south
	p.scale = math.Min(w/spanX, h/spanY)
	p.dx, p.dy = (w-spanX*p.scale)/2, (h-spanY*p.scale)/2
	return p
}

// xy returns where pt lies in the box.
func (p projection) xy(pt [2]float64) (x, y float64) {
	return p.dx + (pt[0]-p.west)*p.cos*p.scale, p.dy + (p.north-pt[1])*p.scale
}

// metres returns how many metres a length of box units stands for.
func (p projection) metres(units float64) float64 {
	return units / p.scale * metresPerDegree
}

// scaleBar returns a round distance whose bar is at most maxUnits long,
// the bar's length in box units and its label ("500 m", "2 km").
func (p projection) scaleBar(maxUnits float64) (length float64, label string) {
	most := p.metres(maxUnits)
	d := math.Pow(10, math.Floor(math.Log10(most)))
	for _, f := range []float64{5, 2, 1} {
		if f*d <= most {
			d *= f
			break
		}
	}
	length = maxUnits * d / most
	if d >= 1000 {
		return length, fmt.Sprintf("%g km", d/1000)
	}
	return length, fmt.Sprintf("%g m", d)
}

// bounds returns m's bounds as west, south, east, north: its own when they
// are a real box, else the box around its points, padded so that a single
// point still has a box around it.
func bounds(m Map) (west, south, east, north float64) {
	west, south, east, north = m.Bounds[0], m.Bounds[1], m.Bounds[2], m.Bounds[3]
	if east > west && north > south && finite(west, south, east, north) {
		return west, south, east, north
	}
	west, south, east, north = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(pt [2]float64) {
		if !finite(pt[0], pt[1]) {
			return
		}
		west, east = math.Min(west, pt[0]), math.Max(east, pt[0])
		south, north = math.Min(south, pt[1]), math.Max(north, pt[1])
	}
	for _, in := range m.Incidents {
		grow(in.Point)
	}
	for _, r := range m.Routes {
		for _, pt := range r.Line {
			grow(pt)
		}
	}
	if west > east { // nothing to draw: any box will do
		return 0, 0, 0.01, 0.01
	}
	const pad = 0.002 // degrees: about 200 m
	return west - pad, south - pad, east + pad, north + pad
}

// labelSide says where a vehicle's label at the start of its projected
// route stays clear of it: left of the start when the route sets off to
// the right, above it when it sets off downwards (y grows down).
func labelSide(route [][2]float64) (left, above bool) {
	if len(route) < 2 {
		return false, true
	}
	return route[1][0] >= route[0][0], route[1][1] >= route[0][1]
}

// projectLine returns the line's points in the box, leaving out those
// that are not numbers.
func (p projection) projectLine(line [][2]float64) [][2]float64 {
	var out [][2]float64
	for _, pt := range line {
		if finite(pt[0], pt[1]) {
			x, y := p.xy(pt)
			out = append(out, [2]float64{x, y})
		}
	}
	return out
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
