package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// The instruments follow domain.md §3: every tank has its level and
// temperature, a pressure vessel its pressure; every sewage pool is
// watched for H₂S, combustible gas and oxygen; every waste store that has
// its thermal camera (WasteStore.ThermalCamera) reports through it; fixed
// toxic-gas detectors ring the tank farms of toxic substances. Limits are
// typical engineering settings, not figures of a standard unless a
// comment names one.

// staleAfterS is how long any demo sensor may stay silent before its
// communication counts as lost.
const staleAfterS = 120

// watchedGas is a gas that fixed detectors watch, with its first and second
// alarm settings in mg/m³ as GB/T 50493-2019 tabulates them from the
// occupational exposure limits of GBZ 2.1-2019 (first ≤ 100 % OEL,
// second ≤ 200 % OEL) [unverified: read from a secondary transcription of
// the table], and its molar mass, which turns them into the ppm that the
// detectors read.
type watchedGas struct {
	formula    string // Sensor.Gas
	zh         string
	mgH, mgHH  float64
	molarGMol  float64
	detectFarm bool // fixed detectors ring the farms that store it
}

// watchedGases by the CAS number of the substance that gives them off.
// H₂S is watched at the sewage pools, not at a farm.
var watchedGases = map[string]watchedGas{
	"7782-50-5": {formula: "Cl2", zh: "氯气", mgH: 1, mgHH: 2, molarGMol: 70.90, detectFarm: true},
	"7664-41-7": {formula: "NH3", zh: "氨气", mgH: 20, mgHH: 40, molarGMol: 17.03, detectFarm: true},
	"107-13-1":  {formula: "C3H3N", zh: "丙烯腈", mgH: 1, mgHH: 2, molarGMol: 53.06, detectFarm: true},
	"7664-39-3": {formula: "HF", zh: "氟化氢", mgH: 2, mgHH: 4, molarGMol: 20.01, detectFarm: true},
	"7446-09-5": {formula: "SO2", zh: "二氧化硫", mgH: 5, mgHH: 10, molarGMol: 64.07, detectFarm: true},
	"7783-06-4": {formula: "H2S", zh: "硫化氢", mgH: 10, mgHH: 20, molarGMol: 34.08},
}

// molarVolumeL is the volume of a mole of gas at 20 °C and 101.325 kPa,
// in litres: ppm = mg/m³ × 24.04 / M.
const molarVolumeL = 24.04

// ppm converts a concentration in mg/m³ to ppm by volume, rounded down
// to two significant figures so that a setting never exceeds its limit.
func (g watchedGas) ppm(mgM3 float64) float64 {
	return floor2(mgM3 * molarVolumeL / g.molarGMol)
}

// limits returns the gas's alarm settings in ppm with a deadband of a
// tenth of the first.
func (g watchedGas) limits() (twin.Limits, float64) {
	h, hh := g.ppm(g.mgH), g.ppm(g.mgHH)
	return twin.Limits{H: &h, HH: &hh}, floor2(h / 10)
}

// designPressureKPa is the design pressure (kPa gauge) of the pressure
// tanks of each liquefied gas: above its vapour pressure at 50 °C, as the
// usual practice for uninsulated storage asks [unverified]. A pressure
// sensor's H is 80 % and its HH 90 % of it.
var designPressureKPa = map[string]float64{
	"7782-50-5":  1600, // chlorine: 1.32 MPa at 50 °C
	"7664-41-7":  2160, // ammonia: 1.93 MPa
	"68476-85-7": 1770, // LPG, designed for propane: 1.61 MPa
	"106-99-0":   800,  // 1,3-butadiene: 0.46 MPa
	"75-01-4":    1000, // vinyl chloride: 0.67 MPa
	"75-21-8":    800,  // ethylene oxide: 0.23 MPa under a nitrogen pad of 0.3 MPa
	"7664-39-3":  600,  // hydrogen fluoride: 0.16 MPa under a nitrogen pad
	"7446-09-5":  1000, // sulfur dioxide: 0.74 MPa
}

// defaultDesignPressureKPa is for a gas not in the table.
const defaultDesignPressureKPa = 1600

// heated are the products kept above their freezing point by heating or
// tracing, with the temperature limits (°C) that go with it: LL, L, H, HH.
var heated = map[string][4]float64{
	"108-95-2":   {42, 45, 65, 70},   // phenol, molten: freezes at 41 °C
	"64-19-7":    {17.5, 19, 40, 50}, // glacial acetic acid: 16.6 °C
	"26471-62-5": {15, 17, 40, 45},   // TDI: 13 °C; dimerises when warm
	"71-43-2":    {6.5, 8, 40, 50},   // benzene: 5.5 °C
	"98-95-3":    {7, 8.5, 40, 50},   // nitrobenzene: 5.7 °C
}

// volatile are liquids boiling below 60 °C, alarmed as cool as the
// liquefied gases.
var volatile = map[string]bool{"75-56-9": true, "75-15-0": true, "67-64-1": true}

// instrument creates the park's sensors, numbered in order: each
// enterprise's farms (each tank's level, temperature and pressure, then
// the farm's gas detectors), then its sewage pool, then its waste store.
func (g *gen) instrument() {
	unitOf := map[string]string{} // tank ID → hazard unit ID
	for _, u := range g.units {
		for _, id := range u.Tanks {
			unitOf[id] = u.ID
		}
	}
	for _, e := range g.ents {
		for _, f := range e.farms {
			for _, t := range f.tanks {
				g.tankSensors(t)
			}
			g.farmDetectors(f, unitOf)
		}
		g.poolSensors(e.pool)
		if e.store.ThermalCamera {
			g.storeSensors(e.store)
		}
	}
}

// addSensor numbers the sensor and keeps it; every demo sensor reports
// at least every staleAfterS.
func (g *gen) addSensor(s *twin.Sensor) {
	s.ID = fmt.Sprintf("SEN-%0*d", g.sensorDigits, len(g.sensors)+1)
	s.Unit = s.Type.Unit()
	s.StaleAfterS = staleAfterS
	g.sensors = append(g.sensors, s)
}

// tankSensors gives a tank its level gauge (LL 5 %, L 10 % of the height
// it measures, H where the tank holds its maximum fill, HH halfway from
// there to the top), its thermometer and, on a pressure vessel, its
// pressure gauge.
func (g *gen) tankSensors(t *twin.Tank) {
	tag, _, _ := strings.Cut(t.Name, " ")
	c := g.chems[t.Chemical]

	span := levelSpan(t)
	ll, l := 0.05*span, 0.10*span
	if t.Type == twin.InternalFloatingRoof || t.Type == twin.ExternalFloatingRoof {
		// Keep the roof off its legs (about 1.5 m).
		ll, l = max(ll, 1.8), max(l, 2.2)
	}
	h := fillLevel(t)
	hh := h + 0.5*(span-h)
	g.addSensor(&twin.Sensor{
		Name: tag + " 液位", Subject: t.ID, Type: twin.Level,
		Limits:   limits(round2(ll), round2(l), round2(h), round2(hh)),
		Deadband: max(0.01, round2(span/100)), OnDelayS: 5, Position: t.Position,
	})

	lim, ok := heated[c.CAS]
	switch {
	case ok:
	case c.Phase == twin.Gas || c.Phase == twin.LiquefiedGas || volatile[c.CAS]:
		lim = [4]float64{math.NaN(), math.NaN(), 38, 45}
	default:
		lim = [4]float64{math.NaN(), math.NaN(), 40, 50}
	}
	g.addSensor(&twin.Sensor{
		Name: tag + " 温度", Subject: t.ID, Type: twin.Temperature,
		Limits:   limits(lim[0], lim[1], lim[2], lim[3]),
		Deadband: 1, RatePerMin: 5, Position: t.Position,
	})

	if !pressureVessel(t, c) {
		return
	}
	design, ok := designPressureKPa[c.CAS]
	if !ok {
		design = defaultDesignPressureKPa
	}
	g.addSensor(&twin.Sensor{
		Name: tag + " 压力", Subject: t.ID, Type: twin.Pressure,
		Limits:   limits(math.NaN(), math.NaN(), math.Round(0.8*design), math.Round(0.9*design)),
		Deadband: design / 100, OnDelayS: 2, Position: t.Position,
	})
}

// pressureVessel reports whether the tank holds its product under
// pressure: every sphere, and a horizontal tank of a gas or liquefied gas.
func pressureVessel(t *twin.Tank, c *twin.Chemical) bool {
	return t.Type == twin.PressureSphere ||
		t.Type == twin.Horizontal && (c.Phase == twin.Gas || c.Phase == twin.LiquefiedGas)
}

// levelSpan is the height a level gauge measures across: the diameter of
// a horizontal tank (whose HeightM is its length), the shell height
// otherwise.
func levelSpan(t *twin.Tank) float64 {
	if t.Type == twin.Horizontal {
		return t.DiameterM
	}
	return t.HeightM
}

// fillLevel is the level, in metres, at which the tank holds MaxFill of
// its volume: in proportion for an upright cylinder, by the shape of a
// horizontal cylinder or a sphere otherwise.
func fillLevel(t *twin.Tank) float64 {
	span := levelSpan(t)
	var frac func(x float64) float64 // volume fraction at a level fraction
	switch t.Type {
	case twin.Horizontal:
		frac = func(x float64) float64 {
			th := 2 * math.Acos(1-2*x)
			return (th - math.Sin(th)) / (2 * math.Pi)
		}
	case twin.PressureSphere:
		frac = func(x float64) float64 { return x * x * (3 - 2*x) }
	default:
		return t.MaxFill * span
	}
	lo, hi := 0.0, 1.0 // both shapes fill monotonically: bisect
	for range 50 {
		mid := (lo + hi) / 2
		if frac(mid) < t.MaxFill {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo * span
}

// farmDetectors rings the tanks of a toxic substance in a farm with fixed
// detectors of the gas it gives off: 3 m outside the tanks' shells but on
// the dike, at least 4 m inside the fire lane; about one every 40 m of
// the ring, 3 to 8 of them, evenly spaced. Their subject is the hazard
// unit of the farm's tanks, or else the first tank of the substance.
func (g *gen) farmDetectors(f *farm, unitOf map[string]string) {
	var seen []string
	for _, t := range f.tanks {
		gas, ok := watchedGases[t.Chemical]
		if !ok || !gas.detectFarm || slices.Contains(seen, t.Chemical) {
			continue
		}
		seen = append(seen, t.Chemical)
		subject := t.ID
		if u, ok := unitOf[t.ID]; ok {
			subject = u
		}
		lim, db := gas.limits()
		for i, p := range g.detectorRing(f, t.Chemical) {
			g.addSensor(&twin.Sensor{
				Name:    fmt.Sprintf("%s %d#%s探测器", f.name, i+1, gas.zh),
				Subject: subject, Type: twin.ToxicGas, Gas: gas.formula,
				Limits: lim, Deadband: db, OnDelayS: 3, Position: g.ll(p),
			})
		}
	}
}

// detectorRing returns where a farm's fixed detectors of what its tanks
// of a chemical give off stand: 3 to 8 points, in metres, on a ring 3 m
// outside those tanks' shells but on the dike, at least 4 m inside the
// fire lane.
func (g *gen) detectorRing(f *farm, cas string) []orb.Point {
	lane := orb.MultiPoint(f.ring).Bound()
	dike := orb.Bound{Min: orb.Point{lane.Min[0] + 4, lane.Min[1] + 4}, Max: orb.Point{lane.Max[0] - 4, lane.Max[1] - 4}}
	around := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, o := range f.tanks {
		if o.Chemical != cas {
			continue
		}
		p, r := g.proj.Forward(o.Position), max(o.DiameterM, groundLength(o))/2+3
		around = around.Union(orb.Bound{Min: orb.Point{p[0] - r, p[1] - r}, Max: orb.Point{p[0] + r, p[1] + r}})
	}
	around = orb.Bound{
		Min: orb.Point{max(around.Min[0], dike.Min[0]), max(around.Min[1], dike.Min[1])},
		Max: orb.Point{min(around.Max[0], dike.Max[0]), min(around.Max[1], dike.Max[1])},
	}
	return aroundBound(around)
}

// groundLength is a tank's extent on the ground along its axis: a
// horizontal tank's length, an upright tank's diameter.
func groundLength(t *twin.Tank) float64 {
	if t.Type == twin.Horizontal {
		return t.HeightM
	}
	return t.DiameterM
}

// aroundBound returns 3 to 8 points evenly spaced, about 40 m apart, on
// the edge of b, starting at the middle of its south side.
func aroundBound(b orb.Bound) []orb.Point {
	x0, y0, x1, y1 := b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	w, h := x1-x0, y1-y0
	perim := 2 * (w + h)
	n := int(min(max(math.Round(perim/40), 3), 8))
	ps := make([]orb.Point, n)
	for i := range ps {
		// Walk the edge anticlockwise from the south side's middle.
		d := math.Mod(w/2+float64(i)*perim/float64(n), perim)
		switch {
		case d < w:
			ps[i] = orb.Point{x0 + d, y0}
		case d < w+h:
			ps[i] = orb.Point{x1, y0 + d - w}
		case d < 2*w+h:
			ps[i] = orb.Point{x1 - (d - w - h), y1}
		default:
			ps[i] = orb.Point{x0, y1 - (d - 2*w - h)}
		}
	}
	return ps
}

// poolSensors watches a sewage pool as a confined space: H₂S, combustible
// gas (GB/T 50493: first alarm ≤ 25 % LEL, second ≤ 50 %) and oxygen
// (deficient below 19.5 %, enriched above 23.5 %).
func (g *gen) poolSensors(p *twin.SewagePool) {
	h2s := watchedGases["7783-06-4"]
	lim, db := h2s.limits()
	g.addSensor(&twin.Sensor{
		Name: p.Name + " 硫化氢", Subject: p.ID, Type: twin.ToxicGas, Gas: h2s.formula,
		Limits: lim, Deadband: db, OnDelayS: 3, Position: p.Position,
	})
	g.addSensor(&twin.Sensor{
		Name: p.Name + " 可燃气体", Subject: p.ID, Type: twin.CombustibleGas,
		Limits: limits(math.NaN(), math.NaN(), 25, 50), Deadband: 2, OnDelayS: 3, Position: p.Position,
	})
	g.addSensor(&twin.Sensor{
		Name: p.Name + " 氧含量", Subject: p.ID, Type: twin.Oxygen,
		Limits: limits(18, 19.5, 23.5, math.NaN()), Deadband: 0.2, OnDelayS: 3, Position: p.Position,
	})
}

// storeSensors places the waste store's thermal camera, which reports the
// hottest spot it sees, at the store's centre.
func (g *gen) storeSensors(w *twin.WasteStore) {
	ring := w.Footprint[0]
	var c orb.Point
	for _, p := range ring[:len(ring)-1] {
		c[0] += p[0]
		c[1] += p[1]
	}
	n := float64(len(ring) - 1)
	g.addSensor(&twin.Sensor{
		Name: w.Name + " 热成像", Subject: w.ID, Type: twin.Thermal,
		Limits:   limits(math.NaN(), math.NaN(), 60, 80),
		Deadband: 2, OnDelayS: 5, RatePerMin: 10, Position: orb.Point{round7(c[0] / n), round7(c[1] / n)},
	})
}

// limits returns the limits, NaN standing for an absent one.
func limits(ll, l, h, hh float64) twin.Limits {
	p := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	return twin.Limits{LL: p(ll), L: p(l), H: p(h), HH: p(hh)}
}

// floor2 rounds v > 0 down to two significant figures.
func floor2(v float64) float64 {
	e := 1 - int(math.Floor(math.Log10(v)))
	if e >= 0 {
		p := math.Pow10(e)
		return math.Floor(v*p) / p
	}
	p := math.Pow10(-e)
	return math.Floor(v/p) * p
}
