package dispatch

import (
	"context"
	"slices"

	"parktwin/twin"
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
		return nil, nil, twin.Errorf(twin.ENOTFOUND, "id", "no incident %s", id)
	}
	from := inc.State
	allowed := (from == twin.IncidentReported && to == twin.IncidentConfirmed) ||
		(from == twin.IncidentDispatched && to == twin.IncidentUnderControl) ||
		(to == twin.IncidentClosed && (from == twin.IncidentUnderControl || from == twin.IncidentReported || from == twin.IncidentConfirmed))
	if !allowed {
		return nil, nil, twin.Errorf(twin.ECONFLICT, "state", "incident %s is %s: it cannot become %s", id, from, to)
	}
	c := *inc
	c.State = to
	c.Assignments = slices.Clone(inc.Assignments)
	c.Equipment = slices.Clone(inc.Equipment)
	c.Timeline = append(slices.Clone(inc.Timeline), twin.TimelineEntry{At: now, What: to.String(), By: by})
	teams := map[string]*twin.Team{}
	whs := map[string]*twin.Warehouse{}
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
		// Serialized equipment comes back for inspection; bulk stock
		// (foam, absorbent) was used.
		for i := range c.Equipment {
			e := &c.Equipment[i]
			if e.State != twin.EquipReturned {
				setItems(s, whs, e, twin.AssetReturned)
				e.State = twin.EquipReturned
			}
		}
	}
	return &c, commands(&c, teams, whs), nil
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
		return nil, nil, twin.Errorf(twin.ENOTFOUND, "id", "no incident %s", id)
	}
	if !inc.Open() {
		return nil, nil, twin.Errorf(twin.ECONFLICT, "state", "incident %s is closed", id)
	}
	c := *inc
	c.State = twin.IncidentClosed
	c.Assignments = slices.Clone(inc.Assignments)
	c.Equipment = slices.Clone(inc.Equipment)
	c.Timeline = append(slices.Clone(inc.Timeline), twin.TimelineEntry{At: now, What: "cancelled: everything released", By: by})
	teams := map[string]*twin.Team{}
	whs := map[string]*twin.Warehouse{}
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
		if len(e.Items) > 0 {
			setItems(s, whs, e, twin.AssetAvailable)
		} else {
			restock(s, whs, e)
		}
		e.State = twin.EquipReturned
	}
	return &c, commands(&c, teams, whs), nil
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

// commands writes an incident's change and what it did to teams and
// warehouses, after the lesser incidents it took units from (before:
// the units must be free of them before this one holds them).
func commands(c *twin.Incident, teams map[string]*twin.Team, whs map[string]*twin.Warehouse, before ...twin.Command) []twin.Command {
	cmds := append(before, twin.Update{Entity: c})
	for _, id := range sortedKeys(teams) {
		cmds = append(cmds, twin.Update{Entity: teams[id]})
	}
	for _, id := range sortedKeys(whs) {
		cmds = append(cmds, twin.Update{Entity: whs[id]})
	}
	return cmds
}

// warehouseCopy returns a copy of a warehouse kept in whs, its stock
// copied deep enough to change.
func warehouseCopy(s *twin.Snapshot, whs map[string]*twin.Warehouse, id string) *twin.Warehouse {
	if w, ok := whs[id]; ok {
		return w
	}
	orig, ok := twin.Lookup[*twin.Warehouse](s, id)
	if !ok {
		return nil
	}
	cp := *orig
	cp.Stock = make([]twin.StockLine, len(orig.Stock))
	for j, l := range orig.Stock {
		l.Items = slices.Clone(l.Items)
		cp.Stock[j] = l
	}
	whs[id] = &cp
	return &cp
}

// setItems puts the serialized items lent in a state.
func setItems(s *twin.Snapshot, whs map[string]*twin.Warehouse, e *twin.EquipmentIssued, st twin.AssetState) {
	w := warehouseCopy(s, whs, e.Warehouse)
	if w == nil {
		return
	}
	for li := range w.Stock {
		for ii := range w.Stock[li].Items {
			if slices.Contains(e.Items, w.Stock[li].Items[ii].Serial) {
				w.Stock[li].Items[ii].State = st
			}
		}
	}
}

// restock puts bulk stock back on its warehouse's first line of the type.
func restock(s *twin.Snapshot, whs map[string]*twin.Warehouse, e *twin.EquipmentIssued) {
	w := warehouseCopy(s, whs, e.Warehouse)
	if w == nil {
		return
	}
	for li := range w.Stock {
		if w.Stock[li].Type == e.Type {
			w.Stock[li].Quantity += e.Quantity
			return
		}
	}
}
