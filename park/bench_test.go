package park_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"parktwin/park"
	"parktwin/twin"
	"parktwin/twin/demo"
)

// liveTen opens the ×10 demo park as a live instance, in memory, closed
// when the benchmark ends.
func liveTen(b *testing.B) *park.Instance {
	b.Helper()
	live := openTen(b)
	b.Cleanup(func() { live.Close() })
	return live
}

// openTen opens the ×10 demo park as a live instance, in memory.
func openTen(b *testing.B) *park.Instance {
	b.Helper()
	live, err := park.Open(context.Background(), park.Config{
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 10)...)...)
			return err
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	return live
}

func heap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkSandboxTwin: a sandbox twin started from the ×10 live park
// (twin.OpenFrom), and the heap it adds while it lives. Aim: ≤ 20 ms,
// ≤ 2 MiB: the persistent maps are shared, not copied.
func BenchmarkSandboxTwin(b *testing.B) {
	live := liveTen(b)
	var added uint64
	for b.Loop() {
		b.StopTimer()
		before := heap()
		b.StartTimer()
		tw, err := twin.OpenFrom(live.Twin().Snapshot(), twin.Config{ID: "SBX-B", Exercise: true,
			Clock: twin.NewSimClock(live.Twin().Clock().Now())})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if after := heap(); after > before {
			added += after - before
		}
		tw.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(added)/float64(b.N)/(1<<20), "MiB/sandbox")
}

// BenchmarkSandboxInstance: a whole sandbox instance — twin, monitor,
// desk, simulator — started from the ×10 live park.
func BenchmarkSandboxInstance(b *testing.B) {
	live := liveTen(b)
	var added uint64
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		before := heap()
		b.StartTimer()
		sb, err := live.Sandbox(context.Background(), fmt.Sprintf("SBX-%02d", i), 0)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if after := heap(); after > before {
			added += after - before
		}
		sb.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(added)/float64(b.N)/(1<<20), "MiB/sandbox")
}

// BenchmarkTwentySandboxes: the heap of the ×10 live park alone and with
// 20 sandbox instances beside it.
func BenchmarkTwentySandboxes(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		live := openTen(b)
		alone := heap()
		b.StartTimer()
		var sbs []*park.Instance
		for i := range 20 {
			sb, err := live.Sandbox(context.Background(), fmt.Sprintf("SBX-%02d", i+1), 0)
			if err != nil {
				b.Fatal(err)
			}
			sb.Start()
			sbs = append(sbs, sb)
		}
		b.StopTimer()
		with := heap()
		b.ReportMetric(float64(alone)/(1<<20), "MiB-live")
		b.ReportMetric(float64(with)/(1<<20), "MiB-with-20")
		for _, sb := range sbs {
			sb.Close()
		}
		live.Close()
		b.StartTimer()
	}
}
