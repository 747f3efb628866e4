package twin_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"parktwin/twin"
)

func TestCreateRefused(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*twin.Tank)
		code   string
		field  string
	}{
		{"negative capacity", func(tk *twin.Tank) { tk.CapacityM3 = -50 }, twin.EINVALID, "capacityM3"},
		{"fill above one", func(tk *twin.Tank) { tk.MaxFill = 1.2 }, twin.EINVALID, "maxFill"},
		{"fill zero", func(tk *twin.Tank) { tk.MaxFill = 0 }, twin.EINVALID, "maxFill"},
		{"missing enterprise", func(tk *twin.Tank) { tk.Enterprise = "ENT-0999" }, twin.EINVALID, "enterprise"},
		{"unknown chemical", func(tk *twin.Tank) { tk.Chemical = "71-43-2" }, twin.EINVALID, "chemical"},
		{"no type", func(tk *twin.Tank) { tk.Type = 0 }, twin.EINVALID, "type"},
		{"latitude out of range", func(tk *twin.Tank) { tk.Position = orb.Point{120.8, 95} }, twin.EINVALID, "geometry"},
		{"far from the park", func(tk *twin.Tank) { tk.Position = orb.Point{121.5, 30.15} }, twin.EINVALID, "geometry"},
		{"wrong prefix", func(tk *twin.Tank) { tk.ID = "ENT-0001-02" }, twin.EINVALID, "id"},
		{"exists already", func(tk *twin.Tank) { tk.ID = "TNK-0001-01" }, twin.ECONFLICT, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tw := openTwin(t, nil)
			before := tw.Snapshot()
			tk := tank("TNK-0001-02")
			tt.mutate(tk)
			_, err := tw.Apply(context.Background(), twin.Create{Entity: tk})
			if got := twin.ErrorCode(err); got != tt.code {
				t.Fatalf("code: got %q (%v), want %q", got, err, tt.code)
			}
			if got := twin.ErrorField(err); got != tt.field {
				t.Errorf("field: got %q, want %q", got, tt.field)
			}
			if got, want := tw.Snapshot().Seq(), before.Seq(); got != want {
				t.Errorf("seq moved: got %d, want %d", got, want)
			}
			if got, want := tw.Snapshot().Len(twin.KindTank), 1; got != want {
				t.Errorf("tanks: got %d, want %d", got, want)
			}
		})
	}
}

func TestPolygonRefused(t *testing.T) {
	tw := openTwin(t, nil)
	e := fixture()[3].(*twin.Enterprise)
	e.ID = "ENT-0002"
	e.Parcel = orb.Polygon{{{120.82, 30.15}, {120.83, 30.15}, {120.83, 30.16}, {120.82, 30.16}}}
	_, err := tw.Apply(context.Background(), twin.Create{Entity: e})
	if got, want := twin.ErrorField(err), "geometry[0]"; got != want {
		t.Fatalf("field: got %q (%v), want %q", got, err, want)
	}
}

func TestApplyIsAllOrNothing(t *testing.T) {
	tw := openTwin(t, nil)
	seq := tw.Snapshot().Seq()
	bad := tank("TNK-0001-03")
	bad.DiameterM = 0
	_, err := tw.Apply(context.Background(), twin.Create{Entity: tank("TNK-0001-02")}, twin.Create{Entity: bad})
	if got, want := twin.ErrorField(err), "diameterM"; got != want {
		t.Fatalf("field: got %q (%v), want %q", got, err, want)
	}
	if _, ok := tw.Snapshot().Get(twin.KindTank, "TNK-0001-02"); ok {
		t.Error("the first command of a refused request was applied")
	}
	if got := tw.Snapshot().Seq(); got != seq {
		t.Errorf("seq: got %d, want %d", got, seq)
	}
}

func TestDeleteReferenced(t *testing.T) {
	tw := openTwin(t, nil)
	ctx := context.Background()
	_, err := tw.Apply(ctx, twin.Delete{Kind: twin.KindEnterprise, ID: "ENT-0001"})
	if got := twin.ErrorCode(err); got != twin.ECONFLICT {
		t.Fatalf("delete of a referenced enterprise: got %q (%v), want conflict", got, err)
	}
	if _, err := tw.Apply(ctx, twin.Delete{Kind: twin.KindTank, ID: "TNK-0001-01"}); err != nil {
		t.Fatal(err)
	}
	evs, err := tw.Apply(ctx, twin.Delete{Kind: twin.KindEnterprise, ID: "ENT-0001"})
	if err != nil {
		t.Fatalf("delete of a free enterprise: %v", err)
	}
	if got, want := evs[0].Op, twin.Deleted; got != want {
		t.Errorf("op: got %v, want %v", got, want)
	}
	_, err = tw.Apply(ctx, twin.Delete{Kind: twin.KindEnterprise, ID: "ENT-0001"})
	if got := twin.ErrorCode(err); got != twin.ENOTFOUND {
		t.Errorf("second delete: got %q, want not_found", got)
	}
}

func TestAssignedIDs(t *testing.T) {
	tw := openTwin(t, nil)
	ctx := context.Background()
	var got []string
	for range 2 {
		evs, err := tw.Apply(ctx, twin.Create{Entity: tank("")})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, evs[0].ID)
	}
	if diff := cmp.Diff(got, []string{"TNK-0001-02", "TNK-0001-03"}); diff != "" {
		t.Errorf("IDs (-got +want):\n%s", diff)
	}
}

func TestPatch(t *testing.T) {
	tw := openTwin(t, nil)
	ctx := context.Background()
	_, err := tw.Apply(ctx, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01",
		Merge: json.RawMessage(`{"properties":{"maxFill":0.8,"sis":false}}`)})
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := twin.Lookup[*twin.Tank](tw.Snapshot(), "TNK-0001-01")
	if tk.MaxFill != 0.8 || tk.SIS || tk.CapacityM3 != 50 {
		t.Errorf("after patch: maxFill %v sis %v capacity %v", tk.MaxFill, tk.SIS, tk.CapacityM3)
	}
	for _, tt := range []struct{ patch, field string }{
		{`{"properties":{"maxFill":"full"}}`, "maxFill"},
		{`{"properties":{"colour":"red"}}`, "properties.colour"},
		{`{"properties":{"kind":"road"}}`, "properties.kind"},
		{`{"id":"TNK-9"}`, "id"},
		{`{"geometry":{"type":"LineString","coordinates":[[120.8,30.1],[120.81,30.1]]}}`, "geometry"},
	} {
		_, err := tw.Apply(ctx, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: json.RawMessage(tt.patch)})
		if got := twin.ErrorField(err); got != tt.field {
			t.Errorf("patch %s: field %q (%v), want %q", tt.patch, got, err, tt.field)
		}
	}
}

func TestSnapshotsDoNotChange(t *testing.T) {
	tw := openTwin(t, nil)
	before := tw.Snapshot()
	if _, err := tw.Apply(context.Background(), twin.Create{Entity: tank("TNK-0001-02")}); err != nil {
		t.Fatal(err)
	}
	if got, want := before.Len(twin.KindTank), 1; got != want {
		t.Errorf("old snapshot tanks: got %d, want %d", got, want)
	}
	if got, want := tw.Snapshot().Seq(), before.Seq()+1; got != want {
		t.Errorf("seq: got %d, want %d", got, want)
	}
}

// Many writers at once: the subscriber sees every sequence number once,
// in order, and each writer's acknowledged events are among them.
func TestSubscriptionOrderUnderConcurrentWriters(t *testing.T) {
	clock := twin.NewSimClock(time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC))
	tw := openTwin(t, clock)
	snap, sub := tw.Subscribe()
	defer sub.Close()

	const writers, each = 16, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for range each {
				tk := tank("")
				tk.Name = "writer " + string(rune('A'+w))
				if _, err := tw.Apply(context.Background(), twin.Create{Entity: tk}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	next := snap.Seq() + 1
	for next <= snap.Seq()+writers*each {
		evs, err := sub.Next(ctx)
		if err != nil {
			t.Fatalf("waiting for seq %d: %v", next, err)
		}
		for _, ev := range evs {
			if ev.Seq != next {
				t.Fatalf("got seq %d, want %d", ev.Seq, next)
			}
			if !ev.At.Equal(clock.Now()) {
				t.Fatalf("event time %v, want the twin's clock %v", ev.At, clock.Now())
			}
			next++
		}
	}
	if got, want := tw.Snapshot().Len(twin.KindTank), 1+writers*each; got != want {
		t.Errorf("tanks: got %d, want %d", got, want)
	}
}

func TestClosedTwinRefuses(t *testing.T) {
	tw := openTwin(t, nil)
	tw.Close()
	_, err := tw.Apply(context.Background(), twin.Create{Entity: tank("")})
	if got := twin.ErrorCode(err); got != twin.EUNAVAILABLE {
		t.Errorf("got %q (%v), want unavailable", got, err)
	}
}

func TestEventJSONRoundTrip(t *testing.T) {
	tw := openTwin(t, nil)
	evs, err := tw.Apply(context.Background(), twin.Create{Entity: tank("")}, twin.Delete{Kind: twin.KindTank, ID: "TNK-0001-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var got twin.Event
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		b2, _ := json.Marshal(got)
		if string(b2) != string(b) {
			t.Errorf("round trip:\n%s\n%s", b, b2)
		}
		if got.Seq != ev.Seq || got.Op != ev.Op || got.ID != ev.ID || (got.Entity == nil) != (ev.Entity == nil) {
			t.Errorf("got %+v, want %+v", got, ev)
		}
	}
}

func TestSensorDurationsBounded(t *testing.T) {
	s := &twin.Sensor{ID: "SEN-00001", Name: "温度", Subject: "TNK-0001-01", Type: twin.Temperature, Unit: "°C",
		StaleAfterS: 1e10, Position: orb.Point{120.825, 30.155}}
	if got := twin.ErrorField(s.Validate()); got != "staleAfterS" {
		t.Errorf("staleAfterS 1e10: field %q", got)
	}
	s.StaleAfterS, s.OnDelayS = 120, 1e9
	if got := twin.ErrorField(s.Validate()); got != "onDelayS" {
		t.Errorf("onDelayS 1e9: field %q", got)
	}
}
