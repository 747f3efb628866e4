package bolt

import (
	"fmt"
	"io"

	bbolt "go.etcd.io/bbolt"
)

// OpenReadOnly opens the database file at path to read it: for checking
// and copying a file no server holds. It fails with ErrLocked while a
// server holds it, and creates nothing.
func OpenReadOnly(path string) (*DB, error) {
	if err := checkFile(path, false); err != nil {
		return nil, err
	}
	// Walked first: bbolt's own check (Check) finds the free pages on a
	// goroutine where a page that does not hold together ends the process.
	if err := walkFile(path); err != nil {
		return nil, err
	}
	db, err := openBolt(path, &bbolt.Options{Timeout: lockTimeout, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	d := &DB{db: db, path: path}
	if err := d.view(func(tx *bbolt.Tx) error { d.sealed = fileSealed(tx); return nil }); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// WriteTo writes a consistent copy of the whole file to w, as it stands
// when the copy begins, while commits go on (bbolt's hot backup: one read
// transaction). It implements io.WriterTo.
func (d *DB) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := d.view(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("copy %s: %w", d.path, err)
	}
	return n, nil
}
