package auth_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"parktwin/web/auth"
)

// One user logging in 10,000 times (the server's whole room for
// sessions) neither refuses the administrator's login nor keeps more
// than its own last sessions. Before, the administrator got EUNAVAILABLE.
func TestOneUserCannotFillTheSessions(t *testing.T) {
	ctx := context.Background()
	svc, _ := open(t, filepath.Join(t.TempDir(), "park.db"), nil)
	svc.FirstAdmin(ctx, pw)
	if _, err := svc.CreateUser(ctx, auth.NewUser{Name: "mallory", Role: auth.Viewer, Password: pw}); err != nil {
		t.Fatal(err)
	}
	var sids []string
	for range 10_000 {
		sid, _, err := svc.Login(ctx, "mallory", pw, "10.0.0.66")
		if err != nil {
			t.Fatalf("login %d: %v", len(sids), err)
		}
		sids = append(sids, sid)
	}
	if _, _, err := svc.Login(ctx, "admin", pw, "10.0.0.1"); err != nil {
		t.Fatalf("the administrator after 10,000 sessions of another: %v", err)
	}
	live := 0
	for _, sid := range sids {
		if _, ok := svc.Session(sid); ok {
			live++
		}
	}
	if _, ok := svc.Session(sids[len(sids)-1]); !ok || live > 20 {
		t.Errorf("%d of mallory's sessions live (the last: %v), want its last ones alone", live, ok)
	}
}

// When many users fill the room for sessions, a login still gets in: the
// session unused longest ends, not the login.
func TestFullSessionsEndTheLeastUsed(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 logins")
	}
	ctx := context.Background()
	svc, _ := open(t, filepath.Join(t.TempDir(), "park.db"), nil)
	svc.FirstAdmin(ctx, pw)
	var first string
	for u := range 500 {
		name := fmt.Sprintf("u%03d", u)
		if _, err := svc.CreateUser(ctx, auth.NewUser{Name: name, Role: auth.Viewer, Password: pw}); err != nil {
			t.Fatal(err)
		}
		for range 20 {
			sid, _, err := svc.Login(ctx, name, pw, "10.0.0.2")
			if err != nil {
				t.Fatal(err)
			}
			if first == "" {
				first = sid
			}
		}
	}
	if _, _, err := svc.Login(ctx, "admin", pw, "10.0.0.1"); err != nil {
		t.Fatalf("the administrator with every session taken: %v", err)
	}
	if _, ok := svc.Session(first); ok {
		t.Error("the session unused longest is still live")
	}
}
