package hazard

import (
	"math"
)

// The Gaussian models' range of validity: the sigma fits hold from about
// 100 m to 10 km, and the plume needs a wind that carries it.
const (
	MinPlumeDistanceM = 100
	MaxPlumeDistanceM = 10000
	MinWindSpeedMS    = 1
)

// PlumeSource is a continuous release into a steady wind: what every plume
// model needs.
type PlumeSource struct {
	ReleaseRateKgS float64 `json:"releaseRateKgS" unit:"kg/s" doc:"mass release rate"`
	WindSpeedMS    float64 `json:"windSpeedMS" unit:"m/s" doc:"wind speed at 10 m, at least 1 m/s"`
	StabilityClass string  `json:"stabilityClass" doc:"Pasquill class A-F, or two adjacent (B-C)"`
	Dispersion     string  `json:"dispersion" doc:"sigma scheme: briggs-rural, briggs-urban or pasquill-gifford"`
	ReleaseHeightM float64 `json:"releaseHeightM" unit:"m" doc:"effective release height"`
}

// Validate refuses calm wind, impossible rates and unknown classes.
func (s PlumeSource) Validate() error {
	if _, err := classes("stabilityClass", s.StabilityClass); err != nil {
		return err
	}
	return firstErr(
		positive("releaseRateKgS", s.ReleaseRateKgS, 1e4, "kg/s"),
		within("windSpeedMS", s.WindSpeedMS, MinWindSpeedMS, 50, "m/s",
			": a Gaussian plume is not valid in calm or near-calm wind"),
		validScheme(s.Dispersion),
		within("releaseHeightM", s.ReleaseHeightM, 0, 500, "m", ""),
	)
}

// concentration returns the concentration (mg/m³) at (x, y, z) with full
// reflection at the ground; s must be valid and x > 0.
func (s PlumeSource) concentration(x, y, z float64) float64 {
	cls, _ := classes("", s.StabilityClass)
	sy, sz := sigmas(s.Dispersion, cls, x)
	return gaussPlume(s.ReleaseRateKgS*1e6, s.WindSpeedMS, s.ReleaseHeightM, sy, sz, y, z)
}

// gaussPlume is C = Q/(2π u σy σz) e^(-y²/2σy²) [e^(-(z-H)²/2σz²) + e^(-(z+H)²/2σz²)].
func gaussPlume(q, u, h, sy, sz, y, z float64) float64 {
	a := q / (2 * math.Pi * u * sy * sz)
	return a * math.Exp(-y*y/(2*sy*sy)) *
		(math.Exp(-(z-h)*(z-h)/(2*sz*sz)) + math.Exp(-(z+h)*(z+h)/(2*sz*sz)))
}

// maxGround returns the largest ground-level centreline concentration
// between 100 m and 10 km and its distance.
func (s PlumeSource) maxGround() (x, c float64) {
	return argmax(func(x float64) float64 { return s.concentration(x, 0, 0) },
		MinPlumeDistanceM, MaxPlumeDistanceM)
}

// PlumeInput asks for the concentration at one receptor.
type PlumeInput struct {
	PlumeSource
	DistanceM       float64 `json:"distanceM" unit:"m" doc:"downwind distance, 100 m to 10 km"`
	CrosswindM      float64 `json:"crosswindM" unit:"m" doc:"crosswind offset of the receptor"`
	ReceptorHeightM float64 `json:"receptorHeightM" unit:"m" doc:"receptor height above ground"`
}

// Validate adds the receptor's range to the source's.
func (in PlumeInput) Validate() error {
	return firstErr(
		in.PlumeSource.Validate(),
		within("distanceM", in.DistanceM, MinPlumeDistanceM, MaxPlumeDistanceM, "m",
			": the sigma fits hold from about 100 m to 10 km"),
		within("crosswindM", in.CrosswindM, -MaxPlumeDistanceM, MaxPlumeDistanceM, "m", ""),
		within("receptorHeightM", in.ReceptorHeightM, 0, 500, "m", ""),
	)
}

// PlumeOutput is the concentration field at the receptor and the plume's
// ground-level maximum.
type PlumeOutput struct {
	ConcentrationMgM3    float64 `json:"concentrationMgM3" unit:"mg/m³" doc:"concentration at the receptor"`
	CentrelineMgM3       float64 `json:"centrelineMgM3" unit:"mg/m³" doc:"ground-level centreline concentration at distanceM"`
	SigmaYM              float64 `json:"sigmaYM" unit:"m" doc:"crosswind spread at distanceM"`
	SigmaZM              float64 `json:"sigmaZM" unit:"m" doc:"vertical spread at distanceM"`
	MaxConcentrationMgM3 float64 `json:"maxConcentrationMgM3" unit:"mg/m³" doc:"largest ground-level centreline concentration, 100 m to 10 km"`
	MaxDistanceM         float64 `json:"maxDistanceM" unit:"m" doc:"where that maximum is (100 m for a ground release: the nearest valid distance)"`
}

// Plume returns the ground-reflected Gaussian plume concentration of a
// continuous release (Turner 1970 eq. 3.1 with reflection; CCPS CPQRA 2nd ed.
// eq. 2.1.59), with sigma_y and sigma_z from Briggs (1973, rural or urban) or
// the Pasquill-Gifford curves, and the ground-level maximum between 100 m and
// 10 km. Valid: wind at least 1 m/s, 100 m to 10 km downwind, a passive
// (neutrally buoyant) plume over flat ground; a dense gas near its source is
// outside it.
func Plume(in PlumeInput) (PlumeOutput, error) {
	if err := in.Validate(); err != nil {
		return PlumeOutput{}, err
	}
	cls, _ := classes("", in.StabilityClass)
	sy, sz := sigmas(in.Dispersion, cls, in.DistanceM)
	xm, cm := in.maxGround()
	out := PlumeOutput{
		ConcentrationMgM3:    in.concentration(in.DistanceM, in.CrosswindM, in.ReceptorHeightM),
		CentrelineMgM3:       in.concentration(in.DistanceM, 0, 0),
		SigmaYM:              sy,
		SigmaZM:              sz,
		MaxConcentrationMgM3: cm,
		MaxDistanceM:         xm,
	}
	if !finite(out.ConcentrationMgM3, out.CentrelineMgM3, sy, sz, xm, cm) {
		return PlumeOutput{}, errNumeric("plume")
	}
	return out, nil
}
