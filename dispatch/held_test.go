package dispatch_test

import (
	"cmp"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/planar"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
)

// What an open incident holds (held.go), whoever writes: its vehicles keep
// the status their assignments give them and go to no other incident, the
// items lent to it stay off the shelf, and what it holds is not deleted;
// an alarm not closed holds its sensor. The incidents are made as the
// console makes them, by the real desk on the demo park.

var heldDay = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

// heldPark is the demo park with a toxic release on a chlorine tank,
// planned and confirmed at the desk: vehicles dispatched, SCBA sets and
// gas detectors reserved.
type heldPark struct {
	tw    *twin.Twin
	desk  *dispatch.Desk
	clock *twin.SimClock
	inc   *twin.Incident // as confirmed
}

func newHeldPark(t *testing.T, store twin.Store) *heldPark {
	t.Helper()
	p := &heldPark{clock: twin.NewSimClock(heldDay)}
	var err error
	if p.tw, err = twin.Open(twin.Config{Store: store, Clock: p.clock}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.tw.Close() })
	apply(t, p.tw, twin.Creates(demo.Generate(1, 1)...)...)
	p.desk = dispatch.NewDesk(p.tw, dispatch.DefaultRules())
	p.inc = p.confirm(t, toxicTank(t, p.tw.Snapshot()).ID, "toxic-release")
	if !slices.ContainsFunc(p.inc.Equipment, func(e twin.EquipmentIssued) bool { return len(e.Items) > 0 }) {
		t.Fatal("the toxic release reserved no serialized items")
	}
	return p
}

// confirm reports an incident of a type on an entity, plans it and
// confirms the plan.
func (p *heldPark) confirm(t *testing.T, entity, typ string) *twin.Incident {
	t.Helper()
	ctx := context.Background()
	inc, _, err := p.desk.Report(ctx, dispatch.Report{Type: typ, Entity: entity, Level: "II", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.desk.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	inc, err = p.desk.Confirm(ctx, inc.ID, *plan, "指挥员")
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Assignments) == 0 {
		t.Fatalf("%s sent no vehicle", inc.ID)
	}
	return inc
}

func toxicTank(t *testing.T, s *twin.Snapshot) *twin.Tank {
	t.Helper()
	for tk := range twin.All[*twin.Tank](s) {
		if c, ok := twin.Lookup[*twin.Chemical](s, tk.Chemical); ok && c.ToxicGas {
			return tk
		}
	}
	t.Fatal("no tank of a toxic gas in the demo park")
	return nil
}

// team returns the team of the incident's first assignment that leaves
// the team a vehicle the incident does not hold, and its vehicle. (A
// toxic release's plan leads with its detection units, whose teams may
// send every vehicle they have.)
func (p *heldPark) team(t *testing.T) (*twin.Team, string) {
	t.Helper()
	held := map[string]bool{}
	for _, a := range p.inc.Assignments {
		held[a.Vehicle] = true
	}
	for _, a := range p.inc.Assignments {
		tm, ok := twin.Lookup[*twin.Team](p.tw.Snapshot(), a.Team)
		if !ok {
			t.Fatalf("no team %s", a.Team)
		}
		if slices.ContainsFunc(tm.Vehicles, func(v twin.Vehicle) bool { return !held[v.ID] }) {
			return tm, a.Vehicle
		}
	}
	t.Fatal("every team the incident sends went whole")
	return nil, ""
}

// item returns the first serialized item lent to the incident, and its
// warehouse.
func (p *heldPark) item(t *testing.T) (*twin.Warehouse, string) {
	t.Helper()
	for _, e := range p.inc.Equipment {
		if len(e.Items) > 0 {
			w, _ := twin.Lookup[*twin.Warehouse](p.tw.Snapshot(), e.Warehouse)
			return w, e.Items[0]
		}
	}
	t.Fatal("no serialized item lent")
	return nil, ""
}

// itemType returns the equipment type of an item lent to the incident
// (the first lent is a level A suit since the suits are counted from the
// entry crews, finding 11; it was an SCBA set).
func (p *heldPark) itemType(serial string) string {
	for _, e := range p.inc.Equipment {
		if slices.Contains(e.Items, serial) {
			return e.Type
		}
	}
	return ""
}

// vehiclesPatch returns a merge patch of a team's vehicles, as a console
// sends it (a JSON array is replaced whole): the vehicles as they are,
// changed by fn.
func vehiclesPatch(t *testing.T, tm *twin.Team, fn func([]twin.Vehicle) []twin.Vehicle) json.RawMessage {
	t.Helper()
	return propertiesPatch(t, "vehicles", fn(slices.Clone(tm.Vehicles)))
}

// stockPatch returns a merge patch of a warehouse's stock as it is,
// changed by fn.
func stockPatch(t *testing.T, s *twin.Snapshot, w *twin.Warehouse, fn func([]twin.StockLine) []twin.StockLine) json.RawMessage {
	t.Helper()
	stock := s.StockLines(w.ID)
	for i := range stock {
		stock[i].Items = slices.Clone(stock[i].Items)
	}
	return propertiesPatch(t, "stock", fn(stock))
}

func propertiesPatch(t *testing.T, name string, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(map[string]any{"properties": map[string]any{name: v}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func withStatus(id string, st twin.Status) func([]twin.Vehicle) []twin.Vehicle {
	return func(vs []twin.Vehicle) []twin.Vehicle {
		for i := range vs {
			if vs[i].ID == id {
				vs[i].Status = st
			}
		}
		return vs
	}
}

func withItem(serial string, st twin.AssetState) func([]twin.StockLine) []twin.StockLine {
	return func(ls []twin.StockLine) []twin.StockLine {
		for _, l := range ls {
			for i := range l.Items {
				if l.Items[i].Serial == serial {
					l.Items[i].State = st
				}
			}
		}
		return ls
	}
}

// notHeld returns a vehicle of tm that no open incident holds.
func notHeld(t *testing.T, s *twin.Snapshot, tm *twin.Team) string {
	t.Helper()
	held := map[string]bool{}
	for inc := range twin.All[*twin.Incident](s) {
		for _, a := range inc.Assignments {
			if inc.Open() && a.Active() {
				held[a.Vehicle] = true
			}
		}
	}
	for _, v := range tm.Vehicles {
		if !held[v.ID] {
			return v.ID
		}
	}
	t.Fatalf("every vehicle of %s is held", tm.ID)
	return ""
}

// refused checks that cmd is refused as a conflict naming holder, and
// that nothing changed.
func refused(t *testing.T, tw *twin.Twin, cmd twin.Command, holder string) {
	t.Helper()
	seq := tw.Snapshot().Seq()
	_, err := tw.Apply(context.Background(), cmd)
	if got := twin.ErrorCode(err); got != twin.ECONFLICT {
		t.Fatalf("got %q (%v), want a conflict", got, err)
	}
	if msg := twin.ErrorMessage(err); !strings.Contains(msg, holder) {
		t.Errorf("message %q does not name %s", msg, holder)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq moved from %d to %d", seq, got)
	}
}

// Guards checkTeamHeld and checkDeletable for teams: while an incident
// holds a vehicle, no write of its team may give it another status, take
// it out of the team, or delete the team; the rest of the team stays
// writable.
func TestHeldVehicle(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cmd     func(t *testing.T, p *heldPark) twin.Command
		allowed bool
	}{
		{"status back to available", func(t *testing.T, p *heldPark) twin.Command {
			tm, v := p.team(t)
			return twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, withStatus(v, twin.Available))}
		}, false},
		{"status out of service", func(t *testing.T, p *heldPark) twin.Command {
			tm, v := p.team(t)
			return twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, withStatus(v, twin.OutOfService))}
		}, false},
		{"status back to available, by update", func(t *testing.T, p *heldPark) twin.Command {
			tm, v := p.team(t)
			cp := *tm
			cp.Vehicles = withStatus(v, twin.Available)(slices.Clone(tm.Vehicles))
			return twin.Update{Entity: &cp, Version: p.tw.Snapshot().Version(twin.KindTeam, tm.ID)}
		}, false},
		{"vehicle taken out of the team", func(t *testing.T, p *heldPark) twin.Command {
			tm, v := p.team(t)
			return twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, func(vs []twin.Vehicle) []twin.Vehicle {
				return slices.DeleteFunc(vs, func(x twin.Vehicle) bool { return x.ID == v })
			})}
		}, false},
		{"team deleted", func(t *testing.T, p *heldPark) twin.Command {
			tm, _ := p.team(t)
			return twin.Delete{Kind: twin.KindTeam, ID: tm.ID}
		}, false},
		{"the team's phone", func(t *testing.T, p *heldPark) twin.Command {
			tm, _ := p.team(t)
			return twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: json.RawMessage(`{"properties":{"phone":"0575-82000000"}}`)}
		}, true},
		{"the held vehicle's crew", func(t *testing.T, p *heldPark) twin.Command {
			tm, v := p.team(t)
			return twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, func(vs []twin.Vehicle) []twin.Vehicle {
				for i := range vs {
					if vs[i].ID == v {
						vs[i].Crew = max(vs[i].Crew-1, 0)
					}
				}
				return vs
			})}
		}, true},
		{"another vehicle out of service", func(t *testing.T, p *heldPark) twin.Command {
			tm, _ := p.team(t)
			return twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, withStatus(notHeld(t, p.tw.Snapshot(), tm), twin.OutOfService))}
		}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newHeldPark(t, nil)
			cmd := tt.cmd(t, p)
			if !tt.allowed {
				// A stock edited by hand is refused pointing to the
				// ledger; the ledger refuses what the incident holds,
				// naming it.
				names := p.inc.ID
				if pt, ok := cmd.(twin.Patch); ok && strings.Contains(string(pt.Merge), "stock") {
					names = "/ledger"
				}
				refused(t, p.tw, cmd, names)
				return
			}
			if _, err := p.tw.Apply(context.Background(), cmd); err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
}

// Guards checkTeamHeld as the response moves on: the status a held
// vehicle must have is the one its assignment has now, not the one it
// was dispatched with.
func TestHeldStatusFollowsAssignment(t *testing.T) {
	p := newHeldPark(t, nil)
	a := p.inc.Assignments[0]
	p.clock.Advance(time.Duration(a.TurnoutS+1) * time.Second)
	if err := p.desk.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	tm, v := p.team(t)
	if got := vehicleOf(tm, v).Status; got != twin.EnRoute {
		t.Fatalf("%s after its turnout: got %v, want en-route", v, got)
	}
	refused(t, p.tw, twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, withStatus(v, twin.Dispatched))}, p.inc.ID)
}

func vehicleOf(tm *twin.Team, id string) twin.Vehicle {
	i := slices.IndexFunc(tm.Vehicles, func(v twin.Vehicle) bool { return v.ID == id })
	if i < 0 {
		return twin.Vehicle{}
	}
	return tm.Vehicles[i]
}

// Guards checkWarehouseHeld and checkDeletable for warehouses: an item
// lent to an open incident is not offered as available, does not leave
// its warehouse, and keeps the warehouse from being deleted.
func TestHeldItem(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cmd     func(t *testing.T, p *heldPark) twin.Command
		allowed bool
	}{
		{"reserved item back to available", func(t *testing.T, p *heldPark) twin.Command {
			w, serial := p.item(t)
			return twin.Patch{Kind: twin.KindWarehouse, ID: w.ID, Merge: stockPatch(t, p.tw.Snapshot(), w, withItem(serial, twin.AssetAvailable))}
		}, false},
		{"item taken out of the warehouse", func(t *testing.T, p *heldPark) twin.Command {
			w, serial := p.item(t)
			return twin.Patch{Kind: twin.KindWarehouse, ID: w.ID, Merge: stockPatch(t, p.tw.Snapshot(), w, func(ls []twin.StockLine) []twin.StockLine {
				for i := range ls {
					n := len(ls[i].Items)
					ls[i].Items = slices.DeleteFunc(ls[i].Items, func(a twin.Asset) bool { return a.Serial == serial })
					ls[i].Quantity -= float64(n - len(ls[i].Items))
				}
				return ls
			})}
		}, false},
		{"warehouse deleted", func(t *testing.T, p *heldPark) twin.Command {
			w, _ := p.item(t)
			return twin.Delete{Kind: twin.KindWarehouse, ID: w.ID}
		}, false},
		{"reserved item in use", func(t *testing.T, p *heldPark) twin.Command {
			w, serial := p.item(t)
			return twin.Patch{Kind: twin.KindWarehouse, ID: w.ID, Merge: stockPatch(t, p.tw.Snapshot(), w, withItem(serial, twin.AssetInUse))}
		}, false},
		{"lent item returned through the ledger by hand", func(t *testing.T, p *heldPark) twin.Command {
			w, serial := p.item(t)
			return twin.Post{Entry: &twin.LedgerEntry{Warehouse: w.ID, Op: twin.OpReturn, Type: p.itemType(serial), Serials: []string{serial}, From: "TEAM-99"}}
		}, false},
		{"the keeper's phone", func(t *testing.T, p *heldPark) twin.Command {
			w, _ := p.item(t)
			return twin.Patch{Kind: twin.KindWarehouse, ID: w.ID, Merge: json.RawMessage(`{"properties":{"keeper":{"phone":"0575-82000001"}}}`)}
		}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newHeldPark(t, nil)
			cmd := tt.cmd(t, p)
			if !tt.allowed {
				// A stock edited by hand is refused pointing to the
				// ledger; the ledger refuses what the incident holds,
				// naming it.
				names := p.inc.ID
				if pt, ok := cmd.(twin.Patch); ok && strings.Contains(string(pt.Merge), "stock") {
					names = "/ledger"
				}
				refused(t, p.tw, cmd, names)
				return
			}
			if _, err := p.tw.Apply(context.Background(), cmd); err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
}

// Guards checkIncidentHolds: a vehicle or an item held by one open
// incident goes to no other, whether the desk confirms it or an incident
// is written directly.
func TestHeldNotTwice(t *testing.T) {
	p := newHeldPark(t, nil)
	ctx := context.Background()
	other, _, err := p.desk.Report(ctx, dispatch.Report{Type: "pool-fire", Point: []float64{120.80, 30.15}, Level: "IV", Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	if other.ID == p.inc.ID {
		t.Fatal("the second report was merged into the first")
	}
	held := p.inc.Assignments[0]

	t.Run("confirm at the desk", func(t *testing.T) {
		seq := p.tw.Snapshot().Seq()
		plan := dispatch.Plan{Assignments: []dispatch.Assignment{{Team: held.Team, Vehicle: held.Vehicle}}}
		_, err := p.desk.Confirm(ctx, other.ID, plan, "指挥员")
		if got := twin.ErrorCode(err); got != twin.ECONFLICT {
			t.Errorf("got %q (%v), want a conflict", got, err)
		}
		if got := p.tw.Snapshot().Seq(); got != seq {
			t.Errorf("seq moved from %d to %d", seq, got)
		}
	})
	t.Run("vehicle written into the incident", func(t *testing.T) {
		cp := *incidentNow(t, p.tw, other.ID)
		cp.State = twin.IncidentDispatched
		cp.Assignments = []twin.Assignment{{Team: held.Team, Vehicle: held.Vehicle, State: twin.AssignDispatched, OrderedAt: heldDay}}
		refused(t, p.tw, twin.Update{Entity: &cp}, p.inc.ID)
	})
	t.Run("item written into the incident", func(t *testing.T) {
		w, serial := p.item(t)
		cp := *incidentNow(t, p.tw, other.ID)
		cp.State = twin.IncidentDispatched
		cp.Equipment = []twin.EquipmentIssued{{Type: p.itemType(serial), Warehouse: w.ID, Quantity: 1, Unit: "套", Items: []string{serial}, State: twin.EquipReserved}}
		refused(t, p.tw, twin.Update{Entity: &cp}, p.inc.ID)
	})
	t.Run("a released assignment holds nothing", func(t *testing.T) {
		cp := *incidentNow(t, p.tw, other.ID)
		cp.Assignments = []twin.Assignment{{Team: held.Team, Vehicle: held.Vehicle, State: twin.AssignReleased, OrderedAt: heldDay, ReturnedAt: heldDay}}
		if _, err := p.tw.Apply(ctx, twin.Update{Entity: &cp}); err != nil {
			t.Errorf("refused: %v", err)
		}
	})
}

func incidentNow(t *testing.T, tw *twin.Twin, id string) *twin.Incident {
	t.Helper()
	inc, ok := twin.Lookup[*twin.Incident](tw.Snapshot(), id)
	if !ok {
		t.Fatalf("no incident %s", id)
	}
	return inc
}

// Guards the hold ending: once the incident is cancelled its vehicles are
// available and their team can be written; the team can be deleted only
// when no other open incident holds one of its vehicles.
func TestCancelEndsTheHold(t *testing.T) {
	p := newHeldPark(t, nil)
	ctx := context.Background()
	tm, v := p.team(t)
	// A second incident holding another vehicle of the same team: a fire
	// on a tank near the team, whose plan sends it.
	second := p.confirm(t, tankTheTeamReaches(t, p.tw.Snapshot(), p.inc, tm), "tank-fire")
	i := slices.IndexFunc(second.Assignments, func(a twin.Assignment) bool { return a.Team == tm.ID })
	if i < 0 {
		t.Fatalf("the second incident sent nothing of %s", tm.ID)
	}

	if _, err := p.desk.Cancel(ctx, p.inc.ID, "指挥员"); err != nil {
		t.Fatal(err)
	}
	s := p.tw.Snapshot()
	tm, _ = twin.Lookup[*twin.Team](s, tm.ID)
	if got := vehicleOf(tm, v).Status; got != twin.Available {
		t.Errorf("%s after the cancel: got %v, want available", v, got)
	}
	w, serial := p.item(t)
	w, _ = twin.Lookup[*twin.Warehouse](s, w.ID)
	apply(t, p.tw,
		twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, withStatus(v, twin.OutOfService))},
		twin.Post{Entry: &twin.LedgerEntry{Warehouse: w.ID, Op: twin.OpRepair, Type: p.itemType(serial), Serials: []string{serial}}})

	refused(t, p.tw, twin.Delete{Kind: twin.KindTeam, ID: tm.ID}, second.ID)
	if _, err := p.desk.Cancel(ctx, second.ID, "指挥员"); err != nil {
		t.Fatal(err)
	}
	apply(t, p.tw, twin.Delete{Kind: twin.KindTeam, ID: tm.ID})
}

// tankTheTeamReaches returns a tank of another enterprise than inc's,
// the nearest tm's base among those whose level II fire plan sends a
// vehicle of tm, for a fire that is not merged into inc.
func tankTheTeamReaches(t *testing.T, s *twin.Snapshot, inc *twin.Incident, tm *twin.Team) string {
	t.Helper()
	var tanks []*twin.Tank
	for tk := range twin.All[*twin.Tank](s) {
		if tk.Enterprise != inc.Enterprise {
			tanks = append(tanks, tk)
		}
	}
	slices.SortFunc(tanks, func(a, b *twin.Tank) int {
		return cmp.Compare(planar.Distance(a.Position, tm.Base), planar.Distance(b.Position, tm.Base))
	})
	r, g := dispatch.DefaultRules(), dispatch.NewGraph(s)
	for _, tk := range tanks[:min(len(tanks), 40)] {
		fire := &twin.Incident{ID: "INC-99999", Type: twin.TankFire, Level: twin.LevelII, State: twin.IncidentConfirmed,
			Entity: tk.ID, Enterprise: tk.Enterprise, Chemical: tk.Chemical, Reporter: "值班员",
			ReportedAt: heldDay, Position: tk.Position}
		plan, err := r.Plan(s, g, fire, heldDay)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(plan.Assignments, func(a dispatch.Assignment) bool { return a.Team == tm.ID }) {
			return tk.ID
		}
	}
	t.Fatalf("no tank near %s whose fire it is sent to", tm.ID)
	return ""
}

// firstTankOtherThan returns a floating-roof tank away from inc, for a
// fire that is not merged into it.
func firstTankOtherThan(t *testing.T, s *twin.Snapshot, inc *twin.Incident) string {
	t.Helper()
	for tk := range twin.All[*twin.Tank](s) {
		if tk.Type == twin.ExternalFloatingRoof && tk.Enterprise != inc.Enterprise {
			return tk.ID
		}
	}
	t.Fatal("no floating-roof tank of another enterprise")
	return ""
}

// Guards the hold across a restart: it is made of the incidents, which the
// file keeps, so a restarted twin refuses as the running one did.
func TestHeldAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p := newHeldPark(t, db)
	p.tw.Close()
	db.Close()

	if db, err = bolt.Open(path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tw, err := twin.Open(twin.Config{Store: db, Clock: p.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	p.tw = tw
	tm, v := p.team(t)
	refused(t, tw, twin.Patch{Kind: twin.KindTeam, ID: tm.ID, Merge: vehiclesPatch(t, tm, withStatus(v, twin.Available))}, p.inc.ID)
	w, serial := p.item(t)
	refused(t, tw, twin.Patch{Kind: twin.KindWarehouse, ID: w.ID, Merge: stockPatch(t, p.tw.Snapshot(), w, withItem(serial, twin.AssetAvailable))}, "/ledger")
	// Through the ledger, as the running twin did: the item is the
	// incident's.
	refused(t, tw, twin.Post{Entry: &twin.LedgerEntry{Warehouse: w.ID, Op: twin.OpReturn, Type: p.itemType(serial), Serials: []string{serial}, From: "TEAM-99"}}, p.inc.ID)
}

func apply(t *testing.T, tw *twin.Twin, cmds ...twin.Command) []twin.Event {
	t.Helper()
	evs, err := tw.Apply(context.Background(), cmds...)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}
