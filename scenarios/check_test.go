package scenarios_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/demo"
)

// demoPark returns a snapshot of the demo park at scale 1.
func demoPark(t *testing.T) *twin.Snapshot {
	t.Helper()
	tw, err := twin.Open(twin.Config{Exercise: true, Clock: twin.NewSimClock(time.Date(2026, 12, 1, 2, 30, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	return tw.Snapshot()
}

func TestCheckChlorineNightOnDemoPark(t *testing.T) {
	s, err := scenarios.Load("testdata/chlorine-night.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(demoPark(t)); err != nil {
		t.Fatal(err)
	}
}

// Check refuses what the demo park lacks, naming the file, the line, the
// inject or expectation, and the field.
func TestCheckRefusesWhatTheParkLacks(t *testing.T) {
	snap := demoPark(t)
	good, err := os.ReadFile("testdata/chlorine-night.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"sensor", "sensors: [SEN-00045, SEN-00046]", "sensors: [SEN-00045, SEN-99999]",
			"chlorine-night.yaml:30: injects[1].excursion.sensors[1]: no sensor SEN-99999 in the park"},
		{"entity", "entity: TNK-0002-06", "entity: TNK-0099-01",
			"chlorine-night.yaml:38: injects[2].report.entity: no entity TNK-0099-01 in the park"},
		{"road", "id: RD-00001", "id: RD-99999",
			"chlorine-night.yaml:45: injects[3].road.id: no road RD-99999 in the park"},
		{"team", "team: TEAM-07", "team: TEAM-99",
			"chlorine-night.yaml:47: injects[4].unit.team: no team TEAM-99 in the park"},
		{"vehicle", "vehicle: VEH-07-02", "vehicle: VEH-01-01",
			"chlorine-night.yaml:47: injects[4].unit.vehicle: team TEAM-07 has no vehicle VEH-01-01"},
		{"warehouse", "warehouse: WH-02, serial", "warehouse: WH-99, serial",
			"chlorine-night.yaml:49: injects[5].equipment.warehouse: no warehouse WH-99 in the park"},
		{"serial", "serial: WH02-SCBA-001", "serial: WH02-SCBA-999",
			"chlorine-night.yaml:49: injects[5].equipment.serial: WH-02 holds no item WH02-SCBA-999"},
		{"type", "type: leak-sealing-kit", "type: jetpack",
			"chlorine-night.yaml:51: injects[6].equipment.type: WH-02 holds no jetpack"},
		{"quantity", "quantity: 1,", "quantity: 1000,",
			"chlorine-night.yaml:51: injects[6].equipment.quantity: WH-02 holds 3 of leak-sealing-kit"},
		{"target", "target: TGT-06", "target: TGT-99",
			"chlorine-night.yaml:62: expectations[6].target: no target TGT-99 in the park"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(good), tt.from) {
				t.Fatalf("the file has no %q", tt.from)
			}
			b := strings.Replace(string(good), tt.from, tt.to, 1)
			s, err := scenarios.Parse("chlorine-night.yaml", []byte(b))
			if err != nil {
				t.Fatal(err)
			}
			err = s.Check(snap)
			if err == nil {
				t.Fatalf("checked, want %s", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
