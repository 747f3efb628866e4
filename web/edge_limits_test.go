package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parktwin/twin"
)

// Every string has a limit: a name of a megabyte (here 201 characters)
// is refused with the field named, in a Feature and in a request body,
// and nothing is journalled.
func TestOverLongStringsAreRefused(t *testing.T) {
	base, tw, _ := startServer(t)
	seq := tw.Snapshot().Seq()
	long := strings.Repeat("名", twin.MaxName+1)
	target := fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Point","coordinates":[120.85,30.10]},
		"properties":{"name":%q,"type":"office","population":10}}`, long)
	status, b, _ := do(t, "POST", base+"/api/v1/targets", target)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"field":"name"`) {
		t.Errorf("a target named with %d characters: %d %.300s, want 422 naming the field", twin.MaxName+1, status, b)
	}
	tank := firstID[*twin.Tank](tw)
	status, b, _ = do(t, "PATCH", base+"/api/v1/tanks/"+tank, fmt.Sprintf(`{"properties":{"name":%q}}`, long))
	if status != http.StatusUnprocessableEntity {
		t.Errorf("a tank renamed with %d characters: %d %.300s, want 422", twin.MaxName+1, status, b)
	}
	note := strings.Repeat("x", twin.MaxText+1)
	status, b, _ = do(t, "POST", base+"/api/v1/incidents", fmt.Sprintf(`{"type":"tank-fire","entity":%q,"level":"III","reporter":%q}`, tank, long))
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"field":"reporter"`) {
		t.Errorf("an incident reported by %d characters: %d %.300s, want 422", twin.MaxName+1, status, b)
	}
	status, b, _ = do(t, "POST", base+"/api/v1/alarms/ALM-000001/ack", fmt.Sprintf(`{"note":%q}`, note))
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"field":"note"`) {
		t.Errorf("a note of %d characters: %d %.300s, want 422", twin.MaxText+1, status, b)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq %d after refused changes, want %d", got, seq)
	}
}

// A PATCH that changes nothing answers 200 with the entity at its own
// version, and journals nothing: no event, no new seq.
func TestNoOpPatchIsNotJournalled(t *testing.T) {
	base, tw, _ := startServer(t)
	tank := firstID[*twin.Tank](tw)
	e, _ := tw.Snapshot().Get(twin.KindTank, tank)
	name := e.(*twin.Tank).Name
	seq, version := tw.Snapshot().Seq(), tw.Snapshot().Version(twin.KindTank, tank)
	status, b, h := do(t, "PATCH", base+"/api/v1/tanks/"+tank, fmt.Sprintf(`{"properties":{"name":%q}}`, name))
	if status != 200 || featureName(t, b) != name {
		t.Fatalf("no-op PATCH: %d %.300s", status, b)
	}
	if got, want := h.Get("ETag"), fmt.Sprintf(`"%d"`, version); got != want {
		t.Errorf("ETag %s, want %s (the version it was at)", got, want)
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq %d after a no-op PATCH, want %d: it was journalled", got, seq)
	}
}

func featureName(t *testing.T, b []byte) string {
	t.Helper()
	name, _ := featureProp(t, b, "name").(string)
	return name
}
