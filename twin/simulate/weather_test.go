package simulate

import (
	"math"
	"testing"
	"time"
)

// The bay's breezes: on a summer day the wind turns onshore (from the
// north, the bay) in the afternoon and offshore (from the south) at
// night — ShangyuWind's sea breeze from 20° and land breeze from 190°.
func TestSeaBreeze(t *testing.T) {
	c := Shangyu()
	bj := time.FixedZone("CST", 8*3600)
	northerly := func(h int) float64 {
		// The mean over a week of the wind's northward-from component,
		// so that the wander averages out.
		sum := 0.0
		for d := range 7 {
			at := time.Date(2026, 7, 10+d, h, 0, 0, 0, bj)
			from, speed := c.wind(keyOf(1, "weather-station"), float64(at.Unix()))
			sum += speed * math.Cos(from*math.Pi/180)
		}
		return sum / 7
	}
	if day, night := northerly(14), northerly(2); day <= night+1.5 {
		t.Errorf("onshore component at 14:00 %.2f m/s, at 02:00 %.2f: want the sea breeze's 2.5 m/s between them", day, night)
	}
	for h := range 24 {
		at := time.Date(2026, 1, 20, h, 0, 0, 0, bj)
		from, speed := c.wind(7, float64(at.Unix()))
		if from < 0 || from >= 360 || speed <= 0 || speed > 15 {
			t.Errorf("%02d:00: wind from %.1f° at %.1f m/s", h, from, speed)
		}
	}
}
