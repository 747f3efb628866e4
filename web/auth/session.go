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

// session is a console's login, in memory.
type session struct {
	id   Identity
	last time.Time // of its last request; guarded by Service.mu
}

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
	id := Identity{User: u.Name, Role: u.Role, Enterprise: u.Enterprise, Warehouses: slices.Clone(u.Warehouses),
		Via: ViaSession, CSRF: randomToken(), cred: "s" + sid}
	s.mu.Lock()
	defer s.mu.Unlock()
	if mine := s.byUser[u.Name]; len(mine) >= maxUserSessions {
		s.endLeastUsed(slices.Collect(maps.Keys(mine)), len(mine)-maxUserSessions+1)
	}
	if len(s.sessions) >= maxSessions {
		s.sweep(now)
		if len(s.sessions) >= maxSessions {
			s.endLeastUsed(slices.Collect(maps.Keys(s.sessions)), len(s.sessions)-maxSessions+1)
		}
	}
	s.sessions[sid] = &session{id: id, last: now}
	if s.byUser[u.Name] == nil {
		s.byUser[u.Name] = map[string]struct{}{}
	}
	s.byUser[u.Name][sid] = struct{}{}
	return sid, id, nil
}

// endLeastUsed ends the n sessions of sids unused longest. Lock must be
// held.
func (s *Service) endLeastUsed(sids []string, n int) {
	slices.SortFunc(sids, func(a, b string) int { return s.sessions[a].last.Compare(s.sessions[b].last) })
	for _, k := range sids[:n] {
		s.endSession(k)
	}
}

// endSession ends a session and the connections opened with it. Lock
// must be held.
func (s *Service) endSession(sid string) {
	if se, ok := s.sessions[sid]; ok {
		delete(s.sessions, sid)
		if mine := s.byUser[se.id.User]; mine != nil {
			delete(mine, sid)
			if len(mine) == 0 {
				delete(s.byUser, se.id.User)
			}
		}
		s.ended("s" + sid)
	}
}

// sweep ends the idle sessions. Lock must be held.
func (s *Service) sweep(now time.Time) {
	for k, se := range s.sessions {
		if now.Sub(se.last) >= s.idle {
			s.endSession(k)
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
func (s *Service) SessionBytes(sid []byte) (*Identity, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.sessions[string(sid)]
	if !ok {
		return nil, false
	}
	if now.Sub(se.last) >= s.idle {
		s.endSession(string(sid))
		return nil, false
	}
	se.last = now
	return &se.id, true
}

// Logout ends a session.
func (s *Service) Logout(sid string) {
	s.mu.Lock()
	s.endSession(sid)
	s.mu.Unlock()
}

// endSessionsOf ends every session of a user. Lock must be held.
func (s *Service) endSessionsOf(name string) {
	for k := range s.byUser[name] {
		s.endSession(k)
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
		_, live = s.sessions[sid]
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
