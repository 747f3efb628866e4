// Package grading identifies and grades major hazard installations under
// GB 18218-2018 (危险化学品重大危险源辨识): S = Σ q/Q decides whether a unit
// is a major hazard, R = α·Σ β·q/Q its level. See shared/domain.md §2.
package grading

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"parktwin/twin"
	"parktwin/twin/spatial"
)

// Standard is the standard every grading follows, recorded with it.
const Standard = "GB 18218-2018"

// PopulationRadiusM is the distance from a unit's boundary within which
// residents count towards α.
const PopulationRadiusM = 500

// Item is one chemical's share of a unit: q, Q and β.
type Item = twin.GradingItem

// Result is a grading's figures.
type Result struct {
	Standard   string  `json:"standard"`
	Items      []Item  `json:"items"`
	Population int     `json:"population"`
	Alpha      float64 `json:"alpha"`
	S          float64 `json:"s"`
	R          float64 `json:"r"`
	// Level is 1 (highest) to 4, or 0 when S < 1: not a major hazard.
	Level int `json:"level"`
}

// Alpha returns the correction factor α for the number of residents within
// 500 m outside the unit.
func Alpha(population int) float64 {
	switch {
	case population >= 100:
		return 2.0
	case population >= 50:
		return 1.5
	case population >= 30:
		return 1.2
	case population >= 1:
		return 1.0
	}
	return 0.5
}

// LevelOf returns the level for R: 1 for R ≥ 100, 2 for 50 ≤ R < 100, 3 for
// 10 ≤ R < 50, 4 below.
func LevelOf(r float64) int {
	switch {
	case r >= 100:
		return 1
	case r >= 50:
		return 2
	case r >= 10:
		return 3
	}
	return 4
}

// Grade computes S, R, α and the level of a unit holding items with the
// given population around it. Items of the same chemical are summed;
// chemicals outside the standard (no Q) do not count.
func Grade(items []Item, population int) Result {
	merged := map[string]*Item{}
	var order []string
	for _, it := range items {
		if it.CriticalQT <= 0 {
			continue
		}
		if m, ok := merged[it.CAS]; ok {
			m.QuantityT += it.QuantityT
			continue
		}
		c := it
		merged[it.CAS] = &c
		order = append(order, it.CAS)
	}
	slices.Sort(order)
	r := Result{Standard: Standard, Population: population, Alpha: Alpha(population), Items: []Item{}}
	var sum float64
	for _, cas := range order {
		it := merged[cas]
		r.Items = append(r.Items, *it)
		r.S += it.QuantityT / it.CriticalQT
		sum += it.Beta * it.QuantityT / it.CriticalQT
	}
	// Rounded before they are compared: Σ of ten 0.1s is 0.9999999999999999
	// in floating point, and S = 1 must identify the unit (as R = 10, 50,
	// 100 must reach their level).
	r.S, r.R = roundFigure(r.S), roundFigure(r.Alpha*sum)
	if r.S >= 1 {
		r.Level = LevelOf(r.R)
	}
	return r
}

// roundFigure rounds S or R to nine decimal places, far below any
// quantity's precision and far above floating point's error.
func roundFigure(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// DesignItems returns the design-maximum quantities of a unit's tanks:
// capacity × maximum fill × density.
func DesignItems(s *twin.Snapshot, u *twin.HazardUnit) []Item {
	var items []Item
	for _, id := range u.Tanks {
		t, ok := twin.Lookup[*twin.Tank](s, id)
		if !ok {
			continue
		}
		if it, ok := TankItem(s, t, t.CapacityM3*t.MaxFill); ok {
			items = append(items, it)
		}
	}
	return items
}

// TankItem returns the share of a tank holding volumeM3 of its chemical.
func TankItem(s *twin.Snapshot, t *twin.Tank, volumeM3 float64) (Item, bool) {
	c, ok := twin.Lookup[*twin.Chemical](s, t.Chemical)
	if !ok {
		return Item{}, false
	}
	return Item{CAS: c.CAS, NameZh: c.NameZh, QuantityT: volumeM3 * c.DensityKgM3 / 1000,
		CriticalQT: c.CriticalQT, Beta: c.Beta}, true
}

// Population returns the residents of the sensitive targets within 500 m
// outside the plant boundary (厂区边界) of the unit's enterprise, GB
// 18218-2018 Table 5 (α) [section number unverified] — the enterprise's
// parcel, not the unit's footprint; the footprint only when the
// enterprise has no parcel. Targets inside the boundary are the plant's,
// not residents.
func Population(s *twin.Snapshot, u *twin.HazardUnit) int {
	fp := u.Footprint
	if e, ok := twin.Lookup[*twin.Enterprise](s, u.Enterprise); ok && len(e.Parcel) > 0 {
		fp = e.Parcel
	}
	return populationNear(s, fp)
}

func populationNear(s *twin.Snapshot, fp orb.Polygon) int {
	n := 0
	for t := range twin.All[*twin.Target](s) {
		if planar.PolygonContains(fp, t.Position) {
			continue
		}
		if spatial.DistanceToPolygon(fp, t.Position) <= PopulationRadiusM {
			n += t.Population
		}
	}
	return n
}
