package hazard

import (
	"math"
	"time"
)

const deg = math.Pi / 180

// sunPosition gives the sun's elevation above the horizon (degrees) and
// whether it is "day" in Turner's sense: from one hour after sunrise to one
// hour before sunset. It uses NOAA's "General Solar Position Calculations"
// (the fractional-year series for the equation of time and the declination),
// good to about a degree, which is all an insolation class needs.
func sunPosition(t time.Time, latDeg, lonDeg float64) (elevationDeg float64, day bool) {
	t = t.UTC()
	daysInYear := 365.0
	if y := t.Year(); y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		daysInYear = 366
	}
	hour := float64(t.Hour()) + float64(t.Minute())/60 + float64(t.Second())/3600
	g := 2 * math.Pi / daysInYear * (float64(t.YearDay()-1) + (hour-12)/24)
	eqtime := 229.18 * (0.000075 + 0.001868*math.Cos(g) - 0.032077*math.Sin(g) -
		0.014615*math.Cos(2*g) - 0.040849*math.Sin(2*g))
	decl := 0.006918 - 0.399912*math.Cos(g) + 0.070257*math.Sin(g) -
		0.006758*math.Cos(2*g) + 0.000907*math.Sin(2*g) -
		0.002697*math.Cos(3*g) + 0.00148*math.Sin(3*g)
	tst := hour*60 + eqtime + 4*lonDeg // true solar time, minutes
	ha := (tst/4 - 180) * deg          // hour angle
	lat := latDeg * deg
	cosZen := math.Sin(lat)*math.Sin(decl) + math.Cos(lat)*math.Cos(decl)*math.Cos(ha)
	cosZen = math.Max(-1, math.Min(1, cosZen))
	elevationDeg = 90 - math.Acos(cosZen)/deg

	// Sunrise hour angle, with the sun's centre 0.833° below the horizon
	// (refraction and the solar disc), as NOAA does.
	c := math.Cos(90.833*deg)/(math.Cos(lat)*math.Cos(decl)) - math.Tan(lat)*math.Tan(decl)
	switch {
	case c >= 1:
		return elevationDeg, false // polar night
	case c <= -1:
		return elevationDeg, true // midnight sun
	}
	rise := math.Acos(c) / deg
	h := math.Mod(math.Abs(tst/4-180), 360)
	if h > 180 {
		h = 360 - h
	}
	return elevationDeg, h < rise-15 // 15° of hour angle is one hour
}

// solarDeclinationDeg is the declination from the same series, for tests.
func solarDeclinationDeg(t time.Time) float64 {
	t = t.UTC()
	g := 2 * math.Pi / 365 * (float64(t.YearDay()-1) + (float64(t.Hour())-12)/24)
	return (0.006918 - 0.399912*math.Cos(g) + 0.070257*math.Sin(g) -
		0.006758*math.Cos(2*g) + 0.000907*math.Sin(2*g) -
		0.002697*math.Cos(3*g) + 0.00148*math.Sin(3*g)) / deg
}
