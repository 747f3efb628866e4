package dispatch_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"parktwin/dispatch"
	"parktwin/twin"
)

func chemicals() []twin.Entity {
	fp := 4.4
	return []twin.Entity{
		&twin.Chemical{CAS: "108-88-3", NameZh: "甲苯", NameEn: "Toluene", UN: 1294, Phase: twin.Liquid,
			DensityKgM3: 867, FlashPointC: &fp, HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
		&twin.Chemical{CAS: "67-56-1", NameZh: "甲醇", NameEn: "Methanol", UN: 1230, Phase: twin.Liquid,
			DensityKgM3: 791, FlashPointC: &fp, WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
		&twin.Enterprise{ID: "ENT-0001", Name: "测试石化有限公司", CreditCode: credit("91330604MA2BCDE12"), Grade: twin.GradeB,
			Industry: "石化", Parcel: orb.Polygon{{at(-500, -500), at(500, -500), at(500, 500), at(-500, 500), at(-500, -500)}},
			DutyPhone: "0575-82100001"},
	}
}

func credit(first17 string) string {
	c, _ := twin.CreditCheck(first17)
	return first17 + string(c)
}

func tankAt(id, chemical string, typ twin.TankType, d float64, x, y float64) *twin.Tank {
	return &twin.Tank{ID: id, Name: id, Enterprise: "ENT-0001", Chemical: chemical, Type: typ,
		DiameterM: d, HeightM: 18, CapacityM3: math.Pi * d * d / 4 * 18, MaxFill: 0.85, Position: at(x, y)}
}

func requirement(t *testing.T, rs []dispatch.Requirement, what string) dispatch.Requirement {
	t.Helper()
	for _, r := range rs {
		if r.What == what {
			return r
		}
	}
	t.Fatalf("no requirement %s in %+v", what, rs)
	return dispatch.Requirement{}
}

// A floating-roof tank 40 m across: the seal ring π × 40 × 0.9 = 113.1 m²,
// × 12.5 L/(min·m²) × 60 min = 84,824 L of solution (rounded up), 3 % = 2,545 L.
func TestTankFireFoamFromTheTank(t *testing.T) {
	r := dispatch.DefaultRules()
	burning := tankAt("TNK-0001-01", "108-88-3", twin.ExternalFloatingRoof, 40, 0, 0)
	s := snapshot(t, append(chemicals(), burning)...)
	foam := requirement(t, r.TankFire(s, burning, twin.ScopeSeal), "foam-afff-3")
	b := foam.Basis
	if b["areaM2"] != 113.1 || b["rateLPerMinM2"] != 12.5 || b["minutes"] != 60.0 ||
		b["solutionL"] != 84824.0 || b["concentration"] != 0.03 || b["concentrateL"] != 2545.0 {
		t.Errorf("basis: %v", b)
	}
	if foam.Quantity != 2545 || foam.Unit != "L" || foam.Reason == "" {
		t.Errorf("foam: %+v", foam)
	}
}

// Cooling counts the tanks whose shells lie within 1.5 diameters of the
// burning tank's shell, and only those.
func TestCoolingCountsNeighbours(t *testing.T) {
	r := dispatch.DefaultRules()
	burning := tankAt("TNK-0001-01", "108-88-3", twin.FixedRoof, 20, 0, 0)
	near := tankAt("TNK-0001-02", "108-88-3", twin.FixedRoof, 20, 40, 0) // shells 20 m apart ≤ 30 m
	far := tankAt("TNK-0001-03", "108-88-3", twin.FixedRoof, 20, 60, 0)  // 40 m apart > 30 m
	s := snapshot(t, append(chemicals(), burning, near, far)...)
	c := requirement(t, r.TankFire(s, burning, twin.ScopeFullSurface), dispatch.CoolingWater)
	ns, _ := c.Basis["neighbours"].([]string)
	if len(ns) != 1 || ns[0] != "TNK-0001-02" {
		t.Fatalf("neighbours %v", c.Basis["neighbours"])
	}
	// π·20 m × 0.8 L/(s·m) × 4 h + half of π·20 m × 0.7 L/(s·m) × 4 h.
	want := math.Ceil(math.Pi*20*0.8*4*3600) + math.Ceil(math.Pi*20*0.5*0.7*4*3600)
	if math.Abs(c.Quantity-want) > 2 {
		t.Errorf("cooling water %v L, want %v", c.Quantity, want)
	}
}
