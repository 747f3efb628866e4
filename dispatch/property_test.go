package dispatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
)

// The desk and the operators at once, drawn at random: reports, plans
// confirmed (fresh or taken earlier), state changes, cancels, the clock
// moving the responses on, and operators patching teams, two to four of
// them at a time. After every step the park must hold what every answer
// said, and what open incidents hold must be consistent.

// opKind is one kind of thing done to the park.
type opKind int

const (
	opReport opKind = iota
	opPlan
	opConfirm
	opSetState
	opCancel
	opTick
	opVehicleStatus
	opPhone
	numOps
)

var opNames = [numOps]string{"report", "plan", "confirm", "set-state", "cancel", "tick", "vehicle-status", "phone"}

func (k opKind) String() string { return opNames[k] }

// op is one drawn operation. Its picks choose among what exists when it
// runs (an open incident, a team's vehicle), so that operations drawn
// together can run concurrently.
type op struct {
	kind    opKind
	pick    int // the incident, tank or team
	pick2   int // the vehicle, incident type or stale plan
	level   string
	state   twin.IncidentState
	status  twin.Status
	stale   bool // confirm a plan taken earlier
	held    bool // patch a vehicle an open incident holds, if there is one
	advance time.Duration
	phone   string
}

// outcome is what an operation was answered.
type outcome struct {
	op      op
	skipped bool // nothing to do it on
	err     error
	inc     string // the incident it concerned
	team    string
	vehicle string
	seq     uint64 // the seq at which an operator's patch took effect
}

// propPark is one run's park: a sandbox twin of the demo park on its own
// clock, its desk, and the plans taken so far.
type propPark struct {
	tw    *twin.Twin
	desk  *dispatch.Desk
	clock *twin.SimClock
	tanks []string // where incidents are reported: a few, so they merge and compete
	teams []string

	mu    sync.Mutex
	plans []dispatch.Plan
}

func (p *propPark) run(ctx context.Context, o op) outcome {
	out := outcome{op: o}
	s := p.tw.Snapshot()
	switch o.kind {
	case opReport:
		typ := []string{"tank-fire", "toxic-release"}[o.pick2%2]
		inc, _, err := p.desk.Report(ctx, dispatch.Report{Type: typ, Entity: p.tanks[o.pick%len(p.tanks)], Level: o.level, Reporter: "值班员"})
		out.err = err
		if err == nil {
			out.inc = inc.ID
		}
	case opPlan, opConfirm:
		ids := openIncidents(s)
		if len(ids) == 0 {
			out.skipped = true
			return out
		}
		out.inc = ids[o.pick%len(ids)]
		var plan *dispatch.Plan
		if o.kind == opConfirm && o.stale {
			p.mu.Lock()
			if len(p.plans) > 0 {
				pl := p.plans[o.pick2%len(p.plans)]
				plan = &pl
			}
			p.mu.Unlock()
		}
		if plan == nil {
			if plan, out.err = p.desk.Plan(out.inc); out.err != nil {
				return out
			}
		}
		if o.kind == opPlan {
			p.mu.Lock()
			p.plans = append(p.plans, *plan)
			p.mu.Unlock()
			return out
		}
		// A plan taken earlier, perhaps for another incident, is judged
		// by the desk on the park as it is now.
		_, out.err = p.desk.Confirm(ctx, out.inc, *plan, "指挥员")
	case opSetState, opCancel:
		ids := openIncidents(s)
		if len(ids) == 0 {
			out.skipped = true
			return out
		}
		out.inc = ids[o.pick%len(ids)]
		if o.kind == opCancel {
			_, out.err = p.desk.Cancel(ctx, out.inc, "指挥员")
		} else {
			_, out.err = p.desk.SetState(ctx, out.inc, o.state, "指挥员")
		}
	case opTick:
		p.clock.Advance(o.advance)
		out.err = p.desk.Tick(ctx)
	case opVehicleStatus:
		// As a console does it: read the team, send its vehicles with
		// one status changed (a JSON array is replaced whole) and the
		// version read, so that the other vehicles' statuses are not
		// written back blind.
		out.team = p.teams[o.pick%len(p.teams)]
		if held := heldVehicles(s); o.held && len(held) > 0 {
			a := held[o.pick%len(held)]
			out.team, out.vehicle = a.Team, a.Vehicle
		}
		tm, _ := twin.Lookup[*twin.Team](s, out.team)
		vs := slices.Clone(tm.Vehicles)
		i := o.pick2 % len(vs)
		if out.vehicle != "" {
			i = slices.IndexFunc(vs, func(v twin.Vehicle) bool { return v.ID == out.vehicle })
		}
		out.vehicle = vs[i].ID
		vs[i].Status = o.status
		b, err := json.Marshal(map[string]any{"properties": map[string]any{"vehicles": vs}})
		if err != nil {
			out.err = err // not a *twin.Error: check fails on it
			return out
		}
		version := s.Version(twin.KindTeam, out.team)
		evs, err := p.tw.Apply(ctx, twin.Patch{Kind: twin.KindTeam, ID: out.team, Merge: b, Version: version})
		out.err, out.seq = err, version // a patch that changed nothing stands at the version it read
		if len(evs) > 0 {
			out.seq = evs[0].Seq
		}
	case opPhone:
		out.team = p.teams[o.pick%len(p.teams)]
		evs, err := p.tw.Apply(ctx, twin.Patch{Kind: twin.KindTeam, ID: out.team,
			Merge: json.RawMessage(fmt.Sprintf(`{"properties":{"phone":%q}}`, o.phone))})
		out.err = err
		if len(evs) > 0 {
			out.seq = evs[0].Seq
		}
	}
	return out
}

// heldVehicles returns the active assignments of the open incidents.
func heldVehicles(s *twin.Snapshot) []twin.Assignment {
	var out []twin.Assignment
	for inc := range twin.All[*twin.Incident](s) {
		for _, a := range inc.Assignments {
			if inc.Open() && a.Active() {
				out = append(out, a)
			}
		}
	}
	return out
}

func openIncidents(s *twin.Snapshot) []string {
	var ids []string
	for inc := range twin.All[*twin.Incident](s) {
		if inc.Open() {
			ids = append(ids, inc.ID)
		}
	}
	return ids
}

// written is a field's value as an acknowledged operator's patch left it,
// and the seq at which it did.
type written[V comparable] struct {
	seq   uint64
	value V
}

// propModel is what the answers so far say the park must hold.
type propModel struct {
	phones   map[string]written[string]      // team → the phone last patched
	statuses map[string]written[twin.Status] // vehicle → the status last patched
	seq      uint64
	states   map[string]twin.IncidentState
	assigned map[string][]twin.AssignmentState // incident → its assignments' states
}

// record takes in the acknowledged patches of a step: the one that took
// effect last (the highest seq) wins.
func (m *propModel) record(outs []outcome) {
	for _, o := range outs {
		if o.err != nil || o.skipped {
			continue
		}
		switch o.op.kind {
		case opPhone:
			if w, ok := m.phones[o.team]; !ok || o.seq > w.seq {
				m.phones[o.team] = written[string]{o.seq, o.op.phone}
			}
		case opVehicleStatus:
			if w, ok := m.statuses[o.vehicle]; !ok || o.seq > w.seq {
				m.statuses[o.vehicle] = written[twin.Status]{o.seq, o.op.status}
			}
		}
	}
}

// check holds the park in s against the model and the step's answers.
func (m *propModel) check(t *rapid.T, s *twin.Snapshot, base *twin.Snapshot, outs []outcome) {
	t.Helper()
	for _, o := range outs {
		if o.err == nil {
			continue
		}
		var e *twin.Error
		if !errors.As(o.err, &e) {
			t.Fatalf("%s: refused with %T %v, not a *twin.Error", o.op.kind, o.err, o.err)
		}
		switch {
		case o.op.kind == opReport || o.op.kind == opTick:
			t.Fatalf("%s: refused: %v", o.op.kind, o.err)
		case o.op.kind == opConfirm && e.Code == twin.EINSUFFICIENT:
			// A plan made before another incident drew the last of a
			// type: the ledger refuses it, naming the short line.
		case e.Code != twin.ECONFLICT && e.Code != twin.EINVALID && e.Code != twin.ENOTFOUND:
			t.Fatalf("%s: refused with code %q: %v", o.op.kind, e.Code, o.err)
		}
	}

	if s.Seq() < m.seq {
		t.Fatalf("seq went back from %d to %d", m.seq, s.Seq())
	}
	m.seq = s.Seq()

	// The answers: what was acknowledged is there.
	for _, o := range outs {
		if o.err != nil || o.skipped || o.inc == "" {
			continue
		}
		inc, ok := twin.Lookup[*twin.Incident](s, o.inc)
		if !ok {
			t.Fatalf("%s of %s acknowledged, but there is no such incident", o.op.kind, o.inc)
		}
		switch o.op.kind {
		case opConfirm:
			if inc.State < twin.IncidentDispatched || len(inc.Assignments)+len(inc.Equipment) == 0 {
				t.Fatalf("confirm of %s acknowledged, but it is %v with %d assignments", o.inc, inc.State, len(inc.Assignments))
			}
		case opSetState:
			if inc.State < o.op.state {
				t.Fatalf("%s set to %v acknowledged, but it is %v", o.inc, o.op.state, inc.State)
			}
		case opCancel:
			if inc.State != twin.IncidentClosed {
				t.Fatalf("cancel of %s acknowledged, but it is %v", o.inc, inc.State)
			}
			for _, a := range inc.Assignments {
				if a.State != twin.AssignReleased {
					t.Fatalf("cancel of %s acknowledged, but %s is %v", o.inc, a.Vehicle, a.State)
				}
			}
			for _, e := range inc.Equipment {
				if e.State != twin.EquipReturned {
					t.Fatalf("cancel of %s acknowledged, but its %s from %s is %v", o.inc, e.Type, e.Warehouse, e.State)
				}
			}
		}
	}

	// Nothing goes back: an incident's state, an assignment's state.
	everAssigned := map[string]bool{}
	for inc := range twin.All[*twin.Incident](s) {
		if inc.State < m.states[inc.ID] {
			t.Fatalf("%s went back from %v to %v", inc.ID, m.states[inc.ID], inc.State)
		}
		m.states[inc.ID] = inc.State
		was := m.assigned[inc.ID]
		if len(inc.Assignments) < len(was) {
			t.Fatalf("%s lost assignments: %d, had %d", inc.ID, len(inc.Assignments), len(was))
		}
		now := make([]twin.AssignmentState, len(inc.Assignments))
		for i, a := range inc.Assignments {
			everAssigned[a.Vehicle] = true
			if i < len(was) && a.State < was[i] {
				t.Fatalf("%s: %s went back from %v to %v", inc.ID, a.Vehicle, was[i], a.State)
			}
			now[i] = a.State
		}
		m.assigned[inc.ID] = now
	}

	// The operators' patches: the last acknowledged phone wins; a vehicle
	// no incident ever had keeps the status an operator last gave it.
	for tm := range twin.All[*twin.Team](s) {
		want := m.phones[tm.ID]
		if want.seq == 0 {
			orig, _ := twin.Lookup[*twin.Team](base, tm.ID)
			want.value = orig.Phone
		}
		if tm.Phone != want.value {
			t.Fatalf("%s's phone is %q, want %q (patched at seq %d)", tm.ID, tm.Phone, want.value, want.seq)
		}
		for _, v := range tm.Vehicles {
			if everAssigned[v.ID] {
				continue
			}
			want, ok := m.statuses[v.ID]
			if !ok {
				orig, _ := twin.Lookup[*twin.Team](base, tm.ID)
				want.value = vehicleIn(orig, v.ID).Status
			}
			if v.Status != want.value {
				t.Fatalf("%s, never sent anywhere, is %v, want %v (patched at seq %d)", v.ID, v.Status, want.value, want.seq)
			}
		}
	}

	// What open incidents hold: a vehicle in one of them at a time, with
	// the status its assignment gives it; a lent item in one of them, and
	// not on the shelf.
	holder := map[string]string{}
	lent := map[string]string{}
	for inc := range twin.All[*twin.Incident](s) {
		if !inc.Open() {
			continue
		}
		for _, a := range inc.Assignments {
			if !a.Active() {
				continue
			}
			if other, ok := holder[a.Vehicle]; ok {
				t.Fatalf("%s is held by %s and %s", a.Vehicle, other, inc.ID)
			}
			holder[a.Vehicle] = inc.ID
			tm, _ := twin.Lookup[*twin.Team](s, a.Team)
			if got, want := vehicleIn(tm, a.Vehicle).Status, a.State.VehicleStatus(); got != want {
				t.Fatalf("%s, %v for %s, is %v, want %v", a.Vehicle, a.State, inc.ID, got, want)
			}
		}
		for _, e := range inc.Equipment {
			if e.State == twin.EquipReturned {
				continue
			}
			for _, serial := range e.Items {
				key := e.Warehouse + "/" + serial
				if other, ok := lent[key]; ok {
					t.Fatalf("%s is lent to %s and %s", key, other, inc.ID)
				}
				lent[key] = inc.ID
				if it := itemOf(s, e.Warehouse, e.Type, serial); it.State != twin.AssetIssued || it.Holder != inc.ID {
					t.Fatalf("%s, lent to %s (%v), is %v with %q in its warehouse's ledger", key, inc.ID, e.State, it.State, it.Holder)
				}
			}
		}
	}
}

// itemOf returns an item as its warehouse's ledger leaves it.
func itemOf(s *twin.Snapshot, warehouse, typ, serial string) twin.Item {
	ts := s.Stock(warehouse).Type(typ)
	if ts == nil {
		return twin.Item{}
	}
	return ts.Items[serial]
}

// opWeights are the operations to draw from: reports and confirms more
// often, so that incidents are there to act on and vehicles compete.
var opWeights = []opKind{opReport, opReport, opPlan, opConfirm, opConfirm, opSetState, opCancel,
	opTick, opTick, opVehicleStatus, opVehicleStatus, opPhone}

// drawOp draws one operation.
func drawOp(t *rapid.T, n int) op {
	o := op{
		kind:  rapid.SampledFrom(opWeights).Draw(t, "op"),
		pick:  rapid.IntRange(0, 1<<10).Draw(t, "pick"),
		pick2: rapid.IntRange(0, 1<<10).Draw(t, "pick2"),
	}
	switch o.kind {
	case opReport:
		o.level = rapid.SampledFrom([]string{"I", "II", "III", "IV"}).Draw(t, "level")
	case opConfirm:
		o.stale = rapid.Bool().Draw(t, "stale")
	case opSetState:
		o.state = twin.IncidentState(rapid.IntRange(int(twin.IncidentReported), int(twin.IncidentClosed)).Draw(t, "state"))
	case opTick:
		o.advance = rapid.SampledFrom([]time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour}).Draw(t, "advance")
	case opVehicleStatus:
		o.status = twin.Status(rapid.IntRange(int(twin.Available), int(twin.OutOfService)).Draw(t, "status"))
		o.held = rapid.Bool().Draw(t, "held")
	case opPhone:
		o.phone = fmt.Sprintf("0575-8%07d", n) // every phone patched differs
	}
	return o
}

// propTanks returns the tanks incidents are reported on: three
// floating-roof tanks and three of a toxic gas, two of them neighbours.
func propTanks(t *testing.T, s *twin.Snapshot) []string {
	t.Helper()
	var fire, toxic []string
	for tk := range twin.All[*twin.Tank](s) {
		c, _ := twin.Lookup[*twin.Chemical](s, tk.Chemical)
		switch {
		case tk.Type == twin.ExternalFloatingRoof && len(fire) < 3:
			fire = append(fire, tk.ID)
		case c != nil && c.ToxicGas && len(toxic) < 3:
			toxic = append(toxic, tk.ID)
		}
	}
	if len(fire) == 0 || len(toxic) == 0 {
		t.Fatalf("the demo park has %d floating-roof and %d toxic-gas tanks", len(fire), len(toxic))
	}
	return append(fire, toxic...)
}

// Guards the desk and the held rules under concurrent use: every answer
// is kept (no lost update), every refusal is a domain error with a clear
// code, and no vehicle or item is in two places at once or in a state its
// incident does not give it.
func TestDeskProperties(t *testing.T) {
	base, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer base.Close()
	if _, err := base.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	start := base.Snapshot()
	tanks := propTanks(t, start)
	var teams []string
	for tm := range twin.All[*twin.Team](start) {
		teams = append(teams, tm.ID)
	}

	rapid.Check(t, func(rt *rapid.T) {
		clock := twin.NewSimClock(today)
		tw, err := twin.OpenFrom(start, twin.Config{ID: "property", Exercise: true, Clock: clock})
		if err != nil {
			rt.Fatal(err)
		}
		defer tw.Close()
		p := &propPark{tw: tw, desk: dispatch.NewDesk(tw, dispatch.DefaultRules()), clock: clock, tanks: tanks, teams: teams}
		m := &propModel{phones: map[string]written[string]{}, statuses: map[string]written[twin.Status]{},
			states: map[string]twin.IncidentState{}, assigned: map[string][]twin.AssignmentState{}}
		ctx := context.Background()
		n := 0
		for step := range rapid.IntRange(2, 7).Draw(rt, "steps") {
			ops := make([]op, rapid.IntRange(1, 4).Draw(rt, fmt.Sprintf("step %d size", step)))
			for i := range ops {
				n++
				ops[i] = drawOp(rt, n)
			}
			outs := make([]outcome, len(ops))
			var wg sync.WaitGroup
			for i, o := range ops {
				wg.Go(func() { outs[i] = p.run(ctx, o) })
			}
			wg.Wait()
			for _, o := range outs {
				rt.Logf("step %d: %s %+v → inc %s team %s vehicle %s seq %d skipped %v err %v",
					step, o.op.kind, o.op, o.inc, o.team, o.vehicle, o.seq, o.skipped, o.err)
			}
			m.record(outs)
			m.check(rt, tw.Snapshot(), start, outs)
		}
	})
}
