// Package bolt keeps a twin durable in a bbolt file: the current entities
// as GeoJSON Features, the journal of events, and the sequence number of
// the last event, all written in one transaction per commit; and the
// sensors' one-minute history (history.go), written in batches.
package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
)

var (
	bucketMeta     = []byte("meta")
	bucketEntities = []byte("entities") // kind "/" id → version (8 bytes big-endian) + Feature JSON
	bucketEvents   = []byte("events")   // seq, 8 bytes big-endian → event JSON
	bucketRetired  = []byte("retired")  // kind "/" id of every deleted entity → nothing
	keySeq         = []byte("seq")
)

// lockTimeout is how long Open waits for another process to let go of the
// file before it gives up and says so.
const lockTimeout = 500 * time.Millisecond

// DB is a twin's store in a bbolt file. It implements twin.Store and
// telemetry.HistoryStore.
type DB struct {
	db   *bbolt.DB
	path string
	// sealed: the file's values carry checksums (seal.go). Always so once
	// Open returns; a file from before them opened read-only is not.
	sealed  bool
	observe atomic.Pointer[CommitObserver] // observe.go
	// anchorKey anchors the audit trail's head (anchor.go); nil: none.
	anchorKey atomic.Pointer[[]byte]
}

// ErrLocked is returned by Open when another process holds the file.
var ErrLocked = errors.New("the database is in use by another process (is another parkd running on it?)")

// Options tunes OpenWith.
type Options struct {
	// AllowEmpty takes a file of 0 bytes for a new database (parkd
	// --demo); without it such a file is refused with ErrEmpty.
	AllowEmpty bool
}

// Open opens or creates the database file at path. Only one process may
// hold it: a second Open elsewhere fails with ErrLocked. A file of 0
// bytes is refused (ErrEmpty), and a damaged one (ErrDamaged) with the
// file named, before bbolt maps it where it can be told. A file written
// before deleted IDs were kept has them filled in from its journal; one
// written before values carried checksums has them added (seal.go).
func Open(path string) (*DB, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, o Options) (*DB, error) {
	if err := checkFile(path, o.AllowEmpty); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		if err := walkFile(path); err != nil {
			return nil, err
		}
	}
	db, err := openBolt(path, &bbolt.Options{
		Timeout:        lockTimeout,
		FreelistType:   bbolt.FreelistMapType,
		NoFreelistSync: true,
	})
	if err != nil {
		return nil, err
	}
	d := &DB{db: db, path: path}
	err = d.update(func(tx *bbolt.Tx) error {
		d.sealed = fileSealed(tx)
		upgrade := tx.Bucket(bucketRetired) == nil
		for _, b := range [][]byte{bucketMeta, bucketEntities, bucketEvents, bucketRetired, bucketHistory, bucketAudit} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if upgrade {
			return d.retireDeleted(tx)
		}
		return nil
	})
	if err == nil {
		err = d.sealFile()
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

// openBolt opens the file with bbolt, which panics on some damage (and
// faults on a map past the file's end): each becomes an error naming the
// file.
func openBolt(path string, o *bbolt.Options) (db *bbolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, damaged(path, r)
		}
	}()
	db, err = bbolt.Open(path, 0o600, o)
	switch {
	case errors.Is(err, bbolt.ErrTimeout):
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	case errors.Is(err, bbolt.ErrInvalid), errors.Is(err, bbolt.ErrChecksum), errors.Is(err, bbolt.ErrVersionMismatch):
		return nil, fmt.Errorf("open %s: %w: %w", path, ErrDamaged, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// put stores value under key in b: sealed with its checksum, unless the
// file is one from before checksums being upgraded (Open), which are
// added after.
func (d *DB) put(b *bbolt.Bucket, key, value []byte) error {
	if !d.sealed {
		return b.Put(key, value)
	}
	return put(b, key, value)
}

// get returns what key holds in b (called name), nil when it is not
// there, or a *CorruptError.
func (d *DB) get(b *bbolt.Bucket, name, key []byte) ([]byte, error) {
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	return d.open(name, key, v)
}

// metaSeq returns the sequence number kept in meta.
func (d *DB) metaSeq(tx *bbolt.Tx) (uint64, error) {
	v, err := d.get(tx.Bucket(bucketMeta), bucketMeta, keySeq)
	if err != nil || len(v) != 8 {
		return 0, err
	}
	return binary.BigEndian.Uint64(v), nil
}

// deletedOp is how the journal writes a deletion's op, whoever wrote it
// (twin.EncodeEvent, or json.Marshal before it): what retireDeleted looks
// for before it decodes an event.
var deletedOp = []byte(`"op":"deleted"`)

// retireDeleted fills the retired bucket of a file written before there
// was one (before commit 6787540) from the journal: the ID of every
// deletion, so that an ID deleted before the upgrade is not given again.
// As twin.Create does, it leaves out the kinds whose IDs the twin does not
// assign (a chemical's CAS number, the park's ID): they name the thing
// itself, which may come back. An ID given again before the upgrade
// names a live entity and is left out too: retired IDs are those of
// entities that are gone.
func (d *DB) retireDeleted(tx *bbolt.Tx) error {
	ents, retired := tx.Bucket(bucketEntities), tx.Bucket(bucketRetired)
	return tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
		v, err := d.open(bucketEvents, k, v)
		if err != nil {
			return err
		}
		if !bytes.Contains(v, deletedOp) {
			return nil // most events: skipped without decoding their Feature
		}
		var ev struct {
			Op   string `json:"op"`
			Kind string `json:"kind"`
			ID   string `json:"id"`
		}
		if err := json.Unmarshal(v, &ev); err != nil {
			return fmt.Errorf("event %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if ev.Op != twin.Deleted.String() {
			return nil
		}
		kind, ok := twin.ParseKind(ev.Kind)
		if !ok {
			return fmt.Errorf("event %d: unknown kind %q", binary.BigEndian.Uint64(k), ev.Kind)
		}
		key := entityKey(kind, ev.ID)
		if kind.Prefix() == "" || ents.Get(key) != nil {
			return nil
		}
		return d.put(retired, key, nil)
	})
}

// Close closes the file.
func (d *DB) Close() error { return d.db.Close() }

// Path returns the file's path.
func (d *DB) Path() string { return d.path }

// Load calls fn with every stored entity, in order of kind and ID, then
// with every deleted ID, and returns the sequence number of the last
// committed event.
func (d *DB) Load(fn func(twin.Record) error) (uint64, error) {
	var seq uint64
	err := d.view(func(tx *bbolt.Tx) error {
		var err error
		if seq, err = d.metaSeq(tx); err != nil {
			return err
		}
		err = tx.Bucket(bucketEntities).ForEach(func(k, v []byte) error {
			v, err := d.open(bucketEntities, k, v)
			if err != nil {
				return err
			}
			// A file written before versions holds the bare Feature; its
			// entities take the file's seq, no older than their last
			// change.
			version := seq
			if len(v) >= 8 && v[0] != '{' {
				version, v = binary.BigEndian.Uint64(v), v[8:]
			}
			// The twin wrote the key and the Feature together: both are
			// trusted, decoded in one pass, and checked against each other.
			name, id, _ := bytes.Cut(k, []byte("/"))
			kind, ok := twin.ParseKind(string(name))
			if !ok {
				return fmt.Errorf("entity %s: unknown kind", k)
			}
			e, err := twin.DecodeStored(kind, v)
			if err != nil {
				return fmt.Errorf("entity %s: %w", k, err)
			}
			if string(id) != e.EntityID() {
				return fmt.Errorf("entity %s: the Feature's id is %q", k, e.EntityID())
			}
			return fn(twin.Record{Entity: e, Version: version, Kind: kind, ID: e.EntityID()})
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketRetired).ForEach(func(k, v []byte) error {
			if _, err := d.open(bucketRetired, k, v); err != nil {
				return err
			}
			name, id, _ := strings.Cut(string(k), "/")
			kind, ok := twin.ParseKind(name)
			if !ok {
				return fmt.Errorf("retired id %s: unknown kind", k)
			}
			return fn(twin.Record{Kind: kind, ID: id})
		})
	})
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			return 0, fmt.Errorf("load: %w", err) // names the file already
		}
		return 0, fmt.Errorf("load %s: %w", d.path, err)
	}
	return seq, nil
}

// Seq returns the sequence number of the last committed event.
func (d *DB) Seq() (uint64, error) {
	var seq uint64
	err := d.view(func(tx *bbolt.Tx) error {
		var err error
		seq, err = d.metaSeq(tx)
		return err
	})
	return seq, err
}

// Commit writes the events, the entities they leave behind, the audit
// entries of the commands that made them (audit.go) and the new sequence
// number in one transaction, and returns once it is on disk.
func (d *DB) Commit(events []twin.Event) error {
	if len(events) == 0 {
		return nil
	}
	start := time.Now()
	sums := make(map[uint64][]byte, len(events)) // each event's journalled bytes, for its entry
	err := d.update(func(tx *bbolt.Tx) error {
		ents, evs, retired := tx.Bucket(bucketEntities), tx.Bucket(bucketEvents), tx.Bucket(bucketRetired)
		evs.FillPercent = 1 // keys only ever grow: pack pages full
		for _, ev := range events {
			key := entityKey(ev.Kind, ev.ID)
			f, err := ev.Feature()
			if err != nil {
				return err
			}
			if f == nil {
				err = ents.Delete(key)
				if err == nil {
					err = d.put(retired, key, nil)
				}
			} else {
				err = d.put(ents, key, versioned(ev.Seq, f))
			}
			if err != nil {
				return err
			}
			b, err := twin.EncodeEvent(ev, f)
			if err != nil {
				return err
			}
			if err := d.put(evs, seqKey(ev.Seq), b); err != nil {
				return err
			}
			sums[ev.Seq] = b
		}
		if err := d.appendAudit(tx, twin.AuditEntries(events), sums); err != nil {
			return err
		}
		return d.put(tx.Bucket(bucketMeta), keySeq, seqKey(events[len(events)-1].Seq))
	})
	d.observed(len(events), time.Since(start), err)
	if err != nil {
		return fmt.Errorf("commit %d events: %w", len(events), err)
	}
	return nil
}

// versioned is a stored entity: its version, then its Feature.
func versioned(version uint64, f []byte) []byte {
	b := make([]byte, 8, 8+len(f))
	binary.BigEndian.PutUint64(b, version)
	return append(b, f...)
}

// Baseline starts an empty file from a snapshot's records, at seq: a
// sandbox twin's own file. Its journal starts empty, after seq.
func (d *DB) Baseline(seq uint64, records []twin.Record) error {
	err := d.update(func(tx *bbolt.Tx) error {
		meta, ents, retired := tx.Bucket(bucketMeta), tx.Bucket(bucketEntities), tx.Bucket(bucketRetired)
		if meta.Get(keySeq) != nil || ents.Stats().KeyN > 0 {
			return errors.New("the file holds a park already")
		}
		for _, r := range records {
			key := entityKey(r.Kind, r.ID)
			if r.Entity == nil {
				if err := d.put(retired, key, nil); err != nil {
					return err
				}
				continue
			}
			f, err := twin.EncodeFeature(r.Entity)
			if err != nil {
				return err
			}
			if err := d.put(ents, key, versioned(r.Version, f)); err != nil {
				return err
			}
		}
		return d.put(meta, keySeq, seqKey(seq))
	})
	if err != nil {
		return fmt.Errorf("baseline %s: %w", d.path, err)
	}
	return nil
}

// Events calls fn with every journalled event after seq, in order.
func (d *DB) Events(after uint64, fn func(twin.Event) error) error {
	return d.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil; k, v = c.Next() {
			v, err := d.open(bucketEvents, k, v)
			if err != nil {
				return err
			}
			ev, err := decodeEvent(v)
			if err != nil {
				return fmt.Errorf("event %d: %w", binary.BigEndian.Uint64(k), err)
			}
			if err := fn(ev); err != nil {
				return err
			}
		}
		return nil
	})
}

// storedEvent is an event as twin.EncodeEvent writes it.
type storedEvent struct {
	Seq      uint64          `json:"seq"`
	At       time.Time       `json:"at"`
	Op       twin.Op         `json:"op"`
	Kind     twin.Kind       `json:"kind"`
	ID       string          `json:"id"`
	Twin     string          `json:"twin"`
	Exercise bool            `json:"exercise"`
	Feature  json.RawMessage `json:"feature"`
	Actor    twin.Actor      `json:"actor"`
}

// decodeEvent reads an event the twin journalled. As Load does, it
// trusts what the twin wrote and decodes the entity in one pass
// (twin.DecodeStored): opening a replay of a day of the ×10 demo park,
// which reads its journal from the start, took 2.6 times as long with
// the strict decoder (2.5 s against 0.96 s).
func decodeEvent(b []byte) (twin.Event, error) {
	var s storedEvent
	if err := json.Unmarshal(b, &s); err != nil {
		return twin.Event{}, err
	}
	ev := twin.Event{Seq: s.Seq, At: s.At, Op: s.Op, Kind: s.Kind, ID: s.ID, Twin: s.Twin, Exercise: s.Exercise, Actor: s.Actor}
	if len(s.Feature) > 0 && string(s.Feature) != "null" {
		e, err := twin.DecodeStored(s.Kind, s.Feature)
		if err != nil {
			return twin.Event{}, err
		}
		ev.Entity = e
	}
	return ev, nil
}

// Check verifies the file's internal consistency (bbolt's own check).
func (d *DB) Check() error {
	return d.view(func(tx *bbolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

func entityKey(k twin.Kind, id string) []byte {
	return []byte(k.String() + "/" + id)
}

func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq)
}
