package simulate

import "math"

// level is a tank's liquid level as transfers move it: filling or
// emptying at a steady few centimetres a minute to a turning point near
// one end of its band, standing idle a while, then moving back. The
// motion is exact however far it is advanced at once, so the level at a
// time hardly depends on how often it is read.
type level struct {
	key    uint64
	lo, hi float64 // the band it moves in, m
	x      float64 // m
	target float64 // where the transfer under way stops, m
	speed  float64 // m/s, > 0
	idle   float64 // seconds before the next transfer starts
	turns  uint64
}

// maxAdvanceS bounds one step: after a longer silence the tank is taken
// up where it was left an hour later.
const maxAdvanceS = 3600

func newLevel(key uint64, lo, hi float64) *level {
	l := &level{key: key, lo: lo, hi: hi}
	l.x = lo + (hi-lo)*unit(key, 1)
	l.speed = transferSpeed(unit(key, 2))
	switch u := unit(key, 3); {
	case u < 0.45: // filling
		l.target = hi - 0.3*(hi-lo)*unit(key, 4)
	case u < 0.9: // emptying
		l.target = lo + 0.3*(hi-lo)*unit(key, 4)
	default: // idle for up to two hours
		l.target = l.x
		l.idle = 7200 * unit(key, 4)
	}
	return l
}

// transferSpeed is 1 to 4 cm/min, in m/s.
func transferSpeed(u float64) float64 { return (0.01 + 0.03*u) / 60 }

// advance moves the level on by dt seconds.
func (l *level) advance(dt float64) {
	dt = min(dt, maxAdvanceS)
	for dt > 0 {
		if l.idle > 0 {
			d := min(dt, l.idle)
			l.idle -= d
			dt -= d
			continue
		}
		need := math.Abs(l.target-l.x) / l.speed
		if need > dt {
			l.x += math.Copysign(l.speed*dt, l.target-l.x)
			return
		}
		dt -= need
		l.x = l.target
		l.turn()
	}
}

// turn ends a transfer: the tank stands idle 5 minutes to 2 hours, then
// moves the other way, to a point within the outer 30 % of its band.
func (l *level) turn() {
	l.turns++
	k := mix(l.key ^ l.turns)
	l.speed = transferSpeed(unit(k, 1))
	l.idle = 300 + 6900*unit(k, 2)
	if l.x >= (l.lo+l.hi)/2 {
		l.target = l.lo + 0.3*(l.hi-l.lo)*unit(k, 3)
	} else {
		l.target = l.hi - 0.3*(l.hi-l.lo)*unit(k, 3)
	}
}

// direction is +1 while filling, -1 while emptying, 0 while idle.
func (l *level) direction() int {
	switch {
	case l.idle > 0 || l.target == l.x:
		return 0
	case l.target > l.x:
		return 1
	}
	return -1
}
