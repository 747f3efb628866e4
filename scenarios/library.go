package scenarios

// The scenarios a park's planners can start: the built-in drills and the
// ones uploaded, which are kept as files so that they outlive a restart.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"parktwin/twin"
)

// Library holds the scenarios that can be started, by ID. Its methods are
// safe for concurrent use.
type Library struct {
	dir string // where uploaded scenarios are kept; "" keeps them in memory

	mu       sync.Mutex
	builtin  map[string]*Scenario // guarded by mu
	uploaded map[string]*Scenario // guarded by mu
}

// NewLibrary returns a library of the built-in scenarios and those kept
// in dir (none when dir is "").
func NewLibrary(builtin []*Scenario, dir string) (*Library, error) {
	l := &Library{dir: dir, builtin: map[string]*Scenario{}, uploaded: map[string]*Scenario{}}
	for _, s := range builtin {
		l.builtin[s.Metadata.ID] = s
	}
	if dir == "" {
		return l, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("scenario library: %w", err)
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		s, err := Load(n)
		if err != nil {
			return nil, fmt.Errorf("scenario library: %w", err)
		}
		l.uploaded[s.Metadata.ID] = s
	}
	return l, nil
}

// Get returns the scenario with the ID, and whether it is built in.
func (l *Library) Get(id string) (s *Scenario, builtin bool, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.builtin[id]; ok {
		return s, true, true
	}
	s, ok = l.uploaded[id]
	return s, false, ok
}

// Entry is a scenario in the library.
type Entry struct {
	*Scenario
	Builtin bool
}

// List returns every scenario, the built-in ones first, each by ID.
func (l *Library) List() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Entry
	for _, m := range []map[string]*Scenario{l.builtin, l.uploaded} {
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			out = append(out, Entry{m[id], m[id] == l.builtin[id]})
		}
	}
	return out
}

// Add adds an uploaded scenario, already parsed and checked, replacing
// an uploaded one of the same ID; it reports whether it replaced one. A
// built-in scenario cannot be replaced.
func (l *Library) Add(s *Scenario) (replaced bool, err error) {
	id := s.Metadata.ID
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.builtin[id]; ok {
		return false, twin.Errorf(twin.ECONFLICT, "metadata.id", "%s is a built-in scenario: upload it under another id", id)
	}
	if l.dir != "" {
		// The ID is a slug (lower-case words and digits joined by '-'),
		// checked on parsing: a safe file name.
		if strings.ContainsAny(id, `/\.`) {
			return false, twin.Invalid("metadata.id", "%q cannot name a file", id)
		}
		if err := writeFile(filepath.Join(l.dir, id+".yaml"), s.Source()); err != nil {
			return false, err
		}
	}
	_, replaced = l.uploaded[id]
	l.uploaded[id] = s
	return replaced, nil
}
