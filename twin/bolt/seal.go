package bolt

// Faults of the file itself: a value that bit rot changed, a file that is
// empty or not a database at all, a page that does not hold together.
// Each is refused with the file (and the bucket and key) named; none is
// served, none seeded over, none a panic.
//
// Every value of every bucket carries a checksum: CRC-32C (Castagnoli)
// over its key and its bytes, in 4 bytes big-endian after them. bbolt
// checks its own pages' structure, not what they hold; the audit trail's
// hashes vouch for the journal against someone who means it, the
// checksums for every value against the disk. A file from before the
// checksums has them added once, when it is next opened to write.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bbolt "go.etcd.io/bbolt"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sumLen is the size of a value's checksum.
const sumLen = 4

var (
	// keyFormat in meta marks a file whose values carry checksums.
	keyFormat   = []byte("format")
	valueFormat = []byte("crc32c")
	// keySealing in meta is where adding checksums to an older file got
	// to: the bucket and the key last sealed, 0x00 between them. Gone
	// once keyFormat is set.
	keySealing = []byte("sealing")
)

// sealBatch is how many values a transaction of the migration seals: a
// file of years of history is sealed in steps whose dirty pages fit in
// memory, each resumed from where the last one ended. A variable for the
// tests, which make the steps small.
var sealBatch = 50_000

// ErrDamaged is wrapped by every error that says the file is damaged: not
// a database at all, cut short, a page that does not hold together, a
// value whose checksum does not hold.
var ErrDamaged = errors.New("the database file is damaged")

// ErrEmpty is returned by Open for a file of 0 bytes, unless asked to
// take one (Options.AllowEmpty): what a full disk, a failed copy or a
// crash of the file system leaves more often than a file made on purpose.
var ErrEmpty = errors.New("the database file is empty (0 bytes)")

// CorruptError names a stored value whose checksum does not hold.
type CorruptError struct {
	File   string
	Bucket string
	Key    string // as readable as the bucket's keys are
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: bucket %s, key %s: %s", e.File, e.Bucket, e.Key, e.Reason)
}

func (e *CorruptError) Unwrap() error { return ErrDamaged }

// Seal returns value as it is stored under key: followed by its checksum.
// For tools (and tests) that write a file's values by hand.
func Seal(key, value []byte) []byte {
	out := make([]byte, len(value), len(value)+sumLen)
	copy(out, value)
	return binary.BigEndian.AppendUint32(out, checksum(key, value))
}

// Unseal returns what a value stored under key holds, and whether its
// checksum holds. The bytes are v's own.
func Unseal(key, v []byte) ([]byte, bool) {
	if len(v) < sumLen {
		return nil, false
	}
	n := len(v) - sumLen
	return v[:n], binary.BigEndian.Uint32(v[n:]) == checksum(key, v[:n])
}

func checksum(key, value []byte) uint32 {
	return crc32.Update(crc32.Checksum(key, castagnoli), castagnoli, value)
}

// put stores value under key in b, sealed.
func put(b *bbolt.Bucket, key, value []byte) error {
	return b.Put(key, Seal(key, value))
}

// open returns what the value v of key in bucket holds, or a
// *CorruptError when its checksum does not hold. In a file from before
// checksums (opened read-only, so not sealed yet) v is taken as it is.
func (d *DB) open(bucket, key, v []byte) ([]byte, error) {
	if !d.sealed {
		return v, nil
	}
	b, ok := Unseal(key, v)
	if !ok {
		return nil, d.corrupt(bucket, key, v)
	}
	return b, nil
}

func (d *DB) corrupt(bucket, key, v []byte) *CorruptError {
	reason := "the stored value does not match its checksum (bit rot, or a change made outside parkd)"
	if len(v) < sumLen {
		reason = fmt.Sprintf("the stored value is %d bytes, too short to hold its checksum", len(v))
	}
	return &CorruptError{File: d.path, Bucket: string(bucket), Key: readableKey(bucket, key), Reason: reason}
}

// readableKey shows a key of bucket as its bucket's keys mean: the
// journal's and the audit trail's positions as numbers, the history's as
// sensor@minute, text as text, anything else in hex.
func readableKey(bucket, key []byte) string {
	switch {
	case (bytes.Equal(bucket, bucketEvents) || bytes.Equal(bucket, bucketAudit)) && len(key) == 8:
		return strconv.FormatUint(binary.BigEndian.Uint64(key), 10)
	case bytes.Equal(bucket, bucketHistory) && checkKey(key) == nil:
		m := int64(binary.BigEndian.Uint64(key[len(key)-8:]))
		return fmt.Sprintf("%s@%s", key[:len(key)-9], time.Unix(m*60, 0).UTC().Format("2006-01-02T15:04Z"))
	}
	if utf8.Valid(key) && len(key) > 0 && bytes.IndexFunc(key, func(r rune) bool { return !unicode.IsPrint(r) }) < 0 {
		return string(key)
	}
	return fmt.Sprintf("%x", key)
}

// fileSealed reports whether the file's values carry checksums.
func fileSealed(tx *bbolt.Tx) bool {
	meta := tx.Bucket(bucketMeta)
	return meta != nil && meta.Get(keyFormat) != nil
}

// sealFile adds checksums to the values of a file from before them, a
// batch at a time, resuming where a former run stopped; then marks the
// file. A file made now is marked at once: it holds nothing yet.
func (d *DB) sealFile() error {
	for {
		done := false
		err := d.update(func(tx *bbolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta.Get(keyFormat) != nil {
				done = true
				return nil
			}
			var fromBucket, fromKey []byte
			if v := meta.Get(keySealing); v != nil {
				b, ok := Unseal(keySealing, v)
				if !ok {
					return d.corrupt(bucketMeta, keySealing, v)
				}
				name, k, _ := bytes.Cut(b, []byte{0})
				fromBucket, fromKey = bytes.Clone(name), bytes.Clone(k)
			}
			bucket, key, err := sealSome(tx, fromBucket, fromKey, sealBatch)
			if err != nil {
				return err
			}
			if bucket == nil {
				done = true
				if err := meta.Delete(keySealing); err != nil {
					return err
				}
				return put(meta, keyFormat, valueFormat)
			}
			return put(meta, keySealing, append(append(bucket, 0), key...))
		})
		if err != nil {
			return fmt.Errorf("adding checksums to %s: %w", d.path, err)
		}
		if done {
			d.sealed = true
			return nil
		}
	}
}

// sealSome seals up to n values, from the bucket fromBucket after its key
// fromKey (every bucket from the first when fromBucket is nil), in order
// of bucket and key, and returns the bucket and key of the last one
// sealed; nil when every value is sealed. meta's own marks are left out.
func sealSome(tx *bbolt.Tx, fromBucket, fromKey []byte, n int) (bucket, key []byte, err error) {
	var names [][]byte
	err = tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		if fromBucket == nil || bytes.Compare(name, fromBucket) >= 0 {
			names = append(names, bytes.Clone(name))
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	type kv struct{ k, v []byte }
	for _, name := range names {
		b := tx.Bucket(name)
		c := b.Cursor()
		var k, v []byte
		if bytes.Equal(name, fromBucket) && fromKey != nil {
			if k, v = c.Seek(fromKey); bytes.Equal(k, fromKey) {
				k, v = c.Next()
			}
		} else {
			k, v = c.First()
		}
		// Read first, then write: a cursor is not to be moved over a
		// bucket while its values change under it.
		var batch []kv
		for ; k != nil && len(batch) < n; k, v = c.Next() {
			if v == nil && b.Bucket(k) != nil {
				continue // a nested bucket: none of the park's
			}
			if bytes.Equal(name, bucketMeta) && (bytes.Equal(k, keyFormat) || bytes.Equal(k, keySealing)) {
				continue
			}
			batch = append(batch, kv{bytes.Clone(k), bytes.Clone(v)})
		}
		for _, e := range batch {
			if err := put(b, e.k, e.v); err != nil {
				return nil, nil, err
			}
		}
		n -= len(batch)
		if n == 0 {
			return name, batch[len(batch)-1].k, nil
		}
	}
	return nil, nil, nil
}

// ValueStatus is what VerifyValues found.
type ValueStatus struct {
	Sealed  bool            // the file's values carry checksums
	Buckets int             // buckets read
	Values  int             // values read
	Faults  []*CorruptError // the first maxFaults values whose checksum does not hold
	More    int             // faults beyond those
}

// maxFaults bounds the faults VerifyValues lists.
const maxFaults = 20

// VerifyValues reads every value of every bucket and checks its checksum:
// parkd verify's walk of the whole file. A file from before checksums
// (opened read-only, not yet sealed) has none to check: Sealed is false.
func (d *DB) VerifyValues() (ValueStatus, error) {
	st := ValueStatus{Sealed: d.sealed}
	err := d.view(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			st.Buckets++
			return b.ForEach(func(k, v []byte) error {
				if v == nil && b.Bucket(k) != nil {
					return nil
				}
				st.Values++
				if !d.sealed {
					return nil
				}
				if _, err := d.open(name, k, v); err != nil {
					var ce *CorruptError
					if errors.As(err, &ce) && len(st.Faults) < maxFaults {
						st.Faults = append(st.Faults, ce)
					} else {
						st.More++
					}
				}
				return nil
			})
		})
	})
	if err != nil {
		return st, err
	}
	if len(st.Faults)+st.More > 0 {
		return st, &FaultsError{File: d.path, Faults: st.Faults, More: st.More}
	}
	return st, nil
}

// FaultsError lists the values of a file whose checksums fail.
type FaultsError struct {
	File   string
	Faults []*CorruptError // the first maxFaults
	More   int             // and this many more
}

func (e *FaultsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v: %d stored values fail their checksums (bit rot, or changes made outside parkd):",
		e.File, ErrDamaged, len(e.Faults)+e.More)
	for _, f := range e.Faults {
		fmt.Fprintf(&b, "\n\tbucket %s, key %s: %s", f.Bucket, f.Key, f.Reason)
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n\tand %d more", e.More)
	}
	return b.String()
}

func (e *FaultsError) Unwrap() error { return ErrDamaged }

// view and update run fn in a read or a write transaction. A page that
// does not hold together makes bbolt panic, or fault on the file's map:
// either becomes an error that names the file, not the end of the
// process.
func (d *DB) view(fn func(*bbolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer d.recover(&err)
	return d.db.View(fn)
}

func (d *DB) update(fn func(*bbolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer d.recover(&err)
	return d.db.Update(fn)
}

// recover turns a panic in bbolt (or a fault on its map, with
// debug.SetPanicOnFault) into an error naming the file. It must be
// deferred.
func (d *DB) recover(err *error) {
	if r := recover(); r != nil {
		*err = damaged(d.path, r)
	}
}

// damaged is the error for a panic r while reading the file at path.
func damaged(path string, r any) error {
	return fmt.Errorf("%s: %w: reading it failed (%v); check it with parkd verify, or restore a backup", path, ErrDamaged, r)
}

// The start of a bbolt file: two meta pages, each a page header (16
// bytes) then the meta: magic, version, page size, flags, the root
// bucket (16 bytes), the freelist's page, the high-water page, the
// transaction ID, and a 64-bit FNV-1a checksum of what comes before it.
const (
	boltMagic     = 0xED0CDAED
	boltVersion   = 2
	pageHeaderLen = 16
	metaLen       = 64
	metaSumAt     = 56
)

// boltMeta is what checkFile reads of a meta page.
type boltMeta struct {
	pageSize uint32
	highPage uint64 // pages the file must hold
	txid     uint64
}

// readMeta reads the meta page at the start of b, if it is one.
func readMeta(b []byte) (boltMeta, bool) {
	if len(b) < pageHeaderLen+metaLen {
		return boltMeta{}, false
	}
	m := b[pageHeaderLen : pageHeaderLen+metaLen]
	ne := binary.NativeEndian
	if ne.Uint32(m[0:]) != boltMagic || ne.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:metaSumAt])
	if h.Sum64() != ne.Uint64(m[metaSumAt:]) {
		return boltMeta{}, false
	}
	ps := ne.Uint32(m[8:])
	if ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: ps, highPage: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}, true
}

// checkFile says why the file at path cannot be opened as a database,
// before bbolt maps it: empty (ErrEmpty, unless allowEmpty), no valid
// meta page (not a bbolt file, or its start destroyed), or shorter than
// its meta says it is (cut short: bbolt would read past its end). A
// missing file is no fault: Open makes it.
func checkFile(path string, allowEmpty bool) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	size := fi.Size()
	if size == 0 {
		if allowEmpty {
			return nil
		}
		return fmt.Errorf("open %s: %w", path, ErrEmpty)
	}
	head := make([]byte, min(size, 64<<10+pageHeaderLen+metaLen))
	if _, err := io.ReadFull(f, head); err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	// The first meta page is at 0; the second one page on, whatever the
	// page size was (the first may be the one destroyed). The newer of
	// the valid ones is the file's.
	var best boltMeta
	found := false
	if m, ok := readMeta(head); ok {
		best, found = m, true
	}
	for ps := 512; ps <= 64<<10; ps *= 2 {
		if ps >= len(head) {
			break
		}
		if m, ok := readMeta(head[ps:]); ok && int(m.pageSize) == ps && (!found || m.txid > best.txid) {
			best, found = m, true
		}
	}
	if !found {
		return fmt.Errorf("open %s: %w: it is not a park database (no valid bbolt header in its %d bytes); restore a backup (parkd restore) or move it aside",
			path, ErrDamaged, size)
	}
	if need := int64(best.highPage) * int64(best.pageSize); size < need {
		return fmt.Errorf("open %s: %w: it is cut short, %d bytes where its pages need %d; restore a backup (parkd restore)",
			path, ErrDamaged, size, need)
	}
	return nil
}

// walkFile reads every page the file's tree reaches, with bbolt's cursors
// in this goroutine, where a panic on a page that does not hold together
// is caught (view). It must come before the file is opened to write:
// bbolt then finds the free pages by walking the same tree on a
// goroutine of its own, where such a panic ends the process.
func walkFile(path string) error {
	db, err := openBolt(path, &bbolt.Options{Timeout: lockTimeout, ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	d := &DB{db: db, path: path}
	var walk func(b *bbolt.Bucket) error
	walk = func(b *bbolt.Bucket) error {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v != nil {
				continue
			}
			if nb := b.Bucket(k); nb != nil {
				if err := walk(nb); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return d.view(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return walk(b) })
	})
}
