package telemetry

import (
	"fmt"
	"reflect"
	"time"

	"parktwin/twin"
	"parktwin/twin/grading"
	"parktwin/twin/msg"
)

// The bases of a grading.
const (
	BasisDesign = "design" // design-maximum quantities: the unit's grade
	BasisLive   = "live"   // current inventories from the level sensors
)

// gradeUnits keeps a current design grading on every major hazard unit: a
// new immutable record when a unit has none or its inputs changed (with a
// re-grading task, since the official grading is then out of date), and
// a re-grading task when the latest is older than the rules allow.
func (m *Monitor) gradeUnits(snap *twin.Snapshot, now time.Time, ch *changes, next *soonest) {
	latest := map[string]*twin.Grading{}
	for g := range twin.All[*twin.Grading](snap) {
		if g.Basis == BasisDesign {
			if l, ok := latest[g.Unit]; !ok || g.ID > l.ID {
				latest[g.Unit] = g
			}
		}
	}
	openTask := map[string]bool{}
	for t := range twin.All[*twin.Task](snap) {
		if t.Type == twin.TaskRegrade && !t.Done {
			openTask[t.Subject] = true
		}
	}
	for u := range twin.All[*twin.HazardUnit](snap) {
		r := m.grades.design(snap, u)
		prev := latest[u.ID]
		if prev == nil || !sameInputs(prev, r) {
			why := msg.New("grading.reason.first")
			if prev != nil {
				why = msg.New("grading.reason.changed", "grading", prev.ID)
			}
			g := record(m.nextID(twin.KindGrading), u.ID, BasisDesign, r, now, Messages.English(why))
			g.ReasonMsg = &why
			ch.cmds = append(ch.cmds, twin.Create{Entity: g})
			if prev != nil && !openTask[u.ID] {
				m.regradeTask(u, msg.New("task.regrade.changed", "grading", prev.ID), now, ch)
			}
			continue
		}
		if openTask[u.ID] {
			continue
		}
		if due := prev.At.Add(m.rules.RegradeAfter.D()); now.After(due) {
			m.regradeTask(u, msg.New("task.regrade.old", "grading", prev.ID, "date", prev.At.Format(time.DateOnly),
				"days", fmt.Sprintf("%.0f", m.rules.RegradeAfter.D().Hours()/24)), now, ch)
		} else {
			next.at(now, due)
		}
	}
}

// gradeCache keeps the design grading of each unit for as long as what
// it is computed from is unchanged: a second's Tick then costs a map
// lookup per unit, not a scan of the park's targets.
type gradeCache struct {
	snap    *twin.Snapshot // the results are of this snapshot's inputs
	results map[string]grading.Result
}

// design returns the design grading of u in snap.
func (c *gradeCache) design(snap *twin.Snapshot, u *twin.HazardUnit) grading.Result {
	// The kinds DesignItems and Population read (the enterprise's parcel is
	// the boundary α counts residents around).
	for _, k := range []twin.Kind{twin.KindHazardUnit, twin.KindTank, twin.KindChemical, twin.KindTarget, twin.KindEnterprise} {
		if !snap.Unchanged(c.snap, k) {
			c.snap, c.results = snap, map[string]grading.Result{}
			break
		}
	}
	r, ok := c.results[u.ID]
	if !ok {
		r = grading.Grade(grading.DesignItems(snap, u), grading.Population(snap, u))
		c.results[u.ID] = r
	}
	return r
}

func (m *Monitor) regradeTask(u *twin.HazardUnit, why msg.Msg, now time.Time, ch *changes) {
	ch.cmds = append(ch.cmds, twin.Create{Entity: task(m.nextID(twin.KindTask), twin.TaskRegrade, u.ID, u.Enterprise, now, why)})
}

func sameInputs(g *twin.Grading, r grading.Result) bool {
	return g.Population == r.Population && reflect.DeepEqual(g.Items, r.Items)
}

func record(id, unit, basis string, r grading.Result, at time.Time, reason string) *twin.Grading {
	return &twin.Grading{ID: id, Unit: unit, Standard: r.Standard, Basis: basis, Items: r.Items,
		Population: r.Population, Alpha: r.Alpha, S: r.S, R: r.R, Level: r.Level, At: at, Reason: reason}
}

// UnitGrading is a unit's grading as the console shows it: the current
// design grading, the live one, and every record.
type UnitGrading struct {
	Current *twin.Grading   `json:"current"`
	Live    *twin.Grading   `json:"live"`
	History []*twin.Grading `json:"history"`
}

// Grading returns the unit's current and past design gradings, and a live
// grading on the tanks' current inventories: a tank's fill is the share
// of its volume its level holds, by its shape (Tank.FillFraction: a
// horizontal cylinder's segment, a sphere's cap — not the level over the
// diameter, which made them 7–11 % off); a tank without a level reading
// counts at its design maximum.
func (m *Monitor) Grading(unitID string) (UnitGrading, error) {
	snap := m.tw.Snapshot()
	u, ok := twin.Lookup[*twin.HazardUnit](snap, unitID)
	if !ok {
		return UnitGrading{}, twin.Errorf(twin.ENOTFOUND, "id", "no hazard unit %s", unitID)
	}
	out := UnitGrading{History: []*twin.Grading{}}
	for g := range twin.All[*twin.Grading](snap) {
		if g.Unit == unitID && g.Basis == BasisDesign {
			out.History = append(out.History, g)
			out.Current = g
		}
	}
	levels := m.levels()
	var items []grading.Item
	for _, id := range u.Tanks {
		t, ok := twin.Lookup[*twin.Tank](snap, id)
		if !ok {
			continue
		}
		vol := t.CapacityM3 * t.MaxFill
		if lv, ok := levels[id]; ok {
			vol = t.CapacityM3 * t.FillFraction(lv)
		}
		if it, ok := grading.TankItem(snap, t, vol); ok {
			items = append(items, it)
		}
	}
	r := grading.Grade(items, grading.Population(snap, u))
	out.Live = record("", unitID, BasisLive, r, m.clock.Now(), "")
	return out, nil
}

// levels returns the latest level reading of every tank that has one.
func (m *Monitor) levels() map[string]float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]float64{}
	for _, sl := range m.slots {
		if sl.s.Type == twin.Level && sl.has {
			out[sl.s.Subject] = sl.value
		}
	}
	return out
}
