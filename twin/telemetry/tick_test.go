package telemetry_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
)

// run starts the rig's Monitor.Run until the test ends and waits for its
// loops to set their first deadlines on the clock.
func (r *rig) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Go(func() { r.m.Run(ctx) })
	r.clock.BlockUntil(2) // the tick and the history flush
}

func TestRunEscalatesOnTheSimClock(t *testing.T) {
	r := newRig(t)
	r.feed(t, "SEN-00001", 55) // HH: orange, an order to acknowledge within 15 minutes
	var o *twin.Order
	for x := range twin.All[*twin.Order](r.tw.Snapshot()) {
		o = x
	}
	if o == nil {
		t.Fatal("no verification order for an orange alarm")
	}
	r.run(t)

	// No Tick called by hand, no sleeping: the monitor's own loop ticks
	// at every second the clock passes.
	r.clock.Advance(20 * time.Minute)

	var escalations []*twin.Task
	for x := range twin.All[*twin.Task](r.tw.Snapshot()) {
		if x.Type == twin.TaskEscalation && x.Subject == o.ID {
			escalations = append(escalations, x)
		}
	}
	if len(escalations) != 1 {
		t.Fatalf("escalations of %s: %+v, want 1", o.ID, escalations)
	}
	// Raised by the first tick past the deadline, at its own time, not at
	// the end of the step: the loop started on the second of the order.
	if got, want := escalations[0].RaisedAt, o.AckDeadline.Add(time.Second); !got.Equal(want) {
		t.Errorf("escalation raised at %v, want %v (the first tick past the deadline)", got, want)
	}
	if o2, _ := twin.Lookup[*twin.Order](r.tw.Snapshot(), o.ID); !o2.AckEscalated {
		t.Error("order not marked escalated")
	}
}

func TestRunFindsSilentSensorsOnTheSimClock(t *testing.T) {
	r := newRig(t)
	r.pastGrace()
	last := map[string]time.Time{}
	for _, id := range []string{"SEN-00002", "SEN-00003", "SEN-00001"} {
		r.feed(t, id, 1) // one a second, then silence
		last[id] = r.clock.Now()
	}
	r.run(t)

	// One step of five minutes: each sensor's silence is found by the
	// first tick past its 120 s, though the ticks between change nothing
	// and the first alarm changes the park under the others. They fall
	// silent one by one, each newly silent alone: three alarms of their
	// own, none of the gateway.
	r.clock.Advance(5 * time.Minute)

	got := map[string]time.Time{}
	for _, a := range alarms(r.tw.Snapshot()) {
		if a.Condition == twin.CommLost {
			got[a.Sensor] = a.RaisedAt
		}
	}
	want := map[string]time.Time{}
	for id, at := range last {
		want[id] = at.Add(121 * time.Second) // the loop ticks on the second of the last reading
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("comm-lost raised at (-got +want):\n%s", diff)
	}
}
