package demo_test

import (
	"strings"
	"testing"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// GB/T 50493-2019: fixed combustible-gas detectors where flammable gas or
// vapour may leak, and toxic-gas detectors where toxic gas may. Every
// farm of LPG, vinyl chloride, butadiene, ethylene oxide or benzene has
// a combustible-gas ring, and those of the toxic four a ring of their
// gas too (issue 13, point 14).
func TestGasFarmsHaveFixedDetectorsGBT50493(t *testing.T) {
	toxic := map[string]string{"75-01-4": "C2H3Cl", "106-99-0": "C4H6", "75-21-8": "C2H4O", "71-43-2": "C6H6"}
	watched := map[string]bool{"68476-85-7": true, "75-01-4": true, "106-99-0": true, "75-21-8": true, "71-43-2": true}
	for _, scale := range []int{1, 2} {
		es := demo.Generate(1, scale)
		unitOf := map[string]string{}
		farmOf := map[string]string{} // tank → enterprise/farm
		for _, e := range es {
			switch x := e.(type) {
			case *twin.HazardUnit:
				for _, id := range x.Tanks {
					unitOf[id] = x.ID
				}
			case *twin.Tank:
				farmOf[x.ID] = x.Enterprise + "/" + x.Farm
			}
		}
		combustible, gas := map[string]int{}, map[string]int{} // by farm; by farm and formula
		for _, e := range es {
			s, ok := e.(*twin.Sensor)
			if !ok {
				continue
			}
			farm := farmOf[s.Subject]
			if twin.KindOfID(s.Subject) == twin.KindHazardUnit {
				for tank, u := range unitOf {
					if u == s.Subject {
						farm = farmOf[tank]
					}
				}
			}
			switch s.Type {
			case twin.CombustibleGas:
				combustible[farm]++
			case twin.ToxicGas:
				gas[farm+" "+s.Gas]++
			}
		}
		n := 0
		for _, e := range es {
			tk, ok := e.(*twin.Tank)
			if !ok || !watched[tk.Chemical] {
				continue
			}
			n++
			farm := farmOf[tk.ID]
			if combustible[farm] < 3 {
				t.Errorf("scale %d: %s (%s) in %s: %d combustible-gas detectors", scale, tk.ID, tk.Chemical, farm, combustible[farm])
			}
			if f, ok := toxic[tk.Chemical]; ok && gas[farm+" "+f] < 3 {
				t.Errorf("scale %d: %s (%s) in %s: %d %s detectors", scale, tk.ID, tk.Chemical, farm, gas[farm+" "+f], f)
			}
		}
		if n == 0 {
			t.Fatalf("scale %d: no tanks of the watched gases", scale)
		}
	}
}

// A special-duty station (特勤站) has the vehicles the run cards ask of it:
// a rescue vehicle and two high-flow monitors (the level I tank-fire card
// asks for two; domain.md §8). Issue 13, point 15. The park's district
// stations (stations.go) share its team type but not its fleet.
func TestSpecialDutyStationFleet(t *testing.T) {
	for _, e := range demo.Generate(1, 2) {
		tm, ok := e.(*twin.Team)
		if !ok || tm.Type != twin.SpecialDutyStation || !strings.HasPrefix(tm.Name, "园区特勤消防站") {
			continue
		}
		n := map[twin.VehicleType]int{}
		crew := 0
		for _, v := range tm.Vehicles {
			n[v.Type]++
			crew += v.Crew
		}
		if n[twin.RescueVehicle] < 1 || n[twin.HighFlowMonitor] < 2 || n[twin.GasProtectionVehicle] < 1 || crew > tm.Personnel {
			t.Errorf("%s: %v, crews %d of %d", tm.ID, n, crew, tm.Personnel)
		}
	}
}
