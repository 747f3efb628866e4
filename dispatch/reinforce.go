package dispatch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Reinforcement (增援): once a plan is confirmed, planning the incident
// again (its level raised, or the operator asking again) proposes only
// what the run card and the requirements need beyond what the incident
// already holds. The units on their way or on scene fill their run-card
// lines first, at no cost, and are not proposed again; the equipment
// already lent is taken off the requirements before the warehouses are
// asked. Confirming adds what is proposed to the incident.
//
// A reinforcement is confirmed against the incident as it was planned:
// its Basis is a digest of the incident's level, type, scope and what it
// holds, and a confirm finds the same digest or is refused — so that two
// operators (or one, twice) confirming reinforcements planned on the same
// incident send the extra units once.

// Reinforcement marks a plan as additional to a confirmed one.
type Reinforcement struct {
	// Basis is the digest of the incident the plan was made on.
	Basis string `json:"basis"`
	// Level is the level planned for.
	Level string `json:"level"`
	// Assigned are the vehicles already at or on their way to the
	// incident, which count toward the run card.
	Assigned []string `json:"assigned"`
	// Counted are the equipment lines already lent to the incident,
	// taken off the requirements.
	Counted []Line `json:"counted"`
}

// reinforcing reports whether a plan for inc is a reinforcement: its
// first plan is confirmed and it has not been brought under control.
func reinforcing(inc *twin.Incident) bool { return inc.State == twin.IncidentDispatched }

// holds reports whether an assignment still counts toward the run card:
// the unit is sent, on its way or on scene, not going home.
func holds(a twin.Assignment) bool {
	return a.State == twin.AssignDispatched || a.State == twin.AssignEnRoute || a.State == twin.AssignOnScene
}

// reinforcementOf returns the mark of a plan for inc, nil when the plan
// is a first one.
func reinforcementOf(inc *twin.Incident) *Reinforcement {
	if !reinforcing(inc) {
		return nil
	}
	r := &Reinforcement{Basis: basisOf(inc), Level: inc.Level.String(), Assigned: []string{}, Counted: []Line{}}
	for _, a := range inc.Assignments {
		if holds(a) {
			r.Assigned = append(r.Assigned, a.Vehicle)
		}
	}
	for _, e := range inc.Equipment {
		if e.State != twin.EquipReturned {
			r.Counted = append(r.Counted, Line{Type: e.Type, Warehouse: e.Warehouse, Quantity: e.Quantity, Unit: e.Unit, Items: e.Items})
		}
	}
	return r
}

// basisOf is the digest of what a reinforcement of inc is planned on:
// what decides the run card, the zones and the requirements, what the
// incident holds, and how many assignments and equipment lines it has
// had. A unit moving from en route to on scene does not change it.
func basisOf(inc *twin.Incident) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%s|%g|%s\n", inc.Type, inc.Level, inc.State, inc.Scope, inc.SpillM3, inc.Chemical)
	if inc.Release != nil { // what is known of the release sizes the zones and the needs
		fmt.Fprintf(&b, "%+v\n", *inc.Release)
	}
	// What it holds, and how many assignments and equipment lines it was
	// ever given: both only grow, so that a reinforcement's units
	// released do not make its plan's basis again (a replayed confirm).
	fmt.Fprintf(&b, "%d|%d\n", len(inc.Assignments), len(inc.Equipment))
	var vs []string
	for _, a := range inc.Assignments {
		if holds(a) {
			vs = append(vs, a.Team+"/"+a.Vehicle)
		}
	}
	slices.Sort(vs)
	fmt.Fprintln(&b, strings.Join(vs, ","))
	var es []string
	for _, e := range inc.Equipment {
		if e.State != twin.EquipReturned {
			es = append(es, fmt.Sprintf("%s@%s:%g:%s", e.Type, e.Warehouse, e.Quantity, strings.Join(e.Items, "+")))
		}
	}
	slices.Sort(es)
	fmt.Fprintln(&b, strings.Join(es, ","))
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

// heldBy returns the vehicles inc already holds as candidates that fill
// a run-card line at no cost and are not proposed again; none for a
// first plan.
func (r *Rules) heldBy(s *twin.Snapshot, in *Inbound, inc *twin.Incident) []candidate {
	if !reinforcing(inc) {
		return nil
	}
	var out []candidate
	for _, a := range inc.Assignments {
		if !holds(a) {
			continue
		}
		t, ok := twin.Lookup[*twin.Team](s, a.Team)
		if !ok {
			continue
		}
		vi := slices.IndexFunc(t.Vehicles, func(v twin.Vehicle) bool { return v.ID == a.Vehicle })
		if vi < 0 {
			continue
		}
		route, _ := in.From(t.Base)
		out = append(out, candidate{team: t, vehicle: t.Vehicles[vi], eta: a.EtaS, turnout: a.TurnoutS, route: route, held: true})
	}
	return out
}

// lessLent takes the equipment inc has already been lent off the
// requirements: a reinforcement asks the warehouses for the rest only.
func lessLent(inc *twin.Incident, reqs []Requirement) []Requirement {
	if !reinforcing(inc) {
		return reqs
	}
	lent := map[string]float64{}
	for _, e := range inc.Equipment {
		if e.State != twin.EquipReturned {
			lent[e.Type] += e.Quantity
		}
	}
	out := make([]Requirement, 0, len(reqs))
	for _, q := range reqs {
		if have := lent[q.What]; have > 0 {
			use := min(have, q.Quantity)
			lent[q.What] -= use
			q.Quantity -= use
		}
		if q.Quantity > 0 {
			out = append(out, q)
		}
	}
	return out
}

// checkReinforcement refuses a reinforcement planned on another state of
// the incident (stale) or one that sends a vehicle the incident holds.
func checkReinforcement(inc *twin.Incident, p Plan) error {
	if p.Reinforcement == nil {
		return refuse(twin.ECONFLICT, "reinforcement", msg.New("error.reinforcement.none", "id", inc.ID, "state", inc.State.String()))
	}
	if got := basisOf(inc); p.Reinforcement.Basis != got {
		return refuse(twin.ECONFLICT, "reinforcement.basis", msg.New("error.reinforcement.stale", "id", inc.ID))
	}
	for i, a := range p.Assignments {
		if slices.ContainsFunc(inc.Assignments, func(x twin.Assignment) bool { return x.Vehicle == a.Vehicle && x.Active() }) {
			return refuse(twin.EINVALID, fmt.Sprintf("assignments[%d].vehicle", i), msg.New("error.vehicleAssigned", "vehicle", a.Vehicle, "id", inc.ID))
		}
	}
	return nil
}

// SetLevel changes an incident's response level (raised as it grows,
// lowered as it is contained), noting it in the timeline. Planning it
// again then proposes the reinforcement the new level's run card needs.
func (d *Desk) SetLevel(ctx context.Context, id, level, by string) (*twin.Incident, error) {
	var lv twin.ResponseLevel
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, twin.InField("level", err)
	}
	return d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		inc, ok := twin.Lookup[*twin.Incident](s, id)
		if !ok {
			return nil, nil, twin.Errorf(twin.ENOTFOUND, "id", "no incident %s", id)
		}
		if !inc.Open() {
			return nil, nil, refuse(twin.ECONFLICT, "state", msg.New("error.incidentClosed", "id", id))
		}
		if inc.Level == lv {
			return nil, nil, twin.Invalid("level", "incident %s is level %s already", id, lv)
		}
		c := *inc
		how := "timeline.lowered"
		if d.rules.Outranks(&twin.Incident{Level: lv, Type: inc.Type}, inc) {
			how = "timeline.raised"
		}
		c.Level = lv
		c.Timeline = append(slices.Clone(inc.Timeline), step(d.tw.Clock().Now(), by, msg.New(how, "from", inc.Level.String(), "to", lv.String())))
		return &c, []twin.Command{twin.Update{Entity: &c}}, nil
	})
}

// Release frees one vehicle of an incident before the incident ends: the
// vehicle is available again at once, as when the incident closes, and
// the equipment lines it carries (Line.Vehicle) go back through the
// ledger as they would at the close. The timeline says so.
func (d *Desk) Release(ctx context.Context, id, team, vehicle, by string) (*twin.Incident, error) {
	switch {
	case team == "":
		return nil, twin.Invalid("team", "required: the team of the vehicle to release")
	case vehicle == "":
		return nil, twin.Invalid("vehicle", "required: the vehicle to release")
	}
	return d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		now := d.tw.Clock().Now()
		inc, ok := twin.Lookup[*twin.Incident](s, id)
		if !ok {
			return nil, nil, twin.Errorf(twin.ENOTFOUND, "id", "no incident %s", id)
		}
		if !inc.Open() {
			return nil, nil, refuse(twin.ECONFLICT, "state", msg.New("error.incidentClosed", "id", id))
		}
		i := slices.IndexFunc(inc.Assignments, func(a twin.Assignment) bool { return a.Team == team && a.Vehicle == vehicle && a.Active() })
		if i < 0 {
			if slices.ContainsFunc(inc.Assignments, func(a twin.Assignment) bool { return a.Team == team && a.Vehicle == vehicle }) {
				return nil, nil, refuse(twin.ECONFLICT, "vehicle", msg.New("error.vehicleReleased", "vehicle", vehicle, "team", team, "id", id))
			}
			return nil, nil, twin.Invalid("vehicle", "incident %s has no vehicle %s of team %s", id, vehicle, team)
		}
		c := *inc
		c.Assignments = slices.Clone(inc.Assignments)
		c.Equipment = slices.Clone(inc.Equipment)
		a := &c.Assignments[i]
		was := a.State
		a.State, a.ReturnedAt = twin.AssignReleased, now
		teams := map[string]*twin.Team{}
		setVehicle(s, teams, team, vehicle, twin.Available)
		var posts []twin.Command
		why := "vehicle " + vehicle + " released"
		for j := range c.Equipment {
			e := &c.Equipment[j]
			if e.Vehicle == vehicle && e.State != twin.EquipReturned {
				posts = append(posts, giveBack(c.ID, e, e.State == twin.EquipReserved, why))
				e.State = twin.EquipReturned
			}
		}
		c.Timeline = append(slices.Clone(inc.Timeline), step(now, by, msg.New("timeline.released", "vehicle", vehicle, "team", team,
			"was", fmt.Sprint(was), "n", len(posts))))
		return &c, commands(&c, teams, posts), nil
	})
}
