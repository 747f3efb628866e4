package simulate

import "math"

// The simulator's randomness that must not depend on how often it is
// asked — a sensor's noise, a tank's thermal character, the turns of its
// level — comes from hashing the seed with the sensor or tank and with
// time, not from a shared stream.

// mix is the SplitMix64 finaliser: a bijection of uint64 that spreads
// every input bit over the output.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// keyOf hashes the seed with a name (a sensor's or a tank's ID).
func keyOf(seed uint64, name string) uint64 {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	return mix(seed ^ mix(h))
}

// unit returns the n-th uniform number in [0, 1) of a key.
func unit(key, n uint64) float64 {
	return float64(mix(key^mix(n))>>11) / (1 << 53)
}

// smooth returns value noise in [-1, 1] at x: uniform values at the
// integers, joined by smoothstep, so that it changes at most 3 per unit
// of x and never jumps.
func smooth(key uint64, x float64) float64 {
	k := math.Floor(x)
	f := x - k
	i := uint64(int64(k))
	a, b := 2*unit(key, i)-1, 2*unit(key, i+1)-1
	return a + (b-a)*f*f*(3-2*f)
}

// noise is a sensor's measurement noise: a slow wander and a fast
// flicker, each value noise of its own amplitude and period (seconds).
type noise struct {
	slowAmp, slowS float64
	fastAmp, fastS float64
}

// at returns the noise of key at t seconds.
func (n noise) at(key uint64, t float64) float64 {
	v := 0.0
	if n.slowAmp != 0 {
		v += n.slowAmp * smooth(key, t/n.slowS)
	}
	if n.fastAmp != 0 {
		v += n.fastAmp * smooth(mix(key+1), t/n.fastS)
	}
	return v
}
