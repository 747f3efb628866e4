package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"parktwin/twin"
)

// The audit trail: one entry per command, chained by hash. An entry is
// stored under its position (8 bytes big-endian, from 1) as its hash (32
// bytes) then its canonical bytes; the hash is SHA-256 over the previous
// entry's hash (32 zero bytes for the first) and the canonical bytes. The
// head (position and hash of the last entry) is kept in meta, so that a
// trail cut short is told from one that ends there.
var (
	bucketAudit  = []byte("audit")
	keyAuditHead = []byte("auditHead") // position (8 bytes) + hash (32 bytes)
)

const hashLen = sha256.Size

// AuditRecord is an entry of the audit trail as stored: its position in
// the trail, the entry, and its hash.
type AuditRecord struct {
	Seq uint64 `json:"seq"`
	twin.AuditEntry
	Hash string `json:"hash"`
}

// canonical is what an entry's hash covers: its position and its entry,
// in this field order (encoding/json writes struct fields in order).
type canonical struct {
	Seq uint64 `json:"seq"`
	twin.AuditEntry
}

// appendAudit chains entries to the trail in tx. sums holds each event's
// journalled bytes, whose SHA-256 goes into its change. Must be called
// inside the transaction that writes the events.
func (d *DB) appendAudit(tx *bbolt.Tx, entries []twin.AuditEntry, sums map[uint64][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	b, meta := tx.Bucket(bucketAudit), tx.Bucket(bucketMeta)
	b.FillPercent = 1 // keys only ever grow
	seq, prev, err := d.auditHead(meta)
	if err != nil {
		return err
	}
	for _, e := range entries {
		seq++
		e.Changes = append([]twin.Change(nil), e.Changes...)
		for i, c := range e.Changes {
			if ev, ok := sums[c.Seq]; ok {
				s := sha256.Sum256(ev)
				e.Changes[i].Sum = hex.EncodeToString(s[:])
			}
		}
		body, err := json.Marshal(canonical{Seq: seq, AuditEntry: e})
		if err != nil {
			return fmt.Errorf("audit entry %d: %w", seq, err)
		}
		h := chainHash(prev, body)
		if err := d.put(b, seqKey(seq), append(h[:], body...)); err != nil {
			return err
		}
		prev = h
	}
	if err := d.put(meta, keyAuditHead, append(seqKey(seq), prev[:]...)); err != nil {
		return err
	}
	return d.anchor(meta)
}

// AppendAudit chains an entry made by no command (an administrator's
// action on users or tokens, a backup) to the trail, in a transaction of
// its own: the commits' transactions and this one are serialized by
// bbolt, so the chain stays one.
func (d *DB) AppendAudit(e twin.AuditEntry) error {
	if e.Changes == nil {
		e.Changes = []twin.Change{}
	}
	if err := d.update(func(tx *bbolt.Tx) error { return d.appendAudit(tx, []twin.AuditEntry{e}, nil) }); err != nil {
		return fmt.Errorf("audit of %s: %w", d.path, err)
	}
	return nil
}

// chainHash is the hash of an entry whose canonical bytes are body, after
// an entry whose hash is prev.
func chainHash(prev [hashLen]byte, body []byte) [hashLen]byte {
	h := sha256.New()
	h.Write(prev[:])
	h.Write(body)
	var out [hashLen]byte
	h.Sum(out[:0])
	return out
}

// auditHead returns the position and hash of the trail's last entry;
// zero for an empty trail.
func (d *DB) auditHead(meta *bbolt.Bucket) (uint64, [hashLen]byte, error) {
	var h [hashLen]byte
	v, err := d.get(meta, bucketMeta, keyAuditHead)
	if err != nil || len(v) != 8+hashLen {
		return 0, h, err
	}
	copy(h[:], v[8:])
	return binary.BigEndian.Uint64(v), h, nil
}

// decodeAudit reads a stored entry; the record's bytes are copied out of
// the transaction by the decoding.
func decodeAudit(k, v []byte) (AuditRecord, error) {
	seq := binary.BigEndian.Uint64(k)
	if len(v) < hashLen {
		return AuditRecord{}, fmt.Errorf("audit entry %d: %d bytes, too short", seq, len(v))
	}
	var c canonical
	if err := json.Unmarshal(v[hashLen:], &c); err != nil {
		return AuditRecord{}, fmt.Errorf("audit entry %d: %w", seq, err)
	}
	return AuditRecord{Seq: c.Seq, AuditEntry: c.AuditEntry, Hash: hex.EncodeToString(v[:hashLen])}, nil
}

// AuditFilter selects entries of the trail. Zero fields select all.
type AuditFilter struct {
	User     string    // the actor's user
	Entity   string    // an entity the command changed
	Incident string    // an incident the command changed
	From, To time.Time // At within [From, To]
	// Before pages back: only entries before this position (0: from the
	// newest).
	Before uint64
	Limit  int // at most this many (0: 100)
}

func (f AuditFilter) match(r AuditRecord) bool {
	switch {
	case f.User != "" && r.Actor.User != f.User:
		return false
	case !f.From.IsZero() && r.At.Before(f.From):
		return false
	case !f.To.IsZero() && r.At.After(f.To):
		return false
	}
	if f.Entity == "" && f.Incident == "" {
		return true
	}
	if f.Entity != "" && r.Subject == f.Entity {
		return true
	}
	for _, c := range r.Changes {
		if c.ID == f.Entity || (c.Kind == twin.KindIncident && c.ID == f.Incident) {
			return true
		}
	}
	return false
}

// Audit returns the entries f selects, newest first, at most f.Limit, and
// the position to pass as Before for the next page (0 when there is
// none). Entries are in time order, so the search stops at the first
// older than f.From.
func (d *DB) Audit(f AuditFilter) ([]AuditRecord, uint64, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	out := []AuditRecord{}
	var next uint64
	err := d.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		var k, v []byte
		if f.Before > 0 {
			if k, _ = c.Seek(seqKey(f.Before)); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		} else {
			k, v = c.Last()
		}
		for ; k != nil; k, v = c.Prev() {
			v, err := d.open(bucketAudit, k, v)
			if err != nil {
				return err
			}
			r, err := decodeAudit(k, v)
			if err != nil {
				return err
			}
			if !f.From.IsZero() && r.At.Before(f.From) {
				return nil
			}
			if !f.match(r) {
				continue
			}
			if len(out) == f.Limit {
				next = out[len(out)-1].Seq
				return nil
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("audit of %s: %w", d.path, err)
	}
	return out, next, nil
}

// ChainError names the first broken link of the audit trail: the entry at
// Seq, what its hash should be and what is stored, and why.
type ChainError struct {
	Seq      uint64
	Expected string
	Stored   string
	Reason   string
}

func (e *ChainError) Error() string {
	if e.Expected == "" && e.Stored == "" {
		return fmt.Sprintf("audit trail broken at entry %d: %s", e.Seq, e.Reason)
	}
	return fmt.Sprintf("audit trail broken at entry %d: %s (expected %s, stored %s)", e.Seq, e.Reason, e.Expected, e.Stored)
}

// ChainStatus is what VerifyAudit found in a sound trail.
type ChainStatus struct {
	Entries uint64 // the last position
	Head    string // the last entry's hash
	Events  int    // journalled events vouched for
}

// VerifyAudit walks the trail from its first entry: each entry in its
// place, its hash over the previous hash and its bytes, every event it
// names journalled with the bytes it vouched for, and the head in meta
// the last entry. It returns a *ChainError for the first link that does
// not hold.
func (d *DB) VerifyAudit() (ChainStatus, error) {
	var st ChainStatus
	err := d.view(func(tx *bbolt.Tx) error {
		b, evs, meta := tx.Bucket(bucketAudit), tx.Bucket(bucketEvents), tx.Bucket(bucketMeta)
		if b == nil || evs == nil || meta == nil {
			return nil // a file from before the trail, or no park yet
		}
		var prev [hashLen]byte
		err := b.ForEach(func(k, v []byte) error {
			seq := binary.BigEndian.Uint64(k)
			if seq != st.Entries+1 {
				return &ChainError{Seq: st.Entries + 1, Reason: fmt.Sprintf("missing: the next entry stored is %d", seq)}
			}
			v, err := d.open(bucketAudit, k, v)
			if err != nil {
				return err
			}
			if len(v) < hashLen {
				return &ChainError{Seq: seq, Reason: "too short to hold a hash"}
			}
			want := chainHash(prev, v[hashLen:])
			if !bytes.Equal(want[:], v[:hashLen]) {
				return &ChainError{Seq: seq, Reason: "hash does not match",
					Expected: hex.EncodeToString(want[:]), Stored: hex.EncodeToString(v[:hashLen])}
			}
			r, err := decodeAudit(k, v)
			if err != nil {
				return &ChainError{Seq: seq, Reason: err.Error()}
			}
			if r.Seq != seq {
				return &ChainError{Seq: seq, Reason: fmt.Sprintf("stored as entry %d", r.Seq)}
			}
			for _, c := range r.Changes {
				if err := d.checkEvent(evs, seq, c); err != nil {
					return err
				}
				st.Events++
			}
			copy(prev[:], v[:hashLen])
			st.Entries = seq
			return nil
		})
		if err != nil {
			return err
		}
		head, h, err := d.auditHead(meta)
		if err != nil {
			return err
		}
		if head != st.Entries || h != prev {
			return &ChainError{Seq: st.Entries, Reason: fmt.Sprintf("the trail ends at entry %d but its head says %d", st.Entries, head),
				Expected: hex.EncodeToString(h[:]), Stored: hex.EncodeToString(prev[:])}
		}
		st.Head = hex.EncodeToString(prev[:])
		return nil
	})
	return st, err
}

// checkEvent checks that the event a change names is journalled with the
// bytes the entry vouched for.
func (d *DB) checkEvent(evs *bbolt.Bucket, entry uint64, c twin.Change) error {
	if c.Sum == "" {
		return nil
	}
	v, err := d.get(evs, bucketEvents, seqKey(c.Seq))
	if err != nil {
		return err
	}
	if v == nil {
		return &ChainError{Seq: entry, Reason: fmt.Sprintf("event %d is not in the journal", c.Seq)}
	}
	s := sha256.Sum256(v)
	if got := hex.EncodeToString(s[:]); got != c.Sum {
		return &ChainError{Seq: entry, Reason: fmt.Sprintf("event %d differs from what the entry vouched for", c.Seq),
			Expected: c.Sum, Stored: got}
	}
	return nil
}
