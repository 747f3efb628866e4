package telemetry

import (
	"slices"
	"time"

	"parktwin/twin"
)

// safetyCodes sets each enterprise's safety code from the rules: red when
// it meets a red condition, yellow a yellow one, else green. Only codes
// that change become commands.
func (m *Monitor) safetyCodes(snap *twin.Snapshot, now time.Time, ch *changes, next *soonest) {
	met := map[string]map[string]bool{}
	mark := func(ent, cond string) {
		if ent == "" {
			return
		}
		if met[ent] == nil {
			met[ent] = map[string]bool{}
		}
		met[ent][cond] = true
	}
	for a := range twin.All[*twin.Alarm](snap) {
		if a.State == twin.AlarmClosed {
			continue
		}
		switch a.Level {
		case twin.Red:
			mark(a.Enterprise, CondRedAlarmOpen)
		case twin.Orange:
			mark(a.Enterprise, CondOrangeAlarmOpen)
		}
		if a.Condition == twin.CommLost && a.Open() {
			mark(a.Enterprise, CondCommLostOpen)
		}
	}
	for o := range twin.All[*twin.Order](snap) {
		if o.State == twin.OrderClosed {
			continue
		}
		if o.Feedback == nil || o.State == twin.OrderReturned {
			mark(o.Enterprise, CondOrderUnanswered)
		}
		if o.AckedAt.IsZero() {
			next.at(now, o.AckDeadline)
		}
		if o.State != twin.OrderAnswered {
			next.at(now, o.FeedbackDeadline)
		}
		late := (o.AckedAt.IsZero() && now.After(o.AckDeadline)) ||
			(o.State != twin.OrderAnswered && now.After(o.FeedbackDeadline))
		if a, ok := twin.Lookup[*twin.Alarm](snap, o.Alarm); ok && late && a.Level == twin.Red && a.State != twin.AlarmClosed {
			mark(o.Enterprise, CondRedAlarmOverdue)
		}
	}
	for t := range twin.All[*twin.Task](snap) {
		if t.Type == twin.TaskEscalation && !t.Done {
			mark(t.Enterprise, CondEscalationOpen)
		}
	}
	for d := range twin.All[*twin.Danger](snap) {
		if d.Overdue(now) {
			mark(d.Enterprise, CondDangerOverdue)
		} else if t, ok := d.OverdueAfter(); ok {
			next.at(now, t)
		}
	}
	for e := range twin.All[*twin.Enterprise](snap) {
		code := twin.CodeGreen
		switch {
		case meets(met[e.ID], m.rules.SafetyCodes.Red):
			code = twin.CodeRed
		case meets(met[e.ID], m.rules.SafetyCodes.Yellow):
			code = twin.CodeYellow
		}
		if e.SafetyCode != code {
			// A patch of the one field: an edit of the enterprise made
			// meanwhile through the API stays.
			ch.cmds = append(ch.cmds, twin.Patch{Kind: twin.KindEnterprise, ID: e.ID,
				Merge: []byte(`{"properties":{"safetyCode":"` + code.String() + `"}}`)})
		}
	}
}

func meets(met map[string]bool, conds []string) bool {
	return slices.ContainsFunc(conds, func(c string) bool { return met[c] })
}
