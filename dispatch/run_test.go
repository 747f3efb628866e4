package dispatch_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
)

// confirmedFire reports a fire on a floating-roof tank of the desk's park
// and confirms its plan; it returns the incident as confirmed.
func confirmedFire(t *testing.T, d *dispatch.Desk, tw *twin.Twin) *twin.Incident {
	t.Helper()
	ctx := context.Background()
	tank := floatingRoofTank(t, tw.Snapshot())
	inc, _, err := d.Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := d.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Confirm(ctx, inc.ID, *plan, "指挥员"); err != nil {
		t.Fatal(err)
	}
	got := incident(t, tw, inc.ID)
	if len(got.Assignments) == 0 {
		t.Fatal("a confirmed plan with no assignments")
	}
	return got
}

// runDesk starts d.Run every second on clock until the test ends and
// waits for it to set its first deadline.
func runDesk(t *testing.T, d *dispatch.Desk, clock *twin.SimClock, log *slog.Logger) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Go(func() { d.Run(ctx, time.Second, log) })
	clock.BlockUntil(1)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// stateAt is where an assignment should be at a time.
func stateAt(a twin.Assignment, at time.Time) twin.AssignmentState {
	switch {
	case !at.Before(a.OrderedAt.Add(seconds(a.EtaS))):
		return twin.AssignOnScene
	case !at.Before(a.OrderedAt.Add(seconds(a.TurnoutS))):
		return twin.AssignEnRoute
	}
	return twin.AssignDispatched
}

func TestRunMovesVehiclesOnTheSimClock(t *testing.T) {
	d, tw, clock := deskOnDemo(t)
	inc := confirmedFire(t, d, tw)
	var buf bytes.Buffer
	runDesk(t, d, clock, slog.New(slog.NewTextHandler(&buf, nil)))

	last := 0.0
	for _, a := range inc.Assignments {
		last = max(last, a.EtaS)
	}
	// Every 15 s of the clock, no Tick called by hand: each vehicle is
	// where its turnout and ETA put it, and each seen en route on the way.
	enRoute := map[string]bool{}
	end := inc.Assignments[0].OrderedAt.Add(seconds(last) + 15*time.Second)
	for clock.Now().Before(end) {
		clock.Advance(15 * time.Second)
		now := clock.Now()
		s := tw.Snapshot()
		for _, a := range incident(t, tw, inc.ID).Assignments {
			want := stateAt(a, now)
			if a.State != want || vehicleStatus(s, a.Team, a.Vehicle) != statusOf(want) {
				t.Fatalf("at +%v: %s is %v, its vehicle %v; want %v (turnout %.0f s, ETA %.0f s)",
					now.Sub(a.OrderedAt), a.Vehicle, a.State, vehicleStatus(s, a.Team, a.Vehicle), want, a.TurnoutS, a.EtaS)
			}
			if a.State == twin.AssignEnRoute {
				enRoute[a.Vehicle] = true
			}
		}
	}
	for _, a := range incident(t, tw, inc.ID).Assignments {
		if !a.TurnoutAt.Equal(a.OrderedAt.Add(seconds(a.TurnoutS))) || !a.ArrivedAt.Equal(a.OrderedAt.Add(seconds(a.EtaS))) {
			t.Errorf("%s: turned out at %v, arrived at %v", a.Vehicle, a.TurnoutAt, a.ArrivedAt)
		}
		if a.EtaS-a.TurnoutS >= 15 && !enRoute[a.Vehicle] {
			t.Errorf("%s never seen en route", a.Vehicle)
		}
	}
	if buf.Len() > 0 {
		t.Errorf("logged:\n%s", buf.String())
	}
}

func statusOf(s twin.AssignmentState) twin.Status {
	switch s {
	case twin.AssignEnRoute:
		return twin.EnRoute
	case twin.AssignOnScene:
		return twin.OnScene
	}
	return twin.Dispatched
}

func TestRunLogsEachFailedTick(t *testing.T) {
	d, tw, clock := deskOnDemo(t)
	inc := confirmedFire(t, d, tw)
	var buf bytes.Buffer
	runDesk(t, d, clock, slog.New(slog.NewTextHandler(&buf, nil)))
	tw.Close() // every Tick with something to move now fails

	first := inc.Assignments[0].OrderedAt.Add(seconds(inc.Assignments[0].TurnoutS))
	for _, a := range inc.Assignments {
		if at := a.OrderedAt.Add(seconds(a.TurnoutS)); at.Before(first) {
			first = at
		}
	}
	start := clock.Now()
	clock.Advance(first.Sub(start) + 10*time.Second)
	want := 0 // the ticks from the first turnout on
	for at := start.Add(time.Second); !at.After(clock.Now()); at = at.Add(time.Second) {
		if !at.Before(first) {
			want++
		}
	}
	if got := strings.Count(buf.String(), "dispatch tick"); got != want {
		t.Errorf("%d failed ticks logged, want %d:\n%s", got, want, buf.String())
	}
}
