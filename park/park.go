// Package park runs park instances. An Instance is one park: a twin with
// its monitoring, dispatch desk, sensor simulator and clock, and the loops
// that run them on that clock. The live park is one instance; every
// sandbox (a what-if, a drill) is another, started from a snapshot of the
// live one and sharing nothing that can change with it. The web package
// serves instances; the scenarios package will drive them.
//
// Concurrency: an Instance's methods are safe for concurrent use. Its
// loops run from Start until Close, each on the instance's clock (a
// twin.SimClock runs them inside its Advance, at each deadline).
package park

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/simulate"
	"parktwin/twin/telemetry"
	"parktwin/twin/weather"
)

// Config configures one park instance.
type Config struct {
	// ID names the twin: twin.LiveID for the live park; any other ID makes
	// an exercise, whose every event says so.
	ID string
	// From starts the instance as a sandbox of a snapshot (twin.OpenFrom);
	// nil opens the twin from Store.
	From *twin.Snapshot
	// Store keeps the twin durable; nil keeps it in memory.
	Store   twin.Store
	History telemetry.HistoryStore // nil: no history
	Clock   twin.Clock             // twin.WallClock when nil
	// Speed runs a *twin.SimClock at this many times the wall clock from
	// Start to Close; 0 leaves it to whoever holds the clock.
	Speed float64
	// Seed fills the twin before the monitor and the desk start: the demo
	// park or a park file loaded into an empty database.
	Seed     func(ctx context.Context, tw *twin.Twin) error
	Rules    *telemetry.Rules // the built-in ones when nil
	Dispatch *dispatch.Rules  // the demo park's when nil
	// Simulate feeds every sensor simulated readings every SimEvery of
	// the instance's clock (1 s when 0), from SimSeed, with an excursion
	// past a limit every ExcursionEvery (none when 0), the first of them
	// FirstExcursion after the start (at random when 0).
	Simulate       bool
	SimEvery       time.Duration
	SimSeed        uint64
	ExcursionEvery time.Duration
	FirstExcursion time.Duration
	Logger         *slog.Logger
}

// Instance is one park: its twin, monitor, desk, simulator and clock.
type Instance struct {
	cfg     Config
	from    string
	created time.Time
	tw      *twin.Twin
	mon     *telemetry.Monitor
	desk    *dispatch.Desk
	sim     *simulate.Simulator
	log     *slog.Logger

	mu        sync.Mutex
	stop      context.CancelFunc // guarded by mu; nil before Start
	closed    bool               // guarded by mu
	loops     sync.WaitGroup
	closeOnce sync.Once
}

// Open opens the instance's twin (from its store, or from a snapshot for a
// sandbox), seeds it, and makes its monitor and desk. Its loops run from
// Start.
func Open(ctx context.Context, cfg Config) (*Instance, error) {
	if cfg.ID == "" {
		cfg.ID = twin.LiveID
	}
	if cfg.Clock == nil {
		cfg.Clock = twin.WallClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SimEvery <= 0 {
		cfg.SimEvery = time.Second
	}
	if cfg.Rules == nil {
		r := telemetry.DefaultRules()
		cfg.Rules = &r
	}
	if cfg.Dispatch == nil {
		cfg.Dispatch = dispatch.DefaultRules()
	}
	if _, ok := cfg.Clock.(*twin.SimClock); cfg.Speed != 0 && !ok {
		return nil, fmt.Errorf("park %s: a speed needs a simulated clock", cfg.ID)
	}
	log := cfg.Logger.With("twin", cfg.ID)
	tcfg := twin.Config{ID: cfg.ID, Exercise: cfg.ID != twin.LiveID, Store: cfg.Store, Clock: cfg.Clock, Logger: log}
	var tw *twin.Twin
	var err error
	if cfg.From != nil {
		tw, err = twin.OpenFrom(cfg.From, tcfg)
	} else {
		tw, err = twin.Open(tcfg)
	}
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Instance, error) {
		tw.Close()
		return nil, err
	}
	if cfg.Seed != nil {
		if err := cfg.Seed(twin.AsSystem(ctx, twin.ActorSeed), tw); err != nil {
			return fail(err)
		}
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, History: cfg.History, Rules: *cfg.Rules, Logger: log})
	if err != nil {
		return fail(err)
	}
	// Grade the units and set the safety codes before the first client.
	if err := mon.Tick(ctx); err != nil {
		return fail(err)
	}
	in := &Instance{cfg: cfg, created: cfg.Clock.Now(), tw: tw, mon: mon, desk: dispatch.NewDesk(tw, cfg.Dispatch), log: log}
	if cfg.Simulate {
		in.sim = simulate.New(tw.Snapshot(), cfg.SimSeed)
		in.sim.ExcursionEvery = cfg.ExcursionEvery
		in.sim.FirstExcursion = cfg.FirstExcursion
	}
	return in, nil
}

// Start runs the instance's loops on its clock until Close: the
// monitoring (deadlines, staleness, history), the desk's follow-through,
// the simulator, and, at its Speed, the simulated clock itself.
func (in *Instance) Start() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.stop != nil || in.closed {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	in.stop = cancel
	// On a simulated clock each loop is started once the one before it
	// holds its first deadline: loops falling due at one instant then run
	// in this order every time, and a drill played twice makes the same
	// journal. Start returns with every loop's deadline on the clock.
	sim, _ := in.cfg.Clock.(*twin.SimClock)
	waiting := 0
	if sim != nil {
		waiting = sim.Waiting()
	}
	settle := func(deadlines int) {
		if sim != nil {
			waiting += deadlines
			sim.BlockUntil(waiting)
		}
	}
	in.loops.Go(func() { in.mon.Run(ctx) })
	settle(2) // its tick and its history flush
	in.loops.Go(func() { in.desk.Run(ctx, time.Second, in.log) })
	settle(1)
	in.loops.Go(func() { weather.Run(ctx, in.tw, in.mon) })
	settle(1)
	if in.sim != nil {
		in.loops.Go(func() {
			// The sink is the end of the line for the simulator's
			// readings: it logs what failed (Run does not), and the
			// next round sends again.
			in.sim.Run(ctx, in.tw.Clock(), in.cfg.SimEvery, func(ctx context.Context, rs []telemetry.Reading) error {
				if _, _, err := in.mon.Ingest(twin.AsSystem(ctx, twin.ActorSimulator), rs); err != nil && ctx.Err() == nil {
					in.log.Error("simulated readings", "err", err)
				}
				return nil
			})
		})
		settle(1)
	}
	if clock, ok := in.cfg.Clock.(*twin.SimClock); ok && in.cfg.Speed > 0 {
		in.loops.Go(func() { drive(ctx, clock, in.cfg.Speed) })
	}
}

// driveStep is how often a simulated clock is moved on: fine enough for a
// console to see vehicles move smoothly.
const driveStep = 100 * time.Millisecond

// drive moves a simulated clock at speed times the wall clock until ctx
// ends. Each step runs every deadline it passes (twin.SimClock.Advance),
// so a step that takes longer than the wall's step slows the clock rather
// than skipping work.
func drive(ctx context.Context, clock *twin.SimClock, speed float64) {
	t := time.NewTicker(driveStep)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			clock.Advance(time.Duration(float64(now.Sub(last)) * speed))
			last = now
		}
	}
}

// Close stops the loops (the monitor writes its last history) and the
// twin, which finishes the commands it took. It does not close the store.
func (in *Instance) Close() error {
	in.closeOnce.Do(func() {
		in.mu.Lock()
		in.closed = true
		stop := in.stop
		in.mu.Unlock()
		if stop != nil {
			stop()
		}
		in.loops.Wait()
		in.tw.Close()
	})
	return nil
}

// ID returns the instance's twin ID.
func (in *Instance) ID() string { return in.cfg.ID }

// Exercise reports whether the instance is not the live park.
func (in *Instance) Exercise() bool { return in.tw.Exercise() }

// Twin returns the instance's twin.
func (in *Instance) Twin() *twin.Twin { return in.tw }

// Monitor returns the instance's monitor.
func (in *Instance) Monitor() *telemetry.Monitor { return in.mon }

// Desk returns the instance's dispatch desk.
func (in *Instance) Desk() *dispatch.Desk { return in.desk }

// HoldSensors stops the instance's simulator reading the sensors until
// until: a drill's excursion drives them. Without a simulator it does
// nothing.
func (in *Instance) HoldSensors(sensors []string, until time.Time) {
	if in.sim == nil {
		return
	}
	for _, id := range sensors {
		in.sim.Hold(id, until)
	}
}

// Clock returns the instance's clock.
func (in *Instance) Clock() twin.Clock { return in.cfg.Clock }

// Info is what an instance is and where it stands.
type Info struct {
	ID       string    `json:"id"`
	Seq      uint64    `json:"seq"`
	Exercise bool      `json:"exercise"`
	From     string    `json:"from,omitempty"`
	Speed    float64   `json:"speed"`
	Created  time.Time `json:"created"`
	Time     time.Time `json:"time"` // the instance's clock now
}

// Info returns what the instance is and where it stands.
func (in *Instance) Info() Info {
	speed := in.cfg.Speed
	if _, sim := in.cfg.Clock.(*twin.SimClock); !sim {
		speed = 1
	}
	return Info{ID: in.cfg.ID, Seq: in.tw.Snapshot().Seq(), Exercise: in.Exercise(), From: in.from, Speed: speed,
		Created: in.created.UTC(), Time: in.cfg.Clock.Now().UTC()}
}

// SandboxSimEvery is how often a sandbox's simulator reads every sensor,
// on the sandbox's clock: well inside the sensors' staleness limits, and
// a tenth of the live park's work, since a drill may run its clock many
// times faster than the wall's.
const SandboxSimEvery = 10 * time.Second

// Sandbox opens a sandbox of the instance as it stands now: a twin of its
// own in memory, on a simulated clock starting at this one's time and run
// at speed times the wall clock (0 holds it still), with its own monitor
// and desk; its simulator keeps the sensors fresh with no excursions, so
// that only what its users do happens in it. Start it to run.
func (in *Instance) Sandbox(ctx context.Context, id string, speed float64) (*Instance, error) {
	return in.SandboxOf(ctx, id, in.tw.Snapshot(), twin.NewSimClock(in.cfg.Clock.Now()), speed)
}

// SandboxOf opens a sandbox of snap, a snapshot of this instance taken
// earlier (or rebuilt from its journal), with this instance's rules, on
// clock: a drill played again from its start opens the same park at the
// same time, and so makes the same journal.
func (in *Instance) SandboxOf(ctx context.Context, id string, snap *twin.Snapshot, clock *twin.SimClock, speed float64) (*Instance, error) {
	cfg := in.cfg
	// The shift handovers are the duty officers' and commanders' own
	// records: a planner's sandbox or replay of the park opens without
	// them (docs/security.md).
	snap = snap.Without(twin.KindHandover)
	cfg.ID, cfg.From, cfg.Store, cfg.History, cfg.Seed = id, snap, nil, nil, nil
	cfg.Clock, cfg.Speed = clock, speed
	cfg.Simulate, cfg.SimEvery, cfg.ExcursionEvery = true, SandboxSimEvery, 0
	sb, err := Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("sandbox of %s: %w", in.cfg.ID, err)
	}
	sb.from = in.cfg.ID
	return sb, nil
}
