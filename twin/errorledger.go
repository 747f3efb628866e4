package twin

import (
	"fmt"
	"strconv"

	"parktwin/twin/msg"
)

// Coded refusals of the warehouses' ledger (post.go, derive.go): what
// can be said of a type, a serial or a lot in a few words.

// bulkNotRepaired is the refusal of a repair of stock counted by
// quantity.
func bulkNotRepaired() *Error {
	return Reasoned(EINVALID, "op", "bulk stock is not repaired: inspect it, adjust it or retire it", msg.New("error.bulkNotRepaired"))
}

// notEquipment is the refusal of field naming got, no type of the
// equipment catalogue.
func notEquipment(field, got, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.notEquipment", "field", field, "got", got))
}

// noSchedule is the refusal of field naming schedule, not one of the
// inspection schedules of type.
func noSchedule(field, typ, schedule, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.noSchedule", "type", typ, "schedule", schedule))
}

// serialState is the refusal of serial of typ, in state, which may not
// move as asked: why is the code of what moves (error.move.<op>). Its
// English is the message's.
func serialState(field, typ, serial string, state AssetState, why string) *Error {
	return coded(ECONFLICT, field, msg.New("error.serialState", "type", typ, "serial", serial, "state", state.String(), "why", msg.New(why)))
}

// notReady is the refusal of an issue of serial of typ, an item not
// ready: in state, or available but due for inspection or past its life.
func notReady(field, typ, serial string, state AssetState) *Error {
	if state == AssetAvailable {
		return coded(ECONFLICT, field, msg.New("error.notReadyDue", "type", typ, "serial", serial))
	}
	return coded(ECONFLICT, field, msg.New("error.notReady", "type", typ, "serial", serial, "state", state.String()))
}

// lotState is the refusal of an issue from lot of typ, in state.
func lotState(field, typ, lot string, state AssetState) *Error {
	return Reasoned(ECONFLICT, field, fmt.Sprintf("lot %s of %s is %s", lot, typ, state),
		msg.New("error.lotState", "type", typ, "lot", lot, "state", state.String()))
}

// quantitySerials is the refusal of a quantity q that does not count the
// n serials named beside it.
func quantitySerials(q float64, n int) *Error {
	got := strconv.FormatFloat(q, 'g', -1, 64)
	return Reasoned(EINVALID, "quantity", fmt.Sprintf("%s, but %d serials", got, n),
		msg.New("error.quantitySerials", "field", "quantity", "got", got, "n", n))
}

// lastTest is the refusal of field, a last test's date d that is none
// or after today.
func lastTest(field string, d Date) *Error {
	const english = "a last test's date, not after today"
	if d.IsZero() {
		return Reasoned(EINVALID, field, english, msg.New("error.required", "field", field))
	}
	return Reasoned(EINVALID, field, english, msg.New("error.afterToday", "field", field, "got", d.String()))
}

// noGeometry is the refusal of a geometry given to an entity of kind k,
// which has none.
func noGeometry(k Kind) *Error {
	return coded(EINVALID, "geometry", msg.New("error.noGeometry", "kind", k.String()))
}
