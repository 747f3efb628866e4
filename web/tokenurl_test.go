package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"parktwin/web/auth"
)

// A token in a websocket's URL is taken on /api/v1/telemetry/ws alone, and
// a gateway's alone: an administrator's token in the stream's URL (or in
// the telemetry socket's) is refused 401, a gateway's still opens it.
func TestTokenInURLOnlyAGatewaysOnItsSocket(t *testing.T) {
	base, _, _ := startHostWith(t, "")
	ws := "ws" + strings.TrimPrefix(base, "http")
	admin := roleToken(t, base, auth.NewToken{Name: "管理接口", Role: auth.Admin})
	for _, tt := range []struct {
		path, tok string
		want      int
	}{
		{"/api/v1/stream", admin, 401},
		{"/api/v1/telemetry/ws", admin, 401},
		{"/api/v1/telemetry/ws", testToken, 101},
	} {
		c, res, err := websocket.DefaultDialer.Dial(ws+tt.path+"?token="+tt.tok, nil)
		got := 0
		if res != nil {
			got = res.StatusCode
		}
		if got != tt.want {
			t.Errorf("%s?token= (%s…): %d %v, want %d", tt.path, tt.tok[:6], got, err, tt.want)
		}
		if c != nil {
			c.Close()
		}
	}
}

// A token may not take the name of a user, nor a user a token's: the
// audit trail names both by their names. A change of a user that changes
// nothing leaves its sessions open; a change that does ends them.
func TestTokenNamesAndNoOpUserChanges(t *testing.T) {
	base, _, _ := startHostWith(t, "")
	if st, b, _ := do(t, "POST", base+"/api/v1/users", `{"name":"duty.wang","role":"duty-officer","password":"correct horse battery"}`); st != 201 {
		t.Fatalf("create a user: %d %s", st, b)
	}
	if st, b, _ := do(t, "POST", base+"/api/v1/tokens", `{"name":"duty.wang","role":"admin"}`); st != 409 {
		t.Errorf("a token named like a user: %d %s, want 409", st, b)
	}
	if st, b, _ := do(t, "POST", base+"/api/v1/tokens", `{"name":"api.client","role":"viewer"}`); st != 201 {
		t.Fatalf("a token: %d %s", st, b)
	}
	if st, b, _ := do(t, "POST", base+"/api/v1/users", `{"name":"api.client","role":"admin","password":"correct horse battery"}`); st != 409 {
		t.Errorf("a user named like a token: %d %s, want 409", st, b)
	}

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	req, _ := http.NewRequest("POST", base+"/api/v1/login", strings.NewReader(`{"user":"duty.wang","password":"correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := browser.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("login: %v %v", res, err)
	}
	res.Body.Close()
	me := func() int {
		t.Helper()
		res, err := browser.Get(base + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st, b, _ := do(t, "PATCH", base+"/api/v1/users/duty.wang", `{"role":"duty-officer","disabled":false}`); st != 200 {
		t.Fatalf("a change that changes nothing: %d %s", st, b)
	}
	if st := me(); st != 200 {
		t.Errorf("after a change that changed nothing, the session: %d, want 200", st)
	}
	if st, b, _ := do(t, "PATCH", base+"/api/v1/users/duty.wang", `{"role":"viewer"}`); st != 200 {
		t.Fatalf("a change of role: %d %s", st, b)
	}
	if st := me(); st != 401 {
		t.Errorf("after a change of role, the session: %d, want 401", st)
	}
}
