package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// bucketHistory holds the one-minute telemetry buckets. A key is the
// sensor ID, a 0x00 byte and the minute's start as 8 bytes big-endian
// minutes since the Unix epoch, so keys sort by sensor and then by time;
// sensor IDs may not contain 0x00. A value is historyValueLen bytes, all
// big-endian: Min, Max, Sum and Last as float64 bits, Count as uint32 and
// LastT as int64 Unix nanoseconds (math.MinInt64 for the zero time).
var bucketHistory = []byte("history")

const (
	historyValueLen = 4*8 + 4 + 8
	// historyBatch is how many buckets Buckets reads in one read
	// transaction before it hands them to fn, outside the transaction.
	historyBatch = 1024
	// zeroLastT stands for the zero time.Time, which has no Unix
	// nanoseconds.
	zeroLastT = math.MinInt64
)

// The times whose Unix nanoseconds fit in an int64.
var (
	minLastT = time.Unix(0, math.MinInt64+1)
	maxLastT = time.Unix(0, math.MaxInt64)
)

var _ telemetry.HistoryStore = (*DB)(nil)

// PutBuckets writes the buckets in one transaction, replacing any bucket
// of the same sensor and minute; of two in bs with the same sensor and
// minute the later wins. A bucket that cannot be stored (an empty sensor
// ID or one holding a 0x00 byte, a minute that is not a minute's start or
// is before 1970, a negative count or one above 2³²−1, a LastT outside
// the years 1678–2262) makes it write nothing and return an EINVALID
// error that names the bucket.
func (d *DB) PutBuckets(bs []telemetry.Bucket) error {
	if len(bs) == 0 {
		return nil
	}
	for i, b := range bs {
		if err := checkBucket(b); err != nil {
			err.Field = fmt.Sprintf("buckets[%d].%s", i, err.Field)
			return err
		}
	}
	// In key order: bbolt splits nodes only at commit, so keys put in
	// random order into a sparse part of the tree each go into the middle
	// of one ever larger node. 100,000 sensors' first buckets took 21 s
	// that way (a national park's shutdown ran for minutes), 0.15 s in
	// order. Stable, so that the later of two buckets of one minute wins.
	bs = slices.Clone(bs)
	slices.SortStableFunc(bs, func(a, b telemetry.Bucket) int {
		if c := strings.Compare(a.Sensor, b.Sensor); c != 0 {
			return c
		}
		return a.Minute.Compare(b.Minute)
	})
	err := d.update(func(tx *bbolt.Tx) error {
		h := tx.Bucket(bucketHistory)
		// Each sensor's keys only grow in time, so pages left behind a
		// sensor's newest bucket are never written again (until they are
		// pruned): pack them fuller than bbolt's half. Not full: a key
		// goes in at the end of its sensor's run, in the middle of the
		// tree, and a page split at 100% keeps the full page on the left,
		// so the next minute splits it again and leaves behind a page of
		// two keys, every time. A day of 1,000 sensors written minute by
		// minute from empty: at 1.0 bbolt wrote 9.5 GiB and left a file
		// of 161 MiB and a tree 5 deep; at 0.9 7.6 GiB, 146 MiB, 4 deep;
		// at the default 0.5 7.4 GiB, 225 MiB.
		h.FillPercent = 0.9
		// bbolt keeps the key and the value until the commit, so both
		// are fresh for every bucket.
		for _, b := range bs {
			if err := d.put(h, historyKey(b.Sensor, unixMinute(b.Minute)), encodeBucket(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put %d history buckets: %w", len(bs), err)
	}
	return nil
}

// Buckets calls fn with the sensor's buckets from from (inclusive) to to
// (exclusive), in time order. It reads them in batches, each in its own
// read transaction, and calls fn outside any transaction, so fn may take
// its time and may write to the DB; a bucket written meanwhile may or may
// not be seen. It returns fn's first error as it is.
func (d *DB) Buckets(sensor string, from, to time.Time, fn func(telemetry.Bucket) error) error {
	if err := checkSensor(sensor); err != nil {
		return err
	}
	lo, hi := max(minuteAtOrAfter(from), 0), minuteAtOrAfter(to)
	batch := make([]telemetry.Bucket, 0, historyBatch)
	for lo < hi {
		batch = batch[:0]
		err := d.view(func(tx *bbolt.Tx) error {
			c := tx.Bucket(bucketHistory).Cursor()
			end := historyKey(sensor, hi)
			for k, v := c.Seek(historyKey(sensor, lo)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
				v, err := d.open(bucketHistory, k, v)
				if err != nil {
					return err
				}
				b, err := decodeBucket(k, v)
				if err != nil {
					return err
				}
				if batch = append(batch, b); len(batch) == cap(batch) {
					break
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("history of %s: %w", sensor, err)
		}
		for _, b := range batch {
			if err := fn(b); err != nil {
				return err
			}
		}
		if len(batch) < cap(batch) {
			return nil
		}
		lo = unixMinute(batch[len(batch)-1].Minute) + 1
	}
	return nil
}

// LastBuckets calls fn with the latest bucket of every sensor, in order of
// sensor ID. It reads them all in one read transaction and calls fn after
// it has ended. It returns fn's first error as it is.
func (d *DB) LastBuckets(fn func(telemetry.Bucket) error) error {
	var last []telemetry.Bucket
	err := d.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketHistory).Cursor()
		k, _ := c.First()
		for k != nil {
			sensor, err := keySensor(k)
			if err != nil {
				return err
			}
			// The first key past the sensor's own: its ID and 0x01
			// sorts after every key of the sensor (ID, 0x00, minute)
			// and before the keys of any longer ID it is a prefix of.
			next, _ := c.Seek(append(sensor, 0x01))
			var lk, lv []byte
			if next == nil {
				lk, lv = c.Last()
			} else {
				lk, lv = c.Prev()
			}
			lv, err = d.open(bucketHistory, lk, lv)
			if err != nil {
				return err
			}
			b, err := decodeBucket(lk, lv)
			if err != nil {
				return err
			}
			last = append(last, b)
			k = next
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("last history buckets: %w", err)
	}
	for _, b := range last {
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

// PruneHistory deletes every bucket of a minute before before, of every
// sensor, in one transaction, and returns how many it deleted.
func (d *DB) PruneHistory(before time.Time) (int, error) {
	cut := minuteAtOrAfter(before)
	if cut <= 0 {
		return 0, nil // no bucket is before 1970
	}
	n := 0
	err := d.update(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketHistory).Cursor()
		k, _ := c.First()
		for k != nil {
			sensor, err := keySensor(k)
			if err != nil {
				return err
			}
			end := historyKey(string(sensor), cut)
			for k != nil && bytes.Compare(k, end) < 0 {
				// A cursor's Next after Delete skips a key: seek
				// instead to the deleted key, which finds the one
				// after it. k may live in the page being changed, so
				// seek with a copy.
				del := bytes.Clone(k)
				if err := c.Delete(); err != nil {
					return err
				}
				n++
				k, _ = c.Seek(del)
			}
			k, _ = c.Seek(append(sensor, 0x01))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune history before %s: %w", before.UTC().Format(time.RFC3339), err)
	}
	return n, nil
}

// checkBucket says why b cannot be stored, or returns nil.
func checkBucket(b telemetry.Bucket) *twin.Error {
	if err := checkSensor(b.Sensor); err != nil {
		return err
	}
	switch {
	case b.Minute.Unix() < 0:
		return twin.Invalid("minute", "%s is before 1970", b.Minute.UTC().Format(time.RFC3339Nano))
	case b.Minute.Unix()%60 != 0 || b.Minute.Nanosecond() != 0:
		return twin.Invalid("minute", "%s is not the start of a minute", b.Minute.UTC().Format(time.RFC3339Nano))
	case b.Count < 0 || int64(b.Count) > math.MaxUint32:
		return twin.Invalid("count", "%d is out of range 0…%d", b.Count, uint32(math.MaxUint32))
	case !b.LastT.IsZero() && (b.LastT.Before(minLastT) || b.LastT.After(maxLastT)):
		return twin.Invalid("lastT", "%s is outside the years 1678–2262", b.LastT.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// checkSensor says why id cannot be a sensor's key in the history, or
// returns nil.
func checkSensor(id string) *twin.Error {
	switch {
	case id == "":
		return twin.Invalid("sensor", "empty sensor ID")
	case strings.IndexByte(id, 0) >= 0:
		return twin.Invalid("sensor", "sensor ID %q holds a 0x00 byte", id)
	}
	return nil
}

// unixMinute returns the number of the minute of t since the Unix epoch,
// rounded down.
func unixMinute(t time.Time) int64 {
	s := t.Unix()
	m := s / 60
	if s%60 < 0 {
		m--
	}
	return m
}

// minuteAtOrAfter returns the number since the Unix epoch of the first
// minute that starts at or after t.
func minuteAtOrAfter(t time.Time) int64 {
	m := unixMinute(t)
	if t.Unix()-m*60 != 0 || t.Nanosecond() != 0 {
		m++
	}
	return m
}

// historyKey returns the key of the sensor's bucket of minute m; m must
// not be negative.
func historyKey(sensor string, m int64) []byte {
	k := make([]byte, 0, len(sensor)+1+8)
	k = append(k, sensor...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(m))
}

// checkKey says why k is not a key of the history, or returns nil.
func checkKey(k []byte) error {
	if len(k) < 1+1+8 || k[len(k)-9] != 0 {
		return fmt.Errorf("history key %q: not sensor, 0x00, minute", k)
	}
	return nil
}

// keySensor returns a copy of the sensor ID of key k: k may be bbolt's
// memory, which must not be kept or appended to.
func keySensor(k []byte) ([]byte, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	return bytes.Clone(k[:len(k)-9]), nil
}

func encodeBucket(b telemetry.Bucket) []byte {
	v := make([]byte, 0, historyValueLen)
	v = binary.BigEndian.AppendUint64(v, math.Float64bits(b.Min))
	v = binary.BigEndian.AppendUint64(v, math.Float64bits(b.Max))
	v = binary.BigEndian.AppendUint64(v, math.Float64bits(b.Sum))
	v = binary.BigEndian.AppendUint64(v, math.Float64bits(b.Last))
	v = binary.BigEndian.AppendUint32(v, uint32(b.Count))
	lastT := int64(zeroLastT)
	if !b.LastT.IsZero() {
		lastT = b.LastT.UnixNano()
	}
	return binary.BigEndian.AppendUint64(v, uint64(lastT))
}

// decodeBucket decodes a key and value of the history. The bucket shares
// no memory with them.
func decodeBucket(k, v []byte) (telemetry.Bucket, error) {
	if err := checkKey(k); err != nil {
		return telemetry.Bucket{}, err
	}
	if len(v) != historyValueLen {
		return telemetry.Bucket{}, fmt.Errorf("history key %q: value of %d bytes, want %d", k, len(v), historyValueLen)
	}
	m := int64(binary.BigEndian.Uint64(k[len(k)-8:]))
	b := telemetry.Bucket{
		Sensor: string(k[:len(k)-9]),
		Minute: time.Unix(m*60, 0).UTC(),
		Min:    math.Float64frombits(binary.BigEndian.Uint64(v[0:])),
		Max:    math.Float64frombits(binary.BigEndian.Uint64(v[8:])),
		Sum:    math.Float64frombits(binary.BigEndian.Uint64(v[16:])),
		Last:   math.Float64frombits(binary.BigEndian.Uint64(v[24:])),
		Count:  int(binary.BigEndian.Uint32(v[32:])),
	}
	if lastT := int64(binary.BigEndian.Uint64(v[36:])); lastT != zeroLastT {
		b.LastT = time.Unix(0, lastT).UTC()
	}
	return b, nil
}
