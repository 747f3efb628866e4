package dispatch_test

import (
	"fmt"
	"testing"
	"time"

	"parktwin/dispatch"
	"parktwin/twin"
)

func TestZZWalk(t *testing.T) {
	tw := demoPark(t)
	s := tw.Snapshot()
	at := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	r := dispatch.DefaultRules()
	g := dispatch.NewGraph(s)
	for _, c := range []struct {
		typ   twin.IncidentType
		lvl   twin.ResponseLevel
		ent   string
		chem  string
	}{{twin.TankFire, twin.LevelI, "TNK-0025-01", ""}, {twin.TankFire, twin.LevelIII, "TNK-0016-01", ""}, {twin.TankFire, twin.LevelII, "TNK-0001-07", ""},
		{twin.ToxicRelease, twin.LevelIII, "TNK-0002-06", ""}, {twin.ConfinedSpaceIncident, twin.LevelIII, "SWP-0056-01", "7783-06-4"}} {
		inc := &twin.Incident{ID: "INC-00001", Type: c.typ, Level: c.lvl, State: twin.IncidentConfirmed, Entity: c.ent, Chemical: c.chem, Reporter: "x", ReportedAt: at}
		if tk, ok := twin.Lookup[*twin.Tank](s, c.ent); ok {
			inc.Position, inc.Enterprise = tk.Position, tk.Enterprise
			if c.chem == "" {
				inc.Chemical = tk.Chemical
			}
		}
		if inc.Position == [2]float64{} {
			for sp := range twin.All[*twin.SewagePool](s) {
				if sp.ID == c.ent {
					inc.Position, inc.Enterprise = sp.Position, sp.Enterprise
				}
			}
		}
		p, err := r.Plan(s, g, inc, at)
		if err != nil {
			fmt.Println(c.ent, err)
			continue
		}
		fmt.Println("=====", c.ent, c.typ, c.lvl)
		if p.Staging != nil {
			fmt.Printf("staging %s %s %.0f m: %s\n", p.Staging.Road, p.Staging.RoadName, p.Staging.DistanceM, p.Staging.Reason)
		}
		for _, n := range p.Notes {
			fmt.Println("NOTE", n)
		}
		for _, q := range p.Requirements {
			fmt.Printf("REQ %s %.0f %s: %s\n", q.What, q.Quantity, q.Unit, q.Reason)
		}
		for _, a := range p.Assignments {
			fmt.Printf("UNIT %s %s eta %.0f onward %v %.0f: %s\n", a.Vehicle, a.Team, a.EtaS, a.Onward, a.OnwardS, a.Reason)
		}
		for _, l := range p.Equipment {
			fmt.Printf("EQ %s %.0f from %s: %s\n", l.Type, l.Quantity, l.Warehouse, l.Reason)
		}
		for _, sf := range p.Shortfalls {
			fmt.Println("SHORT", sf.String())
		}
	}
}
