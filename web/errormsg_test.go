package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestErrorBodyCarriesItsMessage: a refusal whose error is coded says
// it as a message the console renders in its language, beside the
// English text it has always had; one not coded has no msg.
func TestErrorBodyCarriesItsMessage(t *testing.T) {
	base, _, _ := startServer(t)
	status, b, _ := do(t, "GET", base+"/api/v1/tanks/TNK-9999-99", "")
	if status != http.StatusNotFound {
		t.Fatalf("GET an unknown tank: %d %s", status, b)
	}
	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
		Msg     *struct {
			Code string         `json:"code"`
			Args map[string]any `json:"args"`
		} `json:"msg"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	if body.Error != "not_found" || body.Message != "no tank TNK-9999-99" || body.Msg == nil {
		t.Fatalf("body %s", b)
	}
	if diff := cmp.Diff(body.Msg.Args, map[string]any{"kind": "tank", "id": "TNK-9999-99"}); body.Msg.Code != "error.noEntity" || diff != "" {
		t.Errorf("msg %s %v (-got +want):\n%s", body.Msg.Code, body.Msg.Args, diff)
	}
	// The desk's refusals are coded too.
	status, b, _ = do(t, "POST", base+"/api/v1/incidents", `{"type":"tank-fire","level":"III","reporter":"值班员"}`)
	var refused struct {
		Message string         `json:"message"`
		Field   string         `json:"field"`
		Msg     map[string]any `json:"msg"`
	}
	json.Unmarshal(b, &refused)
	if status != http.StatusUnprocessableEntity || refused.Field != "point" || refused.Msg["code"] != "error.noPlace" ||
		refused.Message != "the place is required: an entity's ID or a point [lon, lat]" {
		t.Errorf("an incident with no place: %d %s", status, b)
	}
	status, b, _ = do(t, "GET", base+"/api/v1/nosuchroute", "")
	var plain map[string]any
	json.Unmarshal(b, &plain)
	if _, ok := plain["msg"]; status != http.StatusNotFound || ok {
		t.Errorf("an error not coded: %d %s", status, b)
	}
}
