package telemetry_test

import (
	"os"
	"strings"
	"testing"

	"parktwin/twin/telemetry"
)

// A bad alarm-management rule is refused with the file and the field (or
// the line) named.
func TestAlarmRulesErrorsNameTheField(t *testing.T) {
	b, err := os.ReadFile("rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	for _, tt := range []struct{ old, new, want string }{
		{"operators: 1", "operators: 0", "alarmManagement.operators"},
		{"alarms: 10", "alarms: 0", "alarmManagement.flood"},
		{"raises: 3", "raises: 1", "alarmManagement.chattering"},
		{`{name: day, start: "08:00"}`, `{name: day, start: "8am"}`, "line"},
		{`{name: day, start: "08:00"}`, `{name: day, start: "00:00"}`, "alarmManagement.shifts[1].start"},
		{`{name: evening, start: "16:00"}`, `{name: day, start: "16:00"}`, "alarmManagement.shifts[2].name"},
		{"floodShare: 0.01", "floodShare: 1.5", "alarmManagement.targets.floodShare"},
		{"standingAfter: 24h", "standingAfter: soon", "line"},
	} {
		if !strings.Contains(good, tt.old) {
			t.Fatalf("rules.yaml has no %q", tt.old)
		}
		_, err := telemetry.ParseRules("rules.yaml", []byte(strings.Replace(good, tt.old, tt.new, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "rules.yaml") {
			t.Errorf("%s → %s: %v, want an error naming %q", tt.old, tt.new, err, tt.want)
		}
	}
	if _, err := telemetry.ParseRules("rules.yaml", b); err != nil {
		t.Errorf("the shipped rules: %v", err)
	}
}
