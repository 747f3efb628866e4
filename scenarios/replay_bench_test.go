package scenarios_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
)

// dayJournal writes a day of the ×10 demo park into a bbolt journal: the
// park seeded, then 24 hours on a simulated clock with the monitor, the
// desk and the simulator running (every sensor read once a minute, an
// excursion past a limit every 3 minutes, as parkd's demo makes), and a
// duty officer who acknowledges each alarm within minutes and closes it
// once cleared, and works an incident every hour from report to closed. It returns
// the journal and the day's start.
func dayJournal(b *testing.B) (*bolt.DB, time.Time) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "day.db")
	db, err := bolt.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	clock := twin.NewSimClock(start)
	live, err := park.Open(ctx, park.Config{Store: db, Clock: clock,
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 10)...)...)
			return err
		},
		Simulate: true, SimEvery: time.Minute, SimSeed: 1, ExcursionEvery: 3 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer live.Close()
	live.Start()
	tw, mon, desk := live.Twin(), live.Monitor(), live.Desk()
	var tanks []string
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		tanks = append(tanks, tk.ID)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	// The duty officer, on the park's clock: calls made inside Advance.
	duty := func() {
		for a := range twin.All[*twin.Alarm](tw.Snapshot()) {
			switch {
			case a.State == twin.AlarmActive && clock.Now().Sub(a.RaisedAt) >= time.Minute:
				mon.AckAlarm(ctx, a.ID, "值班员", "")
			case a.State == twin.AlarmCleared:
				mon.CloseAlarm(ctx, a.ID, "值班员", "已复核")
			}
		}
	}
	incident := func() {
		inc, _, err := desk.Report(ctx, dispatch.Report{Type: "flammable-leak", Entity: tanks[rng.IntN(len(tanks))], Level: "IV", Reporter: "巡检员"})
		if err != nil {
			b.Error(err)
			return
		}
		if p, err := desk.Plan(inc.ID); err == nil && len(p.Assignments) > 0 {
			desk.Confirm(ctx, inc.ID, *p, "值班长")
		}
		clock.AfterFunc(40*time.Minute, func() {
			desk.SetState(ctx, inc.ID, twin.IncidentUnderControl, "值班长")
			clock.AfterFunc(20*time.Minute, func() { desk.SetState(ctx, inc.ID, twin.IncidentClosed, "值班长") })
		})
	}
	var every func(d time.Duration, fn func()) // a timer that sets itself again
	every = func(d time.Duration, fn func()) {
		clock.AfterFunc(d, func() { fn(); every(d, fn) })
	}
	every(3*time.Minute, duty)
	every(time.Hour, incident)
	clock.Advance(24 * time.Hour)
	return db, start
}

// BenchmarkReplaySeek opens a replay of a day of the ×10 demo park's
// journal and seeks to random moments of it, back and forth: one op is
// one seek. It reports the 50th and 99th percentiles of a seek (aim p99
// ≤ 200 ms), the events of the day, the time to open the replay (the
// journal read once) and to read the seeded park alone, the heap the
// open replay holds, the bytes the day adds to the journal and the size
// of the file.
func BenchmarkReplaySeek(b *testing.B) {
	db, start := dayJournal(b)
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	r, err := scenarios.OpenReplay(ctx, scenarios.ReplayConfig{ID: "RPL-01", Journal: db, From: start, To: start.Add(24 * time.Hour)})
	if err != nil {
		b.Fatal(err)
	}
	open := time.Since(t0)
	defer r.Stop()
	runtime.GC()
	runtime.ReadMemStats(&after)

	// The park as seeded, alone: what of the open is the day's events.
	t0 = time.Now()
	seeded, err := scenarios.SnapshotAt(db, start)
	if err != nil {
		b.Fatal(err)
	}
	seed := time.Since(t0)
	// What the day adds to the journal, as it is written.
	var day int
	err = db.Events(seeded.Seq(), func(ev twin.Event) error {
		j, err := ev.MarshalJSON()
		day += len(j)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(3, 4))
	var seeks []time.Duration
	for b.Loop() {
		at := start.Add(time.Duration(rng.Int64N(int64(24 * time.Hour))))
		t := time.Now()
		if err := r.Seek(at); err != nil {
			b.Fatal(err)
		}
		seeks = append(seeks, time.Since(t))
	}
	slices.Sort(seeks)
	pct := func(p float64) float64 {
		return float64(seeks[int(p*float64(len(seeks)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(r.State().Events), "events/day")
	b.ReportMetric(open.Seconds(), "open-s")
	b.ReportMetric(seed.Seconds(), "seed-s")
	b.ReportMetric(float64(day)/(1<<20), "journal-MiB/day")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heap-MiB")
	if fi, err := os.Stat(db.Path()); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
	}
}
