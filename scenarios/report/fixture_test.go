package report_test

import (
	"testing"
	"time"

	"parktwin/scenarios/report"
)

// sec returns a pointer to s seconds, for the report's optional times.
func sec(s float64) *report.Seconds {
	v := report.Seconds(s)
	return &v
}

// chlorineReport is the report of the chlorine-at-night drill on the demo
// park of Shangyu, 15 minutes in and paused, written out by hand: one
// expectation met, one missed and one pending; three units of which the
// third is not yet on scene; a shortfall; a map with routes.
func chlorineReport(t *testing.T) *report.Report {
	t.Helper()
	cst := time.FixedZone("CST", 8*3600) // the park's zone, as a report read back from JSON has it
	return &report.Report{
		Kind:      "drill",
		ID:        "DRL-0001",
		Scenario:  "chlorine-night",
		Title:     report.Text{Zh: "液氯罐区夜间泄漏", En: "Chlorine leak at a tank farm at night"},
		Objective: "夜班：确认氯气报警，核查，创建有毒气体泄漏事件，确认方案并组织下风向疏散。",
		Level:     "III",
		Start:     time.Date(2026, 12, 1, 2, 30, 0, 0, cst),
		Elapsed:   900,
		Duration:  7200,
		State:     "paused",
		Timeline: []report.Event{
			{At: 0, Kind: report.EventMessage, What: "演练开始：夜班值守。"},
			{At: 90, Kind: report.EventInject, What: "氯气检测器 SEN-00045、SEN-00046 读数上升至 20 ppm"},
			{At: 112, Kind: report.EventAlarm, What: "报警 ALM-000031：SEN-00045 氯气 10.3 ppm 高高报"},
			{At: 140, Kind: report.EventAlarm, What: "报警 ALM-000031 已确认", By: "值班长 王磊"},
			{At: 300, Kind: report.EventIncident, What: "事件 INC-0001 有毒气体泄漏 TNK-0002-06 上报", By: "骏熙染化 夜班班长"},
			{At: 420, Kind: report.EventPlan, What: "方案确认：VEH-01-01、VEH-03-01、VEH-05-02 出动", By: "调度员 李娜"},
			{At: 455, Kind: report.EventUnit, What: "VEH-01-01 rolling"},
			{At: 760, Kind: report.EventUnit, What: "VEH-01-01 on scene"},
		},
		Expectations: []report.Expectation{
			{ID: "ack", What: "alarm-acknowledged", Of: "first-alarm", Target: 60,
				Status: report.Met, Took: sec(28), At: sec(140)},
			{ID: "first-unit", What: "unit-on-scene", Of: "order", Target: 300,
				Status: report.Missed, At: sec(720)},
			{ID: "evacuate", What: "evacuation-ordered", Param: "TGT-06", Of: "report", Target: 900,
				Status: report.Pending},
		},
		Units: []report.Unit{
			{Incident: "INC-0001", Team: "TEAM-01", Vehicle: "VEH-01-01", Ordered: 420,
				Rolling: sec(455), OnScene: sec(760), Turnout: sec(35), Travel: sec(305), Response: sec(340)},
			{Incident: "INC-0001", Team: "TEAM-03", Vehicle: "VEH-03-01", Ordered: 420,
				Rolling: sec(470), OnScene: sec(820), Turnout: sec(50), Travel: sec(350), Response: sec(400)},
			{Incident: "INC-0001", Team: "TEAM-05", Vehicle: "VEH-05-02", Ordered: 420,
				Rolling: sec(520), Turnout: sec(100)},
		},
		// Nearest rank: turnout the 3rd of 3, travel and response the 2nd of 2.
		P90: report.Segments{Turnout: sec(100), Travel: sec(350), Response: sec(400), Units: 3},
		Equipment: []report.Equipment{
			{Incident: "INC-0001", Warehouse: "WH-01", Type: "scba", Quantity: 6, Unit: "套",
				Items: []string{"WH01-SCBA-001", "WH01-SCBA-002", "WH01-SCBA-003", "WH01-SCBA-004", "WH01-SCBA-005", "WH01-SCBA-006"},
				State: "lent"},
			{Incident: "INC-0001", Warehouse: "WH-02", Type: "chlorine-detector", Quantity: 2, Unit: "台",
				Items: []string{"WH02-DET-011", "WH02-DET-012"}, State: "reserved"},
			{Incident: "INC-0001", Warehouse: "WH-02", Type: "leak-sealing-kit", Quantity: 0.5, Unit: "套", State: "reserved"},
		},
		Shortfalls: []string{"堵漏工具包（leak-sealing-kit）：WH-02 的 1 套已过期，缺 1 套"},
		Map: report.Map{
			Bounds: [4]float64{120.78, 30.13, 120.82, 30.16},
			Incidents: []report.Place{
				{Label: "INC-0001 氯气泄漏 TNK-0002-06", Point: [2]float64{120.7979, 30.1468}},
			},
			Routes: []report.Route{
				{Vehicle: "VEH-01-01", Line: [][2]float64{{120.7850, 30.1340}, {120.7900, 30.1400}, {120.7960, 30.1420}, {120.7979, 30.1468}}},
				{Vehicle: "VEH-03-01", Line: [][2]float64{{120.8150, 30.1560}, {120.8060, 30.1510}, {120.7990, 30.1480}, {120.7979, 30.1468}}},
				{Vehicle: "VEH-05-02", Line: [][2]float64{{120.8170, 30.1330}, {120.8080, 30.1380}, {120.8010, 30.1430}, {120.7979, 30.1468}}},
			},
		},
	}
}
