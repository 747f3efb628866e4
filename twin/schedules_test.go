package twin_test

import (
	"slices"
	"strings"
	"testing"

	"parktwin/twin"
)

// The safety review of issue 10: a type's inspections are plural, each
// with its own due date per item, and a pass of one moves that one alone.

// A four-gas detector's yearly calibration (检定: JJG 693-2011 LEL, JJG 695
// H2S, JJG 915 CO, JJG 365 O2 — verification period at most a year,
// recalled) is not pushed a year by the bump test after use.
func TestAfterUseBumpTestLeavesCalibrationDue(t *testing.T) {
	tw := ledgerTwin(t, nil)
	cal := twin.NewDate(2026, 6, 1) // calibrated: due 2027-06-01
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "gas-detector", Serials: []string{"G-1"},
		Tested: map[string]twin.Date{"calibration": cal}})
	et, _ := tw.Equipment().Type("gas-detector")
	if s, ok := et.Schedule("calibration"); !ok || s.Every != (twin.Period{Years: 1}) || s.Kind != twin.ScheduleCalibration || !et.AfterUse() {
		t.Fatalf("gas-detector's schedules: %+v", et.Inspections)
	}
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "gas-detector", Serials: []string{"G-1"}, To: "TEAM-01"})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "gas-detector", Serials: []string{"G-1"}, From: "TEAM-01"})
	it := tw.Snapshot().Stock("WH-01").Type("gas-detector").Items["G-1"]
	if it.State != twin.AssetReturned {
		t.Fatalf("back from use: %s, want returned", it.State)
	}
	// The bump test after use, named by no schedule: the after-use one.
	bump := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpInspect, Type: "gas-detector", Serials: []string{"G-1"}, Result: twin.Pass})
	if bump.Schedule != twin.AfterUseSchedule || !bump.Due.IsZero() {
		t.Errorf("the inspection of an item back from use satisfies %q with due %s, want the after-use check and no date", bump.Schedule, bump.Due)
	}
	it = tw.Snapshot().Stock("WH-01").Type("gas-detector").Items["G-1"]
	if want := twin.NewDate(2027, 6, 1); it.Dues["calibration"] != want || it.Due != want {
		t.Errorf("after the bump test the calibration is due %s (item due %s), want %s unchanged", it.Dues["calibration"], it.Due, want)
	}
	if it.State != twin.AssetAvailable {
		t.Errorf("after the bump test: %s, want available", it.State)
	}
	// A calibration pass moves the calibration's date, and only that.
	c := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpInspect, Type: "gas-detector", Serials: []string{"G-1"}, Result: twin.Pass, Schedule: "calibration"})
	if c.Due != twin.NewDate(2027, 12, 1) {
		t.Errorf("a calibration on %s sets due %s, want a year on", ledgerDay.Format("2006-01-02"), c.Due)
	}
}

// A detector whose calibration is overdue is not ready, and no bump test
// makes it so: issuing it is refused, and an issue by quantity passes it
// over. Only a calibration returns it to service.
func TestCalibrationOverdueIsNotReady(t *testing.T) {
	tw := ledgerTwin(t, nil)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "gas-detector", Serials: []string{"OLD-1"},
		Tested: map[string]twin.Date{"calibration": twin.NewDate(2025, 11, 20)}}) // due 2026-11-20: overdue
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "gas-detector", Serials: []string{"NEW-1"},
		Tested: map[string]twin.Date{"calibration": twin.NewDate(2026, 11, 20)}})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpInspect, Type: "gas-detector", Serials: []string{"OLD-1"}, Result: twin.Pass, Schedule: twin.AfterUseSchedule})
	ts := tw.Snapshot().Stock("WH-01").Type("gas-detector")
	if _, ready := ts.Ready(ledgerDay); !slices.Equal(ready, []string{"NEW-1"}) {
		t.Errorf("ready: %v, want NEW-1 alone (OLD-1's calibration is overdue)", ready)
	}
	if _, err := post(tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "gas-detector", Serials: []string{"OLD-1"}, To: "TEAM-01"}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("issuing a detector overdue for calibration: %v, want a conflict", err)
	}
	r := tw.Snapshot().Readiness(ledgerDay, tw.Equipment())
	if i := slices.IndexFunc(r[0].Overdue, func(in twin.Inspect) bool { return in.Serial == "OLD-1" && in.Schedule == "calibration" }); i < 0 {
		t.Errorf("readiness lists no overdue calibration of OLD-1: %+v", r[0].Overdue)
	}
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpInspect, Type: "gas-detector", Serials: []string{"OLD-1"}, Result: twin.Pass, Schedule: "calibration"})
	if _, ready := tw.Snapshot().Stock("WH-01").Type("gas-detector").Ready(ledgerDay); len(ready) != 2 {
		t.Errorf("ready after the calibration: %v", ready)
	}
}

// The inspection calendar lists an item once per schedule: an SCBA set's
// monthly check and its yearly service.
func TestInspectionCalendarPerSchedule(t *testing.T) {
	tw := ledgerTwin(t, nil)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Serials: []string{"S-1"},
		Tested: map[string]twin.Date{"monthly": twin.NewDate(2026, 11, 20), "service": twin.NewDate(2025, 12, 10)}})
	cal := tw.Snapshot().Inspections("WH-01", ledgerDay, ledgerDay.AddDate(0, 1, 0), ledgerDay, tw.Equipment())
	var got []string
	for _, in := range cal {
		got = append(got, in.Schedule+" "+in.Due.String())
	}
	if want := []string{"service 2026-12-10", "monthly 2026-12-20"}; !slices.Equal(got, want) {
		t.Errorf("calendar: %v, want %v", got, want)
	}
}

// Breathing-air cylinders are inspected with a hydrostatic test every 3
// years in China (TSG 23-2021; GB 24161 for composite cylinders, GB/T
// 13004 for steel — section numbers unverified), not the 5 years of US
// DOT; a composite cylinder's life is 15 years from its manufacture date
// (GB 28053, unverified).
func TestCylinderHydrostaticTestEveryThreeYears(t *testing.T) {
	cat := twin.DefaultCatalogue()
	for _, id := range []string{"scba-cylinder", "scba-cylinder-steel"} {
		et, ok := cat.Type(id)
		if !ok {
			t.Fatalf("no %s in the catalogue", id)
		}
		s, ok := et.Schedule("hydrostatic")
		if !ok || s.Kind != twin.ScheduleTest || s.Every != (twin.Period{Years: 3}) {
			t.Errorf("%s hydrostatic test: %+v, want every 3y (TSG 23-2021)", id, s)
		}
	}
	if et, _ := cat.Type("scba-cylinder"); et.ShelfLife != (twin.Period{Years: 15}) {
		t.Errorf("composite cylinder life %s, want 15y (GB 28053)", et.ShelfLife)
	}
	tw := ledgerTwin(t, nil)
	e := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba-cylinder", Serials: []string{"CY-1"},
		Made: twin.NewDate(2020, 3, 1), Tested: map[string]twin.Date{"hydrostatic": twin.NewDate(2024, 1, 10)}})
	if e.Due != twin.NewDate(2027, 1, 10) || e.Expires != twin.NewDate(2035, 3, 1) {
		t.Errorf("cylinder made 2020-03-01, tested 2024-01-10: due %s, expires %s; want 2027-01-10 and 2035-03-01", e.Due, e.Expires)
	}
}

// A receipt does not make an item inspected on the day it arrives, nor
// start its life that day: a schedule without its last test is due now,
// and a type with a life is refused without its manufacture date (or the
// maker's expiry).
func TestReceiptWithoutDates(t *testing.T) {
	tw := ledgerTwin(t, nil)
	today := twin.NewDate(2026, 12, 1)
	e := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "gas-detector", Serials: []string{"U-1"}})
	if e.Dues["calibration"] != today {
		t.Errorf("a detector received with no calibration date is due %s, want today (due now)", e.Dues["calibration"])
	}
	if _, err := post(tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "gas-detector", Quantity: 1, To: "TEAM-01"}); twin.ErrorCode(err) != twin.EINSUFFICIENT {
		t.Errorf("issuing a detector of unknown calibration: %v, want insufficient (not ready)", err)
	}
	for _, tt := range []struct {
		name  string
		e     twin.LedgerEntry
		field string
	}{
		{"cylinder without its manufacture date", twin.LedgerEntry{Type: "scba-cylinder", Serials: []string{"CY-9"}}, "made"},
		{"foam without made or 有效期", twin.LedgerEntry{Type: "foam-ar-afff-3", Quantity: 1000}, "made"},
		{"made tomorrow", twin.LedgerEntry{Type: "suit-level-a", Serials: []string{"A-9"}, Made: twin.NewDate(2026, 12, 2)}, "made"},
		{"a schedule the type has not", twin.LedgerEntry{Type: "scba", Serials: []string{"S-9"}, Tested: map[string]twin.Date{"calibration": today}}, "tested.calibration"},
		{"tested tomorrow", twin.LedgerEntry{Type: "scba", Serials: []string{"S-9"}, Tested: map[string]twin.Date{"monthly": twin.NewDate(2026, 12, 2)}}, "tested.monthly"},
	} {
		tt.e.Warehouse, tt.e.Op = "WH-01", twin.OpReceive
		_, err := post(tw, tt.e)
		if twin.ErrorCode(err) != twin.EINVALID || twin.ErrorField(err) != tt.field {
			t.Errorf("%s: %v, want invalid on %s", tt.name, err, tt.field)
		}
	}
	// The maker's expiry (有效期) of a foam lot stands for its life.
	f := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-ar-afff-3", Quantity: 1000, Expires: twin.NewDate(2034, 5, 1)})
	if f.Expires != twin.NewDate(2034, 5, 1) || f.Due != today {
		t.Errorf("foam with its 有效期 and no lab test: expires %s due %s", f.Expires, f.Due)
	}
}

// Bulk stock back from use: absorbent and boom are written off as
// hazardous waste (HW49 900-041-49, 国家危险废物名录 2021, recalled); opened
// foam concentrate goes to a lot of its own, quarantined until tested; a
// return passed as unused goes back on the shelf.
func TestBulkReturnedAfterUse(t *testing.T) {
	tw := ledgerTwin(t, nil)
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "absorbent", Quantity: 500})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "foam-afff-3", Quantity: 4000,
		Expires: twin.NewDate(2034, 1, 1), Tested: map[string]twin.Date{"test": twin.NewDate(2026, 11, 1)}})
	for _, typ := range []string{"absorbent", "foam-afff-3"} {
		mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: typ, Quantity: 300, To: "TEAM-01"})
	}
	ret := mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "absorbent", Quantity: 100, From: "TEAM-01"})
	if ret.State != twin.AssetRetired || !strings.Contains(ret.Reason, "HW49") {
		t.Errorf("absorbent back from use: %s %q, want written off as HW49", ret.State, ret.Reason)
	}
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "absorbent", Quantity: 50, From: "TEAM-01", Result: twin.Pass})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "foam-afff-3", Quantity: 200, From: "TEAM-01"})
	s := tw.Snapshot().Stock("WH-01")
	if ready, _ := s.Type("absorbent").Ready(ledgerDay); ready != 250 {
		t.Errorf("absorbent ready %v, want 250: 200 never issued and 50 back unused, the 100 used written off", ready)
	}
	if out := s.Type("absorbent").OutQuantity(""); out != 150 {
		t.Errorf("absorbent still out %v, want 150", out)
	}
	foam := s.Type("foam-afff-3")
	if ready, _ := foam.Ready(ledgerDay); ready != 3700 {
		t.Errorf("foam ready %v, want 3700: the opened 200 are not", ready)
	}
	quarantined := 0.0
	for _, l := range foam.SortedLots() {
		if l.State == twin.AssetQuarantined {
			quarantined += l.Quantity
		}
	}
	if quarantined != 200 {
		t.Errorf("quarantined foam %v, want the 200 L back opened", quarantined)
	}
}
