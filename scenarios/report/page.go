package report

import (
	"errors"
	"fmt"
	"time"
)

// page is a report laid out in one language: every string that the HTML
// page and the PDF print, formatted once so that the two agree.
type page struct {
	L        *labels
	Name     string // the report's name: drill report or incident review
	Title    string // the title in the page's language
	Subtitle string // the title in the other language
	Header   []field

	Expectations []expectationRow
	Timeline     []eventRow
	Units        []unitRow
	P90          unitRow
	HasP90       bool // some unit completed some segment
	Equipment    []equipmentRow
	Shortfalls   []string
	Map          Map
	HasMap       bool
}

type field struct{ Label, Value string }

type expectationRow struct {
	ID, What, Of, Target, Took, At string
	Status                         string // Met, Missed, Pending or "": picks the colour
	StatusLabel                    string
}

type eventRow struct{ At, Kind, What, By string }

type unitRow struct {
	Incident, Team, Vehicle, Ordered, Rolling, OnScene string
	Turnout, Travel, Response                          string
}

type equipmentRow struct{ Incident, Warehouse, Type, Quantity, Items, State string }

// startLayout prints the start with its offset: the report's Start is in
// the park's zone, which a reader elsewhere must not mistake for theirs.
const startLayout = "2006-01-02 15:04:05 -07:00"

// newPage lays r out in lang.
func newPage(r *Report, lang string) (*page, error) {
	if r == nil {
		return nil, errors.New("no report")
	}
	l := labelsFor(lang)
	p := &page{L: l, Name: word(l.Kinds, r.Kind), Title: r.Title.Zh, Subtitle: r.Title.En}
	if l == &enLabels {
		p.Title, p.Subtitle = r.Title.En, r.Title.Zh
	}
	if p.Title == "" { // a report titled in one language only still has a title
		p.Title, p.Subtitle = p.Subtitle, ""
	}
	p.Header = header(r, l)

	for _, e := range r.Expectations {
		what := word(l.Whats, e.What)
		if e.Param != "" {
			what += " · " + e.Param
		}
		row := expectationRow{
			ID: e.ID, What: what, Of: word(l.Moments, e.Of),
			Target: e.Target.Clock(), Took: clockOf(e.Took), At: clockOf(e.At),
			Status: e.Status, StatusLabel: word(l.Statuses, e.Status),
		}
		if _, known := statusColour(e.Status); !known {
			row.Status = "" // printed, but not coloured as if it were a result
		}
		p.Expectations = append(p.Expectations, row)
	}
	for _, e := range r.Timeline {
		p.Timeline = append(p.Timeline, eventRow{
			At: e.At.Clock(), Kind: word(l.Events, e.Kind), What: e.What, By: e.By,
		})
	}
	for _, u := range r.Units {
		p.Units = append(p.Units, unitRow{
			Incident: u.Incident, Team: u.Team, Vehicle: u.Vehicle,
			Ordered: u.Ordered.Clock(), Rolling: clockOf(u.Rolling), OnScene: clockOf(u.OnScene),
			Turnout: clockOf(u.Turnout), Travel: clockOf(u.Travel), Response: clockOf(u.Response),
		})
	}
	p.HasP90 = r.P90.Turnout != nil || r.P90.Travel != nil || r.P90.Response != nil
	p.P90 = unitRow{
		Incident: fmt.Sprintf(l.P90Fmt, r.P90.Units),
		Turnout:  clockOf(r.P90.Turnout), Travel: clockOf(r.P90.Travel), Response: clockOf(r.P90.Response),
	}
	for _, e := range r.Equipment {
		p.Equipment = append(p.Equipment, equipmentRow{
			Incident: e.Incident, Warehouse: e.Warehouse, Type: e.Type,
			Quantity: quantity(e.Quantity) + " " + e.Unit,
			Items:    joinItems(e.Items), State: e.State,
		})
	}
	p.Shortfalls = r.Shortfalls
	p.Map = r.Map
	p.HasMap = len(r.Map.Incidents) > 0 || len(r.Map.Routes) > 0
	return p, nil
}

// header returns the fields under the title, leaving out those the report
// does not have.
func header(r *Report, l *labels) []field {
	var fs []field
	add := func(label, value string) {
		if value != "" {
			fs = append(fs, field{label, value})
		}
	}
	add(l.ID, r.ID)
	add(l.Scenario, r.Scenario)
	if r.Level != "" {
		add(l.Level, fmt.Sprintf(l.LevelFmt, r.Level))
	}
	if !r.Start.IsZero() {
		add(l.Start, r.Start.Format(startLayout))
	}
	add(l.Elapsed, r.Elapsed.Clock()+" / "+r.Duration.Clock())
	add(l.State, word(l.States, r.State))
	add(l.Objective, r.Objective)
	return fs
}

// joinItems lists an equipment's item serials, shortened past a few: a
// line of forty serials helps no reader of a printed report.
func joinItems(items []string) string {
	const most = 4
	s := ""
	for i, it := range items {
		if i == most {
			return fmt.Sprintf("%s … (+%d)", s, len(items)-most)
		}
		if i > 0 {
			s += ", "
		}
		s += it
	}
	return s
}

// docDate is the date a rendered document carries: the report's start,
// so that one report always renders the same bytes.
func docDate(r *Report) time.Time {
	if r.Start.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return r.Start
}
