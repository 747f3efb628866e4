package hazard

import (
	"math"
)

// FootprintInput asks where a plume's ground-level concentration reaches a
// threshold.
type FootprintInput struct {
	PlumeSource
	ThresholdMgM3 float64 `json:"thresholdMgM3" unit:"mg/m³" doc:"concentration that bounds the footprint"`
}

// Validate adds the threshold to the source's checks.
func (in FootprintInput) Validate() error {
	return firstErr(in.PlumeSource.Validate(), positive("thresholdMgM3", in.ThresholdMgM3, 1e9, "mg/m³"))
}

// FootprintOutput is the ground area where the concentration is at least the
// threshold, in local metres: x downwind from the source, y crosswind (left
// of the wind positive). The caller rotates and places it.
type FootprintOutput struct {
	Reached       bool         `json:"reached" doc:"whether the threshold is reached anywhere between 100 m and 10 km"`
	StartM        float64      `json:"startM" unit:"m" doc:"nearest downwind distance at the threshold (100 m when it is already exceeded there)"`
	LengthM       float64      `json:"lengthM" unit:"m" doc:"farthest downwind distance at the threshold"`
	MaxHalfWidthM float64      `json:"maxHalfWidthM" unit:"m" doc:"largest crosswind half-width"`
	XAtMaxWidthM  float64      `json:"xAtMaxWidthM" unit:"m" doc:"downwind distance of that half-width"`
	Truncated     bool         `json:"truncated" doc:"the footprint goes on past 10 km, the model's range; it is cut there"`
	FromSource    bool         `json:"fromSource" doc:"the threshold is exceeded at 100 m, so the polygon is closed back to the source (the near field is outside the model's range and included whole)"`
	AreaM2        float64      `json:"areaM2" unit:"m²" doc:"area of the polygon"`
	Polygon       [][2]float64 `json:"polygon" unit:"m" doc:"closed ring [x, y], counter-clockwise, in local metres"`
}

// footprintStations is how many downwind stations outline the polygon.
const footprintStations = 48

// Footprint returns the ground-level footprint of a plume out to a
// concentration: its downwind extent and largest half-width, found by
// bisection on the centreline concentration C(x, 0, 0) and on
// y = σy √(2 ln(C(x,0,0)/T)), and the outline as a polygon. Valid as the
// plume is (100 m to 10 km, wind at least 1 m/s); a footprint that reaches
// 10 km is cut there and marked truncated.
func Footprint(in FootprintInput) (FootprintOutput, error) {
	if err := in.Validate(); err != nil {
		return FootprintOutput{}, err
	}
	return in.PlumeSource.footprint(in.ThresholdMgM3)
}

func (s PlumeSource) footprint(t float64) (FootprintOutput, error) {
	cls, _ := classes("", s.StabilityClass)
	c := func(x float64) float64 { return s.concentration(x, 0, 0) }
	half := func(x float64) float64 {
		v := c(x)
		if v <= t {
			return 0
		}
		sy, _ := sigmas(s.Dispersion, cls, x)
		return sy * math.Sqrt(2*math.Log(v/t))
	}
	const lo, hi, n = MinPlumeDistanceM, MaxPlumeDistanceM, 400
	end, ok := lastAbove(c, t, lo, hi, n)
	if !ok {
		return FootprintOutput{Polygon: [][2]float64{}}, nil
	}
	start, _ := firstAbove(c, t, lo, hi, n)
	out := FootprintOutput{Reached: true, StartM: start, LengthM: end, Truncated: end >= hi, FromSource: start <= lo}
	if end > start {
		out.XAtMaxWidthM, out.MaxHalfWidthM = argmax(half, start, end)
	} else {
		out.XAtMaxWidthM = start
	}
	out.Polygon = outline(start, end, half, out.FromSource, out.XAtMaxWidthM)
	out.AreaM2 = ringArea(out.Polygon)
	if !finite(out.StartM, out.LengthM, out.MaxHalfWidthM, out.XAtMaxWidthM, out.AreaM2) {
		return FootprintOutput{}, errNumeric("footprint")
	}
	return out, nil
}

// outline walks the lower edge (y < 0) downwind and the upper edge back, so
// the ring is counter-clockwise with x to the right and y up, as GeoJSON
// wants once the caller rotates it. xw, the widest station, is always kept.
func outline(start, end float64, half func(float64) float64, fromSource bool, xw float64) [][2]float64 {
	var xs []float64
	if end > start {
		xs = logGrid(start, end, footprintStations)
		for i := 1; i < len(xs); i++ {
			if xs[i-1] < xw && xw < xs[i] {
				xs = append(xs[:i], append([]float64{xw}, xs[i:]...)...)
				break
			}
		}
	} else {
		xs = []float64{start}
	}
	ring := make([][2]float64, 0, 2*len(xs)+3)
	if fromSource {
		ring = append(ring, [2]float64{0, 0})
	}
	for _, x := range xs {
		ring = append(ring, [2]float64{x, -half(x)})
	}
	for i := len(xs) - 1; i >= 0; i-- {
		if w := half(xs[i]); w > 0 || (i == 0 && fromSource) {
			ring = append(ring, [2]float64{xs[i], w})
		}
	}
	return append(ring, ring[0])
}

// ringArea is the shoelace area of a closed ring.
func ringArea(r [][2]float64) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return math.Abs(a) / 2
}
