package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"parktwin/twin/bolt"
)

// A console logged in before parkd stops gracefully is still logged in
// when it starts again on the same file: the same cookie and CSRF token
// answer GET /api/v1/me and make a change. After a logout, a restart
// does not bring the session back.
func TestSessionOutlivesARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	env := []string{"PARKD_SIMULATE=false"}
	p := startParkd(t, db, env...)

	// Logged in over HTTP, as the console is.
	res, err := http.Post(p.base+"/api/v1/login", "application/json",
		strings.NewReader(`{"user":"admin","password":"`+testAdminPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ User, CSRF string }
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	var cookie string
	for _, c := range res.Cookies() {
		if c.Name == "parktwin_session" {
			cookie = c.Value
		}
	}
	if res.StatusCode != 200 || cookie == "" || me.CSRF == "" {
		t.Fatalf("login: %d, cookie %q, csrf %q", res.StatusCode, cookie, me.CSRF)
	}
	do := func(p *parkd, method, path, csrf, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, p.base+path, strings.NewReader(body))
		req.Header.Set("Cookie", "parktwin_session="+cookie)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, b := do(p, "GET", "/api/v1/me", "", ""); code != 200 {
		t.Fatalf("me before the restart: %d %s", code, b)
	}
	if err := p.stop(t); err != nil {
		t.Fatalf("stop: %v\n%s", err, p.stderr)
	}

	p = startParkd(t, db, env...)
	code, b := do(p, "GET", "/api/v1/me", "", "")
	var again struct{ User, CSRF string }
	json.Unmarshal([]byte(b), &again)
	if code != 200 || again.User != "admin" || again.CSRF != me.CSRF {
		t.Fatalf("me after the restart: %d %s, want admin with the CSRF token of the login %q", code, b, me.CSRF)
	}
	if code, b := do(p, "POST", "/api/v1/tokens", "", `{"name":"no-csrf","role":"viewer"}`); code != 403 {
		t.Errorf("a change without the CSRF token after the restart: %d %s, want 403", code, b)
	}
	if code, b := do(p, "POST", "/api/v1/tokens", me.CSRF, `{"name":"after-restart","role":"viewer"}`); code != 201 {
		t.Errorf("a change with the CSRF token after the restart: %d %s, want 201", code, b)
	}
	if code, b := do(p, "POST", "/api/v1/logout", me.CSRF, ""); code != 204 {
		t.Fatalf("logout: %d %s", code, b)
	}
	if code, _ := do(p, "GET", "/api/v1/me", "", ""); code != 401 {
		t.Errorf("me after the logout: %d, want 401", code)
	}
	if err := p.stop(t); err != nil {
		t.Fatalf("stop: %v\n%s", err, p.stderr)
	}

	p = startParkd(t, db, env...)
	if code, b := do(p, "GET", "/api/v1/me", "", ""); code != 401 {
		t.Errorf("me after the logout and a restart: %d %s, want 401", code, b)
	}
	if code, b := do(p, "POST", "/api/v1/tokens", me.CSRF, `{"name":"after-logout","role":"viewer"}`); code != 401 {
		t.Errorf("a change after the logout and a restart: %d %s, want 401", code, b)
	}
}

// A restored backup brings back none of the console sessions it holds:
// one logged out since the backup was taken stays logged out.
func TestRestoreForgetsSessions(t *testing.T) {
	dir := t.TempDir()
	backup, db := filepath.Join(dir, "backup.db"), filepath.Join(dir, "parktwin.db")
	kept := func(path string) int {
		t.Helper()
		d, err := bolt.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		r, err := d.Records("sessions")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		r.All(func(string, []byte) error { n++; return nil })
		return n
	}
	d, err := bolt.Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := d.Records("sessions")
	if err := r.Put(strings.Repeat("ab", 32), []byte(`{"user":"admin"}`)); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if out, err := parkdRun([]string{"restore", "--db", db, backup}); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if n := kept(db); n != 0 {
		t.Errorf("the restored file holds %d sessions, want none", n)
	}
	if n := kept(backup); n != 1 {
		t.Errorf("the backup holds %d sessions after the restore, want it untouched (1)", n)
	}
}
