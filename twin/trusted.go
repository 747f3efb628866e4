package twin

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// storedFeature is a Feature as EncodeFeature writes it, decoded in one
// pass: the properties straight into the entity (their "kind" matches no
// field and is passed over), the geometry once by orb.
type storedFeature struct {
	ID         string            `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties Entity            `json:"properties"`
}

// DecodeStored reads a Feature that the twin wrote itself with
// EncodeFeature (its store) into an entity of kind k, in one pass. It
// trusts what it reads: unlike DecodeFeature it neither refuses unknown
// members nor names the field an error concerns, and it checks neither
// the Feature's type nor its properties' kind. What comes from outside
// goes through DecodeFeature.
func DecodeStored(k Kind, b []byte) (Entity, error) {
	e := New(k)
	if e == nil {
		return nil, fmt.Errorf("decode stored entity: unknown kind %d", k)
	}
	f := storedFeature{Properties: e}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("decode stored %s: %w", k, err)
	}
	if f.Properties == nil {
		return nil, fmt.Errorf("decode stored %s %s: no properties", k, f.ID)
	}
	e.setID(f.ID)
	var g orb.Geometry
	if f.Geometry != nil {
		g = f.Geometry.Geometry()
	}
	if err := e.setGeometry(g); err != nil {
		return nil, fmt.Errorf("decode stored %s %s: %w", k, f.ID, err)
	}
	return e, nil
}
