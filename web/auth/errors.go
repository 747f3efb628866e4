package auth

import (
	"fmt"
	"strings"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// noUser is the refusal of a user not there.
func noUser(name string) *twin.Error {
	return twin.Reasoned(twin.ENOTFOUND, "name", fmt.Sprintf("no user %s", name), msg.New("error.noUser", "name", name))
}

// scopeRefused is the refusal of field, a role and its scope that do not
// go together: english, and the message code (twin.Messages).
func scopeRefused(field, english, code string) *twin.Error {
	return twin.Reasoned(twin.EINVALID, field, english, msg.New(code))
}

// UnknownRole is the refusal of the field role, got no role's name: it
// names the roles allowed, in English by their names, for a console in
// its language.
func UnknownRole(got string, allowed []Role) *twin.Error {
	names := make([]string, len(allowed))
	roles := make([]msg.Msg, 0, 2*len(allowed))
	for i, r := range allowed {
		names[i] = r.String()
		if i > 0 {
			roles = append(roles, msg.New("error.listSep"))
		}
		roles = append(roles, msg.New("enum.role."+r.String()))
	}
	return twin.Reasoned(twin.EINVALID, "role", fmt.Sprintf("want one of %s, got %q", strings.Join(names, ", "), got),
		msg.New("error.roleUnknown", "field", "role", "got", got, "roles", roles))
}
