package scenarios

// A scenario against the park it is to run on.

import (
	"fmt"
	"slices"
	"strings"

	"parktwin/twin"
)

// Check checks the scenario against the park it is to run on: that the
// sensors, entities, roads, teams, vehicles, warehouses, items and targets
// it names exist. An error names the inject or expectation and the field.
func (s *Scenario) Check(snap *twin.Snapshot) error {
	exists := func(k twin.Kind, id string) bool { _, ok := snap.Get(k, id); return ok }
	for i, in := range s.Injects {
		p := fmt.Sprintf("injects[%d].%s", i, in.Kind())
		var err error
		switch {
		case in.Excursion != nil:
			for j, id := range in.Excursion.Sensors {
				if !exists(twin.KindSensor, id) {
					err = bad(fmt.Sprintf("%s.sensors[%d]", p, j), "no sensor %s in the park", id)
					break
				}
			}
		case in.Report != nil && in.Report.Entity != "":
			if !entityExists(snap, in.Report.Entity) {
				err = bad(p+".entity", "no entity %s in the park", in.Report.Entity)
			}
		case in.Road != nil:
			if !exists(twin.KindRoad, in.Road.ID) {
				err = bad(p+".id", "no road %s in the park", in.Road.ID)
			}
		case in.Unit != nil:
			err = checkUnit(snap, p, in.Unit)
		case in.Equipment != nil:
			err = checkEquipment(snap, p, in.Equipment)
		}
		if err != nil {
			return s.locate(err)
		}
	}
	for i, e := range s.Expectations {
		if e.Target != "" && !exists(twin.KindTarget, e.Target) {
			return s.locate(bad(fmt.Sprintf("expectations[%d].target", i), "no target %s in the park", e.Target))
		}
	}
	return nil
}

// entityExists looks an ID up under the kind its prefix names.
func entityExists(snap *twin.Snapshot, id string) bool {
	for _, k := range twin.Kinds {
		if pre := k.Prefix(); pre != "" && strings.HasPrefix(id, pre) {
			_, ok := snap.Get(k, id)
			return ok
		}
	}
	return false
}

func checkUnit(snap *twin.Snapshot, p string, u *UnitChange) error {
	team, ok := twin.Lookup[*twin.Team](snap, u.Team)
	if !ok {
		return bad(p+".team", "no team %s in the park", u.Team)
	}
	if u.Vehicle != "" && !slices.ContainsFunc(team.Vehicles, func(v twin.Vehicle) bool { return v.ID == u.Vehicle }) {
		return bad(p+".vehicle", "team %s has no vehicle %s", u.Team, u.Vehicle)
	}
	return nil
}

func checkEquipment(snap *twin.Snapshot, p string, f *EquipmentFault) error {
	w, ok := twin.Lookup[*twin.Warehouse](snap, f.Warehouse)
	if !ok {
		return bad(p+".warehouse", "no warehouse %s in the park", f.Warehouse)
	}
	for _, line := range snap.StockLines(w.ID) {
		if f.Serial != "" && slices.ContainsFunc(line.Items, func(a twin.Asset) bool { return a.Serial == f.Serial }) {
			return nil
		}
		if f.Type != "" && line.Type == f.Type {
			if f.Quantity > line.Quantity {
				return bad(p+".quantity", "%s holds %v of %s", f.Warehouse, line.Quantity, f.Type)
			}
			return nil
		}
	}
	if f.Serial != "" {
		return bad(p+".serial", "%s holds no item %s", f.Warehouse, f.Serial)
	}
	return bad(p+".type", "%s holds no %s", f.Warehouse, f.Type)
}
