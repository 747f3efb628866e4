package auth

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
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
		return twin.Reasoned(twin.EINVALID, field, fmt.Sprintf("want 1 to 64 letters, digits, '.', '_' or '-', got %q", name),
			msg.New("error.userName", "field", field, "got", name))
	}
	return nil
}

func checkPassword(pw string) error {
	if n := len([]rune(pw)); n < MinPassword || len(pw) > MaxPassword {
		return twin.Reasoned(twin.EINVALID, "password", fmt.Sprintf("want %d to %d characters", MinPassword, MaxPassword),
			msg.New("error.passwordLength", "field", "password", "min", MinPassword, "max", MaxPassword))
	}
	return nil
}

// checkScope checks the scope fields against the role: an enterprise user
// names its enterprise, a keeper its warehouses, and no one else either.
func checkScope(role Role, enterprise string, warehouses []string) error {
	switch {
	case role == Gateway:
		return scopeRefused("role", "gateway is a token's role, not a user's", "error.gatewayUser")
	case role == Enterprise && enterprise == "":
		return scopeRefused("enterprise", "an enterprise user names its enterprise", "error.enterpriseNamed")
	case role != Enterprise && enterprise != "":
		return scopeRefused("enterprise", "only an enterprise user has an enterprise", "error.enterpriseOnly")
	case role == Keeper && len(warehouses) == 0:
		return scopeRefused("warehouses", "a keeper names the warehouses it keeps", "error.keeperWarehouses")
	case role != Keeper && len(warehouses) > 0:
		return scopeRefused("warehouses", "only a keeper has warehouses", "error.warehousesOnly")
	case len(warehouses) > 64:
		return twin.Reasoned(twin.EINVALID, "warehouses", "at most 64", msg.New("error.tooMany", "field", "warehouses", "n", len(warehouses), "max", 64))
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
