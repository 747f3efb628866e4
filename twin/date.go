package twin

import (
	"fmt"
	"time"

	"parktwin/twin/msg"
)

// Date is a calendar day, written "2006-01-02" on the wire. The zero Date
// is unset and written as "".
type Date struct{ t time.Time }

// NewDate returns the date of t's year, month and day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return d.t }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalText writes the date as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return Reasoned(EINVALID, "", fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", b), msg.New("error.date", "field", "", "got", string(b)))
	}
	*d = Date{t}
	return nil
}
