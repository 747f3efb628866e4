package spatial_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"parktwin/twin/spatial"
)

// Over the park's distances the planar projection agrees with the
// great-circle distance on the same sphere to well under a metre per
// kilometre.
func TestDistanceAgreesWithHaversine(t *testing.T) {
	a := orb.Point{120.85, 30.17}
	for _, b := range []orb.Point{{120.86, 30.17}, {120.85, 30.18}, {120.95, 30.22}, {120.75, 30.12}} {
		got, want := spatial.Distance(a, b), haversine(a, b)
		if math.Abs(got-want) > want/2000 { // half a metre per kilometre
			t.Errorf("%v–%v: %.2f m, haversine %.2f m", a, b, got, want)
		}
	}
}

// haversine is the great-circle distance on the sphere spatial uses.
func haversine(a, b orb.Point) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dlat, dlon := (b[1]-a[1])*rad, (b[0]-a[0])*rad
	h := math.Pow(math.Sin(dlat/2), 2) + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*math.Pow(math.Sin(dlon/2), 2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

func TestOffsetAndBack(t *testing.T) {
	p := spatial.Offset(orb.Point{120.85, 30.17}, 300, -400)
	if d := spatial.Distance(orb.Point{120.85, 30.17}, p); math.Abs(d-500) > 0.5 {
		t.Errorf("offset 300 m east, 400 m south lies %.2f m away, want 500", d)
	}
}

func TestDistanceToPolygon(t *testing.T) {
	sq := orb.Polygon{{{120.80, 30.10}, {120.90, 30.10}, {120.90, 30.20}, {120.80, 30.20}, {120.80, 30.10}}}
	if d := spatial.DistanceToPolygon(sq, orb.Point{120.85, 30.15}); d != 0 {
		t.Errorf("inside: %v, want 0", d)
	}
	east := spatial.Offset(orb.Point{120.90, 30.15}, 1000, 0)
	if d := spatial.DistanceToPolygon(sq, east); math.Abs(d-1000) > 1 {
		t.Errorf("1 km east of the edge: %.1f m", d)
	}
}
