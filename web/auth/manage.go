package auth

import (
	"context"
	"fmt"
	"slices"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// NewUser is what an administrator gives to create a user.
type NewUser struct {
	Name       string   `json:"name"`
	Role       Role     `json:"role"`
	Enterprise string   `json:"enterprise,omitempty"`
	Warehouses []string `json:"warehouses,omitempty"`
	Password   string   `json:"password"`
}

// UserUpdate changes a user: each field given is set. Any change logs the
// user out of every session, so that a lesser role or a disabled account
// takes effect at once.
type UserUpdate struct {
	Role       *Role     `json:"role,omitempty"`
	Enterprise *string   `json:"enterprise,omitempty"`
	Warehouses *[]string `json:"warehouses,omitempty"`
	Disabled   *bool     `json:"disabled,omitempty"`
	Password   *string   `json:"password,omitempty"`
}

// AdminName is the first administrator's name.
const AdminName = "admin"

// FirstAdmin creates the administrator with the password when no user is
// kept yet, and reports whether it did.
func (s *Service) FirstAdmin(ctx context.Context, password string) (bool, error) {
	if !s.Empty() {
		return false, nil
	}
	_, err := s.CreateUser(ctx, NewUser{Name: AdminName, Role: Admin, Password: password})
	if err != nil {
		return false, err
	}
	return true, nil
}

// CreateUser creates a user.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	if err := checkName(nu.Name, "name"); err != nil {
		return User{}, err
	}
	if nu.Role == 0 {
		return User{}, twin.Reasoned(twin.EINVALID, "role", "a user has a role", msg.New("error.required", "field", "role"))
	}
	if err := checkScope(nu.Role, nu.Enterprise, nu.Warehouses); err != nil {
		return User{}, err
	}
	if err := checkPassword(nu.Password); err != nil {
		return User{}, err
	}
	h, err := s.hash.hash(ctx, nu.Password)
	if err != nil {
		return User{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byName[nu.Name]; ok {
		return User{}, twin.Reasoned(twin.ECONFLICT, "name", fmt.Sprintf("user %s exists", nu.Name), msg.New("error.userExists", "name", nu.Name))
	}
	if s.tokenNamed(nu.Name) {
		return User{}, twin.Reasoned(twin.ECONFLICT, "name", fmt.Sprintf("a token is named %s: the audit trail could not tell the two apart", nu.Name),
			msg.New("error.tokenNamed", "name", nu.Name))
	}
	now := s.now()
	u := User{Name: nu.Name, Role: nu.Role, Enterprise: nu.Enterprise, Warehouses: slices.Clone(nu.Warehouses),
		Created: now, Updated: now, Hash: h}
	if err := s.putUser(u); err != nil {
		return User{}, err
	}
	return u.view(), nil
}

// UpdateUser changes a user and ends its sessions. The last administrator
// who may log in cannot be disabled or given another role.
func (s *Service) UpdateUser(ctx context.Context, name string, up UserUpdate) (User, error) {
	var h string
	if up.Password != nil {
		if err := checkPassword(*up.Password); err != nil {
			return User{}, err
		}
		var err error
		if h, err = s.hash.hash(ctx, *up.Password); err != nil {
			return User{}, err
		}
	}
	s.mu.Lock()
	u, err := s.updateUser(name, up, h)
	s.unlockAndForget() // its ended sessions leave the file before it returns
	return u, err
}

// updateUser is UpdateUser with the new password's hash h, if any. Lock
// must be held.
func (s *Service) updateUser(name string, up UserUpdate, h string) (User, error) {
	u, ok := s.byName[name]
	if !ok {
		return User{}, noUser(name)
	}
	was := u
	if up.Role != nil {
		u.Role = *up.Role
		if u.Role != Enterprise {
			u.Enterprise = ""
		}
		if u.Role != Keeper {
			u.Warehouses = nil
		}
	}
	if up.Enterprise != nil {
		u.Enterprise = *up.Enterprise
	}
	if up.Warehouses != nil {
		u.Warehouses = slices.Clone(*up.Warehouses)
	}
	if up.Disabled != nil {
		u.Disabled = *up.Disabled
	}
	if h != "" {
		u.Hash = h
	}
	if u.Role == 0 {
		return User{}, twin.Reasoned(twin.EINVALID, "role", "a user has a role", msg.New("error.required", "field", "role"))
	}
	if err := checkScope(u.Role, u.Enterprise, u.Warehouses); err != nil {
		return User{}, err
	}
	if was.Role == Admin && !was.Disabled && (u.Role != Admin || u.Disabled) && s.admins() == 1 {
		return User{}, twin.Reasoned(twin.ECONFLICT, "", fmt.Sprintf("%s is the last administrator: make another first", name), msg.New("error.lastAdmin", "name", name))
	}
	if sameUser(u, was) {
		// Nothing changed: its sessions go on (a form sent again must
		// not log its user out).
		return u.view(), nil
	}
	u.Updated = s.now()
	if err := s.putUser(u); err != nil {
		return User{}, err
	}
	s.endSessionsOf(name)
	return u.view(), nil
}

// sameUser reports whether a and b are the same user with the same
// rights and password.
func sameUser(a, b User) bool {
	return a.Role == b.Role && a.Enterprise == b.Enterprise && slices.Equal(a.Warehouses, b.Warehouses) &&
		a.Disabled == b.Disabled && a.Hash == b.Hash
}

// tokenNamed reports whether an issued token has the name. Lock must be
// held.
func (s *Service) tokenNamed(name string) bool {
	for _, t := range s.byHash {
		if t.Name == name {
			return true
		}
	}
	return false
}

// admins counts the administrators who may log in. Lock must be held.
func (s *Service) admins() int {
	n := 0
	for _, u := range s.byName {
		if u.Role == Admin && !u.Disabled {
			n++
		}
	}
	return n
}
