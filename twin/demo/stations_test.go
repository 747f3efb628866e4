package demo_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
)

// firstUnitETAs plans a level IV fire on the first tank of every tank farm
// with the shipped dispatch rules and returns, farm by farm, the ETA of
// the first unit (turnout + travel by road, as the planner gives it).
func firstUnitETAs(t *testing.T, s *twin.Snapshot) []float64 {
	t.Helper()
	r, g := dispatch.DefaultRules(), dispatch.NewGraph(s)
	first := map[string]*twin.Tank{}
	for tk := range twin.All[*twin.Tank](s) {
		farm := tk.Enterprise + " " + tk.Farm // a farm's name is its enterprise's
		if f := first[farm]; f == nil || tk.ID < f.ID {
			first[farm] = tk
		}
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var etas []float64
	for _, tk := range first {
		inc := &twin.Incident{ID: "INC-00001", Type: twin.TankFire, Level: twin.LevelIV, State: twin.IncidentConfirmed,
			Entity: tk.ID, Enterprise: tk.Enterprise, Chemical: tk.Chemical, Reporter: "值班员",
			ReportedAt: now, Position: tk.Position}
		p, err := r.Plan(s, g, inc, now)
		if err != nil {
			t.Fatalf("%s: %v", tk.ID, err)
		}
		eta := math.Inf(1)
		for _, a := range p.Assignments {
			eta = min(eta, a.EtaS)
		}
		etas = append(etas, eta)
	}
	slices.Sort(etas)
	return etas
}

// GB 51080-2015 §4.1.3 is a siting rule: a fire station is placed so
// that it reaches the edge of its district within 5 minutes of the
// order. The dispatch rules take it as their response target
// (responseTarget 5m), and the park's stations are sited so that every
// tank farm lies in a district so reached: the first unit at each farm
// within 300 s, turnout and travel by road at each road's class speed,
// as the planner gives them. With one special-duty station in the middle
// of a 12.8 × 5.8 km park half the farms were beyond (issue 13, point
// 15). Seed 1, scale 1, a level IV fire on each farm's first tank, over
// the 97 farms (96 and the benzene drill farm): before the district
// stations the median first-unit ETA was 303 s, 48 within 300 s, the
// worst 498 s; with the eight district stations 218 s, 90 within 300 s,
// the worst 366 s. The seven beyond were five plants fronting 纬三路 in
// the west and middle, whose farms lie 200–460 m in along 15–20 km/h
// plant roads, 1.6 km from the north edge stations and 1.8 km from the
// middle ones (310–366 s), and the two farms of 晟航色素 in the south-east
// corner, 1.7 km up 经八路 and 1.1 km along 纬二路 from the south-east
// station (342 and 360 s). With two park stations on 纬三路 (by 经二路 and
// by 园区大道) and the full-time brigade of 晟恒化工物流, the storage
// company next to 晟航色素: median 194 s, all 97 within 300 s, the worst
// 288 s (TNK-0014-01 and TNK-0015-01, south of the middle, whose first
// units did not change).
func TestFirstUnitWithinFiveMinutes(t *testing.T) {
	es := demo.Generate(1, 1)
	var without []twin.Entity
	for _, e := range es {
		if tm, ok := e.(*twin.Team); ok && strings.HasPrefix(tm.Name, "园区") && strings.HasSuffix(tm.Name, "消防站") {
			continue // a district station
		}
		without = append(without, e)
	}
	if len(without) == len(es) {
		t.Fatal("no district fire station in the park")
	}
	figures := func(s *twin.Snapshot) (n int, median float64, within int, worst float64) {
		etas := firstUnitETAs(t, s)
		for _, e := range etas {
			if e <= 300 {
				within++
			}
		}
		return len(etas), etas[len(etas)/2], within, etas[len(etas)-1]
	}
	n0, median0, within0, worst0 := figures(load(t, without))
	n, median, within, worst := figures(load(t, es))
	t.Logf("without the district stations: %d farms, median first-unit ETA %.0f s, %d within 300 s, worst %.0f s", n0, median0, within0, worst0)
	t.Logf("with them: %d farms, median %.0f s, %d within 300 s, worst %.0f s", n, median, within, worst)
	if n != 97 {
		t.Errorf("%d farms, want 97", n)
	}
	if within < n || median > 194 || worst > 288 {
		t.Errorf("median %.0f s, %d of %d farms within 300 s, worst %.0f s; want at most 194 s, all %d, at most 288 s (the siting rule of GB 51080-2015 §4.1.3: each station reaches its district within 5 min)", median, within, n, worst, n)
	}
	if within <= within0 || median >= median0 {
		t.Errorf("the district stations bring no farm nearer: %d → %d within 300 s, median %.0f → %.0f s", within0, within, median0, median)
	}
}
