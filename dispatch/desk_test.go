package dispatch_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
)

func deskOnDemo(t *testing.T) (*dispatch.Desk, *twin.Twin, *twin.SimClock) {
	t.Helper()
	clock := twin.NewSimClock(today)
	tw, err := twin.Open(twin.Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	return dispatch.NewDesk(tw, dispatch.DefaultRules()), tw, clock
}

func TestReportAndMerge(t *testing.T) {
	d, tw, clock := deskOnDemo(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, tw.Snapshot())
	inc, merged, err := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "企业值班员"})
	if err != nil || merged {
		t.Fatalf("report: %v %v", err, merged)
	}
	if inc.Chemical != tank.Chemical || inc.Enterprise != tank.Enterprise || inc.Position != tank.Position || inc.State != twin.IncidentReported {
		t.Errorf("incident: %+v", inc)
	}
	// The same tank again, graver: merged, level raised.
	clock.Advance(2 * time.Minute)
	again, merged, err := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "II", Reporter: "巡查员"})
	if err != nil || !merged || again.ID != inc.ID || again.Reports != 2 || again.Level != twin.LevelII || len(again.Timeline) != 3 {
		t.Fatalf("second report: %+v merged %v %v", again, merged, err)
	}
	// A point 50 m away within ten minutes: the same incident.
	clock.Advance(5 * time.Minute)
	p := tank.Position
	byPoint, merged, _ := d.Report(ctx, dispatch.Report{Type: "tank-fire", Point: []float64{p[0] + 0.0004, p[1]}, Level: "III", Reporter: "路人"})
	if !merged || byPoint.ID != inc.ID {
		t.Errorf("a report 40 m away: merged %v into %s", merged, byPoint.ID)
	}
	// Twenty minutes on, a point report nearby is a new incident.
	clock.Advance(20 * time.Minute)
	later, merged, _ := d.Report(ctx, dispatch.Report{Type: "tank-fire", Point: []float64{p[0] + 0.0004, p[1]}, Level: "III", Reporter: "路人"})
	if merged || later.ID == inc.ID {
		t.Errorf("a report 20 minutes later was merged")
	}
	if n := tw.Snapshot().Len(twin.KindIncident); n != 2 {
		t.Errorf("%d incidents, want 2", n)
	}
}

func TestReportRefused(t *testing.T) {
	d, tw, _ := deskOnDemo(t)
	tank := floatingRoofTank(t, tw.Snapshot())
	seq := tw.Snapshot().Seq()
	for _, tt := range []struct {
		rep   dispatch.Report
		field string
	}{
		{dispatch.Report{Type: "meteor", Entity: tank.ID, Level: "III", Reporter: "x"}, "type"},
		{dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "V", Reporter: "x"}, "level"},
		{dispatch.Report{Type: "tank-fire", Level: "III", Reporter: "x"}, "point"},
		{dispatch.Report{Type: "tank-fire", Entity: tank.ID, Point: []float64{120.8, 30.15}, Level: "III", Reporter: "x"}, "point"},
		{dispatch.Report{Type: "tank-fire", Entity: "TNK-9999-99", Level: "III", Reporter: "x"}, "entity"},
		{dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III"}, "reporter"},
		{dispatch.Report{Type: "toxic-release", Point: []float64{179, 30.15}, Level: "III", Reporter: "x"}, "geometry"},
		{dispatch.Report{Type: "toxic-release", Alarm: "ALM-999999", Level: "III", Reporter: "x"}, "alarm"},
	} {
		_, _, err := d.Report(context.Background(), tt.rep)
		if got := twin.ErrorField(err); got != tt.field {
			t.Errorf("%+v: field %q (%v), want %q", tt.rep, got, err, tt.field)
		}
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq moved from %d to %d", seq, got)
	}
}

func TestDeskPlans(t *testing.T) {
	d, tw, _ := deskOnDemo(t)
	tank := floatingRoofTank(t, tw.Snapshot())
	inc, _, err := d.Report(context.Background(), dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	seq := tw.Snapshot().Seq()
	p, err := d.Plan(inc.ID)
	if err != nil || p.Incident != inc.ID || p.Seq != seq || len(p.Assignments) == 0 {
		t.Fatalf("plan: %+v %v", p, err)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("planning changed the park: seq %d → %d", seq, got)
	}
	if _, err := d.Plan("INC-99999"); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Errorf("plan of no incident: %v", err)
	}
}

// An alarm promoted to an incident takes the alarm's place and its
// subject's chemical.
func TestPromoteAnAlarm(t *testing.T) {
	d, tw, _ := deskOnDemo(t)
	tank := floatingRoofTank(t, tw.Snapshot())
	alarm := &twin.Alarm{ID: "ALM-000001", Sensor: "SEN-00001", Subject: tank.ID, Enterprise: tank.Enterprise,
		Condition: twin.High, Limit: "HH", Threshold: 50, Value: 61, Level: twin.Orange, State: twin.AlarmActive,
		RaisedAt: today, Position: tank.Position}
	if _, err := tw.Apply(context.Background(), twin.Create{Entity: alarm}); err != nil {
		t.Fatal(err)
	}
	inc, _, err := d.Report(context.Background(), dispatch.Report{Type: "tank-fire", Alarm: alarm.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Alarm != alarm.ID || inc.Entity != tank.ID || inc.Chemical != tank.Chemical || inc.Position != tank.Position {
		t.Errorf("promoted: %+v", inc)
	}
}

// The desk keeps its road graph while only other things change, and
// builds it again when a road is closed.
func TestDeskSeesAClosedRoad(t *testing.T) {
	d, tw, _ := deskOnDemo(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, tw.Snapshot())
	inc, _, _ := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "x"})
	before, err := d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	first := before.Assignments[0]
	if len(first.Route) < 3 {
		t.Skipf("route too short: %v", first.Route)
	}
	// A change elsewhere (a target) leaves the plan as it was.
	if _, err := tw.Apply(ctx, twin.Patch{Kind: twin.KindTarget, ID: "TGT-01", Merge: []byte(`{"properties":{"population":1}}`)}); err != nil {
		t.Fatal(err)
	}
	same, _ := d.Plan(inc.ID)
	if same.Assignments[0].EtaS != first.EtaS {
		t.Errorf("a target's change moved the ETA from %v to %v", first.EtaS, same.Assignments[0].EtaS)
	}
	closing := first.Route[len(first.Route)/2]
	if _, err := tw.Apply(ctx, twin.Patch{Kind: twin.KindRoad, ID: closing, Merge: []byte(`{"properties":{"closed":true}}`)}); err != nil {
		t.Fatal(err)
	}
	after, _ := d.Plan(inc.ID)
	for _, a := range after.Assignments {
		// Its ETA grows, or — the road cut off the tank's own roads —
		// it stops at a nearer approach and lays hose from there.
		if a.Vehicle == first.Vehicle && ((a.EtaS <= first.EtaS && after.Approach == nil) || slices.Contains(a.Route, closing)) {
			t.Errorf("after closing %s: ETA %v (was %v), route %v", closing, a.EtaS, first.EtaS, a.Route)
		}
	}
}
