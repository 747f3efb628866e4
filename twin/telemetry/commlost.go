package telemetry

import (
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// LimitGateway is the limit of a comm-lost alarm that stands for an
// enterprise's gateway, not one sensor: its Sensor and Subject are the
// enterprise's ID (the park's for the park's own sensors), its Value the
// sensors found silent and its Threshold the enterprise's sensors.
const LimitGateway = "gateway"

// tally is one enterprise's sensors at one look for silence.
type tally struct {
	total, silent int
	fresh         []*slot // silent, with no comm-lost alarm of their own yet
	// heard: sensors with a reading taken after the group's open gateway
	// alarm was raised (only while one is open)
	heard int
}

// staleSensors judges silence. No alarm is raised during the start-up
// grace (rules.commLost.startupGrace): every sensor's last reading
// predates the downtime, and the gateways need time to come back. The
// grace holds back raising only: a gateway's alarm still open from
// before the restart clears as soon as its sensors report again, grace
// or not. After it, a sensor silent past its timeout gets a comm-lost
// alarm of its own; but when nearly all of an enterprise's sensors are
// silent (gatewayShare, at least gatewayMinSensors), it is their gateway
// that went silent, and the enterprise gets one alarm for all of them. That
// alarm clears once the share is no longer met; the sensors still silent
// then are judged on their own, their silence counted from that moment.
//
// It looks only once the first sensor can have gone silent, or a reading
// came from an enterprise whose gateway alarm is open: readings only put
// the first later, and any change to the sensors or their alarms
// refreshes the slots, which makes it look again.
func (m *Monitor) staleSensors(now time.Time, ch *changes) {
	if m.staleOK && m.stale.before(now) && !m.gatewayWake {
		return
	}
	m.gatewayWake = false
	var next soonest
	rules := m.rules.CommLost
	grace := m.started.Add(rules.StartupGrace.D())
	inGrace := !now.After(grace)
	if inGrace && len(m.gateways) == 0 {
		next.at(now, grace)
		m.stale, m.staleOK = next, true
		return
	}
	tallies := make([]tally, len(m.groupKeys))
	// When each open gateway alarm was raised: it clears only on readings
	// taken after it, never on sensors not heard from since a restart
	// (those count their silence from the start, and are not silent yet).
	raised := make([]time.Time, len(m.groupKeys))
	snap := m.tw.Snapshot()
	for i, key := range m.groupKeys {
		if id := m.gateways[key]; id != "" {
			if a, ok := twin.Lookup[*twin.Alarm](snap, id); ok {
				raised[i] = a.RaisedAt
			}
		}
	}
	for _, sl := range m.order {
		t := &tallies[sl.group]
		t.total++
		if r := raised[sl.group]; !r.IsZero() && sl.has && sl.t.After(r) {
			t.heard++
		}
		if sl.open[twin.CommLost] != "" {
			t.silent++
			continue
		}
		last := m.started // a sensor never heard from counts from the start
		if sl.has {
			last = sl.t
		}
		if sl.quiet.After(last) {
			last = sl.quiet
		}
		if due := last.Add(sl.s.StaleAfter()); !now.After(due) {
			next.at(now, due)
			continue
		}
		t.silent++
		t.fresh = append(t.fresh, sl)
	}
	for i, key := range m.groupKeys { // alarm IDs in the same order every time
		t := &tallies[i]
		gone := t.total >= rules.GatewayMinSensors &&
			float64(t.silent) >= rules.GatewayShare*float64(t.total)-1e-9
		if id := m.gateways[key]; id != "" {
			unheard := float64(t.total-t.heard) >= rules.GatewayShare*float64(t.total)-1e-9
			if gone || unheard {
				continue // still the gateway's silence, alarmed once
			}
			m.clearGateway(key, id, now, ch)
			for _, sl := range t.fresh {
				sl.quiet = now
				next.at(now, now.Add(sl.s.StaleAfter()))
			}
			continue
		}
		if inGrace {
			continue // the grace holds back raising, never clearing
		}
		// One sensor newly silent says more on its own alarm than on its
		// gateway's.
		if gone && len(t.fresh) >= 2 {
			m.raiseGateway(key, t, now, ch)
			continue
		}
		for _, sl := range t.fresh {
			m.raiseAlarm(sl, twin.CommLost, "stale", sl.s.StaleAfterS, sl.value, now, ch)
		}
	}
	if inGrace { // nothing is raised before the grace ends: look again then
		next = soonest{}
		next.at(now, grace)
	}
	m.stale, m.staleOK = next, true
}

// raiseGateway raises the one comm-lost alarm of an enterprise's gateway.
func (m *Monitor) raiseGateway(key string, t *tally, now time.Time, ch *changes) {
	subject := key
	if subject == "" {
		subject = twin.ParkID
	}
	pos := t.fresh[0].s.Position
	if e, ok := twin.Lookup[*twin.Enterprise](m.tw.Snapshot(), key); ok && len(e.Parcel) > 0 {
		pos = e.Parcel.Bound().Center()
	}
	// As a sensor's own would be: blue, one step higher when it watches
	// a level 1 or 2 major hazard unit.
	level := twin.Blue
	for _, sl := range t.fresh {
		if sl.raise {
			level = level.Raise()
			break
		}
	}
	a := &twin.Alarm{
		ID: m.nextID(twin.KindAlarm), Sensor: subject, Subject: subject, Enterprise: key,
		Condition: twin.CommLost, Limit: LimitGateway, Threshold: float64(t.total), Value: float64(t.silent),
		Level: level, State: twin.AlarmActive, RaisedAt: now, Position: pos,
	}
	ch.cmds = append(ch.cmds, twin.Create{Entity: a})
	if ch.alarms == nil {
		ch.alarms = map[string]*twin.Alarm{}
	}
	ch.alarms[a.ID] = a
	m.gateways[key] = a.ID
	m.issueOrder(a, ch)
}

// clearGateway clears an enterprise's gateway alarm: enough of its
// sensors report again.
func (m *Monitor) clearGateway(key, id string, now time.Time, ch *changes) {
	delete(m.gateways, key)
	a := m.alarmCopy(id, ch)
	if a == nil {
		return
	}
	a.State, a.ClearedAt = twin.AlarmCleared, now
	ch.cmds = append(ch.cmds, twin.Update{Entity: a})
}

// autoClose closes the comm-lost alarms that cleared rules.commLost.autoClose
// ago or longer and that nobody acknowledged: communication came back by
// itself and nothing is left to do. The note says so; the alarm stays
// unacknowledged, for nobody acknowledged it.
func (m *Monitor) autoClose(snap *twin.Snapshot, now time.Time, ch *changes, next *soonest) {
	after := m.rules.CommLost.AutoClose.D()
	for a := range twin.All[*twin.Alarm](snap) {
		if a.Condition != twin.CommLost || a.State != twin.AlarmCleared || !a.AckedAt.IsZero() {
			continue
		}
		due := a.ClearedAt.Add(after)
		if !now.After(due) {
			next.at(now, due)
			continue
		}
		c := m.alarmCopy(a.ID, ch)
		c.State, c.ClosedAt, c.ClosedBy = twin.AlarmClosed, now, twin.ActorMonitor
		note := msg.New("alarm.note.autoClosed", "restored", a.ClearedAt.UTC().Format(time.RFC3339), "after", after.Seconds(),
			"rule", "commLost.autoClose")
		c.Note, c.NoteMsg = Messages.English(note), &note
		ch.cmds = append(ch.cmds, twin.Update{Entity: c})
	}
}
