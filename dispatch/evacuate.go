package dispatch

import (
	"context"
	"fmt"
	"slices"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Evacuate orders a protective action — evacuation (the default) or
// shelter in place — for sensitive targets (TGT-…) because of an open
// incident: each order is kept on the incident with who gave it and
// when, and written in its timeline. A target already given an order
// for the incident is refused, so that the record says when it was
// first given.
func (d *Desk) Evacuate(ctx context.Context, id string, targets []string, action, by, note string) (*twin.Incident, error) {
	return d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		return d.evacuate(s, id, targets, action, by, note)
	})
}

func (d *Desk) evacuate(s *twin.Snapshot, id string, targets []string, action, by, note string) (*twin.Incident, []twin.Command, error) {
	switch action {
	case "":
		action = twin.ProtectEvacuate
	case twin.ProtectEvacuate, twin.ProtectShelter:
	default:
		return nil, nil, twin.Invalid("action", "want %s or %s, got %q", twin.ProtectEvacuate, twin.ProtectShelter, action)
	}
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, nil, twin.NotFound(twin.KindIncident, id)
	}
	if !inc.Open() {
		return nil, nil, refuse(twin.ECONFLICT, "state", msg.New("error.incidentClosed", "id", id))
	}
	if len(targets) == 0 {
		return nil, nil, twin.Invalid("targets", "name at least one target to evacuate")
	}
	now := d.tw.Clock().Now()
	c := *inc
	c.Evacuations = slices.Clone(inc.Evacuations)
	c.Timeline = slices.Clone(inc.Timeline)
	for i, t := range targets {
		field := fmt.Sprintf("targets[%d]", i)
		tgt, ok := twin.Lookup[*twin.Target](s, t)
		if !ok {
			return nil, nil, twin.Errorf(twin.ENOTFOUND, field, "no target %s", t)
		}
		if j := slices.IndexFunc(c.Evacuations, func(e twin.Evacuation) bool { return e.Target == t }); j >= 0 {
			return nil, nil, refuse(twin.ECONFLICT, field, msg.New("error.alreadyOrdered", "target", t, "name", tgt.Name,
				"action", c.Evacuations[j].Action, "at", c.Evacuations[j].OrderedAt.Format("15:04:05")))
		}
		c.Evacuations = append(c.Evacuations, twin.Evacuation{Target: t, Action: action, OrderedAt: now, By: by, Note: note})
		c.Timeline = append(c.Timeline, step(now, by, msg.New("timeline.protect", "action", action, "target", t, "name", tgt.Name)))
	}
	return &c, []twin.Command{twin.Update{Entity: &c}}, nil
}
