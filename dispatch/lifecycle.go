package dispatch

import (
	"context"
	"slices"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// SetState moves an incident on: reported → confirmed (verified),
// dispatched → under control (the units start home), under control →
// closed (the equipment comes back for inspection). A reported or
// confirmed incident may be closed directly: a false alarm.
func (d *Desk) SetState(ctx context.Context, id string, to twin.IncidentState, by string) (*twin.Incident, error) {
	return d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		return d.setState(s, id, to, by)
	})
}

func (d *Desk) setState(s *twin.Snapshot, id string, to twin.IncidentState, by string) (*twin.Incident, []twin.Command, error) {
	now := d.tw.Clock().Now()
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, nil, twin.NotFound(twin.KindIncident, id)
	}
	from := inc.State
	allowed := (from == twin.IncidentReported && to == twin.IncidentConfirmed) ||
		(from == twin.IncidentDispatched && to == twin.IncidentUnderControl) ||
		(to == twin.IncidentClosed && (from == twin.IncidentUnderControl || from == twin.IncidentReported || from == twin.IncidentConfirmed))
	if !allowed {
		return nil, nil, refuse(twin.ECONFLICT, "state", msg.New("error.incidentState", "id", id, "from", from.String(), "to", to.String()))
	}
	c := *inc
	c.State = to
	c.Assignments = slices.Clone(inc.Assignments)
	c.Equipment = slices.Clone(inc.Equipment)
	c.Timeline = append(slices.Clone(inc.Timeline), step(now, by, msg.New("timeline.state", "state", to.String())))
	teams := map[string]*twin.Team{}
	var posts []twin.Command
	switch to {
	case twin.IncidentUnderControl:
		for i := range c.Assignments {
			a := &c.Assignments[i]
			switch a.State {
			case twin.AssignDispatched: // never left: free at once
				a.State, a.ReturnedAt = twin.AssignReleased, now
			case twin.AssignEnRoute: // turns round: home as long as it drove
				a.State, a.ReturnedAt = twin.AssignReturning, now.Add(now.Sub(a.TurnoutAt))
			case twin.AssignOnScene:
				a.State, a.ReturnedAt = twin.AssignReturning, now.Add(seconds(a.EtaS-a.TurnoutS))
			default:
				continue
			}
			setVehicle(s, teams, a.Team, a.Vehicle, a.State.VehicleStatus())
		}
	case twin.IncidentClosed:
		for i := range c.Assignments {
			a := &c.Assignments[i]
			if a.State != twin.AssignReleased {
				a.State, a.ReturnedAt = twin.AssignReleased, now
				setVehicle(s, teams, a.Team, a.Vehicle, twin.Available)
			}
		}
		// Serialized equipment comes back, for inspection where its type
		// is inspected after use; bulk stock that left (foam, absorbent)
		// was used, and is written off. What never left comes back as it
		// went.
		for i := range c.Equipment {
			e := &c.Equipment[i]
			if e.State != twin.EquipReturned {
				posts = append(posts, giveBack(c.ID, e, e.State == twin.EquipReserved, "incident closed"))
				e.State = twin.EquipReturned
			}
		}
	}
	return &c, commands(&c, teams, posts), nil
}

// giveBack returns the ledger entry that brings an incident's equipment
// line back to its warehouse: every item it took, and the bulk stock —
// back on the shelf when unused, written off as used otherwise.
func giveBack(incident string, e *twin.EquipmentIssued, unused bool, why string) twin.Command {
	entry := &twin.LedgerEntry{Warehouse: e.Warehouse, Type: e.Type, Incident: incident, Reason: why, Op: twin.OpReturn}
	switch {
	case len(e.Items) > 0:
		entry.Serials = slices.Clone(e.Items)
		if unused {
			entry.Result = twin.Pass // never left the warehouse's hands
		}
	case unused:
		entry.Quantity = e.Quantity
		entry.Result = twin.Pass // sealed: back on the shelf, not written off or quarantined
	default:
		entry.Op, entry.Quantity = twin.OpRetire, e.Quantity
		entry.Reason = why + ": used at the scene"
	}
	return twin.Post{Entry: entry}
}

// Cancel calls off an incident: every vehicle is free at once, every item
// back on the shelf, bulk stock back in its warehouse, the incident
// closed.
func (d *Desk) Cancel(ctx context.Context, id, by string) (*twin.Incident, error) {
	return d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		return d.cancel(s, id, by)
	})
}

func (d *Desk) cancel(s *twin.Snapshot, id, by string) (*twin.Incident, []twin.Command, error) {
	now := d.tw.Clock().Now()
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, nil, twin.NotFound(twin.KindIncident, id)
	}
	if !inc.Open() {
		return nil, nil, refuse(twin.ECONFLICT, "state", msg.New("error.incidentClosed", "id", id))
	}
	c := *inc
	c.State = twin.IncidentClosed
	c.Assignments = slices.Clone(inc.Assignments)
	c.Equipment = slices.Clone(inc.Equipment)
	c.Timeline = append(slices.Clone(inc.Timeline), step(now, by, msg.New("timeline.cancelled")))
	teams := map[string]*twin.Team{}
	var posts []twin.Command
	for i := range c.Assignments {
		a := &c.Assignments[i]
		if a.State != twin.AssignReleased {
			a.State, a.ReturnedAt = twin.AssignReleased, now
			setVehicle(s, teams, a.Team, a.Vehicle, twin.Available)
		}
	}
	for i := range c.Equipment {
		e := &c.Equipment[i]
		if e.State == twin.EquipReturned {
			continue
		}
		// Called off: all of it comes back, exactly what was taken.
		posts = append(posts, giveBack(c.ID, e, true, "incident cancelled"))
		e.State = twin.EquipReturned
	}
	return &c, commands(&c, teams, posts), nil
}

// change applies a change of one incident decided by fn in the twin's
// writer, and returns the incident as changed.
func (d *Desk) change(ctx context.Context, fn func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error)) (*twin.Incident, error) {
	var out *twin.Incident
	err := d.decide(ctx, func(s *twin.Snapshot) ([]twin.Command, error) {
		inc, cmds, err := fn(s)
		out = inc
		return cmds, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// commands writes an incident's change, what it did to teams and the
// ledger entries of its equipment, after the lesser incidents it took
// units from (before: the units must be free of them before this one
// holds them).
func commands(c *twin.Incident, teams map[string]*twin.Team, posts []twin.Command, before ...twin.Command) []twin.Command {
	cmds := append(before, twin.Update{Entity: c})
	for _, id := range sortedKeys(teams) {
		cmds = append(cmds, twin.Update{Entity: teams[id]})
	}
	return append(cmds, posts...)
}
