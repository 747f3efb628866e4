package bolt

import (
	"encoding/binary"

	bbolt "go.etcd.io/bbolt"
)

// SetSealBatch makes the migration seal n values a transaction until the
// returned func puts it back.
func SetSealBatch(n int) func() {
	old := sealBatch
	sealBatch = n
	return func() { sealBatch = old }
}

// RewriteAuditEntry rewrites entry seq as one who can write the file but
// has no key would: its bytes changed by edit, every hash from it on and
// the head computed again, the values' checksums with them.
func (d *DB) RewriteAuditEntry(seq uint64, edit func([]byte) []byte) error {
	return d.update(func(tx *bbolt.Tx) error {
		b, meta := tx.Bucket(bucketAudit), tx.Bucket(bucketMeta)
		type entry struct{ k, body []byte }
		var es []entry
		err := b.ForEach(func(k, v []byte) error { // read all first: bbolt's cursors do not survive a Put
			v, err := d.open(bucketAudit, k, v)
			if err == nil {
				es = append(es, entry{append([]byte(nil), k...), append([]byte(nil), v[hashLen:]...)})
			}
			return err
		})
		if err != nil {
			return err
		}
		var prev [hashLen]byte
		var last uint64
		for _, e := range es {
			if last = binary.BigEndian.Uint64(e.k); last == seq {
				e.body = edit(e.body)
			}
			h := chainHash(prev, e.body)
			if err := d.put(b, e.k, append(h[:], e.body...)); err != nil {
				return err
			}
			prev = h
		}
		return d.put(meta, keyAuditHead, append(seqKey(last), prev[:]...))
	})
}
