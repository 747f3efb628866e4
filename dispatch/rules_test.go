package dispatch_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"parktwin/dispatch"
)

func TestDefaultRulesLoad(t *testing.T) {
	r := dispatch.DefaultRules()
	if got := r.ResponseTarget.D().Minutes(); got != 5 {
		t.Errorf("response target %v min, want 5", got)
	}
	if a := r.Foam.ByTank["external-floating-roof"]; a.RateLPerMinM2 != 12.5 || a.Minutes != 60 || a.Area != "seal" {
		t.Errorf("floating roof: %+v", a)
	}
	if got := len(r.RunCards["tank-fire"]["I"]); got == 0 {
		t.Error("no level I run card for a tank fire")
	}
}

// Errors give the file, the line and the field.
func TestRulesErrorsNameLineAndField(t *testing.T) {
	base := string(mustRead(t))
	tests := []struct {
		name, from, to, want string
	}{
		{"bad rate", "rateLPerMinM2: 12.5", "rateLPerMinM2: -1", "foam.byTank.external-floating-roof.rateLPerMinM2"},
		{"bad vehicle", "{vehicle: foam-tender, count: 2}, {vehicle: water-tender, count: 1}]", "{vehicle: fire-truck, count: 2}, {vehicle: water-tender, count: 1}]", "runCards.tank-fire.IV[0].vehicle"},
		{"zero count", "IV:  [{capability: confined-space-rescue, count: 1}", "IV:  [{capability: confined-space-rescue, count: 0}", "runCards.confined-space.IV[0].count"},
		{"unknown tier", "{tier: park, lend: 1.0}", "{tier: city, lend: 1.0}", "equipmentTiers[1].tier"},
		{"unknown field", "responseTarget: 5m", "responseTarget: 5m\nmotto: fast", "field motto not found"},
		{"bad duration", "responseTarget: 5m", "responseTarget: soon", "not a positive duration"},
		{"equipment not in the catalogue", "{equipment: tripod-winch, count: 1}", "{equipment: tripod-crane, count: 1}", "confinedSpace.perIncident[0].equipment"},
		{"priority incomplete", "types: [explosion, toxic-release,", "types: [toxic-release,", "priority.types"},
	}
	for _, tt := range tests {
		if !strings.Contains(base, tt.from) {
			t.Fatalf("%s: the default rules do not contain %q", tt.name, tt.from)
		}
		b := strings.Replace(base, tt.from, tt.to, 1)
		_, err := dispatch.ParseRules("rules.yaml", []byte(b))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "rules.yaml") {
			t.Errorf("%s: %v, want an error naming %q", tt.name, err, tt.want)
			continue
		}
		// The line named is the line changed.
		line := 1 + strings.Count(b[:strings.Index(b, strings.Split(tt.to, "\n")[len(strings.Split(tt.to, "\n"))-1])], "\n")
		if !strings.Contains(err.Error(), "line "+itoa(line)) && !strings.Contains(err.Error(), "rules.yaml:"+itoa(line)) {
			t.Errorf("%s: %v, want line %d", tt.name, err, line)
		}
	}
}

func mustRead(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itoa(i int) string { return strconv.Itoa(i) }
