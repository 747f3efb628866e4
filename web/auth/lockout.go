package auth

import (
	"fmt"
	"sync"
	"time"
)

// Lockout limits: a user name is locked for an address after
// UserFailures failed logins from that address within Window, an address
// after AddrFailures for any names; each until the oldest of those
// failures is Window old. The name's lock is kept per address so that
// guesses from one address (or a few) cannot lock the real user out from
// the console's: an attacker is held to UserFailures guesses of a name
// per address, AddrFailures in all, each Window.
const (
	UserFailures = 5
	AddrFailures = 20
	Window       = 15 * time.Minute
	// maxTracked bounds the names and addresses remembered; past it the
	// stale ones are forgotten first.
	maxTracked = 10000
	// pendingRetry is the Retry-After of a login refused because as many
	// as the limit are being checked already: those take milliseconds.
	pendingRetry = time.Second
)

// LockedError refuses a login while its user or address is locked out.
type LockedError struct {
	Who        string // "user" or "address"
	RetryAfter time.Duration
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed logins for this %s: try again in %s", e.Who, e.RetryAfter.Round(time.Second))
}

// lockout counts failed logins by user name and address (the name known
// or not, so that it does not tell which exist) and by address. The
// logins being checked count too (pending): else many sent at once all
// pass the check before the first failure is counted.
type lockout struct {
	mu      sync.Mutex
	users   map[string][]time.Time // guarded by mu: by userKey, failures within Window, oldest first
	addrs   map[string][]time.Time // guarded by mu
	pending map[string]int         // guarded by mu: by userKey and by "\x00"+addr, the logins being checked
}

func newLockout() *lockout {
	return &lockout{users: map[string][]time.Time{}, addrs: map[string][]time.Time{}, pending: map[string]int{}}
}

// userKey keys a name's failures from one address.
func userKey(user, addr string) string { return user + "\x00" + addr }

// begin refuses a login of user from addr at now while either is locked,
// counting the logins begun and not ended as failures; else it counts
// this one as begun. Each begin that returns nil is followed by an end.
func (l *lockout) begin(user, addr string, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	uk, ak := userKey(user, addr), "\x00"+addr
	if d := lockedFor(l.users, uk, UserFailures, l.pending[uk], now); d > 0 {
		return &LockedError{Who: "user", RetryAfter: d}
	}
	if d := lockedFor(l.addrs, addr, AddrFailures, l.pending[ak], now); d > 0 {
		return &LockedError{Who: "address", RetryAfter: d}
	}
	l.pending[uk]++
	l.pending[ak]++
	return nil
}

func lockedFor(m map[string][]time.Time, key string, limit, pending int, now time.Time) time.Duration {
	fs := recent(m[key], now)
	switch {
	case len(fs) >= limit:
		return fs[len(fs)-limit].Add(Window).Sub(now)
	case len(fs)+pending >= limit:
		return pendingRetry
	}
	return 0
}

// recent returns the failures still within Window at now.
func recent(fs []time.Time, now time.Time) []time.Time {
	for len(fs) > 0 && !now.Before(fs[0].Add(Window)) {
		fs = fs[1:]
	}
	return fs
}

// end ends a login begun: failed counts it as a failure at now, a
// success forgets the name's failures from addr, and neither (the
// check itself failed) just ends it.
func (l *lockout) end(user, addr string, now time.Time, failed, succeeded bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	uk, ak := userKey(user, addr), "\x00"+addr
	for _, k := range []string{uk, ak} {
		if l.pending[k]--; l.pending[k] <= 0 {
			delete(l.pending, k)
		}
	}
	switch {
	case failed:
		add(l.users, uk, UserFailures, now)
		add(l.addrs, addr, AddrFailures, now)
	case succeeded:
		delete(l.users, uk)
	}
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
