package twin_test

import (
	"context"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// A small park for the tests: a boundary on the Shangyu flats, chlorine
// and methanol, one enterprise with one tank.

func box(w, s, e, n float64) orb.Polygon {
	return orb.Polygon{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}
}

func fixture() []twin.Entity {
	fp := 11.0
	return []twin.Entity{
		&twin.Park{ID: twin.ParkID, Name: "测试园区", Boundary: box(120.80, 30.14, 120.90, 30.20)},
		&twin.Chemical{CAS: "7782-50-5", NameZh: "氯", NameEn: "Chlorine", UN: 1017, Phase: twin.LiquefiedGas,
			DensityKgM3: 1470, ToxicGas: true, HazardClass: "J2", CriticalQT: 5, Beta: 4},
		&twin.Chemical{CAS: "67-56-1", NameZh: "甲醇", NameEn: "Methanol", UN: 1230, Phase: twin.Liquid,
			DensityKgM3: 791, FlashPointC: &fp, WaterSoluble: true, HazardClass: "W5.3", CriticalQT: 500, Beta: 1},
		&twin.Enterprise{ID: "ENT-0001", Name: "上虞测试化工有限公司", CreditCode: creditCode("91330604MA2BCDE12"),
			Grade: twin.GradeB, Industry: "精细化工", Processes: []twin.Process{twin.Chlorination},
			Parcel: box(120.82, 30.15, 120.83, 30.16), PeopleOnShift: 40, DutyPhone: "0575-82100001"},
		tank("TNK-0001-01"),
	}
}

func tank(id string) *twin.Tank {
	return &twin.Tank{ID: id, Name: "T-101 液氯储罐", Enterprise: "ENT-0001", Chemical: "7782-50-5",
		Type: twin.Horizontal, DiameterM: 2.8, HeightM: 10, CapacityM3: 50, MaxFill: 0.85,
		Position: orb.Point{120.825, 30.155}, SIS: true, LastInspection: twin.NewDate(2025, time.March, 12)}
}

func creditCode(first17 string) string {
	c, ok := twin.CreditCheck(first17)
	if !ok {
		panic("bad credit code stem " + first17)
	}
	return first17 + string(c)
}

// openTwin returns an in-memory twin holding the fixture.
func openTwin(t *testing.T, clock twin.Clock) *twin.Twin {
	t.Helper()
	tw, err := twin.Open(twin.Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(fixture()...)...); err != nil {
		t.Fatal(err)
	}
	return tw
}
