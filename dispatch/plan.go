package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"parktwin/twin"
)

// Plan is the dispatcher's proposal for one incident: which vehicles go
// (fastest first among those that fit the run card), what the incident
// needs, where the equipment comes from, and what the park lacks. Every
// line says why.
type Plan struct {
	Incident     string        `json:"incident"`
	Seq          uint64        `json:"seq"`
	Assignments  []Assignment  `json:"assignments"`
	Requirements []Requirement `json:"requirements"`
	Equipment    []Line        `json:"equipment"`
	Shortfalls   []Shortfall   `json:"shortfalls"`
	Notes        []string      `json:"notes"`
	// Staging is where the units gather when the incident has hot zones
	// (staging.go): their routes and ETAs are to it.
	Staging *Staging `json:"staging,omitempty"`
	// ClosedRoads are the road segments inside the hot zones, closed for
	// this plan's routes.
	ClosedRoads []string `json:"closedRoads,omitempty"`
}

// Assignment sends one vehicle of a team. From names the incident the
// vehicle is taken from, when a graver incident takes it from a lesser one.
type Assignment struct {
	Team    string   `json:"team"`
	Vehicle string   `json:"vehicle"`
	EtaS    float64  `json:"etaS"`
	Route   []string `json:"route"`
	From    string   `json:"from,omitempty"`
	Reason  string   `json:"reason"`
	// Onward: the unit goes on from staging toward the source, by
	// OnwardRoute in about OnwardS more; the others wait at staging.
	Onward      bool     `json:"onward,omitempty"`
	OnwardRoute []string `json:"onwardRoute,omitempty"`
	OnwardS     float64  `json:"onwardS,omitempty"`
	// HotRoads are the closed roads its route must still cross: its base
	// lies inside a hot zone, and it leaves by the fewest.
	HotRoads []string `json:"hotRoads,omitempty"`
}

// candidate is a vehicle that could go, with its time to the incident.
type candidate struct {
	team    *twin.Team
	vehicle twin.Vehicle
	eta     float64 // turnout + travel, seconds
	turnout float64
	route   Route
	from    *twin.Incident // the lesser incident it would be taken from
}

// takePenalty makes a unit taken from another incident the last choice:
// only when no free unit can fill the line.
const takePenalty = 1e6

// slot is one unit a run card asks for.
type slot struct {
	unit  Unit
	line  int // the run card's line
	index int // which of its count
}

// Plan proposes the response to inc on the park in s, with its
// consequence zones computed by the shipped zones.yaml. It changes
// nothing; the same inputs always give the same plan.
func (r *Rules) Plan(s *twin.Snapshot, g *Graph, inc *twin.Incident, now time.Time) (*Plan, error) {
	z, err := DefaultZoneConfig().ComputeZones(s, inc, now)
	if err != nil {
		z = nil
	}
	return r.PlanWith(s, g, inc, now, z)
}

// PlanWith proposes the response to inc with its zones z (nil: none).
// With hot zones, the roads inside them are closed for the plan, the
// units go to a staging point outside them (staging.go), and only those
// whose role needs it go on toward the source.
func (r *Rules) PlanWith(s *twin.Snapshot, g *Graph, inc *twin.Incident, now time.Time, z *IncidentZones) (*Plan, error) {
	ap, err := r.approachOf(s, g, inc, z)
	if err != nil {
		return nil, err
	}
	in := ap.to
	p := &Plan{Incident: inc.ID, Seq: s.Seq(), Assignments: []Assignment{}, Requirements: []Requirement{},
		Equipment: []Line{}, Shortfalls: []Shortfall{}, Notes: []string{}, Staging: ap.staging, ClosedRoads: ap.closed}
	p.Notes = append(p.Notes, ap.notes...)
	p.Requirements = append(p.Requirements, r.requirements(s, inc)...)

	card := r.RunCards[inc.Type.String()][inc.Level.String()]
	var slots []slot
	for li, u := range card {
		for k := range u.Count {
			slots = append(slots, slot{u, li, k})
		}
	}
	cands, kept := r.candidates(s, in, inc)
	cands = append(cands, r.takeable(s, in, inc)...)
	p.Notes = append(p.Notes, kept...)
	cost := make([][]float64, len(slots))
	for i, sl := range slots {
		cost[i] = make([]float64, len(cands))
		for j, c := range cands {
			cost[i][j] = math.Inf(1)
			if fits(sl.unit, c) {
				cost[i][j] = c.eta
				if c.from != nil {
					cost[i][j] += takePenalty
				}
			}
		}
	}
	chosen := assign(cost, len(cands))
	missing := map[int]int{}
	lead := map[string]bool{} // vehicles that lead the plan
	for i, j := range chosen {
		sl := slots[i]
		if j < 0 {
			missing[sl.line]++
			continue
		}
		c := cands[j]
		a := Assignment{
			Team: c.team.ID, Vehicle: c.vehicle.ID, EtaS: math.Round(c.eta), Route: c.route.Roads,
			Reason: fmt.Sprintf("run card %s %s: %s %d of %d — %s of %s, ETA %.0f s = turnout %.0f s + %.0f s by road",
				inc.Type, inc.Level, what(sl.unit), sl.index+1, sl.unit.Count, c.vehicle.Name, c.team.Name,
				c.eta, c.turnout, c.route.Travel.Seconds()),
		}
		if c.from != nil {
			a.From = c.from.ID
			a.Reason += fmt.Sprintf("; no free unit fits, so it is taken from %s (level %s %s), which ranks below this level %s %s (ETA from its base)",
				c.from.ID, c.from.Level, c.from.Type, inc.Level, inc.Type)
		}
		ap.stage(&a, c.route, inc, sl.unit)
		if ap.staging != nil && leadsOf(inc.Type, sl.unit) {
			lead[a.Vehicle] = true
			a.Reason += "; leads the plan: the entry into a toxic or flammable release is made on detection readings, with gas-tight protection"
		}
		p.Assignments = append(p.Assignments, a)
	}
	slices.SortStableFunc(p.Assignments, func(a, b Assignment) int {
		if lead[a.Vehicle] != lead[b.Vehicle] {
			if lead[a.Vehicle] {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.EtaS, b.EtaS), cmp.Compare(a.Vehicle, b.Vehicle))
	})
	for li, n := range missing {
		u := card[li]
		p.Shortfalls = append(p.Shortfalls, Shortfall{What: what(u), Needed: float64(u.Count),
			Available: float64(u.Count - n), Unit: "units"})
	}
	slices.SortFunc(p.Shortfalls, func(a, b Shortfall) int { return cmp.Compare(a.What, b.What) })
	if len(p.Assignments) > 0 {
		first := p.Assignments[0].EtaS
		for _, a := range p.Assignments {
			first = min(first, a.EtaS)
		}
		if first > r.ResponseTarget.D().Seconds() {
			p.Notes = append(p.Notes, fmt.Sprintf("the first unit arrives %.0f s after the order, beyond the %.0f s target",
				first, r.ResponseTarget.D().Seconds()))
		}
	}
	lines, short := r.Allocate(s, in, now, inc.Enterprise, carried(p, cands, chosen))
	p.Equipment = append(p.Equipment, lines...)
	p.Shortfalls = append(p.Shortfalls, short...)
	return p, nil
}

// carried returns the requirements less the foam concentrate the chosen
// vehicles carry (a foam tender brings its own), noting each deduction,
// for the warehouses to supply the rest.
func carried(p *Plan, cands []candidate, chosen []int) []Requirement {
	onBoard := map[string]float64{}
	for _, j := range chosen {
		if j < 0 {
			continue
		}
		for _, f := range cands[j].vehicle.Foam {
			onBoard["foam-"+f.Type.String()] += f.Litres
		}
	}
	out := make([]Requirement, 0, len(p.Requirements))
	for _, q := range p.Requirements {
		if have := onBoard[q.What]; have > 0 && q.Unit == "L" {
			use := math.Min(have, q.Quantity)
			onBoard[q.What] -= use
			p.Notes = append(p.Notes, fmt.Sprintf("%s: %s L of the %s L needed comes on the assigned vehicles; the warehouses supply the rest",
				q.What, thousands(use), thousands(q.Quantity)))
			q.Quantity -= use
			if q.Quantity <= 0 {
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

// requirements sizes what the incident needs from the twin.
func (r *Rules) requirements(s *twin.Snapshot, inc *twin.Incident) []Requirement {
	switch inc.Type {
	case twin.TankFire:
		if t, ok := twin.Lookup[*twin.Tank](s, inc.Entity); ok {
			return r.TankFire(s, t)
		}
	case twin.ToxicRelease:
		return r.ToxicRelease(inc.Level.String())
	case twin.ConfinedSpaceIncident:
		return r.ConfinedSpaceRescue()
	}
	return nil
}

// candidates returns every vehicle that may go, with its time to the
// incident; vehicles a coverage rule keeps at their station are left
// out, and named in the notes.
func (r *Rules) candidates(s *twin.Snapshot, in *Inbound, inc *twin.Incident) ([]candidate, []string) {
	var out []candidate
	var notes []string
	for t := range twin.All[*twin.Team](s) {
		if t.Status != twin.Available {
			continue
		}
		route, ok := in.From(t.Base)
		if !ok {
			continue
		}
		turnout := r.Turnout[t.Type.String()].D().Seconds()
		keep := map[twin.VehicleType]int{}
		for _, cv := range r.Coverage {
			if cv.TeamType == t.Type.String() && !slices.Contains(cv.UnlessLevels, inc.Level.String()) {
				var vt twin.VehicleType
				vt.UnmarshalText([]byte(cv.Vehicle))
				keep[vt] += cv.Keep
			}
		}
		// The vehicles kept are the last available of their type, by ID.
		vs := slices.Clone(t.Vehicles)
		slices.SortFunc(vs, func(a, b twin.Vehicle) int { return cmp.Compare(b.ID, a.ID) })
		for _, v := range vs {
			if v.Status != twin.Available {
				continue
			}
			if keep[v.Type] > 0 {
				keep[v.Type]--
				notes = append(notes, fmt.Sprintf("coverage: %s (%s) stays at %s", v.ID, v.Type, t.Name))
				continue
			}
			out = append(out, candidate{team: t, vehicle: v, eta: turnout + route.Travel.Seconds(), turnout: turnout, route: route})
		}
	}
	slices.SortFunc(out, func(a, b candidate) int { return cmp.Compare(a.vehicle.ID, b.vehicle.ID) })
	slices.Sort(notes)
	return out, notes
}

// takeable returns the vehicles on their way to incidents that rank below
// inc: a graver incident may take them, saying so.
func (r *Rules) takeable(s *twin.Snapshot, in *Inbound, inc *twin.Incident) []candidate {
	var out []candidate
	for o := range twin.All[*twin.Incident](s) {
		if o.ID == inc.ID || !o.Open() || !r.Outranks(inc, o) {
			continue
		}
		for _, a := range o.Assignments {
			if a.State != twin.AssignDispatched && a.State != twin.AssignEnRoute {
				continue
			}
			t, ok := twin.Lookup[*twin.Team](s, a.Team)
			if !ok {
				continue
			}
			vi := slices.IndexFunc(t.Vehicles, func(v twin.Vehicle) bool { return v.ID == a.Vehicle })
			route, ok := in.From(t.Base)
			if vi < 0 || !ok {
				continue
			}
			turnout := r.Turnout[t.Type.String()].D().Seconds()
			out = append(out, candidate{team: t, vehicle: t.Vehicles[vi], eta: turnout + route.Travel.Seconds(),
				turnout: turnout, route: route, from: o})
		}
	}
	return out
}

// Outranks reports whether incident a comes before b under the rules'
// priority: by level, then by type.
func (r *Rules) Outranks(a, b *twin.Incident) bool {
	la, lb := slices.Index(r.Priority.Levels, a.Level.String()), slices.Index(r.Priority.Levels, b.Level.String())
	if la != lb {
		return la < lb
	}
	return slices.Index(r.Priority.Types, a.Type.String()) < slices.Index(r.Priority.Types, b.Type.String())
}

// fits reports whether a candidate can fill a run card's unit: a vehicle
// of its type, or any vehicle of a team with its capability.
func fits(u Unit, c candidate) bool {
	if u.Vehicle != "" {
		return c.vehicle.Type.String() == u.Vehicle
	}
	var want twin.Capability
	want.UnmarshalText([]byte(u.Capability))
	return slices.Contains(c.team.Capabilities, want)
}

func what(u Unit) string {
	if u.Vehicle != "" {
		return "vehicle " + u.Vehicle
	}
	return "capability " + u.Capability
}
