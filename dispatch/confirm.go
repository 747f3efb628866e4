package dispatch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Confirm turns a plan, as proposed or as the operator edited it, into
// commands: the vehicles are dispatched, the equipment reserved, the
// incident dispatched, all in one change of the park. Only the plan's
// choices are taken (which vehicles, which equipment from where); the
// times and routes are worked out again now.
func (d *Desk) Confirm(ctx context.Context, id string, p Plan, by string) (*twin.Incident, error) {
	if len(p.Assignments) == 0 && len(p.Equipment) == 0 {
		return nil, twin.Invalid("assignments", "a plan to confirm sends something")
	}
	// The road graph is built outside the writer: it depends on the roads
	// alone, and a road closed in the instant between is seen by the
	// vehicles' follow-through.
	g := d.graphOf(d.tw.Snapshot())
	return d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		return d.confirm(s, g, id, p, by)
	})
}

func (d *Desk) confirm(s *twin.Snapshot, g *Graph, id string, p Plan, by string) (*twin.Incident, []twin.Command, error) {
	now := d.tw.Clock().Now()
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, nil, twin.Errorf(twin.ENOTFOUND, "id", "no incident %s", id)
	}
	more := reinforcing(inc) // a reinforcement adds to what was sent
	switch {
	case more:
		if err := checkReinforcement(inc, p); err != nil {
			return nil, nil, err
		}
	case inc.State != twin.IncidentReported && inc.State != twin.IncidentConfirmed:
		return nil, nil, twin.StateRefused(twin.KindIncident, id, inc.State.String(), "state", fmt.Sprintf("incident %s is %s: its plan was confirmed already", id, inc.State))
	}
	z, err := d.zoner.Zones(s, inc, now)
	if err != nil {
		z = nil // planned without zones, as the desk's plan would be
	}
	stg, err := d.rules.approachOf(s, g, inc, z)
	if err != nil {
		return nil, nil, refuse(twin.ECONFLICT, "", msg.New("error.noRoadToIncident"))
	}
	in := stg.to
	c := *inc
	c.Assignments, c.Equipment = nil, nil
	if more {
		c.Assignments, c.Equipment = slices.Clone(inc.Assignments), slices.Clone(inc.Equipment)
	}
	teams := map[string]*twin.Team{}
	taken := map[string]*twin.Incident{} // lesser incidents units are taken from
	for i, a := range p.Assignments {
		field := fmt.Sprintf("assignments[%d]", i)
		t := teamCopy(s, teams, a.Team)
		if t == nil {
			return nil, nil, twin.Invalid(field+".team", "no team %s", a.Team)
		}
		vi := slices.IndexFunc(t.Vehicles, func(v twin.Vehicle) bool { return v.ID == a.Vehicle })
		switch {
		case vi < 0:
			return nil, nil, twin.Invalid(field+".vehicle", "team %s has no vehicle %s", a.Team, a.Vehicle)
		case a.From != "":
			if err := d.takeFrom(s, taken, inc, a, now, by); err != nil {
				return nil, nil, prefixed(field, err)
			}
		case t.Vehicles[vi].Status != twin.Available:
			return nil, nil, refuse(twin.ECONFLICT, field+".vehicle", msg.New("error.vehicleBusy", "vehicle", a.Vehicle, "status", t.Vehicles[vi].Status.String()))
		}
		route, ok := in.From(t.Base)
		if !ok {
			return nil, nil, refuse(twin.ECONFLICT, field, msg.New("error.noRoadFrom", "team", t.Name))
		}
		t.Vehicles[vi].Status = twin.Dispatched
		turnout := d.rules.Turnout[t.Type.String()].D().Seconds()
		ta := twin.Assignment{Team: t.ID, Vehicle: a.Vehicle, Route: route.Roads,
			EtaS: math.Round(turnout + route.Travel.Seconds()), TurnoutS: turnout, State: twin.AssignDispatched, OrderedAt: now}
		if stg.staging != nil {
			ta.Staging, ta.Onward = stg.staging.Point, a.Onward
		}
		c.Assignments = append(c.Assignments, ta)
	}
	var posts []twin.Command
	for i, e := range p.Equipment {
		field := fmt.Sprintf("equipment[%d]", i)
		if _, ok := twin.Lookup[*twin.Warehouse](s, e.Warehouse); !ok {
			return nil, nil, twin.Invalid(field+".warehouse", "no warehouse %s", e.Warehouse)
		}
		if e.Vehicle != "" && !slices.ContainsFunc(c.Assignments, func(a twin.Assignment) bool { return a.Vehicle == e.Vehicle && a.Active() }) {
			return nil, nil, twin.Invalid(field+".vehicle", "vehicle %s is not sent to %s: it cannot carry the line", e.Vehicle, inc.ID)
		}
		issued, post, err := issue(s, inc.ID, e, now)
		if err != nil {
			return nil, nil, prefixed(field, err)
		}
		issued.Vehicle = e.Vehicle
		c.Equipment = append(c.Equipment, issued)
		posts = append(posts, post)
	}
	c.State = twin.IncidentDispatched
	what := msg.New("timeline.confirmed", "vehicles", len(c.Assignments), "lines", len(c.Equipment))
	if more {
		what = msg.New("timeline.reinforced", "level", inc.Level.String(), "vehicles", len(p.Assignments), "lines", len(p.Equipment))
	}
	c.Timeline = append(slices.Clone(inc.Timeline), step(now, by, what))
	var before []twin.Command
	for _, id := range sortedKeys(taken) {
		before = append(before, twin.Update{Entity: taken[id]})
	}
	return &c, commands(&c, teams, posts, before...), nil
}

// takeFrom releases a vehicle from a lesser incident for a graver one,
// noting it in the lesser one's timeline.
func (d *Desk) takeFrom(s *twin.Snapshot, taken map[string]*twin.Incident, inc *twin.Incident, a Assignment, now time.Time, by string) error {
	o, ok := taken[a.From]
	if !ok {
		orig, found := twin.Lookup[*twin.Incident](s, a.From)
		if !found {
			return twin.Invalid("from", "no incident %s", a.From)
		}
		if !orig.Open() || !d.rules.Outranks(inc, orig) {
			return refuse(twin.ECONFLICT, "from", msg.New("error.notRankBelow", "from", a.From, "id", inc.ID))
		}
		cp := *orig
		cp.Assignments = slices.Clone(orig.Assignments)
		cp.Timeline = slices.Clone(orig.Timeline)
		o, taken[a.From] = &cp, &cp
	}
	i := slices.IndexFunc(o.Assignments, func(x twin.Assignment) bool {
		return x.Vehicle == a.Vehicle && (x.State == twin.AssignDispatched || x.State == twin.AssignEnRoute)
	})
	if i < 0 {
		return refuse(twin.ECONFLICT, "vehicle", msg.New("error.vehicleNotOnWay", "vehicle", a.Vehicle, "from", a.From))
	}
	o.Assignments[i].State, o.Assignments[i].ReturnedAt = twin.AssignReleased, now
	o.Timeline = append(o.Timeline, step(now, by, msg.New("timeline.taken", "vehicle", a.Vehicle, "incident", inc.ID,
		"level", inc.Level.String(), "type", inc.Type.String())))
	return nil
}

// issue issues equipment to an incident through its warehouse's ledger:
// serialized items by serial (the ones named, or the first ready by
// serial), bulk stock by quantity (the ledger takes it first expiring
// first). Only what is ready is issued: nothing expired, overdue,
// quarantined, in repair or lost.
func issue(s *twin.Snapshot, incident string, e Line, now time.Time) (twin.EquipmentIssued, twin.Command, error) {
	out := twin.EquipmentIssued{Type: e.Type, Warehouse: e.Warehouse, Quantity: e.Quantity, State: twin.EquipReserved}
	if !(e.Quantity > 0) {
		return out, nil, twin.Invalid("quantity", "must be positive")
	}
	ts := s.Stock(e.Warehouse).Type(e.Type)
	if ts == nil {
		return out, nil, twin.Errorf(twin.EINSUFFICIENT, "type", "%s holds no %s", e.Warehouse, e.Type)
	}
	out.Unit = ts.Unit
	entry := &twin.LedgerEntry{Warehouse: e.Warehouse, Op: twin.OpIssue, Type: e.Type, Incident: incident}
	if !ts.Serialized() {
		entry.Quantity = e.Quantity
		return out, twin.Post{Entry: entry}, nil
	}
	_, ready := ts.Ready(now)
	if len(e.Items) > 0 {
		ready = slices.DeleteFunc(ready, func(s string) bool { return !slices.Contains(e.Items, s) })
	}
	if float64(len(ready)) < e.Quantity {
		return out, nil, twin.Errorf(twin.EINSUFFICIENT, "quantity", "%s has %d of %s ready, not %v", e.Warehouse, len(ready), e.Type, e.Quantity)
	}
	out.Items = ready[:int(e.Quantity)]
	entry.Serials = out.Items
	return out, twin.Post{Entry: entry}, nil
}

// Tick moves confirmed responses along on the twin's clock: a vehicle is
// en route once its turnout has passed, on scene at its ETA, and back at
// its base once it has driven home; equipment is issued when the first
// vehicle leaves. Each change is stamped with the time it fell due, not
// the time of the tick. Each incident due moves in a change of its own,
// decided in the twin's writer for that incident alone, so that one the
// twin refuses (a file where a vehicle sits in two open incidents) holds
// up no other: Tick goes on past it and returns the errors joined, each
// naming its incident.
func (d *Desk) Tick(ctx context.Context) error {
	ctx = twin.AsSystem(ctx, twin.ActorDesk) // time alone moves the units
	var errs []error
	for _, id := range d.due(d.tw.Snapshot()) {
		err := d.decide(ctx, func(s *twin.Snapshot) ([]twin.Command, error) {
			inc, ok := twin.Lookup[*twin.Incident](s, id)
			if !ok {
				return nil, nil // gone since: nothing to move
			}
			return d.tick(s, inc), nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("incident %s: %w", id, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// due returns the IDs of the incidents of s with an assignment due to move
// on now, in order: when there are none, Tick makes no writer round trip.
func (d *Desk) due(s *twin.Snapshot) []string {
	now := d.tw.Clock().Now()
	var ids []string
	for inc := range twin.All[*twin.Incident](s) {
		if slices.ContainsFunc(inc.Assignments, func(a twin.Assignment) bool {
			_, at, ok := due(&a)
			return ok && !now.Before(at)
		}) {
			ids = append(ids, inc.ID)
		}
	}
	return ids
}

// tick returns the commands that move inc and its vehicles' teams on to
// now, none when nothing is due.
func (d *Desk) tick(s *twin.Snapshot, inc *twin.Incident) []twin.Command {
	if len(inc.Assignments) == 0 {
		return nil
	}
	now := d.tw.Clock().Now()
	teams := map[string]*twin.Team{}
	c := *inc
	c.Assignments = slices.Clone(inc.Assignments)
	c.Equipment = slices.Clone(inc.Equipment)
	changed := false
	for i := range c.Assignments {
		a := &c.Assignments[i]
		for {
			next, at, ok := due(a)
			if !ok || now.Before(at) {
				break
			}
			a.State = next
			switch next {
			case twin.AssignEnRoute:
				a.TurnoutAt = at
			case twin.AssignOnScene:
				a.ArrivedAt = at
			case twin.AssignReleased:
				a.ReturnedAt = at
			}
			setVehicle(s, teams, a.Team, a.Vehicle, next.VehicleStatus())
			changed = true
		}
		if !a.TurnoutAt.IsZero() { // it left: what it carries is issued
			for j := range c.Equipment {
				if c.Equipment[j].State == twin.EquipReserved {
					c.Equipment[j].State = twin.EquipIssued
					changed = true
				}
			}
		}
	}
	if !changed {
		return nil
	}
	return commands(&c, teams, nil)
}

// due returns an assignment's next state and when it falls due.
func due(a *twin.Assignment) (twin.AssignmentState, time.Time, bool) {
	switch a.State {
	case twin.AssignDispatched:
		return twin.AssignEnRoute, a.OrderedAt.Add(seconds(a.TurnoutS)), true
	case twin.AssignEnRoute:
		return twin.AssignOnScene, a.OrderedAt.Add(seconds(a.EtaS)), true
	case twin.AssignReturning:
		return twin.AssignReleased, a.ReturnedAt, true
	}
	return 0, time.Time{}, false
}

// teamCopy returns a copy of a team kept in teams, its vehicles copied so
// they can change; nil when there is no such team.
func teamCopy(s *twin.Snapshot, teams map[string]*twin.Team, id string) *twin.Team {
	if t, ok := teams[id]; ok {
		return t
	}
	orig, ok := twin.Lookup[*twin.Team](s, id)
	if !ok {
		return nil
	}
	cp := *orig
	cp.Vehicles = slices.Clone(orig.Vehicles)
	teams[id] = &cp
	return &cp
}

// setVehicle sets a vehicle's status in a copy of its team kept in teams.
func setVehicle(s *twin.Snapshot, teams map[string]*twin.Team, team, vehicle string, st twin.Status) {
	t := teamCopy(s, teams, team)
	if t == nil {
		return
	}
	for i := range t.Vehicles {
		if t.Vehicles[i].ID == vehicle {
			t.Vehicles[i].Status = st
		}
	}
}

// ResponseTimes returns the 90th-percentile response time (order to
// arrival) of each incident and of each team, over the arrivals recorded.
func ResponseTimes(s *twin.Snapshot) (incidents, teams map[string]time.Duration) {
	byInc, byTeam := map[string][]time.Duration{}, map[string][]time.Duration{}
	for inc := range twin.All[*twin.Incident](s) {
		for _, a := range inc.Assignments {
			if a.ArrivedAt.IsZero() {
				continue
			}
			rt := a.ArrivedAt.Sub(a.OrderedAt)
			byInc[inc.ID] = append(byInc[inc.ID], rt)
			byTeam[a.Team] = append(byTeam[a.Team], rt)
		}
	}
	return p90s(byInc), p90s(byTeam)
}

func p90s(m map[string][]time.Duration) map[string]time.Duration {
	out := make(map[string]time.Duration, len(m))
	for k, ds := range m {
		out[k] = P90(ds)
	}
	return out
}

// P90 returns the 90th percentile of ds by the nearest-rank method.
func P90(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(0.9*float64(len(s)))) - 1
	return s[max(rank, 0)]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func prefixed(field string, err error) error {
	var e *twin.Error
	if ok := asError(err, &e); ok {
		f := field
		if e.Field != "" {
			f += "." + e.Field
		}
		return &twin.Error{Code: e.Code, Field: f, Message: e.Message, Msg: twin.MsgInField(e.Msg, f)}
	}
	return err
}
