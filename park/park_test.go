package park_test

import (
	"context"
	"testing"
	"time"

	"parktwin/park"
	"parktwin/twin"
	"parktwin/twin/demo"
)

func openLive(t *testing.T) *park.Instance {
	t.Helper()
	live, err := park.Open(context.Background(), park.Config{
		Seed: func(ctx context.Context, tw *twin.Twin) error {
			_, err := tw.Apply(ctx, twin.Creates(demo.Generate(1, 1)...)...)
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	return live
}

// eventually polls cond until it holds or timeout passes.
func eventually(t *testing.T, cond func() bool, timeout time.Duration) bool {
	t.Helper()
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// A sandbox starts where the live park stands, on a clock of its own run
// at its speed, and its changes are exercise and its own.
func TestSandbox(t *testing.T) {
	live := openLive(t)
	live.Start()
	start := live.Clock().Now()
	held, err := live.Sandbox(context.Background(), "SBX-01", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	held.Start()
	fast, err := live.Sandbox(context.Background(), "SBX-02", 600)
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	fast.Start()

	if got, want := held.Twin().Snapshot().Seq(), live.Twin().Snapshot().Seq(); got != want {
		t.Errorf("the sandbox starts at seq %d, the live park is at %d", got, want)
	}
	// At 600× a minute of its clock passes in a tenth of a second of the
	// wall's; the held one stands still.
	if !eventually(t, func() bool { return fast.Clock().Now().Sub(start) > time.Minute }, 10*time.Second) {
		t.Errorf("the fast sandbox's clock moved %v", fast.Clock().Now().Sub(start))
	}
	if got := held.Clock().Now(); got.Sub(start) > time.Second {
		t.Errorf("the held sandbox's clock moved to %v from %v", got, start)
	}
	var tank string
	for tk := range twin.All[*twin.Tank](live.Twin().Snapshot()) {
		tank = tk.ID
		break
	}
	evs, err := held.Twin().Apply(context.Background(), twin.Patch{Kind: twin.KindTank, ID: tank, Merge: []byte(`{"properties":{"maxFill":0.55}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if !evs[0].Exercise || evs[0].Twin != "SBX-01" {
		t.Errorf("sandbox event: twin %q, exercise %v", evs[0].Twin, evs[0].Exercise)
	}
	if tk, _ := twin.Lookup[*twin.Tank](live.Twin().Snapshot(), tank); tk.MaxFill == 0.55 {
		t.Errorf("the sandbox's change reached the live park")
	}
	if info := fast.Info(); info.From != twin.LiveID || !info.Exercise || info.Speed != 600 {
		t.Errorf("info: %+v", info)
	}
}

// An instance closes once, however often it is told, and a speed needs a
// simulated clock.
func TestInstanceLifecycle(t *testing.T) {
	live := openLive(t)
	live.Start()
	if err := live.Close(); err != nil {
		t.Fatal(err)
	}
	live.Close()
	live.Start() // after Close: nothing runs
	if _, err := live.Twin().Apply(context.Background(), twin.Delete{Kind: twin.KindTarget, ID: "TGT-01"}); twin.ErrorCode(err) != twin.EUNAVAILABLE {
		t.Errorf("a command after Close: %v", err)
	}
	if _, err := park.Open(context.Background(), park.Config{Speed: 2}); err == nil {
		t.Errorf("a speed on the wall clock was taken")
	}
}
