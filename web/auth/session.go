package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"slices"
	"time"

	"parktwin/twin"
)

// session is a console's login, in memory.
type session struct {
	id   Identity
	last time.Time // of its last request; guarded by Service.mu
}

// maxSessions bounds the sessions kept; past it the idle ones are ended
// at the next login, and a login that still finds no room is refused.
const maxSessions = 10000

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Login checks a user's password and starts a session: its ID (the
// cookie's value) and the identity it gives, whose CSRF token the console
// sends back on every change. Failures are counted by user and by addr
// (the client's address); past the limits a *LockedError refuses even a
// good password until the lockout ends.
func (s *Service) Login(ctx context.Context, name, password, addr string) (string, Identity, error) {
	now := s.now()
	if err := s.lock.check(name, addr, now); err != nil {
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
		return "", Identity{}, err
	}
	if !good || u.Disabled {
		s.lock.fail(name, addr, now)
		return "", Identity{}, twin.Errorf(twin.EUNAUTHORIZED, "", "wrong user name or password, or the user is disabled")
	}
	s.lock.succeed(name)
	id := Identity{User: u.Name, Role: u.Role, Enterprise: u.Enterprise, Warehouses: slices.Clone(u.Warehouses),
		Via: ViaSession, CSRF: randomToken()}
	sid := randomToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) >= maxSessions {
		s.sweep(now)
		if len(s.sessions) >= maxSessions {
			return "", Identity{}, twin.Errorf(twin.EUNAVAILABLE, "", "too many sessions are open")
		}
	}
	s.sessions[sid] = &session{id: id, last: now}
	return sid, id, nil
}

// sweep ends the idle sessions. Lock must be held.
func (s *Service) sweep(now time.Time) {
	for k, se := range s.sessions {
		if now.Sub(se.last) >= s.idle {
			delete(s.sessions, k)
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
		delete(s.sessions, string(sid))
		return nil, false
	}
	se.last = now
	return &se.id, true
}

// Logout ends a session.
func (s *Service) Logout(sid string) {
	s.mu.Lock()
	delete(s.sessions, sid)
	s.mu.Unlock()
}

// endSessionsOf ends every session of a user. Lock must be held.
func (s *Service) endSessionsOf(name string) {
	for k, se := range s.sessions {
		if se.id.User == name {
			delete(s.sessions, k)
		}
	}
}

// Idle returns how long a session lasts without a request.
func (s *Service) Idle() time.Duration { return s.idle }
