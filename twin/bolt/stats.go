package bolt

import bbolt "go.etcd.io/bbolt"

// Stats returns bbolt's counters for the file since it was opened. Of
// its write transactions, TxStats.GetPageAlloc counts the bytes of the
// pages they wrote (every page a transaction allocates is written to the
// file at its commit); each commit also writes one meta page of PageSize
// bytes, which no counter shows.
func (d *DB) Stats() bbolt.Stats { return d.db.Stats() }

// PageSize returns the size of the file's pages in bytes.
func (d *DB) PageSize() int { return d.db.Info().PageSize }
