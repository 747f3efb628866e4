package hazard

import (
	"math"
	"testing"
)

// The dose a puff delivers equals the concentration a plume with the same
// sigmas would give per unit release rate: ∫C dt = M/(π σy σz u) on the
// ground axis for a ground release (the along-wind Gaussian integrates to
// √(2π) σx / u).
func TestPuffDose(t *testing.T) {
	got, err := Puff(PuffInput{MassKg: 1, WindSpeedMS: 2, StabilityClass: "F", DistanceM: 500})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "dose", got.DoseMgSM3, 1e6/(math.Pi*got.SigmaYM*got.SigmaZM*2), 1e-12)
	near(t, "arrival", got.ArrivalTimeS, 250, 1e-12)
	// Slade's class F puff sigmas at 500 m: 0.02·500^0.89, 0.05·500^0.61.
	near(t, "σy", got.SigmaYM, 0.02*math.Pow(500, 0.89), 1e-12)
	near(t, "σz", got.SigmaZM, 0.05*math.Pow(500, 0.61), 1e-12)
	// Peak at the centre of a ground puff: M/(√2 π^1.5 σx σy σz)
	// (Crowl & Louvar eq. 5-58 with y = z = H = 0).
	near(t, "peak", got.CentrePeakMgM3, 1e6/(math.Sqrt2*math.Pow(math.Pi, 1.5)*got.SigmaYM*got.SigmaYM*got.SigmaZM), 1e-12)
}

func TestPuffFallsWithDistance(t *testing.T) {
	prev := math.Inf(1)
	for _, x := range logGrid(MinPlumeDistanceM, MaxPlumeDistanceM, 50) {
		got, err := Puff(PuffInput{MassKg: 100, WindSpeedMS: 3, StabilityClass: "D", DistanceM: x})
		if err != nil {
			t.Fatal(err)
		}
		if got.CentrePeakMgM3 >= prev {
			t.Fatalf("peak rises at %.0f m", x)
		}
		prev = got.CentrePeakMgM3
	}
}

func TestPuffRefuses(t *testing.T) {
	_, err := Puff(PuffInput{MassKg: 1, WindSpeedMS: 0, StabilityClass: "D", DistanceM: 500})
	refused(t, err, "windSpeedMS")
	_, err = Puff(PuffInput{MassKg: -1, WindSpeedMS: 2, StabilityClass: "D", DistanceM: 500})
	refused(t, err, "massKg")
	_, err = Puff(PuffInput{MassKg: 1, WindSpeedMS: 2, StabilityClass: "D", DistanceM: 20000})
	refused(t, err, "distanceM")
}
