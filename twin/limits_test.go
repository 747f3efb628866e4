package twin_test

import (
	"strings"
	"testing"

	"parktwin/twin"
)

// CheckLimits names the field over its limit by its JSON path: through
// lists, maps, embedded structs and an array at the top (a document).
func TestCheckLimitsNamesTheField(t *testing.T) {
	long := strings.Repeat("名", twin.MaxName+1)
	type line struct {
		Name string `json:"name"`
		Note string `json:"note"`
	}
	type Inner struct {
		Lines []line `json:"lines"`
	}
	type body struct {
		Inner
		ID    string          `json:"-"`
		Items map[string]line `json:"items"`
	}
	for _, c := range []struct {
		v     any
		field string
	}{
		{&body{Inner: Inner{Lines: []line{{}, {Name: long}}}}, "lines[1].name"},
		{body{Items: map[string]line{"k": {Name: long}}}, "items.k.name"},
		{[]line{{}, {}, {Name: long}}, "[2].name"},
		{&[]*line{{Note: strings.Repeat("x", twin.MaxText+1)}}, "[0].note"},
		{body{ID: long}, ""},
		{body{Items: map[string]line{"k": {Note: long}}}, ""},
	} {
		err := twin.CheckLimits(c.v)
		var got string
		if err != nil {
			got = err.(*twin.Error).Field
			if got == "" || twin.ErrorCode(err) != twin.EINVALID {
				t.Errorf("%T: %v", c.v, err)
			}
		}
		if got != c.field {
			t.Errorf("%T: field %q, want %q (%v)", c.v, got, c.field, err)
		}
	}
}
