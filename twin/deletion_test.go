package twin_test

import (
	"encoding/json"
	"testing"

	"parktwin/twin"
)

// A warehouse, team or sensor that holds or is held by anything in an
// open incident cannot be deleted, and the refusal names what holds it;
// nor can a warehouse with equipment out, or a team holding equipment.
// Once the incident is closed and the equipment back, each goes, and its
// ID is never given again.
func TestDeletionGuard(t *testing.T) {
	tw := ledgerTwin(t, nil)
	at := tank("").Position
	sen := apply(t, tw, twin.Create{Entity: sensor("")})[0].ID
	alm := apply(t, tw, twin.Create{Entity: &twin.Alarm{Sensor: sen, Subject: "TNK-0001-01", Enterprise: "ENT-0001",
		Condition: twin.High, Limit: "H", Threshold: 60, Value: 63, Level: twin.Red, State: twin.AlarmClosed,
		RaisedAt: ledgerDay, Position: at}})[0].ID
	inc := apply(t, tw, twin.Create{Entity: &twin.Incident{Type: twin.ToxicRelease, Level: twin.LevelIII, State: twin.IncidentDispatched,
		Entity: "TNK-0001-01", Alarm: alm, Reporter: "值班员", ReportedAt: ledgerDay, Position: at}})[0].ID
	team := &twin.Team{Name: "测试救援队", Type: twin.HazmatTeam, Personnel: 12, Phone: "0575-82000000", Status: twin.Available,
		Base: at, Vehicles: []twin.Vehicle{{ID: "VEH-T-01", Name: "侦检车", Type: twin.HazmatVehicle, Plate: "浙D·T0001", Crew: 4, Status: twin.Available}}}
	tm := apply(t, tw, twin.Create{Entity: team})[0].ID

	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: serials("D", 2)})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReceive, Type: "gas-detector", Due: twin.NewDate(2027, 6, 1), Serials: serials("G", 1)})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpIssue, Type: "scba", Serials: []string{"D-001"}, Incident: inc})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpIssue, Type: "gas-detector", Serials: []string{"G-001"}, To: tm})

	refused(t, tw, twin.Delete{Kind: twin.KindWarehouse, ID: "WH-01"}, inc)
	refused(t, tw, twin.Delete{Kind: twin.KindWarehouse, ID: "WH-02"}, tm)
	refused(t, tw, twin.Delete{Kind: twin.KindTeam, ID: tm}, "G-001")
	refused(t, tw, twin.Delete{Kind: twin.KindSensor, ID: sen}, inc)
	refused(t, tw, twin.Delete{Kind: twin.KindTank, ID: "TNK-0001-01"}, inc)

	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-01", Op: twin.OpReturn, Type: "scba", Serials: []string{"D-001"}, Incident: inc})
	mustPost(t, tw, twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReturn, Type: "gas-detector", Serials: []string{"G-001"}, From: tm})
	apply(t, tw, twin.Patch{Kind: twin.KindIncident, ID: inc, Merge: json.RawMessage(`{"properties":{"state":"closed"}}`)})
	for _, d := range []twin.Delete{{Kind: twin.KindWarehouse, ID: "WH-01"}, {Kind: twin.KindTeam, ID: tm}, {Kind: twin.KindSensor, ID: sen}} {
		apply(t, tw, d)
	}
	// Never given again: not by hand, not by the twin.
	if _, err := tw.Apply(keeper(), twin.Create{Entity: warehouse("WH-01", twin.TierPark)}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("WH-01 created again: %v", err)
	}
	w := warehouse("", twin.TierPark)
	if id := apply(t, tw, twin.Create{Entity: w})[0].ID; id == "WH-01" || id == "WH-02" {
		t.Errorf("a new warehouse got %s", id)
	}
	// Its ledger stays, and its serials stay its: one place, for good.
	if _, err := post(tw, twin.LedgerEntry{Warehouse: "WH-02", Op: twin.OpReceive, Type: "scba", Due: twin.NewDate(2027, 6, 1), Serials: []string{"D-002"}}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("a deleted warehouse's serial received elsewhere: %v", err)
	}
}
