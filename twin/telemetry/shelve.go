package telemetry

import (
	"context"
	"slices"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// ShelveAlarm sets an alarm aside for d, for the reason given (ISA-18.2
// shelving): the duty officer's own change, audited as theirs. Its state
// goes on as before; the Monitor brings it back when d is up.
func (m *Monitor) ShelveAlarm(ctx context.Context, id, by string, d time.Duration, reason string) (*twin.Alarm, error) {
	maxD := m.rules.Shelving.MaxDuration.D()
	switch {
	case reason == "":
		return nil, twin.Invalid("reason", "required: why the alarm is shelved")
	case d <= 0 || d > maxD:
		return nil, twin.Invalid("durationS", "shelve for more than 0 s and at most %.0f s (rule shelving.maxDuration: %s), got %.0f s",
			maxD.Seconds(), maxD, d.Seconds())
	}
	return change(ctx, m, id, func(a *twin.Alarm, now time.Time) error {
		switch {
		case a.State == twin.AlarmClosed:
			return twin.StateRefused(twin.KindAlarm, id, a.State.String(), "state", "alarm "+id+" is closed")
		case a.Shelved(now):
			until := a.ShelvedUntil.Format(time.RFC3339)
			return twin.Reasoned(twin.ECONFLICT, "shelvedUntil", "alarm "+id+" is shelved until "+until,
				msg.New("error.alarmShelved", "id", id, "until", until))
		}
		a.ShelvedUntil, a.ShelvedBy, a.ShelveReason = now.Add(d), by, reason
		// A new slice: the snapshot's alarm keeps its own.
		a.Shelvings = append(slices.Clip(a.Shelvings), twin.Shelving{By: by, Reason: reason, From: now, Until: now.Add(d)})
		return nil
	})
}

// unshelve brings back every alarm whose shelving time is up: the
// Monitor's own change, so the audit trail says the alarm came back by
// itself. The shelving stays in the alarm's Shelvings.
func (m *Monitor) unshelve(snap *twin.Snapshot, now time.Time, ch *changes, next *soonest) {
	for a := range twin.All[*twin.Alarm](snap) {
		if a.ShelvedUntil.IsZero() {
			continue
		}
		if a.Shelved(now) {
			next.at(now, a.ShelvedUntil)
			continue
		}
		c := m.alarmCopy(a.ID, ch) // closed by autoClose in this same tick, perhaps
		c.ShelvedUntil, c.ShelvedBy, c.ShelveReason = time.Time{}, "", ""
		ch.cmds = append(ch.cmds, twin.Update{Entity: c})
	}
}
