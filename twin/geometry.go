package twin

import (
	"fmt"
	"math"
	"parktwin/twin/msg"

	"github.com/paulmach/orb"
)

// The checks of well-formed geometry: WGS84 longitude and latitude, closed
// rings, enough points. Placement against the park is checked by the twin.

func validPoint(field string, p orb.Point) error {
	lon, lat := p[0], p[1]
	if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return Invalid(field, "[%v, %v] is not a WGS84 longitude and latitude", lon, lat)
	}
	if lon == 0 && lat == 0 {
		return Invalid(field, "position required")
	}
	return nil
}

func validLine(field string, ls orb.LineString) error {
	if len(ls) < 2 {
		return Invalid(field, "a line needs at least 2 points, got %d", len(ls))
	}
	for i, p := range ls {
		if err := validPoint(fmt.Sprintf("%s[%d]", field, i), p); err != nil {
			return err
		}
	}
	return nil
}

func validPolygon(field string, pg orb.Polygon) error {
	if len(pg) == 0 {
		return Invalid(field, "a polygon needs at least one ring")
	}
	for r, ring := range pg {
		f := fmt.Sprintf("%s[%d]", field, r)
		if len(ring) < 4 {
			return Invalid(f, "a ring needs at least 4 points, got %d", len(ring))
		}
		if ring[0] != ring[len(ring)-1] {
			return Invalid(f, "the ring is not closed: its first and last points differ")
		}
		for i, p := range ring {
			if err := validPoint(fmt.Sprintf("%s[%d]", f, i), p); err != nil {
				return err
			}
		}
		if ringArea(ring) == 0 {
			return Invalid(f, "the ring has no area")
		}
	}
	return nil
}

// ringArea is the ring's area in square degrees; only its sign and whether
// it is zero matter here.
func ringArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i < len(r)-1; i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}

func geometryType(g orb.Geometry) string {
	if g == nil {
		return "null"
	}
	return g.GeoJSONType()
}

func wantPoint(g orb.Geometry) (orb.Point, error) {
	p, ok := g.(orb.Point)
	if !ok {
		return p, Reasoned(EINVALID, "geometry", "want a Point, got "+geometryType(g), msg.New("error.geometry", "field", "geometry", "want", "Point", "got", geometryType(g)))
	}
	return p, nil
}

func wantPolygon(g orb.Geometry) (orb.Polygon, error) {
	p, ok := g.(orb.Polygon)
	if !ok {
		return nil, Reasoned(EINVALID, "geometry", "want a Polygon, got "+geometryType(g), msg.New("error.geometry", "field", "geometry", "want", "Polygon", "got", geometryType(g)))
	}
	return p, nil
}

func wantLine(g orb.Geometry) (orb.LineString, error) {
	l, ok := g.(orb.LineString)
	if !ok {
		return nil, Reasoned(EINVALID, "geometry", "want a LineString, got "+geometryType(g), msg.New("error.geometry", "field", "geometry", "want", "LineString", "got", geometryType(g)))
	}
	return l, nil
}
