package hazard

import (
	"testing"
)

// Every chemical the brief names has its endpoints; the ones seen in a
// primary or secondary text match: NIOSH IDLH chlorine 10 ppm and phosgene
// 2 ppm (NIOSH IDLH documentation, 1994); hydrogen sulfide AEGL-1/2/3
// (60 min) 0.51/27/50 ppm, ERPG 0.1/30/100, IDLH 100 (review table quoting
// NRC, AIHA, NIOSH).
func TestEndpoints(t *testing.T) {
	for _, cas := range []string{"7782-50-5", "7664-41-7", "7783-06-4", "7647-01-0", "7446-09-5", "75-44-5",
		"74-90-8", "71-43-2", "107-13-1", "75-01-4", "75-21-8", "67-56-1", "50-00-0", "630-08-0", "10102-44-0"} {
		got, err := Endpoints(EndpointsInput{CAS: cas})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Endpoints) < 4 {
			t.Errorf("%s: %d endpoints", cas, len(got.Endpoints))
		}
		for _, e := range got.Endpoints {
			if e.Source == "" || e.Verified == "" || !(e.PPM > 0) {
				t.Errorf("%s %s: %+v", cas, e.Name, e)
			}
		}
	}
	want := map[string]map[string]float64{
		"7782-50-5": {"IDLH": 10, "ERPG-2": 3},
		"75-44-5":   {"IDLH": 2},
		"7783-06-4": {"AEGL-1": 0.51, "AEGL-2": 27, "AEGL-3": 50, "ERPG-1": 0.1, "ERPG-2": 30, "ERPG-3": 100, "IDLH": 100},
	}
	for cas, eps := range want {
		got, _ := Endpoints(EndpointsInput{CAS: cas})
		for name, ppm := range eps {
			found := false
			for _, e := range got.Endpoints {
				if e.Name == name {
					found = true
					near(t, cas+" "+name, e.PPM, ppm, 1e-12)
				}
			}
			if !found {
				t.Errorf("%s: no %s", cas, name)
			}
		}
	}
	// mg/m³ at 25 °C: chlorine AEGL-2 2.0 ppm is 5.8 mg/m³.
	cl, _ := Endpoints(EndpointsInput{CAS: "7782-50-5"})
	for _, e := range cl.Endpoints {
		if e.Name == "AEGL-2" {
			near(t, "chlorine AEGL-2 mg/m³", e.MgM3, 5.8, 0.01)
		}
	}
	_, err := Endpoints(EndpointsInput{CAS: "0-00-0"})
	refused(t, err, "cas")
}

// The footprints of a chlorine release nest: AEGL-3 inside AEGL-2 inside AEGL-1.
func TestToxicFootprints(t *testing.T) {
	got, err := ToxicFootprints(ToxicFootprintInput{CAS: "7782-50-5", PlumeSource: PlumeSource{
		ReleaseRateKgS: 0.2, WindSpeedMS: 3, StabilityClass: "D", Dispersion: BriggsRural}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Footprints) != 3 {
		t.Fatalf("%d footprints", len(got.Footprints))
	}
	for i := 1; i < 3; i++ {
		a, b := got.Footprints[i-1].Footprint, got.Footprints[i].Footprint
		if a.LengthM > b.LengthM || a.AreaM2 > b.AreaM2 {
			t.Errorf("%s (%.0f m) not inside %s (%.0f m)", got.Footprints[i-1].Endpoint.Name, a.LengthM,
				got.Footprints[i].Endpoint.Name, b.LengthM)
		}
	}
	_, err = ToxicFootprints(ToxicFootprintInput{CAS: "75-44-5", EndpointNames: []string{"AEGL-1"},
		PlumeSource: PlumeSource{ReleaseRateKgS: 1, WindSpeedMS: 3, StabilityClass: "D", Dispersion: BriggsRural}})
	refused(t, err, "endpoints[0]")
}

// The incident commander's review (finding 4) found hydrogen fluoride,
// epichlorohydrin, propylene oxide, TDI, toluene, styrene and acetone with
// no endpoints, so no plume. HF as the review recalls it: AEGL-1/2/3 (60
// min) 1.0/24/44 ppm, ERPG 2/20/50, IDLH 30 (US EPA AEGL, AIHA ERPG, NIOSH
// IDLH). All are marked unverified in endpoints.csv.
func TestEndpointsOfTheParksOtherToxics(t *testing.T) {
	for _, cas := range []string{"7664-39-3", "106-89-8", "75-56-9", "26471-62-5", "108-88-3", "100-42-5", "67-64-1"} {
		got, err := Endpoints(EndpointsInput{CAS: cas})
		if err != nil {
			t.Fatalf("%s: %v", cas, err)
		}
		names := map[string]bool{}
		for _, e := range got.Endpoints {
			names[e.Name] = true
			if e.Verified != "no" {
				t.Errorf("%s %s: verified %q: none of these was confirmed in this work", cas, e.Name, e.Verified)
			}
		}
		if !names["AEGL-2"] || !names["IDLH"] {
			t.Errorf("%s: %v: want at least AEGL-2 and IDLH", cas, names)
		}
	}
	got, _ := Endpoints(EndpointsInput{CAS: "7664-39-3"})
	want := map[string]float64{"AEGL-1": 1.0, "AEGL-2": 24, "AEGL-3": 44, "ERPG-1": 2, "ERPG-2": 20, "ERPG-3": 50, "IDLH": 30}
	for _, e := range got.Endpoints {
		near(t, "HF "+e.Name, e.PPM, want[e.Name], 1e-12)
	}
}
