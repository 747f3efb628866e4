package dispatch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/spatial"
)

// Desk is the dispatch desk of one twin: it takes incident reports
// (merging a second report of the same thing), plans responses, and
// carries confirmed ones through. Every change it makes is decided inside
// the twin's writer (twin.Decide) on the state it changes, so it races
// with nobody: not with itself, not with an operator's PATCH.
type Desk struct {
	tw    *twin.Twin
	rules *Rules
	zoner *Zoner

	mu    sync.Mutex // guards the graph and lastPlans
	graph *Graph
	gsnap *twin.Snapshot // the snapshot the graph was built from
	// lastPlans are the incidents' last plans, to say what changed.
	lastPlans map[string]planMemo
}

// Merging: a report within this distance and time of an open incident
// of the same type is the same incident.
const (
	mergeDistanceM = 100
	mergeWithin    = 10 * time.Minute
)

// NewDesk returns the desk of tw under rules.
func NewDesk(tw *twin.Twin, rules *Rules) *Desk {
	return &Desk{tw: tw, rules: rules, zoner: NewZoner(nil)}
}

// Rules returns the rules the desk plans by.
func (d *Desk) Rules() *Rules { return d.rules }

// Report is an incident as reported: its type, its place as an entity or
// a point (or an alarm to promote), the chemical, the level, who reports.
type Report struct {
	Type     string    `json:"type"`
	Entity   string    `json:"entity"`
	Point    []float64 `json:"point"`
	Alarm    string    `json:"alarm"`
	Chemical string    `json:"chemical"`
	Level    string    `json:"level"`
	Reporter string    `json:"reporter"`
	// Scope is what burns (seal, full-surface or dike) when the reporter
	// knows; empty, the rules default it from the level.
	Scope string `json:"scope,omitempty"`
	// SpillM3 is the volume spilled, when known.
	SpillM3 float64 `json:"spillM3,omitempty"`
	// NotGrave: the reporter (a dispatcher) may not change a level I or
	// II incident nor raise one to I or II by a further report merged
	// into it: that is a commander's (web/scope.go grave). Set by the
	// server from the caller's role, never read from the body.
	NotGrave bool `json:"-"`
}

// Report records an incident, or merges it into the open incident it
// repeats (the same entity, or within 100 m and 10 minutes). It returns
// the incident and whether it was merged. The check for a repeat runs in
// the twin's writer, so two reports of one fire made at once make one
// incident.
func (d *Desk) Report(ctx context.Context, rep Report) (*twin.Incident, bool, error) {
	var out *twin.Incident
	var merged bool
	err := d.decide(ctx, func(s *twin.Snapshot) ([]twin.Command, error) {
		now := d.tw.Clock().Now()
		inc, err := d.incidentOf(s, rep, now)
		if err != nil {
			return nil, err
		}
		for o := range twin.All[*twin.Incident](s) {
			if !o.Open() || o.Type != inc.Type {
				continue
			}
			same := inc.Entity != "" && o.Entity == inc.Entity
			near := spatial.Distance(o.Position, inc.Position) <= mergeDistanceM && now.Sub(o.ReportedAt) <= mergeWithin
			if !same && !near {
				continue
			}
			// A dispatcher's report may count on a level I or II incident,
			// not raise one to it nor name its chemical (its zones).
			if rep.NotGrave && inc.Level <= twin.LevelII && inc.Level < o.Level {
				return nil, twin.Reasoned(twin.EFORBIDDEN, "level", fmt.Sprintf("raising incident %s to level %s is a commander's", o.ID, inc.Level),
					msg.New("error.graveRaise", "incident", o.ID, "level", inc.Level.String()))
			}
			if rep.NotGrave && o.Level <= twin.LevelII && o.Chemical == "" && inc.Chemical != "" {
				return nil, twin.Reasoned(twin.EFORBIDDEN, "chemical", fmt.Sprintf("incident %s is level %s: naming its chemical is a commander's", o.ID, o.Level),
					msg.New("error.graveIncident", "incident", o.ID, "level", o.Level.String()))
			}
			m := *o
			m.Reports++
			m.Timeline = append(append([]twin.TimelineEntry(nil), o.Timeline...),
				step(now, rep.Reporter, msg.New("timeline.merged")))
			if inc.Level < m.Level {
				m.Timeline = append(m.Timeline, step(now, rep.Reporter, msg.New("timeline.raised", "from", m.Level.String(), "to", inc.Level.String())))
				m.Level = inc.Level
			}
			// A report from an alarm on a hazard unit names no chemical;
			// a caller naming the tank does: the incident gets its zones.
			if m.Chemical == "" && inc.Chemical != "" {
				m.Chemical = inc.Chemical
				m.Timeline = append(m.Timeline, step(now, rep.Reporter, msg.New("timeline.chemicalNamed", "chemical", inc.Chemical)))
			}
			out, merged = &m, true
			return []twin.Command{twin.Update{Entity: &m}}, nil
		}
		// The twin numbers it: the next free INC- number, never one
		// of a deleted incident.
		out = inc
		return []twin.Command{twin.Create{Entity: inc}}, nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, merged, nil
}

// decide applies the commands fn decides on, in the twin's writer against
// the park as it stands then (twin.Decide): nothing the desk reads can
// change before its decision is applied, so it never overwrites another
// change unseen.
func (d *Desk) decide(ctx context.Context, fn func(s *twin.Snapshot) ([]twin.Command, error)) error {
	_, err := d.tw.Apply(ctx, twin.Decide(fn))
	return err
}

// incidentOf checks a report and makes the incident it describes.
func (d *Desk) incidentOf(s *twin.Snapshot, rep Report, now time.Time) (*twin.Incident, error) {
	inc := &twin.Incident{State: twin.IncidentReported, Reporter: rep.Reporter, ReportedAt: now, Reports: 1,
		Chemical: rep.Chemical, Alarm: rep.Alarm, Scope: rep.Scope, SpillM3: rep.SpillM3}
	if err := inc.Type.UnmarshalText([]byte(rep.Type)); err != nil {
		return nil, twin.InField("type", err)
	}
	if err := inc.Level.UnmarshalText([]byte(rep.Level)); err != nil {
		return nil, twin.InField("level", err)
	}
	if rep.Reporter == "" {
		return nil, refuse(twin.EINVALID, "reporter", msg.New("error.noReporter"))
	}
	entity, chemFrom := rep.Entity, (*msg.Msg)(nil)
	var alarm *twin.Alarm
	if rep.Alarm != "" {
		a, ok := twin.Lookup[*twin.Alarm](s, rep.Alarm)
		if !ok {
			return nil, refuse(twin.EINVALID, "alarm", msg.New("error.noAlarm", "id", rep.Alarm))
		}
		alarm = a
		if entity == "" {
			entity = a.Subject
		}
	}
	switch {
	case entity != "" && rep.Point != nil:
		return nil, refuse(twin.EINVALID, "point", msg.New("error.twoPlaces"))
	case entity != "":
		e, ok := s.Get(twin.KindOfID(entity), entity)
		if !ok {
			return nil, refuse(twin.EINVALID, "entity", msg.New("error.noEntityID", "id", entity))
		}
		inc.Entity, inc.Position = entity, placeOf(e.Geometry())
		inc.Enterprise = twin.EnterpriseOf(e)
		if t, ok := e.(*twin.Tank); ok && inc.Chemical == "" {
			inc.Chemical = t.Chemical
		}
		// An alarm on a hazard unit or its sensor names no chemical: the
		// sensor's gas, or the worst of the unit's tanks, so that the
		// incident has its zones at once.
		if inc.Chemical == "" && alarm != nil {
			inc.Chemical, chemFrom = DefaultZoneConfig().chemicalOfAlarm(s, alarm, e)
		}
	case len(rep.Point) == 2:
		inc.Position = orb.Point{rep.Point[0], rep.Point[1]}
	default:
		return nil, refuse(twin.EINVALID, "point", msg.New("error.noPlace"))
	}
	if inc.Chemical != "" {
		if _, ok := s.Get(twin.KindChemical, inc.Chemical); !ok {
			return nil, refuse(twin.EINVALID, "chemical", msg.New("error.noChemical", "cas", inc.Chemical))
		}
	}
	inc.Timeline = []twin.TimelineEntry{step(now, rep.Reporter, msg.New("timeline.reported", "type", inc.Type.String(), "level", inc.Level.String()))}
	if chemFrom != nil {
		inc.Timeline = append(inc.Timeline, step(now, rep.Reporter, msg.New("timeline.chemicalFromAlarm", "chemical", inc.Chemical, "from", *chemFrom)))
	}
	return inc, nil
}

// Plan proposes the response to an incident without changing anything.
func (d *Desk) Plan(id string) (*Plan, error) {
	s := d.tw.Snapshot()
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, twin.NotFound(twin.KindIncident, id)
	}
	if !inc.Open() {
		return nil, refuse(twin.ECONFLICT, "state", msg.New("error.incidentClosed", "id", id))
	}
	now := d.tw.Clock().Now()
	z, err := d.zoner.Zones(s, inc, now)
	if err != nil {
		z = nil
	}
	p, err := d.rules.PlanWith(s, d.graphOf(s), inc, now, z)
	if err != nil {
		return nil, err
	}
	d.sayWhatChanged(p, z)
	return p, nil
}

// planMemo is what the desk remembers of an incident's last plan, to say
// what changed in the next.
type planMemo struct {
	weather *twin.Weather
	staging *Staging
	closed  int
}

// sayWhatChanged notes how the plan differs from the incident's last one:
// the wind, the staging point, the roads closed.
func (d *Desk) sayWhatChanged(p *Plan, z *IncidentZones) {
	cur := planMemo{staging: p.Staging, closed: len(p.ClosedRoads)}
	if z != nil {
		cur.weather = z.Weather
	}
	d.mu.Lock()
	if d.lastPlans == nil {
		d.lastPlans = map[string]planMemo{}
	}
	prev, ok := d.lastPlans[p.Incident]
	d.lastPlans[p.Incident] = cur
	d.mu.Unlock()
	if !ok {
		return
	}
	var what []msg.Msg
	if w0, w1 := prev.weather, cur.weather; w0 != nil && w1 != nil && w0.Differs(w1) {
		what = append(what, msg.New("plan.changed.wind", "deg", num0(w1.WindFromDeg), "ms", fmt.Sprintf("%.1f", w1.WindSpeedMS),
			"deg0", num0(w0.WindFromDeg), "ms0", fmt.Sprintf("%.1f", w0.WindSpeedMS)))
	}
	switch s0, s1 := prev.staging, cur.staging; {
	case s0 == nil && s1 != nil:
		what = append(what, msg.New("plan.changed.staged", "road", s1.Road))
	case s0 != nil && s1 == nil:
		what = append(what, msg.New("plan.changed.unstaged"))
	case s0 != nil && s1 != nil && (s0.Point[0] != s1.Point[0] || s0.Point[1] != s1.Point[1]):
		what = append(what, msg.New("plan.changed.moved", "road0", s0.Road, "deg0", num0(s0.BearingDeg), "side0", s0.Side,
			"road", s1.Road, "deg", num0(s1.BearingDeg), "side", s1.Side))
	}
	if prev.closed != cur.closed {
		what = append(what, msg.New("plan.changed.closed", "n", cur.closed, "n0", prev.closed))
	}
	if len(what) > 0 {
		var list []msg.Msg
		for i, m := range what {
			if i > 0 {
				list = append(list, msg.New("list.semi"))
			}
			list = append(list, m)
		}
		p.note(msg.New("plan.changed", "what", list))
	}
}

// graphOf returns the road graph of s, built again only when the roads
// have changed. The graph depends on the roads (and the park, for its
// projection) alone: alarms and vehicles moving do not rebuild it.
func (d *Desk) graphOf(s *twin.Snapshot) *Graph {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.graph == nil || !s.Unchanged(d.gsnap, twin.KindRoad) || !s.Unchanged(d.gsnap, twin.KindPark) {
		d.graph = NewGraph(s)
	}
	d.gsnap = s
	return d.graph
}

// placeOf returns a point for a geometry: itself, or the middle of its
// bounds.
func placeOf(g orb.Geometry) orb.Point {
	if p, ok := g.(orb.Point); ok {
		return p
	}
	if g == nil {
		return orb.Point{}
	}
	return g.Bound().Center()
}

func asError(err error, target **twin.Error) bool { return errors.As(err, target) }
