package auth

import (
	"context"
	"fmt"

	"github.com/alexedwards/argon2id"
)

// Params are the argon2id parameters of new hashes: OWASP's first choice
// (19 MiB, two passes, one lane), about 25 ms a login on one core of the
// server (docs/performance.md). A stored hash keeps its own parameters,
// so raising these later leaves old passwords working.
var Params = argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// maxHashing bounds the argon2id computations at once: each takes
// Params.Memory, and a flood of logins must not take the machine's.
const maxHashing = 2

// hasher hashes and checks passwords, a bounded number at a time.
type hasher struct {
	params argon2id.Params
	slots  chan struct{} // buffered maxHashing: one token per computation running
	// dummy is a hash checked when the user does not exist, so that a
	// wrong name takes as long as a wrong password.
	dummy string
}

func newHasher(p argon2id.Params) (*hasher, error) {
	h := &hasher{params: p, slots: make(chan struct{}, maxHashing)}
	d, err := argon2id.CreateHash("not a password of anyone", &h.params)
	if err != nil {
		return nil, fmt.Errorf("argon2id: %w", err)
	}
	h.dummy = d
	return h, nil
}

func (h *hasher) take(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *hasher) hash(ctx context.Context, pw string) (string, error) {
	if err := h.take(ctx); err != nil {
		return "", err
	}
	defer func() { <-h.slots }()
	s, err := argon2id.CreateHash(pw, &h.params)
	if err != nil {
		return "", fmt.Errorf("argon2id: %w", err)
	}
	return s, nil
}

// check reports whether pw matches hash; an empty hash (no such user) is
// checked against the dummy and never matches.
func (h *hasher) check(ctx context.Context, pw, hash string) (bool, error) {
	if err := h.take(ctx); err != nil {
		return false, err
	}
	defer func() { <-h.slots }()
	if hash == "" {
		argon2id.ComparePasswordAndHash(pw, h.dummy)
		return false, nil
	}
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	if err != nil {
		return false, fmt.Errorf("argon2id: %w", err)
	}
	return ok, nil
}
