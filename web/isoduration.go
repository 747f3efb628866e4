package web

// ISO 8601 durations, as the drills' and replays' controls take and give
// them ("PT25M").

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var isoPattern = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// parseISODuration reads an ISO 8601 duration of weeks, days, hours,
// minutes and seconds (a day is 24 hours); years and months, whose
// length varies, are not taken.
func parseISODuration(s string) (time.Duration, bool) {
	m := isoPattern.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] == "" {
			continue
		}
		v, err := strconv.ParseFloat(m[i+1], 64)
		if err != nil || v*float64(unit) > math.MaxInt64/2 {
			return 0, false
		}
		d += time.Duration(v * float64(unit))
	}
	return d, true
}

// formatISODuration writes d as an ISO 8601 duration, to the second.
func formatISODuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	out := "PT"
	if h > 0 {
		out += fmt.Sprintf("%dH", h)
	}
	if m > 0 {
		out += fmt.Sprintf("%dM", m)
	}
	if s > 0 || out == "PT" {
		out += fmt.Sprintf("%dS", s)
	}
	return out
}
