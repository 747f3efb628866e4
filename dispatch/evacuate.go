package dispatch

import (
	"context"
	"fmt"
	"slices"

	"parktwin/twin"
)

// Evacuate orders the sensitive targets (TGT-…) to evacuate because of an
// open incident: each order is kept on the incident with who gave it and
// when, and written in its timeline. A target already ordered out for
// the incident is refused, so that the record says when the order was
// first given.
func (d *Desk) Evacuate(ctx context.Context, id string, targets []string, by, note string) (*twin.Incident, error) {
	return d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		return d.evacuate(s, id, targets, by, note)
	})
}

func (d *Desk) evacuate(s *twin.Snapshot, id string, targets []string, by, note string) (*twin.Incident, []twin.Command, error) {
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, nil, twin.Errorf(twin.ENOTFOUND, "id", "no incident %s", id)
	}
	if !inc.Open() {
		return nil, nil, twin.Errorf(twin.ECONFLICT, "state", "incident %s is closed", id)
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
			return nil, nil, twin.Errorf(twin.ECONFLICT, field, "%s (%s) was already ordered to evacuate at %s",
				t, tgt.Name, c.Evacuations[j].OrderedAt.Format("15:04:05"))
		}
		c.Evacuations = append(c.Evacuations, twin.Evacuation{Target: t, OrderedAt: now, By: by, Note: note})
		c.Timeline = append(c.Timeline, twin.TimelineEntry{At: now, What: fmt.Sprintf("evacuate %s (%s)", t, tgt.Name), By: by})
	}
	return &c, []twin.Command{twin.Update{Entity: &c}}, nil
}
