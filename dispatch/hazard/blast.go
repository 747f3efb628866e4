package hazard

import (
	"math"

	"parktwin/twin"
)

// OverpressureThresholdsKPa are the side-on overpressures whose distances the
// blast model reports: 0.7 (typical window glass breaks), 3.5 (light damage,
// 0.5 psi), 13.8 (partial collapse of walls and roofs, 2 psi), 20.7 (steel
// frame buildings distorted, 3 psi).
var OverpressureThresholdsKPa = []float64{0.7, 3.5, 13.8, 20.7}

// Explosion kinds.
const (
	VapourCloud = "vapour-cloud"
	Condensed   = "condensed"
)

// BlastInput is an explosion by the TNT-equivalence method.
type BlastInput struct {
	Kind   string  `json:"kind" doc:"vapour-cloud (fuel mass, heat of combustion, yield) or condensed (explosive mass, TNT equivalence)"`
	MassKg float64 `json:"massKg" unit:"kg" doc:"fuel in the cloud, or explosive"`
	// Vapour cloud: W_TNT = yield · M · ΔHc / E_TNT.
	HeatOfCombustionJKg float64 `json:"heatOfCombustionJKg,omitempty" unit:"J/kg" doc:"vapour cloud: fuel's heat of combustion"`
	YieldFraction       float64 `json:"yieldFraction,omitempty" doc:"vapour cloud: explosion yield, 0.01-0.10 (3-5 % typical)"`
	// Condensed: W_TNT = factor · M.
	TNTEquivalence float64  `json:"tntEquivalence,omitempty" doc:"condensed: TNT equivalence by mass (1 for TNT)"`
	DistanceM      *float64 `json:"distanceM,omitempty" unit:"m" doc:"target's distance from the charge or the cloud's centre"`
}

// Validate refuses unknown kinds, impossible masses and yields outside the
// range the TNT method is used with.
func (in BlastInput) Validate() error {
	errs := []error{positive("massKg", in.MassKg, 1e7, "kg")}
	switch in.Kind {
	case VapourCloud:
		errs = append(errs,
			within("heatOfCombustionJKg", in.HeatOfCombustionJKg, 5e6, 1.5e8, "J/kg", ""),
			within("yieldFraction", in.YieldFraction, 0.01, 0.10, "",
				": the TNT-equivalence method for vapour clouds is used with yields of 1-10 %"))
	case Condensed:
		errs = append(errs, within("tntEquivalence", in.TNTEquivalence, 0.1, 2, "", ""))
	default:
		return twin.Invalid("kind", "must be %s or %s (got %q)", VapourCloud, Condensed, in.Kind)
	}
	if in.DistanceM != nil {
		errs = append(errs, within("distanceM", *in.DistanceM, 0.1, 100000, "m", ""))
	}
	if err := firstErr(errs...); err != nil {
		return err
	}
	if in.DistanceM != nil {
		z := *in.DistanceM / math.Cbrt(in.tnt())
		kg := tables.blast.KinneyGraham
		if z < tables.blast.KingeryBulmash.ZMin || z > kg.ZMax {
			return twin.Invalid("distanceM", "gives a scaled distance of %.4g m/kg^(1/3), outside %g-%g where the blast fits hold",
				z, tables.blast.KingeryBulmash.ZMin, kg.ZMax)
		}
	}
	return nil
}

func (in BlastInput) tnt() float64 {
	if in.Kind == VapourCloud {
		return in.YieldFraction * in.MassKg * in.HeatOfCombustionJKg / (tables.blast.TNT.EnergyMJKg * 1e6)
	}
	return in.TNTEquivalence * in.MassKg
}

// kbSurface is the Kingery-Bulmash hemispherical surface-burst peak
// incident overpressure (kPa) at scaled distance z (m/kg^(1/3)), extended
// past z = 40 by Swisdak's far-field fit; ok is false outside 0.0674-198.5.
func kbSurface(z float64) (kPa float64, ok bool) {
	kb, far := tables.blast.KingeryBulmash, tables.blast.SwisdakFar
	switch {
	case z < kb.ZMin || z > far.ZMax:
		return 0, false
	case z > kb.ZMax:
		return math.Exp(far.A + far.B*math.Log(z)), true
	}
	u := kb.U[0] + kb.U[1]*math.Log10(z)
	y, p := 0.0, 1.0
	for _, c := range kb.C {
		y += c * p
		p *= u
	}
	return math.Pow(10, y), true
}

// kinneyGraham is the Kinney & Graham (1985) free-air TNT peak overpressure
// (kPa) at scaled distance z.
func kinneyGraham(z float64) float64 {
	k := tables.blast.KinneyGraham
	sq := func(a float64) float64 { return math.Sqrt(1 + (z/a)*(z/a)) }
	return k.AmbientKPa * k.K * (1 + (z/k.Z1)*(z/k.Z1)) / (sq(k.Z2) * sq(k.Z3) * sq(k.Z4))
}

// BlastAt is the overpressure at the target.
type BlastAt struct {
	DistanceM       float64  `json:"distanceM" unit:"m" doc:"target's distance"`
	ScaledDistance  float64  `json:"scaledDistance" unit:"m/kg^(1/3)" doc:"Z = R / W^(1/3)"`
	SurfaceBurstKPa *float64 `json:"surfaceBurstKPa" unit:"kPa" doc:"Kingery-Bulmash hemispherical surface burst; null outside Z 0.0674-198.5"`
	FreeAirKPa      float64  `json:"freeAirKPa" unit:"kPa" doc:"Kinney-Graham free air"`
}

// BlastDistance is how far one overpressure reaches.
type BlastDistance struct {
	OverpressureKPa float64  `json:"overpressureKPa" unit:"kPa" doc:"threshold"`
	SurfaceBurstM   *float64 `json:"surfaceBurstM" unit:"m" doc:"by Kingery-Bulmash; null when the threshold lies outside the fit"`
	FreeAirM        float64  `json:"freeAirM" unit:"m" doc:"by Kinney-Graham"`
}

// BlastOutput is the TNT mass and the blast's reach.
type BlastOutput struct {
	TNTMassKg float64         `json:"tntMassKg" unit:"kg" doc:"TNT equivalent mass W"`
	At        *BlastAt        `json:"at,omitempty" doc:"at distanceM, when given"`
	Distances []BlastDistance `json:"distances" doc:"distances to 0.7, 3.5, 13.8 and 20.7 kPa"`
}

// Blast is the TNT-equivalence blast model: W = η M ΔHc / E_TNT for a vapour
// cloud (E_TNT = 4.68 MJ/kg) or W = f M for a condensed explosive; Z =
// R/W^(1/3); peak side-on overpressure by Kingery & Bulmash (1984) for a
// hemispherical surface burst (with Swisdak's 1994 far-field fit past
// Z = 40) and by Kinney & Graham (1985) in free air; distances to the
// thresholds by bisection on Z. Valid: Z 0.0674-198.5 (surface burst),
// 0.05-1000 (free air). The TNT method overstates the near field and
// understates the far field of a deflagrating cloud.
func Blast(in BlastInput) (BlastOutput, error) {
	if err := in.Validate(); err != nil {
		return BlastOutput{}, err
	}
	w := in.tnt()
	cw := math.Cbrt(w)
	out := BlastOutput{TNTMassKg: w}
	kb, far, kg := tables.blast.KingeryBulmash, tables.blast.SwisdakFar, tables.blast.KinneyGraham
	for _, p := range OverpressureThresholdsKPa {
		d := BlastDistance{OverpressureKPa: p}
		lo, _ := kbSurface(kb.ZMin)
		hi, _ := kbSurface(far.ZMax)
		if p <= lo && p >= hi {
			z := bisect(func(z float64) float64 { v, _ := kbSurface(z); return v - p }, kb.ZMin, far.ZMax)
			m := z * cw
			d.SurfaceBurstM = &m
		}
		d.FreeAirM = cw * bisect(func(z float64) float64 { return kinneyGraham(z) - p }, kg.ZMin, kg.ZMax)
		out.Distances = append(out.Distances, d)
	}
	if in.DistanceM != nil {
		z := *in.DistanceM / cw
		at := &BlastAt{DistanceM: *in.DistanceM, ScaledDistance: z, FreeAirKPa: kinneyGraham(z)}
		if v, ok := kbSurface(z); ok {
			at.SurfaceBurstKPa = &v
		}
		out.At = at
		if !finite(z, at.FreeAirKPa) {
			return BlastOutput{}, errNumeric("blast")
		}
	}
	if !finite(w) {
		return BlastOutput{}, errNumeric("blast")
	}
	return out, nil
}
