package telemetry_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// base is 08:00 Beijing on 1 December 2026: the day shift's start.
var base = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// kpiHistory is a known alarm history around the day of 1 December
// (Beijing), under the shipped rules (flood > 10 in 10 min, standing
// after 24 h, chattering 3 in 1 min, shifts 00:00 / 08:00 / 16:00):
//   - a flood: SEN-F00…SEN-F10 raised 10 s apart from 09:00, acknowledged
//     after 60 s, 120 s, … 660 s;
//   - a chatterer: SEN-C high raised at 11:00, +20 s, +40 s and +5 min,
//     never acknowledged;
//   - SEN-S low raised 30 h before 08:00 and still present (standing from
//     02:00); SEN-U raised 26 h before, cleared an hour before 08:00
//     (standing 06:00–07:00); SEN-T raised 30 h before and cleared at
//     01:00, before it could stand;
//   - SEN-F00 high once more at 17:00, acknowledged after 30 s;
//   - SEN-S shelved 07:00–09:00 (仪表检修) and the first SEN-C alarm
//     shelved 11:00–11:30 (振荡，待整定), both by 值班员.
func kpiHistory() []*twin.Alarm {
	var as []*twin.Alarm
	add := func(sensor string, c twin.Condition, raised time.Time, ack, cleared time.Duration) *twin.Alarm {
		a := &twin.Alarm{ID: fmt.Sprintf("ALM-%05d", len(as)+1), Sensor: sensor, Subject: "TNK-" + sensor[4:],
			Enterprise: "ENT-0001", Condition: c, Level: twin.Yellow, State: twin.AlarmActive, RaisedAt: raised}
		if ack > 0 {
			a.AckedAt = raised.Add(ack)
		}
		if cleared > 0 {
			a.ClearedAt, a.State = raised.Add(cleared), twin.AlarmCleared
		}
		as = append(as, a)
		return a
	}
	shelve := func(a *twin.Alarm, from, until time.Time, reason string) {
		a.Shelvings = append(a.Shelvings, twin.Shelving{By: "值班员", Reason: reason, From: from, Until: until})
	}
	for i := range 11 {
		add(fmt.Sprintf("SEN-F%02d", i), twin.High, base.Add(time.Hour+time.Duration(i)*10*time.Second),
			time.Duration(i+1)*time.Minute, 0)
	}
	for _, d := range []time.Duration{0, 20 * time.Second, 40 * time.Second, 5 * time.Minute} {
		a := add("SEN-C", twin.High, base.Add(3*time.Hour+d), 0, 5*time.Second)
		if d == 0 {
			shelve(a, base.Add(3*time.Hour), base.Add(3*time.Hour+30*time.Minute), "振荡，待整定")
		}
	}
	shelve(add("SEN-S", twin.Low, base.Add(-30*time.Hour), 0, 0), base.Add(-time.Hour), base.Add(time.Hour), "仪表检修")
	add("SEN-U", twin.Low, base.Add(-26*time.Hour), 0, 25*time.Hour)
	add("SEN-T", twin.Low, base.Add(-30*time.Hour), 0, 23*time.Hour)
	add("SEN-F00", twin.High, base.Add(9*time.Hour), 30*time.Second, 0)
	return as
}

// The KPIs of the known history by shift and by day, each named: alarms,
// alarms per operator-hour, standing alarms, median and p90 time to
// acknowledge (interpolated between ranks), chattering, flood time and
// share, the top bad actors and their share.
func TestAlarmKPIsOfAKnownHistory(t *testing.T) {
	rules := telemetry.DefaultRules().AlarmManagement
	from, to := base.Add(-8*time.Hour), base.Add(16*time.Hour) // 1 December, 00:00–24:00 Beijing
	type kpi struct {
		Name                         string
		Alarms                       int
		PerOperatorHour              float64
		Standing, Chattering, Acked  int
		AckMedianS, AckP90S          *float64
		FloodS, FloodShare, TopShare float64
		TopActor                     string
		TopActorAlarms, NumBadActors int
		Shelved                      int
		ShelvedS                     float64
		Shelvings                    []string // sensor by reason, from–until (Beijing)
	}
	view := func(p telemetry.AlarmKPI) kpi {
		k := kpi{Name: p.Day + " " + p.Shift, Alarms: p.Alarms, PerOperatorHour: p.PerOperatorHour,
			Standing: p.Standing, Chattering: p.Chattering, Acked: p.Acked, AckMedianS: p.AckMedianS, AckP90S: p.AckP90S,
			FloodS: p.FloodS, FloodShare: p.FloodShare, TopShare: p.TopShare, NumBadActors: len(p.BadActors),
			Shelved: p.Shelved, ShelvedS: p.ShelvedS}
		bj := time.FixedZone("CST", 8*3600)
		for _, s := range p.Shelvings {
			k.Shelvings = append(k.Shelvings, fmt.Sprintf("%s %s %s %s–%s", s.Sensor, s.By, s.Reason,
				s.From.In(bj).Format("15:04"), s.Until.In(bj).Format("15:04")))
		}
		if len(p.BadActors) > 0 {
			k.TopActor, k.TopActorAlarms = p.BadActors[0].Sensor+"/"+p.BadActors[0].Condition.String(), p.BadActors[0].Alarms
		}
		return k
	}

	sensS, sensC := "SEN-S 值班员 仪表检修 07:00–09:00", "SEN-C 值班员 振荡，待整定 11:00–11:30"
	byShift := telemetry.AlarmKPIs(kpiHistory(), rules, from, to, telemetry.ByShift)
	var got []kpi
	for _, p := range byShift.Periods {
		got = append(got, view(p))
	}
	want := []kpi{
		// night: nothing raised; SEN-S standing from 02:00, SEN-U 06:00–07:00;
		// SEN-S shelved from 07:00, an hour of the shift
		{Name: "2026-12-01 night", Standing: 2, Shelved: 1, ShelvedS: 3600, Shelvings: []string{sensS}},
		// day: 11 flood alarms + 4 chattering = 15 in 8 h = 1.875/h;
		// acks 60…660 s: median the 6th (360), p90 rank 9 (600); flood
		// from the 11th raise (09:01:40) to the first's leaving (09:10),
		// 500 s of 28 800 = 0.017; top 10: SEN-C 4 + nine SEN-F 1 = 13/15
		{Name: "2026-12-01 day", Alarms: 15, PerOperatorHour: 1.875, Standing: 1, Chattering: 1, Acked: 11,
			AckMedianS: ptr(360), AckP90S: ptr(600), FloodS: 500, FloodShare: 0.017, TopShare: 0.867,
			TopActor: "SEN-C/high", TopActorAlarms: 4, NumBadActors: 10,
			// SEN-S shelved until 09:00 (1 h), SEN-C 11:00–11:30
			Shelved: 2, ShelvedS: 5400, Shelvings: []string{sensS, sensC}},
		// evening: SEN-F00 once, acknowledged after 30 s
		{Name: "2026-12-01 evening", Alarms: 1, PerOperatorHour: 0.125, Standing: 1, Acked: 1,
			AckMedianS: ptr(30), AckP90S: ptr(30), TopShare: 1, TopActor: "SEN-F00/high", TopActorAlarms: 1, NumBadActors: 1},
	}
	if d := cmp.Diff(got, want); d != "" {
		t.Errorf("KPIs by shift (-got +want):\n%s", d)
	}

	byDay := telemetry.AlarmKPIs(kpiHistory(), rules, from, to, telemetry.ByDay)
	// the day: 16 in 24 h; acks 30, 60…660 s: median between the 6th and
	// 7th (300, 360) 330, p90 at rank 9.9 594; 500 s of 86 400 = 0.006;
	// top 10: SEN-C 4, SEN-F00 2, eight more 1 = 14/16
	wantDay := kpi{Name: "2026-12-01 ", Alarms: 16, PerOperatorHour: 0.667, Standing: 2, Chattering: 1, Acked: 12,
		AckMedianS: ptr(330), AckP90S: ptr(594), FloodS: 500, FloodShare: 0.006, TopShare: 0.875,
		TopActor: "SEN-C/high", TopActorAlarms: 4, NumBadActors: 10,
		Shelved: 2, ShelvedS: 9000, Shelvings: []string{sensS, sensC}}
	if len(byDay.Periods) != 1 {
		t.Fatalf("by day: %d periods, want 1", len(byDay.Periods))
	}
	if d := cmp.Diff(view(byDay.Periods[0]), wantDay); d != "" {
		t.Errorf("KPIs of the day (-got +want):\n%s", d)
	}
	wantTotal := wantDay
	wantTotal.Name = " " // the whole range: no day, no shift
	if d := cmp.Diff(view(byDay.Total), wantTotal); d != "" {
		t.Errorf("the total (-got +want):\n%s", d)
	}

	// The review: the flood, the standing alarm at the end, the chatterer.
	wantFlood := []telemetry.Span{{From: base.Add(time.Hour + 100*time.Second), To: base.Add(time.Hour + 10*time.Minute), Peak: 11}}
	if d := cmp.Diff(byDay.Floods, wantFlood); d != "" {
		t.Errorf("floods (-got +want):\n%s", d)
	}
	if len(byDay.Standing) != 1 || byDay.Standing[0].Sensor != "SEN-S" {
		t.Errorf("standing at the end: %+v, want SEN-S alone", byDay.Standing)
	}
	if len(byDay.Chattering) != 1 {
		t.Fatalf("chattering: %+v, want SEN-C alone", byDay.Chattering)
	}
	c := byDay.Chattering[0]
	if c.Sensor != "SEN-C" || c.Alarms != 4 || c.MaxInWindow != 3 || !c.First.Equal(base.Add(3*time.Hour)) ||
		!c.Last.Equal(base.Add(3*time.Hour+5*time.Minute)) {
		t.Errorf("chattering: %+v", c)
	}
}

// Ten alarms in ten minutes are not a flood, eleven are (more than
// flood.alarms); three raises of one sensor condition 60 s apart in all
// are not chattering (within the 1-minute window means less than 60 s).
func TestFloodAndChatterBounds(t *testing.T) {
	rules := telemetry.DefaultRules().AlarmManagement
	mk := func(n int, sensor string, every time.Duration) []*twin.Alarm {
		var as []*twin.Alarm
		for i := range n {
			s := sensor
			if s == "" {
				s = fmt.Sprintf("SEN-%02d", i)
			}
			as = append(as, &twin.Alarm{ID: fmt.Sprintf("ALM-%05d", i+1), Sensor: s, Condition: twin.High,
				RaisedAt: base.Add(time.Duration(i) * every)})
		}
		return as
	}
	for _, tt := range []struct {
		name              string
		alarms            []*twin.Alarm
		floods, chatterer int
	}{
		{"ten in ten minutes", mk(10, "", 59*time.Second), 0, 0},
		{"eleven in ten minutes", mk(11, "", 59*time.Second), 1, 0},
		{"three of one sensor in 60 s", mk(3, "SEN-X", 30*time.Second), 0, 0},
		{"three of one sensor in 58 s", mk(3, "SEN-X", 29*time.Second), 0, 1},
	} {
		rep := telemetry.AlarmKPIs(tt.alarms, rules, base.Add(-time.Hour), base.Add(time.Hour), telemetry.ByDay)
		if len(rep.Floods) != tt.floods || len(rep.Chattering) != tt.chatterer {
			t.Errorf("%s: %d floods, %d chattering; want %d, %d", tt.name, len(rep.Floods), len(rep.Chattering), tt.floods, tt.chatterer)
		}
	}
}

// BenchmarkAlarmKPIs: a month's report by shift over 10,000 alarms of 500
// sensor conditions (the ×10 park's history the console aims to load).
func BenchmarkAlarmKPIs(b *testing.B) {
	rules := telemetry.DefaultRules().AlarmManagement
	var as []*twin.Alarm
	for i := range 10000 {
		raised := base.Add(time.Duration(i) * 259 * time.Second) // ~30 days
		a := &twin.Alarm{ID: fmt.Sprintf("ALM-%06d", i+1), Sensor: fmt.Sprintf("SEN-%05d", i%500), Condition: twin.High,
			Level: twin.Yellow, State: twin.AlarmCleared, RaisedAt: raised, ClearedAt: raised.Add(10 * time.Minute)}
		if i%3 != 0 {
			a.AckedAt = raised.Add(time.Duration(i%600) * time.Second)
		}
		as = append(as, a)
	}
	from, to := base, base.Add(30*24*time.Hour)
	b.ResetTimer()
	for b.Loop() {
		telemetry.AlarmKPIs(as, rules, from, to, telemetry.ByShift)
	}
}
