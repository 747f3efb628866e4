package simulate

import "math"

// The weather station's readings. The park lies on the south shore of
// Hangzhou Bay, the sea to its north: the wind is the season's monsoon
// (from the north-west in winter, the south-east in summer) with the
// bay's breezes on top — a sea breeze from the north-north-east on sunny
// afternoons, a weaker land breeze from the south at night — and a slow
// wander of a few degrees and tenths of a metre per second. The figures
// are illustrative [unverified: shaped after the usual description of a
// coastal monsoon climate, not fitted to station records]; they are data
// of the Climate, not constants of the code.

// Wind is the simulated climate's wind: the monsoon and the breezes.
type Wind struct {
	WinterFromDeg, WinterMS float64 // the winter monsoon, about 20 January
	SummerFromDeg, SummerMS float64 // the summer monsoon, half a year later
	SeaFromDeg, SeaMS       float64 // the sea breeze at its strongest, about 14:00
	LandFromDeg, LandMS     float64 // the land breeze, through the night
}

// ShangyuWind returns the illustrative wind of the park's climate.
func ShangyuWind() Wind {
	return Wind{WinterFromDeg: 330, WinterMS: 3, SummerFromDeg: 135, SummerMS: 2.5,
		SeaFromDeg: 20, SeaMS: 2.5, LandFromDeg: 190, LandMS: 1}
}

// toward adds a wind from fromDeg at speed to the vector (u east, v north
// of the air's motion).
func toward(u, v, fromDeg, speed float64) (float64, float64) {
	r := fromDeg * math.Pi / 180
	return u - speed*math.Sin(r), v - speed*math.Cos(r)
}

// wind returns where the wind blows from (degrees) and its speed at t
// (Unix seconds), key making the wander.
func (c Climate) wind(key uint64, t float64) (fromDeg, speed float64) {
	w := c.Wind
	days := (t + beijingOffsetS) / daySeconds
	summer := (1 - math.Cos(2*math.Pi*(days-coldestDay)/yearDays)) / 2 // 0 in winter, 1 in summer
	var u, v float64
	u, v = toward(u, v, w.WinterFromDeg, w.WinterMS*(1-summer))
	u, v = toward(u, v, w.SummerFromDeg, w.SummerMS*summer)
	h := localHours(t)
	switch s := sun(t); {
	case s > 0:
		// The sea breeze builds through the day, strongest after noon.
		u, v = toward(u, v, w.SeaFromDeg, w.SeaMS*s*s)
	case h >= 21 || h <= 5:
		u, v = toward(u, v, w.LandFromDeg, w.LandMS)
	}
	// The synoptic wander: hours-long swings of speed and direction.
	u += 1.2 * smooth(key, t/5400)
	v += 1.2 * smooth(mix(key+1), t/5400)
	speed = math.Hypot(u, v)
	fromDeg = math.Mod(math.Atan2(-u, -v)*180/math.Pi+360, 360)
	// A gust flicker on the speed alone: the direction's wander is above.
	speed = max(0.2, speed+0.3*smooth(mix(key+2), t/20))
	return fromDeg, speed
}

// humidity returns the relative humidity at t (%): high before dawn, low
// in the afternoon, as the air's temperature swings.
func (c Climate) humidity(t float64) float64 {
	return min(98, max(20, 72-14*dayShape(localHours(t))))
}

// cloud returns the cloud cover at t (oktas), a slow wander.
func (c Climate) cloud(key uint64, t float64) float64 {
	return math.Round(4 + 4*smooth(key, t/(6*3600)))
}
