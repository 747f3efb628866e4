package telemetry_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/msg"
	"parktwin/twin/telemetry"
)

// gateways is the demo park on a real bbolt file, with every sensor's
// enterprise ("" for the park's own) and a reading inside its limits.
type gateways struct {
	*durable
	ids    []string
	ent    map[string]string // sensor → its enterprise
	value  map[string]float64
	total  map[string]int // enterprise → its sensors
	before int            // alarms in the park when the test began
}

func newGateways(t *testing.T) *gateways {
	t.Helper()
	g := &gateways{durable: newDurableOf(t, demo.Generate(1, 1)),
		ent: map[string]string{}, value: map[string]float64{}, total: map[string]int{}}
	snap := g.tw.Snapshot()
	for s := range twin.All[*twin.Sensor](snap) {
		e, ok := snap.Get(twin.KindOfID(s.Subject), s.Subject)
		if ok {
			g.ent[s.ID] = twin.EnterpriseOf(e)
		}
		lo, hi := 0.0, 1.0
		if s.Limits.L != nil {
			lo = *s.Limits.L
		}
		if s.Limits.H != nil {
			hi = *s.Limits.H
		} else if s.Limits.HH != nil {
			hi = *s.Limits.HH
		}
		g.ids, g.value[s.ID] = append(g.ids, s.ID), (lo+hi)/2
		g.total[g.ent[s.ID]]++
	}
	g.before = len(alarms(snap))
	return g
}

// report sends one batch, a reading of every sensor but those silent, at
// the clock's time, as the gateways would.
func (g *gateways) report(t *testing.T, silent func(sensor string) bool) {
	t.Helper()
	var batch []telemetry.Reading
	for _, id := range g.ids {
		if silent == nil || !silent(id) {
			batch = append(batch, telemetry.Reading{Sensor: id, T: g.clock.Now(), Value: g.value[id]})
		}
	}
	if _, rej, err := g.m.Ingest(context.Background(), batch); err != nil || len(rej) > 0 {
		t.Fatalf("report: %d refused (%v), %v", len(rej), rej, err)
	}
}

// run moves the clock d, one tick a second, reporting every 30 s (at the
// first second too) unless silent is nil: sensors report at least every
// 120 s in the demo park.
func (g *gateways) run(t *testing.T, d time.Duration, silent func(string) bool) {
	t.Helper()
	for i := range int(d / time.Second) {
		g.clock.Advance(time.Second)
		if silent != nil && i%30 == 0 {
			g.report(t, silent)
		}
		if err := g.m.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// down stops parkd, lets time pass and starts it again.
func (g *gateways) down(t *testing.T, d time.Duration) {
	t.Helper()
	g.stop(t)
	g.clock.Advance(d)
	g.start(t)
}

// commLost returns the comm-lost alarms, by ID.
func (g *gateways) commLost() map[string]*twin.Alarm {
	out := map[string]*twin.Alarm{}
	for _, a := range alarms(g.tw.Snapshot()) {
		if a.Condition == twin.CommLost {
			out[a.ID] = a
		}
	}
	return out
}

func noneSilent(string) bool { return false }

func TestRestartAfterTenMinutesDownRaisesOneAlarmPerGateway(t *testing.T) {
	g := newGateways(t)
	grace := telemetry.DefaultRules().CommLost.StartupGrace.D()
	g.run(t, time.Minute, noneSilent)
	g.down(t, 10*time.Minute)

	// Nothing reports after the restart. During the grace, silence is not
	// judged, though every last reading is 11 minutes old (that the grace
	// is long enough, and holds back only raising:
	// TestCommLostStartupGraceHoldsBackGatewayAlarms,
	// TestCommLostGatewayAlarmClearsWithinTheGrace).
	g.run(t, grace, nil)
	if n := len(g.commLost()); n != 0 {
		t.Fatalf("%d comm-lost alarms within the start-up grace, want none", n)
	}
	// After it: one alarm per enterprise (and one for the park's own
	// sensors), not one per sensor.
	g.run(t, 5*time.Minute, nil)
	lost := g.commLost()
	per := map[string]int{}
	for _, a := range lost {
		per[a.Enterprise]++
		if a.Limit != telemetry.LimitGateway || a.Value != float64(g.total[a.Enterprise]) || a.Threshold != a.Value {
			t.Errorf("%s: limit %s, %v of %v silent; want the gateway's, all of %d", a.ID, a.Limit, a.Value, a.Threshold, g.total[a.Enterprise])
		}
	}
	for e := range g.total {
		if per[e] != 1 {
			t.Errorf("enterprise %q: %d comm-lost alarms, want 1", e, per[e])
		}
	}
	t.Logf("%d sensors silent after a restart: %d alarms, one per gateway", len(g.ids), len(lost))
	if len(lost) != len(g.total) || len(lost) >= len(g.ids)/10 {
		t.Fatalf("%d comm-lost alarms for %d enterprises", len(lost), len(g.total))
	}

	// The duty officer acknowledges one; then the gateways come back.
	var acked string
	for id := range lost {
		acked = id
		break
	}
	if _, err := g.m.AckAlarm(context.Background(), acked, "值班员", ""); err != nil {
		t.Fatal(err)
	}
	g.run(t, 2*time.Second, noneSilent)
	cleared := time.Time{}
	for id, a := range g.commLost() {
		if a.State != twin.AlarmCleared {
			t.Fatalf("%s is %s once its gateway reports again, want cleared", id, a.State)
		}
		cleared = a.ClearedAt
	}

	// Those nobody acknowledged close themselves after autoClose, not a
	// second before, and say so; the acknowledged one waits for the
	// officer.
	after := telemetry.DefaultRules().CommLost.AutoClose.D()
	g.run(t, cleared.Add(after).Sub(g.clock.Now()), noneSilent)
	for id, a := range g.commLost() {
		if a.State != twin.AlarmCleared {
			t.Fatalf("%s is %s at exactly autoClose (%s) after it cleared, want still cleared", id, a.State, after)
		}
	}
	g.run(t, time.Second, noneSilent)
	for id, a := range g.commLost() {
		switch {
		case id == acked && a.State != twin.AlarmCleared:
			t.Errorf("%s, acknowledged, is %s: only the officer closes it", id, a.State)
		case id != acked && (a.State != twin.AlarmClosed || a.ClosedBy != twin.ActorMonitor || !a.AckedAt.IsZero() ||
			!strings.Contains(a.Note, "closed by itself") || !a.ClosedAt.Equal(cleared.Add(after+time.Second))):
			t.Errorf("%s after autoClose: %s by %q at %v, acked %v, note %q", id, a.State, a.ClosedBy, a.ClosedAt, a.AckedAt, a.Note)
		case id != acked && (a.NoteMsg == nil || telemetry.Messages.English(*a.NoteMsg) != a.Note):
			t.Errorf("%s: the note %q is not its message %v", id, a.Note, a.NoteMsg)
		case id != acked:
			// When it came back, in Beijing time; how long it waited, in
			// words (autoClose is 1 h): not "2026-…T07:51:44Z", nor "1h0m0s".
			zh := telemetry.Messages.Render(msg.Zh, *a.NoteMsg)
			when := cleared.In(time.FixedZone("CST", 8*3600)).Format(time.DateTime)
			if !strings.Contains(zh, "通信已于 "+when+" 恢复，1 小时内无人确认") || !strings.Contains(a.Note, when+" (UTC+8) and not acknowledged within 1 h") {
				t.Errorf("%s: the note reads %q and %q, want the time %s (Beijing) and 1 h in words", id, a.Note, zh, when)
			}
		}
	}
}

func TestRestartWithOneGatewayDownAndOneSensorDead(t *testing.T) {
	g := newGateways(t)
	grace := telemetry.DefaultRules().CommLost.StartupGrace.D()
	g.run(t, time.Minute, noneSilent)
	g.down(t, 10*time.Minute)

	// ENT-0008's gateway stays down after the restart; the second
	// sensor's enterprise reports, all but that one sensor.
	deadEnt, deadSensor := "ENT-0008", g.ids[1]
	if g.ent[deadSensor] == deadEnt {
		t.Fatal("the fixture's dead sensor is in the dead gateway's enterprise")
	}
	silent := func(id string) bool { return id == deadSensor || g.ent[id] == deadEnt }
	g.run(t, grace+5*time.Minute, silent)

	lost := g.commLost()
	var gw, own []*twin.Alarm
	for _, a := range lost {
		if a.Limit == telemetry.LimitGateway {
			gw = append(gw, a)
		} else {
			own = append(own, a)
		}
	}
	if len(gw) != 1 || gw[0].Enterprise != deadEnt || gw[0].Subject != deadEnt {
		t.Errorf("gateway alarms %+v, want one, of %s", gw, deadEnt)
	}
	if len(own) != 1 || own[0].Sensor != deadSensor {
		t.Errorf("sensors' own alarms %+v, want one, of %s", own, deadSensor)
	}
	if len(alarms(g.tw.Snapshot())) != g.before+2 {
		t.Errorf("%d alarms, want %d", len(alarms(g.tw.Snapshot())), g.before+2)
	}

	// A second restart, ten minutes down again: the open alarms are
	// remembered, nothing new is raised.
	g.down(t, 10*time.Minute)
	g.run(t, grace+5*time.Minute, silent)
	if n := len(g.commLost()); n != 2 {
		t.Errorf("after a second restart: %d comm-lost alarms, want the same 2", n)
	}

	// ENT-0008's gateway comes back with one sensor still silent: the
	// gateway's alarm clears, and that sensor gets its own alarm once its
	// own timeout has passed since.
	still := ""
	for _, id := range g.ids {
		if g.ent[id] == deadEnt {
			still = id
		}
	}
	g.run(t, 2*time.Second, func(id string) bool { return id == deadSensor || id == still })
	if a := lost[gw[0].ID]; a != nil {
		if a2, _ := twin.Lookup[*twin.Alarm](g.tw.Snapshot(), a.ID); a2.State != twin.AlarmCleared {
			t.Errorf("the gateway's alarm is %s once it reports, want cleared", a2.State)
		}
	}
	g.run(t, 3*time.Minute, func(id string) bool { return id == deadSensor || id == still })
	var stillAlarm *twin.Alarm
	for _, a := range g.commLost() {
		if a.Sensor == still {
			stillAlarm = a
		}
	}
	if stillAlarm == nil || stillAlarm.Limit != "stale" {
		t.Errorf("%s, silent after its gateway came back: %+v, want its own alarm", still, stillAlarm)
	}
}

// The start-up grace holds back raising: gateways that come back within
// it raise nothing, though every last reading predates the downtime; a
// gateway still silent after it gets its one alarm as the grace ends,
// not before.
func TestCommLostStartupGraceHoldsBackGatewayAlarms(t *testing.T) {
	g := newGateways(t)
	grace := telemetry.DefaultRules().CommLost.StartupGrace.D()
	g.run(t, time.Minute, noneSilent)
	g.down(t, 10*time.Minute)
	started := g.clock.Now()

	// The gateways reconnect after a back-off near a minute and the demo's
	// sensors report at least every 120 s (rules.yaml): all but ENT-0008's
	// are back 2 min after the start, well within what the grace is for.
	const back = 2 * time.Minute
	deadEnt := "ENT-0008"
	if g.total[deadEnt] < telemetry.DefaultRules().CommLost.GatewayMinSensors {
		t.Fatalf("%s has %d sensors: too few for a gateway alarm", deadEnt, g.total[deadEnt])
	}
	dead := func(id string) bool { return g.ent[id] == deadEnt }
	g.run(t, back, nil)
	g.run(t, grace-back, dead)
	if lost := g.commLost(); len(lost) != 0 {
		for _, a := range lost {
			t.Errorf("%s (%s, %s) raised at +%s, within the start-up grace (%s)", a.ID, a.Enterprise, a.Limit, a.RaisedAt.Sub(started), grace)
		}
		t.Fatalf("%d comm-lost alarms within the grace, want none", len(lost))
	}

	// After it: one alarm, ENT-0008's gateway's, raised at the first look
	// past the grace.
	g.run(t, time.Minute, dead)
	lost := g.commLost()
	if len(lost) != 1 {
		t.Fatalf("%d comm-lost alarms after the grace, want 1 (%s's gateway)", len(lost), deadEnt)
	}
	for id, a := range lost {
		if a.Limit != telemetry.LimitGateway || a.Enterprise != deadEnt || a.State != twin.AlarmActive {
			t.Errorf("%s: %s alarm of %q, %s; want the active gateway alarm of %s", id, a.Limit, a.Enterprise, a.State, deadEnt)
		}
		if want := started.Add(grace + time.Second); !a.RaisedAt.Equal(want) {
			t.Errorf("%s raised at +%s, want +%s: as the grace ends", id, a.RaisedAt.Sub(started), want.Sub(started))
		}
	}
	if n := len(alarms(g.tw.Snapshot())); n != g.before+1 {
		t.Errorf("%d alarms, want %d", n, g.before+1)
	}
}

// A gateway's alarm left open by the last run clears at its sensors'
// first readings after a restart, within the start-up grace: the grace
// holds back raising, not clearing.
func TestCommLostGatewayAlarmClearsWithinTheGrace(t *testing.T) {
	g := newGateways(t)
	grace := telemetry.DefaultRules().CommLost.StartupGrace.D()
	g.run(t, time.Minute, noneSilent)
	g.down(t, 10*time.Minute)
	g.run(t, grace+5*time.Minute, nil) // nothing reports: one alarm per gateway
	gw := map[string]string{}          // enterprise → its gateway alarm
	for id, a := range g.commLost() {
		if a.Limit == telemetry.LimitGateway && a.State == twin.AlarmActive {
			gw[a.Enterprise] = id
		}
	}
	const ent = "ENT-0002"
	if gw[ent] == "" || len(gw) != len(g.total) {
		t.Fatalf("gateway alarms %v before the restart, want one per enterprise, %s's among them", gw, ent)
	}

	// parkd is down 10 minutes; after it starts, ENT-0002's sensors report
	// every 30 s from +30 s, the rest stay silent.
	g.down(t, 10*time.Minute)
	started := g.clock.Now()
	others := func(id string) bool { return g.ent[id] != ent }
	g.run(t, 29*time.Second, nil)
	if a, _ := twin.Lookup[*twin.Alarm](g.tw.Snapshot(), gw[ent]); a.State != twin.AlarmActive {
		t.Fatalf("%s is %s at +29 s with nothing reported, want active", a.ID, a.State)
	}
	g.run(t, time.Second, others)
	a, _ := twin.Lookup[*twin.Alarm](g.tw.Snapshot(), gw[ent])
	if want := started.Add(30 * time.Second); a.State != twin.AlarmCleared || !a.ClearedAt.Equal(want) {
		t.Fatalf("%s's gateway alarm %s is %s (cleared at %v) once its sensors report at +30 s (%v), within the grace (%s); want cleared then",
			ent, a.ID, a.State, a.ClearedAt, want, grace)
	}

	// Through the grace and past it: it stays cleared, nothing new is
	// raised for ENT-0002, the silent gateways' alarms stay active.
	g.run(t, grace+time.Minute, others)
	lost := g.commLost()
	if a := lost[gw[ent]]; a.State != twin.AlarmCleared {
		t.Errorf("%s is %s after the grace, want still cleared", a.ID, a.State)
	}
	for e, id := range gw {
		if e != ent && lost[id].State != twin.AlarmActive {
			t.Errorf("%s (%s, still silent) is %s, want active", id, e, lost[id].State)
		}
	}
	if len(lost) != len(gw) {
		t.Errorf("%d comm-lost alarms after the restart, want the same %d", len(lost), len(gw))
	}
}

// A gateway whose sensors were never heard from: its alarm, open when
// parkd stops, stays active through a restart and past the grace — the
// sensors not heard from since the start count their silence from it
// and are not silent yet, which is no reading that clears the alarm —
// and no second alarm is raised for it (the review of 2026-12-02 saw
// them cleared at the restart, "通信已于 … 恢复", with nothing heard).
func TestCommLostNeverHeardGatewayStaysAlarmedThroughARestart(t *testing.T) {
	g := newGateways(t)
	grace := telemetry.DefaultRules().CommLost.StartupGrace.D()
	g.run(t, grace+10*time.Minute, nil) // nothing ever reports: one alarm per gateway
	gw := map[string]string{}
	for id, a := range g.commLost() {
		if a.Limit == telemetry.LimitGateway && a.State == twin.AlarmActive {
			gw[a.Enterprise] = id
		}
	}
	if len(gw) != len(g.total) {
		t.Fatalf("gateway alarms %v before the restart, want one per enterprise (%d)", gw, len(g.total))
	}
	g.down(t, 10*time.Minute)
	for _, after := range []time.Duration{time.Second, grace, 5 * time.Minute} {
		g.run(t, after, nil)
		lost := g.commLost()
		for e, id := range gw {
			if lost[id].State != twin.AlarmActive {
				t.Fatalf("%s's gateway alarm %s is %s after the restart with nothing heard, want active", e, id, lost[id].State)
			}
		}
		if len(lost) != len(gw) {
			t.Fatalf("%d comm-lost alarms after the restart, want the same %d", len(lost), len(gw))
		}
	}
}
