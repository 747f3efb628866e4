package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/web/auth"
)

// kept returns the sessions bucket's keys and values, read from the file.
func kept(t *testing.T, db *bolt.DB) map[string]string {
	t.Helper()
	r, err := db.Records("sessions")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	if err := r.All(func(k string, v []byte) error { out[k] = string(v); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func keyOf(sid string) string {
	sum := sha256.Sum256([]byte(sid))
	return hex.EncodeToString(sum[:])
}

// A session outlives a service reopened on the same file, with its CSRF
// token and its user's role; the last use saved when the first stopped
// (Save) counts, and after it the idle time still ends it. Logged out
// once restored, it leaves the file.
func TestSessionSurvivesReopening(t *testing.T) {
	clock, path, svc, db, sid, id := adminSession(t, 30*time.Minute)
	clock.Advance(20 * time.Minute)
	if _, ok := svc.Session(sid); !ok {
		t.Fatal("ended before its idle time")
	}
	if err := svc.Save(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// 45 minutes after the login, 25 after its last use.
	clock.Advance(25 * time.Minute)
	again, db := open(t, path, clock)
	got, ok := again.Session(sid)
	if !ok || got.User != "admin" || got.Role != auth.Admin || got.Via != auth.ViaSession || got.CSRF != id.CSRF {
		t.Fatalf("after reopening: %+v %v, want admin's session with CSRF %q", got, ok, id.CSRF)
	}
	if _, ok := again.Session(sid + "x"); ok {
		t.Error("another ID found the restored session")
	}
	// Live now: its idle time runs from this request.
	clock.Advance(29 * time.Minute)
	if _, ok := again.Session(sid); !ok {
		t.Fatal("a restored session in use ended")
	}
	ended := make(chan struct{})
	again.OnEnd(got, func() { close(ended) })
	again.Logout(sid)
	if _, ok := again.Session(sid); ok {
		t.Error("a restored session outlived its logout")
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Error("the logout of a restored session did not end what was opened with it")
	}
	if k := kept(t, db); len(k) != 0 {
		t.Errorf("the file still holds the session logged out: %v", k)
	}
}

// Without a Save (a crash), a session counts as idle from its login: one
// idle for the idle time by its kept last use is not restored, and leaves
// the file.
func TestIdleSessionIsNotRestored(t *testing.T) {
	clock, path, svc, db, sid, _ := adminSession(t, 30*time.Minute)
	clock.Advance(20 * time.Minute)
	if _, ok := svc.Session(sid); !ok {
		t.Fatal("ended before its idle time")
	}
	db.Close() // no Save: its use at 20 minutes is lost

	clock.Advance(10 * time.Minute) // 30 minutes after the login
	again, db := open(t, path, clock)
	if _, ok := again.Session(sid); ok {
		t.Error("a session idle by its kept last use was restored")
	}
	if k := kept(t, db); len(k) != 0 {
		t.Errorf("the file still holds the idle session: %v", k)
	}
}

// A session already past its idle limit when parkd stops is not brought
// back by a restart with a longer idle limit (Save ends the idle ones
// first).
func TestIdleSessionNotRestoredUnderALongerLimit(t *testing.T) {
	clock, path, svc, db, sid, _ := adminSession(t, time.Minute)
	clock.Advance(63 * time.Second)
	if err := svc.Save(); err != nil { // the graceful stop's save
		t.Fatal(err)
	}
	db.Close()
	again, _ := openIdle(t, path, clock, 30*time.Minute)
	if _, ok := again.Session(sid); ok {
		t.Error("a session idle past its limit at the stop came back under a longer limit")
	}
}

// A logout, a change of the user (disabled, password reset) and the end
// of a session for want of room delete it from the file; a reopened
// service restores none of them. A user changed after a restart ends
// the sessions restored; one changed while a delete did not reach the
// file (a crash) does not get its session back either.
func TestEndedSessionsLeaveTheFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "park.db")
	svc, db := open(t, path, nil)
	svc.FirstAdmin(ctx, pw)
	for _, name := range []string{"甲", "乙", "丙", "丁"} {
		if _, err := svc.CreateUser(ctx, auth.NewUser{Name: name, Role: auth.DutyOfficer, Password: pw}); err != nil {
			t.Fatal(err)
		}
	}
	login := func(svc *auth.Service, name string) string {
		t.Helper()
		sid, _, err := svc.Login(ctx, name, pw, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return sid
	}
	has := func(sid string) bool { _, ok := kept(t, db)[keyOf(sid)]; return ok }

	out := login(svc, "甲")
	if !has(out) {
		t.Fatal("a login is not kept")
	}
	svc.Logout(out)
	if has(out) {
		t.Error("a logout left its session in the file")
	}
	disabled := login(svc, "乙")
	yes := true
	if _, err := svc.UpdateUser(ctx, "乙", auth.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if has(disabled) {
		t.Error("disabling a user left its session in the file")
	}
	reset := login(svc, "丙")
	newPW := "another good password"
	if _, err := svc.UpdateUser(ctx, "丙", auth.UserUpdate{Password: &newPW}); err != nil {
		t.Fatal(err)
	}
	if has(reset) {
		t.Error("a password reset left its session in the file")
	}
	var first string
	for i := range 21 { // one past maxUserSessions
		sid := login(svc, "丁")
		if i == 0 {
			first = sid
		}
	}
	if has(first) {
		t.Error("a session ended for want of room is still in the file")
	}
	if n := len(kept(t, db)); n != 20 {
		t.Errorf("the file holds %d sessions, want 丁's last 20", n)
	}
	// 丁's session, changed while the server ran on without telling the
	// file (as a crash between the change and the delete would leave it).
	survivor := login(svc, "丁")
	stale := kept(t, db)[keyOf(survivor)]
	db.Close()

	svc, db = open(t, path, nil)
	for name, sid := range map[string]string{"logged out": out, "disabled": disabled, "reset": reset, "past the room": first} {
		if _, ok := svc.Session(sid); ok {
			t.Errorf("a session %s came back after reopening", name)
		}
	}
	if _, ok := svc.Session(survivor); !ok {
		t.Fatal("丁's last session was not restored")
	}
	viewer := auth.Viewer
	if _, err := svc.UpdateUser(ctx, "丁", auth.UserUpdate{Role: &viewer}); err != nil {
		t.Fatal(err)
	}
	if n := len(kept(t, db)); n != 0 {
		t.Errorf("a change of the user left %d of its restored sessions in the file", n)
	}
	r, _ := db.Records("sessions")
	r.Put(keyOf(survivor), []byte(stale)) // the delete lost
	db.Close()

	svc, db = open(t, path, nil)
	if id, ok := svc.Session(survivor); ok {
		t.Errorf("a session of a user changed after its login came back: %+v", id)
	}
	if n := len(kept(t, db)); n != 0 {
		t.Errorf("the file holds %d sessions of a changed user", n)
	}
}

// The file never holds a session's ID or its CSRF token, in a key or a
// value: only the ID's SHA-256, which is no cookie. A cookie of the hash
// does not log in.
func TestSessionFileHoldsNoSessionID(t *testing.T) {
	ctx := context.Background()
	clock := twin.NewSimClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "park.db")
	svc, db := open(t, path, clock)
	svc.FirstAdmin(ctx, pw)
	var sids, csrfs []string
	for range 3 {
		sid, id, err := svc.Login(ctx, "admin", pw, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		sids, csrfs = append(sids, sid), append(csrfs, id.CSRF)
	}
	clock.Advance(time.Minute)
	svc.Session(sids[0])
	if err := svc.Save(); err != nil {
		t.Fatal(err)
	}
	k := kept(t, db)
	var all strings.Builder
	for key, v := range k {
		fmt.Fprintf(&all, "%s=%s\n", key, v)
	}
	for i, sid := range sids {
		if strings.Contains(all.String(), sid) || strings.Contains(all.String(), csrfs[i]) {
			t.Errorf("the file holds a session ID or CSRF token:\n%s", all.String())
		}
		if _, ok := k[keyOf(sid)]; !ok {
			t.Errorf("no session under the SHA-256 of its ID:\n%s", all.String())
		}
	}
	db.Close()
	again, _ := open(t, path, clock)
	for key := range k {
		if _, ok := again.Session(key); ok {
			t.Error("the hash kept in the file logs in")
		}
		if _, ok := again.Session(key[:43]); ok {
			t.Error("a cookie of the hash's first 43 characters logs in")
		}
	}
	for i, sid := range sids {
		if id, ok := again.Session(sid); !ok || id.CSRF != csrfs[i] {
			t.Errorf("a session was not restored with its CSRF token: %+v %v", id, ok)
		}
	}
}

// SaveEvery writes the sessions' last uses while the server runs, so
// that a crash after it (no Save at the stop) loses none of them.
func TestSaveEveryKeepsUsesThroughACrash(t *testing.T) {
	clock, path, svc, db, sid, _ := adminSession(t, 30*time.Minute)
	clock.Advance(20 * time.Minute)
	if _, ok := svc.Session(sid); !ok {
		t.Fatal("ended before its idle time")
	}
	stop := svc.SaveEvery(10 * time.Millisecond)
	want := `"last":"2026-12-01T08:20:00Z"`
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(kept(t, db)[keyOf(sid)], want); {
		if time.Now().After(deadline) {
			t.Fatalf("the last use was not saved: %v", kept(t, db))
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	stop()     // a second stop is no error
	db.Close() // as a crash: no Save

	clock.Advance(25 * time.Minute) // 45 minutes after the login, 25 after its last use
	again, _ := open(t, path, clock)
	if _, ok := again.Session(sid); !ok {
		t.Error("a session whose use was saved did not outlive the crash")
	}
}

// A file holding more sessions of a user than maxUserSessions (20)
// restores its 20 used last and deletes the others.
func TestRestoreKeepsTheRoom(t *testing.T) {
	ctx := context.Background()
	clock := twin.NewSimClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "park.db")
	svc, db := open(t, path, clock)
	svc.FirstAdmin(ctx, pw)
	clock.Advance(time.Minute)
	var sids []string
	for range 20 {
		sid, _, err := svc.Login(ctx, "admin", pw, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, sid)
	}
	// Five more, used before these: as a file written by a server with
	// more room would hold them.
	r, _ := db.Records("sessions")
	var v map[string]any
	if err := json.Unmarshal([]byte(kept(t, db)[keyOf(sids[0])]), &v); err != nil {
		t.Fatal(err)
	}
	v["last"] = clock.Now().Add(-30 * time.Second)
	b, _ := json.Marshal(v)
	for i := range 5 {
		r.Put(keyOf(fmt.Sprint("older", i)), b)
	}
	if n := len(kept(t, db)); n != 25 {
		t.Fatalf("the file holds %d sessions, want 25", n)
	}
	db.Close()

	again, db := open(t, path, clock)
	for _, sid := range sids {
		if _, ok := again.Session(sid); !ok {
			t.Error("a session used last was not restored")
		}
	}
	if n := len(kept(t, db)); n != 20 {
		t.Errorf("the file holds %d sessions after the restore, want 20", n)
	}
}

// A restored session presented by many requests at once is promoted
// once and gives every one the same identity, while Save runs beside
// them (run with -race).
func TestRestoredSessionConcurrently(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "park.db")
	svc, db := open(t, path, nil)
	svc.FirstAdmin(ctx, pw)
	sid, id, err := svc.Login(ctx, "admin", pw, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	again, db := open(t, path, nil)
	stop := again.SaveEvery(time.Millisecond)
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan string, 800)
	for range 8 {
		wg.Go(func() {
			for range 100 {
				got, ok := again.SessionBytes([]byte(sid))
				if !ok || got.CSRF != id.CSRF || got.User != "admin" {
					errs <- fmt.Sprintf("%+v %v", got, ok)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("a request of the restored session: %s", e)
	}
	stop()
	again.Logout(sid)
	if n := len(kept(t, db)); n != 0 {
		t.Errorf("the file holds %d sessions after the logout", n)
	}
}

// adminSession opens a service on a fresh park file, on a simulated clock,
// with sessions idle after idle, and logs the first administrator in.
func adminSession(t *testing.T, idle time.Duration) (*twin.SimClock, string, *auth.Service, *bolt.DB, string, auth.Identity) {
	t.Helper()
	clock := twin.NewSimClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "park.db")
	svc, db := openIdle(t, path, clock, idle)
	svc.FirstAdmin(context.Background(), pw)
	sid, id, err := svc.Login(context.Background(), "admin", pw, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return clock, path, svc, db, sid, id
}
