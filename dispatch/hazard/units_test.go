package hazard

import (
	"testing"
)

// US EPA air-toxics fact sheet for chlorine: mg/m³ = ppm × MW / 24.45, so
// 1 ppm = 2.9 mg/m³. Tolerance 0.5 % (24.45 vs the exact 24.465 L/mol).
func TestPPMChlorine(t *testing.T) {
	got, err := Units(UnitsInput{PPM: ptr(1), MolarMassGMol: 70.906})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "chlorine 1 ppm", got.MgM3, 2.9, 0.005)
	near(t, "molar volume", 70.906/got.MgM3, 24.465, 1e-3)
	// At 0 °C the same ppm weighs more: the molar volume is 22.41 L/mol.
	cold, _ := Units(UnitsInput{PPM: ptr(1), MolarMassGMol: 70.906, TemperatureK: ptr(273.15)})
	near(t, "chlorine 1 ppm at 0 °C", cold.MgM3, 70.906/22.414, 1e-3)
	back, _ := Units(UnitsInput{MgM3: ptr(got.MgM3), MolarMassGMol: 70.906})
	near(t, "round trip", back.PPM, 1, 1e-12)
}

func TestUnitsRefuses(t *testing.T) {
	_, err := Units(UnitsInput{MolarMassGMol: 70.9})
	refused(t, err, "ppm")
	_, err = Units(UnitsInput{PPM: ptr(1), MgM3: ptr(1), MolarMassGMol: 70.9})
	refused(t, err, "ppm")
	_, err = Units(UnitsInput{PPM: ptr(1), MolarMassGMol: 0})
	refused(t, err, "molarMassGMol")
	_, err = Units(UnitsInput{PPM: ptr(1), MolarMassGMol: 70.9, TemperatureK: ptr(-5)})
	refused(t, err, "temperatureK")
}
