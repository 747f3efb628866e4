package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/dispatch/hazard"
	"parktwin/twin"
)

// modelField describes one input or output of a consequence model.
type modelField struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Unit     string `json:"unit,omitempty"`
	Meaning  string `json:"meaning,omitempty"`
	Required bool   `json:"required,omitempty"`
}

// model is one consequence model served at /api/v1/models/{name}.
type model struct {
	Name    string       `json:"name"`
	Doc     string       `json:"doc"`
	Inputs  []modelField `json:"inputs"`
	Outputs []modelField `json:"outputs"`
	run     func([]byte) (any, error)
}

// entry wraps a hazard model: the body decodes strictly into I (a typo is
// an error, not a field ignored), the model validates and runs.
func entry[I any, O any](name, doc string, f func(I) (O, error)) model {
	var in I
	var out O
	return model{Name: name, Doc: doc, Inputs: fieldsOf(reflect.TypeOf(in)), Outputs: fieldsOf(reflect.TypeOf(out)),
		run: func(b []byte) (any, error) {
			var in I
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil {
				return nil, twin.Errorf(twin.EMALFORMED, "", "not the inputs of %s: %v", name, err)
			}
			return f(in)
		}}
}

// models is the list GET /api/v1/models serves, in this order.
var models = []model{
	entry("stability", "Pasquill stability class from the wind at 10 m, the sun (time and place) and the cloud: Pasquill (1961) / Turner (1970).", hazard.Stability),
	entry("plume", "Gaussian plume of a continuous release with ground reflection; Briggs rural/urban or Pasquill-Gifford sigmas; the ground-level maximum. 100 m to 10 km, wind at least 1 m/s.", hazard.Plume),
	entry("footprint", "Ground footprint of a plume out to a concentration: length, largest half-width and polygon in local metres (x downwind, y crosswind).", hazard.Footprint),
	entry("toxic-footprint", "Plume footprints out to a chemical's toxic endpoints (AEGL-1/2/3 unless named).", hazard.ToxicFootprints),
	entry("puff", "Gaussian puff of an instantaneous release: peak concentration and dose as it passes a receptor. 100 m to 10 km, wind at least 1 m/s.", hazard.Puff),
	entry("units", "ppm to mg/m³ and back for an ideal gas, at 25 °C and 101.325 kPa or as given.", hazard.Units),
	entry("endpoints", "A chemical's toxic endpoints: AEGL-1/2/3 (60 min), ERPG-1/2/3, IDLH, each with its source.", hazard.Endpoints),
	entry("pool-fire", "Pool fire: burning rate, Thomas flame height, Mudan's emissive power, solid-flame and point-source flux, distances to 37.5, 12.5, 5 and 1.6 kW/m².", hazard.PoolFire),
	entry("fireball", "BLEVE fireball (CCPS): diameter, duration, emissive power, view factor, flux, distances to 37.5, 12.5, 5 and 1.6 kW/m².", hazard.Fireball),
	entry("blast", "TNT-equivalence blast: Kingery-Bulmash surface burst and Kinney-Graham free air, distances to 0.7, 3.5, 13.8 and 20.7 kPa.", hazard.Blast),
	entry("erg", "ERG 2016 by UN number: Table 1, Table 3 by container and wind, the BLEVE table.", hazard.ERG),
}

func (s *Server) modelRoutes(api fiber.Router) {
	api.Get("/models", s.listModels)
	api.Post("/models/:model", s.runModel)
}

func (s *Server) listModels(c *fiber.Ctx) error {
	fuels := make([]hazard.Fuel, 0)
	for _, name := range hazard.FuelNames() {
		f, _ := hazard.FuelByName(name)
		fuels = append(fuels, f)
	}
	return c.JSON(fiber.Map{"models": models, "fuels": fuels, "chemicals": hazard.Chemicals(),
		"heatFluxThresholdsKWM2": hazard.Thresholds, "overpressureThresholdsKPa": hazard.OverpressureThresholdsKPa})
}

func (s *Server) runModel(c *fiber.Ctx) error {
	name := c.Params("model")
	for _, m := range models {
		if m.Name != name {
			continue
		}
		body := c.Body()
		if len(bytes.TrimSpace(body)) == 0 {
			body = []byte("{}")
		}
		out, err := m.run(body)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
	known := make([]string, len(models))
	for i, m := range models {
		known[i] = m.Name
	}
	return twin.Errorf(twin.ENOTFOUND, "model", "no model %q; known: %s", name, strings.Join(known, ", "))
}

var timeType = reflect.TypeOf(time.Time{})

// fieldsOf lists a struct's JSON fields, embedded structs flattened, with
// the unit and meaning from the unit and doc tags.
func fieldsOf(t reflect.Type) []modelField {
	var out []modelField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			out = append(out, fieldsOf(f.Type)...)
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		ft := f.Type
		required := ft.Kind() != reflect.Pointer && !strings.Contains(opts, "omitempty")
		out = append(out, modelField{Name: name, Type: typeName(ft), Unit: f.Tag.Get("unit"),
			Meaning: f.Tag.Get("doc"), Required: required})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Required && !out[j].Required })
	return out
}

func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return "string (RFC 3339)"
	case t.Kind() == reflect.Float64:
		return "number"
	case t.Kind() == reflect.Int:
		return "integer"
	case t.Kind() == reflect.Bool:
		return "boolean"
	case t.Kind() == reflect.String:
		return "string"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return "array of " + typeName(t.Elem())
	case t.Kind() == reflect.Map:
		return "object"
	}
	return "object"
}
