package web

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/simulate"
	"parktwin/twin/telemetry"
)

// InstanceConfig configures one park instance.
type InstanceConfig struct {
	// ID names the twin: twin.LiveID for the live park.
	ID string
	// From starts the instance as a sandbox of a snapshot (twin.OpenFrom);
	// nil opens the twin from Store.
	From *twin.Snapshot
	// Store keeps the twin durable; nil keeps it in memory.
	Store   twin.Store
	History telemetry.HistoryStore // nil: no history
	Clock   twin.Clock             // twin.WallClock when nil
	// Seed fills the twin before the monitor and the desk start: the demo
	// park or a park file loaded into an empty database.
	Seed     func(ctx context.Context, tw *twin.Twin) error
	Rules    *telemetry.Rules // the built-in ones when nil
	Dispatch *dispatch.Rules  // the demo park's when nil
	// Simulate feeds every sensor simulated readings every SimEvery of
	// the instance's clock (1 s when 0), from SimSeed, with an excursion
	// past a limit every ExcursionEvery (none when 0).
	Simulate       bool
	SimEvery       time.Duration
	SimSeed        uint64
	ExcursionEvery time.Duration
	Gateways       map[string]string
	Origins        []string
	Stream         StreamConfig
	Logger         *slog.Logger
}

// Instance is one park served: a twin with its monitor, dispatch desk,
// simulator, stream hub and clock, and the HTTP face of them. The live
// park is one; every sandbox (a what-if, a drill) is another, sharing
// nothing that can change with the park it was started from.
type Instance struct {
	id       string
	exercise bool
	from     string
	created  time.Time
	tw       *twin.Twin
	mon      *telemetry.Monitor
	desk     *dispatch.Desk
	srv      *Server
	handler  fasthttp.RequestHandler
	sim      *simulate.Simulator
	cfg      InstanceConfig
	log      *slog.Logger

	stop      context.CancelFunc
	loops     sync.WaitGroup
	closeOnce sync.Once
}

// OpenInstance opens the instance's twin (from its store, or from a
// snapshot for a sandbox), seeds it, and makes its monitor, desk and
// server. Its loops run from Start.
func OpenInstance(ctx context.Context, cfg InstanceConfig) (*Instance, error) {
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
	if cfg.Seed != nil {
		if err := cfg.Seed(ctx, tw); err != nil {
			tw.Close()
			return nil, err
		}
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, History: cfg.History, Rules: *cfg.Rules, Logger: log})
	if err != nil {
		tw.Close()
		return nil, err
	}
	// Grade the units and set the safety codes before the first client.
	if err := mon.Tick(ctx); err != nil {
		tw.Close()
		return nil, err
	}
	desk := dispatch.NewDesk(tw, cfg.Dispatch)
	srv := New(Config{Twin: tw, Monitor: mon, Desk: desk, Gateways: cfg.Gateways, Origins: cfg.Origins,
		Stream: cfg.Stream, Logger: log, Base: apiBase(cfg.ID)})
	in := &Instance{id: cfg.ID, exercise: tcfg.Exercise, created: cfg.Clock.Now(), tw: tw, mon: mon, desk: desk,
		srv: srv, handler: srv.app.Handler(), cfg: cfg, log: log}
	if cfg.Simulate {
		in.sim = simulate.New(tw.Snapshot(), cfg.SimSeed)
		in.sim.ExcursionEvery = cfg.ExcursionEvery
	}
	return in, nil
}

// Start runs the instance's loops on its clock until Close: the
// monitoring (deadlines, staleness, history), the desk's follow-through,
// and the simulator.
func (in *Instance) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	in.stop = cancel
	in.loops.Go(func() { in.mon.Run(ctx) })
	in.loops.Go(func() { in.desk.Run(ctx, time.Second, in.log) })
	if in.sim != nil {
		in.loops.Go(func() {
			// The sink is the end of the line for the simulator's
			// readings: it logs what failed (Run does not), and the
			// next second sends again.
			in.sim.Run(ctx, in.tw.Clock(), in.cfg.SimEvery, func(ctx context.Context, rs []telemetry.Reading) error {
				if _, _, err := in.mon.Ingest(ctx, rs); err != nil && ctx.Err() == nil {
					in.log.Error("simulated readings", "err", err)
				}
				return nil
			})
		})
	}
}

// Close stops the stream, the loops (the monitor writes its last
// history), and the twin, which finishes the commands it took. It does
// not close the store.
func (in *Instance) Close(ctx context.Context) error {
	var err error
	in.closeOnce.Do(func() {
		err = in.srv.Shutdown(ctx)
		if in.stop != nil {
			in.stop()
		}
		in.loops.Wait()
		in.tw.Close()
	})
	return err
}

// ID returns the instance's twin ID.
func (in *Instance) ID() string { return in.id }

// Twin returns the instance's twin.
func (in *Instance) Twin() *twin.Twin { return in.tw }

// Monitor returns the instance's monitor.
func (in *Instance) Monitor() *telemetry.Monitor { return in.mon }

// Desk returns the instance's dispatch desk.
func (in *Instance) Desk() *dispatch.Desk { return in.desk }

// Server returns the instance's HTTP face.
func (in *Instance) Server() *Server { return in.srv }

// Info is what GET /api/v1/twins says of an instance.
type Info struct {
	ID       string    `json:"id"`
	Seq      uint64    `json:"seq"`
	Exercise bool      `json:"exercise"`
	From     string    `json:"from,omitempty"`
	Created  time.Time `json:"created"`
	Time     time.Time `json:"time"`
}

// Info returns what the instance is and where it stands.
func (in *Instance) Info() Info {
	return Info{ID: in.id, Seq: in.tw.Snapshot().Seq(), Exercise: in.exercise, From: in.from,
		Created: in.created.UTC(), Time: in.tw.Clock().Now().UTC()}
}

// Sandbox starts a sandbox of the instance as it stands now: a twin of
// its own in memory, on its own clock starting at this one's time, with
// its own monitor, desk and stream; its simulator keeps the sensors fresh
// with no excursions, so that only what the user does happens in it.
func (in *Instance) Sandbox(ctx context.Context, id string, clock twin.Clock) (*Instance, error) {
	cfg := in.cfg
	cfg.ID, cfg.From, cfg.Store, cfg.History, cfg.Seed = id, in.tw.Snapshot(), nil, nil, nil
	cfg.Clock = clock
	// Every 10 s of its clock: well inside the sensors' staleness limits,
	// and a tenth of the live park's work, since a drill may run its clock
	// at 60× the wall's.
	cfg.Simulate, cfg.SimEvery, cfg.ExcursionEvery = true, 10*time.Second, 0
	sb, err := OpenInstance(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("sandbox of %s: %w", in.id, err)
	}
	sb.from = in.id
	return sb, nil
}

// apiBase is where a twin's API is served.
func apiBase(id string) string {
	if id == twin.LiveID {
		return "/api/v1"
	}
	return "/api/v1/twins/" + id
}
