package scenarios

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"parktwin/twin"
	"parktwin/twin/demo"
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
	s.file, s.root = name, p.root
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

// validate checks what the file alone can tell; has reports whether the
// file gives a value at a path (a zero may be given or left out).
func (s *Scenario) validate(has func(path string) bool) error {
	m := s.Metadata
	switch {
	case m.ID == "":
		return bad("metadata.id", "required")
	case !slug.MatchString(m.ID):
		return bad("metadata.id", "%q is not a slug (lower-case words joined by '-')", m.ID)
	case m.Title.Zh == "" || m.Title.En == "":
		return bad("metadata.title", "zh and en are both required")
	case m.Objective == "":
		return bad("metadata.objective", "required")
	case m.Level == 0:
		return bad("metadata.level", "required (I, II, III or IV)")
	case m.Duration <= 0:
		return bad("metadata.duration", "a positive duration is required")
	case m.Author == "":
		return bad("metadata.author", "required")
	}
	if err := s.Start.validate(has); err != nil {
		return err
	}
	if len(s.Injects) == 0 {
		return bad("injects", "name at least one inject")
	}
	for i := range s.Injects {
		p := fmt.Sprintf("injects[%d]", i)
		in := &s.Injects[i]
		switch {
		case !has(p + ".at"):
			return bad(p+".at", "required")
		case in.At > m.Duration:
			return bad(p+".at", "%s is after the scenario's duration (%s)", in.At, m.Duration)
		case i > 0 && in.At < s.Injects[i-1].At:
			return bad(p+".at", "must not come before injects[%d] (%s)", i-1, s.Injects[i-1].At)
		}
		if err := in.validate(p, m.Duration, has); err != nil {
			return err
		}
	}
	ids := map[string]bool{}
	for i := range s.Expectations {
		p := fmt.Sprintf("expectations[%d]", i)
		e := &s.Expectations[i]
		switch {
		case e.ID == "":
			return bad(p+".id", "required")
		case !slug.MatchString(e.ID):
			return bad(p+".id", "%q is not a slug (lower-case words joined by '-')", e.ID)
		case ids[e.ID]:
			return bad(p+".id", "%s is given twice", e.ID)
		}
		ids[e.ID] = true
		if err := e.validate(p); err != nil {
			return err
		}
	}
	return nil
}

func (st *Start) validate(has func(string) bool) error {
	switch {
	case st.Park == "":
		return bad("start.park", "required (live, demo or a park file's path)")
	case st.Scale != 0 && st.Park != ParkDemo:
		return bad("start.scale", "only the demo park has a scale")
	case st.Scale < 0 || st.Scale > demo.MaxScale:
		return bad("start.scale", "want 1 to %d", demo.MaxScale)
	case st.Time.IsZero():
		return bad("start.time", "required (an RFC 3339 time, like 2026-12-01T02:30:00+08:00)")
	}
	if st.Weather != nil {
		return st.Weather.validate("start.weather", has)
	}
	return nil
}

func (w *Weather) validate(p string, has func(string) bool) error {
	if w.Wind != nil {
		switch {
		case !has(p + ".wind.from"):
			return bad(p+".wind.from", "required (degrees clockwise from north)")
		case !(w.Wind.From >= 0 && w.Wind.From <= 360):
			return bad(p+".wind.from", "want degrees from 0 to 360, got %v", w.Wind.From)
		case !has(p + ".wind.speedMS"):
			return bad(p+".wind.speedMS", "required (metres per second)")
		case !(w.Wind.SpeedMS >= 0):
			return bad(p+".wind.speedMS", "must not be negative")
		}
	}
	switch {
	case w.Stability != 0 && w.CloudCover != nil:
		return bad(p+".cloudCover", "give stability or cloudCover, not both")
	case w.CloudCover != nil && !(*w.CloudCover >= 0 && *w.CloudCover <= 8):
		return bad(p+".cloudCover", "want oktas from 0 to 8, got %v", *w.CloudCover)
	case w.TemperatureC != nil && !(*w.TemperatureC >= -50 && *w.TemperatureC <= 60):
		return bad(p+".temperatureC", "%v °C is not a plausible air temperature", *w.TemperatureC)
	case w.Wind == nil && w.Stability == 0 && w.CloudCover == nil && w.TemperatureC == nil:
		return bad(p, "name at least one of wind, stability, cloudCover, temperatureC")
	}
	return nil
}

func (in *Inject) validate(p string, total Duration, has func(string) bool) error {
	var set []string
	for _, k := range in.kinds() {
		if k.set {
			set = append(set, k.name)
		}
	}
	switch {
	case len(set) == 0:
		return bad(p, "name one of excursion, report, road, unit, equipment, weather, message")
	case len(set) > 1:
		return bad(p, "exactly one kind an inject, got %s", strings.Join(set, " and "))
	}
	p += "." + set[0]
	switch {
	case in.Excursion != nil:
		return in.Excursion.validate(p, total-in.At, has)
	case in.Report != nil:
		return in.Report.validate(p)
	case in.Road != nil:
		switch {
		case in.Road.ID == "":
			return bad(p+".id", "required")
		case !has(p + ".closed"):
			return bad(p+".closed", "required (true closes the road, false opens it)")
		}
	case in.Unit != nil:
		switch {
		case in.Unit.Team == "":
			return bad(p+".team", "required")
		case in.Unit.Status == 0:
			return bad(p+".status", "required (available, out-of-service, …)")
		}
	case in.Equipment != nil:
		return in.Equipment.validate(p)
	case in.Weather != nil:
		return in.Weather.validate(p, has)
	case in.Message != nil:
		if in.Message.Zh == "" || in.Message.En == "" {
			return bad(p, "zh and en are both required")
		}
	}
	return nil
}

func (x *Excursion) validate(p string, left Duration, has func(string) bool) error {
	if len(x.Sensors) == 0 {
		return bad(p+".sensors", "name at least one sensor")
	}
	seen := map[string]bool{}
	for i, id := range x.Sensors {
		switch {
		case id == "":
			return bad(fmt.Sprintf("%s.sensors[%d]", p, i), "required")
		case seen[id]:
			return bad(fmt.Sprintf("%s.sensors[%d]", p, i), "%s is given twice", id)
		}
		seen[id] = true
	}
	if len(x.Profile) == 0 {
		return bad(p+".profile", "name at least one sample")
	}
	for i, smp := range x.Profile {
		sp := fmt.Sprintf("%s.profile[%d]", p, i)
		switch {
		case !has(sp + ".after"):
			return bad(sp+".after", "required")
		case !has(sp + ".value"):
			return bad(sp+".value", "required")
		case i > 0 && smp.After <= x.Profile[i-1].After:
			return bad(sp+".after", "must be after profile[%d]", i-1)
		case smp.After > left:
			return bad(sp+".after", "%s after the inject is past the scenario's end", smp.After)
		}
	}
	return nil
}

func (r *Report) validate(p string) error {
	switch {
	case r.Type == 0:
		return bad(p+".type", "required")
	case r.Entity == "" && r.Point == nil:
		return bad(p, "name an entity or a point")
	case r.Point != nil && !(r.Point.Lon() >= minLon && r.Point.Lon() <= maxLon &&
		r.Point.Lat() >= minLat && r.Point.Lat() <= maxLat):
		return bad(p+".point", "[%v, %v] is not near the park (lon %v–%v, lat %v–%v)",
			r.Point.Lon(), r.Point.Lat(), minLon, maxLon, minLat, maxLat)
	case r.Chemical != "" && !twin.ValidCAS(r.Chemical):
		return bad(p+".chemical", "%q is not a CAS number", r.Chemical)
	case r.Reporter == "":
		return bad(p+".reporter", "required")
	}
	return nil
}

func (f *EquipmentFault) validate(p string) error {
	switch {
	case f.Warehouse == "":
		return bad(p+".warehouse", "required")
	case f.Serial == "" && f.Type == "":
		return bad(p, "name a serial, or a type and a quantity")
	case f.Serial != "" && (f.Type != "" || f.Quantity != 0):
		return bad(p+".serial", "a serial names one item: give no type or quantity with it")
	case f.Type != "" && !(f.Quantity > 0):
		return bad(p+".quantity", "a positive quantity is required with a type")
	case f.State == 0:
		return bad(p+".state", "required (missing or expired)")
	}
	return nil
}

// whatRules say, for each expectation, what Within is measured from (the
// first is the default) and which parameter it needs.
var whatRules = map[What]struct {
	of    []From
	needs string // "type" (optional), "capability" or "target"
}{
	AlarmAcknowledged:  {of: []From{FromFirstAlarm}},
	OrderIssued:        {of: []From{FromFirstAlarm}},
	IncidentCreated:    {of: []From{FromFirstAlarm, FromReport}, needs: "type"},
	PlanConfirmed:      {of: []From{FromReport, FromFirstAlarm}},
	UnitOnScene:        {of: []From{FromOrder, FromReport}},
	FoamMet:            {of: []From{FromOrder, FromReport}},
	CapabilityAssigned: {of: []From{FromReport, FromFirstAlarm}, needs: "capability"},
	EvacuationOrdered:  {of: []From{FromReport, FromFirstAlarm}, needs: "target"},
	UnderControl:       {of: []From{FromStart, FromReport}},
}

func (e *Expectation) validate(p string) error {
	if e.What == 0 {
		return bad(p+".what", "required (one of %s)", strings.Join(whatNames[1:], ", "))
	}
	r := whatRules[e.What]
	if e.Of == 0 {
		e.Of = r.of[0]
	}
	var ofs []string
	for _, f := range r.of {
		ofs = append(ofs, f.String())
	}
	switch {
	case e.Within <= 0:
		return bad(p+".within", "a positive target duration is required")
	case !slices.Contains(r.of, e.Of):
		return bad(p+".of", "%s is measured from %s, not %s", e.What, strings.Join(ofs, " or "), e.Of)
	case e.Type != 0 && r.needs != "type":
		return bad(p+".type", "only incident-created takes a type")
	case e.Capability == 0 && r.needs == "capability":
		return bad(p+".capability", "required")
	case e.Capability != 0 && r.needs != "capability":
		return bad(p+".capability", "only capability-assigned takes a capability")
	case e.Target == "" && r.needs == "target":
		return bad(p+".target", "required")
	case e.Target != "" && r.needs != "target":
		return bad(p+".target", "only evacuation-ordered takes a target")
	}
	return nil
}

// Check checks the scenario against the park it is to run on: that the
// sensors, entities, roads, teams, vehicles, warehouses, items and targets
// it names exist. An error names the inject or expectation and the field.
func (s *Scenario) Check(snap *twin.Snapshot) error {
	exists := func(k twin.Kind, id string) bool { _, ok := snap.Get(k, id); return ok }
	for i, in := range s.Injects {
		p := fmt.Sprintf("injects[%d].%s", i, in.Kind())
		var err error
		switch {
		case in.Excursion != nil:
			for j, id := range in.Excursion.Sensors {
				if !exists(twin.KindSensor, id) {
					err = bad(fmt.Sprintf("%s.sensors[%d]", p, j), "no sensor %s in the park", id)
					break
				}
			}
		case in.Report != nil && in.Report.Entity != "":
			if !entityExists(snap, in.Report.Entity) {
				err = bad(p+".entity", "no entity %s in the park", in.Report.Entity)
			}
		case in.Road != nil:
			if !exists(twin.KindRoad, in.Road.ID) {
				err = bad(p+".id", "no road %s in the park", in.Road.ID)
			}
		case in.Unit != nil:
			err = checkUnit(snap, p, in.Unit)
		case in.Equipment != nil:
			err = checkEquipment(snap, p, in.Equipment)
		}
		if err != nil {
			return s.locate(err)
		}
	}
	for i, e := range s.Expectations {
		if e.Target != "" && !exists(twin.KindTarget, e.Target) {
			return s.locate(bad(fmt.Sprintf("expectations[%d].target", i), "no target %s in the park", e.Target))
		}
	}
	return nil
}

// entityExists looks an ID up under the kind its prefix names.
func entityExists(snap *twin.Snapshot, id string) bool {
	for _, k := range twin.Kinds {
		if pre := k.Prefix(); pre != "" && strings.HasPrefix(id, pre) {
			_, ok := snap.Get(k, id)
			return ok
		}
	}
	return false
}

func checkUnit(snap *twin.Snapshot, p string, u *UnitChange) error {
	team, ok := twin.Lookup[*twin.Team](snap, u.Team)
	if !ok {
		return bad(p+".team", "no team %s in the park", u.Team)
	}
	if u.Vehicle != "" && !slices.ContainsFunc(team.Vehicles, func(v twin.Vehicle) bool { return v.ID == u.Vehicle }) {
		return bad(p+".vehicle", "team %s has no vehicle %s", u.Team, u.Vehicle)
	}
	return nil
}

func checkEquipment(snap *twin.Snapshot, p string, f *EquipmentFault) error {
	w, ok := twin.Lookup[*twin.Warehouse](snap, f.Warehouse)
	if !ok {
		return bad(p+".warehouse", "no warehouse %s in the park", f.Warehouse)
	}
	for _, line := range w.Stock {
		if f.Serial != "" && slices.ContainsFunc(line.Items, func(a twin.Asset) bool { return a.Serial == f.Serial }) {
			return nil
		}
		if f.Type != "" && line.Type == f.Type {
			if f.Quantity > line.Quantity {
				return bad(p+".quantity", "%s holds %v of %s", f.Warehouse, line.Quantity, f.Type)
			}
			return nil
		}
	}
	if f.Serial != "" {
		return bad(p+".serial", "%s holds no item %s", f.Warehouse, f.Serial)
	}
	return bad(p+".type", "%s holds no %s", f.Warehouse, f.Type)
}
