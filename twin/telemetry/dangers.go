package telemetry

import (
	"context"
	"fmt"
	"slices"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// RegisterDanger enters a hidden danger in the register (登记).
func (m *Monitor) RegisterDanger(ctx context.Context, d *twin.Danger) (*twin.Danger, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d.ID != "" {
		return nil, twin.Invalid("id", "a hidden danger's ID is assigned by the register")
	}
	if d.State != 0 && d.State != twin.DangerRegistered {
		return nil, twin.Invalid("state", "a new hidden danger is registered, not %s", d.State)
	}
	d.ID, d.State, d.RegisteredAt = m.nextID(twin.KindDanger), twin.DangerRegistered, m.clock.Now()
	if _, err := m.tw.Apply(ctx, twin.Create{Entity: d}); err != nil {
		m.ids[twin.KindDanger]-- // the number was not used
		return nil, err
	}
	return d, nil
}

// MoveDanger moves a hidden danger one step on: registered → rectifying
// (整改) → accepted (验收) → closed (销号); an acceptance that fails sends it
// from accepted back to rectifying.
func (m *Monitor) MoveDanger(ctx context.Context, id string, to twin.DangerState) (*twin.Danger, error) {
	return change(ctx, m, id, func(d *twin.Danger, now time.Time) error {
		if !slices.Contains(d.State.Next(), to) {
			return twin.StateRefused(twin.KindDanger, id, d.State.String(), "state", fmt.Sprintf("hidden danger %s is %s: it cannot go to %s", id, d.State, to))
		}
		d.State = to
		switch to {
		case twin.DangerRectifying:
			d.RectifyingAt = now
		case twin.DangerAccepted:
			d.AcceptedAt = now
		case twin.DangerClosed:
			d.ClosedAt = now
		}
		return nil
	})
}

// remindDangers raises one reminder (督办) for each hidden danger past its
// due date.
func (m *Monitor) remindDangers(snap *twin.Snapshot, now time.Time, ch *changes, next *soonest) {
	for d := range twin.All[*twin.Danger](snap) {
		if d.Reminded {
			continue
		}
		if !d.Overdue(now) {
			if t, ok := d.OverdueAfter(); ok {
				next.at(now, t)
			}
			continue
		}
		c := *d
		c.Reminded = true
		ch.cmds = append(ch.cmds, twin.Update{Entity: &c}, twin.Create{Entity: task(m.nextID(twin.KindTask),
			twin.TaskOverdueDanger, d.ID, d.Enterprise, now,
			msg.New("task.overdueDanger", "danger", d.ID, "title", d.Title, "due", d.Due.String(), "owner", d.Owner))})
	}
}
