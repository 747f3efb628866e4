package grading_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"parktwin/twin"
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

// GB 18218-2018 §4 (S ≥ 1 identifies; R ≥ 10, 50, 100 the levels): the
// figures are rounded before they are compared. Ten chemicals at q/Q =
// 0.1 sum to 0.9999999999999999 in floating point, and a hundred to
// 9.99999999999998; the unit is still a major hazard, and R = 10 level 3.
func TestRoundBeforeComparingGB18218(t *testing.T) {
	var ten, hundred []grading.Item
	for i := range 100 {
		it := grading.Item{CAS: fmt.Sprintf("c%03d", i), QuantityT: 0.5, CriticalQT: 5, Beta: 1}
		if i < 10 {
			ten = append(ten, it)
		}
		hundred = append(hundred, it)
	}
	if got := grading.Grade(ten, 0); got.S != 1 || got.Level != 4 {
		t.Errorf("S = 10 × 0.1: S %v level %d, want S 1, level 4", got.S, got.Level)
	}
	if got := grading.Grade(hundred, 1); got.R != 10 || got.Level != 3 {
		t.Errorf("R = 100 × 0.1 with α 1: R %v level %d, want R 10, level 3", got.R, got.Level)
	}
}

// GB 18218-2018 Table 5: α counts the residents within 500 m outside the
// plant boundary (厂区边界) — the enterprise's parcel — not the unit's
// footprint; residents inside the boundary are not counted.
func TestAlphaCountsFromThePlantBoundaryGB18218Table5(t *testing.T) {
	box := func(w, s, e, n float64) orb.Polygon {
		return orb.Polygon{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}
	}
	cc, _ := twin.CreditCheck("91330604MA2BCDE12")
	tw, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	es := []twin.Entity{
		&twin.Park{ID: twin.ParkID, Name: "测试", Boundary: box(120.7, 30.1, 120.9, 30.2)},
		&twin.Enterprise{ID: "ENT-0001", Name: "测试化工有限公司", CreditCode: "91330604MA2BCDE12" + string(cc),
			Grade: twin.GradeB, Industry: "化工", Parcel: box(120.815, 30.145, 120.83, 30.16), DutyPhone: "0575-82100001"},
		&twin.HazardUnit{ID: "MHU-01", Name: "罐区", Enterprise: "ENT-0001", Type: twin.StorageUnit,
			Tanks: []string{}, Stores: []string{}, Footprint: box(120.8160, 30.1460, 120.8170, 30.1470)},
		// About 290 m east of the boundary, 1.3 km from the farm.
		&twin.Target{ID: "TGT-01", Name: "村", Type: twin.Residential, Population: 60, Position: orb.Point{120.8330, 30.1530}},
		// Inside the boundary: the plant's own, not residents.
		&twin.Target{ID: "TGT-02", Name: "宿舍", Type: twin.Residential, Population: 200, Position: orb.Point{120.8180, 30.1480}},
	}
	if _, err := tw.Apply(context.Background(), twin.Creates(es...)...); err != nil {
		t.Fatal(err)
	}
	u, _ := twin.Lookup[*twin.HazardUnit](tw.Snapshot(), "MHU-01")
	if got := grading.Population(tw.Snapshot(), u); got != 60 {
		t.Errorf("population %d, want 60", got)
	}
}
