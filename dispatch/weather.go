package dispatch

import (
	"time"

	"github.com/paulmach/orb"

	"parktwin/dispatch/hazard"
	"parktwin/twin"
)

// Stability is the Pasquill class a weather gives at a moment, and how.
type Stability struct {
	hazard.StabilityOutput
	// Given: the class was given with the weather (a drill's), not taken
	// from the table.
	Given bool `json:"given"`
}

// parkCentre is where the sun is reckoned: the middle of the park.
func parkCentre(p *twin.Park) orb.Point {
	if p == nil || len(p.Boundary) == 0 {
		return orb.Point{120.85, 30.17}
	}
	return p.Boundary.Bound().Center()
}

// StabilityOf returns the Pasquill class of w at t over the park: the one
// given with it, or the table's from the wind, the cloud and the sun's
// elevation (hazard.Stability).
func StabilityOf(w *twin.Weather, t time.Time, p *twin.Park) (Stability, error) {
	c := parkCentre(p)
	out, err := hazard.Stability(hazard.StabilityInput{WindSpeedMS: w.WindSpeedMS, Time: t, LatDeg: c[1], LonDeg: c[0],
		CloudCoverOktas: w.CloudOktas})
	if err != nil {
		return Stability{}, err
	}
	s := Stability{StabilityOutput: out}
	if w.Stability != "" {
		s.Class, s.Given = w.Stability, true
	}
	return s, nil
}
