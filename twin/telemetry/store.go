package telemetry

import (
	"context"
	"fmt"
	"slices"
	"time"

	"parktwin/twin"
)

// Flush writes the minutes that have closed since the last flush, and
// prunes history past its retention once an hour.
func (m *Monitor) Flush(ctx context.Context) error { return m.flush(false) }

// FlushAll writes every bucket, the current minutes too: at shutdown, so
// that a restart finds each sensor's last value.
func (m *Monitor) FlushAll(ctx context.Context) error { return m.flush(true) }

func (m *Monitor) flush(all bool) error {
	if m.hist == nil {
		return nil
	}
	m.mu.Lock()
	batch := m.pending
	m.pending = nil
	if all {
		for _, sl := range m.slots {
			if sl.bucket.Count > 0 {
				batch = append(batch, sl.bucket)
			}
		}
	}
	now := m.clock.Now()
	prune := now.Sub(m.lastPrune) >= time.Hour
	if prune {
		m.lastPrune = now
	}
	m.mu.Unlock()
	if len(batch) > 0 {
		if err := m.hist.PutBuckets(batch); err != nil {
			if twin.ErrorCode(err) == twin.EINVALID {
				// A bucket the store will never take would block all
				// history behind it.
				return fmt.Errorf("%d buckets refused, dropped: %w", len(batch), err)
			}
			// Keep them for the next flush: nothing taken is dropped.
			m.mu.Lock()
			m.pending = append(batch, m.pending...)
			m.mu.Unlock()
			return err
		}
	}
	if prune {
		if _, err := m.hist.PruneHistory(now.Add(-m.rules.History.Retention.D())); err != nil {
			return err
		}
	}
	return nil
}

// History returns a sensor's one-minute buckets from from to to, the
// minutes not yet written included.
func (m *Monitor) History(sensor string, from, to time.Time) ([]Bucket, error) {
	m.mu.Lock()
	sl, ok := m.slots[sensor]
	var recent []Bucket
	if ok {
		for _, b := range m.pending {
			if b.Sensor == sensor {
				recent = append(recent, b)
			}
		}
		if sl.bucket.Count > 0 {
			recent = append(recent, sl.bucket)
		}
	}
	m.mu.Unlock()
	byMinute := map[int64]Bucket{}
	if m.hist != nil {
		err := m.hist.Buckets(sensor, from, to, func(b Bucket) error {
			byMinute[b.Minute.Unix()] = b
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, b := range recent {
		if !b.Minute.Before(from) && b.Minute.Before(to) {
			byMinute[b.Minute.Unix()] = b // newer than what was written
		}
	}
	out := make([]Bucket, 0, len(byMinute))
	for _, b := range byMinute {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Bucket) int { return a.Minute.Compare(b.Minute) })
	return out, nil
}
