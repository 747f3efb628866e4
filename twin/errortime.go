package twin

import "parktwin/twin/msg"

// Coded refusals of times and query parameters: a time not in RFC 3339,
// nor a date or a duration where one would do; an end not after its
// start, or not come yet; a span too long; a count out of its range.
// english is the message as precise as the case asks; the console's
// message names field and shows got as it was sent.

// BadTime returns the EINVALID error of field, got not an RFC 3339 time.
func BadTime(field, got, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.time", "field", field, "got", got))
}

// BadTimeOrDate returns the EINVALID error of field, got neither an RFC
// 3339 time nor a date.
func BadTimeOrDate(field, got, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.timeOrDate", "field", field, "got", got))
}

// BadTimeOrDuration returns the EINVALID error of field, got neither an
// RFC 3339 time nor an ISO 8601 duration.
func BadTimeOrDuration(field, got, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.timeOrDuration", "field", field, "got", got))
}

// NotAfter returns the EINVALID error of field, got not after from.
func NotAfter(field, got, from, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.notAfter", "field", field, "got", got, "from", from))
}

// NotBefore returns the EINVALID error of field, got (a start) not
// before to.
func NotBefore(field, got, to, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.notBefore", "field", field, "got", got, "to", to))
}

// NotYet returns the EINVALID error of field, got later than the park's
// clock at now.
func NotYet(field, got, now, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.notYet", "field", field, "got", got, "now", now))
}

// SpanTooLong returns the EINVALID error of field, a span of got from
// its start longer than max (both formatted durations).
func SpanTooLong(field, got, max, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.spanTooLong", "field", field, "got", got, "max", max))
}

// OutOfRange returns the EINVALID error of field, got not a whole number
// from min to max.
func OutOfRange(field, got string, min, max uint64, english string) *Error {
	return Reasoned(EINVALID, field, english, msg.New("error.wholeNumber", "field", field, "got", got, "min", min, "max", max))
}
