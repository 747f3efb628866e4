package demo_test

import (
	"context"
	"runtime"
	"testing"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// BenchmarkParkMemory reports the heap the ×10 demo park takes in the
// twin, once generated and applied, after a full collection.
func BenchmarkParkMemory(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		tw, err := twin.Open(twin.Config{})
		if err != nil {
			b.Fatal(err)
		}
		es := demo.Generate(1, 10)
		cmds := twin.Creates(es...)
		if _, err := tw.Apply(context.Background(), cmds...); err != nil {
			b.Fatal(err)
		}
		es, cmds = nil, nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB")
		b.ReportMetric(float64(tw.Snapshot().Seq()), "entities")
		tw.Close()
	}
}

// BenchmarkNationalMemory reports the heap of the ×15 park instrumented
// with the 440,000 sensors of a national monitoring system, in the twin.
func BenchmarkNationalMemory(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		tw, err := twin.Open(twin.Config{})
		if err != nil {
			b.Fatal(err)
		}
		es := demo.GenerateWith(1, demo.MaxScale, demo.Options{Sensors: 440_000})
		cmds := twin.Creates(es...)
		if _, err := tw.Apply(context.Background(), cmds...); err != nil {
			b.Fatal(err)
		}
		es, cmds = nil, nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB")
		b.ReportMetric(float64(tw.Snapshot().Len(twin.KindSensor)), "sensors")
		tw.Close()
	}
}
