package auth_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/web/auth"
)

var cheap = argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// open opens a service on the park file at path, as parkd does.
func open(t *testing.T, path string, clock twin.Clock) (*auth.Service, *bolt.DB) {
	t.Helper()
	return openIdle(t, path, clock, 30*time.Minute)
}

// openIdle is open with sessions idle after idle.
func openIdle(t *testing.T, path string, clock twin.Clock, idle time.Duration) (*auth.Service, *bolt.DB) {
	t.Helper()
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	users, err := db.Records("users")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := db.Records("tokens")
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := db.Records("sessions")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.Open(auth.Config{Users: users, Tokens: tokens, Sessions: sessions, Clock: clock, Params: &cheap, Idle: idle})
	if err != nil {
		t.Fatal(err)
	}
	return svc, db
}

const pw = "correct horse battery"

// Users and tokens are kept in the park's file: a reopened service knows
// them; the file holds the password's argon2id hash and the token's
// SHA-256, never either secret.
func TestKeptInTheParkFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "park.db")
	svc, db := open(t, path, nil)
	if made, err := svc.FirstAdmin(ctx, pw); !made || err != nil {
		t.Fatalf("first admin: %v %v", made, err)
	}
	if made, _ := svc.FirstAdmin(ctx, "another password"); made {
		t.Error("a second first administrator was made")
	}
	secret, tok, err := svc.IssueToken(auth.NewToken{Name: "大屏", Role: auth.Viewer}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	var stored strings.Builder
	for _, name := range []string{"users", "tokens"} {
		r, _ := db.Records(name)
		r.All(func(k string, v []byte) error { stored.WriteString(k + string(v)); return nil })
	}
	if s := stored.String(); strings.Contains(s, pw) || strings.Contains(s, secret) || !strings.Contains(s, "$argon2id$") {
		t.Errorf("the file holds a secret, or no hash: %s", s)
	}
	db.Close()

	again, _ := open(t, path, nil)
	if _, id, err := again.Login(ctx, "admin", pw, "127.0.0.1"); err != nil || id.Role != auth.Admin {
		t.Errorf("login after reopening: %+v %v", id, err)
	}
	if id, ok := again.Bearer(secret); !ok || id.User != "大屏" || id.Role != auth.Viewer {
		t.Errorf("the token after reopening: %+v %v", id, ok)
	}
	if err := again.RevokeToken(tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := again.Bearer(secret); ok {
		t.Error("a revoked token still works")
	}
}

// A session ends after its idle time without a request, and lives on
// while it is used.
func TestSessionIdle(t *testing.T) {
	clock := twin.NewSimClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	svc, _ := open(t, filepath.Join(t.TempDir(), "park.db"), clock)
	svc.FirstAdmin(context.Background(), pw)
	sid, _, err := svc.Login(context.Background(), "admin", pw, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(29 * time.Minute)
	if _, ok := svc.Session(sid); !ok {
		t.Fatal("ended before its idle time")
	}
	clock.Advance(29 * time.Minute) // 58 min after login, 29 after its last use
	if _, ok := svc.Session(sid); !ok {
		t.Fatal("a session in use ended")
	}
	clock.Advance(30 * time.Minute)
	if _, ok := svc.Session(sid); ok {
		t.Error("a session idle for its idle time lives on")
	}
}

// Five failures lock a user name for the rest of 15 minutes, even for the
// right password and for a name that does not exist; twenty lock an
// address. A success forgets the name's failures.
func TestLockout(t *testing.T) {
	ctx := context.Background()
	clock := twin.NewSimClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	svc, _ := open(t, filepath.Join(t.TempDir(), "park.db"), clock)
	svc.FirstAdmin(ctx, pw)
	locked := func(err error) time.Duration {
		var le *auth.LockedError
		if errors.As(err, &le) {
			return le.RetryAfter
		}
		return 0
	}
	for i := range auth.UserFailures {
		if _, _, err := svc.Login(ctx, "admin", "wrong password", "10.0.0.1"); twin.ErrorCode(err) != twin.EUNAUTHORIZED {
			t.Fatalf("failure %d: %v", i+1, err)
		}
		clock.Advance(time.Minute)
	}
	_, _, err := svc.Login(ctx, "admin", pw, "10.0.0.1")
	if d := locked(err); d != 10*time.Minute {
		t.Fatalf("the right password while locked: %v, want locked for 10m", err)
	}
	clock.Advance(10 * time.Minute)
	if _, _, err := svc.Login(ctx, "admin", pw, "10.0.0.1"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	for range auth.UserFailures {
		svc.Login(ctx, "nobody", "x", "10.0.0.2")
	}
	if _, _, err := svc.Login(ctx, "nobody", "x", "10.0.0.2"); locked(err) == 0 {
		t.Errorf("an unknown name is not locked: %v", err)
	}
	for i := range auth.AddrFailures {
		svc.Login(ctx, "user"+string(rune('a'+i)), "x", "10.0.0.3")
	}
	if _, _, err := svc.Login(ctx, "admin", pw, "10.0.0.3"); locked(err) == 0 {
		t.Errorf("an address past its failures is not locked: %v", err)
	}
}

// Changing a user ends its sessions; the last administrator stays one.
func TestUpdateUser(t *testing.T) {
	ctx := context.Background()
	svc, _ := open(t, filepath.Join(t.TempDir(), "park.db"), nil)
	svc.FirstAdmin(ctx, pw)
	if _, err := svc.CreateUser(ctx, auth.NewUser{Name: "企业甲", Role: auth.Enterprise, Password: pw}); twin.ErrorCode(err) != twin.EINVALID {
		t.Errorf("an enterprise user without its enterprise: %v", err)
	}
	if _, err := svc.CreateUser(ctx, auth.NewUser{Name: "王五", Role: auth.DutyOfficer, Password: "short"}); twin.ErrorCode(err) != twin.EINVALID {
		t.Errorf("a short password: %v", err)
	}
	if _, err := svc.CreateUser(ctx, auth.NewUser{Name: "王五", Role: auth.DutyOfficer, Password: pw}); err != nil {
		t.Fatal(err)
	}
	sid, _, err := svc.Login(ctx, "王五", pw, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	viewer := auth.Viewer
	if _, err := svc.UpdateUser(ctx, "王五", auth.UserUpdate{Role: &viewer}); err != nil {
		t.Fatal(err)
	}
	if _, ok := svc.Session(sid); ok {
		t.Error("a session outlived its user's change of role")
	}
	yes := true
	if _, err := svc.UpdateUser(ctx, "王五", auth.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Login(ctx, "王五", pw, "10.0.0.1"); twin.ErrorCode(err) != twin.EUNAUTHORIZED {
		t.Errorf("a disabled user logged in: %v", err)
	}
	if _, err := svc.UpdateUser(ctx, "admin", auth.UserUpdate{Disabled: &yes}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("the last administrator disabled: %v", err)
	}
}
