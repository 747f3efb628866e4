package scenarios

// The replay of a stretch of the live park's journal (复盘): a read-only
// park instance moved to any moment of the stretch, forward or back.

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"parktwin/park"
	"parktwin/twin"
	"parktwin/twin/telemetry"
)

const (
	// MaxReplaySpeed is the fastest a replay plays: an hour a second.
	MaxReplaySpeed = 3600
	// replayTick is how often, in wall time, a playing replay moves on:
	// fine enough for a console to see vehicles move.
	replayTick = 100 * time.Millisecond
)

// ReplayConfig configures a replay.
type ReplayConfig struct {
	// ID names the replay and its twin (RPL-01).
	ID      string
	Journal Journal
	// History is the sensors' recorded minutes, for the excursions of a
	// scenario made from the replay; nil leaves them to the alarms.
	History  telemetry.HistoryStore
	From, To time.Time
	Logger   *slog.Logger
}

// Replay is a stretch of the live park's journal, from From to To, played
// on a park instance of its own: its twin starts as the park stood at
// From and is moved to any moment of the stretch with twin.Restore, so a
// console following it sees the park move as it did, forward or back.
// The instance runs none of its loops and nothing but the replay changes
// its twin. Its methods are safe for concurrent use.
type Replay struct {
	id    string
	w     *window
	hist  telemetry.HistoryStore
	inst  *park.Instance
	clock *twin.SimClock
	log   *slog.Logger

	// ctx is the replay's own lifecycle: its restores run in it, and
	// Stop ends it.
	ctx    context.Context
	cancel context.CancelFunc

	// ctl is held by each control throughout, so that they take turns;
	// a control stops the player before it moves the twin itself, so
	// the twin is moved by one of them at a time. Lock order: ctl, mu.
	ctl sync.Mutex

	mu      sync.Mutex
	now     time.Time          // guarded by mu: the moment the twin stands at
	n       int                // guarded by mu: the window's events it stands after
	cur     *twin.Snapshot     // guarded by mu: the park after those events
	speed   float64            // guarded by mu
	stopped bool               // guarded by mu
	play    context.CancelFunc // guarded by mu: ends the player; nil when none was started
	played  chan struct{}      // guarded by mu: closed when the player has returned, at To by itself
}

// ReplayState is where a replay stands.
type ReplayState struct {
	ID    string `json:"id"`
	Twin  string `json:"twin"`
	State string `json:"state"` // StatePaused, StatePlaying, StateEnded or StateStopped
	// Speed is how fast it plays, or last played, against the wall clock.
	Speed float64   `json:"speed"`
	Time  time.Time `json:"time"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	// Events is how many events the window holds, Applied how many of
	// them the park stands after.
	Events  int `json:"events"`
	Applied int `json:"applied"`
}

// OpenReplay reads the journal once and opens a replay of it from
// cfg.From to cfg.To, paused at From. It refuses a window that ends
// before it begins or begins before the journal does.
func OpenReplay(ctx context.Context, cfg ReplayConfig) (*Replay, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	from, to := cfg.From.UTC(), cfg.To.UTC()
	if !to.After(from) {
		return nil, twin.Invalid("to", "%s is not after from (%s)", stamp(to), stamp(from))
	}
	w, err := readWindow(cfg.Journal, from, to)
	if err != nil {
		return nil, err
	}
	clock := twin.NewSimClock(from)
	inst, err := park.Open(ctx, park.Config{ID: cfg.ID, From: w.start, Clock: clock, Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("replay %s: %w", cfg.ID, err)
	}
	// Opening an instance lets its monitor look at the park once (grades,
	// safety codes): whatever that changed is put back as the journal
	// has it.
	if _, err := inst.Twin().Apply(twin.AsSystem(ctx, twin.ActorReplay), twin.Restore{To: w.start}); err != nil {
		inst.Close()
		return nil, fmt.Errorf("replay %s: %w", cfg.ID, err)
	}
	r := &Replay{id: cfg.ID, w: w, hist: cfg.History, inst: inst, clock: clock, log: cfg.Logger.With("replay", cfg.ID),
		now: from, cur: w.start, speed: 1}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r, nil
}

// ID returns the replay's ID, which is also its twin's.
func (r *Replay) ID() string { return r.id }

// Instance returns the park instance the replay plays on. It is the
// replay's alone to change.
func (r *Replay) Instance() *park.Instance { return r.inst }

// State returns where the replay stands.
func (r *Replay) State() ReplayState {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := StatePaused
	switch {
	case r.stopped:
		st = StateStopped
	case r.play != nil && !isClosed(r.played):
		st = StatePlaying
	case !r.now.Before(r.w.to):
		st = StateEnded
	}
	return ReplayState{ID: r.id, Twin: r.inst.ID(), State: st, Speed: r.speed, Time: r.now, From: r.w.from, To: r.w.to,
		Events: len(r.w.events), Applied: r.n}
}

// Seek moves the park to t, forward or back: the nearest checkpoint at or
// before it, then the events up to t. A playing replay plays on from t.
func (r *Replay) Seek(t time.Time) error {
	t = t.UTC()
	if t.Before(r.w.from) || t.After(r.w.to) {
		return twin.Invalid("to", "%s is outside the replay (%s to %s)", stamp(t), stamp(r.w.from), stamp(r.w.to))
	}
	r.ctl.Lock()
	defer r.ctl.Unlock()
	if err := r.live(); err != nil {
		return err
	}
	playing := r.pause()
	if err := r.moveTo(t); err != nil {
		return err
	}
	if playing && t.Before(r.w.to) {
		r.start()
	}
	return nil
}

// Step moves the park on to the time of the next event, and pauses.
func (r *Replay) Step() error {
	r.ctl.Lock()
	defer r.ctl.Unlock()
	if err := r.live(); err != nil {
		return err
	}
	r.pause()
	r.mu.Lock()
	n := r.n
	r.mu.Unlock()
	if n == len(r.w.events) {
		return twin.Errorf(twin.ECONFLICT, "action", "replay %s has no event left after %s", r.id, stamp(r.State().Time))
	}
	return r.moveTo(r.w.at[n])
}

// Play plays the replay on from where it stands at speed times the wall
// clock, until To.
func (r *Replay) Play(speed float64) error {
	if !(speed > 0 && speed <= MaxReplaySpeed) {
		return twin.Invalid("speed", "want more than 0 and at most %d times the wall clock, got %v", MaxReplaySpeed, speed)
	}
	r.ctl.Lock()
	defer r.ctl.Unlock()
	if err := r.live(); err != nil {
		return err
	}
	r.pause()
	r.mu.Lock()
	r.speed = speed
	end := !r.now.Before(r.w.to)
	r.mu.Unlock()
	if end {
		return twin.Errorf(twin.ECONFLICT, "action", "replay %s stands at its end: seek back first", r.id)
	}
	r.start()
	return nil
}

// Pause stops the replay where it stands.
func (r *Replay) Pause() error {
	r.ctl.Lock()
	defer r.ctl.Unlock()
	if err := r.live(); err != nil {
		return err
	}
	r.pause()
	return nil
}

// Stop ends the replay and closes its instance. It may be called more
// than once.
func (r *Replay) Stop() {
	r.ctl.Lock()
	defer r.ctl.Unlock()
	r.pause()
	r.mu.Lock()
	stopped := r.stopped
	r.stopped = true
	r.mu.Unlock()
	if !stopped {
		r.cancel()
		r.inst.Close()
	}
}

// live refuses a control once the replay has stopped.
func (r *Replay) live() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return twin.Errorf(twin.ECONFLICT, "", "replay %s has stopped", r.id)
	}
	return nil
}

// moveTo moves the twin to the park at t. Only a control holding ctl with
// the player stopped, or the player, calls it.
func (r *Replay) moveTo(t time.Time) error {
	n := r.w.upTo(t)
	r.mu.Lock()
	k, cur := r.n, r.cur
	r.mu.Unlock()
	snap, err := r.w.state(n, k, cur)
	if err != nil {
		return fmt.Errorf("replay %s at %s: %w", r.id, stamp(t), err)
	}
	r.clock.Set(t) // the restore's events are stamped with t
	if _, err := r.inst.Twin().Apply(twin.AsSystem(r.ctx, twin.ActorReplay), twin.Restore{To: snap}); err != nil {
		return fmt.Errorf("replay %s at %s: %w", r.id, stamp(t), err)
	}
	r.mu.Lock()
	r.now, r.n, r.cur = t, n, snap
	r.mu.Unlock()
	return nil
}

// start starts the player. ctl must be held, the player stopped.
func (r *Replay) start() {
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan struct{})
	r.mu.Lock()
	r.play, r.played = cancel, done
	speed := r.speed
	r.mu.Unlock()
	go r.player(ctx, done, speed)
}

// pause stops the player, if one was started, and waits for it to
// return; it reports whether it was still playing. ctl must be held.
func (r *Replay) pause() bool {
	r.mu.Lock()
	stop, done := r.play, r.played
	r.play, r.played = nil, nil
	r.mu.Unlock()
	if stop == nil {
		return false
	}
	playing := !isClosed(done)
	stop()
	<-done
	return playing
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// player moves the replay on at speed times the wall clock until ctx ends
// or it reaches To, where it stops by itself.
func (r *Replay) player(ctx context.Context, done chan struct{}, speed float64) {
	defer close(done)
	tick := time.NewTicker(replayTick)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case wall := <-tick.C:
			r.mu.Lock()
			t := r.now.Add(time.Duration(float64(wall.Sub(last)) * speed))
			r.mu.Unlock()
			last = wall
			end := !t.Before(r.w.to)
			if end {
				t = r.w.to
			}
			err := r.moveTo(t)
			if err != nil && ctx.Err() == nil {
				r.log.Error("play", "err", err)
			}
			if err != nil || end {
				return // the next control, or Stop, waits for it
			}
		}
	}
}
