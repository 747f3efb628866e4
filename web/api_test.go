package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
	"parktwin/web"
)

const testToken = "test-gateway-token"

// startServer serves a twin holding the demo park, on a real bbolt file
// and a real listener, and returns its base URL.
func startServer(t *testing.T) (string, *twin.Twin, *telemetry.Monitor) {
	t.Helper()
	return startServerWith(t, web.StreamConfig{})
}

// startServerWith is startServer with the stream tuned.
func startServerWith(t testing.TB, sc web.StreamConfig) (string, *twin.Twin, *telemetry.Monitor) {
	t.Helper()
	return startServerConfig(t, func(c *web.Config) { c.Stream = sc })
}

// startServerConfig is startServer with the configuration changed by set.
func startServerConfig(t testing.TB, set func(*web.Config)) (string, *twin.Twin, *telemetry.Monitor) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	es := demo.GenerateWith(1, 1, demo.Options{Now: time.Now()}) // its stock ready today
	cmds := twin.Creates(es...)
	if _, err := tw.Apply(context.Background(), cmds...); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, History: db, Rules: telemetry.DefaultRules()})
	if err != nil {
		t.Fatal(err)
	}
	svc := openAuth(t, db)
	cfg := web.Config{Twin: tw, Monitor: mon, Desk: dispatch.NewDesk(tw, dispatch.DefaultRules()), Auth: svc}
	set(&cfg)
	srv := web.New(cfg)
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		tw.Close()
		if err := db.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		db.Close()
	})
	// What parkd's monitoring does within its first second: grade the
	// units, set the safety codes.
	if err := mon.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	serving(base, svc)
	return base, tw, mon
}

func do(t testing.TB, method, url, body string) (int, []byte, http.Header) {
	t.Helper()
	return doWith(t, method, url, body, nil)
}

// doWith is do with the headers h.
func doWith(t testing.TB, method, url, body string, h http.Header) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/geo+json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b, res.Header
}

type parkAnswer struct {
	Name   string         `json:"name"`
	Seq    uint64         `json:"seq"`
	Counts map[string]int `json:"counts"`
}

func getPark(t *testing.T, base string) parkAnswer {
	t.Helper()
	status, b, _ := do(t, "GET", base+"/api/v1/park", "")
	if status != 200 {
		t.Fatalf("GET /api/v1/park: %d %s", status, b)
	}
	var p parkAnswer
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParkCounts(t *testing.T) {
	base, _, _ := startServer(t)
	p := getPark(t, base)
	if p.Name != "杭州湾上虞经济技术开发区" {
		t.Errorf("name: got %q", p.Name)
	}
	minimums := map[string]int{"enterprises": 60, "tanks": 400, "sewagePools": 40, "wasteStores": 20,
		"hazardUnits": 15, "warehouses": 4, "teams": 10, "vehicles": 30, "roads": 500, "targets": 10, "chemicals": 30}
	for k, min := range minimums {
		if got := p.Counts[k]; got < min {
			t.Errorf("counts[%s]: got %d, want at least %d", k, got, min)
		}
	}
	if p.Seq == 0 {
		t.Error("seq is 0")
	}
}

// Every layer is an RFC 7946 FeatureCollection of its own kind, every
// geometry in or near the zone.
func TestLayersAreGeoJSON(t *testing.T) {
	base, _, _ := startServer(t)
	p := getPark(t, base)
	for _, k := range twin.Kinds {
		if k == twin.KindPark || k == twin.KindChemical || k == twin.KindLedger {
			continue
		}
		status, b, h := do(t, "GET", base+"/api/v1/"+k.Path(), "")
		if status != 200 || h.Get("Content-Type") != "application/geo+json" {
			t.Fatalf("GET %s: %d %s", k.Path(), status, h.Get("Content-Type"))
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			t.Fatalf("%s: %v", k.Path(), err)
		}
		if got, want := len(fc.Features), p.Counts[k.CountKey()]; got != want {
			t.Errorf("%s: %d features, counts say %d", k.Path(), got, want)
		}
		for _, f := range fc.Features {
			if f.Properties["kind"] != k.String() {
				t.Fatalf("%s: feature %v has kind %v", k.Path(), f.ID, f.Properties["kind"])
			}
			if f.Geometry == nil {
				switch k {
				case twin.KindOrder, twin.KindGrading, twin.KindTask, twin.KindDanger:
					continue // records with no place
				}
				t.Fatalf("%s: feature %v has no geometry", k.Path(), f.ID)
			}
			b := f.Geometry.Bound()
			if b.Min[0] < 120.6 || b.Max[0] > 121.1 || b.Min[1] < 29.95 || b.Max[1] > 30.35 {
				t.Fatalf("%s: feature %v lies outside the zone: %v", k.Path(), f.ID, b)
			}
		}
	}
	status, b, _ := do(t, "GET", base+"/api/v1/chemicals", "")
	var chems []map[string]any
	if err := json.Unmarshal(b, &chems); status != 200 || err != nil {
		t.Fatalf("GET chemicals: %d %v", status, err)
	}
	if got, want := len(chems), p.Counts["chemicals"]; got != want {
		t.Errorf("chemicals: %d, counts say %d", got, want)
	}
}

const newTank = `{"type":"Feature","geometry":{"type":"Point","coordinates":[%s]},
 "properties":{"kind":"tank","name":"T-901 甲苯储罐","enterprise":"%s","chemical":"108-88-3","type":"fixed-roof",
 "diameterM":%s,"heightM":12,"capacityM3":%s,"maxFill":0.85,"sis":false,"lastInspection":"2025-06-01"}}`

func tankBody(pos, enterprise, diameter, capacity string) string {
	return fmt.Sprintf(newTank, pos, enterprise, diameter, capacity)
}

// firstEnterprise returns the ID and a point inside the parcel of an
// enterprise of the park.
func firstEnterprise(t *testing.T, tw *twin.Twin) (string, string) {
	t.Helper()
	for e := range twin.All[*twin.Enterprise](tw.Snapshot()) {
		c := e.Parcel.Bound().Center()
		return e.ID, fmt.Sprintf("%.6f,%.6f", c[0], c[1])
	}
	t.Fatal("no enterprise")
	return "", ""
}

func TestCreateReadPatchDelete(t *testing.T) {
	base, tw, _ := startServer(t)
	ent, pos := firstEnterprise(t, tw)
	status, b, h := do(t, "POST", base+"/api/v1/tanks", tankBody(pos, ent, "10", "1000"))
	if status != 201 {
		t.Fatalf("POST: %d %s", status, b)
	}
	var created struct {
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(b, &created); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.ID, "TNK-") || h.Get("Location") != "/api/v1/tanks/"+created.ID {
		t.Fatalf("created %q at %q", created.ID, h.Get("Location"))
	}
	status, got, _ := do(t, "GET", base+"/api/v1/tanks/"+created.ID, "")
	if status != 200 || !bytes.Equal(got, b) {
		t.Fatalf("GET after POST: %d\n%s\nwant\n%s", status, got, b)
	}
	status, b, _ = do(t, "PATCH", base+"/api/v1/tanks/"+created.ID, `{"properties":{"maxFill":0.9}}`)
	if status != 200 || !strings.Contains(string(b), `"maxFill":0.9`) {
		t.Fatalf("PATCH: %d %s", status, b)
	}
	status, b, _ = do(t, "DELETE", base+"/api/v1/tanks/"+created.ID, "")
	if status != 204 {
		t.Fatalf("DELETE: %d %s", status, b)
	}
	status, _, _ = do(t, "GET", base+"/api/v1/tanks/"+created.ID, "")
	if status != 404 {
		t.Fatalf("GET after DELETE: %d", status)
	}
}

// Bad input gets a 4xx JSON error that names the problem, and the park's
// seq does not move.
func TestBadInputChangesNothing(t *testing.T) {
	base, tw, _ := startServer(t)
	ent, pos := firstEnterprise(t, tw)
	tests := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"malformed JSON", "POST", "/api/v1/tanks", `{"type":"Feature",`, 400, "malformed", ""},
		{"no body", "POST", "/api/v1/tanks", ``, 400, "malformed", ""},
		{"not a feature", "POST", "/api/v1/tanks", `{"type":"Point","coordinates":[120.8,30.15]}`, 422, "invalid", "type"},
		{"bad geometry", "POST", "/api/v1/tanks", tankBody("190,30.15", ent, "10", "1000"), 422, "invalid", "geometry"},
		{"outside the park", "POST", "/api/v1/tanks", tankBody("121.6,30.15", ent, "10", "1000"), 422, "invalid", "geometry"},
		{"open ring", "POST", "/api/v1/enterprises", openRing, 422, "invalid", "geometry[0]"},
		{"missing enterprise", "POST", "/api/v1/tanks", tankBody(pos, "ENT-9999", "10", "1000"), 422, "invalid", "enterprise"},
		{"negative capacity", "POST", "/api/v1/tanks", tankBody(pos, ent, "10", "-1000"), 422, "invalid", "capacityM3"},
		{"wrong type", "POST", "/api/v1/tanks", tankBody(pos, ent, `"ten"`, "1000"), 422, "invalid", "diameterM"},
		{"unknown field", "POST", "/api/v1/tanks", strings.Replace(tankBody(pos, ent, "10", "1000"), `"sis"`, `"colour":"red","sis"`, 1), 422, "invalid", "properties.colour"},
		{"unknown member", "POST", "/api/v1/tanks", strings.Replace(tankBody(pos, ent, "10", "1000"), `"type":"Feature"`, `"type":"Feature","extra":1`, 1), 422, "invalid", "extra"},
		{"wrong kind", "POST", "/api/v1/roads", tankBody(pos, ent, "10", "1000"), 422, "invalid", "properties.kind"},
		{"no such tank", "PATCH", "/api/v1/tanks/TNK-9999-01", `{"properties":{"maxFill":0.5}}`, 404, "not_found", "id"},
		{"bad patch", "PATCH", "/api/v1/tanks/TNK-0001-01", `{"properties":{"maxFill":1.5}}`, 422, "invalid", "maxFill"},
		{"referenced enterprise", "DELETE", "/api/v1/enterprises/" + ent, ``, 409, "conflict", "id"},
		{"no such route", "GET", "/api/v1/spaceships", ``, 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := getPark(t, base).Seq
			status, b, _ := do(t, tt.method, base+tt.path, tt.body)
			var e struct{ Error, Message, Field string }
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("%d, body not JSON: %.200s", status, b)
			}
			if status != tt.status || e.Error != tt.code || e.Field != tt.field {
				t.Errorf("got %d %q field %q (%s), want %d %q field %q", status, e.Error, e.Field, e.Message, tt.status, tt.code, tt.field)
			}
			if e.Message == "" {
				t.Error("no message")
			}
			if after := getPark(t, base).Seq; after != before {
				t.Errorf("seq moved from %d to %d", before, after)
			}
		})
	}
}

const openRing = `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[120.8,30.15],[120.81,30.15],[120.81,30.16],[120.8,30.16]]]},
 "properties":{"name":"上虞开环化工有限公司","creditCode":"91330604MA2BCDE12X","grade":"B","industry":"精细化工",
 "processes":[],"peopleOnShift":10,"dutyPhone":"0575-82100002","fireBrigade":false}}`

// A body over the limit is refused on its declared length, before it is
// read: the request is written by hand so the test can read the answer
// without sending 5 MB into a closed connection.
func TestHugeBodyRefused(t *testing.T) {
	base, _, _ := startServer(t)
	before := getPark(t, base).Seq
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/tanks HTTP/1.1\r\nHost: parkd\r\nContent-Type: application/geo+json\r\nContent-Length: %d\r\n\r\n", 5<<20)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e struct{ Error, Message string }
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 413 || e.Error != "too_large" || e.Message == "" {
		t.Errorf("got %d %q %q, want 413 too_large", res.StatusCode, e.Error, e.Message)
	}
	if after := getPark(t, base).Seq; after != before {
		t.Errorf("seq moved from %d to %d", before, after)
	}
}

func TestExportIsAParkFile(t *testing.T) {
	base, tw, _ := startServer(t)
	status, b, h := do(t, "GET", base+"/api/v1/export", "")
	if status != 200 {
		t.Fatalf("export: %d", status)
	}
	es, err := twin.ReadCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range twin.ParkKinds {
		n += tw.Snapshot().Len(k)
	}
	if len(es) != n {
		t.Errorf("export holds %d entities, the twin %d", len(es), n)
	}
	if got, want := h.Get("Park-Seq"), fmt.Sprint(tw.Snapshot().Seq()); got != want {
		t.Errorf("Park-Seq: got %s, want %s", got, want)
	}
}
