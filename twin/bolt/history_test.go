package bolt_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/telemetry"
)

// t0 is the start of the minute the history tests begin at.
var t0 = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

// exact compares floats by their bits: -0 is not 0, and NaN is NaN.
var exact = cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })

// minute returns the start of minute m after t0.
func minute(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

// bucket returns a bucket of the sensor's readings in minute m whose
// values tell the sensor and the minute apart.
func bucket(sensor string, m int) telemetry.Bucket {
	v := float64(len(sensor)*1000 + m)
	return telemetry.Bucket{
		Sensor: sensor, Minute: minute(m),
		Min: v - 0.5, Max: v + 0.25, Sum: 60 * v, Last: v + 0.125, Count: 60,
		LastT: minute(m).Add(59*time.Second + 123456789),
	}
}

// series returns the sensor's buckets of the minutes from (inclusive) to
// to (exclusive).
func series(sensor string, from, to int) []telemetry.Bucket {
	var bs []telemetry.Bucket
	for m := from; m < to; m++ {
		bs = append(bs, bucket(sensor, m))
	}
	return bs
}

func putBuckets(t testing.TB, db *bolt.DB, bs ...[]telemetry.Bucket) {
	t.Helper()
	for _, b := range bs {
		if err := db.PutBuckets(b); err != nil {
			t.Fatal(err)
		}
	}
}

// history returns the sensor's buckets from from to to.
func history(t testing.TB, db *bolt.DB, sensor string, from, to time.Time) []telemetry.Bucket {
	t.Helper()
	var got []telemetry.Bucket
	err := db.Buckets(sensor, from, to, func(b telemetry.Bucket) error {
		got = append(got, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// allHistory returns every bucket of the sensors, sensor by sensor.
func allHistory(t testing.TB, db *bolt.DB, sensors ...string) []telemetry.Bucket {
	t.Helper()
	var got []telemetry.Bucket
	for _, s := range sensors {
		got = append(got, history(t, db, s, time.Unix(0, 0), time.Unix(1<<40, 0))...)
	}
	return got
}

func lastBuckets(t testing.TB, db *bolt.DB) []telemetry.Bucket {
	t.Helper()
	var got []telemetry.Bucket
	err := db.LastBuckets(func(b telemetry.Bucket) error {
		got = append(got, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestHistoryRoundTrip(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	want := []telemetry.Bucket{
		{Sensor: "SEN-0001", Minute: minute(0), Min: -12.5, Max: 1e300, Sum: 0.1 + 0.2, Last: math.Copysign(0, -1),
			Count: 60, LastT: minute(0).Add(59*time.Second + 999999999)},
		{Sensor: "SEN-0001", Minute: minute(1), Min: math.Inf(-1), Max: math.Inf(1), Sum: math.NaN(),
			Last: math.SmallestNonzeroFloat64, Count: math.MaxUint32, LastT: minute(1).Add(1)},
		{Sensor: "SEN-0001", Minute: minute(2)}, // no readings: zero values and the zero time
		{Sensor: "SEN-0001", Minute: time.Unix(0, 0).UTC(), Min: 1, Max: 1, Sum: 1, Last: 1, Count: 1,
			LastT: time.Unix(0, 0).UTC()}, // the epoch itself, not the zero time
		{Sensor: "气体-03", Minute: minute(0).In(shanghai), Min: math.MaxFloat64, Max: -math.MaxFloat64,
			Sum: 7, Last: 3, Count: 2, LastT: minute(0).Add(time.Second).In(shanghai)},
	}
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	putBuckets(t, db, want)

	got := allHistory(t, db, "SEN-0001", "气体-03")
	// Buckets come back in time order, with times in UTC.
	want = []telemetry.Bucket{want[3], want[0], want[1], want[2], want[4]}
	if diff := cmp.Diff(got, want, exact); diff != "" {
		t.Errorf("buckets (-got +want):\n%s", diff)
	}
	for _, b := range got {
		if b.Minute.Location() != time.UTC || !b.LastT.IsZero() && b.LastT.Location() != time.UTC {
			t.Errorf("bucket of %s at %v: times not in UTC", b.Sensor, b.Minute)
		}
	}
}

func TestHistoryBuckets(t *testing.T) {
	// IDs that are prefixes of one another, and neighbours either side,
	// so that a range scan that strays is seen.
	sensors := []string{"SEN-0", "SEN-1", "SEN-1\x01", "SEN-1 ", "SEN-10", "SEN-100", "SEN-11", "SEN-2"}
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	for _, s := range sensors {
		putBuckets(t, db, series(s, 0, 10))
	}
	tests := []struct {
		name     string
		from, to time.Time
		want     []telemetry.Bucket
	}{
		{"all", minute(0), minute(10), series("SEN-1", 0, 10)},
		{"from inclusive, to exclusive", minute(3), minute(7), series("SEN-1", 3, 7)},
		{"one minute", minute(4), minute(5), series("SEN-1", 4, 5)},
		{"empty range", minute(4), minute(4), nil},
		{"to before from", minute(7), minute(3), nil},
		{"from inside a minute skips it", minute(3).Add(time.Nanosecond), minute(7), series("SEN-1", 4, 7)},
		{"to inside a minute takes it", minute(3), minute(6).Add(30 * time.Second), series("SEN-1", 3, 7)},
		{"from before the first", minute(-100), minute(2), series("SEN-1", 0, 2)},
		{"to after the last", minute(8), minute(1000), series("SEN-1", 8, 10)},
		{"before all", minute(-10), minute(0), nil},
		{"after all", minute(10), minute(20), nil},
		{"zero from", time.Time{}, minute(1), series("SEN-1", 0, 1)},
		{"zero to", minute(0), time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := history(t, db, "SEN-1", tt.from, tt.to)
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("SEN-1 from %v to %v (-got +want):\n%s", tt.from, tt.to, diff)
			}
		})
	}
	for _, s := range sensors {
		if diff := cmp.Diff(history(t, db, s, minute(0), minute(10)), series(s, 0, 10)); diff != "" {
			t.Errorf("%q (-got +want):\n%s", s, diff)
		}
	}
	if got := history(t, db, "SEN-3", minute(0), minute(10)); got != nil {
		t.Errorf("sensor without history: got %d buckets, want none", len(got))
	}
}

// Buckets reads in batches; a long history comes back whole and in order
// across the batches' seams.
func TestHistoryBucketsLong(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	const n = 2*1024 + 7
	putBuckets(t, db, series("SEN-1", 0, n), series("SEN-10", 0, n), series("SEN-0", 0, n))
	for _, r := range [][2]int{{0, n}, {0, 1024}, {0, 1025}, {1, 1025}, {500, 2048}, {1023, n}} {
		got := history(t, db, "SEN-1", minute(r[0]), minute(r[1]))
		if diff := cmp.Diff(got, series("SEN-1", r[0], r[1])); diff != "" {
			t.Errorf("minutes %d to %d (-got +want):\n%s", r[0], r[1], diff)
		}
	}
}

func TestHistoryBucketsStopsOnError(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	putBuckets(t, db, series("SEN-1", 0, 10))
	stop := errors.New("stop")
	calls := 0
	err := db.Buckets("SEN-1", minute(0), minute(10), func(telemetry.Bucket) error {
		if calls++; calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Errorf("got error %v after %d calls, want stop after 3", err, calls)
	}
	calls = 0
	err = db.LastBuckets(func(telemetry.Bucket) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("last buckets: got error %v after %d calls, want stop after 1", err, calls)
	}
}

// fn runs outside any transaction: it may write to the store.
func TestHistoryCallbackMayWrite(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	putBuckets(t, db, series("SEN-1", 0, 3))
	copyTo := func(b telemetry.Bucket) error {
		b.Sensor += "-copy"
		return db.PutBuckets([]telemetry.Bucket{b})
	}
	if err := db.Buckets("SEN-1", minute(0), minute(3), copyTo); err != nil {
		t.Fatal(err)
	}
	if err := db.LastBuckets(copyTo); err != nil {
		t.Fatal(err)
	}
	want := series("SEN-1", 0, 3)
	for i := range want {
		want[i].Sensor = "SEN-1-copy"
	}
	if diff := cmp.Diff(allHistory(t, db, "SEN-1-copy"), want); diff != "" {
		t.Errorf("copies (-got +want):\n%s", diff)
	}
}

func TestHistoryReplace(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	putBuckets(t, db, series("SEN-1", 0, 3), series("SEN-10", 0, 3))

	// A later bucket of the same minute replaces the earlier, and within
	// one batch the later of two wins.
	first, second := bucket("SEN-1", 1), bucket("SEN-1", 1)
	first.Last, first.Count = 100, 61
	second.Last, second.Count = 200, 62
	putBuckets(t, db, []telemetry.Bucket{first}, []telemetry.Bucket{bucket("SEN-1", 2), second})

	want := append(series("SEN-1", 0, 3), series("SEN-10", 0, 3)...)
	want[1] = second
	if diff := cmp.Diff(allHistory(t, db, "SEN-1", "SEN-10"), want); diff != "" {
		t.Errorf("buckets (-got +want):\n%s", diff)
	}
}

func TestHistoryLastBuckets(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	if got := lastBuckets(t, db); got != nil {
		t.Errorf("empty history: got %d buckets, want none", len(got))
	}
	// Enough history that sensors span pages; written out of order.
	putBuckets(t, db,
		series("SEN-10", 0, 300),
		series("SEN-1", 100, 400),
		series("SEN-1\x01", 5, 6),
		series("SEN-100", 0, 1),
		series("SEN-1", 0, 100),
		series("SEN-2", 0, 250),
		series("SEN-10", 300, 310),
		series("A", 0, 2),
	)
	want := []telemetry.Bucket{
		bucket("A", 1),
		bucket("SEN-1", 399),
		bucket("SEN-1\x01", 5),
		bucket("SEN-10", 309),
		bucket("SEN-100", 0),
		bucket("SEN-2", 249),
	}
	if diff := cmp.Diff(lastBuckets(t, db), want); diff != "" {
		t.Errorf("last buckets (-got +want):\n%s", diff)
	}
}

func TestPruneHistory(t *testing.T) {
	sensors := []string{"SEN-1", "SEN-10", "SEN-2"}
	// SEN-1 and SEN-10 hold minutes 0…399 (several pages each), SEN-2
	// only 200…209.
	fill := func(t *testing.T, db *bolt.DB) {
		t.Helper()
		putBuckets(t, db, series("SEN-1", 0, 400), series("SEN-10", 0, 400), series("SEN-2", 200, 210))
	}
	tests := []struct {
		name    string
		before  time.Time
		deleted int
		want    []telemetry.Bucket // of the sensors, in order
	}{
		{"before all", minute(0), 0, concat(series("SEN-1", 0, 400), series("SEN-10", 0, 400), series("SEN-2", 200, 210))},
		{"zero time", time.Time{}, 0, concat(series("SEN-1", 0, 400), series("SEN-10", 0, 400), series("SEN-2", 200, 210))},
		{"one minute", minute(1), 2, concat(series("SEN-1", 1, 400), series("SEN-10", 1, 400), series("SEN-2", 200, 210))},
		{"at a minute's start", minute(205), 415, concat(series("SEN-1", 205, 400), series("SEN-10", 205, 400), series("SEN-2", 205, 210))},
		{"inside a minute takes it", minute(204).Add(time.Nanosecond), 415, concat(series("SEN-1", 205, 400), series("SEN-10", 205, 400), series("SEN-2", 205, 210))},
		{"all of one sensor", minute(210), 430, concat(series("SEN-1", 210, 400), series("SEN-10", 210, 400))},
		{"all", minute(400), 810, nil},
		{"long after all", minute(100000), 810, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
			fill(t, db)
			n, err := db.PruneHistory(tt.before)
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.deleted {
				t.Errorf("deleted: got %d, want %d", n, tt.deleted)
			}
			if diff := cmp.Diff(allHistory(t, db, sensors...), tt.want); diff != "" {
				t.Errorf("left (-got +want):\n%s", diff)
			}
			// Pruning again finds nothing more.
			if n, err := db.PruneHistory(tt.before); err != nil || n != 0 {
				t.Errorf("second prune: got %d, %v, want 0, nil", n, err)
			}
		})
	}
}

func concat(bss ...[]telemetry.Bucket) []telemetry.Bucket {
	var all []telemetry.Bucket
	for _, bs := range bss {
		all = append(all, bs...)
	}
	return all
}

func TestHistorySurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "park.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	putBuckets(t, db, series("SEN-1", 0, 50), series("SEN-10", 0, 30))
	if _, err := db.PruneHistory(minute(10)); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openDB(t, path)
	want := append(series("SEN-1", 10, 50), series("SEN-10", 10, 30)...)
	if diff := cmp.Diff(allHistory(t, db, "SEN-1", "SEN-10"), want); diff != "" {
		t.Errorf("after reopen (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(lastBuckets(t, db), []telemetry.Bucket{bucket("SEN-1", 49), bucket("SEN-10", 29)}); diff != "" {
		t.Errorf("last buckets after reopen (-got +want):\n%s", diff)
	}
}

// A batch with a bucket that cannot be stored is refused whole, with an
// EINVALID error that names the bucket and its field.
func TestPutBucketsInvalid(t *testing.T) {
	good := bucket("SEN-1", 0)
	tests := []struct {
		name  string
		edit  func(*telemetry.Bucket)
		field string
	}{
		{"empty sensor", func(b *telemetry.Bucket) { b.Sensor = "" }, "buckets[1].sensor"},
		{"0x00 in sensor", func(b *telemetry.Bucket) { b.Sensor = "SEN\x001" }, "buckets[1].sensor"},
		{"minute not at its start", func(b *telemetry.Bucket) { b.Minute = b.Minute.Add(time.Second) }, "buckets[1].minute"},
		{"minute off by a nanosecond", func(b *telemetry.Bucket) { b.Minute = b.Minute.Add(-1) }, "buckets[1].minute"},
		{"minute before 1970", func(b *telemetry.Bucket) { b.Minute = time.Unix(-60, 0) }, "buckets[1].minute"},
		{"zero minute", func(b *telemetry.Bucket) { b.Minute = time.Time{} }, "buckets[1].minute"},
		{"negative count", func(b *telemetry.Bucket) { b.Count = -1 }, "buckets[1].count"},
		{"count too large", func(b *telemetry.Bucket) { b.Count = math.MaxUint32 + 1 }, "buckets[1].count"},
		{"lastT too late", func(b *telemetry.Bucket) { b.LastT = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }, "buckets[1].lastT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
			bad := bucket("SEN-1", 1)
			tt.edit(&bad)
			err := db.PutBuckets([]telemetry.Bucket{good, bad})
			if got := twin.ErrorCode(err); got != twin.EINVALID {
				t.Fatalf("got %q (%v), want invalid", got, err)
			}
			if got := twin.ErrorField(err); got != tt.field {
				t.Errorf("field: got %q, want %q", got, tt.field)
			}
			if got := lastBuckets(t, db); got != nil {
				t.Errorf("refused batch wrote %d buckets", len(got))
			}
		})
	}
	db := openDB(t, filepath.Join(t.TempDir(), "park.db"))
	if err := db.Buckets("SEN\x001", minute(0), minute(1), func(telemetry.Bucket) error { return nil }); twin.ErrorCode(err) != twin.EINVALID {
		t.Errorf("buckets of a sensor ID with 0x00: got %v, want invalid", err)
	}
}

// BenchmarkHistoryWrite models 1,000 sensors read once a second: every
// simulated minute one PutBuckets of 1,000 buckets, each standing for 60
// readings, 30 minutes per iteration, on a file that already holds two
// hours or a day of history and keeps growing.
//
// B/reading is the bytes bbolt hands to the file per reading: the pages
// its write transactions allocate (TxStats.GetPageAlloc; every page a
// transaction allocates is written at its commit, and nothing else is)
// plus the one meta page each commit writes. It is what the process asks
// the disk to write; the file system's journal and the device's own
// amplification come on top. The growth of the file would say less:
// freed pages are reused and the file grows in large steps. A bucket
// itself takes about 77 bytes of a page (key, value, element header),
// 1.3 bytes a reading; the rest is whole pages rewritten: every commit
// dirties the page holding each sensor's newest bucket, and the branch
// pages above them.
func BenchmarkHistoryWrite(b *testing.B) {
	const (
		sensors   = 1000
		minutes   = 30 // per iteration
		perBucket = 60 // readings: one a second
	)
	ids := make([]string, sensors)
	for i := range ids {
		ids[i] = fmt.Sprintf("SEN-%04d", i)
	}
	for _, hours := range []int{2, 24} {
		b.Run(fmt.Sprintf("history=%dh", hours), func(b *testing.B) {
			db := openDB(b, filepath.Join(b.TempDir(), "bench.db"))
			m := 0 // the next simulated minute
			// put writes n minutes of every sensor in one PutBuckets.
			put := func(n int) {
				batch := make([]telemetry.Bucket, 0, n*sensors)
				for range n {
					for i, id := range ids {
						v := float64(i) + float64(m%17)
						batch = append(batch, telemetry.Bucket{Sensor: id, Minute: minute(m),
							Min: v, Max: v + 1, Sum: perBucket * (v + 0.5), Last: v + 0.5, Count: perBucket,
							LastT: minute(m).Add(59 * time.Second)})
					}
					m++
				}
				if err := db.PutBuckets(batch); err != nil {
					b.Fatal(err)
				}
			}
			for range hours {
				put(60) // an hour at a time: quicker, and much the same pages
			}
			before := db.Stats()
			commits := 0
			for b.Loop() {
				for range minutes {
					put(1)
					commits++
				}
			}
			after := db.Stats()
			written := after.TxStats.GetPageAlloc() - before.TxStats.GetPageAlloc() + int64(commits*db.PageSize())
			b.ReportMetric(float64(written)/float64(commits*sensors*perBucket), "B/reading")
			b.ReportMetric(float64(commits*sensors)/b.Elapsed().Seconds(), "buckets/s")
		})
	}
}

// BenchmarkHistoryFirstFlush writes the first minute of 100,000 sensors
// into an empty history in one flush, in the scattered order a monitor
// holds them: what a national-scale park's first flush and shutdown do.
// It was 21 s before buckets were put in key order; aim well under the
// shutdown grace (10 s).
func BenchmarkHistoryFirstFlush(b *testing.B) {
	const sensors = 100_000
	minute := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	bs := make([]telemetry.Bucket, sensors)
	for i := range bs {
		bs[i] = telemetry.Bucket{Sensor: fmt.Sprintf("SEN-%06d", i), Minute: minute, Count: 5, Min: 1, Max: 2,
			Sum: 7, Last: 1.5, LastT: minute.Add(time.Second)}
	}
	r := rand.New(rand.NewPCG(1, 1))
	r.Shuffle(len(bs), func(i, j int) { bs[i], bs[j] = bs[j], bs[i] })
	for b.Loop() {
		b.StopTimer()
		db := openDB(b, filepath.Join(b.TempDir(), "history.db"))
		b.StartTimer()
		if err := db.PutBuckets(bs); err != nil {
			b.Fatal(err)
		}
	}
}
