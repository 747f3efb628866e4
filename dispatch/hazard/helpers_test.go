package hazard

import (
	"math"
	"testing"

	"parktwin/twin"
)

func ptr(v float64) *float64 { return &v }

// near fails unless got is within rel (relative) of want.
func near(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s = %.6g, want %.6g ± %.3g%%", what, got, want, rel*100)
	}
}

// refused fails unless err is an EINVALID naming field.
func refused(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want a refusal naming %s, got none", field)
	}
	if twin.ErrorCode(err) != twin.EINVALID || twin.ErrorField(err) != field {
		t.Errorf("got %v, want invalid naming %s", err, field)
	}
}
