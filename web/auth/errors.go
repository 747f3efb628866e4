package auth

import (
	"fmt"

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
