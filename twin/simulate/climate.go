package simulate

import "math"

// Climate is the weather the park's temperatures follow: a yearly cycle,
// coldest about 20 January, and a daily one, coldest at 05:00 and
// warmest at 14:00 Beijing time (UTC+8).
type Climate struct {
	MeanC      float64 // the yearly mean of the daily means
	YearSwingC float64 // half the difference between the warmest and coldest daily means
	DaySwingC  float64 // half the difference between a day's warmest and coldest hours
	Wind       Wind    // the monsoon and the bay's breezes (weather.go)
}

// Shangyu returns typical figures of the park's climate: daily means
// about 4.5 °C in January and 28.5 °C in July, days about 8 °C warmer in
// the afternoon than before dawn [unverified: rounded figures for
// Shaoxing, not station records].
func Shangyu() Climate {
	return Climate{MeanC: 16.5, YearSwingC: 12, DaySwingC: 4, Wind: ShangyuWind()}
}

const (
	beijingOffsetS = 8 * 3600
	daySeconds     = 86400
	yearDays       = 365.2425
	coldestDay     = 19.5 // days after 1 January
	coldestHour    = 5.0
	warmestHour    = 14.0
)

// localHours returns the hour of the day, Beijing time, at t (Unix
// seconds).
func localHours(t float64) float64 {
	s := t + beijingOffsetS
	return (s - daySeconds*math.Floor(s/daySeconds)) / 3600
}

// dayMean returns the daily mean temperature about t (Unix seconds): the
// yearly cycle, continuous across days and years.
func (c Climate) dayMean(t float64) float64 {
	days := (t + beijingOffsetS) / daySeconds // since 1 January 1970, Beijing time
	return c.MeanC - c.YearSwingC*math.Cos(2*math.Pi*(days-coldestDay)/yearDays)
}

// dayShape is the daily cycle at hour h: -1 at 05:00, +1 at 14:00, a
// half cosine up in the 9 hours between and down in the 15 after.
func dayShape(h float64) float64 {
	if h < coldestHour {
		h += 24
	}
	if h <= warmestHour {
		return -math.Cos(math.Pi * (h - coldestHour) / (warmestHour - coldestHour))
	}
	return math.Cos(math.Pi * (h - warmestHour) / (24 + coldestHour - warmestHour))
}

// air returns the air temperature at t (Unix seconds).
func (c Climate) air(t float64) float64 {
	return c.dayMean(t) + c.DaySwingC*dayShape(localHours(t))
}

// sun returns the strength of sunshine at t, 0 at night to 1 at about
// half past noon.
func sun(t float64) float64 {
	const rise, set = 6.0, 19.0
	h := localHours(t)
	if h <= rise || h >= set {
		return 0
	}
	return math.Sin(math.Pi * (h - rise) / (set - rise))
}
