package web

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// kpiHistory is a year of alarms before a week's report and the week
// itself: a steady trickle, floods (one running across the report's
// start), a chattering sensor at the start, alarms raised long before
// and still present (standing), and some cleared just after the cut.
func kpiHistory(seed uint64, n int, from time.Time) []*twin.Alarm {
	rng := rand.New(rand.NewPCG(seed, 1))
	start := from.AddDate(-1, 0, 0)
	span := from.Add(7 * 24 * time.Hour).Sub(start)
	var as []*twin.Alarm
	add := func(raised time.Time, sensor string, present time.Duration) {
		a := &twin.Alarm{ID: fmt.Sprintf("ALM-%07d", len(as)+1), Sensor: sensor, Condition: twin.High,
			Level: twin.Yellow, State: twin.AlarmCleared, RaisedAt: raised}
		if present > 0 {
			a.ClearedAt = raised.Add(present)
		} else {
			a.State = twin.AlarmActive
		}
		if rng.IntN(3) != 0 {
			a.AckedAt = raised.Add(time.Duration(rng.IntN(600)) * time.Second)
		}
		as = append(as, a)
	}
	for range n {
		present := time.Duration(rng.IntN(3600)) * time.Second
		if rng.IntN(200) == 0 {
			present = 0 // still present: standing at the report's end
		}
		add(start.Add(time.Duration(rng.Int64N(int64(span)))), fmt.Sprintf("SEN-%05d", rng.IntN(500)), present)
	}
	for _, at := range []time.Time{from.Add(-90 * time.Minute), from.Add(-20 * time.Minute), from.Add(-3 * time.Minute), from.Add(30 * time.Hour)} {
		for i := range 60 { // a flood: 60 alarms in 10 minutes
			add(at.Add(time.Duration(i)*10*time.Second), fmt.Sprintf("SEN-F%03d", i), 5*time.Minute)
		}
	}
	for i := range 12 { // chattering across the start
		add(from.Add(time.Duration(i-6)*time.Minute), "SEN-CHAT", 30*time.Second)
	}
	add(from.AddDate(0, -2, 0), "SEN-OLD", 0)                          // standing for months
	add(from.AddDate(0, -1, 0), "SEN-OLD2", 31*24*time.Hour-time.Hour) // cleared an hour before from
	return as
}

// The report from the alarms that can change it is the report from the
// whole history, by day and by shift, over ranges that start inside a
// flood, a chatter, and far from any.
func TestAlarmReportOfTheWindowIsTheWhole(t *testing.T) {
	rules := telemetry.DefaultRules().AlarmManagement
	from := time.Date(2026, 11, 20, 0, 0, 0, 0, beijingZone).UTC()
	for seed := range uint64(4) {
		as := kpiHistory(seed, 20000, from)
		for _, r := range []struct{ from, to time.Time }{
			{from, from.Add(7 * 24 * time.Hour)},
			{from.Add(-15 * time.Minute), from.Add(2 * 24 * time.Hour)},
			{from.Add(-85 * time.Minute), from.Add(time.Hour)},
			{from.Add(30*time.Hour + 5*time.Minute), from.Add(40 * time.Hour)},
			{from.AddDate(0, -3, 0), from.AddDate(0, -3, 7)},
		} {
			for _, by := range []string{telemetry.ByDay, telemetry.ByShift} {
				var before []*twin.Alarm
				for _, a := range as {
					if a.RaisedAt.Before(r.to) {
						before = append(before, a)
					}
				}
				want := telemetry.AlarmKPIs(before, rules, r.from, r.to, by)
				got := alarmReport(slices.Values(as), rules, r.from, r.to, by)
				if diff := cmp.Diff(got, want); diff != "" {
					t.Errorf("seed %d, %s to %s by %s (-got +want):\n%s", seed, r.from, r.to, by, diff)
				}
			}
		}
	}
}

// BenchmarkAlarmReport: six days' report by shift from a year of 100,000
// alarms (no flood across its start), from the whole history (all) and
// from the alarms that can change it (window), as GET
// /api/v1/alarm-kpis makes it.
func BenchmarkAlarmReport(b *testing.B) {
	rules := telemetry.DefaultRules().AlarmManagement
	from := time.Date(2026, 11, 20, 0, 0, 0, 0, beijingZone).UTC()
	as := kpiHistory(1, 100000, from)
	from, to := from.Add(24*time.Hour), from.Add(7*24*time.Hour)
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			telemetry.AlarmKPIs(slices.Clone(as), rules, from, to, telemetry.ByShift)
		}
	})
	b.Run("window", func(b *testing.B) {
		for b.Loop() {
			alarmReport(slices.Values(as), rules, from, to, telemetry.ByShift)
		}
	})
}
