// Package auth knows who may use the server: users with roles and their
// argon2id password hashes, kept in a bucket of the park's file; the
// console's sessions, in memory and, by the SHA-256 of their IDs, in a
// bucket of the file too, so that they outlive a restart (written at the
// login, deleted at their end, their last uses saved now and then and
// when the server stops: after a crash a session counts as idle from its
// login or the last save); the bearer tokens of API clients, kept as hashes; the
// sensor gateways' tokens from their file; and the lockout of repeated
// failed logins.
//
// A Service is safe for concurrent use.
package auth

import (
	"cmp"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/alexedwards/argon2id"

	"parktwin/twin"
)

// Bucket is where users or tokens are kept: a bucket of the park's file
// (bolt.Records).
type Bucket interface {
	Put(key string, value []byte) error
	Delete(key string) error
	All(fn func(key string, value []byte) error) error
}

// DefaultIdle is how long a console session lasts without a request.
const DefaultIdle = 30 * time.Minute

// Config configures a Service.
type Config struct {
	Users, Tokens Bucket
	// Sessions keeps the console's sessions across a restart; nil: in
	// memory only, a restart logs everyone out.
	Sessions SessionBucket
	Clock    twin.Clock // nil: the wall clock
	// Params are the argon2id parameters of new hashes; nil: Params.
	// Only tests ask for cheaper ones.
	Params *argon2id.Params
	Idle   time.Duration // 0: DefaultIdle
	// Gateways are the sensor gateways' tokens, from their file.
	Gateways []GatewayToken
	Logger   *slog.Logger
}

// GatewayToken is a line of the gateway tokens file: a name, a token, and
// the enterprises (ENT-…) or sensors (SEN-…) whose readings it may send,
// none meaning every sensor.
type GatewayToken struct {
	Name, Token          string
	Enterprises, Sensors []string
}

// Service authenticates requests and keeps the users and tokens.
type Service struct {
	users, tokens Bucket
	clock         twin.Clock
	idle          time.Duration
	hash          *hasher
	lock          *lockout
	log           *slog.Logger
	gateways      map[string]*Identity // sha256 of the token → its identity; never changed

	mu     sync.RWMutex
	byName map[string]User  // guarded by mu
	byHash map[string]Token // guarded by mu: sha256 of the token → token
	// bearers are byHash's identities, made once: the guard keeps a
	// pointer for the request rather than a copy. Never changed, only
	// replaced. Guarded by mu.
	bearers  map[string]*Identity
	sessions map[string]*session // guarded by mu: by ID
	// restored holds the sessions read from the bucket at Open and not
	// presented since, by the SHA-256 of their IDs (their keys); guarded
	// by mu.
	restored map[string]*session
	// byUser holds each user's sessions, live and restored, for
	// maxUserSessions and endSessionsOf without a walk of every session;
	// guarded by mu.
	byUser map[string]map[*session]struct{}
	kept   SessionBucket // nil: sessions in memory only
	// gone are the keys of the sessions ended under mu, to delete from
	// kept once it is unlocked (unlockAndForget); undeleted those whose
	// delete failed, tried again by Save. Guarded by mu.
	gone      []string
	undeleted map[string]struct{}
	// watch holds OnEnd's watchers by credential; guarded by mu.
	watch map[string]map[*watcher]struct{}
}

// Open reads the users, tokens and sessions kept in cfg's buckets.
func Open(cfg Config) (*Service, error) {
	if cfg.Clock == nil {
		cfg.Clock = twin.WallClock{}
	}
	if cfg.Params == nil {
		cfg.Params = &Params
	}
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h, err := newHasher(*cfg.Params)
	if err != nil {
		return nil, err
	}
	s := &Service{users: cfg.Users, tokens: cfg.Tokens, clock: cfg.Clock, idle: cfg.Idle, hash: h, lock: newLockout(),
		log: cfg.Logger, gateways: map[string]*Identity{}, byName: map[string]User{}, byHash: map[string]Token{},
		bearers: map[string]*Identity{}, sessions: map[string]*session{}, restored: map[string]*session{},
		byUser: map[string]map[*session]struct{}{}, kept: cfg.Sessions, undeleted: map[string]struct{}{},
		watch: map[string]map[*watcher]struct{}{}}
	err = cfg.Users.All(func(k string, v []byte) error {
		var u User
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("user %s: %w", k, err)
		}
		s.byName[u.Name] = u
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	err = cfg.Tokens.All(func(k string, v []byte) error {
		var t Token
		if err := json.Unmarshal(v, &t); err != nil {
			return fmt.Errorf("token %s: %w", k, err)
		}
		s.byHash[k] = t
		s.bearers[k] = t.identity(k)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	for _, g := range cfg.Gateways {
		s.gateways[tokenHash(g.Token)] = &Identity{User: g.Name, Role: Gateway, Via: ViaGateway,
			Enterprises: slices.Clone(g.Enterprises), Sensors: slices.Clone(g.Sensors)}
	}
	if err := s.restore(); err != nil {
		return nil, err
	}
	return s, nil
}

// Empty reports whether no user is kept: the first start.
func (s *Service) Empty() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byName) == 0
}

func (s *Service) now() time.Time { return s.clock.Now() }

// putUser keeps u, in the file and in memory. Lock must be held.
func (s *Service) putUser(u User) error {
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	if err := s.users.Put(u.Name, b); err != nil {
		return fmt.Errorf("keep user %s: %w", u.Name, err)
	}
	s.byName[u.Name] = u
	return nil
}

// Users returns every user, by name, without their hashes.
func (s *Service) Users() []User {
	s.mu.RLock()
	out := make([]User, 0, len(s.byName))
	for _, u := range s.byName {
		out = append(out, u.view())
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b User) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// User returns a user without its hash.
func (s *Service) User(name string) (User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.byName[name]
	if !ok {
		return User{}, noUser(name)
	}
	return u.view(), nil
}
