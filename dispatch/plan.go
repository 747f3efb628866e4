package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Plan is the dispatcher's proposal for one incident: which vehicles go
// (fastest first among those that fit the run card), what the incident
// needs, where the equipment comes from, and what the park lacks. Every
// line says why. Approach is set when the units cannot reach the road
// point nearest the incident and stop short of it.
type Plan struct {
	Incident     string        `json:"incident"`
	Seq          uint64        `json:"seq"`
	Assignments  []Assignment  `json:"assignments"`
	Requirements []Requirement `json:"requirements"`
	Equipment    []Line        `json:"equipment"`
	Shortfalls   []Shortfall   `json:"shortfalls"`
	Notes        []string      `json:"notes"`
	// NoteMsgs are the notes as messages (messages.go), one for each of
	// Notes, for the console to render in its language.
	NoteMsgs [][]msg.Msg `json:"noteMsgs"`
	Approach *Approach   `json:"approach,omitempty"`
	// Staging is where the units gather when the incident has hot zones
	// (staging.go): their routes and ETAs are to it.
	Staging *Staging `json:"staging,omitempty"`
	// WarmExit is where the units of zones.yaml toWarmExit (the
	// decontamination line, a water curtain) go on to from staging: the
	// junction just outside the hot zones nearest the source, on the
	// wind's side, where the entry team comes out.
	WarmExit *Staging `json:"warmExit,omitempty"`
	// AlternateStaging is a second staging point about 90° round from
	// the first, given when a toxic-by-inhalation release has no wind
	// known and staging follows the prevailing wind.
	AlternateStaging *Staging `json:"alternateStaging,omitempty"`
	// Curtain is where the units of zones.yaml toCurtain set a water
	// curtain: the isolation zone's edge downwind of the source.
	Curtain *Staging `json:"curtain,omitempty"`
	// Edge is where a confined space's vehicles that go on stop: just
	// outside the hot zone round the opening, on the wind's side.
	Edge *Staging `json:"edge,omitempty"`
	// ClosedRoads are the road segments inside the hot zones, closed for
	// this plan's routes.
	ClosedRoads []string `json:"closedRoads,omitempty"`
	// Reinforcement is set when the plan adds to a confirmed one
	// (reinforce.go): it proposes only what is needed beyond what the
	// incident holds.
	Reinforcement *Reinforcement `json:"reinforcement,omitempty"`
	// TargetS is the rules' response target (the first unit on scene
	// within it), for the console to hold the plan's first ETA to.
	TargetS float64 `json:"targetS,omitempty"`
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
	// ReasonMsg is Reason as messages, read one after the other.
	ReasonMsg []msg.Msg `json:"reasonMsg,omitempty"`
	// Onward: the unit goes on from staging toward the source, by
	// OnwardRoute in about OnwardS more; the others wait at staging.
	Onward      bool     `json:"onward,omitempty"`
	OnwardRoute []string `json:"onwardRoute,omitempty"`
	OnwardS     float64  `json:"onwardS,omitempty"`
	// ToWarmExit: the unit goes on from staging to the plan's WarmExit,
	// by WarmExitRoute in about WarmExitS more, and works there.
	ToWarmExit    bool     `json:"toWarmExit,omitempty"`
	WarmExitRoute []string `json:"warmExitRoute,omitempty"`
	WarmExitS     float64  `json:"warmExitS,omitempty"`
	// ToCurtain: the unit goes on from staging to the plan's Curtain, by
	// CurtainRoute in about CurtainS more, and sets a water curtain there.
	ToCurtain    bool     `json:"toCurtain,omitempty"`
	CurtainRoute []string `json:"curtainRoute,omitempty"`
	CurtainS     float64  `json:"curtainS,omitempty"`
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
	held    bool           // the incident holds it already (reinforce.go)
	direct  bool           // based inside a cut-off part: straight to the source
}

// takePenalty makes a unit taken from another incident the last choice:
// only when no free unit can fill the line.
const takePenalty = 1e6

// unsuitedPenalty makes a foam vehicle whose foam is no use on the
// incident's liquid (no alcohol-resistant foam on a water-soluble one)
// the choice only when no suited one can fill the line.
const unsuitedPenalty = 1e5

// versatileCost breaks a tie in favour of keeping the alcohol-resistant
// foam vehicle back when plain foam will do: of two equal units, the one
// that can also fight a water-soluble fire stays free.
const versatileCost = 1

// slot is one unit a run card asks for, or (line -1) one unit a coverage
// rule holds at its station.
type slot struct {
	unit  Unit
	line  int // the run card's line
	index int // which of its count
	hold  *holding
}

// holding is a coverage rule applied to one team: so many of its
// available vehicles of a type stay.
type holding struct {
	team     *twin.Team
	vehicle  twin.VehicleType
	keep, of int
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
	stg, err := r.approachOf(s, g, inc, z)
	if err != nil {
		return nil, err
	}
	in, ap := stg.to, stg.cut
	p := &Plan{Incident: inc.ID, Seq: s.Seq(), Assignments: []Assignment{}, Requirements: []Requirement{},
		Equipment: []Line{}, Shortfalls: []Shortfall{}, Notes: []string{}, NoteMsgs: [][]msg.Msg{}, Approach: ap, Staging: stg.staging, WarmExit: stg.warm, AlternateStaging: stg.alternate, Curtain: stg.curtain, Edge: stg.edge, ClosedRoads: stg.closed,
		Reinforcement: reinforcementOf(inc), TargetS: r.ResponseTarget.D().Seconds()}
	if stg.lead != nil {
		p.note(stg.lead...)
	}
	if ap != nil {
		p.note(ap.ReasonMsg...)
	}
	for _, n := range stg.notes {
		p.note(n...)
	}
	fixed := len(p.Notes) // the approach's notes first, the rest sorted

	card := r.card(s, inc)
	var slots []slot
	for li, u := range card {
		for k := range u.Count {
			slots = append(slots, slot{unit: u, line: li, index: k})
		}
	}
	cands, unreachable := r.candidates(s, in)
	if ap != nil && ap.direct != nil {
		// The teams based inside the cut-off part reach the source
		// itself: they are candidates, straight there.
		inside, _ := r.candidates(s, ap.direct)
		kept := unreachable[:0:0]
		for _, c := range unreachable {
			if i := slices.IndexFunc(inside, func(d candidate) bool { return d.vehicle.ID == c.vehicle.ID }); i >= 0 && slices.Contains(ap.Inside, c.team.ID) {
				d := inside[i]
				d.direct = true
				cands = append(cands, d)
				continue
			}
			kept = append(kept, c)
		}
		unreachable = kept
	}
	cands = append(cands, r.takeable(s, in, inc)...)
	cands = stg.keepOut(cands, p)
	for _, h := range r.holdings(s, inc, cands) {
		for k := range h.keep {
			slots = append(slots, slot{line: -1, index: k, hold: h})
		}
	}
	cands = append(cands, r.heldBy(s, in, inc)...)
	arNeeded := r.needsAR(s, inc)
	cost := make([][]float64, len(slots))
	for i, sl := range slots {
		cost[i] = make([]float64, len(cands))
		for j, c := range cands {
			cost[i][j] = math.Inf(1)
			switch {
			case sl.hold != nil:
				if c.from == nil && !c.held && c.team == sl.hold.team && c.vehicle.Type == sl.hold.vehicle {
					cost[i][j] = 0
				}
			case c.held:
				if r.fits(sl.unit, c) {
					cost[i][j] = 0 // it is there already: it fills its line first
				}
			case r.fits(sl.unit, c):
				cost[i][j] = c.eta
				if c.from != nil {
					cost[i][j] += takePenalty
				}
				if arNeeded != nil && unsuited(c.vehicle) {
					cost[i][j] += unsuitedPenalty
				}
				if arNeeded == nil && carriesAR(c.vehicle) {
					cost[i][j] += versatileCost
				}
			}
		}
	}
	chosen := assign(cost, len(cands))
	missing := map[int]int{}
	entry := 0                // the crews that go into the zone
	var sent []twin.Vehicle   // the vehicles assigned, for the flow check
	lead := map[string]bool{} // vehicles that lead the plan // vehicles that lead the plan
	for i, j := range chosen {
		sl := slots[i]
		if sl.hold != nil {
			if j >= 0 {
				c := cands[j]
				p.note(msg.New("plan.note.coverage", "vehicle", c.vehicle.ID, "vtype", c.vehicle.Type.String(), "foam", foamOf(c.vehicle),
					"team", c.team.Name, "keep", sl.hold.keep, "of", sl.hold.of, "htype", sl.hold.vehicle.String()))
			}
			continue
		}
		if j < 0 {
			missing[sl.line]++
			continue
		}
		c := cands[j]
		// The entry crews of a release; a sphere fire's exceptions to who
		// goes on (lfg) do not bear on the toxic kit.
		if onwardOf(inc.Type, sl.unit, false) {
			entry += c.vehicle.Crew
		}
		sent = append(sent, c.vehicle)
		if c.held {
			continue // already sent: a reinforcement proposes the rest
		}
		a := Assignment{
			Team: c.team.ID, Vehicle: c.vehicle.ID, EtaS: math.Round(c.eta), Route: c.route.Roads,
		}
		a.say(msg.New("plan.reason.card", "type", inc.Type.String(), "level", inc.Level.String(), "what", whatMsg(sl.unit),
			"n", sl.index+1, "count", sl.unit.Count, "vehicle", c.vehicle.Name, "team", c.team.Name,
			"eta", num0(c.eta), "turnout", num0(c.turnout), "travel", num0(c.route.Travel.Seconds())))
		switch {
		case c.direct:
			a.say(msg.New("plan.reason.direct"))
		case ap != nil && stg.staging != nil:
			a.say(msg.New("plan.reason.approachStaging", "road", ap.Road, "hose", num0(ap.HoseLayM)))
		case ap != nil:
			a.say(msg.New("plan.reason.approach", "road", ap.Road, "hose", num0(ap.HoseLayM)))
		}
		if arNeeded != nil && unsuited(c.vehicle) {
			a.say(msg.New("plan.reason.unsuited", "chem", arNeeded.NameZh))
		}
		if c.from != nil {
			a.From = c.from.ID
			a.say(msg.New("plan.reason.taken", "from", c.from.ID, "fromLevel", c.from.Level.String(), "fromType", c.from.Type.String(),
				"level", inc.Level.String(), "type", inc.Type.String()))
		}
		if !c.direct {
			stg.stage(&a, c.route, inc, sl.unit)
		}
		if stg.staging != nil && leadsOf(inc.Type, sl.unit) {
			lead[a.Vehicle] = true
			a.say(msg.New("plan.reason.leads"))
		}
		p.Assignments = append(p.Assignments, a)
	}
	p.sortNotes(fixed)
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
		wm := whatMsg(u)
		sf := Shortfall{What: what(u), WhatMsg: &wm, Needed: float64(u.Count), Available: float64(u.Count - n), Unit: "units"}
		var cut []msg.Msg
		for _, c := range unreachable {
			if r.fits(u, c) {
				cut = append(cut, msg.New("plan.short.cutUnit", "vehicle", c.vehicle.ID, "team", c.team.Name))
			}
		}
		if len(cut) > 0 {
			closed := closedRoads(s, 5)
			if ap != nil {
				closed = ap.Closed
			}
			why := msg.New("plan.roads.noOpen")
			if len(closed) > 0 {
				why = msg.New("plan.roads.closed", "roads", idList(closed))
			}
			sf.ReasonMsg = []msg.Msg{msg.New("plan.short.unreachable", "n", len(cut), "cut", join(cut), "why", why)}
			sf.Reason = english(sf.ReasonMsg...)
		}
		p.Shortfalls = append(p.Shortfalls, sf)
	}
	slices.SortFunc(p.Shortfalls, func(a, b Shortfall) int { return cmp.Compare(a.What, b.What) })
	if len(p.Assignments) > 0 && p.Reinforcement == nil {
		first := p.Assignments[0].EtaS
		for _, a := range p.Assignments {
			first = min(first, a.EtaS) // a plan led by its detection units
		}
		if first > r.ResponseTarget.D().Seconds() {
			p.note(msg.New("plan.note.late", "first", num0(first), "target", num0(r.ResponseTarget.D().Seconds())))
		}
	}
	for _, q := range r.requirements(s, inc, entry) {
		if q.What == "" {
			// Nothing in the catalogue the rules name does this (a
			// detector for a chemical no listed type reads): the park
			// lacks it, whatever its warehouses hold.
			wm := msg.New("plan.short.detectorFor", "chemical", fmt.Sprint(q.Basis["chemical"]))
			p.Shortfalls = append(p.Shortfalls, Shortfall{What: english(wm), WhatMsg: &wm,
				Needed: q.Quantity, Unit: q.Unit, Reason: q.Reason})
			continue
		}
		p.Requirements = append(p.Requirements, q)
	}
	p.Shortfalls = append(p.Shortfalls, r.flowCheck(p.Requirements, sent)...)
	if n := r.escalation(s, inc, z); n != nil {
		p.note(*n)
	}
	for _, q := range p.Requirements {
		// A chilled or pressurised neighbour of a burning tank boils off
		// when heated: the plan names it to be cooled first.
		for _, id := range priorityNeighbours(s, q) {
			o, _ := twin.Lookup[*twin.Tank](s, id)
			name := o.Chemical
			if oc, ok := twin.Lookup[*twin.Chemical](s, o.Chemical); ok {
				name = oc.NameZh
			}
			how := "chilled"
			if !o.Chilled {
				how = "pressurised"
			}
			p.note(msg.New("plan.note.coolFirst", "tank", id, "chem", name, "how", how, "d", fmt.Sprintf("%.1f", o.DiameterM)))
		}
	}
	if c, _ := releasedChemical(s, inc); c != nil {
		if tc, ok := r.Tactics[c.CAS]; ok {
			for i := range tc.Notes {
				p.note(msg.New("plan.note.tactics", "name", tc.Name, "note", tc.noteMsg(i), "source", cite(tc.Source)))
			}
		}
	}
	lines, short := r.Allocate(s, in, now, inc.Enterprise, lessLent(inc, r.carried(p, cands, chosen, slots)))
	for i, sf := range short {
		// A detector short names the chemical it was to read (finding 2:
		// a four-gas detector is no substitute for a chlorine cell).
		for _, q := range p.Requirements {
			if cas, _ := q.Basis["chemical"].(string); q.What == sf.What && cas != "" {
				if c, ok := twin.Lookup[*twin.Chemical](s, cas); ok {
					short[i].ReasonMsg = []msg.Msg{msg.New("plan.short.detector", "zh", c.NameZh, "en", c.NameEn, "cas", cas,
						"available", thousands(sf.Available), "needed", thousands(sf.Needed))}
					short[i].Reason = english(short[i].ReasonMsg...)
				}
			}
		}
	}
	p.Equipment = append(p.Equipment, lines...)
	p.Shortfalls = append(p.Shortfalls, short...)
	return p, nil
}

// card returns the run card's lines for the incident. A leak or vehicle
// accident with a toxic-by-inhalation chemical takes the toxic-release
// card's lines of its level too (the gas-protection vehicle, decon, the
// ambulance), each kind once at the larger count.
func (r *Rules) card(s *twin.Snapshot, inc *twin.Incident) []Unit {
	card := slices.Clone(r.RunCards[inc.Type.String()][inc.Level.String()])
	var add []Unit
	switch {
	case r.toxicByInhalation(s, inc) == nil:
		return card
	case inc.Type == twin.VehicleAccident || inc.Type == twin.FlammableLeak:
		add = r.RunCards[twin.ToxicRelease.String()][inc.Level.String()]
	case inc.Type == twin.ConfinedSpaceIncident:
		// A space with a named toxic gas (H2S): the gas-protection
		// vehicle brings the air, the gas-tight suits and the detectors.
		add = r.ConfinedSpace.ToxicGasLines
		if c := chemicalOf(s, inc); c != nil && zoneConfig.flammable(c) {
			// H2S burns: a charged line covers the rescue.
			add = append(slices.Clone(add), r.ConfinedSpace.FlammableGasLines...)
		}
	}
	for _, u := range add {
		i := slices.IndexFunc(card, func(c Unit) bool { return c.Vehicle == u.Vehicle && c.Capability == u.Capability })
		switch {
		case i < 0:
			card = append(card, u)
		case u.Count > card[i].Count:
			card[i].Count = u.Count
		}
	}
	return card
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// needsAR returns the incident's chemical when it is water-soluble and
// the incident calls for foam: only alcohol-resistant foam works on it.
func (r *Rules) needsAR(s *twin.Snapshot, inc *twin.Incident) *twin.Chemical {
	switch inc.Type {
	case twin.TankFire, twin.PoolFire, twin.FlammableLeak, twin.VehicleAccident, twin.Explosion:
		if c := chemicalOf(s, inc); c != nil && c.WaterSoluble {
			return c
		}
	}
	return nil
}

// unsuited reports whether a vehicle carries foam but none of it
// alcohol-resistant.
func unsuited(v twin.Vehicle) bool { return len(v.Foam) > 0 && !carriesAR(v) }

// carriesAR reports whether a vehicle carries alcohol-resistant foam.
func carriesAR(v twin.Vehicle) bool {
	return slices.ContainsFunc(v.Foam, func(f twin.FoamLoad) bool { return f.Type == twin.ARAFFF3 || f.Type == twin.ARAFFF6 })
}

// foamOf describes the foam a vehicle carries, one message a load: the
// concentrate named by its catalogue entry (equipment.foam-<type>) in
// the console's language, after the language's comma (", afff-3 4,000 L"
// in the English text).
func foamOf(v twin.Vehicle) []msg.Msg {
	out := []msg.Msg{}
	for _, f := range v.Foam {
		out = append(out, msg.New("plan.foam", "type", f.Type.String(), "litres", thousands(f.Litres)))
	}
	return out
}

// carried returns the requirements less the foam concentrate the chosen
// vehicles carry (a foam tender brings its own), noting each deduction,
// for the warehouses to supply the rest. Alcohol-resistant concentrate
// left over serves a plain-foam line too: AR-AFFF works on hydrocarbons
// at the same proportioning, and its tenders should not go with full
// tanks while the warehouses send AFFF.
func (r *Rules) carried(p *Plan, cands []candidate, chosen []int, slots []slot) []Requirement {
	onBoard := map[string]float64{}
	for i, j := range chosen {
		if j < 0 || slots[i].hold != nil {
			continue
		}
		for _, f := range cands[j].vehicle.Foam {
			onBoard["foam-"+f.Type.String()] += f.Litres
		}
	}
	left := make([]float64, len(p.Requirements))
	used := make([]map[string]float64, len(p.Requirements))
	take := func(i int, from string) {
		q := p.Requirements[i]
		if have := onBoard[from]; have > 0 && left[i] > 0 && q.Unit == "L" {
			use := math.Min(have, left[i])
			onBoard[from] -= use
			left[i] -= use
			used[i][from] += use
		}
	}
	for i, q := range p.Requirements {
		left[i], used[i] = q.Quantity, map[string]float64{}
		take(i, q.What)
	}
	for i, q := range p.Requirements {
		if q.What == r.Foam.Equipment {
			take(i, r.Foam.AlcoholResistant)
		}
	}
	out := make([]Requirement, 0, len(p.Requirements))
	for i, q := range p.Requirements {
		total, ar := 0.0, 0.0
		for from, l := range used[i] {
			total += l
			if from != q.What {
				ar += l
			}
		}
		if total > 0 {
			note := []msg.Msg{msg.New("plan.note.carried", "what", q.What, "total", thousands(total), "need", thousands(q.Quantity))}
			if ar > 0 {
				note = append(note, msg.New("plan.note.carriedAR", "ar", thousands(ar)))
			}
			if left[i] > 0 {
				note = append(note, msg.New("plan.note.carriedRest"))
			}
			p.note(note...)
		}
		if left[i] <= 0 {
			continue
		}
		q.Quantity = left[i]
		out = append(out, q)
	}
	return out
}

// candidates returns every available vehicle of an available team with
// its time to the incident, and apart those that no open road brings
// there.
func (r *Rules) candidates(s *twin.Snapshot, in *Inbound) (out, unreachable []candidate) {
	for t := range twin.All[*twin.Team](s) {
		if t.Status != twin.Available {
			continue
		}
		route, ok := in.From(t.Base)
		turnout := r.Turnout[t.Type.String()].D().Seconds()
		for _, v := range t.Vehicles {
			if v.Status != twin.Available {
				continue
			}
			c := candidate{team: t, vehicle: v, eta: turnout + route.Travel.Seconds(), turnout: turnout, route: route}
			if !ok {
				unreachable = append(unreachable, c)
				continue
			}
			out = append(out, c)
		}
	}
	byID := func(a, b candidate) int { return cmp.Compare(a.vehicle.ID, b.vehicle.ID) }
	slices.SortFunc(out, byID)
	slices.SortFunc(unreachable, byID)
	return out, unreachable
}

// holdings returns the coverage rules that hold vehicles back from inc,
// team by team: a rule keeps so many of a team's available vehicles of a
// type (all, when it has no more). Which of them stay is left to the
// assignment, which keeps those the plan misses least.
func (r *Rules) holdings(s *twin.Snapshot, inc *twin.Incident, cands []candidate) []*holding {
	var out []*holding
	for t := range twin.All[*twin.Team](s) {
		if t.Status != twin.Available {
			continue
		}
		keep := map[twin.VehicleType]int{}
		for _, cv := range r.Coverage {
			if cv.TeamType == t.Type.String() && !slices.Contains(cv.UnlessLevels, inc.Level.String()) {
				var vt twin.VehicleType
				vt.UnmarshalText([]byte(cv.Vehicle))
				keep[vt] += cv.Keep
			}
		}
		for vt, k := range keep {
			n := 0
			for _, c := range cands {
				if c.from == nil && c.team == t && c.vehicle.Type == vt {
					n++
				}
			}
			if n > 0 {
				out = append(out, &holding{team: t, vehicle: vt, keep: min(k, n), of: n})
			}
		}
	}
	slices.SortFunc(out, func(a, b *holding) int {
		return cmp.Or(cmp.Compare(a.team.ID, b.team.ID), cmp.Compare(a.vehicle, b.vehicle))
	})
	return out
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
// of its type; for a capability, a vehicle of a type that can do the
// work (vehicleCapabilities) of a team trained for it — a foam tender of
// a team that seals leaks does not seal leaks.
func (r *Rules) fits(u Unit, c candidate) bool {
	if u.Vehicle != "" {
		return c.vehicle.Type.String() == u.Vehicle
	}
	var want twin.Capability
	want.UnmarshalText([]byte(u.Capability))
	return slices.Contains(c.team.Capabilities, want) && r.VehicleCan(c.vehicle.Type, want)
}

func what(u Unit) string {
	if u.Vehicle != "" {
		return "vehicle " + u.Vehicle
	}
	return "capability " + u.Capability
}

// flowCheck compares the foam solution and cooling water a fire needs
// per second with what the assigned vehicles can deliver (rules.yaml
// flow): foam from the foam-capable ones; foam and cooling together
// from all, each vehicle at the larger of its two ratings. A fire that
// needs no flow (no foam, no cooling) is not checked.
func (r *Rules) flowCheck(reqs []Requirement, sent []twin.Vehicle) []Shortfall {
	foam, water := 0.0, 0.0
	for _, q := range reqs {
		sol, _ := q.Basis["solutionL"].(float64)
		mins, _ := q.Basis["minutes"].(float64)
		hours, _ := q.Basis["hours"].(float64)
		lps, mixed := q.Basis["lPerS"].(float64) // tanks cooled for different hours
		switch {
		case q.What == CoolingWater && mixed:
			water += lps
		case q.What == CoolingWater && hours > 0:
			water += q.Quantity / (hours * 3600)
		case strings.HasPrefix(q.What, "foam-") && sol > 0 && mins > 0:
			foam += sol / mins / 60
		}
	}
	if foam+water == 0 {
		return nil
	}
	foamCap, allCap := 0.0, 0.0
	for _, v := range sent {
		f, w := r.Flow.FoamLPerS[v.Type.String()], r.Flow.WaterLPerS[v.Type.String()]
		foamCap += f
		allCap += max(f, w)
	}
	var out []Shortfall
	if foam > foamCap {
		wm := msg.New("plan.flow.foam")
		rm := []msg.Msg{msg.New("plan.short.flowFoam", "have", num0(foamCap), "need", num0(foam), "source", cite(r.Flow.Source))}
		out = append(out, Shortfall{What: english(wm), WhatMsg: &wm, Needed: math.Ceil(foam), Available: math.Floor(foamCap), Unit: "L/s",
			Reason: english(rm...), ReasonMsg: rm})
	}
	if foam+water > allCap {
		wm := msg.New("plan.flow.all")
		rm := []msg.Msg{msg.New("plan.short.flowAll", "have", num0(allCap), "foam", num0(foam), "water", num0(water), "source", cite(r.Flow.Source))}
		out = append(out, Shortfall{What: english(wm), WhatMsg: &wm, Needed: math.Ceil(foam + water), Available: math.Floor(allCap), Unit: "L/s",
			Reason: english(rm...), ReasonMsg: rm})
	}
	return out
}

// escalation returns a note when a toxic release's hot zones reach
// beyond what its level's card is meant for (toxic.escalateBeyondM):
// the level was set before the zones were known.
func (r *Rules) escalation(s *twin.Snapshot, inc *twin.Incident, z *IncidentZones) *msg.Msg {
	limit, ok := r.Toxic.EscalateBeyondM[inc.Level.String()]
	if z == nil || !ok || (inc.Type != twin.ToxicRelease && r.toxicByInhalation(s, inc) == nil) {
		return nil
	}
	reach, what := 0.0, msg.Msg{}
	for _, h := range z.Hot() {
		if h.ExtentM > reach {
			reach, what = h.ExtentM, msg.New("zone.named", "kind", h.Kind, "level", levelArg(h.Level))
		}
	}
	if reach <= limit {
		return nil
	}
	i := slices.Index(r.Priority.Levels, inc.Level.String())
	next := msg.New("plan.escalate.graver")
	if i > 0 {
		next = msg.New("plan.escalate.level", "level", r.Priority.Levels[i-1])
	}
	m := msg.New("plan.note.escalate", "reach", num0(reach), "zone", what, "limit", num0(limit), "level", inc.Level.String(),
		"rule", "toxic.escalateBeyondM", "next", next)
	return &m
}

// say adds a part to the assignment's reason, in English and as a message.
func (a *Assignment) say(m msg.Msg) {
	a.ReasonMsg = append(a.ReasonMsg, m)
	a.Reason += english(m)
}

// note adds a note to the plan, in English and as messages.
func (p *Plan) note(ms ...msg.Msg) {
	p.Notes = append(p.Notes, english(ms...))
	p.NoteMsgs = append(p.NoteMsgs, ms)
}

// sortNotes sorts the notes after the first fixed by their English text,
// their messages alongside.
func (p *Plan) sortNotes(fixed int) {
	fixed = min(len(p.Notes), fixed)
	idx := make([]int, len(p.Notes)-fixed)
	for i := range idx {
		idx[i] = fixed + i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.Notes[a], p.Notes[b]) })
	notes, msgs := slices.Clone(p.Notes), slices.Clone(p.NoteMsgs)
	for i, j := range idx {
		p.Notes[fixed+i], p.NoteMsgs[fixed+i] = notes[j], msgs[j]
	}
}

// priorityNeighbours returns the neighbours a cooling line names that
// are chilled or hold a liquefied gas under pressure: heated, they boil
// off, so they are cooled first.
func priorityNeighbours(s *twin.Snapshot, q Requirement) []string {
	if q.What != CoolingWater {
		return nil
	}
	ns, _ := q.Basis["neighbours"].([]string)
	var out []string
	for _, id := range ns {
		o, ok := twin.Lookup[*twin.Tank](s, id)
		if !ok {
			continue
		}
		oc, _ := twin.Lookup[*twin.Chemical](s, o.Chemical)
		if o.Chilled || liquefied(o, oc) {
			out = append(out, id)
		}
	}
	return out
}
