package twin

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// A park file is one GeoJSON FeatureCollection holding every entity of a
// park (docs/park-format.md). WriteCollection and ReadCollection are its
// two directions; export, import and export again gives the same bytes.

// WriteCollection writes the entities of the given kinds in s as one
// FeatureCollection, one Feature a line, kinds in the order given and
// entities in order of ID. With no kinds it writes the park file: every
// kind of ParkKinds, in load order.
func WriteCollection(w io.Writer, s *Snapshot, kinds ...Kind) error {
	return WriteCollectionSkipping(w, s, nil, kinds...)
}

// WriteCollectionSkipping writes as WriteCollection, but an entity that
// cannot be encoded (a number JSON cannot give) is left out and told to
// skip, so that one entity does not cost a reader every other. With skip
// nil, the first such entity's error is returned.
func WriteCollectionSkipping(w io.Writer, s *Snapshot, skip func(Entity, error), kinds ...Kind) error {
	if len(kinds) == 0 {
		kinds = ParkKinds
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	var buf bytes.Buffer
	first := true
	for _, k := range kinds {
		for e := range s.Entities(k) {
			buf.Reset()
			if !first {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
			if w, ok := e.(*Warehouse); ok {
				e = s.WithStock(w) // its ledger's stock, as a park file holds it
			}
			if err := appendFeature(&buf, e); err != nil {
				if skip == nil {
					return err
				}
				skip(e, err)
				continue
			}
			first = false
			if _, err := bw.Write(buf.Bytes()); err != nil {
				return err
			}
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// ReadCollection reads a FeatureCollection into entities, sorted into load
// order (by kind, keeping the file's order within a kind). An error names
// the feature by its index and ID, and the field.
func ReadCollection(b []byte) ([]Entity, error) {
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, malformed(err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, Invalid("type", "want \"FeatureCollection\", got %q", fc.Type)
	}
	var byKind [numKinds + 1][]Entity
	for i, raw := range fc.Features {
		e, err := DecodeFeature(raw)
		if err != nil {
			return nil, prefixField(fmt.Sprintf("features[%d]", i), err)
		}
		if !slices.Contains(ParkKinds, e.Kind()) {
			return nil, Invalid(fmt.Sprintf("features[%d].properties.kind", i),
				"%s %s: a park file holds the park, not the records of its monitoring", e.Kind(), e.EntityID())
		}
		byKind[e.Kind()] = append(byKind[e.Kind()], e)
	}
	var out []Entity
	for _, k := range Kinds {
		out = append(out, byKind[k]...)
	}
	return out, nil
}
