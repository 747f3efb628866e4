package twin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// An entity crosses every boundary (REST, park files, the store) as an
// RFC 7946 Feature: the ID in the Feature's "id", the kind in
// properties.kind, the entity's fields in properties, its location in
// geometry (null for chemicals).

type featureJSON struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id,omitempty"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
	BBox       json.RawMessage `json:"bbox,omitempty"` // allowed by RFC 7946, ignored
}

// EncodeFeature returns e as a GeoJSON Feature. The encoding is
// deterministic: the same entity always gives the same bytes.
func EncodeFeature(e Entity) ([]byte, error) {
	var buf bytes.Buffer
	if err := appendFeature(&buf, e); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func appendFeature(buf *bytes.Buffer, e Entity) error {
	props, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", e.Kind(), e.EntityID(), err)
	}
	id, _ := json.Marshal(e.EntityID())
	// Sized once: every entity is encoded by the writer on every change.
	buf.Grow(len(props) + len(id) + 96)
	buf.WriteString(`{"type":"Feature","id":`)
	buf.Write(id)
	buf.WriteString(`,"geometry":`)
	g := e.Geometry()
	if p, ok := g.(orb.Point); ok && plainCoordinate(p[0]) && plainCoordinate(p[1]) {
		// Most entities are points: written here, byte for byte as
		// orb's geojson writes them, without its two allocations.
		b := buf.AvailableBuffer()
		b = append(b, `{"type":"Point","coordinates":[`...)
		b = strconv.AppendFloat(b, p[0], 'f', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, p[1], 'f', -1, 64)
		b = append(b, "]}"...)
		buf.Write(b)
	} else if g == nil {
		buf.WriteString("null")
	} else {
		gj, err := json.Marshal(geojson.NewGeometry(g))
		if err != nil {
			return fmt.Errorf("encode %s %s geometry: %w", e.Kind(), e.EntityID(), err)
		}
		buf.Write(gj)
	}
	buf.WriteString(`,"properties":{"kind":"`)
	buf.WriteString(e.Kind().String())
	buf.WriteByte('"')
	if len(props) > 2 {
		buf.WriteByte(',')
		buf.Write(props[1 : len(props)-1])
	}
	buf.WriteString("}}")
	return nil
}

// plainCoordinate reports whether encoding/json writes f as strconv's
// shortest 'f' form: finite, and zero or of a magnitude in [1e-6, 1e21).
func plainCoordinate(f float64) bool {
	a := math.Abs(f)
	return a == 0 || (a >= 1e-6 && a < 1e21)
}

// DecodeFeature reads one Feature into an entity of the kind its
// properties name. Unknown properties are refused; every error names the
// field it concerns. The entity is not validated.
func DecodeFeature(b []byte) (Entity, error) {
	return decodeFeature(b, 0)
}

// DecodeFeatureOf reads a Feature that must be of kind k; properties.kind
// may then be left out.
func DecodeFeatureOf(k Kind, b []byte) (Entity, error) {
	return decodeFeature(b, k)
}

func decodeFeature(b []byte, want Kind) (Entity, error) {
	var f featureJSON
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, malformed(err)
	}
	if f.Type != "Feature" {
		return nil, Invalid("type", "want \"Feature\", got %q", f.Type)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&featureJSON{}); err != nil {
		name, _ := strings.CutPrefix(err.Error(), "json: unknown field ")
		return nil, Invalid(strings.Trim(name, `"`), "unknown member of a Feature")
	}
	var props map[string]json.RawMessage
	if len(f.Properties) == 0 || string(f.Properties) == "null" {
		return nil, Required("properties")
	}
	if err := json.Unmarshal(f.Properties, &props); err != nil {
		return nil, Invalid("properties", "must be an object")
	}
	k := want
	if raw, ok := props["kind"]; ok {
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return nil, Invalid("properties.kind", "must be a string")
		}
		got, ok := ParseKind(name)
		switch {
		case !ok:
			return nil, Invalid("properties.kind", "unknown kind %q", name)
		case want != 0 && got != want:
			return nil, Invalid("properties.kind", "this collection holds %s, got %s", want, got)
		}
		k = got
	}
	if k == 0 {
		return nil, Required("properties.kind")
	}
	e := New(k)
	if len(f.ID) > 0 && string(f.ID) != "null" {
		var id string
		if err := json.Unmarshal(f.ID, &id); err != nil {
			return nil, Invalid("id", "must be a string")
		}
		e.setID(id)
	}
	if err := decodeProperties(props, e); err != nil {
		return nil, err
	}
	var g orb.Geometry
	if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
		gj, err := geojson.UnmarshalGeometry(f.Geometry)
		if err != nil {
			return nil, Invalid("geometry", "not a GeoJSON geometry: %v", err)
		}
		g = gj.Geometry()
	}
	if err := e.setGeometry(g); err != nil {
		return nil, err
	}
	return e, nil
}

// decodeProperties sets e's fields from props one by one, so that an
// error names the field and an unknown name is refused.
func decodeProperties(props map[string]json.RawMessage, e Entity) error {
	v := reflect.ValueOf(e).Elem()
	idx := jsonFields(v.Type())
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names) // the first error found is the same every time
	for _, name := range names {
		if name == "kind" {
			continue
		}
		i, ok := idx[name]
		if !ok {
			return Invalid("properties."+name, "unknown field")
		}
		dec := json.NewDecoder(bytes.NewReader(props[name]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v.Field(i).Addr().Interface()); err != nil {
			return fieldError(name, err)
		}
	}
	return nil
}

func fieldError(name string, err error) error {
	var te *json.UnmarshalTypeError
	var de *Error
	switch {
	case errors.As(err, &de):
		return prefixField(name, err)
	case errors.As(err, &te):
		f := name
		if te.Field != "" {
			f += "." + te.Field
		}
		return Invalid(f, "want %s, got %s", jsonTypeName(te.Type), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Invalid(name, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return Invalid(name, "%v", err)
}

func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

var fieldCache sync.Map // reflect.Type → map[string]int

// jsonFields maps the JSON names of t's fields to their indexes.
func jsonFields(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := make(map[string]int)
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = i
	}
	fieldCache.Store(t, m)
	return m
}

func malformed(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return Errorf(EMALFORMED, "", "malformed JSON at byte %d: %v", se.Offset, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		f := te.Field
		return Errorf(EMALFORMED, f, "want %s, got %s", jsonTypeName(te.Type), te.Value)
	}
	return Errorf(EMALFORMED, "", "malformed JSON: %v", err)
}

// MergePatch applies an RFC 7386 JSON merge patch to a Feature's JSON and
// returns the result. A patch may not change the Feature's id or kind.
func MergePatch(feature, patch []byte) ([]byte, error) {
	var doc, p any
	if err := json.Unmarshal(feature, &doc); err != nil {
		return nil, fmt.Errorf("merge patch: stored feature: %w", err)
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, malformed(err)
	}
	pm, ok := p.(map[string]any)
	if !ok {
		return nil, Errorf(EMALFORMED, "", "a merge patch must be a JSON object")
	}
	if _, ok := pm["id"]; ok {
		return nil, Invalid("id", "an entity's ID cannot be changed")
	}
	if props, ok := pm["properties"].(map[string]any); ok {
		if _, ok := props["kind"]; ok {
			return nil, Invalid("properties.kind", "an entity's kind cannot be changed")
		}
	}
	return json.Marshal(mergeValue(doc, pm))
}

func mergeValue(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergeValue(tm[k], v)
	}
	return tm
}
