package demo

import (
	"fmt"
	"slices"

	"parktwin/twin"
)

// chooseHazardUnits makes major hazard units of tank farms that GB 18218
// identifies as such (S = Σ q/Q ≥ 1), a few of them declared as the
// production unit the farm serves, with the enterprise's waste store.
func (g *gen) chooseHazardUnits() {
	type candidate struct {
		e *ent
		f *farm
	}
	// The draw runs over the farms that were candidates before issue 13
	// (farm.drawLoad): the same number of draws as then, so that every
	// entity built after stays where the drills name it. A farm that is
	// no major hazard now is passed over for the next in the draw.
	var cs []candidate
	for _, e := range g.ents {
		for _, f := range e.farms {
			if f.drawLoad >= 1 {
				cs = append(cs, candidate{e, f})
			}
		}
	}
	n := hazardUnitsPerUnit * g.scale
	var picked []int
	for _, p := range g.r.Perm(len(cs)) {
		if cs[p].f.load >= 1 && len(picked) < n {
			picked = append(picked, p)
		}
	}
	if len(picked) < n {
		panic(fmt.Sprintf("demo: %d tank farms are major hazards, want %d", len(picked), n))
	}
	slices.Sort(picked)
	for i, p := range picked {
		c := cs[p]
		var tanks []string
		for _, t := range c.f.tanks {
			tanks = append(tanks, t.ID)
		}
		u := &twin.HazardUnit{
			ID:         fmt.Sprintf("MHU-%02d", i+1),
			Name:       c.e.short + c.f.name,
			Enterprise: c.e.ent.ID,
			Type:       twin.StorageUnit,
			Tanks:      tanks,
			Stores:     []string{},
			Footprint:  g.polygon(c.f.ring),
		}
		if ps := c.e.ent.Processes; len(ps) > 0 && g.chance(0.15) {
			u.Type = twin.ProductionUnit
			u.Name = c.e.short + processZh(ps[g.r.IntN(len(ps))]) + "生产装置"
			u.Stores = []string{c.e.store.ID}
		}
		g.units = append(g.units, u)
	}
}

// processZh is a process's Chinese name.
func processZh(p twin.Process) string {
	switch p {
	case twin.Phosgenation:
		return "光气化"
	case twin.Electrolysis:
		return "电解"
	case twin.Chlorination:
		return "氯化"
	case twin.Nitration:
		return "硝化"
	case twin.Fluorination:
		return "氟化"
	case twin.Hydrogenation:
		return "加氢"
	case twin.Diazotization:
		return "重氮化"
	case twin.Oxidation:
		return "氧化"
	case twin.Amination:
		return "胺基化"
	case twin.Sulfonation:
		return "磺化"
	case twin.Polymerization:
		return "聚合"
	case twin.Azo:
		return "偶氮化"
	}
	return "生产"
}
