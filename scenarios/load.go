package scenarios

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"parktwin/twin"
)

// Error is a scenario refused: the file, the line and the field path of
// what is wrong ("chlorine-night.yaml:23: injects[2].excursion.profile[1].after:
// must be after profile[0]"). It unwraps to a twin EINVALID error.
type Error struct {
	File    string
	Line    int    // 0 when unknown
	Path    string // "" when the error is not about one field
	Message string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the error as a twin EINVALID error about the field.
func (e *Error) Unwrap() error { return twin.Invalid(e.Path, "%s", e.Message) }

// Load reads and checks the scenario file at path; its errors name path.
func Load(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	return Parse(path, b)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse reads and checks a scenario from YAML. name is the file's name,
// used in errors. Every error is an *Error naming the line and the field.
// What only a park can tell (that a sensor or a road exists) is left to
// Check.
func Parse(name string, b []byte) (*Scenario, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		e := &Error{File: name, Message: strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Message = m[2]
		}
		return nil, e
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Message: "empty file"}
	}
	p := &parser{file: name, root: doc.Content[0]}
	var s Scenario
	if err := p.walk(p.root, reflect.TypeFor[Scenario](), ""); err != nil {
		return nil, err
	}
	if err := p.root.Decode(&s); err != nil {
		return nil, &Error{File: name, Message: err.Error()} // the walk should have caught it
	}
	s.file, s.root, s.src = name, p.root, b
	if err := s.validate(p.has); err != nil {
		return nil, s.locate(err)
	}
	return &s, nil
}

// parser walks the document against the Go types before decoding, so that
// an unknown field or a value of the wrong type is refused with its path.
type parser struct {
	file string
	root *yaml.Node
}

func (p *parser) fail(n *yaml.Node, path, format string, args ...any) error {
	return &Error{File: p.file, Line: n.Line, Path: path, Message: fmt.Sprintf(format, args...)}
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	unmarshaler   = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshal = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (p *parser) walk(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return nil // absent: validate says whether it is required
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pt := reflect.PointerTo(t)
	switch {
	case t == timeType:
		if n.Kind != yaml.ScalarNode {
			return p.fail(n, path, "want a time")
		}
		if _, err := time.Parse(time.RFC3339, n.Value); err != nil {
			return p.fail(n, path, "%q is not an RFC 3339 time with its offset (like 2026-12-01T02:30:00+08:00)", n.Value)
		}
		return nil
	case pt.Implements(unmarshaler) || pt.Implements(textUnmarshal):
		if n.Kind != yaml.ScalarNode {
			return p.fail(n, path, "want a single value")
		}
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			var te *twin.Error
			if errors.As(err, &te) {
				return p.fail(n, path, "%s", te.Message)
			}
			return p.fail(n, path, "%s", err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return p.fail(n, path, "want a mapping of %s", strings.Join(fieldNames(t), ", "))
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kp := join(path, k.Value)
			f, ok := field(t, k.Value)
			switch {
			case !ok:
				return p.fail(k, kp, "unknown field (want one of %s)", strings.Join(fieldNames(t), ", "))
			case seen[k.Value]:
				return p.fail(k, kp, "given twice")
			}
			seen[k.Value] = true
			if err := p.walk(v, f.Type, kp); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return p.fail(n, path, "want a list")
		}
		if t.Kind() == reflect.Array && len(n.Content) != t.Len() {
			return p.fail(n, path, "want a list of %d, got %d", t.Len(), len(n.Content))
		}
		for i, c := range n.Content {
			if err := p.walk(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return p.fail(n, path, "want a text")
		}
	default:
		want := map[reflect.Kind]string{reflect.Bool: "true or false", reflect.Int: "a whole number",
			reflect.Float64: "a number"}[t.Kind()]
		v := reflect.New(t)
		if n.Kind != yaml.ScalarNode || n.Decode(v.Interface()) != nil {
			return p.fail(n, path, "want %s, got %q", want, n.Value)
		}
		if f, ok := v.Elem().Interface().(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return p.fail(n, path, "want a finite number, got %s", n.Value)
		}
	}
	return nil
}

// field returns the struct field of t whose yaml name is key.
func field(t reflect.Type, key string) (reflect.StructField, bool) {
	for f := range t.Fields() {
		if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag == key && f.IsExported() {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag != "" && f.IsExported() {
			names = append(names, tag)
		}
	}
	return names
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// has reports whether the document gives a value at path.
func (p *parser) has(path string) bool {
	n, ok := nodeAt(p.root, path)
	return ok && n.Tag != "!!null"
}

var pathPart = regexp.MustCompile(`[^.\[\]]+|\[\d+\]`)

// nodeAt returns the node at a path such as "injects[2].excursion.sensors",
// or the deepest node found on it and false.
func nodeAt(root *yaml.Node, path string) (*yaml.Node, bool) {
	n, _, ok := walkPath(root, path)
	return n, ok
}

// walkPath is nodeAt that also returns the line of the node's key, where it
// has one, or of the node.
func walkPath(root *yaml.Node, path string) (n *yaml.Node, line int, ok bool) {
	n, line = root, root.Line
	for _, part := range pathPart.FindAllString(path, -1) {
		var next *yaml.Node
		nextLine := 0
		switch {
		case strings.HasPrefix(part, "["):
			i, _ := strconv.Atoi(strings.Trim(part, "[]"))
			if n.Kind == yaml.SequenceNode && i < len(n.Content) {
				next, nextLine = n.Content[i], n.Content[i].Line
			}
		case n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					next, nextLine = n.Content[i+1], n.Content[i].Line
				}
			}
		}
		if next == nil {
			return n, line, false
		}
		n, line = next, nextLine
	}
	return n, line, true
}

// fieldError is a rule broken at a path in the file.
type fieldError struct{ path, msg string }

func (e *fieldError) Error() string { return e.path + ": " + e.msg }

func bad(path, format string, args ...any) error {
	return &fieldError{path, fmt.Sprintf(format, args...)}
}

// locate turns a fieldError into an *Error with the file and the line of
// its field, or of the deepest part of its path the file has.
func (s *Scenario) locate(err error) error {
	var fe *fieldError
	if !errors.As(err, &fe) {
		return err
	}
	e := &Error{File: s.file, Path: fe.path, Message: fe.msg}
	if s.root != nil {
		_, e.Line, _ = walkPath(s.root, fe.path)
	}
	return e
}

// The region a point in a scenario must fall in: a plausibility check
// around the park (Hangzhou Bay Shangyu Economic and Technological
// Development Area), not its boundary.
const (
	minLon, maxLon = 120.6, 121.1
	minLat, maxLat = 29.9, 30.4
)

var slug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
