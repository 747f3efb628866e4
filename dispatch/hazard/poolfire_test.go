package hazard

import (
	"math"
	"testing"
)

// NUREG-1805 (2004) chapter 5 spreadsheet "Heat flux calculations, wind
// free, point source", its two worked inputs:
//   - transformer oil (m”∞ 0.039, ΔHc 46,000 kJ/kg, kβ 0.7), a 9 ft² pool
//     (0.836 m²): HRR 771.52 kW;
//   - diesel (0.045, 44,400, 2.1) in a 2545 ft² (236.44 m²) dike: HRR 472,403.60 kW.
//
// Tolerance 0.1 %.
func TestPoolFireNUREG1805(t *testing.T) {
	for _, c := range []struct {
		fuel   string
		areaM2 float64
		wantKW float64
	}{
		{"transformer oil", 9 * 0.09290304, 771.52},
		{"diesel", 2545 * 0.09290304, 472403.60},
	} {
		got, err := PoolFire(PoolFireInput{Fuel: c.fuel, DiameterM: math.Sqrt(4 * c.areaM2 / math.Pi)})
		if err != nil {
			t.Fatal(err)
		}
		near(t, c.fuel+" HRR (kW)", got.HeatReleaseRateMW*1000, c.wantKW, 0.001)
	}
}

// Thomas's flame height and Mudan's SEP against their formulas' arithmetic
// for a 10 m gasoline pool at 25 °C: m” = 0.055 (1 − e^−21) kg/(m²·s),
// ρa = 1.184 kg/m³, L = 42·10·(0.055/(1.184·√98.1))^0.61, and
// E = 140 e^−1.2 + 20 (1 − e^−1.2) = 56.15 kW/m².
func TestPoolFireCorrelations(t *testing.T) {
	got, err := PoolFire(PoolFireInput{Fuel: "gasoline", DiameterM: 10})
	if err != nil {
		t.Fatal(err)
	}
	rho := 101325 * 0.028965 / (8.314462618 * 298.15)
	near(t, "ρa", rho, 1.184, 0.001)
	near(t, "flame height", got.FlameHeightM, 420*math.Pow(0.055*(1-math.Exp(-21))/(rho*math.Sqrt(98.1)), 0.61), 1e-9)
	near(t, "SEP", got.SEPKWM2, 56.146, 1e-4)
	// Mudan's limits: 140 kW/m² for small fires, 20 for very large smoky ones.
	sep := func(d float64) float64 {
		o, _ := PoolFire(PoolFireInput{Fuel: "gasoline", DiameterM: d})
		return o.SEPKWM2
	}
	if sep(1) > 140 || sep(100) < 20 || sep(1) <= sep(100) {
		t.Errorf("SEP(1 m) = %.1f, SEP(100 m) = %.1f", sep(1), sep(100))
	}
}

// The cylinder's view factor against a numerical integration of
// cosθ1 cosθ2 / (π s²) over its visible side: the closed form (Mudan 1984 /
// SFPE) is checked, not merely restated. Tolerance 0.5 %.
func TestCylinderViewFactor(t *testing.T) {
	for _, c := range []struct{ r, h, x float64 }{{5, 20, 12}, {5, 20, 50}, {10, 15, 30}, {2, 8, 100}} {
		_, fv, fh := cylinderViewFactor(c.r, c.h, c.x)
		near(t, "vertical", fv, numericViewFactor(c.r, c.h, c.x, [3]float64{-1, 0, 0}), 0.005)
		near(t, "horizontal", fh, numericViewFactor(c.r, c.h, c.x, [3]float64{0, 0, 1}), 0.005)
	}
}

func numericViewFactor(r, h, x float64, n [3]float64) float64 {
	const nphi, nz = 2000, 1000
	f := 0.0
	dphi, dz := 2*math.Pi/nphi, h/nz
	for i := 0; i < nphi; i++ {
		phi := (float64(i) + 0.5) * dphi
		cx, cy := math.Cos(phi), math.Sin(phi)
		for j := 0; j < nz; j++ {
			z := (float64(j) + 0.5) * dz
			d := [3]float64{r*cx - x, r * cy, z}
			s2 := d[0]*d[0] + d[1]*d[1] + d[2]*d[2]
			s := math.Sqrt(s2)
			c1 := (n[0]*d[0] + n[1]*d[1] + n[2]*d[2]) / s
			c2 := -(cx*d[0] + cy*d[1]) / s
			if c1 > 0 && c2 > 0 {
				f += c1 * c2 / (math.Pi * s2) * r * dphi * dz
			}
		}
	}
	return f
}

// Flux falls with distance, by both models, and the threshold distances
// bracket it: at each distance the flux equals its threshold.
func TestPoolFireFluxFalls(t *testing.T) {
	in := PoolFireInput{Fuel: "benzene", DiameterM: 15}
	prevS, prevP := math.Inf(1), math.Inf(1)
	for _, x := range logGrid(7.6, 5000, 100) {
		in.DistanceM = ptr(x)
		got, err := PoolFire(in)
		if err != nil {
			t.Fatal(err)
		}
		if got.At.SolidFlameKWM2 >= prevS || got.At.PointSourceKWM2 >= prevP {
			t.Fatalf("flux rises at %.1f m", x)
		}
		prevS, prevP = got.At.SolidFlameKWM2, got.At.PointSourceKWM2
	}
	in.DistanceM = nil
	got, _ := PoolFire(in)
	for _, d := range got.SolidFlameDistances {
		if !d.Reached {
			continue
		}
		in.DistanceM = ptr(d.DistanceM)
		at, _ := PoolFire(in)
		near(t, "solid flame at its threshold distance", at.At.SolidFlameKWM2, d.FluxKWM2, 1e-6)
	}
}

func TestPoolFireRefuses(t *testing.T) {
	_, err := PoolFire(PoolFireInput{Fuel: "gasoline", DiameterM: 10, DistanceM: ptr(4)})
	refused(t, err, "distanceM") // inside the flame
	_, err = PoolFire(PoolFireInput{Fuel: "napalm", DiameterM: 10})
	refused(t, err, "fuel")
	_, err = PoolFire(PoolFireInput{Fuel: "gasoline", DiameterM: 500})
	refused(t, err, "diameterM")
	_, err = PoolFire(PoolFireInput{DiameterM: 10})
	refused(t, err, "fuel")
	_, err = PoolFire(PoolFireInput{Fuel: "gasoline", DiameterM: 10, Atmosphere: Atmosphere{RelativeHumidityPct: ptr(120)}})
	refused(t, err, "relativeHumidityPct")
}

// Water-vapour pressure at 20 °C from the CCPS fit: about 2.3 kPa (steam
// tables: 2.339 kPa); tolerance 3 %.
func TestTransmissivity(t *testing.T) {
	c := tables.thermal.Transmissivity
	near(t, "Psat(293.15 K)", math.Exp(c.PsatC1-c.PsatC2/(293.15-c.PsatC3)), 2339, 0.03)
	a := Atmosphere{AirTemperatureK: ptr(293.15), RelativeHumidityPct: ptr(50)}
	if a.tau(10) != 1 && a.tau(10) > 1 {
		t.Error("τ above 1")
	}
	if a.tau(100) <= a.tau(1000) {
		t.Error("τ does not fall with path length")
	}
}
