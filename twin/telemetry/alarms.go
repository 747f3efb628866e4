package telemetry

import (
	"context"
	"fmt"
	"time"

	"parktwin/twin"
)

// changes collects the commands one batch of readings or one tick gives
// rise to, applied together in one Apply.
type changes struct {
	cmds    []twin.Command
	alarms  map[string]*twin.Alarm // alarms changed in this batch, latest version
	restore map[*slot]slot         // slots as they were before a change, for a failed apply
}

func (c *changes) empty() bool { return len(c.cmds) == 0 }

// evaluate checks a sensor's conditions after a reading.
func (m *Monitor) evaluate(sl *slot, v float64, t time.Time, ch *changes) {
	if sl.open[twin.CommLost] != "" {
		m.clearAlarm(sl, twin.CommLost, t, ch)
	}
	m.limitCondition(sl, twin.High, v, t, ch)
	m.limitCondition(sl, twin.Low, v, t, ch)
	m.rateCondition(sl, v, t, ch)
}

// limitCondition raises, raises higher or clears the high or low alarm:
// one alarm from the first crossing until the value is back inside the
// limit by more than the deadband.
func (m *Monitor) limitCondition(sl *slot, cond twin.Condition, v float64, t time.Time, ch *changes) {
	lim, db := sl.s.Limits, sl.s.Deadband
	var crossed string
	var threshold float64
	back := false
	switch cond {
	case twin.High:
		switch {
		case lim.HH != nil && v > *lim.HH:
			crossed, threshold = "HH", *lim.HH
		case lim.H != nil && v > *lim.H:
			crossed, threshold = "H", *lim.H
		}
		if inner := first(lim.H, lim.HH); inner != nil {
			back = v < *inner-db
		}
	case twin.Low:
		switch {
		case lim.LL != nil && v < *lim.LL:
			crossed, threshold = "LL", *lim.LL
		case lim.L != nil && v < *lim.L:
			crossed, threshold = "L", *lim.L
		}
		if inner := first(lim.L, lim.LL); inner != nil {
			back = v > *inner+db
		}
	}
	if sl.open[cond] != "" {
		switch {
		case crossed != "" && rank(crossed) > rank(sl.limit[cond]):
			m.raiseAlarmLevel(sl, cond, crossed, threshold, v, ch)
		case back:
			m.clearAlarm(sl, cond, t, ch)
		}
		return
	}
	if crossed == "" {
		sl.since[cond] = time.Time{}
		return
	}
	if sl.s.OnDelayS > 0 {
		if sl.since[cond].IsZero() {
			sl.since[cond] = t
		}
		if t.Sub(sl.since[cond]) < sl.s.OnDelay() {
			return
		}
	}
	sl.since[cond] = time.Time{}
	m.raiseAlarm(sl, cond, crossed, threshold, v, t, ch)
}

// rateWindow is the shortest span a rate of change is measured over, so
// that noise between readings a second apart is not taken for a trend.
const rateWindow = 30 * time.Second

func (m *Monitor) rateCondition(sl *slot, v float64, t time.Time, ch *changes) {
	limit := sl.s.RatePerMin
	if limit <= 0 {
		return
	}
	if sl.rateT.IsZero() {
		sl.rateV, sl.rateT = v, t
		return
	}
	dt := t.Sub(sl.rateT)
	if dt < rateWindow {
		return
	}
	rate := abs(v-sl.rateV) / dt.Minutes()
	sl.rateV, sl.rateT = v, t
	switch {
	case sl.open[twin.RateOfChange] == "" && rate > limit:
		m.raiseAlarm(sl, twin.RateOfChange, "rate", limit, rate, t, ch)
	case sl.open[twin.RateOfChange] != "" && rate <= limit:
		m.clearAlarm(sl, twin.RateOfChange, t, ch)
	}
}

func first(ps ...*float64) *float64 {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func rank(limit string) int {
	switch limit {
	case "HH", "LL":
		return 2
	case "H", "L":
		return 1
	}
	return 0
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// levelOf maps what was crossed to a warning level: HH and LL orange, H,
// L and a rate of change yellow, lost communication blue; one step higher
// on a level 1 or 2 major hazard unit.
func levelOf(sl *slot, limit string) twin.AlarmLevel {
	l := twin.Yellow
	switch limit {
	case "HH", "LL":
		l = twin.Orange
	case "stale":
		l = twin.Blue
	}
	if sl.raise {
		l = l.Raise()
	}
	return l
}

func (m *Monitor) raiseAlarm(sl *slot, cond twin.Condition, limit string, threshold, v float64, t time.Time, ch *changes) {
	a := &twin.Alarm{
		ID: m.nextID(twin.KindAlarm), Sensor: sl.s.ID, Subject: sl.s.Subject, Enterprise: sl.enterprise,
		Condition: cond, Limit: limit, Threshold: threshold, Value: v, Level: levelOf(sl, limit),
		State: twin.AlarmActive, RaisedAt: t, Position: sl.s.Position,
	}
	ch.cmds = append(ch.cmds, twin.Create{Entity: a})
	if ch.alarms == nil {
		ch.alarms = map[string]*twin.Alarm{}
	}
	ch.alarms[a.ID] = a
	sl.open[cond], sl.limit[cond] = a.ID, limit
	m.issueOrder(a, ch)
}

// raiseAlarmLevel moves an open alarm to a higher limit (H to HH): the
// same condition, the same alarm, a higher level.
func (m *Monitor) raiseAlarmLevel(sl *slot, cond twin.Condition, limit string, threshold, v float64, ch *changes) {
	a := m.alarmCopy(sl.open[cond], ch)
	if a == nil {
		return
	}
	a.Limit, a.Threshold, a.Value = limit, threshold, v
	if l := levelOf(sl, limit); l < a.Level {
		a.Level = l
	}
	ch.cmds = append(ch.cmds, twin.Update{Entity: a})
	sl.limit[cond] = limit
	if !m.hasOrder(a.ID, ch) {
		m.issueOrder(a, ch)
	}
}

func (m *Monitor) clearAlarm(sl *slot, cond twin.Condition, t time.Time, ch *changes) {
	a := m.alarmCopy(sl.open[cond], ch)
	sl.open[cond], sl.limit[cond], sl.since[cond] = "", "", time.Time{}
	if a == nil {
		return
	}
	a.State, a.ClearedAt = twin.AlarmCleared, t
	ch.cmds = append(ch.cmds, twin.Update{Entity: a})
}

// alarmCopy returns a copy of the alarm's latest version: as changed
// earlier in this batch, or as the twin holds it.
func (m *Monitor) alarmCopy(id string, ch *changes) *twin.Alarm {
	if a, ok := ch.alarms[id]; ok {
		c := *a
		ch.alarms[id] = &c
		return &c
	}
	a, ok := twin.Lookup[*twin.Alarm](m.tw.Snapshot(), id)
	if !ok {
		return nil
	}
	c := *a
	if ch.alarms == nil {
		ch.alarms = map[string]*twin.Alarm{}
	}
	ch.alarms[id] = &c
	return &c
}

// apply applies the collected commands. When they cannot be saved, the
// slots are rebuilt from the twin, which still holds the truth, and the
// error goes back to the caller, who answers or logs it.
func (m *Monitor) apply(ctx context.Context, ch *changes) error {
	// What the monitor decides on its own is its own change, made on
	// behalf of whoever's reading or tick woke it.
	if _, err := m.tw.Apply(twin.AsSystem(ctx, twin.ActorMonitor), ch.cmds...); err != nil {
		m.resync()
		return err
	}
	return nil
}

// resync forgets the slots' alarm state and reads it again from the twin.
func (m *Monitor) resync() {
	for _, sl := range m.slots {
		sl.open, sl.limit = [numConds]string{}, [numConds]string{}
	}
	m.seen = nil
	m.refresh(m.tw.Snapshot())
}

// AckAlarm records that the duty officer has seen the alarm.
func (m *Monitor) AckAlarm(ctx context.Context, id, by, note string) (*twin.Alarm, error) {
	return change(ctx, m, id, func(a *twin.Alarm, now time.Time) error {
		switch {
		case a.State == twin.AlarmClosed:
			return twin.StateRefused(twin.KindAlarm, id, a.State.String(), "state", "alarm "+id+" is closed")
		case !a.AckedAt.IsZero():
			return twin.StateRefused(twin.KindAlarm, id, a.State.String(), "state", "alarm "+id+" was acknowledged at "+a.AckedAt.Format(time.RFC3339))
		}
		a.AckedAt, a.AckedBy = now, by
		if note != "" {
			a.Note = note
		}
		if a.State == twin.AlarmActive {
			a.State = twin.AlarmAcknowledged
		}
		return nil
	})
}

// CloseAlarm closes an alarm whose condition has cleared.
func (m *Monitor) CloseAlarm(ctx context.Context, id, by, note string) (*twin.Alarm, error) {
	return change(ctx, m, id, func(a *twin.Alarm, now time.Time) error {
		switch a.State {
		case twin.AlarmClosed:
			return twin.StateRefused(twin.KindAlarm, id, a.State.String(), "state", "alarm "+id+" is closed already")
		case twin.AlarmActive, twin.AlarmAcknowledged:
			return twin.StateRefused(twin.KindAlarm, id, a.State.String(), "state", "the condition of alarm "+id+" is still present: an alarm closes once it has cleared")
		}
		if !a.State.Closable() {
			return twin.StateRefused(twin.KindAlarm, id, a.State.String(), "state", fmt.Sprintf("alarm %s is %s: it cannot be closed", id, a.State))
		}
		if a.AckedAt.IsZero() {
			a.AckedAt, a.AckedBy = now, by
		}
		a.State, a.ClosedAt, a.ClosedBy = twin.AlarmClosed, now, by
		if note != "" {
			a.Note = note
		}
		return nil
	})
}

// change applies fn to a copy of the entity id and stores the copy, under
// the Monitor's lock like every change the Monitor makes.
func change[E any, P interface {
	*E
	twin.Entity
}](ctx context.Context, m *Monitor, id string, fn func(P, time.Time) error) (P, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := twin.Lookup[P](m.tw.Snapshot(), id)
	if !ok {
		var zero P
		return nil, twin.NotFound(zero.Kind(), id)
	}
	c := P(new(E))
	*c = *e
	if err := fn(c, m.clock.Now()); err != nil {
		return nil, err
	}
	if _, err := m.tw.Apply(ctx, twin.Update{Entity: c}); err != nil {
		return nil, err
	}
	return c, nil
}
