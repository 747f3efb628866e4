package main

import (
	"testing"
	"time"
)

// Quantiles are within a bucket's width (1/64) of the exact ones, never
// below them, and never above the maximum.
func TestHistogramQuantiles(t *testing.T) {
	tests := []struct {
		name   string
		values func(i int) time.Duration
		n      int
	}{
		{"uniform 1 ms to 1 s", func(i int) time.Duration { return time.Duration(i+1) * time.Millisecond }, 1000},
		{"exact below 64 ns", func(i int) time.Duration { return time.Duration(i) }, 64},
		{"one value", func(int) time.Duration { return 42 * time.Millisecond }, 1},
		{"skewed", func(i int) time.Duration { return time.Duration(i*i) * time.Microsecond }, 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHistogram()
			exact := make([]time.Duration, tt.n)
			for i := range tt.n {
				exact[i] = tt.values(i)
				h.record(exact[i])
			}
			// values are recorded in rising order
			for _, q := range []float64{0, 0.5, 0.9, 0.99, 1} {
				rank := max(1, int(q*float64(tt.n)+0.999999999))
				want := exact[rank-1]
				got := h.quantile(q)
				if got < want || float64(got-want) > float64(want)/64+1 {
					t.Errorf("quantile(%v): got %v, want %v (within 1/64 above)", q, got, want)
				}
			}
			if got, want := h.max, exact[tt.n-1]; got != want {
				t.Errorf("max: got %v, want %v", got, want)
			}
			if got, want := h.quantile(1), exact[tt.n-1]; got != want {
				t.Errorf("quantile(1): got %v, want %v", got, want)
			}
		})
	}
}

func TestHistogramBuckets(t *testing.T) {
	prev := -1
	for _, v := range []int64{0, 1, 63, 64, 65, 127, 128, 129, 255, 256, 1e3, 1e6, 1e9, maxValue} {
		b := bucketOf(v)
		if b < prev || b >= buckets {
			t.Fatalf("bucketOf(%d) = %d after %d (of %d)", v, b, prev, buckets)
		}
		if hi := highest(b); hi < v || float64(hi-v) > float64(v)/64 {
			t.Errorf("highest(bucketOf(%d)) = %d", v, hi)
		}
		prev = b
	}
}

func TestHistogramMerge(t *testing.T) {
	a, b, all := newHistogram(), newHistogram(), newHistogram()
	for i := range 100 {
		d := time.Duration(i) * time.Millisecond
		all.record(d)
		if i%3 == 0 {
			a.record(d)
		} else {
			b.record(d)
		}
	}
	b.record(-time.Millisecond) // counted as zero
	all.record(-time.Millisecond)
	merged := newHistogram()
	merged.merge(a)
	merged.merge(b)
	merged.merge(newHistogram())
	for _, q := range []float64{0.1, 0.5, 0.99} {
		if got, want := merged.quantile(q), all.quantile(q); got != want {
			t.Errorf("quantile(%v): got %v, want %v", q, got, want)
		}
	}
	if merged.n != all.n || merged.min != all.min || merged.max != all.max || merged.mean() != all.mean() || merged.negative != 1 {
		t.Errorf("merged: n %d min %v max %v mean %v negative %d; want n %d min %v max %v mean %v",
			merged.n, merged.min, merged.max, merged.mean(), merged.negative, all.n, all.min, all.max, all.mean())
	}
	if got := newHistogram().quantile(0.5); got != 0 {
		t.Errorf("empty: got %v", got)
	}
}
