package twin_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/bolt"
)

// An entity over time: its version is the seq of its last change, a
// change based on an older version is refused, a change that changes
// nothing is not one, and an ID once deleted is never given again. All of
// it holds across a restart on a bbolt file.

// fileTwin is a twin holding the fixture in a real bbolt file, which the
// test can close and open again as parkd does on a restart.
type fileTwin struct {
	path string
	db   *bolt.DB
	tw   *twin.Twin
}

func newFileTwin(t *testing.T) *fileTwin {
	t.Helper()
	f := &fileTwin{path: filepath.Join(t.TempDir(), "park.db")}
	f.open(t)
	t.Cleanup(func() { f.close(t) })
	if _, err := f.tw.Apply(context.Background(), twin.Creates(fixture()...)...); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fileTwin) open(t *testing.T) {
	t.Helper()
	db, err := bolt.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	f.db, f.tw = db, tw
}

// close closes the twin and its file, checking the file's consistency.
func (f *fileTwin) close(t *testing.T) {
	t.Helper()
	if f.db == nil {
		return
	}
	f.tw.Close()
	if err := f.db.Check(); err != nil {
		t.Errorf("database check: %v", err)
	}
	f.db.Close()
	f.db, f.tw = nil, nil
}

func (f *fileTwin) restart(t *testing.T) {
	t.Helper()
	f.close(t)
	f.open(t)
}

func sensor(id string) *twin.Sensor {
	return &twin.Sensor{ID: id, Name: "T-101 温度", Subject: "TNK-0001-01", Type: twin.Temperature,
		Unit: twin.Temperature.Unit(), StaleAfterS: 120, Position: orb.Point{120.825, 30.155}}
}

// feature returns the stored form of an entity, "" when there is none.
func feature(t *testing.T, s *twin.Snapshot, k twin.Kind, id string) string {
	t.Helper()
	e, ok := s.Get(k, id)
	if !ok {
		return ""
	}
	b, err := twin.EncodeFeature(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// versions returns the version of every entity of s, by kind and ID.
func versions(s *twin.Snapshot) map[string]uint64 {
	out := map[string]uint64{}
	for _, r := range s.Records() {
		if r.Entity != nil {
			out[r.Kind.String()+"/"+r.ID] = r.Version
		}
	}
	return out
}

func apply(t *testing.T, tw *twin.Twin, cmds ...twin.Command) []twin.Event {
	t.Helper()
	evs, err := tw.Apply(context.Background(), cmds...)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func maxFill(v string) json.RawMessage {
	return json.RawMessage(`{"properties":{"maxFill":` + v + `}}`)
}

// Guards Snapshot.Version: it is the seq of the event that last changed
// the entity, and moves with no other entity's change.
func TestVersionIsSeqOfLastChange(t *testing.T) {
	tw := openTwin(t, nil)
	evs := apply(t, tw, twin.Create{Entity: tank("TNK-0001-02")})
	created := evs[0].Seq
	if got := tw.Snapshot().Version(twin.KindTank, "TNK-0001-02"); got != created {
		t.Errorf("after create: got version %d, want %d", got, created)
	}
	apply(t, tw, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: maxFill("0.8")})
	if got := tw.Snapshot().Version(twin.KindTank, "TNK-0001-02"); got != created {
		t.Errorf("after another tank's change: got version %d, want %d", got, created)
	}
	evs = apply(t, tw, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-02", Merge: maxFill("0.8")})
	if got, want := tw.Snapshot().Version(twin.KindTank, "TNK-0001-02"), evs[0].Seq; got != want {
		t.Errorf("after its own change: got version %d, want %d", got, want)
	}
	if got, want := tw.Snapshot().Version(twin.KindTank, "TNK-0001-02"), tw.Snapshot().Seq(); got != want {
		t.Errorf("the last change: got version %d, want the twin's seq %d", got, want)
	}
	if got := tw.Snapshot().Version(twin.KindTank, "TNK-0001-99"); got != 0 {
		t.Errorf("no such tank: got version %d, want 0", got)
	}
}

// Guards the version check of Update, Patch and Delete: a change based on
// a version that has moved is refused as stale and changes nothing; the
// current version, or none at all, lets it through.
func TestStaleVersionRefused(t *testing.T) {
	const id = "TNK-0001-01"
	changed := func(v uint64) []twin.Command {
		tk := tank(id)
		tk.MaxFill = 0.7
		return []twin.Command{
			twin.Update{Entity: tk, Version: v},
			twin.Patch{Kind: twin.KindTank, ID: id, Merge: maxFill("0.7"), Version: v},
			twin.Delete{Kind: twin.KindTank, ID: id, Version: v},
		}
	}
	for i, name := range []string{"update", "patch", "delete"} {
		for _, based := range []string{"stale", "current", "none"} {
			t.Run(name+"/"+based, func(t *testing.T) {
				tw := openTwin(t, nil)
				stale := tw.Snapshot().Version(twin.KindTank, id)
				apply(t, tw, twin.Patch{Kind: twin.KindTank, ID: id, Merge: maxFill("0.8")})
				before := tw.Snapshot()
				v := map[string]uint64{"stale": stale, "current": before.Version(twin.KindTank, id), "none": 0}[based]

				_, err := tw.Apply(context.Background(), changed(v)[i])
				after := tw.Snapshot()
				if based == "stale" {
					if got := twin.ErrorCode(err); got != twin.ECONFLICT || !twin.IsStale(err) {
						t.Fatalf("got %v (stale %v), want a stale conflict", err, twin.IsStale(err))
					}
					if got, want := twin.ErrorField(err), "version"; got != want {
						t.Errorf("field: got %q, want %q", got, want)
					}
					if got, want := after.Seq(), before.Seq(); got != want {
						t.Errorf("seq moved: got %d, want %d", got, want)
					}
					if diff := cmp.Diff(feature(t, after, twin.KindTank, id), feature(t, before, twin.KindTank, id)); diff != "" {
						t.Errorf("the tank changed (-got +want):\n%s", diff)
					}
					if got, want := after.Version(twin.KindTank, id), before.Version(twin.KindTank, id); got != want {
						t.Errorf("version: got %d, want %d", got, want)
					}
					return
				}
				if err != nil {
					t.Fatalf("with version %d (%s): %v", v, based, err)
				}
				if got, want := after.Seq(), before.Seq()+1; got != want {
					t.Errorf("seq: got %d, want %d", got, want)
				}
				tk, ok := twin.Lookup[*twin.Tank](after, id)
				switch {
				case name == "delete" && ok:
					t.Error("the tank is still there")
				case name != "delete" && (!ok || tk.MaxFill != 0.7):
					t.Errorf("the tank was not changed: %+v", tk)
				case name != "delete" && after.Version(twin.KindTank, id) != after.Seq():
					t.Errorf("version: got %d, want %d", after.Version(twin.KindTank, id), after.Seq())
				}
			})
		}
	}
}

// Guards IsStale: other conflicts are not staleness, so a client told
// "read it again" is told so only when reading again can help.
func TestIsStaleOnlyForVersions(t *testing.T) {
	tw := openTwin(t, nil)
	_, err := tw.Apply(context.Background(), twin.Create{Entity: tank("TNK-0001-01")})
	if twin.ErrorCode(err) != twin.ECONFLICT || twin.IsStale(err) {
		t.Errorf("create of an existing ID: got %v, stale %v; want a conflict that is not stale", err, twin.IsStale(err))
	}
}

// Guards the no-op rule: an update or a patch that leaves the entity as it
// was is no change. Nothing is journalled (in the file either), seq does
// not move, and the version stays.
func TestNoOpChangeNotJournalled(t *testing.T) {
	const id = "TNK-0001-01"
	for _, tt := range []struct {
		name string
		cmd  twin.Command
	}{
		{"patch to the same value", twin.Patch{Kind: twin.KindTank, ID: id, Merge: maxFill("0.85")}},
		{"empty patch", twin.Patch{Kind: twin.KindTank, ID: id, Merge: json.RawMessage(`{}`)}},
		{"update with an equal entity", twin.Update{Entity: tank(id)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFileTwin(t)
			before := f.tw.Snapshot()
			evs, err := f.tw.Apply(context.Background(), tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 0 {
				t.Errorf("got %d events, want none: %+v", len(evs), evs)
			}
			after := f.tw.Snapshot()
			if got, want := after.Seq(), before.Seq(); got != want {
				t.Errorf("seq: got %d, want %d", got, want)
			}
			if got, want := after.Version(twin.KindTank, id), before.Version(twin.KindTank, id); got != want {
				t.Errorf("version: got %d, want %d", got, want)
			}
			if got, err := f.db.Seq(); err != nil || got != before.Seq() {
				t.Errorf("the file's seq: got %d (%v), want %d", got, err, before.Seq())
			}
			journalled := 0
			if err := f.db.Events(before.Seq(), func(twin.Event) error { journalled++; return nil }); err != nil {
				t.Fatal(err)
			}
			if journalled != 0 {
				t.Errorf("%d events journalled, want none", journalled)
			}
		})
	}
}

// Guards the versions on disk: after a restart every entity has the
// version it had, and the version check works on them as before.
func TestVersionsSurviveRestart(t *testing.T) {
	f := newFileTwin(t)
	apply(t, f.tw, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-01", Merge: maxFill("0.8")})
	apply(t, f.tw, twin.Create{Entity: tank("TNK-0001-02")}, twin.Create{Entity: sensor("")})
	apply(t, f.tw, twin.Patch{Kind: twin.KindEnterprise, ID: "ENT-0001", Merge: json.RawMessage(`{"properties":{"peopleOnShift":41}}`)})
	before := f.tw.Snapshot()
	stale := before.Version(twin.KindTank, "TNK-0001-02")
	apply(t, f.tw, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-02", Merge: maxFill("0.8")})
	before = f.tw.Snapshot()

	f.restart(t)
	after := f.tw.Snapshot()
	if got, want := after.Seq(), before.Seq(); got != want {
		t.Errorf("seq: got %d, want %d", got, want)
	}
	if diff := cmp.Diff(versions(after), versions(before)); diff != "" {
		t.Errorf("versions after a restart (-got +want):\n%s", diff)
	}
	_, err := f.tw.Apply(context.Background(), twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-02", Merge: maxFill("0.7"), Version: stale})
	if !twin.IsStale(err) {
		t.Errorf("a stale patch after a restart: got %v, want a stale conflict", err)
	}
	current := after.Version(twin.KindTank, "TNK-0001-02")
	evs := apply(t, f.tw, twin.Patch{Kind: twin.KindTank, ID: "TNK-0001-02", Merge: maxFill("0.7"), Version: current})
	if got, want := f.tw.Snapshot().Version(twin.KindTank, "TNK-0001-02"), evs[0].Seq; got != want || want != before.Seq()+1 {
		t.Errorf("after a current patch: version %d, event seq %d, want %d", got, want, before.Seq()+1)
	}
}

// Guards "IDs are never given again": a deleted entity's ID is neither
// assigned to a new entity nor accepted when asked for, so nothing new
// inherits the old one's alarms, history or journal; a restart keeps the
// retired IDs.
func TestIDsNeverReused(t *testing.T) {
	for _, tt := range []struct {
		kind  twin.Kind
		new   func(id string) twin.Entity
		first string // the ID the first one is given
	}{
		{twin.KindSensor, func(id string) twin.Entity { return sensor(id) }, "SEN-00001"},
		{twin.KindTank, func(id string) twin.Entity { return tank(id) }, "TNK-0001-02"},
	} {
		t.Run(tt.kind.String(), func(t *testing.T) {
			f := newFileTwin(t)
			created := func() string {
				t.Helper()
				return apply(t, f.tw, twin.Create{Entity: tt.new("")})[0].ID
			}
			refused := func(when string) {
				t.Helper()
				seq := f.tw.Snapshot().Seq()
				_, err := f.tw.Apply(context.Background(), twin.Create{Entity: tt.new(tt.first)})
				if twin.ErrorCode(err) != twin.ECONFLICT || twin.ErrorField(err) != "id" {
					t.Errorf("%s: create with the deleted ID %s: got %v, want a conflict on id", when, tt.first, err)
				}
				if got := f.tw.Snapshot().Seq(); got != seq {
					t.Errorf("%s: seq moved from %d to %d", when, seq, got)
				}
			}

			if got := created(); got != tt.first {
				t.Fatalf("first ID: got %s, want %s", got, tt.first)
			}
			apply(t, f.tw, twin.Delete{Kind: tt.kind, ID: tt.first})
			second := created()
			if second == tt.first {
				t.Errorf("the deleted ID %s was given again", second)
			}
			refused("before a restart")

			apply(t, f.tw, twin.Delete{Kind: tt.kind, ID: second})
			f.restart(t)
			refused("after a restart")
			if third := created(); third == tt.first || third == second {
				t.Errorf("after a restart: the deleted ID %s was given again", third)
			}
		})
	}
}

// Guards the limit of that rule: an ID the twin does not assign but that
// names the thing itself (a chemical's CAS number, the park's one ID) is
// not retired, so a chemical deleted from the catalogue by mistake can be
// entered again, and an emptied twin can be given a park again.
func TestNaturalKeysMayComeBack(t *testing.T) {
	methanol := func() twin.Entity { return fixture()[2] }
	f := newFileTwin(t)
	apply(t, f.tw, twin.Delete{Kind: twin.KindChemical, ID: "67-56-1"})
	apply(t, f.tw, twin.Create{Entity: methanol()})
	apply(t, f.tw, twin.Delete{Kind: twin.KindChemical, ID: "67-56-1"})
	f.restart(t)
	if _, err := f.tw.Apply(context.Background(), twin.Create{Entity: methanol()}); err != nil {
		t.Errorf("methanol entered again after a restart: %v", err)
	}

	tw := openTwin(t, nil)
	var empty []twin.Command
	for _, k := range []twin.Kind{twin.KindTank, twin.KindEnterprise, twin.KindChemical} {
		for e := range tw.Snapshot().Entities(k) {
			empty = append(empty, twin.Delete{Kind: k, ID: e.EntityID()})
		}
	}
	apply(t, tw, append(empty, twin.Delete{Kind: twin.KindPark, ID: twin.ParkID})...)
	if _, err := tw.Apply(context.Background(), twin.Create{Entity: fixture()[0]}); err != nil {
		t.Errorf("a park for an emptied twin: %v", err)
	}
}
