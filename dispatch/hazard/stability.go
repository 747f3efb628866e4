package hazard

import (
	"math"
	"strconv"
	"time"

	"parktwin/twin"
)

// StabilityInput is the weather for a Pasquill stability class.
type StabilityInput struct {
	WindSpeedMS     float64   `json:"windSpeedMS" unit:"m/s" doc:"wind speed at 10 m"`
	Time            time.Time `json:"time" unit:"RFC 3339" doc:"the moment, for the sun's elevation"`
	LatDeg          float64   `json:"latDeg" unit:"°" doc:"latitude, WGS84"`
	LonDeg          float64   `json:"lonDeg" unit:"°" doc:"longitude, WGS84"`
	CloudCoverOktas int       `json:"cloudCoverOktas" unit:"oktas" doc:"total cloud cover, 0 (clear) to 8 (overcast)"`
	// CeilingM is the cloud base; unknown (nil) counts as low cloud, the
	// choice that gives the more stable class.
	CeilingM *float64 `json:"ceilingM,omitempty" unit:"m" doc:"cloud ceiling; omitted: taken as low (< 2134 m)"`
}

// Validate refuses impossible weather. The table covers any wind speed; 0 is
// allowed here (calm is a stability question, not a plume one).
func (in StabilityInput) Validate() error {
	if in.Time.IsZero() {
		return twin.Invalid("time", "is required (RFC 3339)")
	}
	if in.CloudCoverOktas < 0 || in.CloudCoverOktas > 8 {
		return twin.Invalid("cloudCoverOktas", "must be between 0 and 8 oktas (got %d)", in.CloudCoverOktas)
	}
	if in.CeilingM != nil {
		if err := within("ceilingM", *in.CeilingM, 0, 20000, "m", ""); err != nil {
			return err
		}
	}
	return firstErr(
		within("windSpeedMS", in.WindSpeedMS, 0, 60, "m/s", ""),
		within("latDeg", in.LatDeg, -90, 90, "°", ""),
		within("lonDeg", in.LonDeg, -180, 180, "°", ""),
	)
}

// StabilityOutput is the class and how it was reached.
type StabilityOutput struct {
	// Class is the table's entry: one letter, or two ("B-C") where Pasquill
	// gives an intermediate class; the dispersion models accept both.
	Class           string  `json:"class" doc:"Pasquill stability class, A (very unstable) to F (stable), or an intermediate A-B, B-C, C-D"`
	Day             bool    `json:"day" doc:"true from one hour after sunrise to one hour before sunset"`
	SunElevationDeg float64 `json:"sunElevationDeg" unit:"°" doc:"sun's elevation above the horizon"`
	Insolation      string  `json:"insolation" doc:"the table column used: strong, moderate, slight, overcast, night-cloudy, night-clear"`
}

// Stability returns the Pasquill stability class from the wind at 10 m and,
// by day, the insolation, by night, the cloud cover: the table of Pasquill
// (1961) as given by Turner (1970), data/stability.csv. The insolation class
// follows Turner (1964): from the sun's elevation (> 60° strong, > 35°
// moderate, > 15° slight, else weak, counted as slight), lowered by two
// classes under a broken ceiling below 2134 m (7000 ft) and by one below
// 4877 m (16000 ft) or under full overcast above. A full overcast with a low
// ceiling gives D by day or night. Valid: any wind speed, any place and time;
// a class is a coarse description, not a measurement.
func Stability(in StabilityInput) (StabilityOutput, error) {
	if err := in.Validate(); err != nil {
		return StabilityOutput{}, err
	}
	elev, day := sunPosition(in.Time, in.LatDeg, in.LonDeg)
	low := in.CeilingM == nil || *in.CeilingM < 2134
	col := ""
	switch {
	case in.CloudCoverOktas == 8 && low:
		col = "overcast"
	case !day && in.CloudCoverOktas >= 4:
		col = "night_cloudy"
	case !day:
		col = "night_clear"
	default:
		icn := 1
		switch {
		case elev > 60:
			icn = 4
		case elev > 35:
			icn = 3
		case elev > 15:
			icn = 2
		}
		if in.CloudCoverOktas >= 5 { // more than 5/10
			switch {
			case low:
				icn -= 2
			case *in.CeilingM < 4877:
				icn--
			case in.CloudCoverOktas == 8:
				icn--
			}
		}
		col = map[int]string{4: "strong", 3: "moderate"}[max(icn, 1)]
		if col == "" {
			col = "slight"
		}
	}
	out := StabilityOutput{Day: day, SunElevationDeg: math.Round(elev*100) / 100,
		Insolation: map[string]string{"night_cloudy": "night-cloudy", "night_clear": "night-clear"}[col]}
	if out.Insolation == "" {
		out.Insolation = col
	}
	if col == "overcast" {
		out.Class = "D"
		return out, nil
	}
	idx := map[string]int{"strong": 1, "moderate": 2, "slight": 3, "night_cloudy": 4, "night_clear": 5}[col]
	for _, row := range tables.stability {
		below := math.Inf(1)
		if row[0] != "inf" {
			below, _ = strconv.ParseFloat(row[0], 64)
		}
		if in.WindSpeedMS < below {
			out.Class = row[idx]
			return out, nil
		}
	}
	return StabilityOutput{}, errNumeric("stability")
}
