package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"maps"
	"slices"
	"strings"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// session is a console's login. It is kept in the sessions bucket under
// key, the SHA-256 of its ID, never under the ID itself.
type session struct {
	// sid is its ID, the cookie's value: "" for one restored from the
	// bucket and not yet presented since (Service.restored holds it by
	// key until then).
	sid     string
	key     string // hex SHA-256 of sid
	id      Identity
	created time.Time
	// updated is its user's Updated at the login: a restart finds a user
	// changed since and does not restore it.
	updated time.Time
	last    time.Time // of its last request; guarded by Service.mu
	saved   time.Time // last as the bucket holds it; guarded by Service.mu
}

// sidLen is the length of a session ID (randomToken's): only a cookie
// of it is hashed to look for a restored session.
var sidLen = base64.RawURLEncoding.EncodedLen(32)

// maxSessions bounds the sessions kept; past it the idle ones are ended
// at the next login and, if none is idle, the one unused longest: a
// login is never refused for want of room.
const maxSessions = 10000

// maxUserSessions bounds one user's sessions: a console per browser and
// a few more. Past it a login ends that user's session unused longest,
// so that one user (or a script logging in with its password) cannot
// fill maxSessions and crowd the others out.
const maxUserSessions = 20

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Login checks a user's password and starts a session: its ID (the
// cookie's value) and the identity it gives, whose CSRF token the console
// sends back on every change. Failures are counted by user and address
// and by addr (the client's address); past the limits a *LockedError
// refuses even a good password until the lockout ends.
func (s *Service) Login(ctx context.Context, name, password, addr string) (string, Identity, error) {
	now := s.now()
	if err := s.lock.begin(name, addr, now); err != nil {
		return "", Identity{}, err
	}
	s.mu.RLock()
	u, ok := s.byName[name]
	s.mu.RUnlock()
	hash := u.Hash
	if !ok || len(password) > MaxPassword {
		hash = "" // checked against the dummy all the same: as slow as a user's
	}
	good, err := s.hash.check(ctx, password, hash)
	if err != nil {
		s.lock.end(name, addr, now, false, false)
		return "", Identity{}, err
	}
	if !good || u.Disabled {
		s.lock.end(name, addr, now, true, false)
		return "", Identity{}, twin.Reasoned(twin.EUNAUTHORIZED, "", "wrong user name or password, or the user is disabled", msg.New("error.signIn"))
	}
	s.lock.end(name, addr, now, false, true)
	sid := randomToken()
	se := &session{sid: sid, key: tokenHash(sid), created: now, updated: u.Updated, last: now, saved: now,
		id: Identity{User: u.Name, Role: u.Role, Enterprise: u.Enterprise, Warehouses: slices.Clone(u.Warehouses),
			Via: ViaSession, CSRF: csrfOf(sid), cred: "s" + sid}}
	// Kept before anyone may know of it, so that no logout or change of
	// its user can come before the write and be undone by it. A file that
	// refuses the write does not refuse the login (the command centre
	// must get in): the session is Save's to write, or lost to a crash.
	if err := s.keep(se); err != nil {
		s.log.Error("a session not kept in the file: a crash would end it", "user", u.Name, "err", err)
		se.saved = time.Time{}
	}
	s.mu.Lock()
	if cur, ok := s.byName[u.Name]; !ok || cur.Disabled || !sameUser(cur, u) || !cur.Updated.Equal(u.Updated) {
		// Changed while its password was checked: log in again.
		s.gone = append(s.gone, se.key)
		s.unlockAndForget()
		return "", Identity{}, twin.Reasoned(twin.EUNAUTHORIZED, "", "wrong user name or password, or the user is disabled", msg.New("error.signIn"))
	}
	if mine := s.byUser[u.Name]; len(mine) >= maxUserSessions {
		s.endLeastUsed(slices.Collect(maps.Keys(mine)), len(mine)-maxUserSessions+1)
	}
	if s.count() >= maxSessions {
		s.sweep(now)
		if n := s.count(); n >= maxSessions {
			s.endLeastUsed(s.all(), n-maxSessions+1)
		}
	}
	s.sessions[sid] = se
	if s.byUser[u.Name] == nil {
		s.byUser[u.Name] = map[*session]struct{}{}
	}
	s.byUser[u.Name][se] = struct{}{}
	id := se.id
	s.unlockAndForget()
	return sid, id, nil
}

// count is how many sessions there are, live and restored. Lock must be
// held.
func (s *Service) count() int { return len(s.sessions) + len(s.restored) }

// all returns every session, live and restored. Lock must be held.
func (s *Service) all() []*session {
	out := make([]*session, 0, s.count())
	for _, se := range s.sessions {
		out = append(out, se)
	}
	for _, se := range s.restored {
		out = append(out, se)
	}
	return out
}

// endLeastUsed ends the n sessions of ses unused longest. Lock must be
// held.
func (s *Service) endLeastUsed(ses []*session, n int) {
	slices.SortFunc(ses, func(a, b *session) int { return a.last.Compare(b.last) })
	for _, se := range ses[:n] {
		s.endSession(se)
	}
}

// endSession ends a session, live or restored, and the connections
// opened with it; its key joins s.gone, to be deleted from the bucket by
// unlockAndForget. Lock must be held.
func (s *Service) endSession(se *session) {
	if se.sid != "" {
		if s.sessions[se.sid] != se {
			return // ended already
		}
		delete(s.sessions, se.sid)
		s.ended("s" + se.sid)
	} else {
		if s.restored[se.key] != se {
			return
		}
		delete(s.restored, se.key)
	}
	if mine := s.byUser[se.id.User]; mine != nil {
		delete(mine, se)
		if len(mine) == 0 {
			delete(s.byUser, se.id.User)
		}
	}
	s.gone = append(s.gone, se.key)
}

// sweep ends the idle sessions. Lock must be held.
func (s *Service) sweep(now time.Time) {
	for _, se := range s.all() {
		if now.Sub(se.last) >= s.idle {
			s.endSession(se)
		}
	}
}

// Session returns the identity of a live session and keeps it alive; an
// idle one ends.
func (s *Service) Session(sid string) (Identity, bool) {
	id, ok := s.SessionBytes([]byte(sid))
	if !ok {
		return Identity{}, false
	}
	return *id, true
}

// SessionBytes is Session of a session ID as the request holds it, for
// the guard, which does not copy the cookie. The identity is the
// session's own, never changed after its login: read it, never change it.
// A session restored from the bucket at Open is found by the SHA-256 of
// sid on its first request, and is live from then on.
func (s *Service) SessionBytes(sid []byte) (*Identity, bool) {
	now := s.now()
	s.mu.Lock()
	se, live := s.sessions[string(sid)]
	if !live {
		if se = s.restoredOf(sid); se == nil {
			s.mu.Unlock()
			return nil, false
		}
	}
	if now.Sub(se.last) >= s.idle {
		s.endSession(se)
		s.unlockAndForget()
		return nil, false
	}
	if !live {
		s.promote(se, string(sid))
	}
	se.last = now
	id := &se.id
	s.mu.Unlock()
	return id, true
}

// Logout ends a session: once it returns, the bucket no longer holds it
// (unless the write failed, which is logged and tried again by Save).
func (s *Service) Logout(sid string) {
	s.mu.Lock()
	se, ok := s.sessions[sid]
	if !ok {
		se = s.restoredOf([]byte(sid))
	}
	if se != nil {
		s.endSession(se)
	}
	s.unlockAndForget()
}

// endSessionsOf ends every session of a user. Lock must be held.
func (s *Service) endSessionsOf(name string) {
	for se := range s.byUser[name] {
		s.endSession(se)
	}
}

// Idle returns how long a session lasts without a request.
func (s *Service) Idle() time.Duration { return s.idle }

// OnEnd calls f, once and in a goroutine of its own, when the session or
// issued token that id was made from ends: logged out, idle and found
// so, ended by a change of its user or by a login past the limits, or
// revoked. A connection kept open with it (a stream, a gateway's socket)
// closes so, instead of outliving its credential. If it has ended
// already, f is called at once. stop stops the watch; f may still run
// if it had begun. A gateway's token from the file never ends.
func (s *Service) OnEnd(id Identity, f func()) (stop func()) {
	if id.cred == "" {
		return func() {}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	live := false
	if sid, ok := strings.CutPrefix(id.cred, "s"); ok {
		_, live = s.sessions[sid] // a restored one has no identity out before it is live
	} else {
		_, live = s.byHash[strings.TrimPrefix(id.cred, "t")]
	}
	if !live {
		go f()
		return func() {}
	}
	w := &watcher{f: f}
	if s.watch[id.cred] == nil {
		s.watch[id.cred] = map[*watcher]struct{}{}
	}
	s.watch[id.cred][w] = struct{}{}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if ws := s.watch[id.cred]; ws != nil {
			delete(ws, w)
			if len(ws) == 0 {
				delete(s.watch, id.cred)
			}
		}
	}
}

// watcher is one OnEnd's call, a pointer so that each is told apart.
type watcher struct{ f func() }

// ended calls the watchers of a credential that ended. Lock must be
// held; they run in goroutines of their own, which may take any lock.
func (s *Service) ended(cred string) {
	for w := range s.watch[cred] {
		go w.f()
	}
	delete(s.watch, cred)
}
