package twin

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// One entity that cannot be encoded (a +Inf from a ledger written
// before the quantity limits, replayed) is left out of a collection and
// told, not the whole collection.
func TestWriteCollectionSkipsUnencodable(t *testing.T) {
	st := newState()
	good := &Chemical{CAS: "67-56-1", NameZh: "甲醇", Phase: Liquid, DensityKgM3: 791}
	bad := &Chemical{CAS: "7782-50-5", NameZh: "氯", Phase: LiquefiedGas, DensityKgM3: math.Inf(1)}
	for _, e := range []Entity{good, bad} {
		st.kinds[KindChemical] = st.kinds[KindChemical].Set(e.EntityID(), entry{e: e, v: 1})
	}
	snap := &Snapshot{st: st}
	var b bytes.Buffer
	if err := WriteCollection(&b, snap, KindChemical); err == nil {
		t.Errorf("WriteCollection: no error for %s", bad.CAS)
	}
	b.Reset()
	var skipped []string
	if err := WriteCollectionSkipping(&b, snap, func(e Entity, err error) { skipped = append(skipped, e.EntityID()) }, KindChemical); err != nil {
		t.Fatal(err)
	}
	var fc struct{ Features []struct{ ID string } }
	if err := json.Unmarshal(b.Bytes(), &fc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.Bytes())
	}
	if len(fc.Features) != 1 || fc.Features[0].ID != good.CAS {
		t.Errorf("features %+v, want %s alone", fc.Features, good.CAS)
	}
	if len(skipped) != 1 || skipped[0] != bad.CAS {
		t.Errorf("skipped %v, want [%s]", skipped, bad.CAS)
	}
}
