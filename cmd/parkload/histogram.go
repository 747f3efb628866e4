package main

import (
	"math/bits"
	"time"
)

// A histogram counts durations in buckets at most 1/64 (1.6 %) of their
// value wide: exact below 64 ns, then 64 linear sub-buckets in each power
// of two. A load run records tens of millions of latencies; a histogram
// holds them in a fixed 18 KiB. The count, the minimum, the maximum and
// the sum are exact.
//
// A histogram is not safe for concurrent use: each stream client keeps
// its own, and they are merged once the clients have stopped.
type histogram struct {
	counts   []uint64
	n        uint64
	negative uint64 // values below zero, counted as zero
	sum      time.Duration
	min, max time.Duration
}

const (
	subBits  = 6
	subCount = 1 << subBits
	// maxValue is the largest value kept apart; larger ones (over 18
	// minutes) fall in the last bucket, and only max tells how large.
	maxValue = 1<<40 - 1
	buckets  = (40-subBits)*subCount + subCount
)

func newHistogram() *histogram {
	return &histogram{counts: make([]uint64, buckets)}
}

// bucketOf returns the bucket of v, 0 ≤ v ≤ maxValue.
func bucketOf(v int64) int {
	if v < subCount {
		return int(v)
	}
	e := bits.Len64(uint64(v)) - subBits - 1 // v>>e is in [64, 128)
	return (e+1)*subCount + int(v>>e) - subCount
}

// highest returns the largest value that falls in bucket i.
func highest(i int) int64 {
	if i < subCount {
		return int64(i)
	}
	e := i/subCount - 1
	sub := int64(i%subCount + subCount)
	return (sub+1)<<e - 1
}

// record counts one duration.
func (h *histogram) record(d time.Duration) {
	if d < 0 {
		h.negative++
		d = 0
	}
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
	h.sum += d
	h.counts[bucketOf(min(int64(d), maxValue))]++
}

// merge adds the counts of o to h.
func (h *histogram) merge(o *histogram) {
	if o.n == 0 {
		return
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.n += o.n
	h.negative += o.negative
	h.sum += o.sum
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// quantile returns the duration below or at which a fraction q of the
// values lie: the highest value of the bucket that holds the value of
// rank ⌈q·n⌉, never above the maximum. Zero when the histogram is empty.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.999999999)
	rank = max(1, min(rank, h.n))
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return max(h.min, min(time.Duration(highest(i)), h.max))
		}
	}
	return h.max
}

// mean returns the average value, zero when the histogram is empty.
func (h *histogram) mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}
