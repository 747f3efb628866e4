package scenarios_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
)

// onTen returns the chlorine drill set on the ×10 demo park.
func onTen(b *testing.B, park string) *scenarios.Scenario {
	b.Helper()
	sc, err := scenarios.Load("testdata/chlorine-night.yaml")
	if err != nil {
		b.Fatal(err)
	}
	sc.Start.Park, sc.Start.Scale = park, 10
	// The tank's ID differs at scale 10: the caller gives the point.
	for i := range sc.Injects {
		if r := sc.Injects[i].Report; r != nil {
			r.Entity = ""
		}
	}
	return sc
}

// BenchmarkDrillTwoHoursTen: the chlorine drill — 2 hours of drill time
// — played as fast as it goes on the ×10 demo park, from its start to its
// end. Aim: ≤ 5 s.
func BenchmarkDrillTwoHoursTen(b *testing.B) {
	sc := onTen(b, scenarios.ParkDemo)
	i := 0
	for b.Loop() {
		i++
		d, err := scenarios.NewDrill(context.Background(), sc, scenarios.Config{ID: fmt.Sprintf("DRL-%02d", i)})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Play(0); err != nil {
			b.Fatal(err)
		}
		for d.State().State != scenarios.StateEnded {
			time.Sleep(time.Millisecond)
		}
		d.Stop()
	}
	b.ReportMetric(sc.Metadata.Duration.D().Seconds(), "drill-s/op")
}

// BenchmarkDrillMemory: the heap one drill on a sandbox of the ×10 live
// park adds, paused after its first 10 minutes. Aim: ≤ 10 MiB.
func BenchmarkDrillMemory(b *testing.B) {
	sc := onTen(b, scenarios.ParkLive)
	live, err := park.Open(context.Background(), park.Config{Clock: twin.NewSimClock(sc.Start.Time),
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 10)...)...)
			return err
		}})
	if err != nil {
		b.Fatal(err)
	}
	defer live.Close()
	var added uint64
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		before := heapNow()
		b.StartTimer()
		d, err := scenarios.NewDrill(context.Background(), sc, scenarios.Config{ID: fmt.Sprintf("DRL-%02d", i), Live: live})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Seek(context.Background(), 10*time.Minute); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if after := heapNow(); after > before {
			added += after - before
		}
		d.Stop()
		b.StartTimer()
	}
	b.ReportMetric(float64(added)/float64(b.N)/(1<<20), "MiB/drill")
}

func heapNow() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkLiveIngestBesideDrills: the live park's ingest — a reading of
// every sensor of the demo park per op — alone, and with 5 chlorine drills
// playing at 10× beside it on sandboxes of it. Aim: the two within noise.
func BenchmarkLiveIngestBesideDrills(b *testing.B) {
	for _, n := range []int{0, 5} {
		b.Run(fmt.Sprintf("drills=%d", n), func(b *testing.B) {
			sc, err := scenarios.Load("testdata/chlorine-night.yaml")
			if err != nil {
				b.Fatal(err)
			}
			sc.Start.Park = scenarios.ParkLive
			clock := twin.NewSimClock(sc.Start.Time)
			live, err := park.Open(context.Background(), park.Config{Clock: clock,
				Seed: func(ctx context.Context, tw *twin.Twin) error {
					_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...)
					return err
				}})
			if err != nil {
				b.Fatal(err)
			}
			defer live.Close()
			for i := range n {
				d, err := scenarios.NewDrill(context.Background(), sc, scenarios.Config{ID: fmt.Sprintf("DRL-%02d", i+1), Live: live})
				if err != nil {
					b.Fatal(err)
				}
				defer d.Stop()
				if err := d.Play(10); err != nil {
					b.Fatal(err)
				}
			}
			var sensors []string
			for s := range twin.All[*twin.Sensor](live.Twin().Snapshot()) {
				sensors = append(sensors, s.ID)
			}
			rs := make([]telemetry.Reading, len(sensors))
			b.ResetTimer()
			for b.Loop() {
				clock.Advance(time.Second)
				now := clock.Now()
				for i, id := range sensors {
					rs[i] = telemetry.Reading{Sensor: id, T: now, Value: 0}
				}
				if _, _, err := live.Monitor().Ingest(context.Background(), rs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(sensors))*float64(b.N)/b.Elapsed().Seconds(), "readings/s")
		})
	}
}

// BenchmarkDrillSeekBack: the chlorine drill on the ×1 demo park, at 60
// minutes, sought back to 59: it is played again from its start.
func BenchmarkDrillSeekBack(b *testing.B) {
	sc, err := scenarios.Load("testdata/chlorine-night.yaml")
	if err != nil {
		b.Fatal(err)
	}
	d, err := scenarios.NewDrill(context.Background(), sc, scenarios.Config{ID: "DRL-01"})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Stop()
	for b.Loop() {
		b.StopTimer()
		if err := d.Seek(context.Background(), time.Hour); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := d.Seek(context.Background(), 59*time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}
