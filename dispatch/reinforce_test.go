package dispatch_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/dispatch"
	"parktwin/twin"
)

func shortfallNames(p *dispatch.Plan) []string {
	var out []string
	for _, sf := range p.Shortfalls {
		out = append(out, sf.What)
	}
	slices.Sort(out)
	return out
}

// A level III tank fire confirmed, then raised to level II: the plan
// proposes only the units the level II card needs beyond those sent, with
// no shortfall a level II plan on the untouched park would not have, and
// confirming adds them. Releasing one unit makes it available and takes
// it out of the incident. Guards issue 14's reinforcement (增援).
func TestReinforceRaisedLevel(t *testing.T) {
	dd := newDurableDesk(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, dd.tw.Snapshot())
	inc, _, err := dd.d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "II", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	// What level II needs on the park as it is, nothing yet sent.
	whole, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if whole.Reinforcement != nil {
		t.Fatal("a first plan is marked as a reinforcement")
	}
	if _, err := dd.d.SetLevel(ctx, inc.ID, "III", "指挥员"); err != nil {
		t.Fatal(err)
	}
	first, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *first, "指挥员"); err != nil {
		t.Fatal(err)
	}
	sent := map[string]bool{}
	for _, a := range first.Assignments {
		sent[a.Vehicle] = true
	}

	// Raised to II: the plan is a reinforcement of the extra units only.
	if _, err := dd.d.SetLevel(ctx, inc.ID, "II", "指挥员"); err != nil {
		t.Fatal(err)
	}
	more, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if more.Reinforcement == nil || more.Reinforcement.Level != "II" || len(more.Reinforcement.Assigned) != len(first.Assignments) {
		t.Fatalf("reinforcement mark: %+v", more.Reinforcement)
	}
	for _, a := range more.Assignments {
		if sent[a.Vehicle] {
			t.Errorf("%s is proposed again: it is sent already", a.Vehicle)
		}
	}
	if got, want := len(first.Assignments)+len(more.Assignments), len(whole.Assignments); got != want {
		t.Errorf("sent %d + proposed %d = %d vehicles, a level II plan sends %d", len(first.Assignments), len(more.Assignments), got, want)
	}
	if len(more.Assignments) == 0 {
		t.Fatal("raising III to II proposes no unit")
	}
	for _, sf := range shortfallNames(more) {
		if !slices.Contains(shortfallNames(whole), sf) {
			t.Errorf("false shortfall %q: a level II plan on the untouched park has none (%v)", sf, shortfallNames(whole))
		}
	}
	// Planned twice on the same incident and confirmed by two operators
	// at once: one confirm wins, the other is stale, and the extra units
	// go once.
	again, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, p := range []*dispatch.Plan{more, again} {
		go func() {
			_, err := dd.d.Confirm(ctx, inc.ID, *p, "指挥员")
			errs <- err
		}()
	}
	won, stale := 0, 0
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			won++
		case twin.ErrorCode(err) == twin.ECONFLICT:
			stale++
		default:
			t.Errorf("confirm at once: %v", err)
		}
	}
	if won != 1 || stale != 1 {
		t.Fatalf("two confirms of one reinforcement at once: %d taken, %d refused as stale; want 1 and 1", won, stale)
	}
	got := incident(t, dd.tw, inc.ID)
	if got.State != twin.IncidentDispatched || len(got.Assignments) != len(first.Assignments)+len(more.Assignments) {
		t.Fatalf("after the reinforcement: %v, %d assignments", got.State, len(got.Assignments))
	}
	s := dd.tw.Snapshot()
	for _, a := range more.Assignments {
		if st := vehicleStatus(s, a.Team, a.Vehicle); st != twin.Dispatched {
			t.Errorf("reinforcing %s is %v", a.Vehicle, st)
		}
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *again, "指挥员"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("a stale reinforcement: %v, want a conflict", err)
	}
	if n := len(incident(t, dd.tw, inc.ID).Assignments); n != len(got.Assignments) {
		t.Errorf("the stale reinforcement changed the incident: %d assignments, want %d", n, len(got.Assignments))
	}
	// Asked again now: nothing more is needed.
	none, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Assignments) != 0 {
		t.Errorf("after the reinforcement the plan still proposes %d units", len(none.Assignments))
	}
	// A plan for a reported incident is not a reinforcement: confirming
	// the first plan again is refused.
	if _, err := dd.d.Confirm(ctx, inc.ID, *first, "指挥员"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("the first plan confirmed again: %v", err)
	}

	// Release one unit: available at once, out of the incident.
	a := got.Assignments[0]
	if _, err := dd.d.Release(ctx, inc.ID, a.Team, a.Vehicle, "指挥员"); err != nil {
		t.Fatal(err)
	}
	rel := incident(t, dd.tw, inc.ID)
	if st := vehicleStatus(dd.tw.Snapshot(), a.Team, a.Vehicle); st != twin.Available {
		t.Errorf("released %s is %v, want available", a.Vehicle, st)
	}
	if slices.ContainsFunc(rel.Assignments, func(x twin.Assignment) bool { return x.Vehicle == a.Vehicle && x.Active() }) {
		t.Errorf("released %s still holds its place in %s", a.Vehicle, inc.ID)
	}
	if last := rel.Timeline[len(rel.Timeline)-1]; last.By != "指挥员" || !strings.Contains(last.What, a.Vehicle) {
		t.Errorf("timeline: %+v", last)
	}
	// Its release is a change of the incident: a plan of before is stale.
	if _, err := dd.d.Confirm(ctx, inc.ID, *none, "指挥员"); twin.ErrorCode(err) != twin.ECONFLICT && twin.ErrorCode(err) != twin.EINVALID {
		t.Errorf("a plan from before the release: %v", err)
	}
	// The released unit's line is open again: the next reinforcement
	// fills it, and never with a unit still sent.
	refill, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(refill.Assignments) != 1 {
		t.Errorf("after releasing one unit the reinforcement proposes %d units, want 1", len(refill.Assignments))
	}

	// Bad input changes nothing.
	before := dd.tw.Snapshot().Seq()
	for _, tt := range []struct {
		team, vehicle string
		code          string
	}{
		{"", a.Vehicle, twin.EINVALID},
		{a.Team, "", twin.EINVALID},
		{a.Team, "NO-SUCH", twin.EINVALID},
		{a.Team, a.Vehicle, twin.ECONFLICT}, // released already
	} {
		if _, err := dd.d.Release(ctx, inc.ID, tt.team, tt.vehicle, "指挥员"); twin.ErrorCode(err) != tt.code {
			t.Errorf("release %q %q: %v, want %s", tt.team, tt.vehicle, err, tt.code)
		}
	}
	if _, err := dd.d.Release(ctx, "INC-9999", a.Team, a.Vehicle, "指挥员"); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Errorf("release from no incident: %v", err)
	}
	if got := dd.tw.Snapshot().Seq(); got != before {
		t.Errorf("refused releases moved the park from seq %d to %d", before, got)
	}

	// All of it survives a restart.
	want := incident(t, dd.tw, inc.ID)
	dd.close()
	dd.open(t)
	if diff := cmp.Diff(incident(t, dd.tw, inc.ID).Assignments, want.Assignments); diff != "" {
		t.Errorf("assignments after a restart (-got +want):\n%s", diff)
	}
}

// An equipment line the operator puts on a vehicle goes back through
// the ledger when the vehicle is released.
func TestReleaseGivesBackItsEquipment(t *testing.T) {
	dd := newDurableDesk(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, dd.tw.Snapshot())
	inc, _, err := dd.d.Report(ctx, dispatch.Report{Type: "flammable-leak", Entity: tank.ID, Level: "II", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Equipment) == 0 || len(p.Assignments) < 2 {
		t.Fatalf("the plan sends %d vehicles and %d equipment lines", len(p.Assignments), len(p.Equipment))
	}
	carrier := p.Assignments[1]
	p.Equipment[0].Vehicle = carrier.Vehicle
	line := p.Equipment[0]
	wh := func() float64 {
		st := dd.tw.Snapshot().Stock(line.Warehouse).Type(line.Type)
		if st == nil {
			return 0
		}
		n := st.OutQuantity(inc.ID)
		for _, it := range st.SortedItems() {
			if it.State == twin.AssetIssued && it.Holder == inc.ID {
				n++
			}
		}
		return n
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *p, "指挥员"); err != nil {
		t.Fatal(err)
	}
	out := wh()
	if _, err := dd.d.Release(ctx, inc.ID, carrier.Team, carrier.Vehicle, "指挥员"); err != nil {
		t.Fatal(err)
	}
	got := incident(t, dd.tw, inc.ID)
	if got.Equipment[0].State != twin.EquipReturned || got.Equipment[0].Vehicle != carrier.Vehicle {
		t.Errorf("the carried line after the release: %+v", got.Equipment[0])
	}
	for _, e := range got.Equipment[1:] {
		if e.State == twin.EquipReturned {
			t.Errorf("a line no vehicle carried came back: %+v", e)
		}
	}
	if !(out > 0 && wh() == 0) {
		t.Errorf("%s of %s out with %s: %v before the release, %v after", line.Type, line.Warehouse, inc.ID, out, wh())
	}
	// A line put on a vehicle the plan does not send is refused.
	inc2, _, err := dd.d.Report(ctx, dispatch.Report{Type: "pool-fire", Point: []float64{tank.Position[0] + 0.01, tank.Position[1]}, Level: "IV", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := dd.d.Plan(inc2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Equipment) > 0 {
		p2.Equipment[0].Vehicle = "NO-SUCH"
		if _, err := dd.d.Confirm(ctx, inc2.ID, *p2, "指挥员"); twin.ErrorCode(err) != twin.EINVALID {
			t.Errorf("a line on a vehicle not sent: %v", err)
		}
	}
}

// A reinforcement planned while the first units are on their way is still
// good once they have arrived: a unit moving on does not make it stale,
// while a change of level does.
func TestReinforcementOutlivesUnitsMovingOn(t *testing.T) {
	dd := newDurableDesk(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, dd.tw.Snapshot())
	inc, _, err := dd.d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *first, "指挥员"); err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.SetLevel(ctx, inc.ID, "II", "指挥员"); err != nil {
		t.Fatal(err)
	}
	more, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Planned on level II: lowered and raised again in between, it is stale.
	if _, err := dd.d.SetLevel(ctx, inc.ID, "I", "指挥员"); err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *more, "指挥员"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("a reinforcement for level II confirmed at level I: %v", err)
	}
	if _, err := dd.d.SetLevel(ctx, inc.ID, "II", "指挥员"); err != nil {
		t.Fatal(err)
	}
	last := 0.0
	for _, a := range first.Assignments {
		last = max(last, a.EtaS)
	}
	dd.clock.Advance(time.Duration(last+1) * time.Second)
	if err := dd.d.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range incident(t, dd.tw, inc.ID).Assignments {
		if a.State != twin.AssignOnScene {
			t.Fatalf("%s is %v after its ETA", a.Vehicle, a.State)
		}
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *more, "指挥员"); err != nil {
		t.Errorf("a reinforcement planned while the units drove, confirmed once they arrived: %v", err)
	}
}

// A reinforcement confirmed, its units released, and the same plan
// confirmed again: the incident held again what it held when the plan
// was made, and the plan went through a second time. It is stale: the
// basis counts every assignment the incident was ever given.
func TestReinforcementNotReplayedAfterRelease(t *testing.T) {
	dd := newDurableDesk(t)
	ctx := context.Background()
	tank := floatingRoofTank(t, dd.tw.Snapshot())
	inc, _, err := dd.d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *first, "指挥员"); err != nil {
		t.Fatal(err)
	}
	if _, err := dd.d.SetLevel(ctx, inc.ID, "II", "指挥员"); err != nil {
		t.Fatal(err)
	}
	more, err := dd.d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if more.Reinforcement == nil || len(more.Assignments) == 0 {
		t.Fatalf("no reinforcement to replay: %+v", more.Reinforcement)
	}
	if _, err := dd.d.Confirm(ctx, inc.ID, *more, "指挥员"); err != nil {
		t.Fatal(err)
	}
	for _, a := range more.Assignments {
		if _, err := dd.d.Release(ctx, inc.ID, a.Team, a.Vehicle, "指挥员"); err != nil {
			t.Fatalf("release %s: %v", a.Vehicle, err)
		}
	}
	before := len(incident(t, dd.tw, inc.ID).Assignments)
	if _, err := dd.d.Confirm(ctx, inc.ID, *more, "指挥员"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("the same reinforcement confirmed again after its units were released: %v, want %s", err, twin.ECONFLICT)
	}
	if got := len(incident(t, dd.tw, inc.ID).Assignments); got != before {
		t.Errorf("%d assignments after the replay, %d before", got, before)
	}
}
