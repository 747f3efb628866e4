package auth

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Token is a bearer token an administrator issued to an API client. Only
// the SHA-256 of its secret is kept: the secret is shown once.
type Token struct {
	// ID names the token for listing and revoking: the first 12 hex
	// digits of its hash.
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	Enterprise  string    `json:"enterprise,omitempty"`
	Warehouses  []string  `json:"warehouses,omitempty"`
	Enterprises []string  `json:"enterprises,omitempty"` // a gateway's
	Sensors     []string  `json:"sensors,omitempty"`     // a gateway's
	Created     time.Time `json:"created"`
	By          string    `json:"by"` // the administrator who issued it
}

// NewToken is what an administrator asks a token for.
type NewToken struct {
	Name        string   `json:"name"`
	Role        Role     `json:"role"`
	Enterprise  string   `json:"enterprise,omitempty"`
	Warehouses  []string `json:"warehouses,omitempty"`
	Enterprises []string `json:"enterprises,omitempty"`
	Sensors     []string `json:"sensors,omitempty"`
}

// tokenPrefix marks parkd's tokens, so that one pasted where it should
// not be is recognised.
const tokenPrefix = "ptk_"

func tokenHash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// IssueToken makes a token and returns its secret, shown this once.
func (s *Service) IssueToken(nt NewToken, by string) (string, Token, error) {
	if err := checkName(nt.Name, "name"); err != nil {
		return "", Token{}, err
	}
	if nt.Role == 0 {
		return "", Token{}, twin.Reasoned(twin.EINVALID, "role", "a token has a role", msg.New("error.required", "field", "role"))
	}
	if nt.Role == Gateway {
		if nt.Enterprise != "" || len(nt.Warehouses) > 0 {
			return "", Token{}, scopeRefused("role", "a gateway names enterprises or sensors, not an enterprise or warehouses", "error.gatewayScope")
		}
	} else {
		if len(nt.Enterprises) > 0 || len(nt.Sensors) > 0 {
			return "", Token{}, scopeRefused("sensors", "only a gateway's token names enterprises or sensors", "error.gatewayOnly")
		}
		if err := checkScope(nt.Role, nt.Enterprise, nt.Warehouses); err != nil {
			return "", Token{}, err
		}
	}
	for _, id := range append(slices.Clone(nt.Enterprises), nt.Sensors...) {
		if err := checkName(id, "sensors"); err != nil {
			return "", Token{}, err
		}
	}
	secret := tokenPrefix + randomToken()
	h := tokenHash(secret)
	t := Token{ID: h[:12], Name: nt.Name, Role: nt.Role, Enterprise: nt.Enterprise, Warehouses: slices.Clone(nt.Warehouses),
		Enterprises: slices.Clone(nt.Enterprises), Sensors: slices.Clone(nt.Sensors), Created: s.now(), By: by}
	b, err := json.Marshal(t)
	if err != nil {
		return "", Token{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byName[nt.Name]; ok {
		// The audit trail names a token's acts by its name, as a user's.
		return "", Token{}, twin.Reasoned(twin.ECONFLICT, "name", fmt.Sprintf("user %s exists: name the token otherwise, so that the audit trail tells the two apart", nt.Name),
			msg.New("error.userNamed", "name", nt.Name))
	}
	if err := s.tokens.Put(h, b); err != nil {
		return "", Token{}, fmt.Errorf("keep token %s: %w", t.Name, err)
	}
	s.byHash[h] = t
	s.bearers[h] = t.identity(h)
	return secret, t, nil
}

// Tokens returns the issued tokens, by name, without their secrets.
func (s *Service) Tokens() []Token {
	s.mu.RLock()
	out := make([]Token, 0, len(s.byHash))
	for _, t := range s.byHash {
		out = append(out, t)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b Token) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
}

// RevokeToken ends the token whose ID is id.
func (s *Service) RevokeToken(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, t := range s.byHash {
		if t.ID == id {
			if err := s.tokens.Delete(h); err != nil {
				return fmt.Errorf("revoke token %s: %w", id, err)
			}
			delete(s.byHash, h)
			delete(s.bearers, h)
			s.ended("t" + h)
			return nil
		}
	}
	return twin.Reasoned(twin.ENOTFOUND, "id", fmt.Sprintf("no token %s", id), msg.New("error.noToken", "id", id))
}

// identity is who a request with the token, whose hash is h, acts as.
func (t Token) identity(h string) *Identity {
	return &Identity{User: t.Name, Role: t.Role, Enterprise: t.Enterprise, Warehouses: t.Warehouses,
		Enterprises: t.Enterprises, Sensors: t.Sensors, Via: ViaToken, cred: "t" + h}
}

// Bearer returns the identity of a bearer token: an issued token's, or a
// gateway's from the tokens file.
func (s *Service) Bearer(tok string) (Identity, bool) {
	id, ok := s.BearerBytes([]byte(tok))
	if !ok {
		return Identity{}, false
	}
	return *id, true
}

// BearerBytes is Bearer of a token as the request holds it, for the
// guard, which neither copies the header nor keeps tok: the token is
// looked up by its SHA-256, hex-encoded on the stack. The identity is
// the service's own, shared: read it, never change it.
func (s *Service) BearerBytes(tok []byte) (*Identity, bool) {
	if len(tok) == 0 {
		return nil, false
	}
	sum := sha256.Sum256(tok)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	if id, ok := s.gateways[string(h[:])]; ok {
		return id, true
	}
	if !bytes.HasPrefix(tok, []byte(tokenPrefix)) {
		return nil, false
	}
	s.mu.RLock()
	id, ok := s.bearers[string(h[:])]
	s.mu.RUnlock()
	return id, ok
}
