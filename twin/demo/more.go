package demo

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// Options are the generator's settings beyond seed and scale.
type Options struct {
	// Sensors, when above the count the scale gives, is the number of
	// sensors the park gets: further instruments are added to the
	// subjects that are already watched (see moreSensors). At MaxScale
	// it reaches the 440,000 monitoring points of a national system.
	Sensors int
	// Now is the park's clock at generation: the warehouses' stock is
	// dated from its day (inspections due in the weeks after it, foam
	// tested within the year), so that the demo is ready whenever it is
	// made. Zero takes ReferenceDay.
	Now time.Time
}

// ReferenceDay is the day the demo park's stock is dated from when no
// clock is given.
var ReferenceDay = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// GenerateWith is Generate with options. With the zero Options it returns
// exactly what Generate returns.
func GenerateWith(seed uint64, scale int, o Options) []twin.Entity {
	g := newGen(seed, scale)
	if !o.Now.IsZero() {
		g.today = twin.NewDate(o.Now.Year(), o.Now.Month(), o.Now.Day())
	}
	g.sensorDigits = max(g.sensorDigits, len(strconv.Itoa(o.Sensors)))
	g.build()
	g.moreSensors(o.Sensors - stationSensors)
	g.weatherStation() // after every other sensor: no ID before it moves
	return g.entities()
}

// moreSensors adds sensors until the park has n: in rounds, each round
// giving every watched subject one more instrument copied from one of its
// own, in turn (a tank a second level gauge, then more temperature points
// along its height, a second pressure transmitter on a pressure vessel; a
// sewage pool more gas and oxygen detectors; a waste store a second
// thermal camera; a hazard unit more fixed gas detectors). A copy keeps
// its original's type, gas and limits, so it alarms where its original
// does; it is named after it with its number ("T-101 温度 2#"). Gas
// detectors and cameras are placed a metre or two from the original, the
// seed deciding where; a tank's gauges stay on the tank. A hazard unit
// with no detector of its own gets combustible-gas detectors on its
// tanks, with the settings of GB/T 50493 (25 and 50 % LEL).
func (g *gen) moreSensors(n int) {
	if n <= len(g.sensors) {
		return
	}
	var subjects []string
	templates := map[string][]*twin.Sensor{}
	for _, s := range g.sensors {
		if _, ok := templates[s.Subject]; !ok {
			subjects = append(subjects, s.Subject)
		}
		templates[s.Subject] = append(templates[s.Subject], s)
	}
	tanks := map[string]*twin.Tank{}
	for _, e := range g.ents {
		for _, f := range e.farms {
			for _, t := range f.tanks {
				tanks[t.ID] = t
			}
		}
	}
	for _, u := range g.units {
		if _, ok := templates[u.ID]; ok || len(u.Tanks) == 0 {
			continue
		}
		subjects = append(subjects, u.ID)
		templates[u.ID] = []*twin.Sensor{{
			Name: u.Name + " 可燃气体", Subject: u.ID, Type: twin.CombustibleGas, Unit: twin.CombustibleGas.Unit(),
			Limits: limits(math.NaN(), math.NaN(), 25, 50), Deadband: 2, OnDelayS: 3,
			StaleAfterS: staleAfterS, Position: tanks[u.Tanks[0]].Position,
		}}
	}
	// The number of each template's last instrument: a park's own is 1#,
	// a made-up one has none yet.
	copies := map[*twin.Sensor]int{}
	for _, s := range g.sensors {
		copies[s] = 1
	}
	for round := 0; len(g.sensors) < n; round++ {
		for _, subject := range subjects {
			if len(g.sensors) == n {
				return
			}
			ts := templates[subject]
			t := ts[round%len(ts)]
			copies[t]++
			s := *t
			s.Name = fmt.Sprintf("%s %d#", t.Name, copies[t])
			if movable(t.Type) {
				s.Position = g.near(t.Position, 2)
			}
			g.addSensor(&s)
		}
	}
}

// movable reports whether an instrument of the type stands on its own
// (a detector, a camera) rather than on a tank's shell.
func movable(t twin.SensorType) bool {
	switch t {
	case twin.CombustibleGas, twin.ToxicGas, twin.Oxygen, twin.Thermal:
		return true
	}
	return false
}

// near returns a point within r metres of p, drawn from the generator.
func (g *gen) near(p orb.Point, r float64) orb.Point {
	q := g.proj.Forward(p)
	return g.ll(orb.Point{q[0] + g.between(-r, r), q[1] + g.between(-r, r)})
}
