package web_test

import (
	"encoding/json"
	"math"
	"net/http"
	"testing"
)

func TestModelsList(t *testing.T) {
	base, _, _ := startServer(t)
	code, body, _ := do(t, http.MethodGet, base+"/api/v1/models", "")
	if code != http.StatusOK {
		t.Fatalf("GET /models: %d %s", code, body)
	}
	var got struct {
		Models []struct {
			Name            string
			Inputs, Outputs []struct {
				Name, Type, Unit, Meaning string
				Required                  bool
			}
		}
		Fuels     []struct{ Name string }
		Chemicals []struct{ CAS string }
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"stability", "plume", "footprint", "toxic-footprint", "puff", "units", "endpoints", "pool-fire", "fireball", "blast", "erg"}
	if len(got.Models) != len(want) {
		t.Fatalf("%d models, want %d", len(got.Models), len(want))
	}
	for i, m := range got.Models {
		if m.Name != want[i] || len(m.Inputs) == 0 || len(m.Outputs) == 0 {
			t.Errorf("model %d: %+v", i, m)
		}
	}
	plume := got.Models[1]
	units := map[string]string{}
	for _, f := range plume.Inputs {
		units[f.Name] = f.Unit
	}
	if units["windSpeedMS"] != "m/s" || units["releaseRateKgS"] != "kg/s" || units["distanceM"] != "m" {
		t.Errorf("plume inputs: %+v", plume.Inputs)
	}
	if len(got.Fuels) < 10 || len(got.Chemicals) != 22 { // the endpoints of dispatch/hazard/data/endpoints.csv
		t.Errorf("%d fuels, %d chemicals", len(got.Fuels), len(got.Chemicals))
	}
}

// Turner (1970) problem 1 over HTTP: 3 g/s, overcast night, 7 m/s, 3 km.
func TestModelsRun(t *testing.T) {
	base, _, _ := startServer(t)
	code, body, _ := do(t, http.MethodPost, base+"/api/v1/models/plume",
		`{"releaseRateKgS":0.003,"windSpeedMS":7,"stabilityClass":"D","dispersion":"pasquill-gifford","releaseHeightM":0,"distanceM":3000}`)
	if code != http.StatusOK {
		t.Fatalf("plume: %d %s", code, body)
	}
	var p struct{ ConcentrationMgM3, SigmaYM, SigmaZM float64 }
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.ConcentrationMgM3-0.011)/0.011 > 0.05 {
		t.Errorf("concentration %.4g mg/m³, want 0.011 ± 5 %%", p.ConcentrationMgM3)
	}
	code, body, _ = do(t, http.MethodPost, base+"/api/v1/models/erg", `{"un":1017,"container":"RAIL","windSpeedMS":2}`)
	var e struct {
		Edition string
		Pick    struct{ IsolationM, DayM, NightM int }
	}
	if code != http.StatusOK || json.Unmarshal(body, &e) != nil || e.Pick.IsolationM != 1000 || e.Pick.DayM != 9900 || e.Edition != "ERG 2016" {
		t.Errorf("erg: %d %s", code, body)
	}
	code, body, _ = do(t, http.MethodPost, base+"/api/v1/models/stability",
		`{"windSpeedMS":2,"time":"2026-12-01T16:00:00Z","latDeg":30.1,"lonDeg":120.9,"cloudCoverOktas":1}`)
	var s struct{ Class string }
	if code != http.StatusOK || json.Unmarshal(body, &s) != nil || s.Class != "F" {
		t.Errorf("stability at midnight, clear, 2 m/s: %d %s", code, body)
	}
}

func TestModelsRefuse(t *testing.T) {
	base, _, _ := startServer(t)
	for _, c := range []struct {
		model, body string
		status      int
		field       string
	}{
		{"plume", `{"releaseRateKgS":1,"windSpeedMS":0.3,"stabilityClass":"F","dispersion":"briggs-rural","distanceM":500}`, 422, "windSpeedMS"},
		{"plume", `{"releaseRateKgS":1,"windSpeedMS":3,"stabilityClass":"F","dispersion":"briggs-rural","distanceM":20}`, 422, "distanceM"},
		{"pool-fire", `{"fuel":"gasoline","diameterM":10,"distanceM":3}`, 422, "distanceM"},
		{"fireball", `{"massKg":-5}`, 422, "massKg"},
		{"blast", `{"kind":"vapour-cloud","massKg":1000,"heatOfCombustionJKg":46e6,"yieldFraction":0.4}`, 422, "yieldFraction"},
		{"endpoints", `{"cas":"1-2-3"}`, 422, "cas"},
		{"plume", `{"releaseRateKgS":1,"windSpeed":3}`, 400, ""},
		{"plume", `{not json`, 400, ""},
		{"nonesuch", `{}`, 404, "model"},
	} {
		code, body, _ := do(t, http.MethodPost, base+"/api/v1/models/"+c.model, c.body)
		var e struct{ Error, Message, Field string }
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("%s %s: %d %s", c.model, c.body, code, body)
		}
		if code != c.status || e.Field != c.field || e.Message == "" {
			t.Errorf("%s %s: %d %+v, want %d naming %q", c.model, c.body, code, e, c.status, c.field)
		}
	}
}
