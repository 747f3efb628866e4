package simulate

import (
	"math"

	"parktwin/twin"
)

// model is how a sensor's normal values come about.
type model int

const (
	levelOf    model = iota + 1 // a tank's level, moved by transfers
	contents                    // the temperature of a tank's contents
	vapourOf                    // the pressure of a liquefied gas over its liquid
	background                  // a gas near zero, oxygen near 20.9 %, anything else mid-band
	surface                     // a thermal camera: the air, and the sun on what it sees
	air                         // a temperature that is not of a tank
	windSpeed                   // the weather station's (weather.go)
	windFrom
	humidity
	cloud
)

// sensor is one sensor's simulation.
type sensor struct {
	id    string
	model model
	key   uint64

	// Normal values stay within lo…hi: inside the limits by twice the
	// deadband, so that none raises an alarm. Any value, excursions too,
	// stays within the physical minV…maxV.
	lo, hi     float64
	minV, maxV float64
	perUnit    float64 // readings are rounded to 1/perUnit
	noise      noise

	base  float64 // background: the value without noise
	tank  thermal // contents, vapourOf, surface: the subject's warmth
	heatC float64 // contents: heated to at least this, NaN if not heated
	solar float64 // surface: °C the midday sun adds
	lvl   *level  // levelOf
	vap   vapour  // vapourOf
	rate  float64 // RatePerMin, 0 if none
	drive *drive  // how an excursion may drive it past a limit; nil if none can
	exc   *excursion
}

// thermal is how the contents of a tank (or the surface a camera sees)
// follow the air: the share of the daily swing they follow, how far they
// lag, and how much warmer they run on average.
type thermal struct {
	damp    float64
	lagS    float64
	offsetC float64
}

// tankThermal returns a tank's thermal behaviour: a small tank follows the
// day closely, a large one damps it to a quarter and lags by hours. It
// hashes the tank's ID, so that its temperature and pressure sensors agree.
func tankThermal(seed uint64, t *twin.Tank) thermal {
	lg := math.Log10(max(t.CapacityM3, 1))
	return thermal{
		damp:    min(max(1.1-0.2*lg, 0.25), 0.9),
		lagS:    (1 + 0.5*lg) * 3600,
		offsetC: -0.5 + 2*unit(keyOf(seed, t.ID), 1),
	}
}

// at returns the temperature at t.
func (th thermal) at(c Climate, t float64) float64 {
	tl := t - th.lagS
	return c.dayMean(tl) + c.DaySwingC*th.damp*dayShape(localHours(tl)) + th.offsetC
}

// newSensor builds the simulation of s, whose subject (a tank, pool,
// store or hazard unit) is looked up in snap.
func newSensor(snap *twin.Snapshot, seed uint64, s *twin.Sensor) *sensor {
	x := &sensor{id: s.ID, key: keyOf(seed, s.ID), rate: s.RatePerMin, heatC: math.NaN()}
	x.lo, x.hi = band(s.Limits, s.Deadband)
	tank, _ := twin.Lookup[*twin.Tank](snap, s.Subject)
	var th thermal
	if tank != nil {
		th = tankThermal(seed, tank)
	}
	lower, upper := lowerLimit(s.Limits), upperLimit(s.Limits)

	x.minV, x.maxV, x.model = math.Inf(-1), math.Inf(1), background
	switch s.Type {
	case twin.Level:
		span := 10.0
		switch {
		case tank != nil:
			span = levelSpan(tank)
		case !math.IsNaN(upper):
			span = 1.15 * max(upper, 0)
		}
		x.model, x.minV, x.maxV, x.perUnit = levelOf, 0, span, 1000
		x.lo, x.hi = max(x.lo, 0.05*span), min(x.hi, 0.95*span)
		if x.lo > x.hi {
			x.lo, x.hi = (x.lo+x.hi)/2, (x.lo+x.hi)/2
		}
		x.lvl = newLevel(x.key, x.lo, x.hi)
		x.noise = noise{slowAmp: 0.002, slowS: 30, fastAmp: 0.001, fastS: 3}
	case twin.Temperature:
		x.model, x.minV, x.perUnit = air, -273.15, 100
		if tank != nil {
			x.model, x.tank = contents, th
			if !math.IsNaN(lower) {
				// Kept from freezing: held a quarter of the way up from L.
				top := upper
				if math.IsNaN(top) {
					top = lower + 20
				}
				x.heatC = lower + 0.25*(top-lower)
			}
		}
		x.noise = noise{slowAmp: 0.15, slowS: 90, fastAmp: 0.02, fastS: 10}
	case twin.Pressure:
		x.model, x.minV, x.perUnit, x.tank = vapourOf, -101.325, 10, th
		scale := 1000.0
		if !math.IsNaN(upper) {
			scale = upper
		}
		x.vap = genericVapour(0.55 * scale)
		if tank != nil {
			if v, ok := vapours[tank.Chemical]; ok {
				x.vap = v
			}
		} else {
			x.model, x.base = background, 0.5*scale
		}
		x.noise = noise{slowAmp: 0.002 * scale, slowS: 60, fastAmp: 0.0005 * scale, fastS: 5}
	case twin.ToxicGas, twin.CombustibleGas:
		scale := upper
		if math.IsNaN(scale) {
			scale = 1
		}
		x.minV, x.perUnit, x.base = 0, 100, 0.02*scale
		if s.Type == twin.CombustibleGas {
			x.maxV, x.perUnit = 100, 10
		}
		x.noise = noise{slowAmp: 0.03 * scale, slowS: 120, fastAmp: 0.01 * scale, fastS: 8}
	case twin.Oxygen:
		x.minV, x.maxV, x.perUnit, x.base = 0, 100, 100, 20.9
		x.noise = noise{slowAmp: 0.05, slowS: 300, fastAmp: 0.02, fastS: 10}
	case twin.Thermal:
		k := keyOf(seed, s.Subject)
		x.model, x.minV, x.perUnit = surface, -273.15, 100
		x.tank = thermal{damp: 1, offsetC: 2 * unit(k, 1)}
		x.solar = 4 + 6*unit(k, 2)
		x.noise = noise{slowAmp: 0.3, slowS: 60, fastAmp: 0.05, fastS: 5}
	case twin.WindSpeed, twin.WindDirection, twin.Humidity, twin.CloudCover:
		// One station: the wind's sensors share its key, so that speed
		// and direction are of the same wind.
		x.key = keyOf(seed, "weather-station")
		x.model = map[twin.SensorType]model{twin.WindSpeed: windSpeed, twin.WindDirection: windFrom,
			twin.Humidity: humidity, twin.CloudCover: cloud}[s.Type]
		x.minV, x.maxV, x.perUnit = 0, map[twin.SensorType]float64{twin.WindSpeed: 60, twin.WindDirection: 360,
			twin.Humidity: 100, twin.CloudCover: 8}[s.Type], 10
	default:
		x.perUnit, x.base = 100, middle(lower, upper)
		x.noise = noise{slowAmp: 0.02 * max(math.Abs(x.base), 1), slowS: 60}
	}
	x.drive = driveOf(s.Limits, s.Deadband, x.minV, x.maxV)
	return x
}

// normal returns the sensor's value at t (Unix seconds) as it would be
// without an excursion.
func (x *sensor) normal(c Climate, t float64) float64 {
	var v float64
	switch x.model {
	case levelOf:
		v = x.lvl.x
	case contents:
		v = x.tank.at(c, t)
		if !math.IsNaN(x.heatC) {
			// Heating cycles about its setting over some twenty minutes.
			v = max(v, x.heatC+0.8*smooth(mix(x.key+2), t/1200))
		}
	case vapourOf:
		v = x.vap.gaugeKPa(x.tank.at(c, t))
	case surface:
		v = c.air(t) + x.solar*sun(t) + x.tank.offsetC
	case air:
		v = c.air(t)
	case windSpeed:
		_, v = c.wind(x.key, t)
		return v
	case windFrom:
		v, _ = c.wind(x.key, t)
		return v
	case humidity:
		return c.humidity(t)
	case cloud:
		return c.cloud(mix(x.key+3), t)
	default:
		v = x.base
	}
	return min(max(v+x.noise.at(x.key, t), x.lo), x.hi)
}

// band returns the range normal values keep to: inside the limits by
// twice the deadband (and at least 2 % of the span between them), so that
// they raise no alarm and clear any.
func band(l twin.Limits, deadband float64) (lo, hi float64) {
	lower, upper := lowerLimit(l), upperLimit(l)
	m := 2 * deadband
	if !math.IsNaN(lower) && !math.IsNaN(upper) {
		m = max(m, 0.02*(upper-lower))
	}
	lo, hi = math.Inf(-1), math.Inf(1)
	if !math.IsNaN(lower) {
		lo = lower + m
	}
	if !math.IsNaN(upper) {
		hi = upper - m
	}
	if lo > hi {
		lo, hi = (lower+upper)/2, (lower+upper)/2
	}
	return lo, hi
}

// lowerLimit is L, or LL without L, or NaN; upperLimit likewise H or HH.
func lowerLimit(l twin.Limits) float64 { return first(l.L, l.LL) }
func upperLimit(l twin.Limits) float64 { return first(l.H, l.HH) }

func first(ps ...*float64) float64 {
	for _, p := range ps {
		if p != nil {
			return *p
		}
	}
	return math.NaN()
}

// middle is the middle of the limits, or a point inside the one there
// is, or zero.
func middle(lower, upper float64) float64 {
	switch {
	case !math.IsNaN(lower) && !math.IsNaN(upper):
		return (lower + upper) / 2
	case !math.IsNaN(upper):
		return upper / 2
	case !math.IsNaN(lower):
		return lower + max(math.Abs(lower), 1)
	}
	return 0
}

// levelSpan is the height a tank's level gauge measures across: the
// diameter of a horizontal tank (whose HeightM is its length), its height
// otherwise.
func levelSpan(t *twin.Tank) float64 {
	if t.Type == twin.Horizontal {
		return t.DiameterM
	}
	return t.HeightM
}
