package web_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parktwin/twin"
	"parktwin/web/auth"
)

// chlorineIncident reports a toxic release on the demo park's chlorine
// tank with the wind put from fromDeg, and returns its ID.
func chlorineIncident(t *testing.T, base string, fromDeg float64) string {
	t.Helper()
	if status, b, _ := do(t, "PUT", base+"/api/v1/weather", fmt.Sprintf(`{"windFromDeg":%v,"windSpeedMS":2,"cloudOktas":2}`, fromDeg)); status != 200 {
		t.Fatalf("weather: %d %s", status, b)
	}
	status, b, _ := do(t, "POST", base+"/api/v1/incidents", `{"type":"toxic-release","entity":"TNK-0013-01","level":"III","reporter":"值班员"}`)
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var inc struct{ ID string }
	json.Unmarshal(b, &inc)
	return inc.ID
}

// POST …/release: entered by the operations room and journalled with who
// entered it; impossible inputs are refused with 422 naming the input;
// a reader may not enter one.
func TestReleaseRoute(t *testing.T) {
	base, tw, _ := startServer(t)
	id := chlorineIncident(t, base, 35)
	url := base + "/api/v1/incidents/" + id + "/release"
	before := tw.Snapshot().Seq()
	for _, c := range []struct{ body, field string }{
		{`{"holeDiameterMM":5000}`, "holeDiameterMM"},
		{`{"holeDiameterMM":0}`, "holeDiameterMM"},
		{`{"rateKgS":-1}`, "rateKgS"},
		{`{"durationS":0}`, "durationS"},
		{`{"inventoryKg":1e6}`, "inventoryKg"},
		{`{"holeDiameterMM":25,"rateKgS":3}`, "rateKgS"},
		{`{"holeDiameterMM":25,"phase":"plasma"}`, "phase"},
	} {
		status, b, _ := do(t, "POST", url, c.body)
		var e struct{ Field string }
		json.Unmarshal(b, &e)
		if status != 422 || e.Field != c.field {
			t.Errorf("%s: %d %s, want 422 naming %s", c.body, status, b, c.field)
		}
	}
	if status, b, _ := do(t, "POST", url, `{"holeDiameterMM":25,"speed":3}`); status != 400 {
		t.Errorf("an unknown member: %d %s", status, b)
	}
	if tw.Snapshot().Seq() != before {
		t.Fatal("a refused release changed the park")
	}
	reader := roleToken(t, base, auth.NewToken{Name: "值班读者", Role: auth.Viewer})
	if status, b, _ := doWith(t, "POST", url, `{"holeDiameterMM":25}`, http.Header{"Authorization": {"Bearer " + reader}}); status != 403 {
		t.Errorf("a viewer entered a release: %d %s", status, b)
	}

	status, b, _ := doAs(t, "调度员乙", "POST", url, `{"holeDiameterMM":50,"durationS":1800,"note":"T-101 液相阀"}`)
	if status != 200 {
		t.Fatalf("release: %d %s", status, b)
	}
	var out struct {
		Incident struct {
			Properties struct {
				Release  *twin.Release
				Timeline []twin.TimelineEntry
			}
		}
		Source struct {
			RateKgS float64
			Entered bool
		}
	}
	json.Unmarshal(b, &out)
	p := out.Incident.Properties
	if p.Release == nil || p.Release.HoleDiameterMM != 50 || p.Release.By != "调度员乙" || !(out.Source.RateKgS > 0) || !out.Source.Entered {
		t.Fatalf("answer %s", b)
	}
	last := p.Timeline[len(p.Timeline)-1]
	if last.Actor != "调度员乙" || !strings.Contains(last.What, "release entered") {
		t.Errorf("timeline step %+v", last)
	}
}

// GET …/zones: a FeatureCollection whose zones say what lies inside; with
// format=cap a CAP 1.2 alert; 409 for an incident without a chemical.
func TestZonesRoute(t *testing.T) {
	base, _, _ := startServer(t)
	id := chlorineIncident(t, base, 35)
	status, b, h := do(t, "GET", base+"/api/v1/incidents/"+id+"/zones", "")
	if status != 200 || h.Get("Content-Type") != "application/geo+json" || h.Get("Park-Seq") == "" {
		t.Fatalf("zones: %d %s %s", status, h.Get("Content-Type"), b)
	}
	var fc struct {
		Type       string
		Incident   string
		Hot        []string
		Evacuation []struct{ Target string }
		Features   []struct {
			ID         string
			Geometry   struct{ Type string }
			Properties struct {
				Kind   string
				Hot    bool
				Inside struct {
					Targets []struct{ ID string }
					People  int
				}
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || fc.Incident != id || len(fc.Hot) != 2 || len(fc.Features) < 4 || len(fc.Evacuation) == 0 {
		t.Fatalf("zones %s", b)
	}
	for _, f := range fc.Features {
		if f.Geometry.Type != "Polygon" {
			t.Errorf("%s: %s", f.ID, f.Geometry.Type)
		}
	}

	status, b, h = do(t, "GET", base+"/api/v1/incidents/"+id+"/zones?format=cap", "")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/xml") {
		t.Fatalf("cap: %d %s", status, h.Get("Content-Type"))
	}
	var alert struct {
		XMLName xml.Name
		Status  string `xml:"status"`
		Info    []struct {
			Area []struct{ AreaDesc string } `xml:"area"`
		} `xml:"info"`
	}
	if err := xml.Unmarshal(b, &alert); err != nil || alert.XMLName.Space != "urn:oasis:names:tc:emergency:cap:1.2" ||
		alert.Status != "Actual" || len(alert.Info) != 2 || len(alert.Info[0].Area) != len(fc.Features) {
		t.Fatalf("cap alert %v: %.400s", err, b)
	}
	if status, b, _ := do(t, "GET", base+"/api/v1/incidents/"+id+"/zones?format=kml", ""); status != 422 || !strings.Contains(string(b), "format") {
		t.Errorf("format=kml: %d %s", status, b)
	}
	status, b, _ = do(t, "POST", base+"/api/v1/incidents", `{"type":"vehicle-accident","point":[120.85,30.17],"level":"IV","reporter":"值班员"}`)
	if status != 201 {
		t.Fatalf("report: %d %s", status, b)
	}
	var other struct{ ID string }
	json.Unmarshal(b, &other)
	if status, b, _ := do(t, "GET", base+"/api/v1/incidents/"+other.ID+"/zones", ""); status != 409 {
		t.Errorf("zones of an incident without a chemical: %d %s", status, b)
	}
	if status, _, _ := do(t, "GET", base+"/api/v1/incidents/INC-99999/zones", ""); status != 404 {
		t.Errorf("zones of no incident: %d", status)
	}
}

// The zones layer: a snapshot holds every open incident's zones; a wind
// change is followed by a "zones" message of the incident, at the seq of
// the change; a client resuming at that seq gets it again.
func TestStreamZonesLayer(t *testing.T) {
	base, tw, _ := startServer(t)
	id := chlorineIncident(t, base, 35)
	conn := dial(t, base, "?layers=zones,park", nil)
	snap := next(t, conn)
	var layers struct {
		Zones struct {
			Type      string
			Incidents []struct{ Incident string }
			Features  []struct{ ID string }
		}
	}
	json.Unmarshal(snap.Layers, &layers)
	if layers.Zones.Type != "FeatureCollection" || len(layers.Zones.Incidents) != 1 || layers.Zones.Incidents[0].Incident != id || len(layers.Zones.Features) < 4 {
		t.Fatalf("snapshot's zones: %.300s", snap.Layers)
	}
	if status, b, _ := do(t, "PUT", base+"/api/v1/weather", `{"windFromDeg":125,"windSpeedMS":2,"cloudOktas":2}`); status != 200 {
		t.Fatalf("weather: %d %s", status, b)
	}
	change := nextOf(t, conn, "change")
	if change.Layer != "park" {
		t.Fatalf("first change %s", change.Layer)
	}
	zm := nextOf(t, conn, "zones")
	if zm.ID != id || zm.Op != "updated" || zm.Seq != change.Seq || zm.Layer != "zones" {
		t.Fatalf("zones message %+v after change %d", zm, change.Seq)
	}
	conn.Close()
	// Resumed at the wind change's seq: the zones message again.
	conn = dial(t, base, fmt.Sprintf("?layers=zones,park&since=%d", change.Seq), nil)
	if m := next(t, conn); m.Type != "zones" || m.ID != id || m.Seq != change.Seq {
		t.Fatalf("resume at %d: %+v", change.Seq, m)
	}
	// The incident closed: its zones go.
	if status, b, _ := do(t, "POST", base+"/api/v1/incidents/"+id+"/cancel", `{}`); status != 200 {
		t.Fatalf("cancel: %d %s", status, b)
	}
	if m := nextOf(t, conn, "zones"); m.ID != id || m.Op != "deleted" {
		t.Errorf("after the cancel: %+v", m)
	}
	_ = tw
}
