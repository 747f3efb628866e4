package twin

import (
	"math"
	"time"
)

// Where a weather came from.
const (
	WeatherStation  = "station"  // the park's weather-station sensors
	WeatherOverride = "override" // an operator's override
	WeatherDrill    = "drill"    // a drill's scenario
)

// Weather is the weather the consequence models are run with: the wind at
// 10 m (where it blows from, clockwise from north, and its speed), the air
// and the cloud. The Pasquill stability class is derived from it and the
// time of day (dispatch/hazard); Stability, when set, is a class given
// outright (a drill's), which the derivation does not replace.
type Weather struct {
	WindFromDeg  float64   `json:"windFromDeg"`
	WindSpeedMS  float64   `json:"windSpeedMS"`
	TemperatureC float64   `json:"temperatureC"`
	HumidityPct  float64   `json:"humidityPct"`
	CloudOktas   int       `json:"cloudOktas"`
	Stability    string    `json:"stability,omitempty"`
	Source       string    `json:"source"`
	At           time.Time `json:"at"`
	By           string    `json:"by,omitempty"`
	Note         string    `json:"note,omitempty"`
}

// Validate checks the weather's ranges; each error names its field.
func (w *Weather) Validate() error {
	in := func(field string, v, lo, hi float64, unit string) error {
		if math.IsNaN(v) || v < lo || v > hi {
			return Invalid(field, "must be between %v and %v %s, got %v", lo, hi, unit, v)
		}
		return nil
	}
	err := firstErr(
		in("windFromDeg", w.WindFromDeg, 0, 360, "°"),
		in("windSpeedMS", w.WindSpeedMS, 0, 60, "m/s"),
		in("temperatureC", w.TemperatureC, -40, 50, "°C"),
		in("humidityPct", w.HumidityPct, 0, 100, "%"),
		in("cloudOktas", float64(w.CloudOktas), 0, 8, "oktas"),
	)
	if err != nil {
		return err
	}
	switch w.Stability {
	case "", "A", "B", "C", "D", "E", "F":
	default:
		return Invalid("stability", "a Pasquill class A to F, got %q", w.Stability)
	}
	switch w.Source {
	case WeatherStation, WeatherOverride, WeatherDrill:
	default:
		return Invalid("source", "want %s, %s or %s, got %q", WeatherStation, WeatherOverride, WeatherDrill, w.Source)
	}
	return nil
}

// Differs reports whether o differs from w enough to change a zone: the
// wind turned by 10° or more, its speed by 0.5 m/s or more, the given
// class, the cloud by 2 oktas, the air by 2 °C or 10 % humidity, or the
// source. Smaller wobbles of a station are not changes of the park.
func (w *Weather) Differs(o *Weather) bool {
	if w == nil || o == nil {
		return w != o
	}
	turn := math.Abs(math.Mod(w.WindFromDeg-o.WindFromDeg+540, 360) - 180)
	return turn >= 10 || math.Abs(w.WindSpeedMS-o.WindSpeedMS) >= 0.5 || w.Stability != o.Stability ||
		abs(w.CloudOktas-o.CloudOktas) >= 2 || math.Abs(w.TemperatureC-o.TemperatureC) >= 2 ||
		math.Abs(w.HumidityPct-o.HumidityPct) >= 10 || w.Source != o.Source
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
