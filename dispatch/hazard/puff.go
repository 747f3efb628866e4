package hazard

import (
	"math"
)

// PuffInput is an instantaneous release and the receptor the puff passes.
type PuffInput struct {
	MassKg          float64 `json:"massKg" unit:"kg" doc:"mass released at once"`
	WindSpeedMS     float64 `json:"windSpeedMS" unit:"m/s" doc:"wind speed at 10 m, at least 1 m/s"`
	StabilityClass  string  `json:"stabilityClass" doc:"Pasquill class A-F, or two adjacent (B-C)"`
	ReleaseHeightM  float64 `json:"releaseHeightM" unit:"m" doc:"release height"`
	DistanceM       float64 `json:"distanceM" unit:"m" doc:"downwind distance of the receptor, 100 m to 10 km"`
	CrosswindM      float64 `json:"crosswindM" unit:"m" doc:"crosswind offset of the receptor"`
	ReceptorHeightM float64 `json:"receptorHeightM" unit:"m" doc:"receptor height above ground"`
}

// Validate refuses calm wind, impossible masses and receptors outside the
// sigma fits' range.
func (in PuffInput) Validate() error {
	if _, err := classes("stabilityClass", in.StabilityClass); err != nil {
		return err
	}
	return firstErr(
		positive("massKg", in.MassKg, 1e7, "kg"),
		within("windSpeedMS", in.WindSpeedMS, MinWindSpeedMS, 50, "m/s",
			": a Gaussian puff is not valid in calm or near-calm wind"),
		within("releaseHeightM", in.ReleaseHeightM, 0, 500, "m", ""),
		within("distanceM", in.DistanceM, MinPlumeDistanceM, MaxPlumeDistanceM, "m",
			": the puff sigma fits hold from about 100 m to 10 km"),
		within("crosswindM", in.CrosswindM, -MaxPlumeDistanceM, MaxPlumeDistanceM, "m", ""),
		within("receptorHeightM", in.ReceptorHeightM, 0, 500, "m", ""),
	)
}

// PuffOutput is what the receptor sees as the puff passes.
type PuffOutput struct {
	ArrivalTimeS   float64 `json:"arrivalTimeS" unit:"s" doc:"time for the puff's centre to reach distanceM"`
	PeakMgM3       float64 `json:"peakMgM3" unit:"mg/m³" doc:"concentration at the receptor when the centre passes"`
	CentrePeakMgM3 float64 `json:"centrePeakMgM3" unit:"mg/m³" doc:"ground-level concentration at the puff's centre at distanceM"`
	DoseMgSM3      float64 `json:"doseMgSM3" unit:"mg·s/m³" doc:"time-integrated concentration at the receptor"`
	SigmaYM        float64 `json:"sigmaYM" unit:"m" doc:"along- and crosswind spread (σx = σy)"`
	SigmaZM        float64 `json:"sigmaZM" unit:"m" doc:"vertical spread"`
}

// Puff returns the concentration of a Gaussian puff with ground reflection
// (CCPS CPQRA 2nd ed. eq. 2.1.60; Crowl & Louvar eq. 5-58): C = 2M /
// ((2π)^(3/2) σx σy σz) · e^(-y²/2σy²) · ½[e^(-(z-H)²/2σz²) + e^(-(z+H)²/2σz²)]
// at the moment its centre passes x, with the puff sigmas of Slade (1968)
// (data/sigma.yaml), and the dose ∫C dt = M/(2π u σy σz)·(the same two
// exponentials), σ taken at x. Valid: wind at least 1 m/s, 100 m to 10 km,
// a passive (not dense) cloud.
func Puff(in PuffInput) (PuffOutput, error) {
	if err := in.Validate(); err != nil {
		return PuffOutput{}, err
	}
	cls, _ := classes("", in.StabilityClass)
	sy, sz := puffSigmas(cls, in.DistanceM)
	q := in.MassKg * 1e6 // mg
	peak := func(y, z float64) float64 {
		return q / (math.Pow(2*math.Pi, 1.5) * sy * sy * sz) * math.Exp(-y*y/(2*sy*sy)) *
			(math.Exp(-(z-in.ReleaseHeightM)*(z-in.ReleaseHeightM)/(2*sz*sz)) +
				math.Exp(-(z+in.ReleaseHeightM)*(z+in.ReleaseHeightM)/(2*sz*sz)))
	}
	out := PuffOutput{
		ArrivalTimeS:   in.DistanceM / in.WindSpeedMS,
		PeakMgM3:       peak(in.CrosswindM, in.ReceptorHeightM),
		CentrePeakMgM3: peak(0, 0),
		// The along-wind Gaussian integrates to √(2π) σx / u.
		DoseMgSM3: gaussPlume(q, in.WindSpeedMS, in.ReleaseHeightM, sy, sz, in.CrosswindM, in.ReceptorHeightM),
		SigmaYM:   sy,
		SigmaZM:   sz,
	}
	if !finite(out.PeakMgM3, out.CentrePeakMgM3, out.DoseMgSM3, sy, sz) {
		return PuffOutput{}, errNumeric("puff")
	}
	return out, nil
}
