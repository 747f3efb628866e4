package telemetry

import (
	"context"
	"fmt"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// issueOrder sends a verification order (派单核查) for a red or orange
// alarm to its enterprise's duty person, with the deadlines of its level.
func (m *Monitor) issueOrder(a *twin.Alarm, ch *changes) {
	d, ok := m.rules.deadlines(a.Level)
	if !ok || a.Enterprise == "" {
		return
	}
	now := m.clock.Now()
	o := &twin.Order{
		ID: m.nextID(twin.KindOrder), Alarm: a.ID, Enterprise: a.Enterprise, Level: a.Level,
		State: twin.OrderIssued, IssuedAt: now,
		AckDeadline: now.Add(d.Acknowledge.D()), FeedbackDeadline: now.Add(d.Feedback.D()),
	}
	if e, ok := twin.Lookup[*twin.Enterprise](m.tw.Snapshot(), a.Enterprise); ok {
		o.DutyPhone = e.DutyPhone
	}
	ch.cmds = append(ch.cmds, twin.Create{Entity: o})
}

// hasOrder reports whether an order was issued for the alarm.
func (m *Monitor) hasOrder(alarm string, ch *changes) bool {
	for _, c := range ch.cmds {
		if cr, ok := c.(twin.Create); ok {
			if o, ok := cr.Entity.(*twin.Order); ok && o.Alarm == alarm {
				return true
			}
		}
	}
	for o := range twin.All[*twin.Order](m.tw.Snapshot()) {
		if o.Alarm == alarm {
			return true
		}
	}
	return false
}

// AckOrder records that the enterprise's duty person has taken the order.
func (m *Monitor) AckOrder(ctx context.Context, id, by string) (*twin.Order, error) {
	return change(ctx, m, id, func(o *twin.Order, now time.Time) error {
		if !o.State.Allows(twin.OrderAck) {
			return twin.StateRefused(twin.KindOrder, id, o.State.String(), "state", fmt.Sprintf("order %s is %s, not issued", id, o.State))
		}
		o.State, o.AckedAt, o.AckedBy = twin.OrderAcknowledged, now, by
		return nil
	})
}

// AnswerOrder records the enterprise's feedback: the cause found and the
// action taken.
func (m *Monitor) AnswerOrder(ctx context.Context, id string, f twin.Feedback) (*twin.Order, error) {
	if f.Cause == "" {
		return nil, twin.Invalid("cause", "required: what caused the alarm")
	}
	if f.Action == "" {
		return nil, twin.Invalid("action", "required: what was done about it")
	}
	return change(ctx, m, id, func(o *twin.Order, now time.Time) error {
		if !o.State.Allows(twin.OrderFeedback) {
			return twin.StateRefused(twin.KindOrder, id, o.State.String(), "state", fmt.Sprintf("order %s is %s: feedback is not expected", id, o.State))
		}
		if o.AckedAt.IsZero() {
			o.AckedAt, o.AckedBy = now, f.By
		}
		f.At = now
		o.State, o.Feedback = twin.OrderAnswered, &f
		return nil
	})
}

// CloseOrder closes an answered order: the park's duty officer accepts
// the feedback.
func (m *Monitor) CloseOrder(ctx context.Context, id, by string) (*twin.Order, error) {
	return change(ctx, m, id, func(o *twin.Order, now time.Time) error {
		if !o.State.Allows(twin.OrderClose) {
			return twin.StateRefused(twin.KindOrder, id, o.State.String(), "state", fmt.Sprintf("order %s is %s: only an answered order can be closed", id, o.State))
		}
		o.State, o.ClosedAt, o.ClosedBy = twin.OrderClosed, now, by
		return nil
	})
}

// ReturnOrder sends an answered order back for better feedback, with a
// new feedback deadline.
func (m *Monitor) ReturnOrder(ctx context.Context, id, note string) (*twin.Order, error) {
	if note == "" {
		return nil, twin.Invalid("note", "required: say what the feedback lacks")
	}
	return change(ctx, m, id, func(o *twin.Order, now time.Time) error {
		if !o.State.Allows(twin.OrderReturn) {
			return twin.StateRefused(twin.KindOrder, id, o.State.String(), "state", fmt.Sprintf("order %s is %s: only an answered order can be sent back", id, o.State))
		}
		d, _ := m.rules.deadlines(o.Level)
		o.State, o.ReturnNote = twin.OrderReturned, note
		o.FeedbackDeadline, o.FeedbackEscalated = now.Add(d.Feedback.D()), false
		return nil
	})
}

// escalateOrders raises a task, once per deadline, for every order whose
// acknowledge or feedback deadline has passed unmet.
func (m *Monitor) escalateOrders(snap *twin.Snapshot, now time.Time, ch *changes, next *soonest) {
	for o := range twin.All[*twin.Order](snap) {
		if o.State == twin.OrderClosed {
			continue
		}
		if o.AckedAt.IsZero() && !o.AckEscalated {
			next.at(now, o.AckDeadline)
		}
		if o.State != twin.OrderAnswered && !o.FeedbackEscalated {
			next.at(now, o.FeedbackDeadline)
		}
		var why msg.Msg
		c := *o
		switch {
		case o.AckedAt.IsZero() && now.After(o.AckDeadline) && !o.AckEscalated:
			c.AckEscalated = true
			why = msg.New("task.escalation.ack", "order", o.ID, "alarm", o.Alarm, "deadline", o.AckDeadline.Format(time.RFC3339))
		case o.State != twin.OrderAnswered && now.After(o.FeedbackDeadline) && !o.FeedbackEscalated:
			c.FeedbackEscalated = true
			why = msg.New("task.escalation.feedback", "order", o.ID, "alarm", o.Alarm, "deadline", o.FeedbackDeadline.Format(time.RFC3339))
		default:
			continue
		}
		ch.cmds = append(ch.cmds, twin.Update{Entity: &c}, twin.Create{Entity: task(m.nextID(twin.KindTask),
			twin.TaskEscalation, o.ID, o.Enterprise, now, why)})
	}
}

// TaskDone marks a task as seen to.
func (m *Monitor) TaskDone(ctx context.Context, id, by string) (*twin.Task, error) {
	return change(ctx, m, id, func(t *twin.Task, now time.Time) error {
		if t.Done {
			return twin.Reasoned(twin.ECONFLICT, "done", "task "+id+" is done already", msg.New("error.taskDone", "id", id))
		}
		t.Done, t.DoneAt, t.DoneBy = true, now, by
		return nil
	})
}
