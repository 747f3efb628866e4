package dispatch_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"parktwin/dispatch"
	"parktwin/twin"
)

// outOfService takes every available foam tender out of service but
// those given.
func outOfService(t *testing.T, tw *twin.Twin, keep []string) {
	t.Helper()
	var cmds []twin.Command
	for tm := range twin.All[*twin.Team](tw.Snapshot()) {
		c := *tm
		c.Vehicles = slices.Clone(tm.Vehicles)
		changed := false
		for i, v := range c.Vehicles {
			if v.Type == twin.FoamTender && v.Status == twin.Available && !slices.Contains(keep, v.ID) {
				c.Vehicles[i].Status = twin.OutOfService
				changed = true
			}
		}
		if changed {
			cmds = append(cmds, twin.Update{Entity: &c})
		}
	}
	if _, err := tw.Apply(context.Background(), cmds...); err != nil {
		t.Fatal(err)
	}
}

// A graver incident takes a unit from a lesser one only when no free unit
// fits, and says so; a lesser one never takes from a graver one.
func TestGraverIncidentTakesUnits(t *testing.T) {
	d, tw, _ := deskOnDemo(t)
	ctx := context.Background()
	// The lesser: a level IV pool fire, with its foam tender on the way.
	lesser, _, _ := d.Report(ctx, dispatch.Report{Type: "pool-fire", Point: []float64{120.80, 30.15}, Level: "IV", Reporter: "x"})
	pl, err := d.Plan(lesser.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Confirm(ctx, lesser.ID, *pl, "x"); err != nil {
		t.Fatal(err)
	}
	outOfService(t, tw, nil) // no free foam tender left anywhere
	tank := floatingRoofTank(t, tw.Snapshot())
	graver, _, _ := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "I", Reporter: "x"})
	pg, err := d.Plan(graver.ID)
	if err != nil {
		t.Fatal(err)
	}
	var took *dispatch.Assignment
	for i, a := range pg.Assignments {
		if a.From == lesser.ID {
			took = &pg.Assignments[i]
		}
	}
	if took == nil || !strings.Contains(took.Reason, "taken from "+lesser.ID) {
		t.Fatalf("the level I fire took nothing from the level IV one: %+v", pg.Assignments)
	}
	if _, err := d.Confirm(ctx, graver.ID, *pg, "指挥员"); err != nil {
		t.Fatal(err)
	}
	l := incident(t, tw, lesser.ID)
	for _, a := range l.Assignments {
		if a.Vehicle == took.Vehicle && a.State != twin.AssignReleased {
			t.Errorf("the taken vehicle is still %v at %s", a.State, lesser.ID)
		}
	}
	if last := l.Timeline[len(l.Timeline)-1].What; !strings.Contains(last, "taken for "+graver.ID) {
		t.Errorf("the lesser incident's timeline: %q", last)
	}
	// A new lesser incident may not take from the graver one.
	third, _, _ := d.Report(ctx, dispatch.Report{Type: "pool-fire", Point: []float64{120.90, 30.19}, Level: "IV", Reporter: "x"})
	p3, _ := d.Plan(third.ID)
	for _, a := range p3.Assignments {
		if a.From == graver.ID {
			t.Errorf("a level IV fire took %s from the level I one", a.Vehicle)
		}
	}
}
