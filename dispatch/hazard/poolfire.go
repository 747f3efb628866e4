package hazard

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"parktwin/twin"
)

// Fuel is a liquid's large-pool burning data (data/fuels.csv).
type Fuel struct {
	Name                string  `json:"name"`
	BurningRateInfKgM2S float64 `json:"burningRateInfKgM2S" unit:"kg/(m²·s)" doc:"burning rate of an infinitely large pool"`
	KBetaPerM           float64 `json:"kBetaPerM" unit:"1/m" doc:"extinction-absorption coefficient times mean-beam-length corrector"`
	HeatOfCombustionJKg float64 `json:"heatOfCombustionJKg" unit:"J/kg" doc:"heat of combustion"`
	Verified            string  `json:"verified"`
}

func loadFuels(t *allTables) error {
	const file = "fuels.csv"
	rows, err := readCSV(file)
	if err != nil {
		return err
	}
	t.fuels = map[string]Fuel{}
	for i, r := range rows {
		var v [3]float64
		for j, col := range []string{"minf_kg_m2_s", "kbeta_per_m", "heat_of_combustion_mj_kg"} {
			if v[j], err = num(file, i, col, r[j+1]); err != nil {
				return err
			}
		}
		t.fuels[r[0]] = Fuel{Name: r[0], BurningRateInfKgM2S: v[0], KBetaPerM: v[1], HeatOfCombustionJKg: v[2] * 1e6, Verified: r[4]}
		t.fuelNames = append(t.fuelNames, r[0])
	}
	sort.Strings(t.fuelNames)
	return nil
}

// pointSourceFraction is the share of the heat released that the point
// source radiates when the caller gives none: NUREG-1805's default, 0.30
// (CCPS gives 0.15-0.35 for hydrocarbons).
const pointSourceFraction = 0.30

// PoolFireInput is a burning pool and, optionally, a target.
type PoolFireInput struct {
	Fuel string `json:"fuel,omitempty" doc:"a fuel of the table (see fuels); or give the three properties below"`
	// The properties override the table's when given.
	BurningRateInfKgM2S *float64 `json:"burningRateInfKgM2S,omitempty" unit:"kg/(m²·s)" doc:"large-pool burning rate"`
	KBetaPerM           *float64 `json:"kBetaPerM,omitempty" unit:"1/m" doc:"kβ of the burning-rate correlation"`
	HeatOfCombustionJKg *float64 `json:"heatOfCombustionJKg,omitempty" unit:"J/kg" doc:"heat of combustion"`
	DiameterM           float64  `json:"diameterM" unit:"m" doc:"pool diameter (a dike's equivalent diameter √(4A/π)), 1 to 100 m"`
	DistanceM           *float64 `json:"distanceM,omitempty" unit:"m" doc:"target's distance from the pool's centre, outside the flame"`
	RadiativeFraction   *float64 `json:"radiativeFraction,omitempty" doc:"point source: share of heat radiated; omitted: 0.30"`
	Atmosphere
}

// fuel resolves the fuel's properties from the table and the overrides.
func (in PoolFireInput) fuel() (Fuel, error) {
	f := Fuel{Name: "custom", Verified: "given"}
	if in.Fuel != "" {
		var ok bool
		if f, ok = tables.fuels[strings.ToLower(strings.TrimSpace(in.Fuel))]; !ok {
			return Fuel{}, twin.Invalid("fuel", "unknown fuel %q; known: %s", in.Fuel, strings.Join(tables.fuelNames, ", "))
		}
	}
	set := func(dst *float64, v *float64) {
		if v != nil {
			*dst = *v
		}
	}
	set(&f.BurningRateInfKgM2S, in.BurningRateInfKgM2S)
	set(&f.KBetaPerM, in.KBetaPerM)
	set(&f.HeatOfCombustionJKg, in.HeatOfCombustionJKg)
	return f, nil
}

// Validate refuses unknown fuels, impossible properties, pools outside the
// correlations' range and targets inside the flame.
func (in PoolFireInput) Validate() error {
	f, err := in.fuel()
	if err != nil {
		return err
	}
	if f.BurningRateInfKgM2S == 0 && in.Fuel == "" {
		return twin.Invalid("fuel", "name a fuel or give burningRateInfKgM2S, kBetaPerM and heatOfCombustionJKg")
	}
	errs := []error{
		positive("burningRateInfKgM2S", f.BurningRateInfKgM2S, 0.5, "kg/(m²·s)"),
		positive("kBetaPerM", f.KBetaPerM, 100, "1/m"),
		within("heatOfCombustionJKg", f.HeatOfCombustionJKg, 5e6, 1.5e8, "J/kg", ""),
		within("diameterM", in.DiameterM, 1, 100, "m", ": the burning-rate, flame-height and emissive-power correlations were fitted to pools of about 1 to 100 m"),
		in.Atmosphere.validate(),
	}
	if in.DistanceM != nil {
		errs = append(errs, within("distanceM", *in.DistanceM, in.DiameterM/2*1.001, 10000, "m",
			fmt.Sprintf(": the target must be outside the flame (radius %g m), within 10 km", in.DiameterM/2)))
	}
	if in.RadiativeFraction != nil {
		errs = append(errs, within("radiativeFraction", *in.RadiativeFraction, 0.05, 0.6, "", ""))
	}
	return firstErr(errs...)
}

// PoolFireAt is the flux at the target.
type PoolFireAt struct {
	DistanceM            float64 `json:"distanceM" unit:"m" doc:"target's distance from the pool's centre"`
	ViewFactor           float64 `json:"viewFactor" doc:"solid-flame view factor, target facing the flame at its best"`
	ViewFactorVertical   float64 `json:"viewFactorVertical" doc:"to a vertical target"`
	ViewFactorHorizontal float64 `json:"viewFactorHorizontal" doc:"to a horizontal target"`
	Transmissivity       float64 `json:"transmissivity" doc:"atmospheric transmissivity over the path from the flame's edge"`
	SolidFlameKWM2       float64 `json:"solidFlameKWM2" unit:"kW/m²" doc:"flux by the solid-flame model"`
	PointSourceKWM2      float64 `json:"pointSourceKWM2" unit:"kW/m²" doc:"flux by the point-source model"`
}

// PoolFireOutput is the fire and its heat-flux distances.
type PoolFireOutput struct {
	Fuel                 Fuel                `json:"fuel"`
	BurningRateKgM2S     float64             `json:"burningRateKgM2S" unit:"kg/(m²·s)" doc:"burning rate of this pool"`
	HeatReleaseRateMW    float64             `json:"heatReleaseRateMW" unit:"MW" doc:"m'' ΔHc A"`
	FlameHeightM         float64             `json:"flameHeightM" unit:"m" doc:"Thomas mean flame height"`
	SEPKWM2              float64             `json:"sepKWM2" unit:"kW/m²" doc:"Mudan's surface emissive power"`
	At                   *PoolFireAt         `json:"at,omitempty" doc:"the flux at distanceM, when given"`
	SolidFlameDistances  []ThresholdDistance `json:"solidFlameDistances" doc:"distances to 37.5, 12.5, 5 and 1.6 kW/m² by the solid-flame model"`
	PointSourceDistances []ThresholdDistance `json:"pointSourceDistances" doc:"the same by the point-source model"`
}

// PoolFire models a burning pool as a vertical cylinder (no wind tilt):
// burning rate m” = m”∞ (1 − e^(−kβD)) (Burgess; Babrauskas 1983), flame
// height L = 42 D (m”/(ρa √(gD)))^0.61 (Thomas 1963), surface emissive
// power E = 140 e^(−0.12D) + 20 (1 − e^(−0.12D)) kW/m² (Mudan 1984), the
// solid-flame flux q = τ E F with the cylinder's view factor, and the
// point-source flux q = τ χr m” ΔHc A / (4π x²) (NUREG-1805 §5.3). Valid:
// pools of 1-100 m, targets at ground level outside the flame, still air
// (wind tilts the flame towards downwind targets, which this model omits).
func PoolFire(in PoolFireInput) (PoolFireOutput, error) {
	if err := in.Validate(); err != nil {
		return PoolFireOutput{}, err
	}
	f, _ := in.fuel()
	d := in.DiameterM
	r := d / 2
	mb := f.BurningRateInfKgM2S * (1 - math.Exp(-f.KBetaPerM*d))
	tK, _ := in.Atmosphere.values()
	rhoA := StandardPressurePa * 0.028965 / (gasConstant * tK)
	th := tables.thermal.Thomas
	l := th.A * d * math.Pow(mb/(rhoA*math.Sqrt(9.81*d)), th.B)
	mu := tables.thermal.Mudan
	sep := mu.MaxKWM2*math.Exp(-mu.SPerM*d) + mu.SootKWM2*(1-math.Exp(-mu.SPerM*d))
	qkW := mb * f.HeatOfCombustionJKg / 1000 * math.Pi * r * r
	chi := pointSourceFraction
	if in.RadiativeFraction != nil {
		chi = *in.RadiativeFraction
	}
	solid := func(x float64) float64 {
		fmax, _, _ := cylinderViewFactor(r, l, x)
		return in.Atmosphere.tau(x-r) * sep * fmax
	}
	point := func(x float64) float64 { return in.Atmosphere.tau(x-r) * chi * qkW / (4 * math.Pi * x * x) }
	edge := r * 1.001 // just outside the flame, where the view factor is defined
	out := PoolFireOutput{Fuel: f, BurningRateKgM2S: mb, HeatReleaseRateMW: qkW / 1000, FlameHeightM: l, SEPKWM2: sep,
		SolidFlameDistances: distancesTo(solid, edge), PointSourceDistances: distancesTo(point, edge)}
	if in.DistanceM != nil {
		x := *in.DistanceM
		fm, fv, fh := cylinderViewFactor(r, l, x)
		out.At = &PoolFireAt{DistanceM: x, ViewFactor: fm, ViewFactorVertical: fv, ViewFactorHorizontal: fh,
			Transmissivity: in.Atmosphere.tau(x - r), SolidFlameKWM2: solid(x), PointSourceKWM2: point(x)}
		if !finite(fm, fv, fh, out.At.SolidFlameKWM2, out.At.PointSourceKWM2) {
			return PoolFireOutput{}, errNumeric("pool fire")
		}
	}
	if !finite(mb, l, sep, qkW) {
		return PoolFireOutput{}, errNumeric("pool fire")
	}
	return out, nil
}

// FuelNames lists the fuels of the table, sorted.
func FuelNames() []string { return append([]string(nil), tables.fuelNames...) }

// FuelByName returns a fuel of the table.
func FuelByName(name string) (Fuel, bool) {
	f, ok := tables.fuels[strings.ToLower(strings.TrimSpace(name))]
	return f, ok
}
