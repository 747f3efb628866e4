package twin_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"parktwin/twin"
)

// A point's geometry, which EncodeFeature writes itself, is byte for byte
// what orb's geojson writes: stored Features, journals and exports do not
// change with the encoder.
func TestPointEncodedAsOrbDoes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	values := []float64{0, math.Copysign(0, -1), 1e-6, 9.99999e-7, 1e21, 9.9e20, -1e-6, 120.791311, 30.1488628,
		180, -180, 90, -90, 1.0 / 3, 123456789.123456789, 5e-324, math.MaxFloat64}
	for range 20000 {
		switch r.IntN(4) {
		case 0:
			values = append(values, 120.6+r.Float64()*0.4) // the park
		case 1:
			values = append(values, (r.Float64()-0.5)*360)
		case 2:
			values = append(values, math.Float64frombits(r.Uint64()))
		default:
			values = append(values, math.Round(r.Float64()*1e7)/1e7)
		}
	}
	for i := 0; i+1 < len(values); i++ {
		p := orb.Point{values[i], values[i+1]}
		want, werr := json.Marshal(geojson.NewGeometry(p))
		f, err := twin.EncodeFeature(&twin.Target{ID: "TGT-01", Type: twin.Residential, Position: p})
		if werr != nil {
			if err == nil {
				t.Fatalf("%v: encoded %s, orb fails: %v", p, f, werr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		var got struct {
			Geometry json.RawMessage `json:"geometry"`
		}
		if err := json.Unmarshal(f, &got); err != nil {
			t.Fatalf("%v: %s: %v", p, f, err)
		}
		if !bytes.Equal(got.Geometry, want) {
			t.Fatalf("%v: got %s, orb writes %s", p, got.Geometry, want)
		}
	}
}
