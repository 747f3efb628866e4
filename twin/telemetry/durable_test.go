package telemetry_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
)

// durable is a monitor on a real bbolt file that can be stopped and
// started again, as parkd is.
type durable struct {
	path  string
	clock *twin.SimClock
	db    *bolt.DB
	tw    *twin.Twin
	m     *telemetry.Monitor
}

func newDurable(t *testing.T) *durable {
	t.Helper()
	return newDurableOf(t, fixture())
}

// newDurableOf is a durable monitor of the park es.
func newDurableOf(t *testing.T, es []twin.Entity) *durable {
	t.Helper()
	d := &durable{path: filepath.Join(t.TempDir(), "park.db"), clock: twin.NewSimClock(t0)}
	d.start(t)
	cmds := twin.Creates(es...)
	if _, err := d.tw.Apply(context.Background(), cmds...); err != nil {
		t.Fatal(err)
	}
	d.restart(t) // the monitor starts on a park that is there
	t.Cleanup(func() { d.stop(t) })
	return d
}

func (d *durable) start(t *testing.T) {
	t.Helper()
	var err error
	if d.db, err = bolt.Open(d.path); err != nil {
		t.Fatal(err)
	}
	if d.tw, err = twin.Open(twin.Config{Store: d.db, Clock: d.clock}); err != nil {
		t.Fatal(err)
	}
	if d.m, err = telemetry.New(telemetry.Config{Twin: d.tw, History: d.db, Rules: telemetry.DefaultRules()}); err != nil {
		t.Fatal(err)
	}
}

func (d *durable) stop(t *testing.T) {
	t.Helper()
	if d.db == nil {
		return
	}
	if err := d.m.FlushAll(context.Background()); err != nil {
		t.Error(err)
	}
	d.tw.Close()
	if err := d.db.Check(); err != nil {
		t.Errorf("database check: %v", err)
	}
	d.db.Close()
	d.db = nil
}

func (d *durable) restart(t *testing.T) {
	t.Helper()
	d.stop(t)
	d.start(t)
}

func (d *durable) feed(t *testing.T, sensor string, values ...float64) {
	t.Helper()
	feed(t, d.m, d.clock, sensor, values...)
}

func TestAlarmKeepsItsStateAcrossARestart(t *testing.T) {
	d := newDurable(t)
	d.feed(t, "SEN-00001", 55, 56)
	d.restart(t)
	d.feed(t, "SEN-00001", 57, 58, 59) // still past HH: the same alarm
	as := alarms(d.tw.Snapshot())
	if len(as) != 1 || as[0].State != twin.AlarmActive {
		t.Fatalf("after restart: %+v", as)
	}
	// A reading older than the last one before the restart is refused.
	_, rej, _ := d.m.Ingest(context.Background(), []telemetry.Reading{{Sensor: "SEN-00001", T: t0, Value: 20}})
	if len(rej) != 1 {
		t.Errorf("an old reading after restart was taken")
	}
	d.restart(t)
	d.feed(t, "SEN-00001", 30)
	as = alarms(d.tw.Snapshot())
	if len(as) != 1 || as[0].State != twin.AlarmCleared {
		t.Fatalf("after the value came back: %+v", as)
	}
}

func TestOrderDeadlineSurvivesARestart(t *testing.T) {
	d := newDurable(t)
	d.feed(t, "SEN-00001", 55)
	d.restart(t)
	d.clock.Advance(20 * time.Minute)
	d.feed(t, "SEN-00001", 55)
	if err := d.m.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	n := 0
	for x := range twin.All[*twin.Task](d.tw.Snapshot()) {
		if x.Type == twin.TaskEscalation {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d escalations after a restart past the deadline, want 1", n)
	}
}

func TestHistorySurvivesRestartAndIsPruned(t *testing.T) {
	d := newDurable(t)
	ctx := context.Background()
	for range 3 * 60 { // three minutes at 1 Hz
		d.feed(t, "SEN-00001", 21)
	}
	if err := d.m.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	d.restart(t)
	bs, err := d.m.History("SEN-00001", t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, b := range bs {
		total += b.Count
		if b.Min != 21 || b.Max != 21 || b.Mean() != 21 {
			t.Errorf("bucket %+v", b)
		}
	}
	if len(bs) < 3 || total != 180 {
		t.Fatalf("after restart: %d buckets holding %d readings, want ≥ 3 holding 180", len(bs), total)
	}
	if v, _, ok := d.m.Latest("SEN-00001"); !ok || v != 21 {
		t.Errorf("latest value after restart: %v %v", v, ok)
	}
	// Past the retention (30 days) the history is pruned.
	d.clock.Advance(31 * 24 * time.Hour)
	d.feed(t, "SEN-00001", 22)
	if err := d.m.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	bs, _ = d.m.History("SEN-00001", t0, t0.Add(time.Hour))
	if len(bs) != 0 {
		t.Errorf("%d buckets older than the retention remain", len(bs))
	}
}

// BenchmarkIngest measures readings applied in process, with every
// condition evaluated and every minute's bucket closed, in batches of
// 1,000: every sensor of the demo park in turn, each at 1 Hz of its own
// time, values inside the limits.
func BenchmarkIngest(b *testing.B) {
	clock := twin.NewSimClock(t0)
	tw, err := twin.Open(twin.Config{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
	es := demo.Generate(1, 1)
	cmds := twin.Creates(es...)
	if _, err := tw.Apply(context.Background(), cmds...); err != nil {
		b.Fatal(err)
	}
	m, err := telemetry.New(telemetry.Config{Twin: tw, Rules: telemetry.DefaultRules()})
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	var values []float64
	for s := range twin.All[*twin.Sensor](tw.Snapshot()) {
		lo, hi := 0.0, 1.0
		if s.Limits.L != nil {
			lo = *s.Limits.L
		}
		if s.Limits.H != nil {
			hi = *s.Limits.H
		} else if s.Limits.HH != nil {
			hi = *s.Limits.HH
		}
		ids, values = append(ids, s.ID), append(values, (lo+hi)/2)
	}
	batch := make([]telemetry.Reading, 1000)
	// The readings start at the monitor's clock and the clock follows
	// them, as it does a live park's gateways: the monitor refuses a
	// reading ahead of its clock or older than the history it keeps.
	base := clock.Now()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range batch {
			j := n % len(ids)
			batch[i] = telemetry.Reading{Sensor: ids[j], T: base.Add(time.Duration(n/len(ids)) * time.Second), Value: values[j]}
			n++
		}
		clock.Set(batch[len(batch)-1].T)
		acc, rej, err := m.Ingest(context.Background(), batch)
		if err != nil {
			b.Fatal(err)
		}
		if len(rej) > 0 {
			b.Fatalf("%d of %d readings refused, the first: %+v", len(rej), len(batch), rej[0])
		}
		if acc != len(batch) {
			b.Fatalf("%d of %d readings taken", acc, len(batch))
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "readings/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/reading")
}

// When the changes a reading caused cannot be saved, the sensor goes back
// to before the reading, so that the gateway's retry raises the alarm.
func TestFailedSaveLetsTheRetryIn(t *testing.T) {
	d := newDurable(t)
	d.feed(t, "SEN-00001", 20)
	d.clock.Advance(time.Second)
	spike := []telemetry.Reading{{Sensor: "SEN-00001", T: d.clock.Now(), Value: 60}}
	d.db.Close() // every commit fails from here
	if _, _, err := d.m.Ingest(context.Background(), spike); twin.ErrorCode(err) != twin.EUNAVAILABLE {
		t.Fatalf("ingest with the store gone: %v", err)
	}
	if v, _, _ := d.m.Latest("SEN-00001"); v != 20 {
		t.Errorf("latest after a failed save: %v, want the reading before, 20", v)
	}
	_, rej, _ := d.m.Ingest(context.Background(), spike)
	if len(rej) != 0 {
		t.Errorf("the retry was refused: %v", rej)
	}
	d.tw.Close()
	d.db = nil // closed already
}

func TestIngestRefusesReadingsOlderThanHistory(t *testing.T) {
	r := newRig(t)
	_, rej, err := r.m.Ingest(context.Background(), []telemetry.Reading{
		{Sensor: "SEN-00004", T: time.Unix(-3600, 0), Value: 1},
		{Sensor: "SEN-00001", T: r.clock.Now().Add(-31 * 24 * time.Hour), Value: 1},
	})
	if err != nil || len(rej) != 2 {
		t.Fatalf("rejections %v, %v", rej, err)
	}
	if !strings.Contains(rej[1].Error, "older than the history kept") {
		t.Errorf("%q", rej[1].Error)
	}
}
