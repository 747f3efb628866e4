package telemetry

import "time"

// Bucket is one sensor's readings in one minute, downsampled.
type Bucket struct {
	Sensor string
	Minute time.Time // the minute's start, UTC
	Min    float64
	Max    float64
	Sum    float64
	Last   float64
	Count  int
	LastT  time.Time // the time of the last reading
}

// Mean returns the mean of the bucket's readings.
func (b Bucket) Mean() float64 {
	if b.Count == 0 {
		return 0
	}
	return b.Sum / float64(b.Count)
}

// add folds a reading into the bucket.
func (b *Bucket) add(v float64, t time.Time) {
	if b.Count == 0 {
		b.Min, b.Max = v, v
	}
	b.Min, b.Max = min(b.Min, v), max(b.Max, v)
	b.Sum += v
	b.Last, b.LastT = v, t
	b.Count++
}

// HistoryStore keeps the buckets durable. twin/bolt implements it.
type HistoryStore interface {
	// PutBuckets writes the buckets in one transaction, replacing any
	// bucket of the same sensor and minute.
	PutBuckets(bs []Bucket) error
	// Buckets calls fn with the sensor's buckets from from (inclusive) to
	// to (exclusive), in time order.
	Buckets(sensor string, from, to time.Time, fn func(Bucket) error) error
	// LastBuckets calls fn with the latest bucket of every sensor.
	LastBuckets(fn func(Bucket) error) error
	// PruneHistory deletes every bucket of a minute before before and
	// returns how many it deleted.
	PruneHistory(before time.Time) (int, error)
}
