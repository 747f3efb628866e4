package scenarios_test

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/demo"
)

// The chlorine drill's named parts (scenarios/testdata/chlorine-night.yaml).
var chlorineSensors = []string{"SEN-00045", "SEN-00046"}

func loadScenario(t *testing.T, path string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// openLive opens a live park on the demo park, on a simulated clock held
// at start.
func openLive(t *testing.T, start time.Time) *park.Instance {
	t.Helper()
	live, err := park.Open(context.Background(), park.Config{Clock: twin.NewSimClock(start),
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	return live
}

func startDrill(t *testing.T, sc *scenarios.Scenario, live *park.Instance, id string) *scenarios.Drill {
	t.Helper()
	d, err := scenarios.StartDrill(context.Background(), sc, live, id)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Stop() })
	return d
}

// record subscribes to the twin and returns a function that ends the
// subscription and returns every event it saw.
func record(t *testing.T, tw *twin.Twin) func() []twin.Event {
	t.Helper()
	_, sub := tw.Subscribe()
	var evs []twin.Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			batch, err := sub.Next(context.Background())
			if err != nil {
				return
			}
			evs = append(evs, batch...)
		}
	}()
	return func() []twin.Event {
		sub.Close()
		<-done
		return evs
	}
}

// eventually polls cond until it holds or timeout passes.
func eventually(t *testing.T, cond func() bool, timeout time.Duration) {
	t.Helper()
	for end := time.Now().Add(timeout); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("not so after %v", timeout)
		}
	}
}

// playToEnd plays the drill as fast as possible and waits for its end.
func playToEnd(t *testing.T, d *scenarios.Drill) {
	t.Helper()
	if err := d.Play(0); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return d.State().State == scenarios.StateEnded }, 2*time.Minute)
}

// The chlorine drill, played on a sandbox of the live park as fast as it
// goes: each inject changes the drill's park at its time, and the live
// park sees none of it.
func TestPlayChlorineNight(t *testing.T) {
	sc := loadScenario(t, "testdata/chlorine-night.yaml")
	onLive := *sc
	onLive.Start.Park = scenarios.ParkLive
	start := sc.Start.Time.UTC()
	live := openLive(t, start)
	d := startDrill(t, &onLive, live, "drill-chlorine")
	events := record(t, d.Instance().Twin())
	playToEnd(t, d)
	evs := events()

	if got, want := d.State(), (scenarios.State{State: scenarios.StateEnded, DrillTime: 2 * time.Hour, Next: len(sc.Injects)}); got != want {
		t.Errorf("state at the end: %+v, want %+v", got, want)
	}
	for _, e := range d.Log() {
		if e.Error != "" {
			t.Errorf("log at %v: %s: %s", e.At, e.What, e.Error)
		}
	}
	if got, want := len(d.Log()), len(sc.Injects); got != want {
		t.Errorf("%d log lines, want one per inject (%d): %+v", got, want, d.Log())
	}

	at := func(e twin.Event) time.Duration { return e.At.Sub(start) }
	first := func(match func(twin.Event) bool) (twin.Event, bool) {
		i := slices.IndexFunc(evs, match)
		if i < 0 {
			return twin.Event{}, false
		}
		return evs[i], true
	}
	// The excursion starts at 90 s and reaches 20 ppm at 180 s.
	alarm, ok := first(func(e twin.Event) bool {
		a, ok := e.Entity.(*twin.Alarm)
		return ok && e.Op == twin.Created && slices.Contains(chlorineSensors, a.Sensor)
	})
	if !ok {
		t.Errorf("no alarm on %v in the drill", chlorineSensors)
	} else if got := at(alarm); got < 90*time.Second || got > 180*time.Second {
		t.Errorf("the alarm %s was raised at %v, want within the excursion (90s–3m)", alarm.ID, got)
	}
	// The simulator leaves the excursion's sensors to the drill: nothing
	// clears their alarms while the excursion runs (until 3 min).
	for _, e := range evs {
		a, ok := e.Entity.(*twin.Alarm)
		if ok && slices.Contains(chlorineSensors, a.Sensor) && a.State == twin.AlarmCleared && at(e) <= 3*time.Minute {
			t.Errorf("alarm %s on %s cleared at %v, within the excursion", a.ID, a.Sensor, at(e))
		}
	}
	for _, e := range evs {
		if !e.Exercise || e.Twin != "drill-chlorine" {
			t.Fatalf("event %d is not the drill's exercise: twin %q, exercise %v", e.Seq, e.Twin, e.Exercise)
		}
	}
	checks := []struct {
		what  string
		at    time.Duration
		match func(twin.Event) bool
	}{
		{"the incident reported", 5 * time.Minute, func(e twin.Event) bool {
			inc, ok := e.Entity.(*twin.Incident)
			return ok && e.Op == twin.Created && inc.Entity == "TNK-0002-06" && inc.Type.String() == "toxic-release"
		}},
		{"the road closed", 8 * time.Minute, func(e twin.Event) bool {
			r, ok := e.Entity.(*twin.Road)
			return ok && e.ID == "RD-00001" && r.Closed
		}},
		{"the vehicle out of service", 10 * time.Minute, func(e twin.Event) bool {
			tm, ok := e.Entity.(*twin.Team)
			return ok && e.ID == "TEAM-07" && slices.ContainsFunc(tm.Vehicles, func(v twin.Vehicle) bool {
				return v.ID == "VEH-07-02" && v.Status == twin.OutOfService
			})
		}},
		{"the SCBA set lost", 12 * time.Minute, func(e twin.Event) bool {
			le, ok := e.Entity.(*twin.LedgerEntry) // entered in WH-02's ledger
			return ok && le.Warehouse == "WH-02" && le.Op == twin.OpLost && slices.Equal(le.Serials, []string{"WH02-SCBA-001"})
		}},
	}
	for _, c := range checks {
		e, ok := first(c.match)
		if !ok {
			t.Errorf("%s: no such event in the drill", c.what)
			continue
		}
		if got := at(e); got != c.at {
			t.Errorf("%s at %v (event %d), want %v", c.what, got, e.Seq, c.at)
		}
	}

	snap := live.Twin().Snapshot()
	for a := range twin.All[*twin.Alarm](snap) {
		if slices.Contains(chlorineSensors, a.Sensor) {
			t.Errorf("the live park has alarm %s on %s", a.ID, a.Sensor)
		}
	}
	if r, _ := twin.Lookup[*twin.Road](snap, "RD-00001"); r.Closed {
		t.Error("the road is closed in the live park")
	}
	if n := len(slices.Collect(twin.All[*twin.Incident](snap))); n != 0 {
		t.Errorf("the live park has %d incidents", n)
	}
}

// The same scenario played twice gives the same journal, byte for byte.
func TestPlayDeterministic(t *testing.T) {
	sc := loadScenario(t, "testdata/chlorine-night.yaml")
	run := func() []string {
		d, err := scenarios.StartDrill(context.Background(), sc, nil, "drill-same")
		if err != nil {
			t.Fatal(err)
		}
		defer d.Stop()
		events := record(t, d.Instance().Twin())
		playToEnd(t, d)
		var out []string
		for _, e := range events() {
			b, err := e.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		return out
	}
	first, second := run(), run()
	if len(first) == 0 {
		t.Fatal("no events in the drill")
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("the second run's events differ (-first +second):\n%s", diff)
	}
}

// Step moves to the next inject's time, Seek to a drill time,
// Pause holds the clock, and seeking back plays the drill again.
func TestControls(t *testing.T) {
	ctx := context.Background()
	sc := loadScenario(t, "testdata/chlorine-night.yaml")
	d := startDrill(t, sc, nil, "drill-controls")
	want := func(state string, at time.Duration, next int) {
		t.Helper()
		if got, want := d.State(), (scenarios.State{State: state, DrillTime: at, Next: next}); got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
	// A drill starts settled at its start: the message at 0s is shown.
	want(scenarios.StatePaused, 0, 1)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.Step()) // the excursion at 90s
	want(scenarios.StatePaused, 90*time.Second, 2)
	must(d.Seek(ctx, 6*time.Minute)) // past the report at 5m
	want(scenarios.StatePaused, 6*time.Minute, 3)

	must(d.Seek(ctx, 2*time.Minute)) // back, before the report
	want(scenarios.StatePaused, 2*time.Minute, 2)
	must(d.Seek(ctx, 6*time.Minute))
	want(scenarios.StatePaused, 6*time.Minute, 3)

	must(d.Play(60))
	if got := d.State().State; got != scenarios.StatePlaying {
		t.Errorf("playing: state %q", got)
	}
	eventually(t, func() bool { return d.State().DrillTime > 6*time.Minute }, 10*time.Second)
	must(d.Pause())
	held := d.State()
	if held.State != scenarios.StatePaused {
		t.Errorf("paused: state %q", held.State)
	}
	time.Sleep(3 * 100 * time.Millisecond) // three of the player's ticks
	if got := d.State(); got != held {
		t.Errorf("the paused drill moved from %+v to %+v", held, got)
	}

	must(d.Step()) // the road at 8m
	want(scenarios.StatePaused, 8*time.Minute, 4)
	must(d.Seek(ctx, 3*time.Hour)) // past the end: to the end
	want(scenarios.StateEnded, 2*time.Hour, len(sc.Injects))
	if err := d.Step(); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("stepping an ended drill: %v, want a conflict", err)
	}
	must(d.Stop())
	want(scenarios.StateStopped, 2*time.Hour, len(sc.Injects))
	if err := d.Play(1); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("playing a stopped drill: %v, want a conflict", err)
	}
}

// Stop ends the player and the drill's park: no goroutine is left behind.
func TestStopLeavesNoGoroutine(t *testing.T) {
	sc := loadScenario(t, "testdata/chlorine-night.yaml")
	base := runtime.NumGoroutine()
	d, err := scenarios.StartDrill(context.Background(), sc, nil, "drill-stop")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Play(10); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return d.State().DrillTime > 0 }, 10*time.Second)
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := d.State().State; got != scenarios.StateStopped {
		t.Errorf("state %q after Stop", got)
	}
	eventually(t, func() bool { return runtime.NumGoroutine() <= base }, 10*time.Second)
}

// An excursion off the simulator's 10 s grid: the simulator's normal
// readings would fall between the drill's (every 5 s from 93 s) and undo
// them. The sensors are the drill's while it drives them.
func TestExcursionHoldsItsSensors(t *testing.T) {
	sc := loadScenario(t, "testdata/chlorine-night.yaml")
	sc.Start.Park = scenarios.ParkLive
	sc.Injects = []scenarios.Inject{{At: scenarios.Duration(93 * time.Second), Excursion: &scenarios.Excursion{
		Sensors: chlorineSensors,
		Profile: []scenarios.Sample{{After: 0, Value: 20}, {After: scenarios.Duration(time.Minute), Value: 20}},
	}}}
	sc.Expectations = nil
	live := openLive(t, sc.Start.Time.UTC())
	d := startDrill(t, sc, live, "drill-hold")
	ctx := context.Background()
	for _, to := range []time.Duration{101 * time.Second, 111 * time.Second, 141 * time.Second} {
		if err := d.Seek(ctx, to); err != nil {
			t.Fatal(err)
		}
		for _, id := range chlorineSensors {
			v, at, ok := d.Instance().Monitor().Latest(id)
			if !ok || v != 20 {
				t.Errorf("at %v %s reads %v (at %v), want the drill's 20", to, id, v, at.Sub(sc.Start.Time))
			}
		}
	}
}
