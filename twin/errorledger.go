package twin

import "parktwin/twin/msg"

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
