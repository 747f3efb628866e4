package bolt

import (
	"errors"
	"fmt"
	"io"

	bbolt "go.etcd.io/bbolt"
)

// OpenReadOnly opens the database file at path to read it: for checking
// and copying a file no server holds. It fails with ErrLocked while a
// server holds it, and creates nothing.
func OpenReadOnly(path string) (*DB, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: lockTimeout, ReadOnly: true})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{db: db, path: path}, nil
}

// WriteTo writes a consistent copy of the whole file to w, as it stands
// when the copy begins, while commits go on (bbolt's hot backup: one read
// transaction). It implements io.WriterTo.
func (d *DB) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := d.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("copy %s: %w", d.path, err)
	}
	return n, nil
}
