package dispatch

import (
	"strings"

	"parktwin/twin"
)

// FoamCover returns the foam concentrate an incident needs by the rules
// (in litres, of every foam type it needs) and how much of it was sent:
// on board the vehicles assigned to it and issued from the warehouses.
// ok is false when the incident needs no foam. A drill's foam-met
// expectation is met when sent covers needed.
func (d *Desk) FoamCover(s *twin.Snapshot, inc *twin.Incident) (needed, sent float64, ok bool) {
	need := map[string]float64{}
	for _, q := range d.rules.requirements(s, inc, 0) {
		if q.Unit == "L" && strings.HasPrefix(q.What, "foam-") {
			need[q.What] += q.Quantity
		}
	}
	if len(need) == 0 {
		return 0, 0, false
	}
	got := map[string]float64{}
	for _, a := range inc.Assignments {
		t, found := twin.Lookup[*twin.Team](s, a.Team)
		if !found {
			continue
		}
		for _, v := range t.Vehicles {
			if v.ID == a.Vehicle {
				for _, f := range v.Foam {
					got["foam-"+f.Type.String()] += f.Litres
				}
			}
		}
	}
	for _, e := range inc.Equipment {
		got[e.Type] += e.Quantity
	}
	// Alcohol-resistant concentrate left after its own lines serves a
	// plain-foam line too (as the plan counts it).
	plain, ar := d.rules.Foam.Equipment, d.rules.Foam.AlcoholResistant
	spare := max(0, got[ar]-need[ar])
	for what, q := range need {
		needed += q
		have := got[what]
		if what == plain {
			have += spare
		}
		sent += min(have, q)
	}
	return needed, sent, true
}
