package twin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/paulmach/orb"
	"pgregory.net/rapid"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// fataler is what checkStored needs of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// checkStored checks that the trusted decoder reads what EncodeFeature
// wrote for e as the strict one does.
func checkStored(t fataler, e twin.Entity) {
	t.Helper()
	b, err := twin.EncodeFeature(e)
	if err != nil {
		t.Fatal(err)
	}
	want, err := twin.DecodeFeature(b)
	if err != nil {
		t.Fatalf("%s %s: DecodeFeature: %v", e.Kind(), e.EntityID(), err)
	}
	got, err := twin.DecodeStored(e.Kind(), b)
	if err != nil {
		t.Fatalf("%s %s: DecodeStored: %v", e.Kind(), e.EntityID(), err)
	}
	if diff := cmp.Diff(got, want, cmpopts.EquateComparable(twin.Date{})); diff != "" {
		t.Fatalf("%s %s: DecodeStored differs from DecodeFeature (-stored +strict):\n%s\n%s", e.Kind(), e.EntityID(), diff, b)
	}
}

// records are one entity of each kind the monitor and the desk write at
// run time (the demo park has none), every field set.
func records() []twin.Entity {
	at := time.Date(2026, 12, 1, 8, 30, 15, 123456789, time.UTC)
	later := at.Add(90 * time.Second)
	pos := orb.Point{120.8312345, 30.1523456}
	return []twin.Entity{
		&twin.Alarm{ID: "ALM-000001", Sensor: "SEN-0001-01-1", Subject: "TNK-0001-01", Enterprise: "ENT-0001",
			Condition: twin.High, Limit: "hh", Threshold: 9.5, Value: 9.81, Level: twin.Red, State: twin.AlarmClosed,
			RaisedAt: at, AckedAt: later, AckedBy: "值班员\"甲\"", ClearedAt: later, ClosedAt: later, ClosedBy: "op",
			Note: "误报\n<复核>", Position: pos},
		&twin.Order{ID: "ORD-000001", Alarm: "ALM-000001", Enterprise: "ENT-0001", DutyPhone: "0575-82100001",
			Level: twin.Orange, State: twin.OrderReturned, IssuedAt: at, AckDeadline: later, FeedbackDeadline: later,
			AckedAt: later, AckedBy: "企业", Feedback: &twin.Feedback{Cause: "仪表故障", Action: "更换", Note: "n", By: "b", At: later},
			ReturnNote: "不充分", ClosedAt: later, ClosedBy: "c", AckEscalated: true, FeedbackEscalated: true},
		&twin.Danger{ID: "DGR-000001", Enterprise: "ENT-0001", Title: "围堰破损", Description: "东侧", Owner: "张三",
			Due: twin.NewDate(2026, 12, 31), State: twin.DangerRectifying, RegisteredAt: at, RectifyingAt: later,
			AcceptedAt: later, ClosedAt: later, Reminded: true, Position: pos},
		&twin.Grading{ID: "GRD-000001", Unit: "HZU-0001", Standard: "GB 18218-2018", Basis: "储量",
			Items:      []twin.GradingItem{{CAS: "7782-50-5", NameZh: "氯", QuantityT: 12.5, CriticalQT: 5, Beta: 4}},
			Population: 120, Alpha: 1.5, S: 15, R: 90, Level: 2, At: at, Reason: "储量变化"},
		&twin.Task{ID: "TSK-000001", Type: twin.TaskOverdueDanger, Subject: "DGR-000001", Enterprise: "ENT-0001",
			Reason: "逾期", RaisedAt: at, Done: true, DoneAt: later, DoneBy: "d"},
		&twin.Incident{ID: "INC-000001", Type: twin.ToxicRelease, Level: twin.LevelII, State: twin.IncidentDispatched,
			Entity: "TNK-0001-01", Enterprise: "ENT-0001", Chemical: "7782-50-5", Alarm: "ALM-000001", Reporter: "r",
			ReportedAt: at, Reports: 2, Timeline: []twin.TimelineEntry{{At: at, What: "reported", By: "r"}, {At: later, What: "dispatched"}},
			Assignments: []twin.Assignment{{Team: "TEAM-01", Vehicle: "VEH-01-1", Route: []string{"RD-0001", "RD-0002"},
				EtaS: 312.5, TurnoutS: 60, State: twin.AssignOnScene, OrderedAt: at, TurnoutAt: later, ArrivedAt: later, ReturnedAt: later}},
			Equipment: []twin.EquipmentIssued{{Type: "scba", Warehouse: "WH-01", Quantity: 4, Unit: "套", Items: []string{"A1", "A2"},
				State: twin.EquipIssued}},
			Position: pos},
	}
}

func TestDecodeStoredDemoPark(t *testing.T) {
	es := slices.Concat(demo.Generate(1, 1), fixture(), records())
	kinds := map[twin.Kind]int{}
	for _, e := range es {
		checkStored(t, e)
		kinds[e.Kind()]++
	}
	t.Logf("%d entities, by kind: %v", len(es), kinds)
}

// TestDecodeStoredMutations patches entities of the demo park at random
// through the twin, as a console would (the twin refuses what is invalid),
// and checks every entity a patch changed.
func TestDecodeStoredMutations(t *testing.T) {
	base, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer base.Close()
	if _, err := base.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	snap := base.Snapshot()
	var kinds []twin.Kind
	for _, k := range twin.Kinds {
		if snap.Len(k) > 0 {
			kinds = append(kinds, k)
		}
	}
	applied := 0
	rapid.Check(t, func(rt *rapid.T) {
		tw, err := twin.OpenFrom(snap, twin.Config{})
		if err != nil {
			rt.Fatal(err)
		}
		defer tw.Close()
		for range rapid.IntRange(1, 8).Draw(rt, "patches") {
			s := tw.Snapshot()
			k := rapid.SampledFrom(kinds).Draw(rt, "kind")
			es := slices.Collect(s.Entities(k))
			e := es[rapid.IntRange(0, len(es)-1).Draw(rt, "entity")]
			merge := drawPatch(rt, e)
			_, err := tw.Apply(context.Background(), twin.Patch{Kind: k, ID: e.EntityID(), Merge: merge})
			if err != nil {
				continue // refused: nothing changed
			}
			applied++
			got, ok := tw.Snapshot().Get(k, e.EntityID())
			if !ok {
				rt.Fatalf("%s %s gone after a patch", k, e.EntityID())
			}
			checkStored(rt, got)
		}
	})
	if applied == 0 {
		t.Error("no patch was applied: the test checked nothing")
	}
	t.Logf("%d patches applied", applied)
}

// TestDecodeStoredPatchedFeatures patches the Features of entities of
// every kind at random, without the twin's validation: whatever
// DecodeFeature accepts, once encoded, DecodeStored must read alike.
func TestDecodeStoredPatchedFeatures(t *testing.T) {
	es := slices.Concat(demo.Generate(1, 1), fixture(), records())
	accepted := 0
	rapid.Check(t, func(rt *rapid.T) {
		e := rapid.SampledFrom(es).Draw(rt, "entity")
		b, err := twin.EncodeFeature(e)
		if err != nil {
			rt.Fatal(err)
		}
		for range rapid.IntRange(1, 4).Draw(rt, "patches") {
			e, err := twin.DecodeFeature(b)
			if err != nil {
				rt.Fatal(err)
			}
			patched, err := twin.MergePatch(b, drawPatch(rt, e))
			if err != nil {
				rt.Fatal(err)
			}
			e, err = twin.DecodeFeature(patched)
			if err != nil {
				continue // refused at the door: never stored
			}
			nb, err := twin.EncodeFeature(e)
			if err != nil {
				continue // cannot be written (an unset enumeration): never stored
			}
			accepted++
			checkStored(rt, e)
			b = nb
		}
	})
	if accepted == 0 {
		t.Error("no patched Feature was accepted: the test checked nothing")
	}
	t.Logf("%d patched Features checked", accepted)
}

// drawPatch draws a merge patch of one of e's properties, or of its
// geometry: a new value of the same JSON type, null, or a value of
// another type (which the twin refuses).
func drawPatch(t *rapid.T, e twin.Entity) json.RawMessage {
	b, err := twin.EncodeFeature(e)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	delete(f.Properties, "kind")
	if f.Geometry != nil && rapid.IntRange(0, 4).Draw(t, "geometry?") == 0 {
		g := map[string]any{"type": f.Geometry["type"], "coordinates": drawValue(t, f.Geometry["coordinates"], 0)}
		return marshal(t, map[string]any{"geometry": g})
	}
	names := make([]string, 0, len(f.Properties))
	for name := range f.Properties {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return json.RawMessage(`{}`)
	}
	name := rapid.SampledFrom(names).Draw(t, "property")
	return marshal(t, map[string]any{"properties": map[string]any{name: drawValue(t, f.Properties[name], 0)}})
}

// drawValue draws a value shaped like v: numbers moved a little or a lot,
// strings replaced by any string, lists and objects changed in one place.
func drawValue(t *rapid.T, v any, depth int) any {
	if depth == 0 && rapid.IntRange(0, 9).Draw(t, "null?") == 0 {
		return nil
	}
	switch v := v.(type) {
	case float64:
		switch rapid.IntRange(0, 3).Draw(t, "number") {
		case 0:
			return v + rapid.Float64Range(-1e-3, 1e-3).Draw(t, "nudge")
		case 1:
			return float64(rapid.IntRange(-10, 1e6).Draw(t, "int"))
		default:
			return rapid.Float64Range(-1e9, 1e9).Draw(t, "float")
		}
	case string:
		if rapid.Bool().Draw(t, "keep enum-like?") && v != "" {
			return v // the same string: a no-op patch, or a valid enum kept
		}
		return rapid.String().Draw(t, "string")
	case bool:
		return !v
	case []any:
		if len(v) == 0 {
			return v
		}
		out := slices.Clone(v)
		i := rapid.IntRange(0, len(v)-1).Draw(t, "index")
		out[i] = drawValue(t, v[i], depth+1)
		return out
	case map[string]any:
		if len(v) == 0 {
			return v
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		k := rapid.SampledFrom(keys).Draw(t, "key")
		out := make(map[string]any, len(v))
		for kk, vv := range v {
			out[kk] = vv
		}
		out[k] = drawValue(t, v[k], depth+1)
		return out
	}
	return v
}

func marshal(t *rapid.T, v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeStoredErrors(t *testing.T) {
	tests := []struct {
		kind twin.Kind
		in   string
	}{
		{twin.KindTank, `{"type":"Feature",`},
		{twin.KindTank, `{"type":"Feature","id":"TNK-1","geometry":null,"properties":null}`},
		{twin.KindTank, `{"type":"Feature","id":"TNK-1","geometry":{"type":"Blob","coordinates":[]},"properties":{"kind":"tank"}}`},
		{twin.KindTank, `{"type":"Feature","id":"TNK-1","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{"kind":"tank"}}`},
		{twin.KindTank, `{"type":"Feature","id":"TNK-1","geometry":null,"properties":{"kind":"tank","capacityM3":"big"}}`},
		{twin.KindTank, `{"type":"Feature","id":"TNK-1","geometry":null,"properties":{"kind":"tank","type":"round"}}`},
		{twin.Kind(99), `{"type":"Feature","id":"X-1","geometry":null,"properties":{}}`},
	}
	for _, tt := range tests {
		if e, err := twin.DecodeStored(tt.kind, []byte(tt.in)); err == nil {
			t.Errorf("%s: no error, got %v", tt.in, fmt.Sprint(e))
		}
	}
}
