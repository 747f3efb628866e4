package bolt

import "time"

// CommitObserver is told of every commit: how many events it wrote, how
// long it took to be on disk, and whether it failed. It is called by the
// twin's committer and must be quick (a metric's counter).
type CommitObserver func(events int, took time.Duration, err error)

// ObserveCommits makes fn the observer of the file's commits from now on;
// nil: none.
func (d *DB) ObserveCommits(fn CommitObserver) {
	if fn == nil {
		d.observe.Store(nil)
		return
	}
	d.observe.Store(&fn)
}

func (d *DB) observed(events int, took time.Duration, err error) {
	if fn := d.observe.Load(); fn != nil {
		(*fn)(events, took, err)
	}
}
