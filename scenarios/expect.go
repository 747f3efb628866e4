package scenarios

// How a drill's expectations are judged: from its park as it stands, each
// thing an expectation waits for has a time on an entity (an alarm's
// acknowledgement, an assignment's arrival, an incident's timeline), so
// the judgement needs no record of its own and comes out the same on a
// drill played again.

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"parktwin/dispatch"
	"parktwin/scenarios/report"
	"parktwin/twin"
)

// facts are what a drill's trainees and park have done, in drill time,
// read from its park: only what the drill made counts, not what its park
// held when it started.
type facts struct {
	start      time.Time
	alarms     []*twin.Alarm    // the alarms the drill raised, by ID
	incidents  []*twin.Incident // the incidents reported in the drill, by ID
	firstAlarm *time.Duration
	report     *time.Duration // the first incident reported
	order      *time.Duration // the first plan confirmed
}

// gather reads the facts from the drill's park s; origin is the park the
// pass started with.
func gather(s, origin *twin.Snapshot, start time.Time) *facts {
	f := &facts{start: start}
	for a := range twin.All[*twin.Alarm](s) {
		if _, old := origin.Get(twin.KindAlarm, a.ID); old {
			continue
		}
		f.alarms = append(f.alarms, a)
		f.firstAlarm = earliest(f.firstAlarm, f.since(a.RaisedAt))
	}
	for inc := range twin.All[*twin.Incident](s) {
		if _, old := origin.Get(twin.KindIncident, inc.ID); old {
			continue
		}
		f.incidents = append(f.incidents, inc)
		f.report = earliest(f.report, f.since(inc.ReportedAt))
		f.order = earliest(f.order, f.confirmed(inc))
	}
	return f
}

// since returns t as drill time; nil for the zero time.
func (f *facts) since(t time.Time) *time.Duration {
	if t.IsZero() {
		return nil
	}
	d := t.Sub(f.start)
	return &d
}

// confirmed returns when the incident's plan was confirmed.
func (f *facts) confirmed(inc *twin.Incident) *time.Duration {
	for _, e := range inc.Timeline {
		if strings.HasPrefix(e.What, "plan confirmed") {
			return f.since(e.At)
		}
	}
	return nil
}

func earliest(a, b *time.Duration) *time.Duration {
	if a == nil || (b != nil && *b < *a) {
		return b
	}
	return a
}

// moment returns the drill time expectation e is measured from, nil
// while it has not come; next is the index of the next inject to apply.
func (f *facts) moment(e *Expectation, sc *Scenario, next int) *time.Duration {
	switch e.Of {
	case FromInject:
		if *e.Inject >= next {
			return nil
		}
		at := sc.Injects[*e.Inject].At.D()
		return &at
	case FromFirstAlarm:
		return f.firstAlarm
	case FromReport:
		return f.report
	case FromOrder:
		return f.order
	}
	zero := time.Duration(0)
	return &zero
}

// happened returns when what e waits for happened, if it has, and
// whether it happened as it should (false: a plan confirmed with too
// little foam).
func (f *facts) happened(e *Expectation, s *twin.Snapshot, desk *dispatch.Desk) (*time.Duration, bool) {
	var at *time.Duration
	switch e.What {
	// Alarms raised together are one event to the duty officer: the
	// first acknowledgement of any, and the first order for any, count.
	case AlarmAcknowledged:
		for _, a := range f.alarms {
			at = earliest(at, f.since(a.AckedAt))
		}
	case OrderIssued:
		raised := map[string]bool{}
		for _, a := range f.alarms {
			raised[a.ID] = true
		}
		for o := range twin.All[*twin.Order](s) {
			if raised[o.Alarm] {
				at = earliest(at, f.since(o.IssuedAt))
			}
		}
	case IncidentCreated:
		for _, inc := range f.incidents {
			if e.Type == 0 || inc.Type == e.Type {
				at = earliest(at, f.since(inc.ReportedAt))
			}
		}
	case PlanConfirmed:
		at = f.order
	case UnitOnScene:
		for _, inc := range f.incidents {
			for _, a := range inc.Assignments {
				at = earliest(at, f.since(a.ArrivedAt))
			}
		}
	case FoamMet:
		// Judged at the first plan confirmed for an incident that
		// needs foam: what it sent then is what the fire got first.
		for _, inc := range f.incidents {
			needed, sent, ok := desk.FoamCover(s, inc)
			if c := f.confirmed(inc); ok && c != nil && (at == nil || *c < *at) {
				at = c
				if sent < needed {
					return at, false
				}
			}
		}
	case CapabilityAssigned:
		// The vehicle must carry the means (the rules' table), and its
		// team be trained for it: a foam tender of a hazmat-trained team
		// does not seal a leak.
		for _, inc := range f.incidents {
			for _, a := range inc.Assignments {
				t, ok := twin.Lookup[*twin.Team](s, a.Team)
				if !ok || !slices.Contains(t.Capabilities, e.Capability) {
					continue
				}
				for _, v := range t.Vehicles {
					if v.ID == a.Vehicle && desk.Rules().VehicleCan(v.Type, e.Capability) {
						at = earliest(at, f.since(a.OrderedAt))
					}
				}
			}
		}
	case EvacuationOrdered:
		for _, inc := range f.incidents {
			for _, ev := range inc.Evacuations {
				if ev.Target == e.Target {
					at = earliest(at, f.since(ev.OrderedAt))
				}
			}
		}
	case UnderControl:
		for _, inc := range f.incidents {
			for _, te := range inc.Timeline {
				if te.What == twin.IncidentUnderControl.String() {
					at = earliest(at, f.since(te.At))
				}
			}
		}
	}
	return at, true
}

// judge returns how expectation e stands at drill time now; ended says
// the drill is over, so what has not happened never will.
func (f *facts) judge(e *Expectation, sc *Scenario, s *twin.Snapshot, desk *dispatch.Desk, st State) report.Expectation {
	now, ended := st.DrillTime, st.State == StateEnded
	out := report.Expectation{ID: e.ID, What: e.What.String(), Param: param(e), Of: e.Of.String(),
		Target: report.Of(e.Within.D()), Status: report.Pending}
	if e.Of == FromInject {
		out.Of = fmt.Sprintf("injects[%d]", *e.Inject)
	}
	of := f.moment(e, sc, st.Next)
	if of == nil {
		// What it is measured from never came: it cannot be met.
		if ended {
			out.Status, out.At = report.Missed, seconds(now)
		}
		return out
	}
	at, right := f.happened(e, s, desk)
	deadline := *of + e.Within.D()
	switch {
	case at != nil:
		took := max(*at-*of, 0)
		out.Took, out.At = seconds(took), seconds(*at)
		out.Status = report.Met
		if took > e.Within.D() || !right {
			out.Status = report.Missed
		}
	case now > deadline || ended:
		out.Status, out.At = report.Missed, seconds(min(deadline, now))
	}
	return out
}

// param returns the type, capability or target an expectation names.
func param(e *Expectation) string {
	switch {
	case e.Type != 0:
		return e.Type.String()
	case e.Capability != 0:
		return e.Capability.String()
	}
	return e.Target
}

func seconds(d time.Duration) *report.Seconds {
	s := report.Of(d)
	return &s
}
