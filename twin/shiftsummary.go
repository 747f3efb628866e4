package twin

import (
	"cmp"
	"reflect"
	"slices"
	"time"
)

// ShiftSummary reads what a shift from start to end hands on from the
// park: the alarms raised and closed in it and those still open, the
// incidents reported in it or still open, and the verification orders,
// hidden dangers and tasks not yet closed. Each list is the gravest first
// (level, then the oldest), at most MaxHandoverItems long.
func (s *Snapshot) ShiftSummary(start, end time.Time) HandoverSummary {
	var sum HandoverSummary
	in := func(t time.Time) bool { return !t.Before(start) && !t.After(end) }

	type ranked struct {
		rank int
		item HandoverItem
	}
	var alarms, incidents, orders, dangers, tasks []ranked
	for a := range All[*Alarm](s) {
		if in(a.RaisedAt) {
			sum.Alarms.Raised++
		}
		if a.State == AlarmClosed {
			if in(a.ClosedAt) {
				sum.Alarms.Closed++
			}
			continue
		}
		it := HandoverItem{ID: a.ID, State: a.State.String(), Level: a.Level.String(),
			Enterprise: a.Enterprise, Subject: a.Subject, At: a.RaisedAt}
		if a.Shelved(end) {
			it.ShelvedUntil, it.ShelvedBy, it.ShelveReason = a.ShelvedUntil, a.ShelvedBy, a.ShelveReason
		}
		alarms = append(alarms, ranked{int(a.Level), it})
	}
	for i := range All[*Incident](s) {
		if !i.Open() && !in(i.ReportedAt) {
			continue
		}
		rank := int(i.Level)
		if !i.Open() {
			rank += 10 // the closed ones after every open one
		}
		incidents = append(incidents, ranked{rank, HandoverItem{ID: i.ID, State: i.State.String(), Type: i.Type.String(),
			Level: i.Level.String(), Enterprise: i.Enterprise, Subject: i.Entity, At: i.ReportedAt}})
	}
	for o := range All[*Order](s) {
		if o.State == OrderClosed {
			continue
		}
		orders = append(orders, ranked{int(o.Level), HandoverItem{ID: o.ID, State: o.State.String(), Level: o.Level.String(),
			Enterprise: o.Enterprise, Subject: o.Alarm, At: o.IssuedAt, Due: o.FeedbackDeadline}})
	}
	for d := range All[*Danger](s) {
		if d.State == DangerClosed {
			continue
		}
		dangers = append(dangers, ranked{0, HandoverItem{ID: d.ID, State: d.State.String(), Enterprise: d.Enterprise,
			Subject: d.Title, At: d.RegisteredAt, Due: d.Due.Time()}})
	}
	for t := range All[*Task](s) {
		if t.Done {
			continue
		}
		tasks = append(tasks, ranked{0, HandoverItem{ID: t.ID, State: "open", Type: t.Type.String(), Enterprise: t.Enterprise,
			Subject: t.Subject, Reason: t.Reason, ReasonMsg: t.ReasonMsg, At: t.RaisedAt}})
	}
	list := func(rs []ranked) HandoverList {
		slices.SortFunc(rs, func(a, b ranked) int {
			return cmp.Or(cmp.Compare(a.rank, b.rank), a.item.At.Compare(b.item.At), cmp.Compare(a.item.ID, b.item.ID))
		})
		l := HandoverList{Total: len(rs), Items: []HandoverItem{}}
		for _, r := range rs[:min(len(rs), MaxHandoverItems)] {
			r.item.EnterpriseName, r.item.SubjectName = s.NameOf(r.item.Enterprise), s.NameOf(r.item.Subject)
			l.Items = append(l.Items, r.item)
		}
		return l
	}
	sum.Alarms.Open = list(alarms)
	sum.Incidents, sum.Orders, sum.Dangers, sum.Tasks = list(incidents), list(orders), list(dangers), list(tasks)
	return sum
}

// NameOf is the name of the entity id, or "" when there is no such
// entity or it has no name (an id that is not one: a danger's title).
func (s *Snapshot) NameOf(id string) string {
	if id == "" {
		return ""
	}
	e, ok := s.Get(KindOfID(id), id)
	if !ok {
		return ""
	}
	v := reflect.ValueOf(e)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	if f := v.FieldByName("Name"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}
