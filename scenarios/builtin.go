package scenarios

// The drills that ship with parktwin.

import (
	"io/fs"

	"parktwin/scenarios/builtin"
)

// Builtin parses the built-in drills (scenarios/builtin) in the order of
// their file names. Each is written for the demo park at scale 1; the
// tests check them against it.
func Builtin() ([]*Scenario, error) {
	return parseAll(builtin.FS())
}

// parseAll parses every *.yaml file at the root of fsys, in the order of
// their names, and refuses two with one ID.
func parseAll(fsys fs.FS) ([]*Scenario, error) {
	names, err := fs.Glob(fsys, "*.yaml") // sorted
	if err != nil {
		return nil, err
	}
	var out []*Scenario
	seen := map[string]string{} // ID → file
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		s, err := Parse(n, b)
		if err != nil {
			return nil, err
		}
		if other, ok := seen[s.Metadata.ID]; ok {
			return nil, s.locate(bad("metadata.id", "%s is the id of %s already", s.Metadata.ID, other))
		}
		seen[s.Metadata.ID] = n
		out = append(out, s)
	}
	return out, nil
}
