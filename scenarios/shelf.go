package scenarios

// Drills kept across restarts of parkd: each drill is a small JSON file
// (its scenario, its trainees' actions, where it stood) in a directory,
// and a drill on the live park keeps the park it started from as a bbolt
// file beside it. A restart plays each drill again to where it stood and
// leaves it paused.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

// Shelf keeps drills in a directory. Its methods are safe for concurrent
// use as long as each drill is kept by one goroutine at a time, which the
// drill's own locks see to.
type Shelf struct {
	dir string
}

// Kept is a drill as kept on the shelf.
type Kept struct {
	ID       string        `json:"id"`
	Scenario string        `json:"scenario"` // the scenario's YAML
	Actions  []Action      `json:"actions"`
	At       time.Duration `json:"at"`
	Stopped  bool          `json:"stopped,omitempty"`
	// Origin says the drill started from a park kept beside it
	// (ID.park.db): the live park as it stood, or as its journal said.
	Origin bool `json:"origin,omitempty"`
}

// OpenShelf opens the directory dir as a shelf, making it if need be.
func OpenShelf(dir string) (*Shelf, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("drill shelf: %w", err)
	}
	return &Shelf{dir: dir}, nil
}

func (s *Shelf) file(id, ext string) string { return filepath.Join(s.dir, id+ext) }

// Keep writes where the drill stands. The first time, a drill started
// from the live park has that park written beside it.
func (s *Shelf) Keep(d *Drill) error {
	k := Kept{ID: d.id, Scenario: string(d.sc.Source()), Actions: d.Actions(), At: d.State().DrillTime,
		Stopped: d.isStopped(), Origin: d.origin != nil}
	if k.Origin {
		if _, err := os.Stat(s.file(d.id, ".park.db")); errors.Is(err, fs.ErrNotExist) {
			if err := s.keepOrigin(d.id, d.origin); err != nil {
				return err
			}
		}
	}
	b, err := json.Marshal(k)
	if err != nil {
		return err
	}
	return writeFile(s.file(d.id, ".json"), b)
}

// keepOrigin writes the park a drill started from, through a temporary
// file, so that a drill is never kept with half a park.
func (s *Shelf) keepOrigin(id string, snap *twin.Snapshot) error {
	tmp := s.file(id, ".park.db.tmp")
	os.Remove(tmp)
	db, err := bolt.Open(tmp)
	if err != nil {
		return err
	}
	if err := db.Baseline(snap.Seq(), snap.Records()); err != nil {
		db.Close()
		return fmt.Errorf("keep the park of drill %s: %w", id, err)
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, s.file(id, ".park.db"))
}

// writeFile replaces path with b whole: a crash leaves the old file or
// the new one.
func writeFile(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("keep %s: %w", filepath.Base(path), err)
	}
	return os.Rename(tmp, path)
}

// All returns every drill on the shelf, by ID.
func (s *Shelf) All() ([]Kept, error) {
	names, err := filepath.Glob(filepath.Join(s.dir, "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []Kept
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var k Kept
		if err := json.Unmarshal(b, &k); err != nil {
			return nil, fmt.Errorf("kept drill %s: %w", filepath.Base(n), err)
		}
		if k.ID+".json" != filepath.Base(n) {
			return nil, fmt.Errorf("kept drill %s names itself %q", filepath.Base(n), k.ID)
		}
		out = append(out, k)
	}
	return out, nil
}

// Origin reads the park a kept drill started from.
func (s *Shelf) Origin(id string) (*twin.Snapshot, error) {
	db, err := bolt.Open(s.file(id, ".park.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tw, err := twin.Open(twin.Config{ID: id, Exercise: true, Store: db})
	if err != nil {
		return nil, fmt.Errorf("the park of drill %s: %w", id, err)
	}
	defer tw.Close()
	return tw.Snapshot(), nil
}

// Remove takes a drill off the shelf.
func (s *Shelf) Remove(id string) error {
	var errs []error
	for _, ext := range []string{".json", ".park.db"} {
		if err := os.Remove(s.file(id, ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
