package dispatch_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/simulate"
	"parktwin/twin/telemetry"
)

// BenchmarkSimulatedDay runs the ×10 demo park in memory for a day of a
// simulated clock, as a drill would: the monitor ticking every second and
// flushing, the desk ticking every second, the simulator reading every
// sensor every readEvery, all inside the clock's Advance. One op is one
// simulated day.
func BenchmarkSimulatedDay(b *testing.B) {
	clock := twin.NewSimClock(today)
	tw, err := twin.Open(twin.Config{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 10)...)...); err != nil {
		b.Fatal(err)
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, Rules: telemetry.DefaultRules()})
	if err != nil {
		b.Fatal(err)
	}
	desk := dispatch.NewDesk(tw, dispatch.DefaultRules())
	sim := simulate.New(tw.Snapshot(), 1)

	readings := 0
	ctx, cancel := context.WithCancel(context.Background())
	var loops sync.WaitGroup
	defer func() { cancel(); loops.Wait() }()
	loops.Go(func() { mon.Run(ctx) })
	loops.Go(func() { desk.Run(ctx, time.Second, nil) })
	loops.Go(func() {
		sim.Run(ctx, clock, readEvery, func(ctx context.Context, rs []telemetry.Reading) error {
			readings += len(rs) // inside Advance, or before the first
			_, _, err := mon.Ingest(ctx, rs)
			return err
		})
	})
	clock.BlockUntil(4) // the monitor's tick and flush, the desk, the simulator

	readings, alarms := 0, tw.Snapshot().Len(twin.KindAlarm)
	for b.Loop() {
		clock.Advance(24 * time.Hour)
	}
	b.ReportMetric(float64(readings)/float64(b.N), "readings/op")
	b.ReportMetric(float64(tw.Snapshot().Len(twin.KindAlarm)-alarms)/float64(b.N), "alarms/op")
}

// readEvery is how often the simulator reads every sensor: once a minute,
// inside the demo sensors' 120 s staleness timeout. At 1 Hz the ×10 park
// would make a billion readings a day, minutes of CPU on their own.
const readEvery = time.Minute
