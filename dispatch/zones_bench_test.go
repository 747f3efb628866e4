package dispatch_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/weather"
)

// zonePark is a demo park at scale with the wind put and a toxic release
// reported on each of n tanks of a toxic gas, through a desk.
func zonePark(b *testing.B, scale, n int) (*twin.Twin, *dispatch.Desk, []string) {
	b.Helper()
	tw, err := twin.Open(twin.Config{Clock: twin.NewSimClock(night)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, scale)...)...); err != nil {
		b.Fatal(err)
	}
	windFrom(b, tw, 35)
	d := dispatch.NewDesk(tw, dispatch.DefaultRules())
	var ids []string
	s := tw.Snapshot()
	for tk := range twin.All[*twin.Tank](s) {
		c, _ := twin.Lookup[*twin.Chemical](s, tk.Chemical)
		if c == nil || !c.ToxicGas || len(ids) >= n {
			continue
		}
		inc, merged, err := d.Report(context.Background(), dispatch.Report{Type: "toxic-release", Entity: tk.ID, Level: "II", Reporter: "x"})
		if err != nil {
			b.Fatal(err)
		}
		if !merged {
			ids = append(ids, inc.ID)
		}
	}
	if len(ids) < n {
		b.Fatalf("%d toxic releases for %d wanted", len(ids), n)
	}
	return tw, d, ids
}

func windFrom(b *testing.B, tw *twin.Twin, from float64) {
	b.Helper()
	w := twin.Weather{WindFromDeg: from, WindSpeedMS: 2, TemperatureC: 4, HumidityPct: 70, CloudOktas: 2}
	if _, err := weather.Override(context.Background(), tw, w); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkZones: the zones of every open toxic release recomputed after
// a wind change (the wind turns 10° each round, so nothing is reused),
// reported per incident: ERG zones, seven toxic footprints, and what lies
// inside each (enterprises, targets, roads) and the evacuation list.
func BenchmarkZones(b *testing.B) {
	for _, scale := range []int{1, 10} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			const n = 10
			tw, _, _ := zonePark(b, scale, n)
			zr := dispatch.NewZoner(nil)
			from := 35.0
			var times []time.Duration
			for b.Loop() {
				b.StopTimer()
				from += 10
				windFrom(b, tw, from)
				s := tw.Snapshot()
				b.StartTimer()
				start := time.Now()
				all := zr.All(s, night)
				times = append(times, time.Since(start)/time.Duration(len(all)))
				if len(all) != n {
					b.Fatalf("%d incidents' zones, want %d", len(all), n)
				}
			}
			b.ReportMetric(float64(sum(times).Microseconds())/float64(len(times))/1000, "ms/incident")
			reportP99(b, times)
		})
	}
}

// BenchmarkPlanWithZones: the desk's plan for a level II chlorine release
// with its zones: the roads inside the hot zones closed, the staging point
// chosen, the units routed to it. "warm": the zones computed already (the
// stream and the console keep them); "wind": the wind turns before each
// plan, so the zones are computed within it.
func BenchmarkPlanWithZones(b *testing.B) {
	for _, scale := range []int{1, 10} {
		for _, mode := range []string{"warm", "wind"} {
			b.Run(fmt.Sprintf("scale=%d/%s", scale, mode), func(b *testing.B) {
				tw, d, ids := zonePark(b, scale, 1)
				if _, err := d.Plan(ids[0]); err != nil { // the graph, once
					b.Fatal(err)
				}
				from := 35.0
				var times []time.Duration
				for b.Loop() {
					if mode == "wind" {
						b.StopTimer()
						from += 10
						windFrom(b, tw, from)
						b.StartTimer()
					}
					start := time.Now()
					p, err := d.Plan(ids[0])
					if err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
					if p.Staging == nil {
						b.Fatal("no staging")
					}
				}
				reportP99(b, times)
			})
		}
	}
}

func sum(ds []time.Duration) time.Duration {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s
}
