package dispatch_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"pgregory.net/rapid"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/spatial"
	"parktwin/twin/weather"
)

// night is the chlorine-night drill's start: 02:30 in Beijing, winter.
var night = time.Date(2026, 12, 1, 2, 30, 0, 0, time.FixedZone("CST", 8*3600))

// chlorineLeak is a level II toxic release at the demo park's chlorine
// tank T-101 (TNK-0013-01, 60 m³, about 79 t at its maximum fill).
func chlorineLeak(t *testing.T, s *twin.Snapshot) *twin.Incident {
	t.Helper()
	tk, ok := twin.Lookup[*twin.Tank](s, "TNK-0013-01")
	if !ok || tk.Chemical != "7782-50-5" {
		t.Fatalf("the demo park's chlorine tank TNK-0013-01 is not there: %+v", tk)
	}
	return &twin.Incident{ID: "INC-00001", Type: twin.ToxicRelease, Level: twin.LevelII, State: twin.IncidentConfirmed,
		Entity: tk.ID, Enterprise: tk.Enterprise, Chemical: tk.Chemical, Reporter: "值班员", ReportedAt: night, Position: tk.Position}
}

// setWind puts the operator's weather: the wind from a bearing at 2 m/s,
// a clear winter night.
func setWind(t *testing.T, tw *twin.Twin, fromDeg float64) {
	t.Helper()
	w := twin.Weather{WindFromDeg: fromDeg, WindSpeedMS: 2, TemperatureC: 4, HumidityPct: 70, CloudOktas: 2}
	if _, err := weather.Override(context.Background(), tw, w); err != nil {
		t.Fatal(err)
	}
}

// TestChlorinePlanStagesUpwind: a chlorine leak on a winter night with
// 2 m/s from 35°. The plan stages its units upwind, outside the ERG
// isolation circle (1000 m: Table 3, rail tank car, night, low wind) and
// the AEGL-2 footprint; the roads inside those are closed for it, no
// ambulance is routed into them, and only a unit whose base lies inside
// crosses a hot road, to leave. The detection and gas-protection units
// lead, and the entry units go on. Turning the wind by 90° moves the
// staging point, upwind again.
func TestChlorinePlanStagesUpwind(t *testing.T) {
	tw := demoPark(t)
	r := dispatch.DefaultRules()
	var prev *dispatch.Staging
	for _, from := range []float64{35, 125} {
		setWind(t, tw, from)
		s := tw.Snapshot()
		inc := chlorineLeak(t, s)
		z, err := dispatch.DefaultZoneConfig().ComputeZones(s, inc, night)
		if err != nil {
			t.Fatal(err)
		}
		p, err := r.PlanWith(s, dispatch.NewGraph(s), inc, night, z)
		if err != nil {
			t.Fatal(err)
		}
		iso := zoneOf(t, z, "isolation")
		if iso.Circle == nil || iso.Circle.RadiusM != 1000 || !iso.Hot {
			t.Fatalf("wind %v°: isolation %+v, want a hot 1000 m circle (ERG Table 3, rail tank car, night, low wind)", from, iso)
		}
		toxic := zoneOf(t, z, "toxic-AEGL-2")
		if !toxic.Hot {
			t.Errorf("wind %v°: the AEGL-2 footprint is not hot", from)
		}
		st := p.Staging
		if st == nil {
			t.Fatalf("wind %v°: no staging point; notes %v", from, p.Notes)
		}
		sp := orb.Point{st.Point[0], st.Point[1]}
		// Upwind: within 45° of where the wind comes from.
		if off := angle(bearingOf(inc.Position, sp), from); st.Side != "upwind" || off > 45 {
			t.Errorf("wind %v°: staging at %.0f° (%s), %.0f° off the wind's bearing, want upwind", from, st.BearingDeg, st.Side, off)
		}
		if d := spatial.Distance(inc.Position, sp); d < iso.Circle.RadiusM {
			t.Errorf("wind %v°: staging %.0f m from the source, inside the %v m isolation circle", from, d, iso.Circle.RadiusM)
		}
		if planar.PolygonContains(toxic.Polygon, sp) {
			t.Errorf("wind %v°: staging inside the AEGL-2 footprint", from)
		}
		if len(p.ClosedRoads) == 0 {
			t.Errorf("wind %v°: no road closed for the plan", from)
		}
		ambulances := 0
		for _, a := range p.Assignments {
			vt := vehicleType(t, s, a)
			for _, rd := range a.Route {
				if !slices.Contains(a.HotRoads, rd) && slices.Contains(p.ClosedRoads, rd) {
					t.Errorf("wind %v°: %s's route crosses the closed %s without saying so", from, a.Vehicle, rd)
				}
			}
			if len(a.HotRoads) > 0 {
				team, _ := twin.Lookup[*twin.Team](s, a.Team)
				if !insideHot(z, team.Base) {
					t.Errorf("wind %v°: %s crosses hot roads %v from a base outside the hot zones", from, a.Vehicle, a.HotRoads)
				}
			}
			if vt != twin.Ambulance {
				continue
			}
			ambulances++
			if a.Onward || len(a.OnwardRoute) > 0 {
				t.Errorf("wind %v°: the ambulance %s goes on into the zone", from, a.Vehicle)
			}
			if len(a.HotRoads) > 0 {
				t.Errorf("wind %v°: the ambulance %s is routed across hot roads %v", from, a.Vehicle, a.HotRoads)
			}
			for _, rd := range a.Route {
				road, _ := twin.Lookup[*twin.Road](s, rd)
				for _, pt := range road.Line {
					if spatial.Distance(inc.Position, pt) < iso.Circle.RadiusM || planar.PolygonContains(toxic.Polygon, pt) {
						t.Errorf("wind %v°: the ambulance %s's route enters the zone on %s", from, a.Vehicle, rd)
					}
				}
			}
		}
		if ambulances == 0 {
			t.Errorf("wind %v°: a level II toxic release sends no ambulance: %+v", from, p.Assignments)
		}
		// Detection or gas protection leads; entry units go on.
		if len(p.Assignments) == 0 {
			t.Fatal("no assignments")
		}
		if vt := vehicleType(t, s, p.Assignments[0]); vt != twin.HazmatVehicle && vt != twin.GasProtectionVehicle {
			t.Errorf("wind %v°: the plan leads with %s, want detection or gas protection", from, vt)
		}
		onward := 0
		for _, a := range p.Assignments {
			if a.Onward {
				onward++
				if len(a.OnwardRoute) == 0 {
					t.Errorf("wind %v°: %s goes on with no route", from, a.Vehicle)
				}
			}
		}
		if onward == 0 || onward == len(p.Assignments) {
			t.Errorf("wind %v°: %d of %d units go on, want the entry units alone", from, onward, len(p.Assignments))
		}
		if prev != nil && prev.Point[0] == st.Point[0] && prev.Point[1] == st.Point[1] {
			t.Errorf("the wind turned 90° and the staging stayed on %s", st.Road)
		}
		prev = st
	}
}

// The desk's plan says what changed when the wind turns.
func TestPlanSaysWhatChanged(t *testing.T) {
	tw := demoPark(t)
	desk := dispatch.NewDesk(tw, dispatch.DefaultRules())
	setWind(t, tw, 35)
	inc, _, err := desk.Report(context.Background(), dispatch.Report{Type: "toxic-release", Entity: "TNK-0013-01", Level: "II", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Plan(inc.ID); err != nil {
		t.Fatal(err)
	}
	setWind(t, tw, 125)
	p, err := desk.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return contains(n, "since the last plan") && contains(n, "wind is now from 125°") && contains(n, "staging moved")
	}) {
		t.Errorf("the plan does not say what changed: %q", p.Notes)
	}
}

// Without hot zones (no chemical) a plan has no staging and routes to the
// incident.
func TestNoZonesNoStaging(t *testing.T) {
	tw := demoPark(t)
	s := tw.Snapshot()
	inc := chlorineLeak(t, s)
	inc.Chemical = ""
	p, err := dispatch.DefaultRules().Plan(s, dispatch.NewGraph(s), inc, night)
	if err != nil {
		t.Fatal(err)
	}
	if p.Staging != nil || len(p.ClosedRoads) > 0 {
		t.Errorf("staging %+v, closed %v for an incident without zones", p.Staging, p.ClosedRoads)
	}
}

func zoneOf(t *testing.T, z *dispatch.IncidentZones, suffix string) *dispatch.Zone {
	t.Helper()
	for i := range z.Zones {
		if z.Zones[i].ID == z.Incident+"/"+suffix {
			return &z.Zones[i]
		}
	}
	t.Fatalf("no zone %s among %d", suffix, len(z.Zones))
	return nil
}

func insideHot(z *dispatch.IncidentZones, p orb.Point) bool {
	for _, h := range z.Hot() {
		if planar.PolygonContains(h.Polygon, p) {
			return true
		}
	}
	return false
}

func vehicleType(t *testing.T, s *twin.Snapshot, a dispatch.Assignment) twin.VehicleType {
	t.Helper()
	team, _ := twin.Lookup[*twin.Team](s, a.Team)
	for _, v := range team.Vehicles {
		if v.ID == a.Vehicle {
			return v.Type
		}
	}
	t.Fatalf("no vehicle %s in %s", a.Vehicle, a.Team)
	return 0
}

// bearingOf is the bearing of b from a, clockwise from north.
func bearingOf(a, b orb.Point) float64 {
	q := spatial.NewProjection(a).Forward(b)
	d := math.Atan2(q[0], q[1]) * 180 / math.Pi
	return math.Mod(d+360, 360)
}

func angle(a, b float64) float64 { return math.Abs(math.Mod(a-b+540, 360) - 180) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// For any wind, the chlorine leak's plan stages outside every hot zone
// (beyond the isolation circle, outside the AEGL-2 footprint), on the
// upwind side, or says why not; no unit based outside the hot zones
// crosses a hot road, and no ambulance goes on.
func TestStagingAnyWind(t *testing.T) {
	tw := demoPark(t)
	r := dispatch.DefaultRules()
	tk, _ := twin.Lookup[*twin.Tank](tw.Snapshot(), "TNK-0013-01")
	rapid.Check(t, func(rt *rapid.T) {
		from := float64(rapid.IntRange(0, 359).Draw(rt, "windFromDeg"))
		speed := rapid.SampledFrom([]float64{1.5, 2, 4, 7}).Draw(rt, "windSpeedMS")
		w := twin.Weather{WindFromDeg: from, WindSpeedMS: speed, TemperatureC: 4, HumidityPct: 70, CloudOktas: 2}
		if _, err := weather.Override(context.Background(), tw, w); err != nil {
			rt.Fatal(err)
		}
		s := tw.Snapshot()
		inc := &twin.Incident{ID: "INC-00001", Type: twin.ToxicRelease, Level: twin.LevelII, State: twin.IncidentConfirmed,
			Entity: tk.ID, Enterprise: tk.Enterprise, Chemical: tk.Chemical, Reporter: "值班员", ReportedAt: night, Position: tk.Position}
		z, err := dispatch.DefaultZoneConfig().ComputeZones(s, inc, night)
		if err != nil {
			rt.Fatal(err)
		}
		p, err := r.PlanWith(s, dispatch.NewGraph(s), inc, night, z)
		if err != nil {
			rt.Fatal(err)
		}
		st := p.Staging
		if st == nil {
			rt.Fatalf("no staging: %v", p.Notes)
		}
		sp := orb.Point{st.Point[0], st.Point[1]}
		for _, h := range z.Hot() {
			if planar.PolygonContains(h.Polygon, sp) {
				rt.Fatalf("staging %v inside the hot zone %s", sp, h.ID)
			}
			if h.Circle != nil && spatial.Distance(inc.Position, sp) < h.Circle.RadiusM {
				rt.Fatalf("staging %.0f m from the source, inside %s (%v m)", spatial.Distance(inc.Position, sp), h.ID, h.Circle.RadiusM)
			}
		}
		for _, zn := range z.Zones {
			if zn.Kind == dispatch.ZoneProtectiveAction && planar.PolygonContains(zn.Polygon, sp) {
				rt.Fatalf("staging %v inside ERG's protective-action area %s", sp, zn.ID)
			}
		}
		// zones.yaml staging.maxOffUpwindDegDownwindHazard: 75° with a
		// plume (the review's finding 10: 60-90° for toxic releases).
		if off := angle(bearingOf(inc.Position, sp), from); off > 75.5 && !strings.Contains(st.Reason, "nowhere within 75°") {
			rt.Fatalf("staging %.0f° off the wind's bearing without saying why: %s", off, st.Reason)
		}
		for _, a := range p.Assignments {
			team, _ := twin.Lookup[*twin.Team](s, a.Team)
			if len(a.HotRoads) > 0 && !insideHot(z, team.Base) {
				rt.Fatalf("%s from %s, outside the hot zones, crosses hot roads %v", a.Vehicle, a.Team, a.HotRoads)
			}
			if vehicleTypeOf(s, a) == twin.Ambulance && a.Onward {
				rt.Fatalf("the ambulance %s goes on into the zone", a.Vehicle)
			}
		}
	})
}

func vehicleTypeOf(s *twin.Snapshot, a dispatch.Assignment) twin.VehicleType {
	team, _ := twin.Lookup[*twin.Team](s, a.Team)
	for _, v := range team.Vehicles {
		if v.ID == a.Vehicle {
			return v.Type
		}
	}
	return 0
}

// The review's finding 10: when no junction outside the hot zones is
// reached from the teams' bases without a hot road (here every base is
// moved onto the chlorine tank, inside the 1000 m ERG isolation circle,
// Table 3 rail tank car by night), the plan used to route every unit to
// the source. It must stop at the nearest junction outside the hot zones
// and say so.
func TestStagingNeverAtTheSource(t *testing.T) {
	es := demo.Generate(1, 1)
	var pos orb.Point
	for _, e := range es {
		if tk, ok := e.(*twin.Tank); ok && tk.ID == "TNK-0013-01" {
			pos = tk.Position
		}
	}
	for _, e := range es {
		if tm, ok := e.(*twin.Team); ok {
			tm.Base = orb.Point{pos[0] + 0.0005, pos[1]}
		}
	}
	tw, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(es...)...); err != nil {
		t.Fatal(err)
	}
	setWind(t, tw, 35)
	s := tw.Snapshot()
	inc := chlorineLeak(t, s)
	z, err := dispatch.DefaultZoneConfig().ComputeZones(s, inc, night)
	if err != nil {
		t.Fatal(err)
	}
	p, err := dispatch.DefaultRules().PlanWith(s, dispatch.NewGraph(s), inc, night, z)
	if err != nil {
		t.Fatal(err)
	}
	if p.Staging == nil {
		t.Fatalf("no staging: the units are routed to the source; notes %v", p.Notes)
	}
	sp := orb.Point{p.Staging.Point[0], p.Staging.Point[1]}
	for _, h := range z.Hot() {
		if planar.PolygonContains(h.Polygon, sp) {
			t.Errorf("staging inside the hot zone %s", h.ID)
		}
	}
	if d := spatial.Distance(inc.Position, sp); d < 1000 {
		t.Errorf("staging %.0f m from the source, inside the 1000 m isolation circle", d)
	}
	if !strings.Contains(p.Staging.Reason, "not at the source") {
		t.Errorf("the staging does not say why it is the nearest point outside: %s", p.Staging.Reason)
	}
	for _, a := range p.Assignments {
		if a.Onward {
			continue
		}
		if !strings.Contains(a.Reason, "waits at staging") {
			t.Errorf("%s does not wait at staging: %s", a.Vehicle, a.Reason)
		}
	}
}
