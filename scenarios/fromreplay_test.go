package scenarios_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"parktwin/scenarios"
	"parktwin/twin"
)

// A real incident made into a scenario: it starts from the park the
// journal says stood at the replay's start, its injects are the alarm's
// excursion, the report at its drill time and the road closed, and it
// reads back as written.
func TestScenarioFromReplay(t *testing.T) {
	in := workIncident(t)
	from, to := in.start.Add(time.Minute), in.end.Add(20*time.Second)
	r := openReplay(t, in, from, to)
	sc, b, err := r.Scenario("")
	if err != nil {
		t.Fatal(err)
	}

	back, err := scenarios.Parse("again.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back, sc, cmpopts.IgnoreUnexported(scenarios.Scenario{})); diff != "" {
		t.Errorf("read back (-got +want):\n%s", diff)
	}
	snap, err := scenarios.SnapshotAt(in.db, from)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Check(snap); err != nil {
		t.Errorf("checked against the journal at the start: %v", err)
	}

	if got, want := sc.Metadata.ID, "replay-20261201-1001"; got != want {
		t.Errorf("id %q, want %q", got, want)
	}
	if sc.Start.Park != scenarios.ParkJournal || !sc.Start.Time.Equal(from) {
		t.Errorf("start %s at %v, want %s at %v", sc.Start.Park, sc.Start.Time, scenarios.ParkJournal, from)
	}
	if got, want := sc.Metadata.Duration.D(), 50*time.Minute; got != want {
		t.Errorf("duration %v, want %v (49m20s rounded up)", got, want)
	}
	if got, want := sc.Metadata.Level, twin.LevelIII; got != want {
		t.Errorf("level %v, want the reported %v", got, want)
	}
	var kinds []string
	for _, inj := range sc.Injects {
		kinds = append(kinds, inj.At.String()+" "+inj.Kind())
	}
	// The alarm's sensor from its first recorded minute (02:05, 4 min
	// after the start), the report at 02:10, the road at 02:25 (or after
	// the last arrival: workIncident).
	want := []string{"4m0s excursion", "9m0s report", in.road.Sub(from).String() + " road"}
	if diff := cmp.Diff(kinds, want); diff != "" {
		t.Errorf("injects (-got +want):\n%s", diff)
	}
	if got, want := sc.Injects[1].At.D(), in.report.Sub(from); got != want {
		t.Errorf("report at %v, want %v after the start", got, want)
	}
	rep := sc.Injects[1].Report
	if rep.Type != twin.ToxicRelease || rep.Entity != tankID || rep.Level != twin.LevelIII || rep.Reporter != "骏熙染化 夜班班长" {
		t.Errorf("report %+v", rep)
	}
	x := sc.Injects[0].Excursion
	if len(x.Sensors) != 1 || x.Sensors[0] != detector || len(x.Profile) < 2 {
		t.Errorf("excursion %+v", x)
	}
	if road := sc.Injects[2].Road; road.ID != "RD-00001" || !road.Closed {
		t.Errorf("road %+v", road)
	}
	var whats []string
	for _, e := range sc.Expectations {
		whats = append(whats, e.What.String())
	}
	if diff := cmp.Diff(whats, []string{"alarm-acknowledged", "incident-created", "plan-confirmed", "unit-on-scene"}); diff != "" {
		t.Errorf("expectations (-got +want):\n%s", diff)
	}
	if !strings.Contains(string(b), "targets illustrative") {
		t.Errorf("the expectations are not marked illustrative")
	}
}

// Without the sensors' history, an alarm becomes an excursion of its
// value at raising, from its on-delay before the raising to the end.
func TestScenarioFromReplayNoHistory(t *testing.T) {
	in := workIncident(t)
	from, to := in.start.Add(time.Minute), in.end
	r, err := scenarios.OpenReplay(context.Background(), scenarios.ReplayConfig{ID: "RPL-01", Journal: in.db, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	sc, _, err := r.Scenario("chlorine-again")
	if err != nil {
		t.Fatal(err)
	}
	end, err := scenarios.SnapshotAt(in.db, to)
	if err != nil {
		t.Fatal(err)
	}
	var alarm *twin.Alarm
	for a := range twin.All[*twin.Alarm](end) {
		alarm = a
	}
	s, _ := twin.Lookup[*twin.Sensor](end, detector)
	x := sc.Injects[0]
	start := alarm.RaisedAt.Add(-s.OnDelay()).Sub(from)
	want := []scenarios.Sample{{After: 0, Value: alarm.Value}, {After: scenarios.Duration(to.Sub(from) - start), Value: alarm.Value}}
	if x.Excursion == nil || x.At.D() != start || !cmp.Equal(x.Excursion.Profile, want) {
		t.Errorf("inject %s %+v, want an excursion at %v through %+v", x.At, x.Excursion, start, want)
	}
}
