package dispatch_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
)

// durableDesk is a desk on the demo park in a real bbolt file, on a
// simulated clock, that can be restarted.
type durableDesk struct {
	path  string
	clock *twin.SimClock
	db    *bolt.DB
	tw    *twin.Twin
	d     *dispatch.Desk
}

func newDurableDesk(t *testing.T) *durableDesk {
	t.Helper()
	dd := &durableDesk{path: filepath.Join(t.TempDir(), "park.db"), clock: twin.NewSimClock(today)}
	dd.open(t)
	if _, err := dd.tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dd.close() })
	return dd
}

func (dd *durableDesk) open(t *testing.T) {
	t.Helper()
	var err error
	if dd.db, err = bolt.Open(dd.path); err != nil {
		t.Fatal(err)
	}
	if dd.tw, err = twin.Open(twin.Config{Store: dd.db, Clock: dd.clock}); err != nil {
		t.Fatal(err)
	}
	dd.d = dispatch.NewDesk(dd.tw, dispatch.DefaultRules())
}

func (dd *durableDesk) close() {
	if dd.db != nil {
		dd.tw.Close()
		dd.db.Close()
		dd.db = nil
	}
}

func vehicleStatus(s *twin.Snapshot, team, vehicle string) twin.Status {
	t, _ := twin.Lookup[*twin.Team](s, team)
	for _, v := range t.Vehicles {
		if v.ID == vehicle {
			return v.Status
		}
	}
	return 0
}

func incident(t *testing.T, tw *twin.Twin, id string) *twin.Incident {
	t.Helper()
	inc, ok := twin.Lookup[*twin.Incident](tw.Snapshot(), id)
	if !ok {
		t.Fatalf("no incident %s", id)
	}
	return inc
}

func TestConfirmAndFollowThrough(t *testing.T) {
	dd := newDurableDesk(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, dd.tw.Snapshot())
	inc, _, err := dd.d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *plan, "指挥员"); err != nil {
		t.Fatal(err)
	}
	s := dd.tw.Snapshot()
	got := incident(t, dd.tw, inc.ID)
	if got.State != twin.IncidentDispatched || len(got.Assignments) != len(plan.Assignments) || len(got.Equipment) != len(plan.Equipment) {
		t.Fatalf("after confirm: %v, %d assignments, %d equipment lines", got.State, len(got.Assignments), len(got.Equipment))
	}
	for _, a := range got.Assignments {
		if st := vehicleStatus(s, a.Team, a.Vehicle); st != twin.Dispatched {
			t.Errorf("%s is %v after confirm", a.Vehicle, st)
		}
	}
	// Confirming again is refused; a busy vehicle cannot go twice.
	if _, err := dd.d.Confirm(ctx, inc.ID, *plan, "指挥员"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("second confirm: %v", err)
	}

	// A restart in the middle keeps the incident and its assignments.
	dd.close()
	dd.open(t)
	if got := incident(t, dd.tw, inc.ID); len(got.Assignments) != len(plan.Assignments) || got.State != twin.IncidentDispatched {
		t.Fatalf("after restart: %+v", got)
	}

	// On the clock: every vehicle rolls after its turnout and arrives at
	// its ETA; the equipment is issued.
	last := 0.0
	for _, a := range got.Assignments {
		last = max(last, a.EtaS)
	}
	dd.clock.Advance(time.Duration(last+1) * time.Second)
	if err := dd.d.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got = incident(t, dd.tw, inc.ID)
	s = dd.tw.Snapshot()
	for _, a := range got.Assignments {
		if a.State != twin.AssignOnScene || !a.ArrivedAt.Equal(a.OrderedAt.Add(time.Duration(a.EtaS*float64(time.Second)))) ||
			vehicleStatus(s, a.Team, a.Vehicle) != twin.OnScene {
			t.Errorf("assignment %+v", a)
		}
	}
	for _, e := range got.Equipment {
		if e.State != twin.EquipIssued {
			t.Errorf("equipment %+v", e)
		}
	}
	byInc, byTeam := dispatch.ResponseTimes(s)
	if p := byInc[inc.ID]; p <= 0 || p > time.Duration(last+1)*time.Second {
		t.Errorf("p90 of %s: %v", inc.ID, p)
	}
	if len(byTeam) == 0 {
		t.Error("no response times per team")
	}

	// Under control: home again, available.
	if _, err := dd.d.SetState(ctx, inc.ID, twin.IncidentUnderControl, "指挥员"); err != nil {
		t.Fatal(err)
	}
	dd.clock.Advance(time.Hour)
	dd.d.Tick(ctx)
	s = dd.tw.Snapshot()
	for _, a := range incident(t, dd.tw, inc.ID).Assignments {
		if a.State != twin.AssignReleased || vehicleStatus(s, a.Team, a.Vehicle) != twin.Available {
			t.Errorf("after returning: %+v, vehicle %v", a, vehicleStatus(s, a.Team, a.Vehicle))
		}
	}
	if _, err := dd.d.SetState(ctx, inc.ID, twin.IncidentClosed, "指挥员"); err != nil {
		t.Fatal(err)
	}
	if got := incident(t, dd.tw, inc.ID); got.State != twin.IncidentClosed || len(got.Timeline) < 4 {
		t.Errorf("closed: %v, timeline %d entries", got.State, len(got.Timeline))
	}
}

func TestCancelReleasesEverything(t *testing.T) {
	d, tw, _ := deskOnDemo(t)
	ctx := context.Background()
	inc, _, err := d.Report(ctx, dispatch.Report{Type: "toxic-release", Point: []float64{120.85, 30.17}, Level: "II", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	before := tw.Snapshot()
	plan, err := d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Equipment) == 0 {
		t.Fatal("a toxic release without equipment")
	}
	if _, err := d.Confirm(ctx, inc.ID, *plan, "指挥员"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Cancel(ctx, inc.ID, "指挥员"); err != nil {
		t.Fatal(err)
	}
	after := tw.Snapshot()
	for w := range twin.All[*twin.Warehouse](before) {
		a, _ := twin.Lookup[*twin.Warehouse](after, w.ID)
		b1, _ := twin.EncodeFeature(w)
		b2, _ := twin.EncodeFeature(a)
		if string(b1) != string(b2) {
			t.Errorf("warehouse %s differs after cancel", w.ID)
		}
	}
	for tm := range twin.All[*twin.Team](before) {
		a, _ := twin.Lookup[*twin.Team](after, tm.ID)
		b1, _ := twin.EncodeFeature(tm)
		b2, _ := twin.EncodeFeature(a)
		if string(b1) != string(b2) {
			t.Errorf("team %s differs after cancel", tm.ID)
		}
	}
	if got := incident(t, tw, inc.ID); got.State != twin.IncidentClosed {
		t.Errorf("cancelled incident is %v", got.State)
	}
}

// An edited plan naming a vehicle that is already out is refused, and
// nothing changes.
func TestConfirmRefusesABusyVehicle(t *testing.T) {
	d, tw, _ := deskOnDemo(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, tw.Snapshot())
	a, _, _ := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "IV", Reporter: "x"})
	pa, _ := d.Plan(a.ID)
	if _, err := d.Confirm(ctx, a.ID, *pa, "x"); err != nil {
		t.Fatal(err)
	}
	b, _, _ := d.Report(ctx, dispatch.Report{Type: "pool-fire", Point: []float64{120.80, 30.15}, Level: "IV", Reporter: "x"})
	seq := tw.Snapshot().Seq()
	edited := dispatch.Plan{Assignments: pa.Assignments[:1]}
	_, err := d.Confirm(ctx, b.ID, edited, "x")
	if twin.ErrorCode(err) != twin.ECONFLICT || twin.ErrorField(err) != "assignments[0].vehicle" {
		t.Errorf("a busy vehicle: %v", err)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq moved from %d to %d", seq, got)
	}
}

// Equipment is issued when a vehicle leaves, not when one is released
// before it ever left: brought under control right after the confirm,
// nothing rolled, and the equipment is still only reserved.
func TestEquipmentNotIssuedWhenNothingLeft(t *testing.T) {
	dd := newDurableDesk(t)
	ctx := context.Background()
	tank := toxicTank(t, dd.tw.Snapshot())
	inc, _, err := dd.d.Report(ctx, dispatch.Report{Type: "toxic-release", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Equipment) == 0 {
		t.Fatal("the plan for a toxic release borrows no equipment")
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *plan, "指挥员"); err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.SetState(ctx, inc.ID, twin.IncidentUnderControl, "指挥员"); err != nil {
		t.Fatal(err)
	}
	// Another incident's vehicles rolling makes the desk look at every
	// incident, this one too.
	other := floatingRoofTank(t, dd.tw.Snapshot())
	inc2, _, err := dd.d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: other.ID, Level: "IV", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	plan2, err := dd.d.Plan(inc2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.Confirm(ctx, inc2.ID, *plan2, "指挥员"); err != nil {
		t.Fatal(err)
	}
	dd.clock.Advance(time.Hour)
	if err := dd.d.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range incident(t, dd.tw, inc.ID).Equipment {
		if e.State != twin.EquipReserved {
			t.Errorf("%s from %s is %s, though no vehicle left", e.Type, e.Warehouse, e.State)
		}
	}
}
