package demo_test

import (
	"testing"

	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/grading"
)

// GB 18218-2018 Table 5: α by the residents within 500 m outside the
// plant boundary (≥ 100 → 2.0, 50–99 → 1.5, 30–49 → 1.2, 1–29 → 1.0,
// 0 → 0.5). In the real zone villages, the town's edge and worker
// dormitories stand a few hundred metres from the outer plants, so the
// demo park's units may not all grade with α 0.5 (issue 13, point 13).
func TestAlphaVaries(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		snap := load(t, demo.Generate(seed, 1))
		alphas := map[float64]int{}
		exposed := 0
		for u := range twin.All[*twin.HazardUnit](snap) {
			pop := grading.Population(snap, u)
			a := grading.Alpha(pop)
			alphas[a]++
			r := grading.Grade(grading.DesignItems(snap, u), pop)
			if pop > 0 && r.S >= 1 {
				exposed++
				t.Logf("seed %d: %s %s: %d people within 500 m of the plant boundary, α %.1f, R %.1f, level %d", seed, u.ID, u.Name, pop, a, r.R, r.Level)
			}
		}
		t.Logf("seed %d: α %v", seed, alphas)
		if len(alphas) < 2 {
			t.Errorf("seed %d: every unit grades with α %v, want α to vary", seed, alphas)
		}
		if exposed < 2 {
			t.Errorf("seed %d: %d major hazard units with residents within 500 m of the plant boundary, want at least 2", seed, exposed)
		}
	}
}
