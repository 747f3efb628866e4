package twin_test

import (
	"strings"
	"testing"

	"parktwin/twin"
)

// The built-in catalogue loads, and holds every type the demo park and
// the dispatch rules name.
func TestDefaultCatalogue(t *testing.T) {
	c := twin.DefaultCatalogue()
	for _, id := range []string{"scba", "scba-cylinder", "suit-level-a", "suit-level-b", "gas-detector",
		"gas-detector-pid", "gas-detector-cl2", "gas-detector-nh3", "transfer-pump", "radio", "thermal-camera",
		"tripod-winch", "fan-explosion-proof", "escape-breathing-set", "mobile-monitor", "foam-afff-3", "foam-afff-6", "foam-ar-afff-3",
		"absorbent", "boom", "leak-sealing-kit"} {
		if _, ok := c.Type(id); !ok {
			t.Errorf("no type %s", id)
		}
	}
	scba, _ := c.Type("scba")
	if scba.Class != twin.Serialized || !scba.Inspection.AfterUse || scba.Inspection.Every != (twin.Period{Months: 1}) {
		t.Errorf("scba: %+v", scba)
	}
	if got := scba.MinimumFor(twin.TierEnterprise); got != 2 {
		t.Errorf("scba minimum at an enterprise warehouse: %v, want 2 (GB 30077 work site)", got)
	}
	foam, _ := c.Type("foam-afff-3")
	if foam.Class != twin.Bulk || foam.Unit != "L" || foam.Inspection.Every != (twin.Period{Years: 1}) {
		t.Errorf("foam-afff-3: %+v", foam)
	}
	cyl, _ := c.Type("scba-cylinder")
	if cyl.ShelfLife != (twin.Period{Years: 15}) {
		t.Errorf("scba-cylinder shelf life: %v, want 15y", cyl.ShelfLife)
	}
}

// A bad catalogue is refused with the file, the line and the field.
func TestCatalogueErrors(t *testing.T) {
	good := "types:\n  - id: scba\n    name: 呼吸器\n    nameEn: SCBA\n    class: serialized\n    unit: 套\n    unitEn: sets\n    source: test\n"
	if _, err := twin.ParseCatalogue("c.yaml", []byte(good)); err != nil {
		t.Fatalf("good catalogue: %v", err)
	}
	for _, tt := range []struct{ name, file, want string }{
		{"unknown field", good + "    colour: red\n", "c.yaml: yaml: unmarshal errors:\n  line 9: field colour not found"},
		{"bad id", strings.Replace(good, "id: scba", "id: SCBA Set", 1), "c.yaml:2: types[0].id: \"SCBA Set\" is not an equipment type"},
		{"twice", good + strings.TrimPrefix(good, "types:\n"), "c.yaml:9: types[1].id: scba is listed twice"},
		{"class", strings.Replace(good, "serialized", "loose", 1), "line 5: unknown equipment class \"loose\""},
		{"no unit", strings.Replace(good, "    unit: 套\n", "", 1), "c.yaml:2: types[0].unit: required"},
		{"period", good + "    shelfLife: 3 years\n", "line 9: \"3 years\" is not a period"},
		{"tier", good + "    minimum: {county: 3}\n", "c.yaml:9: types[0].minimum.county: unknown tier"},
		{"half a set", good + "    minimum: {district: 2.5}\n", "c.yaml:9: types[0].minimum.district: a serialized type is counted in whole items"},
		{"inspection without what", good + "    inspections: [{kind: calendar, every: 1mo, source: x}]\n", "c.yaml:9: types[0].inspections[0].what: say what the inspection is"},
		{"after use on the calendar", good + "    inspections: [{kind: afterUse, what: x, every: 1mo, source: x}]\n", "types[0].inspections[0].every: an after-use check falls due on use"},
		{"schedule without source", good + "    inspections: [{kind: test, what: x, every: 3y}]\n", "types[0].inspections[0].source: say where"},
		{"no source", strings.Replace(good, "    source: test\n", "", 1), "c.yaml:2: types[0].source: say where the figures come from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := twin.ParseCatalogue("c.yaml", []byte(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPeriod(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want twin.Period
		from twin.Date
		to   twin.Date
	}{
		{"1y", twin.Period{Years: 1}, twin.NewDate(2026, 2, 28), twin.NewDate(2027, 2, 28)},
		{"1mo", twin.Period{Months: 1}, twin.NewDate(2026, 1, 31), twin.NewDate(2026, 3, 3)},
		{"2w", twin.Period{Days: 14}, twin.NewDate(2026, 12, 25), twin.NewDate(2027, 1, 8)},
		{"1y6mo", twin.Period{Years: 1, Months: 6}, twin.NewDate(2026, 1, 1), twin.NewDate(2027, 7, 1)},
	} {
		got, err := twin.ParsePeriod(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriod(%q): %v %v", tt.in, got, err)
		}
		if d := got.After(tt.from); d != tt.to {
			t.Errorf("%s after %s: %s, want %s", tt.in, tt.from, d, tt.to)
		}
	}
	for _, bad := range []string{"", "y", "0d", "1 y", "-1d", "101y"} {
		if _, err := twin.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) took it", bad)
		}
	}
}
