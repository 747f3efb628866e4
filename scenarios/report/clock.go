package report

import (
	"fmt"
	"math"
	"strconv"
)

// Clock returns s as a drill clock: m:ss under an hour ("0:05", "12:00"),
// h:mm:ss from an hour on ("1:05:00"), rounded to the second. A negative
// span keeps its sign.
func (s Seconds) Clock() string {
	f := float64(s)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "?" // never a valid report, but never a panic either
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	t := int64(math.Round(f))
	h, m, sec := t/3600, t/60%60, t%60
	if h > 0 {
		return fmt.Sprintf("%s%d:%02d:%02d", sign, h, m, sec)
	}
	return fmt.Sprintf("%s%d:%02d", sign, m, sec)
}

// noValue stands in a table cell for a time that did not happen (yet).
const noValue = "—"

// clockOf returns the clock of s, or noValue for nil.
func clockOf(s *Seconds) string {
	if s == nil {
		return noValue
	}
	return s.Clock()
}

// quantity prints an equipment quantity without a needless ".0".
func quantity(q float64) string {
	return strconv.FormatFloat(q, 'f', -1, 64)
}
