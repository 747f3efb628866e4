package auth

import (
	"regexp"
	"slices"
	"time"

	"parktwin/twin"
)

// User is a person who logs in to the console.
type User struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Enterprise is the enterprise an enterprise user acts for.
	Enterprise string `json:"enterprise,omitempty"`
	// Warehouses are the warehouses a keeper keeps.
	Warehouses []string  `json:"warehouses,omitempty"`
	Disabled   bool      `json:"disabled,omitempty"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
	// Hash is the password's argon2id hash in its encoded form.
	Hash string `json:"hash,omitempty"`
}

// view is a user without its hash, as the API shows it.
func (u User) view() User {
	u.Hash = ""
	u.Warehouses = slices.Clone(u.Warehouses)
	return u
}

var nameRE = regexp.MustCompile(`^[\p{L}\p{N}._-]{1,64}$`)

// MinPassword is the shortest password a user may be given.
const MinPassword = 10

// MaxPassword bounds a password: argon2id takes any length, but a
// megabyte body need not be hashed.
const MaxPassword = 256

func checkName(name, field string) error {
	if !nameRE.MatchString(name) {
		return twin.Invalid(field, "want 1 to 64 letters, digits, '.', '_' or '-', got %q", name)
	}
	return nil
}

func checkPassword(pw string) error {
	if n := len([]rune(pw)); n < MinPassword || len(pw) > MaxPassword {
		return twin.Invalid("password", "want %d to %d characters", MinPassword, MaxPassword)
	}
	return nil
}

// checkScope checks the scope fields against the role: an enterprise user
// names its enterprise, a keeper its warehouses, and no one else either.
func checkScope(role Role, enterprise string, warehouses []string) error {
	switch {
	case role == Gateway:
		return twin.Invalid("role", "gateway is a token's role, not a user's")
	case role == Enterprise && enterprise == "":
		return twin.Invalid("enterprise", "an enterprise user names its enterprise")
	case role != Enterprise && enterprise != "":
		return twin.Invalid("enterprise", "only an enterprise user has an enterprise")
	case role == Keeper && len(warehouses) == 0:
		return twin.Invalid("warehouses", "a keeper names the warehouses it keeps")
	case role != Keeper && len(warehouses) > 0:
		return twin.Invalid("warehouses", "only a keeper has warehouses")
	case len(warehouses) > 64:
		return twin.Invalid("warehouses", "at most 64")
	}
	if enterprise != "" {
		if err := checkName(enterprise, "enterprise"); err != nil {
			return err
		}
	}
	for _, w := range warehouses {
		if err := checkName(w, "warehouses"); err != nil {
			return err
		}
	}
	return nil
}
