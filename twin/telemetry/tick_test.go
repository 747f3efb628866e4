package telemetry_test

import (
	"context"
	"sync"
	"testing"
	"time"

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
