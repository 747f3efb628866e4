package twin_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
)

// The closed loop's state machines, whole: where a hidden danger may go
// from each state, which order actions each state allows, which alarm
// states may be closed. The console offers exactly these (web/ui/lifecycle.js).
func TestClosedLoopStateMachines(t *testing.T) {
	next := map[string][]string{}
	for _, s := range twin.DangerStates() {
		to := []string{}
		for _, n := range s.Next() {
			to = append(to, n.String())
		}
		next[s.String()] = to
	}
	wantNext := map[string][]string{
		"registered": {"rectifying"},
		"rectifying": {"accepted"},
		"accepted":   {"closed", "rectifying"}, // struck off, or the acceptance failed
		"closed":     {},
	}
	if d := cmp.Diff(next, wantNext); d != "" {
		t.Errorf("danger moves (-got +want):\n%s", d)
	}

	allows := map[string][]string{}
	for _, s := range twin.OrderStates() {
		acts := []string{}
		for _, a := range twin.OrderActions {
			if s.Allows(a) {
				acts = append(acts, a)
			}
		}
		allows[s.String()] = acts
	}
	wantAllows := map[string][]string{
		"issued":       {"ack", "feedback"}, // an answer acknowledges too
		"acknowledged": {"feedback"},
		"answered":     {"close", "return"},
		"returned":     {"feedback"},
		"closed":       {},
	}
	if d := cmp.Diff(allows, wantAllows); d != "" {
		t.Errorf("order actions (-got +want):\n%s", d)
	}

	var closable []string
	for _, s := range twin.AlarmStates() {
		if s.Closable() {
			closable = append(closable, s.String())
		}
	}
	if d := cmp.Diff(closable, []string{"cleared"}); d != "" {
		t.Errorf("closable alarm states (-got +want):\n%s", d)
	}
}
