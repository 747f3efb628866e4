package twin

import (
	"parktwin/twin/msg"

	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Limits on what an entity or a request may hold, so that no field can
// carry a megabyte into the journal, every stream client and every
// screen. Counted in characters, not bytes: names are Chinese.
const (
	// MaxName bounds a name, a code, a phone number, an ID given as a
	// reference: what fits a line of a list or a map's tooltip. The
	// longest name of a registered enterprise is some 60 characters.
	MaxName = 200
	// MaxText bounds free text (textFields): a note, a description, the
	// cause of an alarm — a page of a report.
	MaxText = 4000
	// MaxList bounds every list: a team's vehicles, a warehouse's stock
	// and items, an incident's timeline, a route's nodes. The largest the
	// demo park makes at scale ×15 are some hundreds.
	MaxList = 10_000
)

// textFields are the JSON names of the fields that hold free text and
// take MaxText; every other string takes MaxName.
var textFields = map[string]bool{
	"note": true, "description": true, "reason": true, "returnNote": true, "basis": true,
	"what": true, "cause": true, "action": true, "message": true, "notes": true,
}

// CheckLimits checks every string and list of v (an entity, a request
// body: a struct or a pointer to one), to any depth, against MaxName,
// MaxText and MaxList, and returns an EINVALID error naming the first
// field over its limit ("vehicles[3].name"). Geometry is bounded by the
// body's size and left to its own validation.
func CheckLimits(v any) error {
	if e := checkLimits(reflect.ValueOf(v), ""); e != nil {
		return Reasoned(EINVALID, e.field(), e.msg, msg.New(e.code, "field", e.field(), "n", e.n, "max", e.max))
	}
	return nil
}

// orbPath is the package of orb's geometry types.
var orbPath = reflect.TypeFor[orb.Point]().PkgPath()

// limitErr is a limit broken, and where: the path is made as the check
// unwinds, so that nothing is allocated for it while every field is
// within its limits (the writer checks every entry it takes).
type limitErr struct {
	path      []string // innermost first: "name", "[3]", "vehicles"
	msg, code string   // its English, its message code
	n, max    int
}

// field returns the path as a field's name: "vehicles[3].name".
func (e *limitErr) field() string {
	out := ""
	for i := len(e.path) - 1; i >= 0; i-- {
		if seg := e.path[i]; strings.HasPrefix(seg, "[") {
			out += seg
		} else {
			out = join(out, seg)
		}
	}
	return out
}

func (e *limitErr) in(seg string) *limitErr {
	e.path = append(e.path, seg)
	return e
}

// limitField is an exported field of a struct checkLimits looks into.
type limitField struct {
	index     int
	name      string // its JSON name
	anonymous bool
}

// limitFields caches the fields of each struct type (reflect.Type →
// []limitField), and nil for orb's geometry types.
var limitFields sync.Map

func fieldsOf(t reflect.Type) []limitField {
	if fs, ok := limitFields.Load(t); ok {
		return fs.([]limitField)
	}
	var fs []limitField
	if !isGeometry(t) {
		fs = []limitField{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := jsonName(f)
			if name == "-" {
				continue // the ID, checked by its own pattern
			}
			fs = append(fs, limitField{i, name, f.Anonymous})
		}
	}
	limitFields.Store(t, fs)
	return fs
}

func checkLimits(v reflect.Value, name string) *limitErr {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkLimits(v.Elem(), name)
	case reflect.String:
		limit := MaxName
		if textFields[name] {
			limit = MaxText
		}
		if n := utf8.RuneCountInString(v.String()); n > limit {
			return &limitErr{msg: fmt.Sprintf("%d characters, at most %d", n, limit), code: "error.tooLong", n: n, max: limit}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 || isGeometry(v.Type()) {
			return nil // raw JSON, bytes, coordinates
		}
		if v.Kind() == reflect.Slice && v.Len() > MaxList {
			return &limitErr{msg: fmt.Sprintf("%d items, at most %d", v.Len(), MaxList), code: "error.tooMany", n: v.Len(), max: MaxList}
		}
		for i := range v.Len() {
			if e := checkLimits(v.Index(i), name); e != nil {
				return e.in(fmt.Sprintf("[%d]", i))
			}
		}
	case reflect.Map:
		if v.Len() > MaxList {
			return &limitErr{msg: fmt.Sprintf("%d entries, at most %d", v.Len(), MaxList), code: "error.tooMany", n: v.Len(), max: MaxList}
		}
		it := v.MapRange()
		for it.Next() {
			if e := checkLimits(it.Key(), ""); e != nil {
				return e
			}
			if e := checkLimits(it.Value(), name); e != nil {
				return e.in(fmt.Sprint(it.Key().Interface()))
			}
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			if e := checkLimits(v.Field(f.index), f.name); e != nil {
				if !f.anonymous {
					e.in(f.name)
				}
				return e
			}
		}
	}
	return nil
}

// isGeometry reports whether t is one of orb's types.
func isGeometry(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t.PkgPath() == orbPath
}

// jsonName is a field's name in JSON.
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	if tag == "" {
		return f.Name
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		return f.Name
	}
	return name
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
