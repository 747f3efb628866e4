package telemetry

import (
	"encoding/json"
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
		code, why := twin.CodeGreen, []string(nil)
		if why = metOf(met[e.ID], m.rules.SafetyCodes.Red); len(why) > 0 {
			code = twin.CodeRed
		} else if why = metOf(met[e.ID], m.rules.SafetyCodes.Yellow); len(why) > 0 {
			code = twin.CodeYellow
		}
		if e.SafetyCode != code || !slices.Equal(e.SafetyReasons, why) {
			// A patch of the code and its reasons alone: an edit of the
			// enterprise made meanwhile through the API stays.
			merge, _ := json.Marshal(map[string]any{"properties": map[string]any{
				"safetyCode": code.String(), "safetyReasons": why}}) // nil: null, which removes them
			ch.cmds = append(ch.cmds, twin.Patch{Kind: twin.KindEnterprise, ID: e.ID, Merge: merge})
		}
	}
}

// metOf returns the conditions of conds that are met, in conds' order.
func metOf(met map[string]bool, conds []string) []string {
	var out []string
	for _, c := range conds {
		if met[c] {
			out = append(out, c)
		}
	}
	return out
}
