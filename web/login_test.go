package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"parktwin/web"
	"parktwin/web/auth"
)

// A duty officer logs in to the console: the cookie is HttpOnly and
// SameSite=Strict; every change it makes carries the session's CSRF token
// or is refused (a text/plain POST from another site among them); what
// it does is recorded as done by it, whatever the body says; after
// logout the cookie is worth nothing.
func TestSessionOverHTTP(t *testing.T) {
	base, live, _ := startHost(t)
	if st, b, _ := do(t, "POST", base+"/api/v1/users", `{"name":"值班员王","role":"duty-officer","password":"correct horse battery"}`); st != 201 {
		t.Fatalf("create a user: %d %s", st, b)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	send := func(method, path, ctype, body string, h http.Header) (int, []byte, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		for k, v := range h {
			req.Header[k] = v
		}
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b json.RawMessage
		json.NewDecoder(res.Body).Decode(&b)
		return res.StatusCode, b, res.Header
	}
	if st, _, _ := send("POST", "/api/v1/login", "application/json", `{"user":"值班员王","password":"wrong password!"}`, nil); st != 401 {
		t.Errorf("a wrong password: %d", st)
	}
	st, b, h := send("POST", "/api/v1/login", "application/json", `{"user":"值班员王","password":"correct horse battery"}`, nil)
	if st != 200 {
		t.Fatalf("login: %d %s", st, b)
	}
	var me struct{ User, Role, CSRF string }
	json.Unmarshal(b, &me)
	if me.User != "值班员王" || me.Role != "duty-officer" || len(me.CSRF) < 32 {
		t.Errorf("login answered %s", b)
	}
	cookie := h.Get("Set-Cookie")
	for _, want := range []string{web.SessionCookie + "=", "HttpOnly", "SameSite=Strict", "path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("the cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("the cookie %q is Secure over plain HTTP: the browser would not send it", cookie)
	}

	// An alarm to acknowledge.
	s := tempSensor(t, live.Twin())
	start := time.Now().Add(-time.Minute)
	var rs []string
	for i := range 30 {
		rs = append(rs, reading(s.ID, start.Add(time.Duration(i)*time.Second), *s.Limits.HH+5))
	}
	if st, b := post(t, base+"/api/v1/telemetry", testToken, readings(rs...)); st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	alarm := alarmsOf(t, base, s.ID, "active")[0]
	ack := "/api/v1/alarms/" + alarm + "/ack"
	// What another site's page can send: no CSRF token, any content type.
	for _, ctype := range []string{"text/plain", "application/json", ""} {
		// The edge refuses what is not JSON (415) before the guard asks
		// for the token (403): refused either way.
		if st, b, _ := send("POST", ack, ctype, `{"note":"x"}`, nil); st != 403 && st != 415 {
			t.Errorf("a change without the CSRF token (%q): %d %s", ctype, st, b)
		}
	}
	if st, b, _ := send("POST", ack, "application/json", `{"note":"x"}`, http.Header{web.CSRFHeader: {"not-the-token"}}); st != 403 {
		t.Errorf("a wrong CSRF token: %d %s", st, b)
	}
	st, b, _ = send("POST", ack, "application/json", `{"by":"冒名者","note":"已电话通知"}`, http.Header{web.CSRFHeader: {me.CSRF}})
	if st != 200 {
		t.Fatalf("ack with the session: %d %s", st, b)
	}
	if got := featureProp(t, b, "ackedBy"); got != "值班员王" {
		t.Errorf("acknowledged by %v, want the session's user, not the body's", got)
	}
	// A duty officer is no dispatcher.
	if st, b, _ := send("PATCH", "/api/v1/roads/RD-001", "application/merge-patch+json", `{"properties":{"closed":true}}`, http.Header{web.CSRFHeader: {me.CSRF}}); st != 403 {
		t.Errorf("a duty officer closes a road: %d %s", st, b)
	}
	if st, b, _ := send("GET", "/api/v1/me", "", "", nil); st != 200 || !strings.Contains(string(b), "值班员王") {
		t.Errorf("me: %d %s", st, b)
	}
	if st, _, _ := send("POST", "/api/v1/logout", "", "", http.Header{web.CSRFHeader: {me.CSRF}}); st != 204 {
		t.Errorf("logout: %d", st)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("Cookie", cookie[:strings.Index(cookie, ";")])
	req.Header.Set(headerAnon, "1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("the cookie after logout: %d, want 401", res.StatusCode)
	}
}

// Past five failed logins a name is locked: 429 with Retry-After.
func TestLoginLockout(t *testing.T) {
	base, _, _ := startHost(t)
	for range auth.UserFailures {
		doWith(t, "POST", base+"/api/v1/login", `{"user":"admin","password":"not the password"}`, http.Header{headerAnon: {"1"}})
	}
	st, b, h := doWith(t, "POST", base+"/api/v1/login", `{"user":"admin","password":"not the password"}`, http.Header{headerAnon: {"1"}})
	secs, _ := strconv.Atoi(h.Get("Retry-After"))
	if st != 429 || secs < 1 || secs > int(auth.Window.Seconds()) || !strings.Contains(string(b), "too_many_requests") {
		t.Errorf("locked: %d Retry-After %q %s", st, h.Get("Retry-After"), b)
	}
}

// A gateway whose line names its sensors may send theirs alone: a batch
// with another's reading is refused whole, 403.
func TestGatewayScope(t *testing.T) {
	base, tw, _ := startServer(t)
	own, other, _ := twoEnterprises(t, tw)
	tok := roleToken(t, base, auth.NewToken{Name: "东区网关", Role: auth.Gateway, Sensors: []string{own.ID}})
	now := time.Now()
	if st, b := post(t, base+"/api/v1/telemetry", tok, readings(reading(own.ID, now, 20))); st != 200 {
		t.Errorf("its own sensor: %d %s", st, b)
	}
	if st, b := post(t, base+"/api/v1/telemetry", tok, readings(reading(own.ID, now.Add(time.Second), 21), reading(other.ID, now, 20))); st != 403 || !strings.Contains(string(b), other.ID) {
		t.Errorf("another's sensor: %d %s", st, b)
	}
	if v, ok := tw.Snapshot().Get(own.Kind(), own.ID); !ok || v == nil {
		t.Fatal("own sensor gone")
	}
}

// A user whose name is Chinese is read and changed by that name, escaped
// in the URL as every client sends it (it was 404: the handler looked up
// the escaped bytes).
func TestUserByChineseName(t *testing.T) {
	base, _, _ := startHost(t)
	if st, b, _ := do(t, "POST", base+"/api/v1/users", `{"name":"值班员李","role":"duty-officer","password":"correct horse battery"}`); st != 201 {
		t.Fatalf("create a user: %d %s", st, b)
	}
	path := base + "/api/v1/users/" + url.PathEscape("值班员李")
	st, b, _ := do(t, "GET", path, "")
	if st != 200 || !strings.Contains(string(b), "值班员李") {
		t.Fatalf("GET %s: %d %s", path, st, b)
	}
	if st, b, _ := do(t, "PATCH", path, `{"role":"dispatcher"}`); st != 200 || !strings.Contains(string(b), `"dispatcher"`) {
		t.Errorf("PATCH %s: %d %s", path, st, b)
	}
}
