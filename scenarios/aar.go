package scenarios

// The after-action report (演练评估) of a drill: its timeline, its
// expectations judged, the units' response segments, the equipment, the
// map — all read from the drill's park and its log.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"parktwin/dispatch"
	"parktwin/scenarios/report"
	"parktwin/twin"
)

// Expectations returns the scenario's expectations as they stand now.
func (d *Drill) Expectations() []report.Expectation {
	p, st := d.current()
	s := p.inst.Twin().Snapshot()
	f := gather(s, p.origin, d.start)
	out := make([]report.Expectation, len(d.sc.Expectations))
	for i := range d.sc.Expectations {
		out[i] = f.judge(&d.sc.Expectations[i], s, p.inst.Desk(), st.DrillTime, st.State == StateEnded)
	}
	return out
}

// current returns the drill's pass and where it stands, together.
func (d *Drill) current() (*pass, State) {
	d.mu.Lock()
	p := d.cur
	d.mu.Unlock()
	return p, d.State()
}

// Report returns the drill's after-action report as it stands now; at
// the drill's end, its final one.
func (d *Drill) Report() *report.Report {
	p, st := d.current()
	md := d.sc.Metadata
	r := &report.Report{Kind: "drill", ID: d.id, Scenario: md.ID, Title: report.Text{Zh: md.Title.Zh, En: md.Title.En},
		Objective: md.Objective, Level: md.Level.String(), Start: d.sc.Start.Time,
		Elapsed: report.Of(st.DrillTime), Duration: report.Of(md.Duration.D()), State: st.State,
		Expectations: d.Expectations()}
	d.mu.Lock()
	log, actions := slices.Clone(p.log), slices.Clone(d.actions)
	d.mu.Unlock()
	reading{s: p.inst.Twin().Snapshot(), origin: p.origin, desk: p.inst.Desk(), start: d.start, log: log, actions: actions}.fill(r)
	return r
}

// reading is what a report is read from: a park as it stands, the park
// it began as (what is not in it was made since), the desk that sized
// its incidents, the moment drill time counts from, and the log of
// injects and the trainees' actions, if any.
type reading struct {
	s, origin *twin.Snapshot
	desk      *dispatch.Desk
	start     time.Time
	log       []LogEntry
	actions   []Action
}

// fill writes the timeline, the units, the equipment, the shortfalls and
// the map into r.
func (rd reading) fill(r *report.Report) {
	f := gather(rd.s, rd.origin, rd.start)
	r.Units, r.Equipment, r.Shortfalls = []report.Unit{}, []report.Equipment{}, []string{}
	if r.Expectations == nil {
		r.Expectations = []report.Expectation{}
	}
	r.Timeline = rd.timeline(f)
	for _, inc := range f.incidents {
		for _, a := range inc.Assignments {
			r.Units = append(r.Units, unitTimes(f, inc.ID, a))
		}
		for _, e := range inc.Equipment {
			r.Equipment = append(r.Equipment, report.Equipment{Incident: inc.ID, Warehouse: e.Warehouse, Type: e.Type,
				Quantity: e.Quantity, Unit: e.Unit, Items: e.Items, State: e.State.String()})
		}
		if needed, sent, ok := rd.desk.FoamCover(rd.s, inc); ok && sent < needed {
			r.Shortfalls = append(r.Shortfalls, fmt.Sprintf("%s: foam concentrate %.0f L sent of %.0f L needed", inc.ID, sent, needed))
		}
	}
	r.P90 = p90(r.Units)
	r.Map = drawMap(rd.s, f)
}

// timeline returns everything that happened, in order.
func (rd reading) timeline(f *facts) []report.Event {
	var out []report.Event
	add := func(t time.Time, kind, what, by string) {
		if at := f.since(t); at != nil {
			out = append(out, report.Event{At: report.Of(*at), Kind: kind, What: what, By: by})
		}
	}
	for _, e := range rd.log {
		kind := report.EventInject
		if strings.Contains(e.What, "] message: ") {
			kind = report.EventMessage
		}
		what := e.What
		if e.Error != "" {
			what += " — refused: " + e.Error
		}
		out = append(out, report.Event{At: report.Of(e.At), Kind: kind, What: what})
	}
	for _, a := range rd.actions {
		out = append(out, report.Event{At: report.Of(a.At), Kind: report.EventAction, What: a.Method + " " + a.Path})
	}
	for _, a := range f.alarms {
		add(a.RaisedAt, report.EventAlarm, fmt.Sprintf("%s raised: %s %s %s %v (limit %s %v)", a.ID, a.Sensor, a.Subject, a.Level, a.Value, a.Limit, a.Threshold), "")
		add(a.AckedAt, report.EventAlarm, a.ID+" acknowledged", a.AckedBy)
		add(a.ClearedAt, report.EventAlarm, a.ID+" cleared", "")
		add(a.ClosedAt, report.EventAlarm, a.ID+" closed", a.ClosedBy)
	}
	for o := range twin.All[*twin.Order](rd.s) {
		if _, old := rd.origin.Get(twin.KindOrder, o.ID); old {
			continue
		}
		add(o.IssuedAt, report.EventOrder, fmt.Sprintf("%s issued to %s for %s", o.ID, o.Enterprise, o.Alarm), "")
		add(o.AckedAt, report.EventOrder, o.ID+" acknowledged", o.AckedBy)
		if o.Feedback != nil {
			add(o.Feedback.At, report.EventOrder, fmt.Sprintf("%s answered: %s", o.ID, o.Feedback.Cause), o.Feedback.By)
		}
		add(o.ClosedAt, report.EventOrder, o.ID+" closed", o.ClosedBy)
	}
	for _, inc := range f.incidents {
		for _, e := range inc.Timeline {
			kind := report.EventIncident
			if strings.HasPrefix(e.What, "plan confirmed") {
				kind = report.EventPlan
			}
			add(e.At, kind, inc.ID+" "+e.What, e.By)
		}
		for _, a := range inc.Assignments {
			who := fmt.Sprintf("%s (%s) for %s", a.Vehicle, a.Team, inc.ID)
			add(a.TurnoutAt, report.EventUnit, who+" rolling", "")
			add(a.ArrivedAt, report.EventUnit, who+" on scene", "")
			add(a.ReturnedAt, report.EventUnit, who+" back", "")
		}
	}
	// Stable: lines at one time keep the order they were added in, which
	// is the same on every pass.
	slices.SortStableFunc(out, func(a, b report.Event) int { return cmp.Compare(a.At, b.At) })
	return out
}

// unitTimes returns a unit's segments in drill time.
func unitTimes(f *facts, inc string, a twin.Assignment) report.Unit {
	u := report.Unit{Incident: inc, Team: a.Team, Vehicle: a.Vehicle}
	if o := f.since(a.OrderedAt); o != nil {
		u.Ordered = report.Of(*o)
	}
	span := func(from, to time.Time) *report.Seconds {
		if from.IsZero() || to.IsZero() {
			return nil
		}
		return seconds(to.Sub(from))
	}
	if r := f.since(a.TurnoutAt); r != nil {
		u.Rolling = seconds(*r)
	}
	if s := f.since(a.ArrivedAt); s != nil {
		u.OnScene = seconds(*s)
	}
	u.Turnout, u.Travel, u.Response = span(a.OrderedAt, a.TurnoutAt), span(a.TurnoutAt, a.ArrivedAt), span(a.OrderedAt, a.ArrivedAt)
	return u
}

// p90 returns the nearest-rank 90th percentile of each segment over the
// units that completed it.
func p90(units []report.Unit) report.Segments {
	pick := func(get func(report.Unit) *report.Seconds) *report.Seconds {
		var vs []report.Seconds
		for _, u := range units {
			if v := get(u); v != nil {
				vs = append(vs, *v)
			}
		}
		if len(vs) == 0 {
			return nil
		}
		slices.Sort(vs)
		v := vs[int(math.Ceil(0.9*float64(len(vs))))-1]
		return &v
	}
	return report.Segments{Units: len(units),
		Turnout:  pick(func(u report.Unit) *report.Seconds { return u.Turnout }),
		Travel:   pick(func(u report.Unit) *report.Seconds { return u.Travel }),
		Response: pick(func(u report.Unit) *report.Seconds { return u.Response }),
	}
}

// drawMap returns the incidents and the units' routes; the bounds cover
// them, or the park when there is nothing to draw.
func drawMap(s *twin.Snapshot, f *facts) report.Map {
	m := report.Map{Incidents: []report.Place{}, Routes: []report.Route{}}
	var b orb.Bound
	first := true
	extend := func(p orb.Point) {
		if first {
			b, first = orb.Bound{Min: p, Max: p}, false
			return
		}
		b = b.Extend(p)
	}
	for _, inc := range f.incidents {
		m.Incidents = append(m.Incidents, report.Place{Label: inc.ID + " " + inc.Type.String(), Point: inc.Position})
		extend(inc.Position)
		for _, a := range inc.Assignments {
			r := report.Route{Vehicle: a.Vehicle, Line: [][2]float64{}}
			for _, id := range a.Route {
				if road, ok := twin.Lookup[*twin.Road](s, id); ok {
					for _, pt := range road.Line {
						r.Line = append(r.Line, pt)
						extend(pt)
					}
				}
			}
			m.Routes = append(m.Routes, r)
		}
	}
	if first {
		if pk := s.Park(); pk != nil {
			b = pk.Geometry().Bound()
		}
	}
	m.Bounds = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	return m
}
