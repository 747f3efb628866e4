package dispatch_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/bolt"
)

// Guards the follow-through against one broken incident: Tick used to move
// every incident in one decision, so when the twin refused one incident's
// change, no incident moved on ever again. The park here is what an old
// database held (the issue saw it): one vehicle in two open incidents at
// once, written into a bbolt file without the twin's checks, beside a
// healthy confirmed incident. A tick moves the healthy one on and names
// the broken ones in its error.
func TestTickGoesOnPastABrokenIncident(t *testing.T) {
	p := newHeldPark(t, nil) // INC-00001, a toxic release, confirmed
	broken := p.inc
	healthy := p.confirm(t, firstTankOtherThan(t, p.tw.Snapshot(), broken), "tank-fire")
	snap := p.tw.Snapshot()

	// A second incident holding the first vehicle of the broken one.
	twice := *broken
	twice.ID = "INC-00099"
	twice.Assignments = slices.Clone(broken.Assignments[:1])
	twice.Equipment = nil
	twice.Timeline = slices.Clone(broken.Timeline)
	records := append(snap.Records(), twin.Record{Entity: &twice, Version: snap.Seq(), Kind: twin.KindIncident, ID: twice.ID})

	db, err := bolt.Open(filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Baseline(snap.Seq(), records); err != nil {
		t.Fatal(err)
	}
	clock := twin.NewSimClock(heldDay)
	tw, err := twin.Open(twin.Config{Store: db, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	desk := dispatch.NewDesk(tw, dispatch.DefaultRules())

	var last time.Duration // past every turnout
	for _, a := range slices.Concat(broken.Assignments, healthy.Assignments) {
		last = max(last, a.OrderedAt.Add(seconds(a.TurnoutS)).Sub(clock.Now()))
	}
	clock.Advance(last + time.Second)

	err = desk.Tick(context.Background())
	if got := twin.ErrorCode(err); got != twin.ECONFLICT {
		t.Errorf("tick: got %q (%v), want a conflict", got, err)
	}
	for _, id := range []string{broken.ID, twice.ID} {
		if !strings.Contains(err.Error(), "incident "+id+":") {
			t.Errorf("the error does not name %s: %v", id, err)
		}
	}
	if strings.Contains(err.Error(), "incident "+healthy.ID+":") {
		t.Errorf("the error names the healthy %s: %v", healthy.ID, err)
	}

	s := tw.Snapshot()
	for _, a := range incident(t, tw, healthy.ID).Assignments {
		want := stateAt(a, clock.Now())
		if a.State != want || want == twin.AssignDispatched || vehicleStatus(s, a.Team, a.Vehicle) != statusOf(want) {
			t.Errorf("%s of the healthy incident: %v, its vehicle %v; want %v",
				a.Vehicle, a.State, vehicleStatus(s, a.Team, a.Vehicle), want)
		}
	}
	for _, id := range []string{broken.ID, twice.ID} {
		for _, a := range incident(t, tw, id).Assignments {
			if a.State != twin.AssignDispatched {
				t.Errorf("%s of the refused %s moved to %v", a.Vehicle, id, a.State)
			}
		}
	}
}
