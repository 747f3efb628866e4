package hazard

import (
	"math"
	"testing"
)

// A published BLEVE worked example (calculation sheet citing CCPS): a
// 22.7 m³ propane tank truck, 90 % full (585.3 kg/m³, 11,957.7 kg), target
// 100 m along the ground: D = 132.6 m, t = 10.3 s, F = (D/2)² X /
// (X² + (D/2)²)^1.5 = 0.255 (centre at D/2, vertical target), q = 350 × F =
// 89.1 kW/m² (no attenuation). Tolerance 0.5 % (the sheet rounds).
func TestFireballWorkedExample(t *testing.T) {
	m := 22.7 * 585.3 * 0.9
	near(t, "mass", m, 11957.7, 1e-4)
	d := fireballDiameter(m)
	got, err := Fireball(FireballInput{MassKg: m, DistanceM: ptr(100), CentreHeightM: ptr(d / 2),
		SEPKWM2: ptr(350), Atmosphere: Atmosphere{Transmissivity: ptr(1)}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "D", got.DiameterM, 132.6, 0.005)
	near(t, "t", got.DurationS, 10.3, 0.005)
	near(t, "F", got.At.ViewFactorVertical, 0.255, 0.005)
	near(t, "q", got.At.FluxVerticalKWM2, 89.1, 0.005)
}

// Above 30 t the duration is 2.6 M^(1/6); Roberts' radiative fraction
// 0.27 P^0.32 feeds the SEP E = Fr M ΔHc / (π D² t).
func TestFireballLarge(t *testing.T) {
	got, err := Fireball(FireballInput{MassKg: 45360, VapourPressureMPa: ptr(0.82), HeatOfCombustionJKg: ptr(46.35e6)})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "t", got.DurationS, 2.6*math.Pow(45360, 1.0/6), 1e-12)
	near(t, "H", got.CentreHeightM, 0.75*got.DiameterM, 1e-12)
	fr := 0.27 * math.Pow(0.82, 0.32)
	near(t, "SEP", got.SEPKWM2, fr*45360*46.35e6/(math.Pi*got.DiameterM*got.DiameterM*got.DurationS)/1000, 1e-12)
	prev := math.Inf(1)
	for _, x := range logGrid(1, 5000, 60) {
		o, err := Fireball(FireballInput{MassKg: 45360, DistanceM: ptr(x)})
		if err != nil {
			t.Fatal(err)
		}
		if o.At.FluxKWM2 >= prev {
			t.Fatalf("flux rises at %.0f m", x)
		}
		prev = o.At.FluxKWM2
	}
}

func TestFireballRefuses(t *testing.T) {
	_, err := Fireball(FireballInput{MassKg: 0})
	refused(t, err, "massKg")
	_, err = Fireball(FireballInput{MassKg: 1000, DistanceM: ptr(1), CentreHeightM: ptr(28.8)})
	refused(t, err, "distanceM") // inside the fireball
	_, err = Fireball(FireballInput{MassKg: 1000, RadiativeFraction: ptr(0.3)})
	refused(t, err, "heatOfCombustionJKg")
}
