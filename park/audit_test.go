package park_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/park"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
)

// TestADayShowsWhoMadeEveryChange runs the demo park for a day of a
// simulated clock on a real bbolt file — the simulator reading every
// sensor, the monitor raising and clearing alarms, a duty officer
// acknowledging them, a dispatcher reporting and confirming an incident
// whose units the desk then moves — and finds every change in the
// journal made by someone, the audit trail sound and vouching for all of
// them.
func TestADayShowsWhoMadeEveryChange(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := twin.NewSimClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	in, err := park.Open(context.Background(), park.Config{Store: db, History: db, Clock: clock,
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...)
			return err
		},
		Simulate: true, SimEvery: time.Minute, ExcursionEvery: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	in.Start()
	officer := twin.WithActor(context.Background(), twin.Actor{User: "duty-officer", Role: "duty", Addr: "10.0.0.5",
		Route: "POST /api/v1/alarms/:id/ack"})
	dispatcher := twin.WithActor(context.Background(), twin.Actor{User: "dispatcher", Role: "dispatcher", Addr: "10.0.0.6",
		Route: "POST /api/v1/incidents"})

	acked := 0
	for hour := range 24 {
		clock.Advance(time.Hour)
		for a := range twin.All[*twin.Alarm](in.Twin().Snapshot()) {
			if a.State != twin.AlarmClosed && a.AckedAt.IsZero() {
				if _, err := in.Monitor().AckAlarm(officer, a.ID, "值班员", ""); err == nil {
					acked++
				}
			}
		}
		if hour == 3 {
			confirmIncident(t, in, dispatcher)
		}
	}
	for inc := range twin.All[*twin.Incident](in.Twin().Snapshot()) {
		for _, step := range inc.Timeline {
			if step.Actor != "dispatcher" {
				t.Errorf("%s: the step %q entered by %q, want the dispatcher", inc.ID, step.What, step.Actor)
			}
		}
	}
	in.Close()
	if acked == 0 {
		t.Fatal("no alarm in a day: the test saw no monitor at work")
	}

	users := map[string]int{}
	events := 0
	err = db.Events(0, func(ev twin.Event) error {
		events++
		users[ev.Actor.User]++
		if ev.Actor.User == "" || ev.Actor.User == twin.ActorUnknown {
			t.Errorf("event %d (%s %s %s) made by %q", ev.Seq, ev.Op, ev.Kind, ev.ID, ev.Actor.User)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{twin.ActorSeed, twin.ActorMonitor, twin.ActorDesk, "duty-officer", "dispatcher"} {
		if users[want] == 0 {
			t.Errorf("no change made by %s; by user: %v", want, users)
		}
	}
	st, err := db.VerifyAudit()
	if err != nil {
		t.Fatal(err)
	}
	if st.Events != events {
		t.Errorf("the trail vouches for %d events, the journal holds %d", st.Events, events)
	}
	// The simulator's readings woke the monitor: its alarms say so.
	rs, _, err := db.Audit(bolt.AuditFilter{User: twin.ActorMonitor, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rs, func(r bolt.AuditRecord) bool { return r.Actor.Via == twin.ActorSimulator }) {
		t.Errorf("no change of the monitor's made on the simulator's behalf")
	}
}

// confirmIncident reports a fire at a tank as the dispatcher, plans its
// response and confirms it, so that the desk has units to move.
func confirmIncident(t *testing.T, in *park.Instance, ctx context.Context) {
	t.Helper()
	var tank *twin.Tank
	for tk := range twin.All[*twin.Tank](in.Twin().Snapshot()) {
		tank = tk
		break
	}
	inc, _, err := in.Desk().Report(ctx, dispatch.Report{Type: "tank-fire", Entity: tank.ID, Level: "III", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := in.Desk().Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Desk().Confirm(ctx, inc.ID, *p, "调度员"); err != nil {
		t.Fatal(err)
	}
}
