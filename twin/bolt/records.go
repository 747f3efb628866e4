package bolt

import (
	"fmt"
	"strings"

	bbolt "go.etcd.io/bbolt"
)

// Records is a bucket of the park's file kept for another part of the
// server (the users and tokens of web/auth): keys and values are that
// part's own, written one transaction per change.
type Records struct {
	d    *DB
	name []byte
}

// Records returns the bucket called name, made if the file has none. The
// twin's own buckets cannot be asked for.
func (d *DB) Records(name string) (*Records, error) {
	switch name {
	case string(bucketMeta), string(bucketEntities), string(bucketEvents), string(bucketRetired), string(bucketHistory), string(bucketAudit):
		return nil, fmt.Errorf("records %s: the twin's own bucket", name)
	}
	if name == "" || strings.ContainsAny(name, "/\x00") {
		return nil, fmt.Errorf("records %q: not a bucket name", name)
	}
	err := d.update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists([]byte(name))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("records %s: %w", name, err)
	}
	return &Records{d: d, name: []byte(name)}, nil
}

// Put keeps value under key, durably once it returns.
func (r *Records) Put(key string, value []byte) error {
	return r.d.update(func(tx *bbolt.Tx) error {
		return r.d.put(tx.Bucket(r.name), []byte(key), value)
	})
}

// Delete removes key; a missing key is no error.
func (r *Records) Delete(key string) error {
	return r.d.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(r.name).Delete([]byte(key))
	})
}

// All calls fn with every key and a copy of its value, in key order. A
// value whose checksum does not hold stops it with a *CorruptError.
func (r *Records) All(fn func(key string, value []byte) error) error {
	return r.d.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(r.name).ForEach(func(k, v []byte) error {
			v, err := r.d.open(r.name, k, v)
			if err != nil {
				return err
			}
			return fn(string(k), append([]byte(nil), v...))
		})
	})
}

// PutMany keeps every value of kv under its key in one transaction,
// durably once it returns: all of them, or none on an error.
func (r *Records) PutMany(kv map[string][]byte) error {
	if len(kv) == 0 {
		return nil
	}
	return r.d.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(r.name)
		for k, v := range kv {
			if err := r.d.put(b, []byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Clear deletes every key of the bucket, in one transaction.
func (r *Records) Clear() error {
	return r.d.update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(r.name); err != nil {
			return err
		}
		_, err := tx.CreateBucket(r.name)
		return err
	})
}

// DeleteMany removes the keys in one transaction; missing keys are no
// error.
func (r *Records) DeleteMany(keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return r.d.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(r.name)
		for _, k := range keys {
			if err := b.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
}
