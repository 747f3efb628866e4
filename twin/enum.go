package twin

import (
	"fmt"
	"strings"

	"parktwin/twin/msg"
)

// The enumerations of the model are ints starting at one (zero is unset)
// written as kebab-case words on the wire. names[0] is always "".

func enumText(names []string, v int, what string) ([]byte, error) {
	if v <= 0 || v >= len(names) {
		return nil, Reasoned(EINVALID, "", "unset "+what, msg.New("error.required", "field", ""))
	}
	return []byte(names[v]), nil
}

func enumInto(names []string, b []byte, what string, dst *int) error {
	s := string(b)
	for i, n := range names {
		if i > 0 && n == s {
			*dst = i
			return nil
		}
	}
	return Reasoned(EINVALID, "", fmt.Sprintf("unknown %s %q (want one of %s)", what, s, strings.Join(names[1:], ", ")),
		msg.New("error.enum", "field", "", "got", s, "choices", strings.Join(names[1:], ", ")))
}

func enumString(names []string, v int) string {
	if v <= 0 || v >= len(names) {
		return ""
	}
	return names[v]
}
