package scenarios_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"parktwin/scenarios"
)

// A scenario written out is read back the same, and written again gives
// the same bytes.
func TestMarshalRoundTrip(t *testing.T) {
	sc := loadScenario(t, "testdata/chlorine-night.yaml")
	b, err := sc.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := scenarios.Parse("written.yaml", b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if diff := cmp.Diff(back, sc, cmpopts.IgnoreUnexported(scenarios.Scenario{})); diff != "" {
		t.Errorf("read back (-got +want):\n%s\n%s", diff, b)
	}
	again, err := back.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(again), string(b)); diff != "" {
		t.Errorf("written again (-got +want):\n%s", diff)
	}
}
