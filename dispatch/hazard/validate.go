package hazard

import (
	"math"
	"strconv"

	"parktwin/twin"
)

// within refuses v unless lo <= v <= hi; NaN fails every comparison and is
// refused with it. why says which model's range it is.
func within(field string, v, lo, hi float64, unit, why string) error {
	if !(v >= lo && v <= hi) {
		return twin.Invalid(field, "must be between %g and %g %s%s (got %s)", lo, hi, unit, why, show(v))
	}
	return nil
}

// positive refuses v unless 0 < v <= hi.
func positive(field string, v, hi float64, unit string) error {
	if !(v > 0 && v <= hi) {
		return twin.Invalid(field, "must be greater than 0 and at most %g %s (got %s)", hi, unit, show(v))
	}
	return nil
}

func show(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		return "Inf"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// finite reports whether every value is a finite number; models check their
// outputs with it so that a numeric accident becomes an error, not a NaN.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// errNumeric is what a model returns when, despite valid inputs, a result is
// not a finite number: a bug, reported as such.
func errNumeric(model string) error {
	return twin.Errorf(twin.EINTERNAL, "", "%s: result is not a finite number", model)
}

// invalidf is twin.Invalid, shorter.
func invalidf(field, format string, args ...any) error {
	return twin.Invalid(field, format, args...)
}
