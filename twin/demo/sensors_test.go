package demo_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/spatial"
)

func TestSensors(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { checkSensors(t, load(t, demo.Generate(seed, 1))) })
	}
}

// kindOf is how the checks tell sensors apart: the type, and the gas of a
// gas detector.
func kindOf(s *twin.Sensor) string {
	if s.Gas != "" {
		return s.Type.String() + "/" + s.Gas
	}
	return s.Type.String()
}

func checkSensors(t *testing.T, snap *twin.Snapshot) {
	t.Helper()
	on := map[string][]*twin.Sensor{} // by subject
	byKind := map[string]int{}
	for s := range twin.All[*twin.Sensor](snap) {
		on[s.Subject] = append(on[s.Subject], s)
		byKind[kindOf(s)]++
		if s.StaleAfterS != 120 {
			t.Errorf("%s: stale after %v s, want 120", s.ID, s.StaleAfterS)
		}
		switch s.Type {
		case twin.ToxicGas, twin.CombustibleGas, twin.Oxygen:
			if s.OnDelayS <= 0 || s.OnDelayS > 10 {
				t.Errorf("%s: on-delay %v s, want a few seconds", s.ID, s.OnDelayS)
			}
		case twin.Temperature:
			if s.RatePerMin <= 0 {
				t.Errorf("%s: no rate-of-change limit", s.ID)
			}
		}
		if s.Deadband <= 0 {
			t.Errorf("%s: no deadband", s.ID)
		}
	}
	t.Logf("sensors by kind: %v", byKind)

	for tk := range twin.All[*twin.Tank](snap) {
		c, _ := twin.Lookup[*twin.Chemical](snap, tk.Chemical)
		got := map[twin.SensorType]int{}
		for _, s := range on[tk.ID] {
			if s.Type == twin.ToxicGas || s.Type == twin.CombustibleGas {
				continue // a farm's detector
			}
			got[s.Type]++
			if d := spatial.Distance(s.Position, tk.Position); d > tk.DiameterM {
				t.Errorf("%s: %.0f m from its tank %s", s.ID, d, tk.ID)
			}
			if s.Type == twin.Level {
				checkLevelLimits(t, tk, s)
			}
		}
		want := map[twin.SensorType]int{twin.Level: 1, twin.Temperature: 1}
		if tk.Type == twin.PressureSphere || tk.Type == twin.Horizontal && c.Phase != twin.Liquid && c.Phase != twin.Solid {
			want[twin.Pressure] = 1
		}
		if diff := gocmp.Diff(got, want); diff != "" {
			t.Errorf("%s (%s of %s): sensors by type (-got +want):\n%s", tk.ID, tk.Type, c.NameEn, diff)
		}
	}

	for p := range twin.All[*twin.SewagePool](snap) {
		var got []string
		for _, s := range on[p.ID] {
			got = append(got, kindOf(s))
			if s.Position != p.Position {
				t.Errorf("%s: not at its pool %s", s.ID, p.ID)
			}
		}
		slices.Sort(got)
		if diff := gocmp.Diff(got, []string{"combustible-gas", "oxygen", "toxic-gas/H2S"}); diff != "" {
			t.Errorf("%s: sensors (-got +want):\n%s", p.ID, diff)
		}
	}

	for w := range twin.All[*twin.WasteStore](snap) {
		want := 0
		if w.ThermalCamera {
			want = 1
		}
		if got := len(on[w.ID]); got != want {
			t.Errorf("%s: %d sensors, want %d (thermal camera: %v)", w.ID, got, want, w.ThermalCamera)
		}
		for _, s := range on[w.ID] {
			if s.Type != twin.Thermal || !planar.PolygonContains(w.Footprint, s.Position) {
				t.Errorf("%s: a %s sensor, or one outside the store", s.ID, s.Type)
			}
		}
	}

	checkDetectors(t, snap, on)
}

// checkLevelLimits checks a level sensor's limits against its tank: all
// of them inside the height the gauge measures, H where the tank holds
// about its maximum fill.
func checkLevelLimits(t *testing.T, tk *twin.Tank, s *twin.Sensor) {
	t.Helper()
	span := tk.HeightM
	if tk.Type == twin.Horizontal {
		span = tk.DiameterM // HeightM is the length of a horizontal tank
	}
	l := s.Limits
	if l.LL == nil || l.L == nil || l.H == nil || l.HH == nil {
		t.Errorf("%s: limits %+v, want all four", s.ID, l)
		return
	}
	if *l.LL <= 0 || *l.HH >= span {
		t.Errorf("%s: limits %v…%v m outside 0…%v m", s.ID, *l.LL, *l.HH, span)
	}
	if f := *l.L / span; f < 0.09 || f > 0.3 {
		t.Errorf("%s: L at %.0f %% of %v m", s.ID, 100*f, span)
	}
	if f := *l.H / span; f < 0.65 || f > tk.MaxFill+0.01 {
		t.Errorf("%s: H at %.0f %% of %v m, max fill %v", s.ID, 100*f, span, tk.MaxFill)
	}
	if d := s.Deadband / span; d < 0.005 || d > 0.02 {
		t.Errorf("%s: deadband %v m on %v m", s.ID, s.Deadband, span)
	}
}

// checkDetectors checks that every farm of chlorine, ammonia or
// acrylonitrile is ringed by at least three detectors of its gas, on the
// farm's edge, watching the farm's hazard unit or else one of its tanks.
func checkDetectors(t *testing.T, snap *twin.Snapshot, on map[string][]*twin.Sensor) {
	t.Helper()
	gases := map[string]string{"7782-50-5": "Cl2", "7664-41-7": "NH3", "107-13-1": "C3H3N"}
	unitOf := map[string]*twin.HazardUnit{}
	for u := range twin.All[*twin.HazardUnit](snap) {
		for _, id := range u.Tanks {
			unitOf[id] = u
		}
	}
	type farmKey struct{ ent, farm, gas string }
	farms := map[farmKey][]*twin.Tank{}
	for tk := range twin.All[*twin.Tank](snap) {
		if gas, ok := gases[tk.Chemical]; ok {
			k := farmKey{tk.Enterprise, tk.Farm, gas}
			farms[k] = append(farms[k], tk)
		}
	}
	seen := map[string]int{}
	for k, tanks := range farms {
		seen[k.gas]++
		var subjects []string
		for _, tk := range tanks {
			subjects = append(subjects, tk.ID)
			if u := unitOf[tk.ID]; u != nil {
				subjects = append(subjects, u.ID)
			}
		}
		var ring []*twin.Sensor
		for _, id := range subjects {
			for _, s := range on[id] {
				if s.Type == twin.ToxicGas && s.Gas == k.gas {
					ring = append(ring, s)
				}
			}
		}
		if len(ring) < 3 {
			t.Errorf("%s %s: %d %s detectors, want at least 3", k.ent, k.farm, len(ring), k.gas)
			continue
		}
		// On the edge: outside the box of the tanks' centres, clear of every
		// shell and within 60 m of a tank.
		var box orb.Bound
		for i, tk := range tanks {
			if i == 0 {
				box = tk.Position.Bound()
			}
			box = box.Extend(tk.Position)
		}
		for _, s := range ring {
			near := math.Inf(1)
			for _, tk := range tanks {
				d := spatial.Distance(s.Position, tk.Position)
				near = min(near, d)
				if d < tk.DiameterM/2+1 {
					t.Errorf("%s %s: on the shell of %s", s.ID, s.Name, tk.ID)
				}
			}
			if box.Contains(s.Position) || near > 60 {
				t.Errorf("%s %s: among the tanks or %.0f m from the nearest", s.ID, s.Name, near)
			}
			if s.Limits.H == nil || s.Limits.HH == nil || *s.Limits.H <= 0 {
				t.Errorf("%s: limits %+v", s.ID, s.Limits)
			}
		}
	}
	if seen["Cl2"] == 0 || seen["NH3"] == 0 {
		t.Errorf("farms by gas: %v, want chlorine and ammonia farms", seen)
	}
}

// TestToxicLimits pins the toxic-gas settings: the GB/T 50493-2019 values
// in mg/m³ turned into ppm at 20 °C, never above them.
func TestToxicLimits(t *testing.T) {
	want := map[string][2]float64{
		"H2S": {7, 14}, "Cl2": {0.33, 0.67}, "NH3": {28, 56}, "C3H3N": {0.45, 0.9}, "HF": {2.4, 4.8}, "SO2": {1.8, 3.7},
	}
	got := map[string][2]float64{}
	for _, seed := range seeds {
		for _, e := range demo.Generate(seed, 1) {
			if s, ok := e.(*twin.Sensor); ok && s.Type == twin.ToxicGas {
				got[s.Gas] = [2]float64{*s.Limits.H, *s.Limits.HH}
			}
		}
	}
	for gas, w := range want {
		if g, ok := got[gas]; ok && g != w {
			t.Errorf("%s: got H/HH %v ppm, want %v", gas, g, w)
		}
	}
	for _, gas := range []string{"H2S", "Cl2", "NH3", "C3H3N"} {
		if _, ok := got[gas]; !ok {
			t.Errorf("no %s detector over seeds %v", gas, seeds)
		}
	}
}
