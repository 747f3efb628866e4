package simulate

import "math"

// vapour is how the pressure of a liquefied gas follows its temperature:
// the Clausius–Clapeyron line through its vapour pressure at 20 °C and
// at 40 °C, plus any nitrogen pad above it.
type vapour struct {
	p20KPa float64 // absolute, at 20 °C
	b      float64 // K: ln p = a − b/T
	padKPa float64
}

func newVapour(p20, p40, pad float64) vapour {
	return vapour{p20KPa: p20, b: math.Log(p40/p20) / (1/293.15 - 1/313.15), padKPa: pad}
}

// gaugeKPa returns the gauge pressure in the tank at a liquid
// temperature.
func (v vapour) gaugeKPa(tempC float64) float64 {
	p := v.p20KPa * math.Exp(v.b*(1/293.15-1/(tempC+273.15)))
	return p + v.padKPa - 101.325
}

// vapours are the liquefied gases of the park by CAS number: vapour
// pressures in kPa at 20 °C and 40 °C, rounded from handbook tables, and
// the nitrogen pad of those stored under one [unverified: typical, not
// from one source]. LPG is taken as half propane, half butane.
var vapours = map[string]vapour{
	"7782-50-5":  newVapour(673, 1150, 0),  // chlorine
	"7664-41-7":  newVapour(857, 1555, 0),  // ammonia
	"68476-85-7": newVapour(520, 870, 0),   // LPG
	"106-99-0":   newVapour(240, 450, 0),   // 1,3-butadiene
	"75-01-4":    newVapour(337, 610, 0),   // vinyl chloride
	"75-21-8":    newVapour(146, 263, 300), // ethylene oxide, padded out of its flammable range
	"7664-39-3":  newVapour(103, 195, 50),  // hydrogen fluoride
	"7446-09-5":  newVapour(330, 630, 0),   // sulfur dioxide
	"7783-06-4":  newVapour(1780, 2800, 0), // hydrogen sulfide
	"7647-01-0":  newVapour(4200, 6400, 0), // hydrogen chloride
}

// genericVapour is for a gas outside the table: a line of the common
// slope whose gauge pressure at 40 °C is at40KPa.
func genericVapour(at40KPa float64) vapour {
	const b = 2500 // K, about that of chlorine, ammonia and LPG
	p40 := at40KPa + 101.325
	p20 := p40 * math.Exp(-b*(1/293.15-1/313.15))
	return vapour{p20KPa: p20, b: b}
}
