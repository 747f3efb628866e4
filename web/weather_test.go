package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"parktwin/twin"
	"parktwin/twin/telemetry"
	"parktwin/twin/weather"
)

// stationReadings feeds the demo park's weather station a wind.
func stationReadings(t *testing.T, tw *twin.Twin, mon *telemetry.Monitor, fromDeg, speed float64) {
	t.Helper()
	now := tw.Clock().Now()
	var rs []telemetry.Reading
	for s := range twin.All[*twin.Sensor](tw.Snapshot()) {
		v := map[twin.SensorType]float64{twin.WindDirection: fromDeg, twin.WindSpeed: speed, twin.Temperature: 8,
			twin.Humidity: 80, twin.CloudCover: 2}
		if x, ok := v[s.Type]; ok && s.Subject == twin.ParkID {
			rs = append(rs, telemetry.Reading{Sensor: s.ID, T: now, Value: x})
		}
	}
	if len(rs) != 5 {
		t.Fatalf("the demo park's station has %d instruments, want 5", len(rs))
	}
	if _, _, err := mon.Ingest(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
	if err := weather.Record(context.Background(), tw, mon); err != nil {
		t.Fatal(err)
	}
}

type weatherAnswer struct {
	Weather   *twin.Weather
	Override  bool
	Stations  *twin.Weather
	Stability *struct{ Class string }
}

// The stations' weather is the park's until an operator overrides it; a
// bad override is refused naming its field and changes nothing; the
// override says who put it; withdrawing it brings the stations' back.
func TestWeatherOverride(t *testing.T) {
	base, tw, mon := startServer(t)
	stationReadings(t, tw, mon, 35, 2)
	get := func() weatherAnswer {
		t.Helper()
		status, b, _ := do(t, "GET", base+"/api/v1/weather", "")
		if status != 200 {
			t.Fatalf("get: %d %s", status, b)
		}
		var w weatherAnswer
		json.Unmarshal(b, &w)
		return w
	}
	w := get()
	if w.Weather == nil || w.Weather.Source != twin.WeatherStation || w.Weather.WindFromDeg != 35 || w.Override || w.Stability == nil {
		t.Fatalf("station weather: %+v", w)
	}

	before := tw.Snapshot().Seq()
	for _, c := range []struct{ body, field string }{
		{`{"windSpeedMS":2}`, "windFromDeg"},
		{`{"windFromDeg":400,"windSpeedMS":2}`, "windFromDeg"},
		{`{"windFromDeg":90,"windSpeedMS":-1}`, "windSpeedMS"},
		{`{"windFromDeg":90,"windSpeedMS":2,"cloudOktas":9}`, "cloudOktas"},
		{`{"windFromDeg":90,"windSpeedMS":2,"stability":"G"}`, "stability"},
	} {
		status, b, _ := do(t, "PUT", base+"/api/v1/weather", c.body)
		if status != 422 || !strings.Contains(string(b), c.field) {
			t.Errorf("%s: %d %s, want 422 naming %s", c.body, status, b, c.field)
		}
	}
	if tw.Snapshot().Seq() != before {
		t.Fatal("a refused override changed the park")
	}

	status, b, _ := do(t, "PUT", base+"/api/v1/weather", `{"windFromDeg":125,"windSpeedMS":2,"note":"现场观测"}`)
	if status != 200 {
		t.Fatalf("put: %d %s", status, b)
	}
	w = get()
	if !w.Override || w.Weather.Source != twin.WeatherOverride || w.Weather.WindFromDeg != 125 || w.Weather.By == "" ||
		w.Weather.TemperatureC != 8 || w.Stations.WindFromDeg != 35 {
		t.Fatalf("override: %+v %+v", w, w.Weather)
	}
	// The stations go on reporting, and do not replace the override.
	stationReadings(t, tw, mon, 200, 4)
	if w = get(); w.Weather.WindFromDeg != 125 {
		t.Fatalf("the stations replaced the override: %+v", w.Weather)
	}
	if status, b, _ := do(t, "DELETE", base+"/api/v1/weather", ""); status != 200 {
		t.Fatalf("delete: %d %s", status, b)
	}
	if w = get(); w.Override || w.Weather.Source != twin.WeatherStation || w.Weather.WindFromDeg != 200 {
		t.Fatalf("after withdrawing: %+v", w.Weather)
	}
	if status, _, _ := do(t, "DELETE", base+"/api/v1/weather", ""); status != 404 {
		t.Errorf("withdrawing no override: %d, want 404", status)
	}
}
