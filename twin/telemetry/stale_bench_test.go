package telemetry

import (
	"context"
	"fmt"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// BenchmarkStaleLook measures one full look for silence (staleSensors
// when it cannot skip): every sensor judged and tallied by enterprise,
// none silent. A Tick makes one whenever the sensors' alarms changed or
// the first sensor can have gone silent, at most once a second.
func BenchmarkStaleLook(b *testing.B) {
	for _, scale := range []int{1, 10} {
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) {
			start := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
			clock := twin.NewSimClock(start)
			tw, err := twin.Open(twin.Config{Clock: clock})
			if err != nil {
				b.Fatal(err)
			}
			defer tw.Close()
			if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, scale)...)...); err != nil {
				b.Fatal(err)
			}
			m, err := New(Config{Twin: tw, Rules: DefaultRules()})
			if err != nil {
				b.Fatal(err)
			}
			clock.Advance(m.rules.CommLost.StartupGrace.D() + time.Second)
			var rs []Reading
			for _, sl := range m.order {
				rs = append(rs, Reading{Sensor: sl.s.ID, T: clock.Now(), Value: 0})
			}
			if _, rej, err := m.Ingest(context.Background(), rs); err != nil || len(rej) > 0 {
				b.Fatal(rej, err)
			}
			now := clock.Now().Add(time.Second)
			b.ReportAllocs()
			for b.Loop() {
				m.mu.Lock()
				m.staleOK = false
				var ch changes
				m.staleSensors(now, &ch)
				m.mu.Unlock()
				if !ch.empty() {
					b.Fatalf("%d commands: a sensor taken as silent", len(ch.cmds))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(m.order)), "ns/sensor")
		})
	}
}
