package scenarios

// "Make a scenario from this": a replayed stretch of the journal as a
// drill of the same injects, on the park as it stood at the start.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// beijing is the zone the park's people read times in, for the
// scenario's title and start.
var beijing = time.FixedZone("CST", 8*60*60)

// Scenario makes a scenario of the replay's stretch, starting from the
// park as the journal says it stood at From (start park "journal"), whose
// injects are what arrived in it: each incident reported, each alarm
// raised (an excursion of its sensor: its recorded minutes when the
// replay has the history, else the alarm's value while it stood), each
// road closed or reopened; and a default set of expectations. It returns
// the scenario as Parse reads it back and its YAML. An empty id names it
// after the start.
func (r *Replay) Scenario(id string) (*Scenario, []byte, error) {
	w := r.w
	if id == "" {
		id = "replay-" + w.from.In(beijing).Format("20060102-1504")
	}
	total := ceilMinute(w.to.Sub(w.from))
	from, to := w.from.In(beijing).Format("2006-01-02 15:04"), w.to.In(beijing).Format("2006-01-02 15:04")
	sc := &Scenario{
		Metadata: Metadata{ID: id, Title: Text{Zh: fmt.Sprintf("复盘 %s 至 %s", from, to), En: fmt.Sprintf("Replay of %s to %s", from, to)},
			Objective: fmt.Sprintf("Drill again what the live park met from %s to %s (Beijing time): the same alarms, reports and road closures at the same times.", from, to),
			Level:     twin.LevelIV, Duration: Duration(total), Author: "parktwin replay " + r.id},
		Start: Start{Park: ParkJournal, Time: w.from.In(beijing)},
	}
	injects, alarms := w.arrivals(total)
	xs, err := w.excursions(alarms, r.hist, total)
	if err != nil {
		return nil, nil, err
	}
	injects = append(injects, xs...)
	if len(injects) == 0 {
		return nil, nil, twin.Invalid("", "nothing arrived from %s to %s: no report, alarm or road closed to drill", stamp(w.from), stamp(w.to))
	}
	slices.SortStableFunc(injects, func(a, b Inject) int { return cmp.Compare(a.At, b.At) })
	sc.Injects = injects
	for _, in := range injects {
		if in.Report != nil && in.Report.Level != 0 && in.Report.Level < sc.Metadata.Level {
			sc.Metadata.Level = in.Report.Level // the gravest reported
		}
	}
	sc.Expectations = defaultExpectations(injects)
	b, err := sc.Marshal()
	if err != nil {
		return nil, nil, fmt.Errorf("scenario of replay %s: %w", r.id, err)
	}
	head := fmt.Sprintf("# Made from replay %s of the live park's journal, %s to %s (UTC).\n"+
		"# The start is the park as its journal says it stood then; the injects are what arrived.\n",
		r.id, stamp(w.from), stamp(w.to))
	b = append([]byte(head), b...)
	b = []byte(strings.Replace(string(b), "\nexpectations:\n",
		"\nexpectations: # a default set, targets illustrative, unverified (domain.md §4)\n", 1))
	back, err := Parse(id+".yaml", b)
	if err != nil {
		return nil, nil, fmt.Errorf("scenario of replay %s: %w", r.id, err)
	}
	return back, b, nil
}

// arrivals returns the report and road injects of the window's events,
// and the alarms raised in it (their sensors' excursions come after).
func (w *window) arrivals(total time.Duration) ([]Inject, []*twin.Alarm) {
	var out []Inject
	var alarms []*twin.Alarm
	seen := map[string]twin.Entity{} // each entity as the last event left it
	prev := func(ev twin.Event) twin.Entity {
		if e, ok := seen[ev.Kind.String()+"/"+ev.ID]; ok {
			return e
		}
		e, _ := w.start.Get(ev.Kind, ev.ID)
		return e
	}
	for i, ev := range w.events {
		at := w.offset(w.at[i], total)
		switch e := ev.Entity.(type) {
		case *twin.Incident:
			old, _ := prev(ev).(*twin.Incident)
			switch {
			case ev.Op == twin.Created:
				out = append(out, Inject{At: Duration(w.offset(e.ReportedAt, total)), Report: reportOf(e, e.Reporter, "")})
			case old != nil && e.Reports > old.Reports:
				by := e.Reporter
				if n := len(e.Timeline); n > 0 && e.Timeline[n-1].By != "" {
					by = e.Timeline[n-1].By
				}
				for range e.Reports - old.Reports {
					out = append(out, Inject{At: Duration(at), Report: reportOf(e, by, "a further report of "+e.ID)})
				}
			}
		case *twin.Alarm:
			if ev.Op == twin.Created && e.Condition != twin.CommLost {
				alarms = append(alarms, e)
			}
		case *twin.Road:
			if old, ok := prev(ev).(*twin.Road); ok && old.Closed != e.Closed {
				out = append(out, Inject{At: Duration(at), Road: &RoadChange{ID: e.ID, Closed: e.Closed}})
			}
		}
		if ev.Entity != nil {
			seen[ev.Kind.String()+"/"+ev.ID] = ev.Entity
		}
	}
	return out, alarms
}

// reportOf is an incident told as its caller told it.
func reportOf(inc *twin.Incident, by, note string) *Report {
	r := &Report{Type: inc.Type, Entity: inc.Entity, Chemical: inc.Chemical, Level: inc.Level, Reporter: by}
	if inc.Entity == "" {
		p := inc.Position
		r.Point = &p
	}
	notes := []string{"as reported in the live park: " + inc.ID}
	if note != "" {
		notes = []string{note}
	}
	if inc.Alarm != "" {
		notes = append(notes, "raised from alarm "+inc.Alarm)
	}
	r.Note = strings.Join(notes, "; ")
	return r
}

// excursions returns an excursion inject for each alarm's sensor: with
// history, one a sensor along its recorded minutes over the window (the
// highest reading of each, the lowest for a low alarm) and each alarm's
// value at its raising; without, one an alarm, its value from its
// on-delay before the raising until it cleared.
func (w *window) excursions(alarms []*twin.Alarm, hist telemetry.HistoryStore, total time.Duration) ([]Inject, error) {
	bySensor := map[string][]*twin.Alarm{}
	var sensors []string
	for _, a := range alarms {
		if bySensor[a.Sensor] == nil {
			sensors = append(sensors, a.Sensor)
		}
		bySensor[a.Sensor] = append(bySensor[a.Sensor], a)
	}
	var out []Inject
	for _, id := range sensors {
		as := bySensor[id]
		var pts []point
		if hist != nil {
			low := as[0].Condition == twin.Low
			err := hist.Buckets(id, w.from.Truncate(time.Minute), w.to, func(b telemetry.Bucket) error {
				v := b.Max
				if low {
					v = b.Min
				}
				pts = append(pts, point{w.offset(b.Minute, total), v, false})
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("history of %s: %w", id, err)
			}
		}
		if len(pts) > 0 {
			for _, a := range as {
				pts = append(pts, point{w.offset(a.RaisedAt, total), a.Value, true})
			}
			out = append(out, excursionOf(id, pts))
			continue
		}
		var onDelay time.Duration
		if s, ok := twin.Lookup[*twin.Sensor](w.start, id); ok {
			onDelay = s.OnDelay()
		}
		for i, a := range as {
			start := w.offset(a.RaisedAt.Add(-onDelay), total)
			end := total
			if now, ok := twin.Lookup[*twin.Alarm](w.end, a.ID); ok && !now.ClearedAt.IsZero() {
				end = w.offset(now.ClearedAt, total)
			}
			if i+1 < len(as) {
				end = min(end, w.offset(as[i+1].RaisedAt.Add(-onDelay), total))
			}
			end = max(end, start)
			out = append(out, excursionOf(id, []point{{start, a.Value, true}, {end, a.Value, true}}))
		}
	}
	return out, nil
}

// point is a sensor's value at a time after the start; an alarm's value
// wins over a minute's of the same second.
type point struct {
	at    time.Duration
	value float64
	alarm bool
}

// excursionOf is an excursion of one sensor through pts, starting at the
// first of them.
func excursionOf(sensor string, pts []point) Inject {
	slices.SortStableFunc(pts, func(a, b point) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		if a.alarm != b.alarm && a.alarm {
			return -1
		}
		if a.alarm != b.alarm {
			return 1
		}
		return 0
	})
	pts = slices.CompactFunc(pts, func(a, b point) bool { return a.at == b.at })
	x := &Excursion{Sensors: []string{sensor}}
	for _, p := range pts {
		x.Profile = append(x.Profile, Sample{After: Duration(p.at - pts[0].at), Value: p.value})
	}
	return Inject{At: Duration(pts[0].at), Excursion: x}
}

// defaultExpectations are the usual targets for what the injects hold:
// the alarm acknowledged, the incident created, the plan confirmed, the
// first unit on scene.
func defaultExpectations(injects []Inject) []Expectation {
	var alarm, report bool
	var kind twin.IncidentType
	for _, in := range injects {
		alarm = alarm || in.Excursion != nil
		if in.Report != nil && !report {
			report, kind = true, in.Report.Type
		}
	}
	var out []Expectation
	if alarm {
		out = append(out, Expectation{ID: "ack", What: AlarmAcknowledged, Within: Duration(time.Minute), Of: FromFirstAlarm})
		out = append(out, Expectation{ID: "incident", What: IncidentCreated, Within: Duration(10 * time.Minute), Of: FromFirstAlarm, Type: kind})
	}
	if !alarm && !report {
		return out
	}
	of := FromReport
	if !report {
		of = FromFirstAlarm
	}
	return append(out,
		Expectation{ID: "plan", What: PlanConfirmed, Within: Duration(5 * time.Minute), Of: of},
		Expectation{ID: "first-unit", What: UnitOnScene, Within: Duration(300 * time.Second), Of: FromOrder})
}

// offset is t's time after the window's start, to the second, within the
// scenario's duration.
func (w *window) offset(t time.Time, total time.Duration) time.Duration {
	return min(max(t.Sub(w.from).Round(time.Second), 0), total)
}

// ceilMinute rounds d up to a whole minute.
func ceilMinute(d time.Duration) time.Duration {
	if r := d % time.Minute; r != 0 {
		d += time.Minute - r
	}
	return d
}
