package twin

import "strings"

// The enumerations of the model are ints starting at one (zero is unset)
// written as kebab-case words on the wire. names[0] is always "".

func enumText(names []string, v int, what string) ([]byte, error) {
	if v <= 0 || v >= len(names) {
		return nil, Invalid("", "unset %s", what)
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
	return Invalid("", "unknown %s %q (want one of %s)", what, s, strings.Join(names[1:], ", "))
}

func enumString(names []string, v int) string {
	if v <= 0 || v >= len(names) {
		return ""
	}
	return names[v]
}
