package twin

import (
	"errors"
	"fmt"
	"maps"

	"parktwin/twin/msg"
)

// Error codes. The web layer maps each to one HTTP status; anything that is
// not an *Error is an internal error and its text never leaves the process.
const (
	EMALFORMED = "malformed" // the request could not be parsed
	EINVALID   = "invalid"   // parsed, but a value breaks a rule
	ENOTFOUND  = "not_found" // the entity does not exist
	ECONFLICT  = "conflict"  // the state of the park forbids it
	// EINSUFFICIENT: a warehouse has less than asked of it (a conflict
	// with what is on the shelf, answered 409).
	EINSUFFICIENT = "insufficient"
	EFORBIDDEN    = "forbidden"    // not allowed for this caller or twin
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	ETOOLARGE     = "too_large"    // the request body is over the limit
	EUNAVAILABLE  = "unavailable"  // the twin cannot take commands now
	// EPRECONDITION: the request's If-Match names a version the entity
	// has moved on from.
	EPRECONDITION = "precondition_failed"
	// EPRECONDREQUIRED: a whole replacement must say which version it
	// replaces.
	EPRECONDREQUIRED = "precondition_required"
	EINTERNAL        = "internal" // a bug or an I/O failure
)

// Error is a domain error: a code, a message for people, and the field it
// concerns when there is one ("capacityM3", "geometry", "features[3].id").
type Error struct {
	Code    string
	Message string
	Field   string
	// Msg is Message as a message of a catalogue (twin/msg), for a
	// console to show in its language; nil for errors not coded yet.
	Msg *msg.Msg
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and field.
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Invalid is shorthand for an EINVALID error about field.
func Invalid(field, format string, args ...any) *Error {
	return Errorf(EINVALID, field, format, args...)
}

// ErrorCode returns the code of the first *Error in err's chain, or
// EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic text for anything else, so internal details do not leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorMsg returns the message of the first *Error in err's chain, when
// it is coded.
func ErrorMsg(err error) *msg.Msg {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return nil
}

// coded returns an *Error whose message is m of the twin's catalogue.
func coded(code, field string, m msg.Msg) *Error {
	return &Error{Code: code, Field: field, Message: Messages.English(m), Msg: &m}
}

// NotFound returns the ENOTFOUND error for the entity of kind k and id:
// "no tank TNK-0001-01".
func NotFound(k Kind, id string) *Error {
	return coded(ENOTFOUND, "id", msg.New("error.noEntity", "kind", k.String(), "id", id))
}

// ErrorField returns the field named by the first *Error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// prefixField returns err with prefix prepended to its field, so that an
// error from a nested value names its full path ("vehicles[2].waterL").
func prefixField(prefix string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	f := prefix
	if e.Field != "" {
		if e.Field[0] == '[' {
			f += e.Field
		} else {
			f += "." + e.Field
		}
	}
	return &Error{Code: e.Code, Message: e.Message, Field: f, Msg: MsgInField(e.Msg, f)}
}

// Reasoned returns an *Error of code about field whose English message
// is english (as precise as the case asks) and whose message for a
// console is m of the twin's catalogue, which names the field in an
// argument "field" when it has one. A console in English shows english;
// in Chinese, m.
func Reasoned(code, field, english string, m msg.Msg) *Error {
	return &Error{Code: code, Field: field, Message: english, Msg: &m}
}

// Required returns the EINVALID error of a field left empty.
func Required(field string) *Error {
	return Reasoned(EINVALID, field, "required", msg.New("error.required", "field", field))
}

// StateRefused returns the ECONFLICT error of an entity whose state
// forbids what was asked: english says why, the console's message names
// the entity and its state (an enumeration under enum.<domain>.).
func StateRefused(k Kind, id, state, field, english string) *Error {
	return Reasoned(ECONFLICT, field, english,
		msg.New("error.state."+k.String(), "id", id, "state", state))
}

// InField returns err as an EINVALID error about field, its message and
// its message for a console kept (the latter naming field): a value read
// by a handler ("state", "level") that its own type refused.
func InField(field string, err error) *Error {
	var e *Error
	if !errors.As(err, &e) {
		return Invalid(field, "%s", ErrorMessage(err))
	}
	return &Error{Code: EINVALID, Field: field, Message: e.Message, Msg: MsgInField(e.Msg, field)}
}

// MsgInField returns m with its argument "field" (when it has one) set
// to field: a refusal's message names the field as the request does.
func MsgInField(m *msg.Msg, field string) *msg.Msg {
	if m == nil {
		return nil
	}
	if _, ok := m.Args["field"]; !ok {
		return m
	}
	c := msg.Msg{Code: m.Code, Args: maps.Clone(m.Args)}
	c.Args["field"] = field
	return &c
}
