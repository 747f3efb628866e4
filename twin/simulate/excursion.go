package simulate

import (
	"math"

	"parktwin/twin"
)

// An excursion drives one sensor past its second limit — up past HH, or
// for a sensor without HH down past LL (oxygen running short) — for two
// to five minutes, then lets it back to its normal value, which lies
// inside the limits by more than the deadband: the alarm is raised, then
// clears. Excursions start at random across the park, on average once
// every Simulator.ExcursionEvery.

// drive is how far an excursion takes a sensor.
type drive struct {
	limit  float64 // HH, or LL
	target float64 // past it
}

// driveOf returns the drive of a sensor with limits l, or nil when it has
// no second limit or its physical range leaves no room past it.
func driveOf(l twin.Limits, deadband, minV, maxV float64) *drive {
	switch {
	case l.HH != nil:
		hh := *l.HH
		step := deadband
		if l.H != nil {
			step = max(step, 0.2*(hh-*l.H))
		}
		if step <= 0 {
			step = 0.05 * max(math.Abs(hh), 1)
		}
		target := min(hh+step, (hh+maxV)/2)
		if !(target > hh) {
			return nil
		}
		return &drive{limit: hh, target: target}
	case l.LL != nil:
		ll := *l.LL
		step := deadband
		if l.L != nil {
			step = max(step, 0.2*(*l.L-ll))
		}
		if step <= 0 {
			step = 0.05 * max(math.Abs(ll), 1)
		}
		target := max(ll-step, (ll+minV)/2)
		if !(target < ll) {
			return nil
		}
		return &drive{limit: ll, target: target}
	}
	return nil
}

// excursion is one sensor's excursion under way: a ramp from its normal
// value to the target, a hold there, a ramp back. Times are in seconds.
type excursion struct {
	start, up, hold, down float64
	target                float64
}

func (e *excursion) end() float64 { return e.start + e.up + e.hold + e.down }

// weight is how far, from 0 to 1, the excursion has taken the value from
// normal to its target at t.
func (e *excursion) weight(t float64) float64 {
	d := t - e.start
	switch {
	case d <= 0:
		return 0
	case d < e.up:
		return d / e.up
	case d < e.up+e.hold:
		return 1
	case d < e.up+e.hold+e.down:
		return 1 - (d-e.up-e.hold)/e.down
	}
	return 0
}

// Ramps are quick, but a sensor with a rate-of-change limit is ramped at
// half that rate, so that an excursion raises its level alarm only (up to
// half an hour: a slower limit trips as well).
const (
	quickRampS  = 30
	minRampS    = 5
	maxRampS    = 1800
	rampOfLimit = 0.5
)

// newExcursion plans an excursion of x that starts at start, from its
// value now, v0, to be past its limit for about hold seconds.
func newExcursion(x *sensor, start, v0, hold float64) *excursion {
	dist := math.Abs(x.drive.target - v0)
	ramp := float64(quickRampS)
	if x.rate > 0 {
		ramp = dist / (rampOfLimit * x.rate) * 60
	}
	ramp = min(max(ramp, minRampS), maxRampS)
	// The ramps spend part of their time past the limit too.
	past := math.Abs(x.drive.target-x.drive.limit) / max(dist, 1e-9)
	return &excursion{
		start:  start,
		up:     ramp,
		hold:   max(hold-2*ramp*min(past, 1), hold/2),
		down:   ramp,
		target: x.drive.target,
	}
}
