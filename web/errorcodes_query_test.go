package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"parktwin/twin"
	messages "parktwin/twin/msg"
	"parktwin/web"
	"parktwin/web/auth"
)

// codedRefusal is a refusal's body: its English message, its field and
// its message for a console.
type codedRefusal struct {
	Message string        `json:"message"`
	Field   string        `json:"field"`
	Msg     *messages.Msg `json:"msg"`
}

// checkCoded asserts that the refusal b (of status, want wantStatus)
// carries the message code about field, that it renders in English and
// in Chinese with every argument in place, the Chinese holding Chinese
// and the value sent (got) in both.
func checkCoded(t *testing.T, name string, status int, b []byte, wantStatus int, code, field, got string) {
	t.Helper()
	var body codedRefusal
	json.Unmarshal(b, &body)
	switch {
	case status != wantStatus:
		t.Errorf("%s: %d %s, want %d", name, status, b, wantStatus)
		return
	case body.Msg == nil || body.Msg.Code != code:
		t.Errorf("%s: %s, want the message %s", name, b, code)
		return
	case body.Message == "":
		t.Errorf("%s: no English message: %s", name, b)
	case field != "" && body.Field != field:
		t.Errorf("%s: field %q, want %s", name, body.Field, field)
	case body.Msg.Args["field"] != nil && body.Msg.Args["field"] != field:
		t.Errorf("%s: field %q, message's field %v, want %s", name, body.Field, body.Msg.Args["field"], field)
	}
	checkRenders(t, name, *body.Msg, got)
}

// checkRenders asserts that m renders in English and in Chinese with
// every argument in place, the Chinese holding Chinese and the value
// sent (got) in both.
func checkRenders(t *testing.T, name string, m messages.Msg, got string) {
	t.Helper()
	en, zh := twin.Messages.Render(messages.En, m), twin.Messages.Render(messages.Zh, m)
	han := strings.IndexFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	if strings.Contains(en+zh, "{") || !han || en == zh || !strings.Contains(en, got) || !strings.Contains(zh, got) {
		t.Errorf("%s: %s renders as %q and %q, want both with %q and the Chinese in Chinese", name, m.Code, en, zh, got)
	}
}

// TestQueryAndTimeErrorsCoded: a time not in RFC 3339 (in a body or a
// query), a time neither a time nor a date, an end before its start, a
// span too long, a page size out of its range, a drill seek neither a
// time nor a duration — each refusal carries its message, naming its
// field as the request does and showing the value sent.
func TestQueryAndTimeErrorsCoded(t *testing.T) {
	base, _, _ := startHostWith(t, "") // the live park keeps an audit trail
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		code, field, got         string
	}{
		{"an audit from not a time", "GET", "/api/v1/audit?from=yesterday", "", 422, "error.time", "from", "yesterday"},
		{"an audit to before from", "GET", "/api/v1/audit?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "", 422, "error.notAfter", "to", "2026-03-01T00:00:00Z"},
		{"an audit page of none", "GET", "/api/v1/audit?limit=0", "", 422, "error.wholeNumber", "limit", "0"},
		{"an audit page too large", "GET", "/api/v1/audit?limit=999999", "", 422, "error.wholeNumber", "limit", "999999"},
		{"a ledger from neither time nor date", "GET", "/api/v1/warehouses/WH-01/ledger?from=03/01/2026", "", 422, "error.timeOrDate", "from", "03/01/2026"},
		{"a shift start not a time", "POST", "/api/v1/handovers", `{"shiftStart":"yesterday 8am"}`, 422, "error.time", "shiftStart", "yesterday 8am"},
		{"alarm figures ending before they start", "GET", "/api/v1/alarm-kpis?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "", 422, "error.notBefore", "from", "2026-03-02T00:00:00Z"},
		{"alarm figures over too long", "GET", "/api/v1/alarm-kpis?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "", 422, "error.spanTooLong", "to", "h"},
	} {
		status, b, _ := do(t, c.method, base+c.path, c.body)
		checkCoded(t, c.name, status, b, c.status, c.code, c.field, c.got)
	}
}

// TestRoleRefusalCoded: a viewer posting a hidden danger is refused with
// the message error.role, its role an enumeration the console names in
// its language and the route an argument shown as it is.
func TestRoleRefusalCoded(t *testing.T) {
	base, _, _ := startServer(t)
	viewer := roleToken(t, base, auth.NewToken{Name: "大屏", Role: auth.Viewer})
	status, b, _ := doWith(t, "POST", base+"/api/v1/hidden-dangers", `{}`, http.Header{"Authorization": {"Bearer " + viewer}})
	checkCoded(t, "a viewer's post", status, b, 403, "error.role", "", "POST /api/v1/hidden-dangers")
	var body codedRefusal
	json.Unmarshal(b, &body)
	if body.Msg == nil || body.Msg.Args["role"] != "viewer" {
		t.Fatalf("the refusal names no role: %s", b)
	}
	if tp, ok := twin.Messages["enum.role.viewer"]; !ok || tp.Zh == "" {
		t.Errorf("the role viewer has no Chinese name")
	}
}

// TestLedgerErrorsCoded: the ledger's particular refusals — a serial
// received twice, a serial the warehouse has not, a type not in the
// catalogue, bulk stock sent to repair, a serial-counted type given a
// quantity, a document of no lines — carry their messages, the type an
// equipment name the console shows in its language.
func TestLedgerErrorsCoded(t *testing.T) {
	base, _, _ := startServer(t)
	url := base + "/api/v1/warehouses/WH-02/ledger"
	if st, b, _ := do(t, "POST", url, `{"op":"receive","type":"scba","serials":["CODED-001"],"from":"供应商"}`); st != 201 {
		t.Fatalf("receive: %d %s", st, b)
	}
	for _, c := range []struct {
		name, body       string
		status           int
		code, field, got string
	}{
		{"a serial received twice", `{"op":"receive","type":"scba","serials":["CODED-001"],"from":"供应商"}`, 409, "error.serialElsewhere", "serials[0]", "CODED-001"},
		{"a serial not here", `{"op":"issue","type":"scba","serials":["CODED-404"],"to":"TEAM-03"}`, 404, "error.noSerial", "serials[0]", "CODED-404"},
		{"a type not in the catalogue", `{"op":"receive","type":"warp-drive","quantity":1,"from":"供应商"}`, 422, "error.notEquipment", "type", "warp-drive"},
		{"bulk stock to repair", `{"op":"repair","type":"foam-afff-3","quantity":1}`, 422, "error.bulkNotRepaired", "op", ""},
		{"a serial-counted type adjusted by quantity", `{"op":"adjust","type":"scba","quantity":1,"state":"available"}`, 422, "error.nameSerials", "serials", ""},
		{"a bulk type named by serial", `{"op":"receive","type":"foam-afff-3","serials":["F-1"],"from":"供应商","made":"2026-01-01"}`, 422, "error.byQuantity", "serials", ""},
		{"a shelf life without its start", `{"op":"receive","type":"foam-afff-3","quantity":5,"from":"供应商"}`, 422, "error.madeRequired", "made", ""},
		{"an issue going nowhere", `{"op":"issue","type":"scba","serials":["CODED-001"]}`, 422, "error.issueWhere", "to", ""},
		{"an adjustment to retired", `{"op":"adjust","type":"scba","serials":["CODED-001"],"state":"retired"}`, 422, "error.adjustState", "state", ""},
		{"an inspection under no schedule", `{"op":"inspect","type":"scba","serials":["CODED-001"],"result":"pass","schedule":"weekly-dance"}`, 422, "error.noSchedule", "schedule", "weekly-dance"},
		{"a transfer to no warehouse", `{"op":"transfer","type":"scba","serials":["CODED-001"],"to":"WH-99"}`, 422, "error.noRef", "to", "WH-99"},
		{"a document of no lines", `[]`, 422, "error.documentEmpty", "", ""},
	} {
		status, b, _ := do(t, "POST", url, c.body)
		checkCoded(t, c.name, status, b, c.status, c.code, c.field, c.got)
	}
	status, b, _ := do(t, "POST", base+"/api/v1/loans/LN-404/approve", ``)
	checkCoded(t, "a loan not there", status, b, 404, "error.noEntity", "", "LN-404")
}

// TestAdminErrorsCoded: an administrator's refusals over users and
// tokens — a name out of its pattern, a password too short, a role not
// known, a scope that does not go with the role, a user twice, a token
// named as a user, a user or a token not there — carry their messages.
func TestAdminErrorsCoded(t *testing.T) {
	base, _, _ := startHostWith(t, "")
	const pw = "correct horse battery"
	if st, b, _ := do(t, "POST", base+"/api/v1/users", `{"name":"zhao","role":"duty-officer","password":"`+pw+`"}`); st >= 300 {
		t.Fatalf("a user: %d %s", st, b)
	}
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		code, field, got         string
	}{
		{"a name with a space", "POST", "/api/v1/users", `{"name":"zhao san","role":"viewer","password":"` + pw + `"}`, 422, "error.userName", "name", "zhao san"},
		{"a password too short", "POST", "/api/v1/users", `{"name":"qian","role":"viewer","password":"short"}`, 422, "error.passwordLength", "password", ""},
		{"a keeper of no warehouse", "POST", "/api/v1/users", `{"name":"qian","role":"keeper","password":"` + pw + `"}`, 422, "error.keeperWarehouses", "warehouses", ""},
		{"a user twice", "POST", "/api/v1/users", `{"name":"zhao","role":"viewer","password":"` + pw + `"}`, 409, "error.userExists", "name", "zhao"},
		{"a token named as a user", "POST", "/api/v1/tokens", `{"name":"zhao","role":"viewer"}`, 409, "error.userNamed", "name", "zhao"},
		{"a user not there", "PATCH", "/api/v1/users/nobody", `{"disabled":true}`, 404, "error.noUser", "name", "nobody"},
		{"a token not there", "DELETE", "/api/v1/tokens/TOK-404", ``, 404, "error.noToken", "id", "TOK-404"},
	} {
		status, b, _ := do(t, c.method, base+c.path, c.body)
		checkCoded(t, c.name, status, b, c.status, c.code, c.field, c.got)
	}
}

// TestEdgeErrorsCoded: a gateway's batch that is not one, a batch over
// its limit, a page from elsewhere changing the server, the history of
// a sensor not there — each refusal carries its message.
func TestEdgeErrorsCoded(t *testing.T) {
	base, _, _ := startServer(t)
	status, b := post(t, base+"/api/v1/telemetry", testToken, `{"readings":`)
	checkCoded(t, "a batch not JSON", status, b, 400, "error.malformedJSON", "", "")
	many := make([]string, web.MaxBatchReadings+1)
	for i := range many {
		many[i] = `{"sensor":"S","t":"2026-03-01T00:00:00Z","value":1}`
	}
	status, b = post(t, base+"/api/v1/telemetry", testToken, readings(many...))
	checkCoded(t, "a batch too large", status, b, 413, "error.batchReadings", "readings", "10001")
	status, b, _ = doWith(t, "POST", base+"/api/v1/hidden-dangers", `{}`, http.Header{"Origin": {"http://elsewhere.example"}, "Content-Type": {"application/json"}})
	checkCoded(t, "a page from elsewhere", status, b, 403, "error.origin", "", "http://elsewhere.example")
	status, b, _ = do(t, "GET", base+"/api/v1/sensors/SEN-NONE/history", "")
	checkCoded(t, "a sensor not there", status, b, 404, "error.noEntity", "", "SEN-NONE")
}

// TestDrillSeekCoded: a drill sought to a time that is not one is refused
// with its message, the value sent shown as it is.
func TestDrillSeekCoded(t *testing.T) {
	base, _, _ := startDrillHost(t, "")
	tr := startTrainee(t, base)
	status, b, _ := do(t, "POST", base+"/api/v1/drills/"+tr.id+"/control", `{"action":"seek","to":"soon"}`)
	checkCoded(t, "a seek to soon", status, b, 422, "error.drillTime", "to", "soon")
}
