package auth

// The console's sessions kept in the park's file, so that a restart of
// the server does not log every console out. The bucket's key is the
// SHA-256 of the session's ID, never the ID: the file holds no cookie
// that would let its reader in.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// SessionBucket is where sessions are kept: a Bucket that also writes
// and deletes many in one transaction (bolt.Records).
type SessionBucket interface {
	Bucket
	PutMany(kv map[string][]byte) error
	DeleteMany(keys []string) error
}

// keptSession is a session as the bucket holds it, under the SHA-256 of
// its ID. Its user's role and scope are not kept: a restored session
// takes them from the user as kept then. Nor is its CSRF token, made
// from its ID (csrfOf), which the console keeps across a restart: the
// file holds nothing a reader could send.
type keptSession struct {
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	// Updated is the user's Updated at the login: a user changed since
	// (whose change ended its sessions, even if the server stopped
	// before the bucket was told) does not get the session back.
	Updated time.Time `json:"userUpdated"`
	// Last is its last request as last saved: at the login, then at a
	// graceful stop (Save). After a crash the session counts as idle from
	// this, the safe side.
	Last time.Time `json:"last"`
}

func (se *session) encode() ([]byte, error) {
	return json.Marshal(keptSession{User: se.id.User, Created: se.created, Updated: se.updated, Last: se.last})
}

// keep writes a new session to the bucket.
func (s *Service) keep(se *session) error {
	if s.kept == nil {
		return nil
	}
	b, err := se.encode()
	if err != nil {
		return err
	}
	if err := s.kept.Put(se.key, b); err != nil {
		return fmt.Errorf("keep the session of %s: %w", se.id.User, err)
	}
	return nil
}

// unlockAndForget unlocks s.mu and deletes from the bucket the sessions
// ended while it was held (s.gone), before it returns: a logout has
// reached the file when it is answered. A delete that fails is logged
// and tried again by Save; a restart would drop the session all the
// same if its user changed, or once idle.
func (s *Service) unlockAndForget() {
	gone := s.gone
	s.gone = nil
	s.mu.Unlock()
	if s.kept == nil || len(gone) == 0 {
		return
	}
	if err := s.kept.DeleteMany(gone); err != nil {
		s.log.Error("sessions ended but stay in the file", "sessions", len(gone), "err", err)
		s.mu.Lock()
		for _, k := range gone {
			s.undeleted[k] = struct{}{}
		}
		s.mu.Unlock()
	}
}

// restoredOf returns the restored session whose ID is sid, found by its
// SHA-256 (hex-encoded on the stack); nil if none. Lock must be held.
func (s *Service) restoredOf(sid []byte) *session {
	if len(s.restored) == 0 || len(sid) != sidLen {
		return nil
	}
	sum := sha256.Sum256(sid)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	return s.restored[string(h[:])]
}

// promote makes a restored session live under its ID, presented for the
// first time since the restart. Lock must be held.
func (s *Service) promote(se *session, sid string) {
	delete(s.restored, se.key)
	se.sid = sid
	se.id.CSRF = csrfOf(sid)
	se.id.cred = "s" + sid
	s.sessions[sid] = se
}

// restore reads the kept sessions at Open. It drops, and deletes from
// the bucket, those that cannot be read, those idle for the idle time by
// their kept last use, those of a user no longer kept, disabled or
// changed since the login, and those past maxUserSessions or maxSessions
// (the ones used longest ago). The others wait in s.restored, by key,
// for their first request.
func (s *Service) restore() error {
	if s.kept == nil {
		return nil
	}
	now := s.now()
	var drop []string
	var keep []*session
	err := s.kept.All(func(k string, v []byte) error {
		var ks keptSession
		if err := json.Unmarshal(v, &ks); err != nil || !isKey(k) {
			s.log.Warn("a kept session cannot be read: dropped", "err", err)
			drop = append(drop, k)
			return nil
		}
		u, ok := s.byName[ks.User]
		switch {
		case !ok || u.Disabled || !u.Updated.Equal(ks.Updated):
			drop = append(drop, k)
			return nil
		case now.Sub(ks.Last) >= s.idle:
			drop = append(drop, k)
			return nil
		}
		last := ks.Last
		if last.After(now) { // a clock set back: idle from now, no longer
			last = now
		}
		keep = append(keep, &session{key: k, created: ks.Created, updated: ks.Updated, last: last, saved: ks.Last,
			id: Identity{User: u.Name, Role: u.Role, Enterprise: u.Enterprise, Warehouses: slices.Clone(u.Warehouses),
				Via: ViaSession}})
		return nil
	})
	if err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	// The most recently used first: the caps drop the others.
	slices.SortFunc(keep, func(a, b *session) int { return b.last.Compare(a.last) })
	for _, se := range keep {
		mine := s.byUser[se.id.User]
		if len(mine) >= maxUserSessions || len(s.restored) >= maxSessions {
			drop = append(drop, se.key)
			continue
		}
		if mine == nil {
			mine = map[*session]struct{}{}
			s.byUser[se.id.User] = mine
		}
		mine[se] = struct{}{}
		s.restored[se.key] = se
	}
	if err := s.kept.DeleteMany(drop); err != nil {
		// They are not restored all the same; Save tries again.
		s.log.Error("sessions dropped but left in the file", "sessions", len(drop), "err", err)
		for _, k := range drop {
			s.undeleted[k] = struct{}{}
		}
	}
	if len(s.restored) > 0 || len(drop) > 0 {
		s.log.Info("console sessions restored", "sessions", len(s.restored), "dropped", len(drop))
	}
	return nil
}

// csrfOf is the CSRF token of the session whose ID is sid: an HMAC of
// it, which the ID alone makes again after a restart and which tells
// nothing of the ID (nor the bucket's key of it).
func csrfOf(sid string) string {
	m := hmac.New(sha256.New, []byte(sid))
	m.Write([]byte("parktwin session CSRF token"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// isKey reports whether k is a SHA-256 as the bucket keys sessions.
func isKey(k string) bool {
	b, err := hex.DecodeString(k)
	return err == nil && len(b) == sha256.Size && hex.EncodeToString(b) == k
}

// Save writes the last use of every session used since it was last
// written to the bucket, in one transaction, and the deletes that failed
// before. The server calls it every minute (SaveEvery) and when it
// stops, before the file closes; requests are not slowed by a write
// each. A crash loses only the uses since the login or the last Save:
// the session counts as idle from then, the safe side. It holds the
// lock through the write (a session ended meanwhile must not be written
// back after its delete): requests wait for that one write.
func (s *Service) Save() error {
	if s.kept == nil {
		return nil
	}
	// Under the lock throughout: a session ended meanwhile must not be
	// written back after its delete.
	s.mu.Lock()
	defer s.mu.Unlock()
	// The sessions idle by now end first (and leave the file): a restart
	// with a longer --session-idle must not bring back one already past
	// the idle limit it had.
	s.sweep(s.now())
	for _, k := range s.gone { // deleted below, under this lock
		s.undeleted[k] = struct{}{}
	}
	s.gone = nil
	var errs []error
	if len(s.undeleted) > 0 {
		if err := s.kept.DeleteMany(slices.Collect(maps.Keys(s.undeleted))); err != nil {
			errs = append(errs, err)
		} else {
			clear(s.undeleted)
		}
	}
	kv := map[string][]byte{}
	var saved []*session
	for _, se := range s.all() {
		if !se.last.After(se.saved) {
			continue
		}
		b, err := se.encode()
		if err != nil {
			return err
		}
		kv[se.key] = b
		saved = append(saved, se)
	}
	if err := s.kept.PutMany(kv); err != nil {
		errs = append(errs, err)
	} else {
		for _, se := range saved {
			se.saved = se.last
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("save the sessions: %w", err)
	}
	return nil
}

// SaveEvery calls Save every d, in a goroutine of its own, until stop is
// called: a crash then loses at most d of the sessions' uses. stop waits
// for a Save under way and may be called more than once. A Save that
// fails is logged and tried at the next.
func (s *Service) SaveEvery(d time.Duration) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if err := s.Save(); err != nil {
					s.log.Error("sessions not saved", "err", err)
				}
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}
