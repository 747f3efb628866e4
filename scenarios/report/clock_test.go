package report_test

import (
	"math"
	"testing"

	"parktwin/scenarios/report"
)

func TestClock(t *testing.T) {
	tests := []struct {
		in   report.Seconds
		want string
	}{
		{0, "0:00"},
		{5, "0:05"},
		{59.6, "1:00"}, // rounded to the second
		{720, "12:00"},
		{3599, "59:59"},
		{3600, "1:00:00"},
		{3905, "1:05:05"},
		{36000, "10:00:00"},
		{-5, "-0:05"},
		{report.Seconds(math.NaN()), "?"},
	}
	for _, tt := range tests {
		if got := tt.in.Clock(); got != tt.want {
			t.Errorf("Seconds(%v).Clock() = %q, want %q", float64(tt.in), got, tt.want)
		}
	}
}
