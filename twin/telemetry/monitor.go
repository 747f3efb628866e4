package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"parktwin/twin"
)

// Monitor takes readings, keeps every sensor's latest value in place and
// turns changes of state into commands on the twin: alarms, verification
// orders, escalations, tasks, safety codes, gradings.
//
// Readings never become events themselves (design rule 5): only a
// condition that appears, changes level or clears does. The Monitor is
// the only writer of alarms, orders, gradings and tasks, and it writes
// them under its own lock, so that one condition is one alarm however
// many readings arrive at once.
type Monitor struct {
	tw    *twin.Twin
	clock twin.Clock
	hist  HistoryStore
	rules Rules
	log   *slog.Logger

	// mu guards everything below, and is held while the Monitor's own
	// commands are applied.
	mu        sync.Mutex
	seen      *twin.Snapshot // the snapshot the slots were last refreshed from
	slots     map[string]*slot
	hint      []*slot        // the slot of each position of the last batches (lookup)
	units     map[string]int // unit ID → level of its latest design grading
	pending   []Bucket       // closed minutes waiting for Flush
	dirty     []*slot        // slots changed since the last DrainChanged
	stopped   bool           // Stop was called: readings are refused
	started   time.Time
	lastPrune time.Time
	ids       map[twin.Kind]int // the last number used for each managed kind's IDs

	// gateways holds the open comm-lost alarm of each enterprise whose
	// gateway went silent ("" for the park's own sensors), by its key;
	// gatewayWake says a reading came from one of them since the last
	// look, which may clear it (tick.go).
	gateways    map[string]string
	gatewayWake bool
	groupKeys   []string // the enterprises, by slot.group, in order of their first sensor

	// What lets a Tick with nothing to do return at once (tick.go).
	order   []*slot  // the slots in order of sensor ID
	stale   soonest  // no sensor goes silent before this
	staleOK bool     // stale is up to date with the slots
	last    lastTick // the last Tick that looked at the whole snapshot
	grades  gradeCache
	stock   stockWatch // low stock and overdue loans (stock.go)
}

// slot is one sensor's live state.
type slot struct {
	s          *twin.Sensor
	enterprise string
	group      int  // the index of enterprise in Monitor.groupKeys
	raise      bool // on a level 1 or 2 major hazard unit: alarms one level up

	has   bool
	value float64
	t     time.Time

	bucket Bucket

	open  [numConds]string    // the open alarm of each condition, "" when none
	limit [numConds]string    // the limit the open alarm stands at
	since [numConds]time.Time // when a condition began, for the on-delay

	rateV float64 // the reading the rate of change is measured from
	rateT time.Time

	// quiet is when the sensor's silence is counted from, if later than
	// its last reading: the time its gateway's alarm cleared while it
	// stayed silent, so that it gets its own timeout to follow the rest.
	quiet time.Time

	dirty bool // changed since the last DrainChanged
}

const numConds = int(twin.CommLost) + 1

// Config configures a Monitor.
type Config struct {
	Twin    *twin.Twin
	History HistoryStore // nil: no history
	Rules   Rules
	Logger  *slog.Logger
}

// New returns a Monitor of cfg.Twin, with its alarms' state and the last
// value of every sensor restored from the twin and the history.
func New(cfg Config) (*Monitor, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Monitor{
		tw: cfg.Twin, clock: cfg.Twin.Clock(), hist: cfg.History, rules: cfg.Rules, log: cfg.Logger,
		slots: map[string]*slot{}, units: map[string]int{}, ids: map[twin.Kind]int{},
		gateways: map[string]string{},
	}
	m.started = m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	snap := m.tw.Snapshot()
	for _, k := range []twin.Kind{twin.KindAlarm, twin.KindOrder, twin.KindGrading, twin.KindTask, twin.KindDanger} {
		for e := range snap.Entities(k) {
			if n := idNumber(e.EntityID()); n > m.ids[k] {
				m.ids[k] = n
			}
		}
	}
	m.refresh(snap)
	if m.hist != nil {
		err := m.hist.LastBuckets(func(b Bucket) error {
			if sl, ok := m.slots[b.Sensor]; ok {
				sl.bucket, sl.has, sl.value, sl.t = b, true, b.Last, b.LastT
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("restore history: %w", err)
		}
	}
	return m, nil
}

// idNumber returns the number at the end of an ID, "ALM-000012" → 12.
func idNumber(id string) int {
	i := strings.LastIndexByte(id, '-')
	n, _ := strconv.Atoi(id[i+1:])
	return n
}

// nextID returns a new ID of a managed kind. Must be called with m.mu held.
func (m *Monitor) nextID(k twin.Kind) string {
	m.ids[k]++
	width := 5
	if k == twin.KindAlarm || k == twin.KindOrder {
		width = 6
	}
	return fmt.Sprintf("%s%0*d", k.Prefix(), width, m.ids[k])
}

// refresh brings the slots up to date with the twin's sensors, keeping
// the live state of the sensors that remain. Must be called with m.mu held.
//
// The slots are rebuilt only when what they are built from changed: the
// sensors, their subjects, the hazard units and their gradings. Most
// changes are the Monitor's own alarms, orders, tasks and codes; for
// those only the open alarms are read again.
func (m *Monitor) refresh(snap *twin.Snapshot) {
	old := m.seen
	if snap == old {
		return
	}
	m.seen = snap
	m.staleOK = false
	rebuild := old == nil
	for _, k := range []twin.Kind{twin.KindSensor, twin.KindTank, twin.KindSewagePool, twin.KindWasteStore,
		twin.KindHazardUnit, twin.KindGrading} {
		rebuild = rebuild || !snap.Unchanged(old, k)
	}
	if !rebuild {
		if !snap.Unchanged(old, twin.KindAlarm) {
			m.openAlarms(snap, m.slots)
		}
		return
	}
	// The level of each unit, from its latest design grading.
	latest := map[string]*twin.Grading{}
	for g := range twin.All[*twin.Grading](snap) {
		if g.Basis != BasisDesign {
			continue
		}
		if l, ok := latest[g.Unit]; !ok || g.At.After(l.At) || (g.At.Equal(l.At) && g.ID > l.ID) {
			latest[g.Unit] = g
		}
	}
	clear(m.units)
	unitOf := map[string]string{} // tank or store → its unit
	for u := range twin.All[*twin.HazardUnit](snap) {
		if g, ok := latest[u.ID]; ok {
			m.units[u.ID] = g.Level
		}
		for _, id := range u.Tanks {
			unitOf[id] = u.ID
		}
		for _, id := range u.Stores {
			unitOf[id] = u.ID
		}
	}
	slots := make(map[string]*slot, snap.Len(twin.KindSensor))
	m.order = m.order[:0]
	m.groupKeys = m.groupKeys[:0]
	group := map[string]int{}
	for s := range twin.All[*twin.Sensor](snap) { // in order of ID
		sl, ok := m.slots[s.ID]
		if !ok {
			sl = &slot{bucket: Bucket{Sensor: s.ID}}
		}
		sl.s = s
		sl.enterprise = enterpriseOf(snap, s.Subject)
		g, ok := group[sl.enterprise]
		if !ok {
			g = len(m.groupKeys)
			group[sl.enterprise] = g
			m.groupKeys = append(m.groupKeys, sl.enterprise)
		}
		sl.group = g
		unit := s.Subject
		if u, ok := unitOf[s.Subject]; ok {
			unit = u
		}
		lvl := m.units[unit]
		sl.raise = lvl == 1 || lvl == 2
		slots[s.ID] = sl
		m.order = append(m.order, sl)
	}
	m.openAlarms(snap, slots)
	m.slots = slots
	clear(m.hint) // a hint may name a sensor deleted since
}

// openAlarms marks the open alarms in their slots, and the gateways'
// open alarms: after a restart they are the only memory of which
// conditions are present.
func (m *Monitor) openAlarms(snap *twin.Snapshot, slots map[string]*slot) {
	clear(m.gateways)
	for a := range twin.All[*twin.Alarm](snap) {
		if !a.Open() {
			continue
		}
		if a.Condition == twin.CommLost && a.Limit == LimitGateway {
			m.gateways[a.Enterprise] = a.ID
			continue
		}
		sl, ok := slots[a.Sensor]
		if !ok {
			continue
		}
		sl.open[a.Condition], sl.limit[a.Condition] = a.ID, a.Limit
	}
}

// enterpriseOf returns the enterprise that owns the entity id.
func enterpriseOf(snap *twin.Snapshot, id string) string {
	e, ok := snap.Get(twin.KindOfID(id), id)
	if !ok {
		return ""
	}
	return twin.EnterpriseOf(e)
}

// futureSlack is how far ahead of the twin's clock a reading may be
// stamped: gateways' clocks drift, by a second or two when they keep
// time. No more: a sensor takes only readings after its last, so one
// stamped a minute ahead would have it refuse every real reading for
// that minute.
const futureSlack = 5 * time.Second

// Ingest applies a batch of readings: each is refused on its own (unknown
// sensor, a time more than futureSlack ahead, not newer than the sensor's
// last reading) or taken. It returns the number taken and the refusals,
// indexed in readings. An error means the alarms the batch raised could
// not be saved; the readings themselves were taken.
func (m *Monitor) Ingest(ctx context.Context, readings []Reading) (int, []Rejection, error) {
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped {
		return 0, nil, errStopped
	}
	m.refresh(m.tw.Snapshot())
	var (
		rej      []Rejection
		accepted int
		ch       changes
	)
	for i, r := range readings {
		sl, ok := m.lookup(i, r.Sensor)
		switch {
		case !ok:
			rej = append(rej, unknownSensor(i, r.Sensor))
			continue
		case r.T.After(now.Add(futureSlack)):
			rej = append(rej, tooEarly(i, r.T, now))
			continue
		case r.T.Before(now.Add(-m.rules.History.Retention.D())):
			rej = append(rej, tooOld(i, r.T, now, m.rules.History.Retention.D()))
			continue
		case sl.has && !r.T.After(sl.t):
			rej = append(rej, notAfterLast(i, r.T, sl.t))
			continue
		}
		accepted++
		before, n := *sl, len(ch.cmds)
		m.take(sl, r.Value, r.T.UTC(), &ch)
		if len(ch.cmds) > n {
			// This reading changed a condition: should the change not
			// be saved, the slot goes back to before it, so that the
			// gateway's retry is taken and raises it again.
			if _, ok := ch.restore[sl]; !ok {
				if ch.restore == nil {
					ch.restore = map[*slot]slot{}
				}
				ch.restore[sl] = before
			}
		}
	}
	if ch.empty() {
		return accepted, rej, nil
	}
	if err := m.apply(ctx, &ch); err != nil {
		for sl, before := range ch.restore {
			*sl = before
		}
		return accepted, rej, err
	}
	return accepted, rej, nil
}

var errStopped = twin.Errorf(twin.EUNAVAILABLE, "", "monitoring has stopped: parkd is shutting down")

// Stop refuses readings from now on and writes every bucket held: the
// last thing the Monitor does at shutdown.
func (m *Monitor) Stop(ctx context.Context) error {
	m.mu.Lock()
	m.stopped = true
	m.mu.Unlock()
	return m.FlushAll(ctx)
}

// take puts a reading in its slot and its history bucket, and evaluates
// the sensor's conditions.
func (m *Monitor) take(sl *slot, v float64, t time.Time, ch *changes) {
	minute := t.Truncate(time.Minute)
	if sl.bucket.Count > 0 && !sl.bucket.Minute.Equal(minute) {
		if m.hist != nil {
			m.pending = append(m.pending, sl.bucket)
		}
		sl.bucket = Bucket{Sensor: sl.s.ID}
	}
	if sl.bucket.Count == 0 {
		sl.bucket.Minute = minute
	}
	sl.bucket.add(v, t)
	sl.has, sl.value, sl.t = true, v, t
	if m.gateways[sl.enterprise] != "" {
		m.gatewayWake = true
	}
	if !sl.dirty {
		sl.dirty = true
		m.dirty = append(m.dirty, sl)
	}
	m.evaluate(sl, v, t, ch)
}

// Latest returns a sensor's latest value and its time.
func (m *Monitor) Latest(sensor string) (float64, time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sl, ok := m.slots[sensor]
	if !ok || !sl.has {
		return 0, time.Time{}, false
	}
	return sl.value, sl.t, true
}

// Value is a sensor's latest value.
type Value struct {
	Value float64
	T     time.Time
}

// SensorValue is a sensor's latest value with its ID.
type SensorValue struct {
	Sensor string
	Value
}

// DrainChanged returns the latest value of every sensor that has taken a
// reading since the last call, in order of ID: one value per sensor
// however many readings came. It has one caller, the stream's ticker.
func (m *Monitor) DrainChanged() []SensorValue {
	m.mu.Lock()
	out := make([]SensorValue, 0, len(m.dirty))
	for _, sl := range m.dirty {
		sl.dirty = false
		if sl.has {
			out = append(out, SensorValue{sl.s.ID, Value{sl.value, sl.t}})
		}
	}
	clear(m.dirty)
	m.dirty = m.dirty[:0]
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b SensorValue) int { return strings.Compare(a.Sensor, b.Sensor) })
	return out
}

// Values returns the latest value of every sensor that has one.
func (m *Monitor) Values() map[string]Value {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]Value, len(m.slots))
	for id, sl := range m.slots {
		if sl.has {
			out[id] = Value{sl.value, sl.t}
		}
	}
	return out
}
