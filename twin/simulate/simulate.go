package simulate

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// DefaultExcursionEvery is how often, on average across the park, New
// lets an excursion start.
const DefaultExcursionEvery = 10 * time.Minute

// Simulator makes the readings of a park's sensors.
type Simulator struct {
	// ExcursionEvery is the mean simulated time between the starts of
	// two excursions anywhere in the park; zero or less means none.
	ExcursionEvery time.Duration
	// FirstExcursion, when positive, is how long after its first readings
	// the first excursion starts, on a sensor ramped quickly (one without
	// a rate-of-change limit): whoever starts parkd sees an alarm within
	// a minute, not after a random wait. Zero: the first comes at random,
	// as the others do.
	FirstExcursion time.Duration
	// Climate is the weather the temperatures follow.
	Climate Climate

	sensors []*sensor
	drivers []int // indexes of the sensors an excursion can drive
	quick   []int // those of them ramped quickly, for the first excursion

	rng       *rand.Rand // excursions: when, which and how long
	nextExc   float64    // when the next excursion starts, Unix seconds
	scheduled bool       // whether nextExc is set
	first     bool       // the excursion at nextExc is the FirstExcursion
	last      float64    // how far the levels have been advanced
	started   bool

	mu   sync.Mutex
	held map[string]time.Time // sensor → until when it is left alone; guarded by mu
}

// Hold leaves a sensor alone until until: no reading of it is made. A
// drill's excursion drives it meanwhile, and the simulator's normal values
// between the drill's readings would clear what the drill raised.
func (s *Simulator) Hold(sensor string, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == nil {
		s.held = map[string]time.Time{}
	}
	if until.After(s.held[sensor]) {
		s.held[sensor] = until
	}
}

// heldAt returns the sensors held at now, forgetting those whose hold
// has ended.
func (s *Simulator) heldAt(now time.Time) map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out map[string]bool
	for id, until := range s.held {
		if !now.Before(until) {
			delete(s.held, id)
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[id] = true
	}
	return out
}

// New returns a simulator of the sensors in snap, with excursions every
// DefaultExcursionEvery on average and the climate of Shangyu.
func New(snap *twin.Snapshot, seed uint64) *Simulator {
	s := &Simulator{
		ExcursionEvery: DefaultExcursionEvery,
		Climate:        Shangyu(),
		rng:            rand.New(rand.NewPCG(seed, 0x45584355525349)),
	}
	if snap == nil {
		return s
	}
	for ts := range twin.All[*twin.Sensor](snap) {
		x := newSensor(snap, seed, ts)
		if x.drive != nil {
			s.drivers = append(s.drivers, len(s.sensors))
			if x.rate <= 0 {
				s.quick = append(s.quick, len(s.sensors))
			}
		}
		s.sensors = append(s.sensors, x)
	}
	return s
}

// Len returns the number of sensors, and so of readings at each time.
func (s *Simulator) Len() int { return len(s.sensors) }

// Readings returns one reading of every sensor at now, in order of the
// sensors' IDs. Times should not go back; when they do, tank levels stand
// still until time has caught up.
func (s *Simulator) Readings(now time.Time) []telemetry.Reading {
	t := float64(now.Unix()) + float64(now.Nanosecond())/1e9
	if !s.started {
		s.started, s.last = true, t
	}
	if dt := t - s.last; dt > 0 {
		for _, x := range s.sensors {
			if x.lvl != nil {
				x.lvl.advance(dt)
			}
		}
		s.last = t
	}
	s.excursions(t)

	held := s.heldAt(now)
	rs := make([]telemetry.Reading, 0, len(s.sensors))
	for _, x := range s.sensors {
		if held[x.id] {
			continue
		}
		v := x.normal(s.Climate, t)
		if e := x.exc; e != nil {
			v += (e.target - v) * e.weight(t)
			if t >= e.end() {
				x.exc = nil
			}
		}
		v = math.Round(min(max(v, x.minV), x.maxV)*x.perUnit)/x.perUnit + 0 // + 0: no -0
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = min(max(0, x.lo), x.hi) // never happens with sane limits; never send it on
		}
		rs = append(rs, telemetry.Reading{Sensor: x.id, T: now, Value: v})
	}
	return rs
}

// maxBacklogS bounds the excursions started after a long silence: those
// due more than an hour before now are dropped.
const maxBacklogS = 3600

// excursions starts the excursions due by t.
func (s *Simulator) excursions(t float64) {
	every := s.ExcursionEvery.Seconds()
	if every <= 0 || len(s.drivers) == 0 {
		s.scheduled = false
		return
	}
	if !s.scheduled {
		if first := s.FirstExcursion.Seconds(); first > 0 && len(s.quick) > 0 {
			s.nextExc, s.scheduled, s.first = t+first, true, true
			return
		}
		s.nextExc, s.scheduled = t+s.rng.ExpFloat64()*every, true
		return
	}
	s.nextExc = max(s.nextExc, t-maxBacklogS)
	for s.nextExc <= t {
		start := s.nextExc
		s.nextExc += s.rng.ExpFloat64() * every
		hold := 120 + 180*s.rng.Float64() // two to five minutes past the limit
		among := s.drivers
		if s.first {
			among, s.first = s.quick, false
		}
		// A sensor already on an excursion is passed over for another.
		for range 5 {
			x := s.sensors[among[s.rng.IntN(len(among))]]
			if x.exc != nil {
				continue
			}
			if e := newExcursion(x, start, x.normal(s.Climate, t), hold); e.end() > t {
				x.exc = e
			}
			break
		}
	}
}

// Run sends the readings of every sensor to sink at once and then every
// interval of clock's time (one second if interval is not positive), each
// batch stamped with clock's time, until ctx is done. A sink error is not
// fatal: the next tick sends again. On a simulated clock the batches
// after the first are sent inside the clock's Advance, one per interval.
func (s *Simulator) Run(ctx context.Context, clock twin.Clock, interval time.Duration,
	sink func(context.Context, []telemetry.Reading) error) {
	if interval <= 0 {
		interval = time.Second
	}
	send := func(ctx context.Context) {
		_ = sink(ctx, s.Readings(clock.Now())) // the sink reports its own failures
	}
	if ctx.Err() != nil {
		return
	}
	send(ctx)
	twin.Every(ctx, clock, interval, send)
}
