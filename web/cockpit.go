package web

import (
	"cmp"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

// The statistics page (驾驶舱, /ui/cockpit.html) reads its figures from
// GET /cockpit, computed from the twin at one seq: the page asks again,
// at most once a second, when the stream says something it counts
// changed.

// cockpitDays is how many days of alarms the page charts, today included.
const cockpitDays = 7

// beijingZone is the park's clock for days: China keeps UTC+8 all year.
var beijingZone = time.FixedZone("CST", 8*3600)

// alarmDay is the alarms raised on one day (Beijing time), by level.
type alarmDay struct {
	Day    string `json:"day"` // 2026-12-02
	Red    int    `json:"red"`
	Orange int    `json:"orange"`
	Yellow int    `json:"yellow"`
	Blue   int    `json:"blue"`
}

// orderFigures are the verification orders' closed loop: how many were
// issued, how many closed, the share closed and the mean time from issue
// to close.
type orderFigures struct {
	Total       int     `json:"total"`
	Closed      int     `json:"closed"`
	ClosureRate float64 `json:"closureRate"` // closed of total, 0 to 1; 0 with none
	MeanCloseS  float64 `json:"meanCloseS"`  // over the closed ones; 0 with none
}

// readinessFigure is one warehouse's readiness, in percent.
type readinessFigure struct {
	Warehouse string  `json:"warehouse"`
	Name      string  `json:"name"`
	Percent   float64 `json:"percent"`
}

// cockpitFigures is what GET /cockpit answers.
type cockpitFigures struct {
	Time   time.Time    `json:"time"`
	Seq    uint64       `json:"seq"`
	Alarms []alarmDay   `json:"alarms"` // the last cockpitDays days, the oldest first
	Orders orderFigures `json:"orders"`
	// Enterprises by safety code (green, yellow, red, none) and by grade
	// (A–D, none).
	EnterprisesByCode  map[string]int `json:"enterprisesByCode"`
	EnterprisesByGrade map[string]int `json:"enterprisesByGrade"`
	// HazardUnits by the level of their latest grading (I–IV; none when
	// not graded or below one, S < 1).
	HazardUnits map[string]int `json:"hazardUnits"`
	// OpenIncidents by response level (I–IV), and their total.
	OpenIncidents    int               `json:"openIncidents"`
	IncidentsByLevel map[string]int    `json:"incidentsByLevel"`
	Readiness        []readinessFigure `json:"readiness"`
}

// cockpit answers GET /cockpit.
func (s *Server) cockpit(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	now := s.twin.Clock().Now()
	f := cockpitOf(snap, now)
	for _, r := range s.ready.Readiness(snap, now) {
		f.Readiness = append(f.Readiness, readinessFigure{Warehouse: r.Warehouse, Name: r.Name, Percent: r.Percent})
	}
	setSeq(c, snap.Seq())
	return c.JSON(f)
}

// cockpitOf computes the figures of the park at now, but for readiness.
func cockpitOf(snap *twin.Snapshot, now time.Time) cockpitFigures {
	f := cockpitFigures{Time: now, Seq: snap.Seq(), Readiness: []readinessFigure{},
		EnterprisesByCode:  map[string]int{"green": 0, "yellow": 0, "red": 0, "none": 0},
		EnterprisesByGrade: map[string]int{"A": 0, "B": 0, "C": 0, "D": 0, "none": 0},
		HazardUnits:        map[string]int{"I": 0, "II": 0, "III": 0, "IV": 0, "none": 0},
		IncidentsByLevel:   map[string]int{"I": 0, "II": 0, "III": 0, "IV": 0},
	}
	today := now.In(beijingZone)
	first := time.Date(today.Year(), today.Month(), today.Day()-(cockpitDays-1), 0, 0, 0, 0, beijingZone)
	f.Alarms = make([]alarmDay, cockpitDays)
	for i := range f.Alarms {
		f.Alarms[i].Day = first.AddDate(0, 0, i).Format(time.DateOnly)
	}
	for a := range twin.All[*twin.Alarm](snap) {
		raised := a.RaisedAt.In(beijingZone)
		if raised.Before(first) {
			continue
		}
		i := slices.IndexFunc(f.Alarms, func(d alarmDay) bool { return d.Day == raised.Format(time.DateOnly) })
		if i < 0 {
			continue // after today: a clock set back
		}
		switch a.Level {
		case twin.Red:
			f.Alarms[i].Red++
		case twin.Orange:
			f.Alarms[i].Orange++
		case twin.Yellow:
			f.Alarms[i].Yellow++
		case twin.Blue:
			f.Alarms[i].Blue++
		}
	}
	var closing time.Duration
	for o := range twin.All[*twin.Order](snap) {
		f.Orders.Total++
		if o.State == twin.OrderClosed {
			f.Orders.Closed++
			closing += o.ClosedAt.Sub(o.IssuedAt)
		}
	}
	if f.Orders.Total > 0 {
		f.Orders.ClosureRate = float64(f.Orders.Closed) / float64(f.Orders.Total)
	}
	if f.Orders.Closed > 0 {
		f.Orders.MeanCloseS = closing.Seconds() / float64(f.Orders.Closed)
	}
	for e := range twin.All[*twin.Enterprise](snap) {
		f.EnterprisesByCode[nameOr(e.SafetyCode.String(), e.SafetyCode != 0)]++
		f.EnterprisesByGrade[nameOr(e.Grade.String(), e.Grade != 0)]++
	}
	latest := map[string]*twin.Grading{}
	for g := range twin.All[*twin.Grading](snap) {
		if l, ok := latest[g.Unit]; !ok || cmp.Or(g.At.Compare(l.At), cmp.Compare(g.ID, l.ID)) > 0 {
			latest[g.Unit] = g
		}
	}
	levels := []string{"none", "I", "II", "III", "IV"}
	for u := range twin.All[*twin.HazardUnit](snap) {
		lv := 0
		if g, ok := latest[u.ID]; ok {
			lv = g.Level
		}
		f.HazardUnits[levels[lv]]++
	}
	for i := range twin.All[*twin.Incident](snap) {
		if i.Open() {
			f.OpenIncidents++
			f.IncidentsByLevel[i.Level.String()]++
		}
	}
	return f
}

// nameOr returns name when ok, else "none".
func nameOr(name string, ok bool) string {
	if ok {
		return name
	}
	return "none"
}
