package demo_test

import (
	"fmt"
	"testing"

	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/spatial"
)

// Every scale unit of the park has a benzene farm of internal
// floating-roof tanks, ringed by combustible-gas detectors, for the
// built-in drill benzene-tank-fire.
func TestBenzeneFarms(t *testing.T) {
	for _, scale := range []int{1, 3} {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("seed=%d/scale=%d", seed, scale), func(t *testing.T) {
				checkBenzeneFarms(t, load(t, demo.Generate(seed, scale)), scale)
			})
		}
	}
}

func checkBenzeneFarms(t *testing.T, snap *twin.Snapshot, want int) {
	t.Helper()
	farms := map[string][]*twin.Tank{} // by enterprise
	for tk := range twin.All[*twin.Tank](snap) {
		if tk.Farm == "苯罐区" {
			farms[tk.Enterprise] = append(farms[tk.Enterprise], tk)
		}
	}
	if got := len(farms); got != want {
		t.Fatalf("got %d benzene farms, want %d", got, want)
	}
	for ent, tanks := range farms {
		if len(tanks) != 2 {
			t.Errorf("%s: %d benzene tanks, want 2", ent, len(tanks))
		}
		for _, tk := range tanks {
			if tk.Chemical != "71-43-2" || tk.Type != twin.InternalFloatingRoof {
				t.Errorf("%s: %s of %s, want an internal floating roof of benzene", tk.ID, tk.Type, tk.Chemical)
			}
		}
		var ring []*twin.Sensor
		for s := range twin.All[*twin.Sensor](snap) {
			if s.Subject == tanks[0].ID && s.Type == twin.CombustibleGas {
				ring = append(ring, s)
			}
		}
		if len(ring) < 3 {
			t.Errorf("%s: %d combustible-gas detectors, want at least 3", ent, len(ring))
		}
		for _, s := range ring {
			if *s.Limits.H != 25 || *s.Limits.HH != 50 {
				t.Errorf("%s: limits %v, want H 25 and HH 50 %%LEL", s.ID, s.Limits)
			}
			for _, tk := range tanks {
				if d := spatial.Distance(s.Position, tk.Position); d < tk.DiameterM/2+1 {
					t.Errorf("%s: on the shell of %s", s.ID, tk.ID)
				}
			}
		}
	}
}
