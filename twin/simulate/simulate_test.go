package simulate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
)

// park loads the scale-1 demo park into an in-memory twin and returns
// its snapshot.
func park(t testing.TB) *twin.Snapshot {
	t.Helper()
	tw, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	es := demo.Generate(1, 1)
	cmds := twin.Creates(es...)
	if _, err := tw.Apply(context.Background(), cmds...); err != nil {
		t.Fatal(err)
	}
	return tw.Snapshot()
}

// inOrder returns the park's sensors in order of ID, the order of the
// readings.
func inOrder(snap *twin.Snapshot) []*twin.Sensor {
	var ss []*twin.Sensor
	for s := range twin.All[*twin.Sensor](snap) {
		ss = append(ss, s)
	}
	return ss
}

// sensors returns the park's sensors by ID.
func sensors(snap *twin.Snapshot) map[string]*twin.Sensor {
	m := map[string]*twin.Sensor{}
	for s := range twin.All[*twin.Sensor](snap) {
		m[s.ID] = s
	}
	return m
}

var beijing = time.FixedZone("CST", 8*3600)

// Midsummer and midwinter midnights, Beijing time: the warmest and the
// coldest the limits must stand.
var (
	summer = time.Date(2025, 7, 20, 0, 0, 0, 0, beijing)
	winter = time.Date(2026, 1, 20, 0, 0, 0, 0, beijing)
)

// run reads the simulator every step for d from start, calling fn with
// each time and its readings.
func run(s *Simulator, start time.Time, d, step time.Duration, fn func(time.Time, []telemetry.Reading)) {
	for at := start; !at.After(start.Add(d)); at = at.Add(step) {
		fn(at, s.Readings(at))
	}
}

func TestDeterministic(t *testing.T) {
	snap := park(t)
	times := []time.Duration{0, time.Second, 3 * time.Second, 10 * time.Second, 5 * time.Minute,
		2 * time.Hour, 2*time.Hour + 500*time.Millisecond, 30 * time.Hour}
	readAll := func(seed uint64) [][]telemetry.Reading {
		s := New(snap, seed)
		var out [][]telemetry.Reading
		for _, d := range times {
			out = append(out, s.Readings(summer.Add(d)))
		}
		return out
	}
	a, b, c := readAll(7), readAll(7), readAll(8)
	same := func(x, y [][]telemetry.Reading) bool {
		for i := range x {
			for j := range x[i] {
				if x[i][j] != y[i][j] {
					return false
				}
			}
		}
		return true
	}
	if !same(a, b) {
		t.Error("the same seed gave different readings")
	}
	if same(a, c) {
		t.Error("different seeds gave the same readings")
	}
}

func TestReadingsCoverSensors(t *testing.T) {
	snap := park(t)
	byID := sensors(snap)
	s := New(snap, 1)
	if s.Len() != len(byID) {
		t.Fatalf("got %d sensors, want the park's %d", s.Len(), len(byID))
	}
	now := summer.Add(15 * time.Hour)
	rs := s.Readings(now)
	seen := map[string]bool{}
	for i, r := range rs {
		if _, ok := byID[r.Sensor]; !ok {
			t.Errorf("reading %d: no sensor %s", i, r.Sensor)
		}
		if seen[r.Sensor] {
			t.Errorf("reading %d: %s read twice", i, r.Sensor)
		}
		seen[r.Sensor] = true
		if !r.T.Equal(now) {
			t.Errorf("%s: at %v, want %v", r.Sensor, r.T, now)
		}
		if i > 0 && rs[i-1].Sensor >= r.Sensor {
			t.Errorf("%s comes after %s", r.Sensor, rs[i-1].Sensor)
		}
	}
	if len(seen) != len(byID) {
		t.Errorf("got readings of %d sensors, want %d", len(seen), len(byID))
	}
}

// inside reports whether v lies inside every limit of s by more than its
// deadband: raises no alarm and clears any.
func inside(s *twin.Sensor, v float64) bool {
	l, db := s.Limits, s.Deadband
	return (l.H == nil || v < *l.H-db) && (l.HH == nil || v < *l.HH-db) &&
		(l.L == nil || v > *l.L+db) && (l.LL == nil || v > *l.LL+db)
}

// implausible returns what is wrong with a reading by physics: not
// finite, a level outside its tank, a concentration below zero.
func implausible(snap *twin.Snapshot, s *twin.Sensor, r telemetry.Reading) string {
	v := r.Value
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprintf("%s at %v: %v", s.ID, r.T, v)
	}
	switch s.Type {
	case twin.Level:
		tk, _ := twin.Lookup[*twin.Tank](snap, s.Subject)
		if v < 0 || v > levelSpan(tk) {
			return fmt.Sprintf("%s at %v: level %v m in a tank %v m high", s.ID, r.T, v, levelSpan(tk))
		}
	case twin.ToxicGas, twin.CombustibleGas, twin.Oxygen:
		if v < 0 || v > 100 && s.Type != twin.ToxicGas {
			return fmt.Sprintf("%s at %v: %v %s", s.ID, r.T, v, s.Unit)
		}
	}
	return ""
}

// TestNoSpuriousAlarms runs a midsummer and a midwinter day without
// excursions: no value may come near a limit.
func TestNoSpuriousAlarms(t *testing.T) {
	snap := park(t)
	ordered := inOrder(snap)
	for _, start := range []time.Time{summer, winter} {
		s := New(snap, 3)
		s.ExcursionEvery = 0
		bad := map[string]int{}
		run(s, start, 24*time.Hour, 30*time.Second, func(at time.Time, rs []telemetry.Reading) {
			for i, r := range rs {
				sen := ordered[i]
				if msg := implausible(snap, sen, r); msg != "" {
					t.Fatal(msg)
				}
				if !inside(sen, r.Value) {
					if bad[r.Sensor]++; bad[r.Sensor] == 1 {
						t.Errorf("%s %s at %v: %v %s, limits %s", sen.ID, sen.Name, at, r.Value, sen.Unit, limitsString(sen.Limits))
					}
				}
			}
		})
	}
}

func limitsString(l twin.Limits) string {
	f := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("LL %s L %s H %s HH %s", f(l.LL), f(l.L), f(l.H), f(l.HH))
}

// TestExcursions runs three hours at one-second steps with excursions:
// some sensor goes past HH (or LL) for two to five minutes and comes back
// inside by more than its deadband; every other value stays inside; no
// value changes faster than its sensor's rate-of-change limit.
func TestExcursions(t *testing.T) {
	snap := park(t)
	ordered := inOrder(snap)
	s := New(snap, 5)
	const hours = 3
	type track struct {
		past     bool    // past the second limit now
		since    float64 // when it went past
		back     bool    // came back inside after being past
		pastS    float64 // how long it was past
		previous float64
		prevT    time.Time
	}
	tracks := make([]track, s.Len())
	done := 0
	run(s, summer.Add(9*time.Hour), hours*time.Hour, time.Second, func(at time.Time, rs []telemetry.Reading) {
		ts := float64(at.Unix())
		for i, r := range rs {
			sen, x, tr := ordered[i], s.sensors[i], &tracks[i]
			if msg := implausible(snap, sen, r); msg != "" {
				t.Fatal(msg)
			}
			if x.exc == nil && !tr.past && !inside(sen, r.Value) {
				t.Errorf("%s %s at %v: %v %s outside an excursion, limits %s", sen.ID, sen.Name, at, r.Value, sen.Unit, limitsString(sen.Limits))
			}
			if sen.RatePerMin > 0 && !tr.prevT.IsZero() {
				if rate := math.Abs(r.Value-tr.previous) / at.Sub(tr.prevT).Minutes(); rate > sen.RatePerMin {
					t.Errorf("%s at %v: %.2f %s/min, faster than its limit %v", sen.ID, at, rate, sen.Unit, sen.RatePerMin)
				}
			}
			tr.previous, tr.prevT = r.Value, at
			if x.drive == nil {
				continue
			}
			past := sen.Limits.HH != nil && r.Value > *sen.Limits.HH || sen.Limits.HH == nil && r.Value < *sen.Limits.LL
			switch {
			case past && !tr.past:
				tr.past, tr.since = true, ts
			case !past && tr.past:
				tr.past, tr.pastS = false, ts-tr.since
			case !past && tr.pastS > 0 && inside(sen, r.Value):
				if tr.pastS < 100 || tr.pastS > 330 {
					t.Errorf("%s %s: past its limit for %.0f s, want 2 to 5 minutes", sen.ID, sen.Name, tr.pastS)
				}
				tr.pastS = 0
				done++
			}
		}
	})
	// About one every ten minutes: 18 expected in three hours.
	t.Logf("%d excursions raised and cleared in %d hours", done, hours)
	if done < 8 || done > 30 {
		t.Errorf("got %d excursions in %d hours, want about %d", done, hours, hours*6)
	}
}

// TestDailySwing checks the day's cycle over a midsummer day: a thermal
// camera coldest before dawn and warmest early in the afternoon, small
// tanks swinging by some degrees, pressures following their tanks.
func TestDailySwing(t *testing.T) {
	snap := park(t)
	byID := sensors(snap)
	s := New(snap, 1)
	s.ExcursionEvery = 0
	type extreme struct {
		min, max     float64
		minAt, maxAt time.Time
	}
	ext := map[string]*extreme{}
	valueAt := map[string]map[time.Time]float64{}
	run(s, summer, 24*time.Hour, 5*time.Minute, func(at time.Time, rs []telemetry.Reading) {
		for _, r := range rs {
			e := ext[r.Sensor]
			if e == nil {
				e = &extreme{min: r.Value, max: r.Value, minAt: at, maxAt: at}
				ext[r.Sensor] = e
				valueAt[r.Sensor] = map[time.Time]float64{}
			}
			if r.Value < e.min {
				e.min, e.minAt = r.Value, at
			}
			if r.Value > e.max {
				e.max, e.maxAt = r.Value, at
			}
			valueAt[r.Sensor][at] = r.Value
		}
	})
	tempOf := map[string]string{} // tank → its temperature sensor
	for id, sen := range byID {
		if sen.Type == twin.Temperature {
			tempOf[sen.Subject] = id
		}
	}
	cameras, small := 0, 0
	for id, e := range ext {
		sen := byID[id]
		switch sen.Type {
		case twin.Thermal:
			cameras++
			if e.max-e.min < 8 {
				t.Errorf("%s: the camera's day ranges %.1f °C, want at least 8", id, e.max-e.min)
			}
			if h := e.minAt.In(beijing).Hour(); h < 4 || h > 6 {
				t.Errorf("%s: coldest at %v, want about 05:00", id, e.minAt.In(beijing))
			}
			if h := e.maxAt.In(beijing).Hour(); h < 12 || h > 15 {
				t.Errorf("%s: warmest at %v, want early afternoon", id, e.maxAt.In(beijing))
			}
		case twin.Temperature:
			tk, ok := twin.Lookup[*twin.Tank](snap, sen.Subject)
			if !ok {
				continue // the weather station's thermometer
			}
			if tk.CapacityM3 <= 100 && sen.Limits.L == nil {
				small++
				if e.max-e.min < 3 {
					t.Errorf("%s: a %v m³ tank's day ranges %.1f °C, want at least 3", id, tk.CapacityM3, e.max-e.min)
				}
			}
		case twin.Pressure:
			te := ext[tempOf[sen.Subject]]
			if p, q := valueAt[id][te.maxAt], valueAt[id][te.minAt]; p <= q {
				t.Errorf("%s: %v kPa when its tank is warmest, %v when coldest", id, p, q)
			}
		}
	}
	if cameras == 0 || small == 0 {
		t.Errorf("%d cameras and %d small tanks checked", cameras, small)
	}
}

// TestClimate checks the air's daily cycle: coldest at 05:00, warmest at
// 14:00 Beijing time, the day's range twice DaySwingC, January colder than
// July.
func TestClimate(t *testing.T) {
	c := Shangyu()
	for _, day := range []time.Time{summer, winter} {
		lo, hi := math.Inf(1), math.Inf(-1)
		var loAt, hiAt time.Time
		for at := day; at.Before(day.Add(24 * time.Hour)); at = at.Add(time.Minute) {
			v := c.air(float64(at.Unix()))
			if v < lo {
				lo, loAt = v, at
			}
			if v > hi {
				hi, hiAt = v, at
			}
		}
		if got := loAt.In(beijing).Format("15:04"); got != "05:00" {
			t.Errorf("%s: coldest at %s, want 05:00", day.Format("Jan"), got)
		}
		if got := hiAt.In(beijing).Format("15:04"); got != "14:00" {
			t.Errorf("%s: warmest at %s, want 14:00", day.Format("Jan"), got)
		}
		if r := hi - lo; math.Abs(r-2*c.DaySwingC) > 0.2 {
			t.Errorf("%s: the day ranges %.1f °C, want %.1f", day.Format("Jan"), r, 2*c.DaySwingC)
		}
	}
	if j, jul := c.dayMean(float64(winter.Unix())), c.dayMean(float64(summer.Unix())); j > 6 || jul < 27 {
		t.Errorf("daily means %.1f °C in January, %.1f in July", j, jul)
	}
}

// TestLevels checks the tank levels over six hours: inside their tanks,
// some filling and some emptying, moving a few centimetres a minute, and
// turning.
func TestLevels(t *testing.T) {
	snap := park(t)
	s := New(snap, 2)
	s.ExcursionEvery = 0
	up, down := 0, 0
	for _, x := range s.sensors {
		if x.lvl != nil {
			switch x.lvl.direction() {
			case 1:
				up++
			case -1:
				down++
			}
		}
	}
	if up < 50 || down < 50 {
		t.Errorf("%d tanks filling and %d emptying, want many of each", up, down)
	}
	prev := map[string]float64{}
	turned := map[string]bool{}
	trend := map[string]float64{}
	fastest := 0.0
	run(s, winter, 6*time.Hour, time.Minute, func(at time.Time, rs []telemetry.Reading) {
		for i, r := range rs {
			if s.sensors[i].lvl == nil {
				continue
			}
			if p, ok := prev[r.Sensor]; ok {
				d := r.Value - p
				fastest = max(fastest, math.Abs(d))
				if math.Abs(d) > 0.005 {
					if trend[r.Sensor]*d < 0 {
						turned[r.Sensor] = true
					}
					trend[r.Sensor] = d
				}
			}
			prev[r.Sensor] = r.Value
		}
	})
	if fastest > 0.05 || fastest < 0.01 {
		t.Errorf("fastest level change %.3f m/min, want a few cm", fastest)
	}
	if len(turned) == 0 {
		t.Error("no tank turned from filling to emptying or back in six hours")
	}
	t.Logf("%d filling, %d emptying at the start; %d turned in six hours; fastest %.1f cm/min", up, down, len(turned), 100*fastest)
}

// TestOddTimes reads across a long silence, back in time and far ahead:
// values stay finite and plausible.
func TestOddTimes(t *testing.T) {
	snap := park(t)
	byID := sensors(snap)
	s := New(snap, 4)
	s.ExcursionEvery = time.Second // an excursion always under way
	for _, at := range []time.Time{summer, summer.Add(30 * 24 * time.Hour), summer.Add(29 * 24 * time.Hour),
		summer.Add(10 * 365 * 24 * time.Hour), {}, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)} {
		for _, r := range s.Readings(at) {
			if msg := implausible(snap, byID[r.Sensor], r); msg != "" {
				t.Error(msg)
			}
		}
	}
	if got := New(nil, 1).Readings(summer); len(got) != 0 {
		t.Errorf("a simulator of no park read %d values", len(got))
	}
}

func TestRun(t *testing.T) {
	snap := park(t)
	s := New(snap, 1)
	clock := twin.NewSimClock(summer)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stamps []time.Time // written inside Run, then inside Advance: no race
	sink := func(ctx context.Context, rs []telemetry.Reading) error {
		if len(rs) != s.Len() {
			t.Errorf("got %d readings, want %d", len(rs), s.Len())
		}
		stamps = append(stamps, rs[0].T)
		return errors.New("sink down") // Run carries on regardless
	}
	done := make(chan struct{})
	go func() {
		s.Run(ctx, clock, 2*time.Second, sink)
		close(done)
	}()
	clock.BlockUntil(1) // the first batch is sent and the next one due
	clock.Advance(10 * time.Second)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	var want []time.Time
	for i := range 6 {
		want = append(want, summer.Add(time.Duration(2*i)*time.Second))
	}
	if diff := cmp.Diff(stamps, want); diff != "" {
		t.Errorf("batches stamped (-got +want):\n%s", diff)
	}
}

// BenchmarkReadings reads every sensor of the scale-1 demo park once a
// simulated second and reports the cost of one reading and the share of
// one core that reading every sensor at 1 Hz takes.
func BenchmarkReadings(b *testing.B) {
	s := New(park(b), 1)
	at := summer
	for b.Loop() {
		s.Readings(at)
		at = at.Add(time.Second)
	}
	perCall := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perCall/float64(s.Len()), "ns/reading")
	b.ReportMetric(perCall/1e9*100, "core%")
	b.ReportMetric(float64(s.Len()), "sensors")
}

// A held sensor is left alone until its hold ends: a drill's excursion
// drives it meanwhile.
func TestHold(t *testing.T) {
	s := New(park(t), 1)
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	all := s.Readings(now)
	held := all[3].Sensor
	s.Hold(held, now.Add(time.Minute))
	has := func(rs []telemetry.Reading) bool {
		return slices.ContainsFunc(rs, func(r telemetry.Reading) bool { return r.Sensor == held })
	}
	if rs := s.Readings(now.Add(30 * time.Second)); has(rs) || len(rs) != len(all)-1 {
		t.Errorf("during the hold: %d readings, %s among them %v", len(rs), held, has(rs))
	}
	if rs := s.Readings(now.Add(time.Minute)); !has(rs) || len(rs) != len(all) {
		t.Errorf("after the hold: %d readings, %s among them %v", len(rs), held, has(rs))
	}
}

// With FirstExcursion as parkd sets it (20 s), the first alarm comes
// within a minute of start, whatever the seed: a newcomer opening the
// console sees one come. The readings go through a real Monitor on the
// simulated clock, and the alarm is its own.
func TestFirstAlarmWithinAMinute(t *testing.T) {
	for seed := range uint64(8) {
		clock := twin.NewSimClock(summer)
		tw, err := twin.Open(twin.Config{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
			t.Fatal(err)
		}
		m, err := telemetry.New(telemetry.Config{Twin: tw, Rules: telemetry.DefaultRules()})
		if err != nil {
			t.Fatal(err)
		}
		s := New(tw.Snapshot(), seed)
		s.ExcursionEvery, s.FirstExcursion = 3*time.Minute, 20*time.Second
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.Run(ctx, clock, time.Second, func(ctx context.Context, rs []telemetry.Reading) error {
				_, _, err := m.Ingest(ctx, rs)
				return err
			})
		}()
		clock.BlockUntil(1)
		clock.Advance(time.Minute)
		cancel()
		<-done
		var first *twin.Alarm
		for a := range twin.All[*twin.Alarm](tw.Snapshot()) {
			if (a.Condition == twin.High || a.Condition == twin.Low) && (first == nil || a.RaisedAt.Before(first.RaisedAt)) {
				first = a
			}
		}
		tw.Close()
		if first == nil {
			t.Errorf("seed %d: no alarm within a minute of start", seed)
			continue
		}
		t.Logf("seed %d: %s %s %s after %v", seed, first.Sensor, first.Condition, first.Limit, first.RaisedAt.Sub(summer))
	}
}
