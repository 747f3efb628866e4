package bolt

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

// The audit trail's anchor. The chain's hashes are unkeyed: whoever can
// write the file can rewrite an entry and compute every hash after it
// again, and the values' checksums too. The anchor is an HMAC-SHA256 of
// the head (position and hash) under a key kept outside the file (parkd
// keeps it in <db>.audit-key, 0600): rewriting the trail then needs the
// key as well as the file.
var keyAuditAnchor = []byte("auditAnchor")

// ErrUnanchored is VerifyAnchor's error when the head carries no anchor
// or another key's: the trail was rewritten by someone without the key,
// or the key is not the file's.
var ErrUnanchored = errors.New("the audit trail's head is not anchored by this key")

// AnchorAudit keeps key to anchor the trail's head at every entry from
// now on. first says the key has just been made: the head as it stands is
// anchored now (trust on first use); otherwise the head must already be
// anchored by key, or ErrUnanchored is returned and the key is not kept.
func (d *DB) AnchorAudit(key []byte, first bool) error {
	if len(key) < 16 {
		return fmt.Errorf("audit key: %d bytes, want at least 16", len(key))
	}
	if !first {
		if err := d.VerifyAnchor(key); err != nil {
			return err
		}
	}
	k := append([]byte(nil), key...)
	d.anchorKey.Store(&k)
	if !first {
		return nil
	}
	return d.update(func(tx *bbolt.Tx) error { return d.anchor(tx.Bucket(bucketMeta)) })
}

// anchor writes the anchor of the head in meta, when a key is kept. Must
// be called in the transaction that moved the head.
func (d *DB) anchor(meta *bbolt.Bucket) error {
	k := d.anchorKey.Load()
	if k == nil {
		return nil
	}
	head, err := d.get(meta, bucketMeta, keyAuditHead)
	if err != nil {
		return err
	}
	return d.put(meta, keyAuditAnchor, anchorOf(*k, head))
}

func anchorOf(key, head []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("parktwin audit head\x00")) // this key's sole use
	m.Write(head)
	return m.Sum(nil)
}

// VerifyAnchor checks that the head of the trail is anchored by key. It
// says nothing of the entries: VerifyAudit checks that they lead to the
// head.
func (d *DB) VerifyAnchor(key []byte) error {
	return d.view(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return nil
		}
		head, err := d.get(meta, bucketMeta, keyAuditHead)
		if err != nil {
			return err
		}
		got, err := d.get(meta, bucketMeta, keyAuditAnchor)
		if err != nil {
			return err
		}
		if got == nil && head == nil {
			return nil // no trail yet
		}
		if !hmac.Equal(got, anchorOf(key, head)) {
			return fmt.Errorf("%s: %w", d.path, ErrUnanchored)
		}
		return nil
	})
}
