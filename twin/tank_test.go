package twin_test

import (
	"math"
	"testing"

	"parktwin/twin"
)

// A tank's fill by its shape: a sphere's cap x²(3 − 2x), a horizontal
// cylinder's segment (θ − sin θ)/2π, an upright cylinder in proportion.
func TestFillFractionByShape(t *testing.T) {
	sphere := &twin.Tank{Type: twin.PressureSphere, DiameterM: 12, HeightM: 12}
	bullet := &twin.Tank{Type: twin.Horizontal, DiameterM: 3, HeightM: 15}
	upright := &twin.Tank{Type: twin.FixedRoof, DiameterM: 20, HeightM: 16}
	th := 2 * math.Acos(0.5)
	for _, c := range []struct {
		tank  *twin.Tank
		level float64
		want  float64
	}{
		{sphere, 3, 0.15625}, {sphere, 6, 0.5}, {sphere, 12, 1}, {sphere, 13, 1},
		{bullet, 0.75, (th - math.Sin(th)) / (2 * math.Pi)}, {bullet, 1.5, 0.5}, {bullet, -1, 0},
		{upright, 4, 0.25},
	} {
		if got := c.tank.FillFraction(c.level); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s at %v m: %v, want %v", c.tank.Type, c.level, got, c.want)
		}
	}
}
