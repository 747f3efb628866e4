package scenarios_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/scenarios"
	"parktwin/twin"
)

// The five built-in drills load, in the order of their file names, and
// check against the demo park they are written for.
func TestBuiltin(t *testing.T) {
	scs, err := scenarios.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range scs {
		ids = append(ids, s.Metadata.ID)
	}
	want := []string{"benzene-tank-fire", "chlorine-night", "h2s-sewage-pool", "lpg-tanker-road", "waste-store-fire"}
	if diff := cmp.Diff(ids, want); diff != "" {
		t.Fatalf("built-in drills (-got +want):\n%s", diff)
	}
	snap := demoPark(t)
	for _, s := range scs {
		t.Run(s.Metadata.ID, func(t *testing.T) {
			if s.Start.Park != scenarios.ParkDemo || max(s.Start.Scale, 1) != 1 {
				t.Errorf("starts on %s at scale %d, want the demo park at scale 1", s.Start.Park, s.Start.Scale)
			}
			if err := s.Check(snap); err != nil {
				t.Error(err)
			}
			if n := len(s.Injects); n < 4 || n > 10 {
				t.Errorf("%d injects, want 4 to 10", n)
			}
			checkMoments(t, s)
		})
	}
}

// checkMoments checks that every moment the drill's expectations are
// measured from can come: a first alarm needs an excursion, a report a
// report inject. (The first order and the start always can.)
func checkMoments(t *testing.T, s *scenarios.Scenario) {
	t.Helper()
	has := func(kind string) bool {
		return slices.ContainsFunc(s.Injects, func(in scenarios.Inject) bool { return in.Kind() == kind })
	}
	for _, e := range s.Expectations {
		switch {
		case e.Of == scenarios.FromFirstAlarm && !has("excursion"):
			t.Errorf("%s counts from the first alarm, and no excursion raises one", e.ID)
		case e.Of == scenarios.FromReport && !has("report"):
			t.Errorf("%s counts from the report, and no report comes", e.ID)
		}
	}
}

// Each built-in drill plays to its end on a demo park of its own with no
// inject refused, and an excursion raises an alarm.
func TestBuiltinPlays(t *testing.T) {
	if testing.Short() {
		t.Skip("plays five drills of up to 2 h at full speed")
	}
	scs, err := scenarios.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scs {
		t.Run(s.Metadata.ID, func(t *testing.T) {
			t.Parallel()
			d := startDrill(t, s, nil, s.Metadata.ID)
			playToEnd(t, d)
			for _, e := range d.Log() {
				if e.Error != "" {
					t.Errorf("log at %v: %s: %s", e.At, e.What, e.Error)
				}
			}
			var sensors []string
			for _, in := range s.Injects {
				if in.Excursion != nil {
					sensors = append(sensors, in.Excursion.Sensors...)
				}
			}
			if len(sensors) == 0 {
				return
			}
			first := time.Time{}
			for a := range twin.All[*twin.Alarm](d.Instance().Twin().Snapshot()) {
				if slices.Contains(sensors, a.Sensor) && (first.IsZero() || a.RaisedAt.Before(first)) {
					first = a.RaisedAt
				}
			}
			if first.IsZero() {
				t.Errorf("no alarm on %v", sensors)
			}
		})
	}
}
