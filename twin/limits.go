package twin

import (
	"fmt"
	"reflect"
	"strings"
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
	return checkLimits(reflect.ValueOf(v), "", "")
}

// orbPath is the package of orb's geometry types.
var orbPath = reflect.TypeFor[orb.Point]().PkgPath()

func checkLimits(v reflect.Value, path, name string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkLimits(v.Elem(), path, name)
	case reflect.String:
		limit := MaxName
		if textFields[name] {
			limit = MaxText
		}
		if n := utf8.RuneCountInString(v.String()); n > limit {
			return Invalid(path, "%d characters, at most %d", n, limit)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 || isGeometry(v.Type()) {
			return nil // raw JSON, bytes, coordinates
		}
		if v.Kind() == reflect.Slice && v.Len() > MaxList {
			return Invalid(path, "%d items, at most %d", v.Len(), MaxList)
		}
		for i := range v.Len() {
			if err := checkLimits(v.Index(i), fmt.Sprintf("%s[%d]", path, i), name); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.Len() > MaxList {
			return Invalid(path, "%d entries, at most %d", v.Len(), MaxList)
		}
		it := v.MapRange()
		for it.Next() {
			key := fmt.Sprint(it.Key().Interface())
			if err := checkLimits(it.Key(), path, ""); err != nil {
				return err
			}
			if err := checkLimits(it.Value(), join(path, key), name); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if isGeometry(v.Type()) {
			return nil
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fname := jsonName(f)
			if fname == "-" {
				continue // the ID, checked by its own pattern
			}
			p := path
			if !f.Anonymous {
				p = join(path, fname)
			}
			if err := checkLimits(v.Field(i), p, fname); err != nil {
				return err
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
