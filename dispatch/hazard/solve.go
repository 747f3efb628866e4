package hazard

import (
	"math"
)

// bisect finds x in [lo, hi] where f(x) = 0, given f(lo) and f(hi) of opposite
// signs, to a relative tolerance of 1e-9 or 200 halvings.
func bisect(f func(float64) float64, lo, hi float64) float64 {
	flo := f(lo)
	for i := 0; i < 200 && hi-lo > 1e-9*math.Max(1, math.Abs(hi)); i++ {
		mid := lo + (hi-lo)/2
		fm := f(mid)
		if (fm > 0) == (flo > 0) {
			lo, flo = mid, fm
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// logGrid returns n points from lo to hi, evenly spaced in log x.
func logGrid(lo, hi float64, n int) []float64 {
	xs := make([]float64, n)
	a, b := math.Log(lo), math.Log(hi)
	for i := range xs {
		xs[i] = math.Exp(a + (b-a)*float64(i)/float64(n-1))
	}
	xs[0], xs[n-1] = lo, hi
	return xs
}

// argmax finds the x in [lo, hi] that maximises f: a scan over a log grid,
// then a golden-section search between the best point's neighbours. f need
// not be smooth at the grid's scale.
func argmax(f func(float64) float64, lo, hi float64) (x, fx float64) {
	const n = 240
	xs := logGrid(lo, hi, n)
	best := 0
	bestF := f(xs[0])
	for i := 1; i < n; i++ {
		if v := f(xs[i]); v > bestF {
			best, bestF = i, v
		}
	}
	a := xs[max(best-1, 0)]
	b := xs[min(best+1, n-1)]
	const g = 0.6180339887498949
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := f(c), f(d)
	for i := 0; i < 100 && b-a > 1e-6*b; i++ {
		if fc > fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = f(d)
		}
	}
	x = (a + b) / 2
	if fx = f(x); fx < bestF {
		return xs[best], bestF
	}
	return x, fx
}

// lastAbove returns the largest x in [lo, hi] where f(x) >= t, scanning a log
// grid and refining the crossing by bisection; ok is false when f < t on the
// whole grid.
func lastAbove(f func(float64) float64, t, lo, hi float64, n int) (x float64, ok bool) {
	xs := logGrid(lo, hi, n)
	for i := n - 1; i >= 0; i-- {
		if f(xs[i]) >= t {
			if i == n-1 {
				return hi, true
			}
			return bisect(func(x float64) float64 { return f(x) - t }, xs[i], xs[i+1]), true
		}
	}
	return 0, false
}

// firstAbove returns the smallest x in [lo, hi] where f(x) >= t.
func firstAbove(f func(float64) float64, t, lo, hi float64, n int) (x float64, ok bool) {
	xs := logGrid(lo, hi, n)
	for i := 0; i < n; i++ {
		if f(xs[i]) >= t {
			if i == 0 {
				return lo, true
			}
			return bisect(func(x float64) float64 { return f(x) - t }, xs[i-1], xs[i]), true
		}
	}
	return 0, false
}
