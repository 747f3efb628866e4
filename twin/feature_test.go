package twin_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"parktwin/twin"
)

func TestFeatureRoundTrip(t *testing.T) {
	for _, e := range fixture() {
		b, err := twin.EncodeFeature(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := twin.DecodeFeature(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		b2, err := twin.EncodeFeature(got)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, b2) {
			t.Errorf("round trip changed the feature:\n%s\n%s", b, b2)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%s %s: %v", got.Kind(), got.EntityID(), err)
		}
	}
}

func TestDecodeFeatureErrors(t *testing.T) {
	tests := []struct {
		in, code, field string
	}{
		{`{"type":"Feature",`, twin.EMALFORMED, ""},
		{`[1,2]`, twin.EMALFORMED, ""},
		{`{"type":"Point","coordinates":[1,2]}`, twin.EINVALID, "type"},
		{`{"type":"Feature","geometry":null,"properties":{"kind":"spaceship"}}`, twin.EINVALID, "properties.kind"},
		{`{"type":"Feature","geometry":null,"properties":{"name":"x"}}`, twin.EINVALID, "properties.kind"},
		{`{"type":"Feature","id":7,"geometry":null,"properties":{"kind":"tank"}}`, twin.EINVALID, "id"},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[120.8,30.1]},"properties":{"kind":"tank","capacityM3":"big"}}`, twin.EINVALID, "capacityM3"},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[120.8,30.1]},"properties":{"kind":"tank","type":"round"}}`, twin.EINVALID, "type"},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[120.8,30.1]},"properties":{"kind":"tank","volume":3}}`, twin.EINVALID, "properties.volume"},
		{`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[120.8,30.1],[120.9,30.1],[120.9,30.2],[120.8,30.1]]]},"properties":{"kind":"tank"}}`, twin.EINVALID, "geometry"},
		{`{"type":"Feature","geometry":{"type":"Blob","coordinates":[]},"properties":{"kind":"tank"}}`, twin.EINVALID, "geometry"},
		{`{"type":"Feature","geometry":null,"properties":{"kind":"team","vehicles":[{"id":"VEH-1","type":"spaceship"}]}}`, twin.EINVALID, "vehicles"},
	}
	for _, tt := range tests {
		_, err := twin.DecodeFeature([]byte(tt.in))
		if got := twin.ErrorCode(err); got != tt.code {
			t.Errorf("%s: code %q (%v), want %q", tt.in, got, err, tt.code)
		}
		if got := twin.ErrorField(err); got != tt.field {
			t.Errorf("%s: field %q (%v), want %q", tt.in, got, err, tt.field)
		}
	}
}

func TestCollectionRoundTrip(t *testing.T) {
	tw := openTwin(t, nil)
	var first bytes.Buffer
	if err := twin.WriteCollection(&first, tw.Snapshot()); err != nil {
		t.Fatal(err)
	}
	// A file in the wrong order (tanks before their enterprise) still
	// loads: reading sorts it into load order.
	var reversed bytes.Buffer
	backward := slices.Clone(twin.ParkKinds)
	slices.Reverse(backward)
	if err := twin.WriteCollection(&reversed, tw.Snapshot(), backward...); err != nil {
		t.Fatal(err)
	}
	es, err := twin.ReadCollection(reversed.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Apply(context.Background(), twin.Creates(es...)...); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := twin.WriteCollection(&second, fresh.Snapshot()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(second.String(), first.String()); diff != "" {
		t.Errorf("export, import, export changed the file (-got +want):\n%s", diff)
	}
}

func TestValidCodes(t *testing.T) {
	for _, tt := range []struct {
		s    string
		cas  bool
		code bool
	}{
		{"7782-50-5", true, false},
		{"7782-50-6", false, false},
		{"67-56-1", true, false},
		{"91330604MA2BCDE12" + "0", false, false},
		{creditCode("91330604MA2BCDE12"), false, true},
		{"91330604MA2BCDE12I", false, false},
	} {
		if got := twin.ValidCAS(tt.s); got != tt.cas {
			t.Errorf("ValidCAS(%q) = %v, want %v", tt.s, got, tt.cas)
		}
		if got := twin.ValidCreditCode(tt.s); got != tt.code {
			t.Errorf("ValidCreditCode(%q) = %v, want %v", tt.s, got, tt.code)
		}
	}
}

func TestParkFileRefusesMonitoringRecords(t *testing.T) {
	file := `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"TSK-00001","geometry":null,"properties":{"kind":"task","type":"regrade","subject":"MHU-01","reason":"x","raisedAt":"2026-01-01T00:00:00Z","done":false}}]}`
	_, err := twin.ReadCollection([]byte(file))
	if got, want := twin.ErrorField(err), "features[0].properties.kind"; got != want {
		t.Errorf("field %q (%v), want %q", got, err, want)
	}
}
