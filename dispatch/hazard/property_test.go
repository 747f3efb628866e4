package hazard

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// noNaN fails if any float in v (walked through its JSON form) is not
// finite; JSON cannot even carry NaN, so a marshalling error fails too.
func noNaN(t *rapid.T, v any) {
	if _, err := json.Marshal(v); err != nil {
		t.Fatalf("output does not encode: %v", err)
	}
	var walk func(reflect.Value)
	walk = func(r reflect.Value) {
		switch r.Kind() {
		case reflect.Float64:
			if f := r.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				t.Fatalf("non-finite value in %+v", v)
			}
		case reflect.Pointer, reflect.Interface:
			if !r.IsNil() {
				walk(r.Elem())
			}
		case reflect.Struct:
			for i := 0; i < r.NumField(); i++ {
				if r.Type().Field(i).IsExported() {
					walk(r.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < r.Len(); i++ {
				walk(r.Index(i))
			}
		case reflect.Map:
			for _, k := range r.MapKeys() {
				walk(r.MapIndex(k))
			}
		}
	}
	walk(reflect.ValueOf(v))
}

func class(t *rapid.T) string {
	return rapid.SampledFrom([]string{"A", "B", "C", "D", "E", "F", "A-B", "B-C", "C-D", "D-E", "E-F"}).Draw(t, "class")
}

func logFloat(t *rapid.T, lo, hi float64, name string) float64 {
	return math.Min(hi, math.Max(lo, math.Exp(rapid.Float64Range(math.Log(lo), math.Log(hi)).Draw(t, name))))
}

func source(t *rapid.T) PlumeSource {
	return PlumeSource{
		ReleaseRateKgS: logFloat(t, 1e-4, 1e4, "q"),
		WindSpeedMS:    rapid.Float64Range(1, 50).Draw(t, "u"),
		StabilityClass: class(t),
		Dispersion:     rapid.SampledFrom([]string{BriggsRural, BriggsUrban, PasquillGifford}).Draw(t, "scheme"),
		ReleaseHeightM: rapid.Float64Range(0, 500).Draw(t, "h"),
	}
}

func TestPropertyNoNaN(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := source(t)
		in := PlumeInput{PlumeSource: s, DistanceM: rapid.Float64Range(100, 10000).Draw(t, "x"),
			CrosswindM: rapid.Float64Range(-10000, 10000).Draw(t, "y"), ReceptorHeightM: rapid.Float64Range(0, 500).Draw(t, "z")}
		out, err := Plume(in)
		if err != nil {
			t.Fatalf("valid plume refused: %v", err)
		}
		noNaN(t, out)
		fp, err := Footprint(FootprintInput{PlumeSource: s, ThresholdMgM3: logFloat(t, 1e-3, 1e6, "thr")})
		if err != nil {
			t.Fatalf("valid footprint refused: %v", err)
		}
		noNaN(t, fp)
		pu, err := Puff(PuffInput{MassKg: logFloat(t, 1e-3, 1e7, "m"), WindSpeedMS: s.WindSpeedMS, StabilityClass: s.StabilityClass,
			ReleaseHeightM: s.ReleaseHeightM, DistanceM: in.DistanceM, CrosswindM: in.CrosswindM, ReceptorHeightM: in.ReceptorHeightM})
		if err != nil {
			t.Fatalf("valid puff refused: %v", err)
		}
		noNaN(t, pu)
	})
}

func TestPropertyFireAndBlastNoNaN(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := rapid.Float64Range(1, 100).Draw(t, "d")
		atm := Atmosphere{AirTemperatureK: ptr(rapid.Float64Range(233, 323).Draw(t, "T")),
			RelativeHumidityPct: ptr(rapid.Float64Range(0, 100).Draw(t, "rh"))}
		pool, err := PoolFire(PoolFireInput{Fuel: rapid.SampledFrom(tables.fuelNames).Draw(t, "fuel"), DiameterM: d,
			DistanceM: ptr(d/2*1.002 + logFloat(t, 1e-3, 9000, "x")), Atmosphere: atm})
		if err != nil {
			t.Fatalf("valid pool fire refused: %v", err)
		}
		noNaN(t, pool)
		m := logFloat(t, 1, 1e6, "m")
		fb, err := Fireball(FireballInput{MassKg: m, DistanceM: ptr(rapid.Float64Range(0, 20000).Draw(t, "fx")), Atmosphere: atm})
		if err == nil {
			noNaN(t, fb)
		} else if fb.DiameterM != 0 {
			t.Fatalf("refused with output: %v", err)
		}
		in := BlastInput{Kind: Condensed, MassKg: logFloat(t, 1e-3, 1e7, "w"), TNTEquivalence: rapid.Float64Range(0.1, 2).Draw(t, "f")}
		if rapid.Bool().Draw(t, "vce") {
			in = BlastInput{Kind: VapourCloud, MassKg: in.MassKg, HeatOfCombustionJKg: rapid.Float64Range(5e6, 1.5e8).Draw(t, "hc"),
				YieldFraction: rapid.Float64Range(0.01, 0.1).Draw(t, "yield")}
		}
		bl, err := Blast(in)
		if err != nil {
			t.Fatalf("valid blast refused: %v", err)
		}
		noNaN(t, bl)
		st, err := Stability(StabilityInput{WindSpeedMS: rapid.Float64Range(0, 60).Draw(t, "u"),
			Time:   time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "t"), 0),
			LatDeg: rapid.Float64Range(-90, 90).Draw(t, "lat"), LonDeg: rapid.Float64Range(-180, 180).Draw(t, "lon"),
			CloudCoverOktas: rapid.IntRange(0, 8).Draw(t, "oktas")})
		if err != nil || st.Class == "" {
			t.Fatalf("stability: %+v, %v", st, err)
		}
	})
}

// ppm → mg/m³ → ppm gives back the ppm, at any temperature and pressure.
func TestPropertyUnitsRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ppm := logFloat(t, 1e-6, 1e6, "ppm")
		mw := rapid.Float64Range(1, 1000).Draw(t, "mw")
		tk := rapid.Float64Range(200, 400).Draw(t, "T")
		p := rapid.Float64Range(50000, 110000).Draw(t, "p")
		there, err := Units(UnitsInput{PPM: &ppm, MolarMassGMol: mw, TemperatureK: &tk, PressurePa: &p})
		if err != nil {
			t.Fatal(err)
		}
		back, err := Units(UnitsInput{MgM3: &there.MgM3, MolarMassGMol: mw, TemperatureK: &tk, PressurePa: &p})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(back.PPM-ppm) > 1e-12*ppm {
			t.Fatalf("%g ppm came back as %g", ppm, back.PPM)
		}
	})
}

// The embedded data parses, and the loader names a bad file.
func TestDataLoads(t *testing.T) {
	if _, err := load(); err != nil {
		t.Fatal(err)
	}
	if len(tables.fuelNames) < 10 || len(tables.chemicals) != 22 || len(tables.puff) != 6 {
		t.Errorf("fuels %d, chemicals %d, puff classes %d", len(tables.fuelNames), len(tables.chemicals), len(tables.puff))
	}
	if _, err := num("x.csv", 0, "col", "abc"); err == nil {
		t.Error("num accepted abc")
	}
}
