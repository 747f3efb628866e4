package hazard

import (
	"math"
)

// Thresholds are the heat fluxes (kW/m²) whose distances the fire models
// report: 37.5 (equipment damage), 12.5 (wood ignites, 1 % lethality in a
// minute), 5 (second-degree burns in about 40 s; the limit for emergency
// responders in protective gear) and 1.6 (no discomfort for long exposure).
var Thresholds = []float64{37.5, 12.5, 5, 1.6}

// Atmosphere is the air between a fire and a target.
type Atmosphere struct {
	AirTemperatureK     *float64 `json:"airTemperatureK,omitempty" unit:"K" doc:"air temperature; omitted: 298.15 K"`
	RelativeHumidityPct *float64 `json:"relativeHumidityPct,omitempty" unit:"%" doc:"relative humidity; omitted: 50 %"`
	// Transmissivity, when given, replaces the humidity model (1: none).
	Transmissivity *float64 `json:"transmissivity,omitempty" doc:"fixed atmospheric transmissivity, 0-1; omitted: from humidity and path length"`
}

func (a Atmosphere) validate() error {
	t, rh := a.values()
	errs := []error{
		within("airTemperatureK", t, 233, 323, "K", ""),
		within("relativeHumidityPct", rh, 0, 100, "%", ""),
	}
	if a.Transmissivity != nil {
		errs = append(errs, within("transmissivity", *a.Transmissivity, 0.01, 1, "", ""))
	}
	return firstErr(errs...)
}

func (a Atmosphere) values() (tK, rhPct float64) {
	tK, rhPct = StandardTemperatureK, 50
	if a.AirTemperatureK != nil {
		tK = *a.AirTemperatureK
	}
	if a.RelativeHumidityPct != nil {
		rhPct = *a.RelativeHumidityPct
	}
	return tK, rhPct
}

// tau is the atmospheric transmissivity over a path of pathM metres:
// τ = 2.02 (Pw X)^-0.09 (Pietersen & Huerta 1985), Pw the partial pressure of
// water vapour (Pa). The fit was made for 10⁴ < Pw·X < 10⁵ Pa·m; below it, it
// exceeds 1 and is capped there.
func (a Atmosphere) tau(pathM float64) float64 {
	if a.Transmissivity != nil {
		return *a.Transmissivity
	}
	t, rh := a.values()
	c := tables.thermal.Transmissivity
	pw := rh / 100 * math.Exp(c.PsatC1-c.PsatC2/(t-c.PsatC3))
	if pw*pathM <= 0 {
		return 1
	}
	return math.Min(1, c.A*math.Pow(pw*pathM, c.B))
}

// cylinderViewFactor is the largest view factor from a vertical cylinder
// (radius r, height h, standing on the ground) to a small target at ground
// level x from its axis (x > r): the vector sum of the factors to a vertical
// and a horizontal target (Mudan 1984; SFPE Handbook; NUREG-1805 §5.3).
func cylinderViewFactor(r, h, x float64) (max, vertical, horizontal float64) {
	S := x / r
	H := h / r
	A := (H*H + S*S + 1) / (2 * S)
	B := (1 + S*S) / (2 * S)
	fv := 1/(math.Pi*S)*math.Atan(H/math.Sqrt(S*S-1)) -
		H/(math.Pi*S)*math.Atan(math.Sqrt((S-1)/(S+1))) +
		A*H/(math.Pi*S*math.Sqrt(A*A-1))*math.Atan(math.Sqrt((A+1)*(S-1)/((A-1)*(S+1))))
	fh := (B-1/S)/(math.Pi*math.Sqrt(B*B-1))*math.Atan(math.Sqrt((B+1)*(S-1)/((B-1)*(S+1)))) -
		(A-1/S)/(math.Pi*math.Sqrt(A*A-1))*math.Atan(math.Sqrt((A+1)*(S-1)/((A-1)*(S+1))))
	return math.Hypot(fv, fh), fv, fh
}

// ThresholdDistance is how far one heat flux reaches.
type ThresholdDistance struct {
	FluxKWM2 float64 `json:"fluxKWM2" unit:"kW/m²" doc:"heat flux threshold"`
	// DistanceM is measured from the fire's centre (the pool's or below the
	// fireball's); 0 with Reached false when the flux never gets that high
	// outside the flame.
	DistanceM float64 `json:"distanceM" unit:"m" doc:"distance from the fire's centre at which the flux falls to the threshold"`
	Reached   bool    `json:"reached" doc:"false: the flux stays below the threshold everywhere outside the flame"`
	Truncated bool    `json:"truncated" doc:"the threshold lies beyond 10 km and is cut there"`
}

// distancesTo solves flux(x) = t for each threshold by bisection between the
// flame's edge (from) and 10 km; flux must fall with distance.
func distancesTo(flux func(float64) float64, from float64) []ThresholdDistance {
	const far = 10000
	out := make([]ThresholdDistance, 0, len(Thresholds))
	for _, t := range Thresholds {
		d := ThresholdDistance{FluxKWM2: t}
		switch {
		case flux(from) < t:
		case flux(far) >= t:
			d.DistanceM, d.Reached, d.Truncated = far, true, true
		default:
			d.DistanceM = bisect(func(x float64) float64 { return flux(x) - t }, from, far)
			d.Reached = true
		}
		out = append(out, d)
	}
	return out
}
