package auth

import (
	"slices"
	"strings"

	"parktwin/twin"
)

// Role is what a user or token may do. The zero Role is unset.
type Role uint8

// The roles, from the least to the most trusted reader of the park.
const (
	Viewer      Role = iota + 1 // reads the park
	DutyOfficer                 // alarms, verification orders, hidden dangers
	Dispatcher                  // incidents, plans, confirms, roads
	Commander                   // everything operational, level I–II incidents
	Keeper                      // the stock of its own warehouses
	Enterprise                  // its own enterprise alone
	Planner                     // drills and sandboxes, never the live park
	Admin                       // users, tokens, park data; may do everything a person may
	// Gateway is a sensor gateway's token: readings alone. No user has it.
	Gateway
	numRoles = iota
)

var roleNames = [...]string{"", "viewer", "duty-officer", "dispatcher", "commander", "keeper", "enterprise", "planner", "admin", "gateway"}

// AllRoles lists every role in order.
var AllRoles = []Role{Viewer, DutyOfficer, Dispatcher, Commander, Keeper, Enterprise, Planner, Admin, Gateway}

// UserRoles lists the roles a user may have: all but a gateway's.
var UserRoles = AllRoles[:len(AllRoles)-1]

func (r Role) String() string {
	if r < 1 || int(r) > numRoles {
		return "unset"
	}
	return roleNames[r]
}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	if i := slices.Index(roleNames[:], s); i > 0 {
		return Role(i), nil
	}
	return 0, UnknownRole(s, AllRoles)
}

// MarshalText writes the role's name.
func (r Role) MarshalText() ([]byte, error) {
	if r < 1 || int(r) > numRoles {
		return nil, twin.Invalid("role", "unset role")
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads a role's name.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	*r = v
	return err
}

// Scoped reports whether the role acts on part of the park only: an
// enterprise user on its enterprise, a keeper on its warehouses, a gateway
// on its sensors.
func (r Role) Scoped() bool { return r == Enterprise || r == Keeper || r == Gateway }

// Roles is a set of roles.
type Roles uint16

// Of returns the set of the roles.
func Of(rs ...Role) Roles {
	var s Roles
	for _, r := range rs {
		s |= 1 << r
	}
	return s
}

// Has reports whether r is in the set itself, Admin aside.
func (s Roles) Has(r Role) bool { return r > 0 && s&(1<<r) != 0 }

// Allows reports whether r may call a route open to the set: the set's
// roles, and Admin always but on the gateways' own routes (readings come
// from gateways alone).
func (s Roles) Allows(r Role) bool { return s.Has(r) || r == Admin && s&^Of(Gateway) != 0 }

// Add returns the set with rs in it.
func (s Roles) Add(rs ...Role) Roles { return s | Of(rs...) }

// List returns the set's roles in order, Admin included.
func (s Roles) List() []Role {
	var out []Role
	for _, r := range AllRoles {
		if s.Allows(r) {
			out = append(out, r)
		}
	}
	return out
}

func (s Roles) String() string {
	var names []string
	for _, r := range s.List() {
		names = append(names, r.String())
	}
	return strings.Join(names, ", ")
}

// Readers may read the park: every role but the scoped ones, which read
// through a scope, and the gateway, which only writes.
var Readers = Of(Viewer, DutyOfficer, Dispatcher, Commander, Keeper, Planner, Admin)
