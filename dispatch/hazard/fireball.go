package hazard

import (
	"math"
)

// FireballInput is a BLEVE fireball and, optionally, a target.
type FireballInput struct {
	MassKg float64 `json:"massKg" unit:"kg" doc:"flammable mass in the fireball, 1 kg to 1000 t"`
	// DistanceM is measured along the ground from the point below the
	// fireball's centre.
	DistanceM *float64 `json:"distanceM,omitempty" unit:"m" doc:"target's ground distance from below the fireball's centre"`
	// The surface emissive power comes from, in order: SEPKWM2; the radiative
	// fraction (given, or from the vapour pressure by Roberts' 0.27 P^0.32)
	// with the heat of combustion; else CCPS's 350 kW/m².
	SEPKWM2             *float64 `json:"sepKWM2,omitempty" unit:"kW/m²" doc:"surface emissive power"`
	RadiativeFraction   *float64 `json:"radiativeFraction,omitempty" doc:"share of the heat of combustion radiated"`
	VapourPressureMPa   *float64 `json:"vapourPressureMPa,omitempty" unit:"MPa" doc:"vessel pressure at failure, for Roberts' radiative fraction"`
	HeatOfCombustionJKg *float64 `json:"heatOfCombustionJKg,omitempty" unit:"J/kg" doc:"needed with radiativeFraction or vapourPressureMPa"`
	CentreHeightM       *float64 `json:"centreHeightM,omitempty" unit:"m" doc:"height of the fireball's centre; omitted: 0.75 D (CCPS)"`
	Atmosphere
}

// Validate refuses impossible masses and targets inside the fireball.
func (in FireballInput) Validate() error {
	errs := []error{positive("massKg", in.MassKg, 1e6, "kg"), in.Atmosphere.validate()}
	if in.SEPKWM2 != nil {
		errs = append(errs, positive("sepKWM2", *in.SEPKWM2, 500, "kW/m²"))
	}
	if in.RadiativeFraction != nil {
		errs = append(errs, within("radiativeFraction", *in.RadiativeFraction, 0.05, 0.6, "", ""))
	}
	if in.VapourPressureMPa != nil {
		errs = append(errs, within("vapourPressureMPa", *in.VapourPressureMPa, 0.1, 10, "MPa", ""))
	}
	if (in.RadiativeFraction != nil || in.VapourPressureMPa != nil) && in.SEPKWM2 == nil && in.HeatOfCombustionJKg == nil {
		errs = append(errs, invalidf("heatOfCombustionJKg", "is needed to turn a radiative fraction into an emissive power"))
	}
	if in.HeatOfCombustionJKg != nil {
		errs = append(errs, within("heatOfCombustionJKg", *in.HeatOfCombustionJKg, 5e6, 1.5e8, "J/kg", ""))
	}
	if err := firstErr(errs...); err != nil {
		return err
	}
	d := fireballDiameter(in.MassKg)
	h := in.centreHeight(d)
	if in.CentreHeightM != nil {
		if err := within("centreHeightM", h, 0.99*d/2, 10*d, "m", ": from the ground-touching D/2 up"); err != nil {
			return err
		}
	}
	if in.DistanceM != nil {
		x := *in.DistanceM
		if err := within("distanceM", x, 0, 20000, "m", ""); err != nil {
			return err
		}
		if math.Hypot(x, h) <= d/2*1.001 {
			return invalidf("distanceM", "the target at %g m is inside the fireball (radius %.4g m, centre %.4g m up)", x, d/2, h)
		}
	}
	return nil
}

func fireballDiameter(m float64) float64 {
	return tables.thermal.Fireball.DiameterCoef * math.Cbrt(m)
}

func (in FireballInput) centreHeight(d float64) float64 {
	if in.CentreHeightM != nil {
		return *in.CentreHeightM
	}
	return tables.thermal.Fireball.CentreHeightFactor * d
}

// FireballAt is the flux at the target.
type FireballAt struct {
	DistanceM          float64 `json:"distanceM" unit:"m" doc:"ground distance from below the centre"`
	ViewFactor         float64 `json:"viewFactor" doc:"sphere to a target facing its centre: r²/L²"`
	ViewFactorVertical float64 `json:"viewFactorVertical" doc:"sphere to a vertical target: r² x / L³"`
	Transmissivity     float64 `json:"transmissivity" doc:"over the path from the fireball's surface"`
	FluxKWM2           float64 `json:"fluxKWM2" unit:"kW/m²" doc:"flux on a target facing the centre"`
	FluxVerticalKWM2   float64 `json:"fluxVerticalKWM2" unit:"kW/m²" doc:"flux on a vertical target"`
}

// FireballOutput is the fireball and its heat-flux distances.
type FireballOutput struct {
	DiameterM     float64             `json:"diameterM" unit:"m" doc:"D = 5.8 M^(1/3)"`
	DurationS     float64             `json:"durationS" unit:"s" doc:"0.45 M^(1/3) below 30 t, 2.6 M^(1/6) above"`
	CentreHeightM float64             `json:"centreHeightM" unit:"m" doc:"height of the centre"`
	SEPKWM2       float64             `json:"sepKWM2" unit:"kW/m²" doc:"surface emissive power used"`
	SEPFrom       string              `json:"sepFrom" doc:"given, radiative-fraction, roberts-pressure or ccps-default"`
	At            *FireballAt         `json:"at,omitempty" doc:"the flux at distanceM, when given"`
	Distances     []ThresholdDistance `json:"distances" doc:"ground distances to 37.5, 12.5, 5 and 1.6 kW/m² (target facing the centre)"`
}

// Fireball models a BLEVE fireball after CCPS (CPQRA 2nd ed. §2.2.5, after
// Roberts 1981/82): diameter 5.8 M^(1/3), duration 0.45 M^(1/3) below 30 t and
// 2.6 M^(1/6) above, surface emissive power E = Fr M ΔHc / (π D² t) or as
// given, view factor r²/L² (target facing the centre, L its distance from the
// centre) and flux q = τ E F. Valid: 1 kg to 1000 t, targets outside the
// fireball; the flux is the fireball's average over its duration (a dose
// needs the duration too).
func Fireball(in FireballInput) (FireballOutput, error) {
	if err := in.Validate(); err != nil {
		return FireballOutput{}, err
	}
	c := tables.thermal.Fireball
	m := in.MassKg
	d := fireballDiameter(m)
	t := c.ShortDurationCoef * math.Cbrt(m)
	if m > c.SplitKg {
		t = c.LongDurationCoef * math.Pow(m, 1.0/6)
	}
	h := in.centreHeight(d)
	out := FireballOutput{DiameterM: d, DurationS: t, CentreHeightM: h}
	fr := 0.0
	switch {
	case in.SEPKWM2 != nil:
		out.SEPKWM2, out.SEPFrom = *in.SEPKWM2, "given"
	case in.RadiativeFraction != nil:
		fr, out.SEPFrom = *in.RadiativeFraction, "radiative-fraction"
	case in.VapourPressureMPa != nil:
		fr, out.SEPFrom = c.RobertsCoef*math.Pow(*in.VapourPressureMPa, c.RobertsExp), "roberts-pressure"
	default:
		out.SEPKWM2, out.SEPFrom = c.DefaultSEPKWM2, "ccps-default"
	}
	if fr > 0 {
		out.SEPKWM2 = fr * m * *in.HeatOfCombustionJKg / (math.Pi * d * d * t) / 1000
	}
	r := d / 2
	facing := func(x float64) float64 {
		l := math.Hypot(x, h)
		return in.Atmosphere.tau(l-r) * out.SEPKWM2 * r * r / (l * l)
	}
	// The nearest ground point outside the fireball.
	from := 0.0
	if h < r*1.001 {
		from = math.Sqrt(r*r*1.001*1.001 - h*h)
	}
	out.Distances = distancesTo(facing, from)
	if in.DistanceM != nil {
		x := *in.DistanceM
		l := math.Hypot(x, h)
		tau := in.Atmosphere.tau(l - r)
		fv := r * r * x / (l * l * l)
		out.At = &FireballAt{DistanceM: x, ViewFactor: r * r / (l * l), ViewFactorVertical: fv,
			Transmissivity: tau, FluxKWM2: facing(x), FluxVerticalKWM2: tau * out.SEPKWM2 * fv}
	}
	if !finite(d, t, h, out.SEPKWM2) {
		return FireballOutput{}, errNumeric("fireball")
	}
	return out, nil
}
