package web_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCommonErrorsCoded: the refusals a console user meets most — a
// field left out, a value of an enumeration not known, a text over its
// limit, a body that is not JSON, an unknown field, a reference to
// nothing, a state that forbids it — carry a message with the field
// they concern as it stands in the request, beside the English text
// they have always had.
func TestCommonErrorsCoded(t *testing.T) {
	base, _, _ := startServer(t)
	danger := func(props string) string {
		return `{"type":"Feature","geometry":null,"properties":{` + props + `}}`
	}
	due := `"due":"2026-01-10"`
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"a title left out", "POST", "/api/v1/hidden-dangers", danger(`"enterprise":"ENT-0001","owner":"张工",` + due), 422, "error.required", "title"},
		{"a title too long", "POST", "/api/v1/hidden-dangers", danger(`"enterprise":"ENT-0001","owner":"张工","title":"` + strings.Repeat("裂", 201) + `",` + due), 422, "error.tooLong", "title"},
		{"a date not a date", "POST", "/api/v1/hidden-dangers", danger(`"enterprise":"ENT-0001","owner":"张工","title":"x","due":"10/01/2026"`), 422, "error.date", "due"},
		{"an enterprise that is not", "POST", "/api/v1/hidden-dangers", danger(`"enterprise":"ENT-9999","owner":"张工","title":"x",` + due), 422, "error.noRef", "enterprise"},
		{"not JSON", "POST", "/api/v1/hidden-dangers", `{"type":`, 400, "error.malformedJSON", ""},
		{"an unknown level", "POST", "/api/v1/incidents", `{"type":"tank-fire","level":"IX","entity":"TNK-0013-01","reporter":"值班员"}`, 422, "error.enum", "level"},
		{"a task unknown", "POST", "/api/v1/tasks/TSK-999999/done", ``, 404, "error.noEntity", ""},
	} {
		status, b, _ := do(t, c.method, base+c.path, c.body)
		var body struct {
			Message string `json:"message"`
			Field   string `json:"field"`
			Msg     *struct {
				Code string         `json:"code"`
				Args map[string]any `json:"args"`
			} `json:"msg"`
		}
		json.Unmarshal(b, &body)
		switch {
		case status != c.status:
			t.Errorf("%s: %d %s, want %d", c.name, status, b, c.status)
		case body.Msg == nil || body.Msg.Code != c.code:
			t.Errorf("%s: %s, want the message %s", c.name, b, c.code)
		case body.Message == "":
			t.Errorf("%s: no English message: %s", c.name, b)
		case c.field != "" && (body.Field != c.field || body.Msg.Args["field"] != c.field):
			t.Errorf("%s: field %q, message's field %v, want %s", c.name, body.Field, body.Msg.Args["field"], c.field)
		}
	}
}
