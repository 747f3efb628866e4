package hazard

import (
	"math"
	"testing"
)

// The Kingery-Bulmash polynomial against the simplified fits of Swisdak
// (1994), as tabulated (1 t TNT surface burst) in a public implementation's
// test table: incident overpressure 1354 kPa at Z = 1, 115.7 at 3, 64.89 at
// 4, 14.89 at 10, 6.102 at 20, 2.375 at 40, and (Swisdak's far field, which
// the model uses past 40) 0.654 at 100. Two independent fits of the same
// trials; tolerance 1 %.
func TestKingeryBulmash(t *testing.T) {
	for _, c := range []struct{ z, kPa float64 }{{1, 1354}, {3, 115.7}, {4, 64.89}, {10, 14.89}, {20, 6.102}, {40, 2.375}, {100, 0.654}} {
		got, ok := kbSurface(c.z)
		if !ok {
			t.Fatalf("Z = %g out of range", c.z)
		}
		near(t, "KB at Z="+show(c.z), got, c.kPa, 0.01)
	}
	// The polynomial and the far-field fit meet at Z = 40 within 0.5 %.
	p40, _ := kbSurface(40)
	near(t, "far fit at 40", math.Exp(tables.blast.SwisdakFar.A+tables.blast.SwisdakFar.B*math.Log(40)), p40, 0.005)
	if _, ok := kbSurface(0.05); ok {
		t.Error("Z = 0.05 accepted, below the fit")
	}
}

// A hemispherical surface burst acts like a free-air burst of about twice
// the charge (UFC 3-340-02's reflection factor is 1.8-2): Kinney-Graham at
// Z/2^(1/3) should fall within 10 % of Kingery-Bulmash at Z for 5 ≤ Z ≤ 30
// (closer in, the two part by 20 % and more).
// Kinney-Graham at Z = 10 by its own arithmetic: 808·(1+4.938)/(√43404·√977.6·√55.87)·101.325.
func TestKinneyGraham(t *testing.T) {
	near(t, "KG at Z=10", kinneyGraham(10), 101.325*808*(1+100/20.25)/
		(math.Sqrt(1+100/0.002304)*math.Sqrt(1+100/0.1024)*math.Sqrt(1+100/1.8225)), 1e-12)
	for _, z := range []float64{5, 10, 20, 30} {
		kb, _ := kbSurface(z)
		near(t, "KG(Z/∛2) vs KB(Z) at Z="+show(z), kinneyGraham(z/math.Cbrt(2)), kb, 0.10)
	}
}

// TNT equivalence: 1 t of propane (46.35 MJ/kg) at 5 % yield is
// 0.05 × 1000 × 46.35 / 4.68 = 495.2 kg TNT (CCPS CPQRA 2nd ed. eq. 2.2.1).
func TestBlastTNT(t *testing.T) {
	got, err := Blast(BlastInput{Kind: VapourCloud, MassKg: 1000, HeatOfCombustionJKg: 46.35e6, YieldFraction: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "W", got.TNTMassKg, 495.19, 1e-4)
	// Each distance gives back its overpressure, and the distances grow as
	// the overpressure falls.
	cw := math.Cbrt(got.TNTMassKg)
	prev := math.Inf(1)
	for _, d := range got.Distances {
		near(t, "KG at its distance", kinneyGraham(d.FreeAirM/cw), d.OverpressureKPa, 1e-6)
		if d.SurfaceBurstM == nil {
			t.Fatalf("%.1f kPa: no surface-burst distance", d.OverpressureKPa)
		}
		p, _ := kbSurface(*d.SurfaceBurstM / cw)
		near(t, "KB at its distance", p, d.OverpressureKPa, 1e-6)
		if *d.SurfaceBurstM >= prev {
			t.Errorf("distance to %.1f kPa not shorter than to a lower overpressure", d.OverpressureKPa)
		}
		prev = *d.SurfaceBurstM
	}
	// Overpressure falls with distance.
	last := math.Inf(1)
	for _, r := range logGrid(5, 4000, 80) {
		o, err := Blast(BlastInput{Kind: Condensed, MassKg: 100, TNTEquivalence: 1, DistanceM: ptr(r)})
		if err != nil {
			t.Fatal(err)
		}
		if o.At.FreeAirKPa >= last || (o.At.SurfaceBurstKPa != nil && *o.At.SurfaceBurstKPa >= last*2) {
			t.Fatalf("overpressure rises at %.0f m", r)
		}
		last = o.At.FreeAirKPa
	}
}

func TestBlastRefuses(t *testing.T) {
	_, err := Blast(BlastInput{Kind: "nuclear", MassKg: 1})
	refused(t, err, "kind")
	_, err = Blast(BlastInput{Kind: VapourCloud, MassKg: 1000, HeatOfCombustionJKg: 46e6, YieldFraction: 0.5})
	refused(t, err, "yieldFraction")
	_, err = Blast(BlastInput{Kind: Condensed, MassKg: -3, TNTEquivalence: 1})
	refused(t, err, "massKg")
	_, err = Blast(BlastInput{Kind: Condensed, MassKg: 1000, TNTEquivalence: 1, DistanceM: ptr(0.2)})
	refused(t, err, "distanceM") // Z = 0.02, inside the charge's near field
}
