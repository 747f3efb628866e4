package auth

import (
	"fmt"
	"sync"
	"time"
)

// Lockout limits: a user is locked after UserFailures failed logins
// within Window, an address after AddrFailures; each until the oldest of
// those failures is Window old.
const (
	UserFailures = 5
	AddrFailures = 20
	Window       = 15 * time.Minute
	// maxTracked bounds the names and addresses remembered; past it the
	// stale ones are forgotten first.
	maxTracked = 10000
)

// LockedError refuses a login while its user or address is locked out.
type LockedError struct {
	Who        string // "user" or "address"
	RetryAfter time.Duration
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed logins for this %s: try again in %s", e.Who, e.RetryAfter.Round(time.Second))
}

// lockout counts failed logins by user name (known or not, so that it
// does not tell which exist) and by address.
type lockout struct {
	mu    sync.Mutex
	users map[string][]time.Time // guarded by mu: failures within Window, oldest first
	addrs map[string][]time.Time // guarded by mu
}

func newLockout() *lockout {
	return &lockout{users: map[string][]time.Time{}, addrs: map[string][]time.Time{}}
}

// check refuses a login of user from addr at now while either is locked.
func (l *lockout) check(user, addr string, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d := lockedFor(l.users, user, UserFailures, now); d > 0 {
		return &LockedError{Who: "user", RetryAfter: d}
	}
	if d := lockedFor(l.addrs, addr, AddrFailures, now); d > 0 {
		return &LockedError{Who: "address", RetryAfter: d}
	}
	return nil
}

func lockedFor(m map[string][]time.Time, key string, limit int, now time.Time) time.Duration {
	fs := recent(m[key], now)
	if len(fs) < limit {
		return 0
	}
	return fs[len(fs)-limit].Add(Window).Sub(now)
}

// recent returns the failures still within Window at now.
func recent(fs []time.Time, now time.Time) []time.Time {
	for len(fs) > 0 && !now.Before(fs[0].Add(Window)) {
		fs = fs[1:]
	}
	return fs
}

// fail counts a failed login.
func (l *lockout) fail(user, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	add(l.users, user, UserFailures, now)
	add(l.addrs, addr, AddrFailures, now)
}

func add(m map[string][]time.Time, key string, limit int, now time.Time) {
	if len(m) >= maxTracked {
		for k, fs := range m {
			if len(recent(fs, now)) == 0 {
				delete(m, k)
			}
		}
	}
	fs := append(recent(m[key], now), now)
	if len(fs) > limit {
		fs = fs[len(fs)-limit:] // the older ones no longer decide
	}
	m[key] = fs
}

// succeed forgets a user's failures once it logged in.
func (l *lockout) succeed(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.users, user)
}
