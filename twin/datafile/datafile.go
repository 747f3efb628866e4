// Package datafile reads the program's YAML data files — the dispatch
// rules, the equipment catalogue — strictly, then checks them, so that an
// error names the file, the line and the field:
// "rules.yaml:42: foam.byTank.fixed-roof.minutes: must be positive".
package datafile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Decode reads b (the file name) into v, refusing fields v does not
// have, then runs check; an *Error from check comes back with the line
// of its path in b.
func Decode(name string, b []byte, v any, check func() error) error {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := check(); err != nil {
		if fe, ok := errors.AsType[*Error](err); ok {
			return fmt.Errorf("%s:%d: %s: %s", name, Line(&root, fe.Path), fe.Path, fe.Msg)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Error is a rule broken at a path in a data file, such as
// "runCards.tank-fire.IV[1].count".
type Error struct{ Path, Msg string }

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

// Bad returns the *Error of a rule broken at path.
func Bad(path, format string, args ...any) error {
	return &Error{path, fmt.Sprintf(format, args...)}
}

var pathPart = regexp.MustCompile(`[^.\[\]]+|\[\d+\]`)

// Line returns the line of the node at a path such as
// "types[3].inspection.every", or of the deepest node found on it.
func Line(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range pathPart.FindAllString(path, -1) {
		var next *yaml.Node
		switch {
		case strings.HasPrefix(part, "["):
			i, _ := strconv.Atoi(strings.Trim(part, "[]"))
			if n.Kind == yaml.SequenceNode && i < len(n.Content) {
				next = n.Content[i]
			}
		case n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					next, line = n.Content[i+1], n.Content[i].Line
				}
			}
		}
		if next == nil {
			return line
		}
		n, line = next, next.Line
	}
	return line
}
