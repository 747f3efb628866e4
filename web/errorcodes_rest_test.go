package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parktwin/twin"
	messages "parktwin/twin/msg"
	"parktwin/web"
	"parktwin/web/auth"
)

// TestReadingRejectionsCoded: each reading a gateway's batch rejects —
// not a reading, a sensor left out or not in the park, a time not one,
// ahead of the park's clock, older than the history or not after the
// sensor's last reading, a value left out, not a number or not finite —
// carries its message beside its English error, naming the reading's
// field and showing the value sent.
func TestReadingRejectionsCoded(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	now := time.Now().UTC()
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339Nano) }
	old := now.Add(-40 * 24 * time.Hour).Format(time.RFC3339)
	cases := []struct {
		name, reading, code, field, got string
	}{
		{"a reading taken", reading(s.ID, now.Add(-2*time.Second), 21), "", "", ""},
		{"a sensor not in the park", reading("SEN-CODED", now, 21), "error.noRef", "sensor", "SEN-CODED"},
		{"a time ahead of the clock", reading(s.ID, now.Add(time.Hour), 21), "error.reading.ahead", "t", at(time.Hour)},
		{"a time older than the history", fmt.Sprintf(`{"sensor":%q,"t":%q,"value":1}`, s.ID, old), "error.reading.old", "t", old},
		{"a time not after the last", reading(s.ID, now.Add(-time.Minute), 21), "error.reading.notAfterLast", "t", at(-time.Minute)},
		{"a time not one", fmt.Sprintf(`{"sensor":%q,"t":"yesterday","value":1}`, s.ID), "error.time", "t", "yesterday"},
		{"a sensor left out", `{"t":"` + at(0) + `","value":1}`, "error.required", "sensor", ""},
		{"a value left out", fmt.Sprintf(`{"sensor":%q,"t":%q}`, s.ID, at(0)), "error.required", "value", ""},
		{"a value not a number", fmt.Sprintf(`{"sensor":%q,"t":%q,"value":"hot"}`, s.ID, at(0)), "error.reading.notNumber", "value", "hot"},
		{"a value not finite", fmt.Sprintf(`{"sensor":%q,"t":%q,"value":"NaN"}`, s.ID, at(0)), "error.reading.notFinite", "value", "NaN"},
		{"not a reading", fmt.Sprintf(`{"sensor":%q,"t":%q,"value":1,"unit":"℃"}`, s.ID, at(0)), "error.reading.notOne", "", ""},
	}
	var batch []string
	for _, c := range cases {
		batch = append(batch, c.reading)
	}
	status, b := post(t, base+"/api/v1/telemetry", testToken, readings(batch...))
	var ans struct {
		Accepted int `json:"accepted"`
		Rejected []struct {
			Index int           `json:"index"`
			Error string        `json:"error"`
			Field string        `json:"field"`
			Msg   *messages.Msg `json:"msg"`
		} `json:"rejected"`
	}
	if err := json.Unmarshal(b, &ans); status != 200 || err != nil || ans.Accepted != 1 || len(ans.Rejected) != len(cases)-1 {
		t.Fatalf("%d %s", status, b)
	}
	for _, r := range ans.Rejected {
		c := cases[r.Index]
		switch {
		case r.Error == "":
			t.Errorf("%s: no English error: %+v", c.name, r)
		case r.Msg == nil || r.Msg.Code != c.code:
			t.Errorf("%s: %+v, want the message %s", c.name, r, c.code)
		case r.Field != c.field || (r.Msg.Args["field"] != nil && r.Msg.Args["field"] != c.field):
			t.Errorf("%s: field %q, message's field %v, want %q", c.name, r.Field, r.Msg.Args["field"], c.field)
		default:
			checkRenders(t, c.name, *r.Msg, c.got)
		}
	}
}

// TestUnknownRoleCoded: a role that is no role's name, in a new user, a
// change of a user or a token, is refused as an invalid value of the
// field role — not as a body that could not be read — naming the roles
// allowed in the console's language (a user's without the gateway's).
func TestUnknownRoleCoded(t *testing.T) {
	base, _, _ := startHostWith(t, "")
	const pw = "correct horse battery"
	if st, b, _ := do(t, "POST", base+"/api/v1/users", `{"name":"sun","role":"viewer","password":"`+pw+`"}`); st >= 300 {
		t.Fatalf("a user: %d %s", st, b)
	}
	for _, c := range []struct {
		name, method, path, body string
		gateway                  bool // the gateway's role is among those allowed
	}{
		{"a new user", "POST", "/api/v1/users", `{"name":"li","role":"captain","password":"` + pw + `"}`, false},
		{"a change of a user", "PATCH", "/api/v1/users/sun", `{"role":"captain"}`, false},
		{"a token", "POST", "/api/v1/tokens", `{"name":"大屏","role":"captain"}`, true},
	} {
		status, b, _ := do(t, c.method, base+c.path, c.body)
		checkCoded(t, c.name, status, b, 422, "error.roleUnknown", "role", "captain")
		var body codedRefusal
		json.Unmarshal(b, &body)
		if body.Msg == nil {
			continue
		}
		zh := twin.Messages.Render(messages.Zh, *body.Msg)
		en := twin.Messages.Render(messages.En, *body.Msg)
		for _, want := range []string{"只读用户", "值班员", "管理员"} {
			if !strings.Contains(zh, want) {
				t.Errorf("%s: %q names not the role %s", c.name, zh, want)
			}
		}
		if strings.Contains(zh, "duty") || !strings.Contains(en, "duty officer") || strings.Contains(zh, "网关") != c.gateway {
			t.Errorf("%s: the roles allowed: %q and %q (the gateway's among them: %v)", c.name, en, zh, c.gateway)
		}
	}
	if st, b, _ := do(t, "GET", base+"/api/v1/users/sun", ""); st != 200 || !strings.Contains(string(b), `"role":"viewer"`) {
		t.Errorf("the user refused a change changed: %d %s", st, b)
	}
}

// TestLedgerRareErrorsCoded: the ledger's rarer refusals — a quantity
// that does not count its serials, a last test's date after today or
// none, a serial whose state forbids the move (with why), a serial not
// ready to issue — carry their messages, the state an enumeration the
// console names in its language. (A lot's state is checked again when
// the ledger is replayed, past the issue's own check of what is ready:
// no request reaches it.)
func TestLedgerRareErrorsCoded(t *testing.T) {
	base, tw, _ := startServer(t)
	url := base + "/api/v1/warehouses/WH-02/ledger"
	yesterday := tw.Clock().Now().AddDate(0, 0, -1).Format(time.DateOnly)
	for _, body := range []string{
		`{"op":"receive","type":"scba","serials":["RARE-1","RARE-2"],"from":"供应商","tested":{"monthly":"` + yesterday + `","service":"` + yesterday + `"}}`,
		`{"op":"issue","type":"scba","serials":["RARE-1"],"to":"TEAM-03"}`,
	} {
		if st, b, _ := do(t, "POST", url, body); st != 201 {
			t.Fatalf("%s: %d %s", body, st, b)
		}
	}
	for _, c := range []struct {
		name, body       string
		status           int
		code, field, got string
	}{
		{"a quantity not its serials", `{"op":"receive","type":"scba","serials":["RARE-3","RARE-4"],"quantity":3,"from":"供应商"}`, 422, "error.quantitySerials", "quantity", "3"},
		{"a last test after today", `{"op":"receive","type":"scba","serials":["RARE-5"],"from":"供应商","tested":{"service":"2099-01-01"}}`, 422, "error.afterToday", "tested.service", "2099-01-01"},
		{"a last test of no date", `{"op":"receive","type":"scba","serials":["RARE-5"],"from":"供应商","tested":{"service":""}}`, 422, "error.required", "tested.service", ""},
		{"a last test not a date", `{"op":"receive","type":"scba","serials":["RARE-5"],"from":"供应商","tested":{"service":"soon"}}`, 422, "error.date", "tested.service", "soon"},
		{"an issued serial transferred", `{"op":"transfer","type":"scba","serials":["RARE-1"],"to":"WH-01"}`, 409, "error.serialState", "serials[0]", "RARE-1"},
		{"an available serial returned", `{"op":"return","type":"scba","serials":["RARE-2"],"from":"TEAM-03"}`, 409, "error.serialState", "serials[0]", "RARE-2"},
		{"an issued serial issued", `{"op":"issue","type":"scba","serials":["RARE-1"],"to":"TEAM-04"}`, 409, "error.notReady", "serials[0]", "RARE-1"},
	} {
		status, b, _ := do(t, "POST", url, c.body)
		checkCoded(t, c.name, status, b, c.status, c.code, c.field, c.got)
		var body codedRefusal
		if json.Unmarshal(b, &body); body.Msg == nil {
			continue
		}
		if why, ok := body.Msg.Args["why"]; c.code == "error.serialState" && !ok {
			t.Errorf("%s: no why: %s", c.name, b)
		} else if ok {
			zh := twin.Messages.Render(messages.Zh, *body.Msg)
			if !strings.Contains(zh, "只有") {
				t.Errorf("%s: why %v renders as %q", c.name, why, zh)
			}
		}
	}
}

// TestStreamErrorsCoded: the stream's refusals before the upgrade — an
// unknown layer, more layers than there are, an enterprise not in the
// park, a layer an enterprise user does not read — carry their messages
// in the answer's body; inside the stream, a subscribe message of no
// layer, of an unknown type or naming a layer not the user's is closed
// with its English reason (a close frame has no body).
func TestStreamErrorsCoded(t *testing.T) {
	base, _, _ := startServer(t)
	ws := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream"
	ent := roleToken(t, base, auth.NewToken{Name: "企业流", Role: auth.Enterprise, Enterprise: "ENT-0001"})
	many := strings.TrimSuffix(strings.Repeat("tanks,", 101), ",")
	for _, c := range []struct {
		name, query      string
		h                http.Header
		status           int
		code, field, got string
	}{
		{"an unknown layer", "?layers=spaceships", nil, 422, "error.layer", "layers", "spaceships"},
		{"more layers than there are", "?layers=" + many, nil, 422, "error.tooMany", "layers", "101"},
		{"an enterprise not in the park", "?enterprise=ENT-9999", nil, 422, "error.noRef", "enterprise", "ENT-9999"},
		{"a layer not the enterprise's", "?layers=teams", http.Header{"Authorization": {"Bearer " + ent}}, 403, "error.layerForbidden", "layers", "teams"},
	} {
		conn, res, err := wsDial(ws+c.query, c.h)
		if err == nil {
			conn.Close()
			t.Errorf("%s: the stream opened", c.name)
			continue
		}
		if res == nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		b, _ := io.ReadAll(res.Body)
		checkCoded(t, c.name, res.StatusCode, b, c.status, c.code, c.field, c.got)
	}
	for _, c := range []struct {
		name, message string
		h             http.Header
		close         int
		says          string
	}{
		{"no layer", `{"type":"subscribe","layers":[]}`, nil, web.CloseBadClient, "name at least one layer"},
		{"an unknown type", `{"type":"publish","layers":["tanks"]}`, nil, web.CloseBadClient, `want subscribe or unsubscribe, got "publish"`},
		{"a layer not the enterprise's", `{"type":"subscribe","layers":["teams"]}`, http.Header{"Authorization": {"Bearer " + ent}}, web.CloseForbidden, "does not read the layer teams"},
	} {
		conn := dial(t, base, "?layers=alarms", c.h)
		next(t, conn)
		if err := conn.WriteMessage(websocket.TextMessage, []byte(c.message)); err != nil {
			t.Fatal(err)
		}
		if code, text := closedWith(t, conn); code != c.close || !strings.Contains(text, c.says) {
			t.Errorf("%s: closed %d %q, want %d saying %q", c.name, code, text, c.close, c.says)
		}
	}
}
