package dispatch_test

import (
	"context"
	"slices"
	"testing"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
)

// Dispatch goes through the warehouses' ledgers: confirming a plan issues
// its equipment with the incident's ID on every entry; cancelling returns
// exactly what was taken; closing brings every item back (an SCBA set to
// be inspected, as after each use) and writes off the bulk stock used.

func ledgerPark(t *testing.T) (*twin.Twin, *dispatch.Desk) {
	t.Helper()
	clock := twin.NewSimClock(heldDay)
	tw, err := twin.Open(twin.Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	apply(t, tw, twin.Creates(demo.GenerateWith(1, 1, demo.Options{Now: heldDay})...)...)
	return tw, dispatch.NewDesk(tw, dispatch.DefaultRules())
}

func reportAndPlan(t *testing.T, tw *twin.Twin, desk *dispatch.Desk, entity, typ, level string) (*twin.Incident, *dispatch.Plan) {
	t.Helper()
	inc, _, err := desk.Report(context.Background(), dispatch.Report{Type: typ, Entity: entity, Level: level, Reporter: "值班员"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := desk.Plan(inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return inc, plan
}

func TestConfirmAndCancelThroughTheLedger(t *testing.T) {
	tw, desk := ledgerPark(t)
	ctx := context.Background()
	inc, plan := reportAndPlan(t, tw, desk, toxicTank(t, tw.Snapshot()).ID, "toxic-release", "II")
	before := tw.Snapshot()
	confirmed, err := desk.Confirm(ctx, inc.ID, *plan, "指挥员")
	if err != nil {
		t.Fatal(err)
	}
	s := tw.Snapshot()
	var issued []*twin.LedgerEntry
	for _, e := range s.LedgerEntries("") {
		if e.Op == twin.OpIssue {
			issued = append(issued, e)
		}
	}
	if len(issued) != len(confirmed.Equipment) || len(issued) == 0 {
		t.Fatalf("%d issue entries for %d equipment lines", len(issued), len(confirmed.Equipment))
	}
	for i, e := range issued {
		line := confirmed.Equipment[i]
		if e.Incident != inc.ID || e.Warehouse != line.Warehouse || e.Type != line.Type || e.Quantity != line.Quantity || !slices.Equal(e.Serials, line.Items) {
			t.Errorf("entry %s: %+v, for line %+v", e.ID, e, line)
		}
		for _, serial := range e.Serials {
			if it := s.Stock(e.Warehouse).Type(e.Type).Items[serial]; it.State != twin.AssetIssued || it.Holder != inc.ID {
				t.Errorf("%s after the confirm: %+v", serial, it)
			}
		}
	}
	if _, err := desk.Cancel(ctx, inc.ID, "指挥员"); err != nil {
		t.Fatal(err)
	}
	after := tw.Snapshot()
	for wh, st := range before.Stocks() {
		if !st.Equal(after.Stock(wh)) {
			t.Errorf("%s after the cancel: not the stock it had before the confirm", wh)
		}
	}
	returns := 0
	for _, e := range after.LedgerEntries("") {
		if e.Op == twin.OpReturn && e.Incident == inc.ID {
			returns++
		}
	}
	if returns != len(issued) {
		t.Errorf("%d return entries for %d issues", returns, len(issued))
	}
}

func TestCloseThroughTheLedger(t *testing.T) {
	tw, desk := ledgerPark(t)
	ctx := context.Background()
	inc, plan := reportAndPlan(t, tw, desk, bigTank(t, tw.Snapshot()), "tank-fire", "I")
	// The tenders carry the foam the rules ask for; the operator adds
	// 2,000 L of the district's to the plan.
	plan.Equipment = append(plan.Equipment, dispatch.Line{Type: "foam-afff-3", Warehouse: "WH-01", Quantity: 2000, Unit: "L"})
	inc, err := desk.Confirm(ctx, inc.ID, *plan, "指挥员")
	if err != nil {
		t.Fatal(err)
	}
	foam := slices.IndexFunc(inc.Equipment, func(e twin.EquipmentIssued) bool { return len(e.Items) == 0 })
	if foam < 0 {
		t.Fatal("a tank fire drew no foam")
	}
	line := inc.Equipment[foam]
	ts := tw.Snapshot().Stock(line.Warehouse).Type(line.Type)
	if got := ts.OutQuantity(inc.ID); got != line.Quantity {
		t.Errorf("%s out with %s: %v, want %v", line.Type, inc.ID, got, line.Quantity)
	}
	// The first vehicle leaves: what it carries is issued, then used.
	tw.Clock().(*twin.SimClock).Advance(5 * 60e9)
	if err := desk.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	for _, to := range []twin.IncidentState{twin.IncidentUnderControl, twin.IncidentClosed} {
		if _, err := desk.SetState(ctx, inc.ID, to, "指挥员"); err != nil {
			t.Fatal(err)
		}
	}
	s := tw.Snapshot()
	if got := s.Stock(line.Warehouse).Type(line.Type).OutQuantity(""); got != 0 {
		t.Errorf("%s out after the close: %v", line.Type, got)
	}
	var retired float64
	for _, e := range s.LedgerEntries(line.Warehouse) {
		if e.Op == twin.OpRetire && e.Incident == inc.ID && e.Type == line.Type {
			retired += e.Quantity
		}
	}
	if retired != line.Quantity {
		t.Errorf("%s written off as used: %v, want %v", line.Type, retired, line.Quantity)
	}
}

// Expired, overdue, quarantined, in-repair and lost items are never
// offered to a dispatch: entered in the ledger, then a plan is made.
func TestPlanOffersOnlyReadyEquipment(t *testing.T) {
	tw, desk := ledgerPark(t)
	s := tw.Snapshot()
	// Every ready SCBA set of the park but five, put out of service one
	// way or another.
	today := twin.NewDate(heldDay.Year(), heldDay.Month(), heldDay.Day())
	kept := map[string]bool{}
	out := map[string]bool{}
	var cmds []twin.Command
	n := 0
	for w := range twin.All[*twin.Warehouse](s) {
		_, ready := s.Stock(w.ID).Type("scba").Ready(heldDay)
		for _, serial := range ready {
			e := &twin.LedgerEntry{Warehouse: w.ID, Type: "scba", Serials: []string{serial}, Reason: "测试"}
			switch n % 6 {
			case 0:
				kept[serial] = true
				n++
				continue
			case 1:
				e.Op, e.Due = twin.OpAdjust, today // inspection due today: overdue
			case 2:
				e.Op, e.State = twin.OpAdjust, twin.AssetQuarantined
			case 3:
				e.Op = twin.OpRepair
			case 4:
				e.Op = twin.OpLost
			case 5:
				e.Op, e.Expires = twin.OpAdjust, today // its life ends today
			}
			out[serial] = true
			cmds = append(cmds, twin.Post{Entry: e})
			n++
		}
	}
	apply(t, tw, cmds...)
	_, plan := reportAndPlan(t, tw, desk, toxicTank(t, tw.Snapshot()).ID, "toxic-release", "I")
	offered := 0
	for _, l := range plan.Equipment {
		if l.Type != "scba" {
			continue
		}
		for _, serial := range l.Items {
			offered++
			if out[serial] || !kept[serial] {
				t.Errorf("the plan offers %s, which is not ready", serial)
			}
		}
	}
	if offered == 0 {
		t.Error("the plan offers no SCBA set: nothing to judge")
	}
	// And a foam lot that failed its test is not offered for a fire.
	s = tw.Snapshot()
	var failed []twin.Command
	for w := range twin.All[*twin.Warehouse](s) {
		if ts := s.Stock(w.ID).Type("foam-afff-3"); ts != nil {
			failed = append(failed, twin.Post{Entry: &twin.LedgerEntry{Warehouse: w.ID, Op: twin.OpInspect, Type: "foam-afff-3",
				Result: twin.Fail, Findings: "发泡倍数不合格"}})
		}
	}
	apply(t, tw, failed...)
	s = tw.Snapshot()
	tk, _ := twin.Lookup[*twin.Tank](s, bigTank(t, s))
	in, _ := dispatch.NewGraph(s).Toward(tk.Position)
	lines, short := dispatch.DefaultRules().Allocate(s, in, heldDay, "", []dispatch.Requirement{{What: "foam-afff-3", Quantity: 5000, Unit: "L"}})
	for _, l := range lines {
		t.Errorf("the planner offers %v L of AFFF 3 %% from %s, every lot of which failed its test", l.Quantity, l.Warehouse)
	}
	if len(short) != 1 || short[0].Available != 0 {
		t.Errorf("shortfalls: %v", short)
	}
}

// bigTank returns the widest fixed-roof tank of the park: a fire on it
// needs more foam than the tenders carry.
func bigTank(t *testing.T, s *twin.Snapshot) string {
	t.Helper()
	var best *twin.Tank
	for tk := range twin.All[*twin.Tank](s) {
		if tk.Type == twin.FixedRoof && (best == nil || tk.DiameterM > best.DiameterM) {
			best = tk
		}
	}
	if best == nil {
		t.Fatal("no fixed-roof tank")
	}
	return best.ID
}

// A detector whose yearly calibration (检定, JJG 693-2011 and kin,
// recalled) is overdue is never offered, even after a bump test passed:
// the bump test after use moves no calibration date (issue 10 review).
func TestPlannerSkipsCalibrationOverdue(t *testing.T) {
	tw, _ := ledgerPark(t)
	s := tw.Snapshot()
	today := twin.NewDate(heldDay.Year(), heldDay.Month(), heldDay.Day())
	overdue := map[string]bool{}
	var cmds []twin.Command
	n := 0
	for w := range twin.All[*twin.Warehouse](s) {
		_, ready := s.Stock(w.ID).Type("gas-detector").Ready(heldDay)
		for _, serial := range ready {
			n++
			if n%2 == 0 {
				continue
			}
			overdue[serial] = true
			cmds = append(cmds,
				twin.Post{Entry: &twin.LedgerEntry{Warehouse: w.ID, Op: twin.OpAdjust, Type: "gas-detector", Serials: []string{serial},
					Schedule: "calibration", Due: today, Reason: "检定证书到期"}},
				twin.Post{Entry: &twin.LedgerEntry{Warehouse: w.ID, Op: twin.OpInspect, Type: "gas-detector", Serials: []string{serial},
					Schedule: twin.AfterUseSchedule, Result: twin.Pass}})
		}
	}
	if len(overdue) == 0 {
		t.Fatal("the demo park has no ready four-gas detector")
	}
	apply(t, tw, cmds...)
	s = tw.Snapshot()
	tk, _ := twin.Lookup[*twin.Tank](s, toxicTank(t, s).ID)
	in, _ := dispatch.NewGraph(s).Toward(tk.Position)
	lines, _ := dispatch.DefaultRules().Allocate(s, in, heldDay, "", []dispatch.Requirement{{What: "gas-detector", Quantity: 1000, Unit: "台"}})
	offered := 0
	for _, l := range lines {
		for _, serial := range l.Items {
			offered++
			if overdue[serial] {
				t.Errorf("the planner offers %s, whose calibration is overdue", serial)
			}
		}
	}
	if offered == 0 {
		t.Error("the planner offers no detector: nothing to judge")
	}
}
