package hazard

import (
	"math"
	"testing"
	"time"
)

// The sun's position against astronomical facts: the declination is about
// +23.44° at the June solstice and 0° at the March equinox, so at local
// solar noon the elevation is 90° − latitude + declination.
func TestSunElevation(t *testing.T) {
	near(t, "declination 2024-06-21", solarDeclinationDeg(time.Date(2024, 6, 21, 12, 0, 0, 0, time.UTC)), 23.44, 0.01)
	if d := solarDeclinationDeg(time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)); math.Abs(d) > 0.5 {
		t.Errorf("declination at the March equinox = %.3f°, want about 0", d)
	}
	// Greenwich (51.4769 N, 0), noon UTC at the June solstice: the equation
	// of time is under 2 minutes then, so the sun stands near 61.96°.
	e, day := sunPosition(time.Date(2024, 6, 21, 12, 2, 0, 0, time.UTC), 51.4769, 0)
	if math.Abs(e-61.96) > 0.3 || !day {
		t.Errorf("Greenwich solstice noon: elevation %.2f° day %v, want 61.96° ± 0.3, day", e, day)
	}
	// Shangyu (30.1 N, 120.9 E) at 02:00 local (18:00 UTC): night.
	if e, day := sunPosition(time.Date(2024, 6, 20, 18, 0, 0, 0, time.UTC), 30.1, 120.9); day || e > -20 {
		t.Errorf("Shangyu 02:00 local: elevation %.1f° day %v, want well below the horizon, night", e, day)
	}
	// Half an hour after sunrise is still night in Turner's sense.
	if _, day := sunPosition(time.Date(2024, 6, 20, 21, 30, 0, 0, time.UTC), 30.1, 120.9); day {
		t.Error("Shangyu 05:30 local (sunrise about 05:00): day, want night (within an hour of sunrise)")
	}
}

// The Pasquill-Turner table (Turner 1970 Table 1): a few cells of each column.
func TestStabilityTable(t *testing.T) {
	noonJune := time.Date(2024, 6, 21, 4, 0, 0, 0, time.UTC)  // 12:00 in Shangyu, sun ~83°
	noonDec := time.Date(2024, 12, 21, 4, 0, 0, 0, time.UTC)  // sun ~36.5°
	morning := time.Date(2024, 6, 21, 23, 30, 0, 0, time.UTC) // 07:30 local, sun ~29°
	night := time.Date(2024, 6, 21, 16, 0, 0, 0, time.UTC)    // 00:00 local
	high := 6000.0
	for _, c := range []struct {
		name  string
		wind  float64
		at    time.Time
		oktas int
		ceil  *float64
		want  string
		insol string
	}{
		{"strong, calm", 1.5, noonJune, 0, nil, "A", "strong"},
		{"strong, 2.5 m/s", 2.5, noonJune, 0, nil, "A-B", "strong"},
		{"strong, 4 m/s", 4, noonJune, 0, nil, "B", "strong"},
		{"strong, 7 m/s", 7, noonJune, 0, nil, "C", "strong"},
		{"moderate, 4 m/s", 4, noonDec, 2, nil, "B-C", "moderate"},
		{"slight, 5.5 m/s", 5.5, morning, 0, nil, "D", "slight"},
		{"slight, 1 m/s", 1, morning, 0, nil, "B", "slight"},
		{"strong lowered by low broken cloud", 2.5, noonJune, 6, nil, "C", "slight"},
		{"strong lowered one class by a middle ceiling", 2.5, noonJune, 6, ptr(3000), "B", "moderate"},
		{"strong, full high overcast", 2.5, noonJune, 8, &high, "B", "moderate"},
		{"overcast day, low ceiling", 2.5, noonJune, 8, nil, "D", "overcast"},
		{"night clear 2.5 m/s", 2.5, night, 2, nil, "F", "night-clear"},
		{"night cloudy 2.5 m/s", 2.5, night, 5, ptr(3000), "E", "night-cloudy"},
		{"night clear 4 m/s", 4, night, 0, nil, "E", "night-clear"},
		{"night cloudy 4 m/s", 4, night, 4, ptr(3000), "D", "night-cloudy"},
		{"night, calm", 0.5, night, 0, nil, "F", "night-clear"},
		{"overcast night, 7 m/s (Turner's example)", 7, night, 8, nil, "D", "overcast"},
		{"night windy", 8, night, 0, nil, "D", "night-clear"},
	} {
		got, err := Stability(StabilityInput{WindSpeedMS: c.wind, Time: c.at, LatDeg: 30.1, LonDeg: 120.9,
			CloudCoverOktas: c.oktas, CeilingM: c.ceil})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Class != c.want || got.Insolation != c.insol {
			t.Errorf("%s: class %s (%s, sun %.1f°), want %s (%s)", c.name, got.Class, got.Insolation, got.SunElevationDeg, c.want, c.insol)
		}
	}
}

func TestStabilityRefuses(t *testing.T) {
	ok := StabilityInput{WindSpeedMS: 3, Time: time.Now(), LatDeg: 30, LonDeg: 120}
	bad := ok
	bad.WindSpeedMS = -1
	_, err := Stability(bad)
	refused(t, err, "windSpeedMS")
	bad = ok
	bad.CloudCoverOktas = 9
	_, err = Stability(bad)
	refused(t, err, "cloudCoverOktas")
	bad = ok
	bad.LatDeg = 91
	_, err = Stability(bad)
	refused(t, err, "latDeg")
	bad = ok
	bad.Time = time.Time{}
	_, err = Stability(bad)
	refused(t, err, "time")
	bad = ok
	bad.WindSpeedMS = math.NaN()
	_, err = Stability(bad)
	refused(t, err, "windSpeedMS")
}
