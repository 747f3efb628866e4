package dispatch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/spatial"
)

// Desk is the dispatch desk of one twin: it takes incident reports
// (merging a second report of the same thing) and plans responses. It is
// the only writer of incidents, under its own lock, so that two reports
// of one fire arriving together make one incident.
type Desk struct {
	tw    *twin.Twin
	rules *Rules

	mu    sync.Mutex
	ids   int
	graph *Graph
	gsnap *twin.Snapshot // the snapshot the graph was built from
}

// Merging: a report within this distance and time of an open incident
// of the same type is the same incident.
const (
	mergeDistanceM = 100
	mergeWithin    = 10 * time.Minute
)

// NewDesk returns the desk of tw under rules.
func NewDesk(tw *twin.Twin, rules *Rules) *Desk {
	d := &Desk{tw: tw, rules: rules}
	for i := range twin.All[*twin.Incident](tw.Snapshot()) {
		if n := idNumber(i.ID); n > d.ids {
			d.ids = n
		}
	}
	return d
}

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
}

// Report records an incident, or merges it into the open incident it
// repeats (the same entity, or within 100 m and 10 minutes). It returns
// the incident and whether it was merged.
func (d *Desk) Report(ctx context.Context, rep Report) (*twin.Incident, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.tw.Snapshot()
	now := d.tw.Clock().Now()
	inc, err := d.incidentOf(s, rep, now)
	if err != nil {
		return nil, false, err
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
		m := *o
		m.Reports++
		m.Timeline = append(append([]twin.TimelineEntry(nil), o.Timeline...),
			twin.TimelineEntry{At: now, What: "a further report merged", By: rep.Reporter})
		if inc.Level < m.Level {
			m.Timeline = append(m.Timeline, twin.TimelineEntry{At: now, What: fmt.Sprintf("level raised from %s to %s", m.Level, inc.Level), By: rep.Reporter})
			m.Level = inc.Level
		}
		if _, err := d.tw.Apply(ctx, twin.Update{Entity: &m}); err != nil {
			return nil, false, err
		}
		return &m, true, nil
	}
	d.ids++
	inc.ID = fmt.Sprintf("INC-%05d", d.ids)
	if _, err := d.tw.Apply(ctx, twin.Create{Entity: inc}); err != nil {
		d.ids--
		return nil, false, err
	}
	return inc, false, nil
}

// incidentOf checks a report and makes the incident it describes.
func (d *Desk) incidentOf(s *twin.Snapshot, rep Report, now time.Time) (*twin.Incident, error) {
	inc := &twin.Incident{State: twin.IncidentReported, Reporter: rep.Reporter, ReportedAt: now, Reports: 1,
		Chemical: rep.Chemical, Alarm: rep.Alarm}
	if err := inc.Type.UnmarshalText([]byte(rep.Type)); err != nil {
		return nil, twin.Invalid("type", "%s", twin.ErrorMessage(err))
	}
	if err := inc.Level.UnmarshalText([]byte(rep.Level)); err != nil {
		return nil, twin.Invalid("level", "%s", twin.ErrorMessage(err))
	}
	if rep.Reporter == "" {
		return nil, twin.Invalid("reporter", "required: who reports")
	}
	entity := rep.Entity
	if rep.Alarm != "" {
		a, ok := twin.Lookup[*twin.Alarm](s, rep.Alarm)
		if !ok {
			return nil, twin.Invalid("alarm", "no alarm %s", rep.Alarm)
		}
		if entity == "" {
			entity = a.Subject
		}
	}
	switch {
	case entity != "" && rep.Point != nil:
		return nil, twin.Invalid("point", "give the place as an entity or a point, not both")
	case entity != "":
		e, ok := s.Get(twin.KindOfID(entity), entity)
		if !ok {
			return nil, twin.Invalid("entity", "no entity %s", entity)
		}
		inc.Entity, inc.Position = entity, placeOf(e.Geometry())
		inc.Enterprise = twin.EnterpriseOf(e)
		if t, ok := e.(*twin.Tank); ok && inc.Chemical == "" {
			inc.Chemical = t.Chemical
		}
	case len(rep.Point) == 2:
		inc.Position = orb.Point{rep.Point[0], rep.Point[1]}
	default:
		return nil, twin.Invalid("point", "the place is required: an entity's ID or a point [lon, lat]")
	}
	if inc.Chemical != "" {
		if _, ok := s.Get(twin.KindChemical, inc.Chemical); !ok {
			return nil, twin.Invalid("chemical", "no chemical %s in the catalogue", inc.Chemical)
		}
	}
	inc.Timeline = []twin.TimelineEntry{{At: now, What: fmt.Sprintf("reported: %s, level %s", inc.Type, inc.Level), By: rep.Reporter}}
	return inc, nil
}

// Plan proposes the response to an incident without changing anything.
func (d *Desk) Plan(id string) (*Plan, error) {
	s := d.tw.Snapshot()
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, twin.Errorf(twin.ENOTFOUND, "id", "no incident %s", id)
	}
	if !inc.Open() {
		return nil, twin.Errorf(twin.ECONFLICT, "state", "incident %s is closed", id)
	}
	return d.rules.Plan(s, d.graphOf(s), inc, d.tw.Clock().Now())
}

// graphOf returns the road graph of s, built again only when the roads
// have changed.
func (d *Desk) graphOf(s *twin.Snapshot) *Graph {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.graphLocked(s)
}

// graphLocked is graphOf with d.mu held. The graph depends on the roads
// (and the park, for its projection) alone: alarms and vehicles moving do
// not rebuild it.
func (d *Desk) graphLocked(s *twin.Snapshot) *Graph {
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

// idNumber returns the number at the end of an ID, "INC-00012" → 12.
func idNumber(id string) int {
	n, _ := strconv.Atoi(id[strings.LastIndexByte(id, '-')+1:])
	return n
}

func asError(err error, target **twin.Error) bool { return errors.As(err, target) }
