package hazard

import (
	"parktwin/twin"
)

// Standard conditions for ppm ↔ mg/m³: 25 °C, 101.325 kPa (molar volume
// 24.465 L/mol; tables often round it to 24.45).
const (
	StandardTemperatureK = 298.15
	StandardPressurePa   = 101325
	gasConstant          = 8.314462618 // J/(mol·K)
)

// PPMToMgM3 converts a volume fraction in ppm of a gas of molar mass
// molarMass (g/mol) to mg/m³ at temperature tK and pressure pPa (ideal gas):
// mg/m³ = ppm · M · p / (1000 R T).
func PPMToMgM3(ppm, molarMass, tK, pPa float64) float64 {
	return ppm * molarMass * pPa / (1000 * gasConstant * tK)
}

// MgM3ToPPM is the inverse of PPMToMgM3.
func MgM3ToPPM(mgM3, molarMass, tK, pPa float64) float64 {
	return mgM3 * 1000 * gasConstant * tK / (molarMass * pPa)
}

// UnitsInput converts one concentration; give exactly one of PPM and MgM3.
type UnitsInput struct {
	PPM           *float64 `json:"ppm,omitempty" unit:"ppm" doc:"volume fraction, parts per million"`
	MgM3          *float64 `json:"mgM3,omitempty" unit:"mg/m³" doc:"mass concentration"`
	MolarMassGMol float64  `json:"molarMassGMol" unit:"g/mol" doc:"molar mass of the gas"`
	TemperatureK  *float64 `json:"temperatureK,omitempty" unit:"K" doc:"air temperature; omitted: 298.15 K"`
	PressurePa    *float64 `json:"pressurePa,omitempty" unit:"Pa" doc:"air pressure; omitted: 101325 Pa"`
}

// Validate refuses both or neither concentration, impossible conditions,
// and a concentration above the pure gas's (1e6 ppm).
func (in UnitsInput) Validate() error {
	if (in.PPM == nil) == (in.MgM3 == nil) {
		return twin.Invalid("ppm", "give exactly one of ppm and mgM3")
	}
	t, p := in.conditions()
	if err := firstErr(
		within("molarMassGMol", in.MolarMassGMol, 1, 1000, "g/mol", ""),
		within("temperatureK", t, 200, 400, "K", ""),
		within("pressurePa", p, 50000, 110000, "Pa", ""),
	); err != nil {
		return err
	}
	if in.PPM != nil {
		return within("ppm", *in.PPM, 0, 1e6, "ppm", "")
	}
	return within("mgM3", *in.MgM3, 0, PPMToMgM3(1e6, in.MolarMassGMol, t, p), "mg/m³", ": the pure gas at these conditions")
}

func (in UnitsInput) conditions() (tK, pPa float64) {
	tK, pPa = StandardTemperatureK, StandardPressurePa
	if in.TemperatureK != nil {
		tK = *in.TemperatureK
	}
	if in.PressurePa != nil {
		pPa = *in.PressurePa
	}
	return tK, pPa
}

// UnitsOutput gives the concentration both ways and the conditions used.
type UnitsOutput struct {
	PPM          float64 `json:"ppm" unit:"ppm" doc:"volume fraction"`
	MgM3         float64 `json:"mgM3" unit:"mg/m³" doc:"mass concentration"`
	TemperatureK float64 `json:"temperatureK" unit:"K" doc:"temperature used"`
	PressurePa   float64 `json:"pressurePa" unit:"Pa" doc:"pressure used"`
}

// Units converts between ppm and mg/m³ for an ideal gas at the given (or
// standard) temperature and pressure. Valid for gases and vapours well
// below saturation; not for aerosols.
func Units(in UnitsInput) (UnitsOutput, error) {
	if err := in.Validate(); err != nil {
		return UnitsOutput{}, err
	}
	t, p := in.conditions()
	out := UnitsOutput{TemperatureK: t, PressurePa: p}
	if in.PPM != nil {
		out.PPM = *in.PPM
		out.MgM3 = PPMToMgM3(*in.PPM, in.MolarMassGMol, t, p)
	} else {
		out.MgM3 = *in.MgM3
		out.PPM = MgM3ToPPM(*in.MgM3, in.MolarMassGMol, t, p)
	}
	return out, nil
}
