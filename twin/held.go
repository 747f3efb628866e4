package twin

import "fmt"

// What holds what. An open incident holds the vehicles it has sent and
// the equipment it has been lent; an alarm that is not closed holds its
// sensor. The writer keeps these facts true whoever writes: a vehicle is
// in one incident at a time and its status follows its assignment, an
// item lent is not on the shelf, and nothing held can be deleted. Without
// this, a stale team PATCH followed by a second confirm put seven
// vehicles in two incidents at once.

// Active reports whether an assignment still holds its vehicle.
func (a Assignment) Active() bool { return a.State != 0 && a.State != AssignReleased }

// VehicleStatus is the status a vehicle has while its assignment is in
// state s.
func (s AssignmentState) VehicleStatus() Status {
	switch s {
	case AssignDispatched:
		return Dispatched
	case AssignEnRoute:
		return EnRoute
	case AssignOnScene:
		return OnScene
	case AssignReturning:
		return Returning
	}
	return Available
}

// heldVehicle returns the open incident other than except that holds a
// vehicle, and its assignment.
func (tx *txn) heldVehicle(vehicle, except string) (*Incident, Assignment, bool) {
	for inc := range tx.openIncidents() {
		if inc.ID == except {
			continue
		}
		for _, a := range inc.Assignments {
			if a.Vehicle == vehicle && a.Active() {
				return inc, a, true
			}
		}
	}
	return nil, Assignment{}, false
}

// heldItem returns the open incident other than except that holds an item
// of a warehouse.
func (tx *txn) heldItem(warehouse, serial, except string) (*Incident, bool) {
	for inc := range tx.openIncidents() {
		if inc.ID == except {
			continue
		}
		for _, e := range inc.Equipment {
			if e.Warehouse != warehouse || e.State == EquipReturned {
				continue
			}
			for _, s := range e.Items {
				if s == serial {
					return inc, true
				}
			}
		}
	}
	return nil, false
}

func (tx *txn) openIncidents() func(yield func(*Incident) bool) {
	return func(yield func(*Incident) bool) {
		it := tx.st.kinds[KindIncident].Iterator()
		for !it.Done() {
			_, en, _ := it.Next()
			if inc := en.e.(*Incident); inc.Open() && !yield(inc) {
				return
			}
		}
	}
}

// checkHeld keeps what incidents hold consistent when e replaces old.
func (tx *txn) checkHeld(old, e Entity) error {
	switch e := e.(type) {
	case *Team:
		if old == nil {
			return nil
		}
		return tx.checkTeamHeld(old.(*Team), e)
	case *Incident:
		return tx.checkIncidentHolds(e)
	}
	return nil
}

// checkTeamHeld: a vehicle an incident holds stays in its team, with the
// status its assignment gives it.
func (tx *txn) checkTeamHeld(old, t *Team) error {
	for _, ov := range old.Vehicles {
		inc, a, ok := tx.heldVehicle(ov.ID, "")
		if !ok {
			continue
		}
		i := -1
		for j, v := range t.Vehicles {
			if v.ID == ov.ID {
				i = j
			}
		}
		if i < 0 {
			return Errorf(ECONFLICT, "vehicles", "vehicle %s is held by incident %s (%s): it cannot leave the team", ov.ID, inc.ID, a.State)
		}
		if want := a.State.VehicleStatus(); t.Vehicles[i].Status != want {
			return Errorf(ECONFLICT, fmt.Sprintf("vehicles[%d].status", i),
				"vehicle %s is held by incident %s (%s): its status is %s until the incident releases it", ov.ID, inc.ID, a.State, want)
		}
	}
	return nil
}

// checkIncidentHolds: an incident may not take a vehicle or an item that
// another open incident holds.
func (tx *txn) checkIncidentHolds(inc *Incident) error {
	if !inc.Open() {
		return nil
	}
	for i, a := range inc.Assignments {
		if !a.Active() {
			continue
		}
		if other, _, ok := tx.heldVehicle(a.Vehicle, inc.ID); ok {
			return Errorf(ECONFLICT, fmt.Sprintf("assignments[%d].vehicle", i), "vehicle %s is held by incident %s", a.Vehicle, other.ID)
		}
	}
	for i, e := range inc.Equipment {
		if e.State == EquipReturned {
			continue
		}
		for _, s := range e.Items {
			if other, ok := tx.heldItem(e.Warehouse, s, inc.ID); ok {
				return Errorf(ECONFLICT, fmt.Sprintf("equipment[%d].items", i), "item %s is lent to incident %s", s, other.ID)
			}
		}
	}
	return nil
}

// checkDeletable refuses to delete what an open incident, an alarm or a
// ledger still holds, naming the holder: a warehouse, team or sensor that
// holds or is held by anything in an open incident, a warehouse with
// equipment out, a team holding equipment.
func (tx *txn) checkDeletable(e Entity) error {
	id := e.EntityID()
	for inc := range tx.openIncidents() {
		if inc.Entity == id {
			return Errorf(ECONFLICT, "id", "%s %s is the scene of incident %s (%s)", e.Kind(), id, inc.ID, inc.State)
		}
	}
	switch e := e.(type) {
	case *Team:
		for _, v := range e.Vehicles {
			if inc, _, ok := tx.heldVehicle(v.ID, ""); ok {
				return Errorf(ECONFLICT, "id", "team %s has vehicle %s at incident %s", e.ID, v.ID, inc.ID)
			}
		}
		for inc := range tx.openIncidents() {
			for _, a := range inc.Assignments {
				if a.Team == e.ID {
					return Errorf(ECONFLICT, "id", "team %s is in incident %s's assignments (%s %s) until it closes", e.ID, inc.ID, a.Vehicle, a.State)
				}
			}
		}
		if what, wh, ok := tx.heldBy(e.ID); ok {
			return Errorf(ECONFLICT, "id", "team %s holds %s of %s", e.ID, what, wh)
		}
	case *Warehouse:
		for inc := range tx.openIncidents() {
			for _, q := range inc.Equipment {
				if q.Warehouse == e.ID && q.State != EquipReturned {
					return Errorf(ECONFLICT, "id", "warehouse %s has %s lent to incident %s", e.ID, q.Type, inc.ID)
				}
			}
		}
		st, _ := tx.st.stock.Get(e.ID)
		for _, ts := range st.Types() {
			for _, it := range ts.SortedItems() {
				if it.State == AssetIssued {
					return Errorf(ECONFLICT, "id", "warehouse %s has %s %s out with %s", e.ID, ts.Type, it.Serial, it.Holder)
				}
			}
			for h := range ts.Out {
				return Errorf(ECONFLICT, "id", "warehouse %s has %s %s of %s out with %s", e.ID, num(ts.OutQuantity(h)), ts.Unit, ts.Type, h)
			}
		}
	case *Sensor:
		it := tx.st.kinds[KindAlarm].Iterator()
		for !it.Done() {
			_, en, _ := it.Next()
			if a := en.e.(*Alarm); a.Sensor == e.ID && a.State != AlarmClosed {
				return Errorf(ECONFLICT, "id", "sensor %s has alarm %s (%s)", e.ID, a.ID, a.State)
			}
		}
		for inc := range tx.openIncidents() {
			if inc.Alarm == "" {
				continue
			}
			if a, ok := tx.get(KindAlarm, inc.Alarm); ok && a.(*Alarm).Sensor == e.ID {
				return Errorf(ECONFLICT, "id", "sensor %s raised alarm %s of incident %s", e.ID, inc.Alarm, inc.ID)
			}
		}
	}
	return nil
}

// heldBy returns what equipment a holder (a team, an enterprise) has out
// of which warehouse.
func (tx *txn) heldBy(holder string) (string, string, bool) {
	it := tx.st.stock.Iterator()
	for !it.Done() {
		wh, st, _ := it.Next()
		for _, ts := range st.Types() {
			for _, item := range ts.SortedItems() {
				if item.State == AssetIssued && item.Holder == holder {
					return ts.Type + " " + item.Serial, wh, true
				}
			}
			if q := ts.OutQuantity(holder); q > 0 && holder != "" {
				return num(q) + " " + ts.Unit + " of " + ts.Type, wh, true
			}
		}
	}
	return "", "", false
}
