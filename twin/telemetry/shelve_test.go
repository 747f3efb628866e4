package telemetry_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// An alarm shelved for a stated time with a reason comes back by itself
// when the time is up, not a second before; the shelving is the
// officer's change and the return the Monitor's, in the journal. Bad
// requests are refused and change nothing.
func TestShelvedAlarmComesBackByItself(t *testing.T) {
	d := newDurable(t)
	d.feed(t, "SEN-00001", 55) // HH: an orange alarm
	as := alarms(d.tw.Snapshot())
	if len(as) != 1 {
		t.Fatalf("alarms: %+v", as)
	}
	id := as[0].ID
	officer := twin.WithActor(context.Background(), twin.Actor{User: "值班员", Role: "duty-officer"})
	maxD := telemetry.DefaultRules().Shelving.MaxDuration.D()

	seq := d.tw.Snapshot().Seq()
	for _, bad := range []struct {
		d      time.Duration
		reason string
		field  string
	}{
		{30 * time.Minute, "", "reason"},
		{0, "仪表检修", "durationS"},
		{-time.Minute, "仪表检修", "durationS"},
		{maxD + time.Second, "仪表检修", "durationS"}, // shelving.maxDuration
	} {
		_, err := d.m.ShelveAlarm(officer, id, "值班员", bad.d, bad.reason)
		if twin.ErrorCode(err) != twin.EINVALID || !containsField(err, bad.field) {
			t.Errorf("shelve %v %q: %v, want invalid %s", bad.d, bad.reason, err, bad.field)
		}
	}
	if _, err := d.m.ShelveAlarm(officer, "ALM-999999", "值班员", time.Minute, "仪表检修"); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Errorf("shelve an unknown alarm: %v", err)
	}
	if got := d.tw.Snapshot().Seq(); got != seq {
		t.Fatalf("refused shelvings moved seq %d → %d", seq, got)
	}

	a, err := d.m.ShelveAlarm(officer, id, "值班员", 30*time.Minute, "仪表检修，已现场确认")
	if err != nil {
		t.Fatal(err)
	}
	until := d.clock.Now().Add(30 * time.Minute)
	if !a.ShelvedUntil.Equal(until) || a.ShelvedBy != "值班员" || a.ShelveReason != "仪表检修，已现场确认" || a.State != twin.AlarmActive {
		t.Fatalf("shelved: %+v", a)
	}
	if _, err := d.m.ShelveAlarm(officer, id, "值班员", time.Minute, "again"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("shelve a shelved alarm: %v, want a conflict", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	wg.Go(func() { d.m.Run(ctx) })
	d.clock.BlockUntil(2)
	get := func() *twin.Alarm {
		a, _ := twin.Lookup[*twin.Alarm](d.tw.Snapshot(), id)
		return a
	}
	d.clock.Advance(until.Sub(d.clock.Now()) - time.Second)
	if a := get(); !a.Shelved(d.clock.Now()) || a.ShelvedUntil.IsZero() {
		t.Fatalf("a second before its time: %+v, want still shelved", a)
	}
	d.clock.Advance(time.Second)
	back := get()
	if !back.ShelvedUntil.IsZero() || back.ShelvedBy != "" || back.ShelveReason != "" || back.State != twin.AlarmActive {
		t.Fatalf("at its time: %+v, want back, still active", back)
	}
	wantHist := []twin.Shelving{{By: "值班员", Reason: "仪表检修，已现场确认", From: until.Add(-30 * time.Minute), Until: until}}
	if d := cmp.Diff(back.Shelvings, wantHist); d != "" {
		t.Errorf("the shelving history after the alarm came back (-got +want):\n%s", d)
	}

	// Who did what, in the journal.
	var actors []string
	d.db.Events(seq, func(ev twin.Event) error {
		if ev.ID == id {
			actors = append(actors, ev.Actor.User)
		}
		return nil
	})
	if len(actors) != 2 || actors[0] != "值班员" || actors[1] != twin.ActorMonitor {
		t.Errorf("the alarm's changes were made by %q, want the officer's shelving, then the monitor's return", actors)
	}
}

// The shelvings of an alarm are kept on it, the one in force and those it
// came back from, across restarts: who, why, from when until when.
func TestShelvingHistorySurvivesARestart(t *testing.T) {
	d := newDurable(t)
	d.feed(t, "SEN-00001", 55)
	id := alarms(d.tw.Snapshot())[0].ID
	officer := twin.WithActor(context.Background(), twin.Actor{User: "值班员", Role: "duty-officer"})
	first := d.clock.Now()
	if _, err := d.m.ShelveAlarm(officer, id, "值班员", 10*time.Minute, "仪表检修"); err != nil {
		t.Fatal(err)
	}
	// The Monitor brings it back; then it is shelved again, by another.
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { d.m.Run(ctx) })
	d.clock.BlockUntil(2)
	d.clock.Advance(10 * time.Minute)
	a, _ := twin.Lookup[*twin.Alarm](d.tw.Snapshot(), id)
	cancel()
	wg.Wait()
	if !a.ShelvedUntil.IsZero() {
		t.Fatalf("not back after 10 min: %+v", a)
	}
	second := d.clock.Now()
	if _, err := d.m.ShelveAlarm(officer, id, "夜班值班员", time.Hour, "现场确认为误报"); err != nil {
		t.Fatal(err)
	}
	d.restart(t)
	a, _ = twin.Lookup[*twin.Alarm](d.tw.Snapshot(), id)
	want := []twin.Shelving{
		{By: "值班员", Reason: "仪表检修", From: first, Until: first.Add(10 * time.Minute)},
		{By: "夜班值班员", Reason: "现场确认为误报", From: second, Until: second.Add(time.Hour)},
	}
	if d := cmp.Diff(a.Shelvings, want, cmpopts.EquateApproxTime(0)); d != "" {
		t.Errorf("the shelvings after a restart (-got +want):\n%s", d)
	}
	if a.ShelveReason != "现场确认为误报" || !a.Shelved(d.clock.Now()) {
		t.Errorf("after a restart: %+v, want shelved by the second", a)
	}
}

func containsField(err error, field string) bool {
	var te *twin.Error
	return errors.As(err, &te) && te.Field == field
}
