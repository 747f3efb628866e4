package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"

	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
	"parktwin/web"
)

// sensorsOf returns the IDs of the sensors of an enterprise, sorted.
func sensorsOf(tw *twin.Twin, ent string) []string {
	snap := tw.Snapshot()
	var ids []string
	for s := range twin.All[*twin.Sensor](snap) {
		subject, ok := snap.Get(twin.KindOfID(s.Subject), s.Subject)
		if ok && twin.EnterpriseOf(subject) == ent {
			ids = append(ids, s.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// featureIDs returns the IDs of a FeatureCollection's features, sorted.
func featureIDs(t *testing.T, fc json.RawMessage) []string {
	t.Helper()
	var c struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if err := json.Unmarshal(fc, &c); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, f := range c.Features {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return ids
}

// twoEnterprises returns a tank temperature sensor of one enterprise and
// one of another, and the first's enterprise.
func twoEnterprises(t *testing.T, tw *twin.Twin) (own, other *twin.Sensor, ent string) {
	t.Helper()
	snap := tw.Snapshot()
	for s := range twin.All[*twin.Sensor](snap) {
		if s.Type != twin.Temperature || twin.KindOfID(s.Subject) != twin.KindTank {
			continue
		}
		tank, _ := twin.Lookup[*twin.Tank](snap, s.Subject)
		switch {
		case own == nil:
			own, ent = s, tank.Enterprise
		case tank.Enterprise != ent:
			return own, s, ent
		}
	}
	t.Fatal("the demo park has no two enterprises with tank sensors")
	return nil, nil, ""
}

func TestStreamEnterpriseSnapshot(t *testing.T) {
	base, tw, _ := startServer(t)
	_, _, ent := twoEnterprises(t, tw)
	conn := dial(t, base, "?layers=sensors,alarms,roads&enterprise="+ent, nil)
	snap := next(t, conn)
	var layers map[string]json.RawMessage
	json.Unmarshal(snap.Layers, &layers)
	want := sensorsOf(tw, ent)
	if len(want) == 0 {
		t.Fatalf("%s has no sensors", ent)
	}
	if d := gocmp.Diff(featureIDs(t, layers["sensors"]), want); d != "" {
		t.Errorf("sensors of %s (-got +want):\n%s", ent, d)
	}
	// A layer not filtered by enterprise is whole.
	if got, want := len(featureIDs(t, layers["roads"])), tw.Snapshot().Len(twin.KindRoad); got != want {
		t.Errorf("got %d roads, want all %d", got, want)
	}
	// A client without a filter still gets every sensor.
	all := dial(t, base, "?layers=sensors", nil)
	json.Unmarshal(next(t, all).Layers, &layers)
	if got, want := len(featureIDs(t, layers["sensors"])), tw.Snapshot().Len(twin.KindSensor); got != want {
		t.Errorf("unfiltered: got %d sensors, want %d", got, want)
	}
}

func TestStreamEnterpriseValuesAndChanges(t *testing.T) {
	base, tw, _ := startServer(t)
	own, other, ent := twoEnterprises(t, tw)
	conn := dial(t, base, "?layers=sensors,tanks&enterprise="+ent, nil)
	next(t, conn)
	all := dial(t, base, "?layers=sensors,tanks", nil)
	next(t, all)

	now := time.Now().Add(-time.Minute)
	post(t, base+"/api/v1/telemetry", testToken, readings(reading(other.ID, now, 21.5), reading(own.ID, now, 22.5)))
	ids := func(conn *websocket.Conn) []string {
		var out []string
		for _, v := range nextOf(t, conn, "values").Values {
			out = append(out, v[0].(string))
		}
		slices.Sort(out)
		return out
	}
	if d := gocmp.Diff(ids(conn), []string{own.ID}); d != "" {
		t.Errorf("values to %s's console (-got +want):\n%s", ent, d)
	}
	both := []string{other.ID, own.ID}
	slices.Sort(both)
	if d := gocmp.Diff(ids(all), both); d != "" {
		t.Errorf("values to an unfiltered console (-got +want):\n%s", d)
	}

	patchTank(t, tw, other.Subject, 0.71)
	seq := patchTank(t, tw, own.Subject, 0.72)
	if m := nextOf(t, conn, "change"); m.Seq != seq || m.ID != own.Subject {
		t.Errorf("first change to %s's console: %s seq %d, want %s at %d", ent, m.ID, m.Seq, own.Subject, seq)
	}
	if m := nextOf(t, all, "change"); m.ID != other.Subject {
		t.Errorf("first change to an unfiltered console: %s, want %s", m.ID, other.Subject)
	}

	// Resuming with the filter: only the enterprise's changes are replayed.
	patchTank(t, tw, other.Subject, 0.73)
	seq2 := patchTank(t, tw, own.Subject, 0.74)
	again := dial(t, base, "?layers=tanks&enterprise="+ent+"&since="+jsonNumber(seq), nil)
	if m := next(t, again); m.Type != "change" || m.Seq != seq2 || m.ID != own.Subject {
		t.Errorf("resumed: %s %s seq %d, want the change of %s at %d", m.Type, m.ID, m.Seq, own.Subject, seq2)
	}
}

func jsonNumber(n uint64) string { b, _ := json.Marshal(n); return string(b) }

func TestStreamUnknownEnterprise(t *testing.T) {
	base, _, _ := startServer(t)
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream?layers=sensors&enterprise=ENT-9999"
	_, res, err := wsDial(url, nil)
	if err == nil || res == nil || res.StatusCode != http.StatusUnprocessableEntity {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("got %v (%d), want 422", err, status)
	}
}

func TestListByEnterprise(t *testing.T) {
	base, tw, _ := startServer(t)
	_, _, ent := twoEnterprises(t, tw)
	status, body, _ := do(t, "GET", base+"/api/v1/sensors?enterprise="+ent, "")
	if status != http.StatusOK {
		t.Fatalf("sensors: %d %s", status, body)
	}
	if d := gocmp.Diff(featureIDs(t, body), sensorsOf(tw, ent)); d != "" {
		t.Errorf("sensors of %s (-got +want):\n%s", ent, d)
	}
	status, body, _ = do(t, "GET", base+"/api/v1/tanks?enterprise="+ent, "")
	if status != http.StatusOK {
		t.Fatalf("tanks: %d %s", status, body)
	}
	for _, id := range featureIDs(t, body) {
		if tk, _ := twin.Lookup[*twin.Tank](tw.Snapshot(), id); tk.Enterprise != ent {
			t.Errorf("tank %s of %s in the list of %s", id, tk.Enterprise, ent)
		}
	}
	if status, _, _ := do(t, "GET", base+"/api/v1/alarms?enterprise="+ent, ""); status != http.StatusOK {
		t.Errorf("alarms: %d", status)
	}
	for _, u := range []string{"/api/v1/sensors?enterprise=ENT-9999", "/api/v1/roads?enterprise=" + ent} {
		if status, body, _ := do(t, "GET", base+u, ""); status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", u, status, body)
		}
	}
}

// BenchmarkNational measures the stream on the ×15 park instrumented with
// the 440,000 sensors of a national monitoring system (twin in memory,
// no history), every sensor with a value:
//
//   - snapshot/enterprise: a console of one enterprise connects and
//     receives its snapshot of sensors and alarms, shared at one seq;
//   - snapshot/enterprise-changed: a tank changed before each, so the
//     enterprise's part is written anew (every sensor's subject read);
//   - snapshot/all-sensors: the whole sensors layer, for comparison;
//   - tick/N: N sensors report, and the values message reaches a console
//     without a filter and one of one enterprise: the tick's work (drain,
//     encode, split by enterprise) and the delivery, with a 1 ms tick.
func BenchmarkNational(b *testing.B) {
	tw, err := twin.Open(twin.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.GenerateWith(1, demo.MaxScale, demo.Options{Sensors: 440_000})...)...); err != nil {
		b.Fatal(err)
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, Rules: telemetry.DefaultRules()})
	if err != nil {
		b.Fatal(err)
	}
	var sensors []*twin.Sensor
	for s := range twin.All[*twin.Sensor](tw.Snapshot()) {
		sensors = append(sensors, s)
	}
	at := tw.Clock().Now().Add(-time.Hour)
	ingest := func(b *testing.B, ss []*twin.Sensor) {
		at = at.Add(time.Second)
		rs := make([]telemetry.Reading, 0, len(ss))
		for i, s := range ss {
			lo, hi := 0.0, 1.0
			if p := first(s.Limits.L, s.Limits.LL); p != nil {
				lo = *p
			}
			if p := first(s.Limits.H, s.Limits.HH); p != nil {
				hi = *p
			}
			rs = append(rs, telemetry.Reading{Sensor: s.ID, T: at, Value: lo + (hi-lo)*(0.4+0.2*float64(i%2))})
		}
		// One call, so that one tick drains them all.
		if _, rej, err := mon.Ingest(context.Background(), rs); err != nil || len(rej) > 0 {
			b.Fatalf("ingest: %d rejected, %v", len(rej), err)
		}
	}
	ingest(b, sensors)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	svc := authAlone(b)
	srv := web.New(web.Config{Twin: tw, Monitor: mon, Auth: svc, Stream: web.StreamConfig{Tick: time.Millisecond, QueueBytes: 256 << 20}})
	go srv.Serve(ln)
	serving("http://"+ln.Addr().String(), svc)
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
	url := "ws://" + ln.Addr().String() + "/api/v1/stream"
	ent := "ENT-0012"
	tank := ""
	for tk := range twin.All[*twin.Tank](tw.Snapshot()) {
		tank = tk.ID
		break
	}

	var msg []byte
	b.Run("snapshot/enterprise", func(b *testing.B) {
		for b.Loop() {
			msg = readSnapshot(b, url+"?layers=sensors,alarms&enterprise="+ent)
		}
		b.ReportMetric(float64(len(msg))/1e3, "KB")
	})
	b.Run("snapshot/enterprise-changed", func(b *testing.B) {
		fill := 0.0
		for b.Loop() {
			b.StopTimer()
			fill = 1 - fill
			patchTank(b, tw, tank, 0.25+fill/2)
			b.StartTimer()
			msg = readSnapshot(b, url+"?layers=sensors,alarms&enterprise="+ent)
		}
		b.ReportMetric(float64(len(msg))/1e3, "KB")
	})
	b.Run("snapshot/all-sensors", func(b *testing.B) {
		for b.Loop() {
			msg = readSnapshot(b, url+"?layers=sensors")
		}
		b.ReportMetric(float64(len(msg))/1e6, "MB")
	})
	for _, n := range []int{1_000, 23_250, 100_000} {
		b.Run(fmt.Sprintf("tick/N=%d", n), func(b *testing.B) {
			all := dialBench(b, url+"?layers=sensors")
			one := dialBench(b, url+"?layers=sensors&enterprise="+ent)
			// Every enterprise among the N: a stride over all sensors.
			ss := make([]*twin.Sensor, 0, n)
			for i := range n - 1 {
				ss = append(ss, sensors[i*len(sensors)/n])
			}
			own, _ := twin.Lookup[*twin.Sensor](tw.Snapshot(), sensorsOf(tw, ent)[0])
			if !slices.Contains(ss, own) {
				ss = append(ss, own)
			}
			var size int
			for b.Loop() {
				ingest(b, ss)
				size = untilValues(b, all)
				untilValues(b, one)
			}
			b.ReportMetric(float64(size)/1e3, "KB/msg")
		})
	}
}

// dialBench connects and reads past the snapshot.
func dialBench(b *testing.B, url string) *websocket.Conn {
	conn, _, err := wsDial(url, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	conn.SetReadLimit(-1)
	if _, _, err := conn.ReadMessage(); err != nil {
		b.Fatal(err)
	}
	return conn
}

// untilValues reads until a values message and returns its size.
func untilValues(b *testing.B, conn *websocket.Conn) int {
	for {
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, m, err := conn.ReadMessage()
		if err != nil {
			b.Fatal(err)
		}
		if bytes.HasPrefix(m, []byte(`{"type":"values"`)) {
			return len(m)
		}
	}
}

// A tank moved to another enterprise takes its sensors with it: the
// consoles filtered to either enterprise are dropped to resync, and their
// resume is a fresh snapshot, in which the tank and its sensors stand
// where they now belong.
func TestStreamEnterpriseMove(t *testing.T) {
	base, tw, _ := startServer(t)
	own, other, from := twoEnterprises(t, tw)
	otherTank, _ := twin.Lookup[*twin.Tank](tw.Snapshot(), other.Subject)
	to := otherTank.Enterprise
	a := dial(t, base, "?layers=sensors,tanks&enterprise="+from, nil)
	seenA := next(t, a).Seq
	b := dial(t, base, "?layers=sensors,tanks&enterprise="+to, nil)
	seenB := next(t, b).Seq
	if _, err := tw.Apply(context.Background(), twin.Patch{Kind: twin.KindTank, ID: own.Subject,
		Merge: []byte(fmt.Sprintf(`{"properties":{"enterprise":%q}}`, to))}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*websocket.Conn{a, b} {
		if err := closeOf(c); !isClose(err, web.CloseResync) {
			t.Fatalf("a console of an enterprise the tank moved between: %v, want close %d", err, web.CloseResync)
		}
	}
	// Resuming, each gets a snapshot, not a replay that would leave the
	// tank where it was.
	for _, r := range []struct {
		ent  string
		seen uint64
		has  bool
	}{{from, seenA, false}, {to, seenB, true}} {
		conn := dial(t, base, fmt.Sprintf("?layers=sensors,tanks&enterprise=%s&since=%d", r.ent, r.seen), nil)
		m := next(t, conn)
		if m.Type != "snapshot" {
			t.Fatalf("%s resumed with %s, want a snapshot", r.ent, m.Type)
		}
		var layers map[string]json.RawMessage
		json.Unmarshal(m.Layers, &layers)
		tanks, sensors := featureIDs(t, layers["tanks"]), featureIDs(t, layers["sensors"])
		if slices.Contains(tanks, own.Subject) != r.has || slices.Contains(sensors, own.ID) != r.has {
			t.Errorf("%s's snapshot: tank %s there %v, its sensor %s there %v; want %v",
				r.ent, own.Subject, slices.Contains(tanks, own.Subject), own.ID, slices.Contains(sensors, own.ID), r.has)
		}
	}
}

// A deletion reaches the consoles of its own enterprise, not the others.
func TestStreamEnterpriseDeletion(t *testing.T) {
	base, tw, _ := startServer(t)
	own, _, from := twoEnterprises(t, tw)
	var sensor *twin.Sensor // one of another enterprise's, with no alarm
	snap := tw.Snapshot()
	for s := range twin.All[*twin.Sensor](snap) {
		if sub, ok := snap.Get(twin.KindOfID(s.Subject), s.Subject); ok && twin.EnterpriseOf(sub) != from && twin.EnterpriseOf(sub) != "" {
			sensor = s
		}
	}
	a := dial(t, base, "?layers=sensors&enterprise="+from, nil)
	next(t, a)
	evs, err := tw.Apply(context.Background(), twin.Delete{Kind: twin.KindSensor, ID: sensor.ID})
	if err != nil {
		t.Fatal(err)
	}
	// a holds the sensors of its enterprise only: nothing of the first
	// deletion may reach it; the deletion of its own sensor does.
	evs2, err := tw.Apply(context.Background(), twin.Delete{Kind: twin.KindSensor, ID: own.ID})
	if err != nil {
		t.Fatal(err)
	}
	m := nextOf(t, a, "change")
	if m.ID != own.ID || m.Seq != evs2[0].Seq || m.Op != "deleted" {
		t.Errorf("the first change after deleting %s (seq %d) and %s (seq %d): %s %s at %d",
			sensor.ID, evs[0].Seq, own.ID, evs2[0].Seq, m.Op, m.ID, m.Seq)
	}
}
