package grading_test

import (
	"math"
	"testing"

	"parktwin/twin/grading"
)

// The worked example: a unit holding 5 t chlorine and 5 t ammonia, with 60
// residents within 500 m: S = 5/5 + 5/10 = 1.5; α = 1.5;
// R = 1.5 × (4 × 1 + 2 × 0.5) = 7.5; level 4.
func TestWorkedExample(t *testing.T) {
	got := grading.Grade([]grading.Item{
		{CAS: "7782-50-5", NameZh: "氯", QuantityT: 5, CriticalQT: 5, Beta: 4},
		{CAS: "7664-41-7", NameZh: "氨", QuantityT: 5, CriticalQT: 10, Beta: 2},
	}, 60)
	if !near(got.S, 1.5) || !near(got.R, 7.5) || got.Alpha != 1.5 || got.Level != 4 {
		t.Errorf("got S %v R %v α %v level %d, want S 1.5 R 7.5 α 1.5 level 4", got.S, got.R, got.Alpha, got.Level)
	}
}

func TestGrade(t *testing.T) {
	chlorine := func(q float64) grading.Item {
		return grading.Item{CAS: "7782-50-5", QuantityT: q, CriticalQT: 5, Beta: 4}
	}
	tests := []struct {
		name       string
		items      []grading.Item
		population int
		s, r       float64
		level      int
	}{
		{"below S 1 is no major hazard", []grading.Item{chlorine(4)}, 0, 0.8, 0.5 * 4 * 0.8, 0},
		{"same chemical in two tanks adds up", []grading.Item{chlorine(3), chlorine(3)}, 0, 1.2, 0.5 * 4 * 1.2, 4},
		{"level 3", []grading.Item{chlorine(15)}, 10, 3, 12, 3},
		{"R 48 is level 3", []grading.Item{chlorine(50)}, 40, 10, 1.2 * 40, 3},
		{"level 2 with people", []grading.Item{chlorine(50)}, 100, 10, 80, 2},
		{"level 1", []grading.Item{chlorine(70)}, 200, 14, 112, 1},
		{"outside the standard", []grading.Item{{CAS: "7664-93-9", QuantityT: 1000}}, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		got := grading.Grade(tt.items, tt.population)
		if !near(got.S, tt.s) || !near(got.R, tt.r) || got.Level != tt.level {
			t.Errorf("%s: got S %v R %v level %d, want S %v R %v level %d", tt.name, got.S, got.R, got.Level, tt.s, tt.r, tt.level)
		}
	}
}

func TestAlpha(t *testing.T) {
	for _, tt := range []struct {
		pop  int
		want float64
	}{{0, 0.5}, {1, 1}, {29, 1}, {30, 1.2}, {49, 1.2}, {50, 1.5}, {99, 1.5}, {100, 2}, {5000, 2}} {
		if got := grading.Alpha(tt.pop); got != tt.want {
			t.Errorf("Alpha(%d) = %v, want %v", tt.pop, got, tt.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
