package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An administrator creates a user, changes its role, resets its
// password, disables it, issues and revokes a token and takes a backup:
// each is an entry of the audit trail, found by the administrator's name
// and by its subject, with who, from where and through which route, and
// what was done, never the password or the token's secret.
func TestAuditOfAdministratorsActions(t *testing.T) {
	base, _, _ := startHostWith(t, "")
	const password, reset = "correct horse battery", "another long password"
	steps := []struct{ method, path, body string }{
		{"POST", "/api/v1/users", `{"name":"dispatcher.zhao","role":"duty-officer","password":"` + password + `"}`},
		{"PATCH", "/api/v1/users/dispatcher.zhao", `{"role":"dispatcher"}`},
		{"PATCH", "/api/v1/users/dispatcher.zhao", `{"password":"` + reset + `"}`},
		{"PATCH", "/api/v1/users/dispatcher.zhao", `{"disabled":true}`},
		{"POST", "/api/v1/tokens", `{"name":"接口A","role":"viewer"}`},
	}
	var secret, id string
	for _, s := range steps {
		st, b, _ := doAs(t, "管理员甲", s.method, base+s.path, s.body)
		if st >= 300 {
			t.Fatalf("%s %s: %d %s", s.method, s.path, st, b)
		}
		if s.path == "/api/v1/tokens" {
			var tok struct{ Token, ID string }
			json.Unmarshal(b, &tok)
			secret, id = tok.Token, tok.ID
		}
	}
	if st, b, _ := doAs(t, "管理员甲", "DELETE", base+"/api/v1/tokens/"+id, ""); st != 204 {
		t.Fatalf("revoke: %d %s", st, b)
	}
	res, err := doRaw(base+"/api/v1/admin/backup", "管理员甲")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("backup: %v %v", err, res)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()

	st, raw, _ := do(t, "GET", base+"/api/v1/audit?user="+url.QueryEscape("管理员甲"), "")
	if st != 200 {
		t.Fatalf("audit: %d %s", st, raw)
	}
	for _, never := range []string{password, reset, secret} {
		if strings.Contains(string(raw), never) {
			t.Errorf("the trail holds a secret %q: %s", never, raw)
		}
	}
	var a struct {
		Entries []struct {
			Actor                   struct{ User, Role, Addr, Route string }
			Action, Subject, Detail string
		}
	}
	json.Unmarshal(raw, &a)
	want := []struct{ action, subject, detail, route string }{ // newest first
		{"backup", "", "", "POST /api/v1/admin/backup"},
		{"token.revoke", id, "", "DELETE /api/v1/tokens/{id}"},
		{"token.issue", id, "name 接口A; role viewer", "POST /api/v1/tokens"},
		{"user.update", "dispatcher.zhao", "disabled true", "PATCH /api/v1/users/{name}"},
		{"user.update", "dispatcher.zhao", "password reset", "PATCH /api/v1/users/{name}"},
		{"user.update", "dispatcher.zhao", "role dispatcher", "PATCH /api/v1/users/{name}"},
		{"user.create", "dispatcher.zhao", "role duty-officer", "POST /api/v1/users"},
	}
	if len(a.Entries) != len(want) {
		t.Fatalf("entries by 管理员甲: got %d, want %d: %s", len(a.Entries), len(want), raw)
	}
	for i, w := range want {
		e := a.Entries[i]
		if e.Action != w.action || e.Subject != w.subject || e.Detail != w.detail || e.Actor.Route != w.route ||
			e.Actor.User != "管理员甲" || e.Actor.Role != "admin" || e.Actor.Addr != "127.0.0.1" {
			t.Errorf("entry %d: got %+v, want %+v", i, e, w)
		}
	}
	if got := getAudit(t, base, "entity="+"dispatcher.zhao"); len(got.Entries) != 4 {
		t.Errorf("entries about 调度员赵: got %d, want 4", len(got.Entries))
	}
}

// doRaw POSTs an empty JSON body as name and leaves the answer unread.
func doRaw(u, name string) (*http.Response, error) {
	req, _ := http.NewRequest("POST", u, nil)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(headerAs, name)
	return http.DefaultClient.Do(req)
}
