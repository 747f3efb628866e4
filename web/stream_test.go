package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parktwin/twin"
	"parktwin/web"
)

// msg is any stream message, with the members the tests look at.
type msg struct {
	Type    string                     `json:"type"`
	Seq     uint64                     `json:"seq"`
	Op      string                     `json:"op"`
	Layer   string                     `json:"layer"`
	ID      string                     `json:"id"`
	Time    time.Time                  `json:"time"`
	Layers  json.RawMessage            `json:"layers"`
	Park    json.RawMessage            `json:"park"`
	Values  [][3]any                   `json:"values"`
	Feature map[string]json.RawMessage `json:"feature"`
}

func dial(t testing.TB, base, query string, h http.Header) *websocket.Conn {
	t.Helper()
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream" + query
	conn, res, err := wsDial(url, h)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial %s: %v (%d)", query, err, status)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func next(t testing.TB, conn *websocket.Conn) msg {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m msg
	if err := conn.ReadJSON(&m); err != nil {
		t.Fatalf("read: %v", err)
	}
	return m
}

// nextOf reads until a message of one of the types comes.
func nextOf(t *testing.T, conn *websocket.Conn, types ...string) msg {
	t.Helper()
	for {
		m := next(t, conn)
		for _, ty := range types {
			if m.Type == ty {
				return m
			}
		}
	}
}

func patchTank(t testing.TB, tw *twin.Twin, id string, fill float64) uint64 {
	t.Helper()
	evs, err := tw.Apply(context.Background(), twin.Patch{Kind: twin.KindTank, ID: id,
		Merge: []byte(fmt.Sprintf(`{"properties":{"maxFill":%v}}`, fill))})
	if err != nil {
		t.Fatal(err)
	}
	return evs[0].Seq
}

func firstID[T twin.Entity](tw *twin.Twin) string {
	for e := range twin.All[T](tw.Snapshot()) {
		return e.EntityID()
	}
	return ""
}

func TestStreamSnapshotThenChanges(t *testing.T) {
	base, tw, _ := startServer(t)
	conn := dial(t, base, "", nil)
	snap := next(t, conn)
	if snap.Type != "snapshot" || snap.Seq != tw.Snapshot().Seq() || len(snap.Park) == 0 {
		t.Fatalf("first message: %s seq %d", snap.Type, snap.Seq)
	}
	var layers map[string]json.RawMessage
	json.Unmarshal(snap.Layers, &layers)
	for _, l := range []string{"enterprises", "tanks", "roads", "sensors", "alarms", "teams", "chemicals"} {
		if len(layers[l]) == 0 {
			t.Errorf("snapshot lacks layer %s", l)
		}
	}
	tank := firstID[*twin.Tank](tw)
	seq := patchTank(t, tw, tank, 0.7)
	m := nextOf(t, conn, "change")
	if m.Seq != seq || m.ID != tank || m.Layer != "tanks" || m.Op != "updated" || !strings.Contains(string(m.Feature["properties"]), `"maxFill":0.7`) {
		t.Errorf("change: %+v", m)
	}
}

// With every layer, every seq arrives once, in order, while many writers
// change the park at once.
func TestStreamNoGap(t *testing.T) {
	base, tw, _ := startServer(t)
	conn := dial(t, base, "", nil)
	start := next(t, conn).Seq
	tank := firstID[*twin.Tank](tw)
	const writers, each = 8, 25
	done := make(chan struct{})
	for w := range writers {
		go func() {
			for i := range each {
				patchTank(t, tw, tank, 0.5+float64(w*each+i)/1000)
			}
			done <- struct{}{}
		}()
	}
	for range writers {
		<-done
	}
	end := tw.Snapshot().Seq()
	want := start + 1
	for want <= end {
		m := nextOf(t, conn, "change")
		if m.Seq != want {
			t.Fatalf("got seq %d, want %d", m.Seq, want)
		}
		want++
	}
}

// Changes made while a snapshot is being built, for a new client or for
// a subscribe, arrive once each, in order, after the snapshot.
func TestStreamNoGapAroundSnapshots(t *testing.T) {
	base, tw, _ := startServer(t)
	tank := firstID[*twin.Tank](tw)
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				fill := 0.6 + float64(w*100_000+i)/10_000_000
				if _, err := tw.Apply(context.Background(), twin.Patch{Kind: twin.KindTank, ID: tank,
					Merge: []byte(fmt.Sprintf(`{"properties":{"maxFill":%v}}`, fill))}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	defer writers.Wait()
	defer close(stop)

	var rest []string // every layer but alarms
	for _, k := range twin.Kinds {
		if k != twin.KindAlarm && k != twin.KindLedger && k != twin.KindHandover { // the ledger and the handovers have no layer
			rest = append(rest, k.Path())
		}
	}
	for range 3 {
		// A new client holding every layer.
		conn := dial(t, base, "", nil)
		snap := next(t, conn)
		if snap.Type != "snapshot" {
			t.Fatalf("first message: %s", snap.Type)
		}
		everyChangeAfter(t, conn, snap.Seq, 100)
		conn.Close()

		// A client that subscribes to the rest of them.
		conn = dial(t, base, "?layers=alarms", nil)
		next(t, conn)
		if err := conn.WriteJSON(map[string]any{"type": "subscribe", "layers": rest}); err != nil {
			t.Fatal(err)
		}
		for {
			m := next(t, conn)
			if m.Type == "snapshot" {
				snap = m
				break
			}
			if m.Type == "change" && m.Layer != "alarms" {
				t.Fatalf("a change of %s (%d) before the snapshot", m.Layer, m.Seq)
			}
		}
		everyChangeAfter(t, conn, snap.Seq, 100)
		conn.Close()
	}
}

// everyChangeAfter reads the next n changes from a client holding every
// layer and fails unless they are seq+1, seq+2, … in order.
func everyChangeAfter(t *testing.T, conn *websocket.Conn, seq uint64, n int) {
	t.Helper()
	for want := seq + 1; want <= seq+uint64(n); want++ {
		m := nextOf(t, conn, "change")
		if m.Seq != want {
			t.Fatalf("after a snapshot at %d: change %d, want %d", seq, m.Seq, want)
		}
	}
}

func TestStreamLayerFilter(t *testing.T) {
	base, tw, _ := startServer(t)
	conn := dial(t, base, "?layers=tanks", nil)
	snap := next(t, conn)
	var layers map[string]json.RawMessage
	json.Unmarshal(snap.Layers, &layers)
	if len(layers) != 1 || len(layers["tanks"]) == 0 || len(snap.Park) != 0 {
		t.Fatalf("snapshot of tanks holds %d layers", len(layers))
	}
	road := firstID[*twin.Road](tw)
	if _, err := tw.Apply(context.Background(), twin.Patch{Kind: twin.KindRoad, ID: road, Merge: []byte(`{"properties":{"closed":true}}`)}); err != nil {
		t.Fatal(err)
	}
	seq := patchTank(t, tw, firstID[*twin.Tank](tw), 0.6)
	m := nextOf(t, conn, "change")
	if m.Layer != "tanks" || m.Seq != seq {
		t.Errorf("got %s %d, want the tank's change %d", m.Layer, m.Seq, seq)
	}
	if status, b, _ := do(t, "GET", base+"/api/v1/stream?layers=spaceships", ""); status != 426 && status != 422 {
		t.Errorf("unknown layer: %d %s", status, b)
	}
}

func TestStreamResume(t *testing.T) {
	base, tw, _ := startServer(t)
	conn := dial(t, base, "?layers=tanks", nil)
	seen := next(t, conn).Seq
	conn.Close()
	tank := firstID[*twin.Tank](tw)
	var want []uint64
	for i := range 5 {
		want = append(want, patchTank(t, tw, tank, 0.5+float64(i)/100))
	}
	conn = dial(t, base, fmt.Sprintf("?layers=tanks&since=%d", seen), nil)
	for _, w := range want {
		m := next(t, conn)
		if m.Type != "change" || m.Seq != w {
			t.Fatalf("resume: got %s %d, want change %d", m.Type, m.Seq, w)
		}
	}
}

func TestStreamSnapshotWhenTooFarBehind(t *testing.T) {
	base, tw, _ := startServerWith(t, web.StreamConfig{Replay: 10})
	conn := dial(t, base, "?layers=tanks", nil)
	seen := next(t, conn).Seq
	conn.Close()
	watch := dial(t, base, "?layers=tanks", nil)
	next(t, watch)
	tank := firstID[*twin.Tank](tw)
	var last uint64
	for i := range 20 {
		last = patchTank(t, tw, tank, 0.5+float64(i)/100)
	}
	// The hub has fanned them all out when a client sees the last.
	for nextOf(t, watch, "change").Seq < last {
	}
	conn = dial(t, base, fmt.Sprintf("?layers=tanks&since=%d", seen), nil)
	if m := next(t, conn); m.Type != "snapshot" || m.Seq != tw.Snapshot().Seq() {
		t.Fatalf("too far behind: got %s %d, want a snapshot at %d", m.Type, m.Seq, tw.Snapshot().Seq())
	}
}

// Many readings of one sensor within a tick reach the client as one value.
func TestStreamCoalescesValues(t *testing.T) {
	base, tw, _ := startServerWith(t, web.StreamConfig{Tick: 300 * time.Millisecond})
	s := tempSensor(t, tw)
	conn := dial(t, base, "?layers=sensors", nil)
	next(t, conn)
	now := time.Now().Add(-time.Minute)
	var rs []string
	for i := range 50 {
		rs = append(rs, reading(s.ID, now.Add(time.Duration(i)*time.Second), 20+float64(i)/10))
	}
	post(t, base+"/api/v1/telemetry", testToken, readings(rs...))
	m := nextOf(t, conn, "values")
	n := 0
	var last any
	for _, v := range m.Values {
		if v[0] == s.ID {
			n++
			last = v[1]
		}
	}
	if n != 1 || last != 24.9 {
		t.Errorf("values for %s: %d entries, last %v; want one, 24.9", s.ID, n, last)
	}
}

func TestStreamSubscribe(t *testing.T) {
	base, tw, _ := startServer(t)
	conn := dial(t, base, "?layers=roads", nil)
	next(t, conn)
	if err := conn.WriteJSON(map[string]any{"type": "subscribe", "layers": []string{"tanks"}}); err != nil {
		t.Fatal(err)
	}
	if m := nextOf(t, conn, "subscribed"); !strings.Contains(string(mustJSON(m)), "tanks") {
		t.Fatalf("subscribed: %+v", m)
	}
	snap := nextOf(t, conn, "snapshot")
	var layers map[string]json.RawMessage
	json.Unmarshal(snap.Layers, &layers)
	if len(layers) != 1 || len(layers["tanks"]) == 0 {
		t.Fatalf("subscribe snapshot holds %d layers", len(layers))
	}
	seq := patchTank(t, tw, firstID[*twin.Tank](tw), 0.66)
	if m := nextOf(t, conn, "change"); m.Seq != seq {
		t.Errorf("change after subscribe: %d, want %d", m.Seq, seq)
	}
	conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"dance"`))
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Code != web.CloseBadClient {
				t.Errorf("close code %d, want %d", ce.Code, web.CloseBadClient)
			}
			break
		}
		if err != nil {
			t.Fatalf("read: %v", err)
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestStreamChecksOrigin(t *testing.T) {
	base, _, _ := startServer(t)
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream"
	_, res, err := wsDial(url, http.Header{"Origin": {"http://elsewhere.example"}})
	if err == nil || res.StatusCode != 403 {
		t.Errorf("foreign origin: %v %v", err, res)
	}
	dial(t, base, "", http.Header{"Origin": {base}})
}

func TestStreamHeartbeat(t *testing.T) {
	base, tw, _ := startServerWith(t, web.StreamConfig{Heartbeat: 100 * time.Millisecond})
	conn := dial(t, base, "?layers=tanks", nil)
	next(t, conn)
	m := nextOf(t, conn, "heartbeat")
	if m.Time.IsZero() || m.Seq != tw.Snapshot().Seq() {
		t.Errorf("heartbeat: %+v", m)
	}
}

// A client that does not read is dropped while a client that reads keeps
// every change; the dropped one resumes without a gap.
func TestSlowClientDropped(t *testing.T) {
	const queue = 64
	base, tw, _ := startServerWith(t, web.StreamConfig{Queue: queue})
	fast := dial(t, base, "?layers=tanks", nil)
	slow, rcvbuf := dialSmall(t, base, "?layers=tanks")
	next(t, fast)
	tank := firstID[*twin.Tank](tw)

	start := patchTank(t, tw, tank, 0.5)
	size := changeSize(t, fast)
	total := flood(queue, size, rcvbuf)
	t.Logf("%d changes of %d bytes; client receive buffer %d", total, size, rcvbuf)

	got := make(chan uint64, 1)
	var progress atomic.Uint64 // the last seq the fast client read
	go func() {
		want := start + 1
		for {
			fast.SetReadDeadline(time.Now().Add(20 * time.Second))
			var m msg
			if err := fast.ReadJSON(&m); err != nil {
				got <- 0
				return
			}
			if m.Type != "change" {
				continue
			}
			if m.Seq != want {
				got <- 0
				return
			}
			progress.Store(want)
			if want == start+uint64(total) {
				got <- want
				return
			}
			want++
		}
	}()
	for i := range total / 50 {
		// The fast client keeps pace: the next burst waits for it.
		last := burst(t, tw, tank, 50, i*50)
		eventually(t, func() bool { return progress.Load() >= last }, 10*time.Second)
	}
	end := start + uint64(total)
	if last := <-got; last != end {
		t.Fatalf("the fast client missed a change")
	}
	// The slow client drains what reached it, then finds the connection
	// ended.
	var handled uint64
	slow.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var m msg
		err := slow.ReadJSON(&m)
		if err != nil {
			if !droppedErr(err) {
				t.Fatalf("slow client: %v after %d; %+v", err, handled, stats(t, base))
			}
			break
		}
		if m.Seq > handled {
			handled = m.Seq
		}
	}
	if st := stats(t, base); st.StreamDropped != 1 {
		t.Errorf("stats: %+v", st)
	}
	// It resumes from what it handled and gets the rest in order.
	again := dial(t, base, fmt.Sprintf("?layers=tanks&since=%d", handled), nil)
	want := handled + 1
	for want <= end {
		m := next(t, again)
		if m.Type == "snapshot" {
			if m.Seq < end {
				t.Fatalf("snapshot at %d", m.Seq)
			}
			break
		}
		if m.Type != "change" || m.Seq != want {
			t.Fatalf("resumed: got %s %d, want change %d", m.Type, m.Seq, want)
		}
		want++
	}
}

// A client that reads nothing is dropped and leaves nothing behind: its
// goroutines end and its connection closes though its socket is full.
func TestNoLeakOnSlowClient(t *testing.T) {
	const queue = 16
	base, tw, _ := startServerWith(t, web.StreamConfig{Queue: queue})
	// A stream opened and closed first puts what the server keeps between
	// connections (an idle worker) into the baseline.
	warm := dial(t, base, "?layers=tanks", nil)
	next(t, warm)
	tank := firstID[*twin.Tank](tw)
	patchTank(t, tw, tank, 0.5)
	size := changeSize(t, warm)
	warm.Close()
	eventually(t, func() bool { return stats(t, base).StreamClients == 0 }, 5*time.Second)
	eventually(t, func() bool { return streamGoroutines() == 0 }, 5*time.Second)
	baseline := stats(t, base).Goroutines

	slow, rcvbuf := dialSmall(t, base, "?layers=tanks")
	eventually(t, func() bool { return stats(t, base).StreamClients == 1 }, 5*time.Second)
	bursts := flood(queue, size, rcvbuf) / 50
	for i := 0; stats(t, base).StreamDropped == 0; i++ {
		if i == bursts {
			t.Fatalf("a client that reads nothing was not dropped after %d changes", i*50)
		}
		burst(t, tw, tank, 50, i*50)
	}
	eventually(t, func() bool {
		st := stats(t, base)
		return st.StreamClients == 0 && st.Goroutines <= baseline+1 && streamGoroutines() == 0
	}, 5*time.Second)
	// The client, reading what reached it, finds the end of the stream.
	slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := slow.ReadMessage(); err != nil {
			if !droppedErr(err) {
				t.Fatalf("dropped client: %v", err)
			}
			break
		}
	}
}

// burst patches a tank n times in one Apply, the ith patch of all to a
// fill of its own, and returns the last seq.
func burst(t testing.TB, tw *twin.Twin, tank string, n, from int) uint64 {
	t.Helper()
	cmds := make([]twin.Command, n)
	for i := range cmds {
		fill := 0.6 + float64(from+i)/1000000
		cmds[i] = twin.Patch{Kind: twin.KindTank, ID: tank, Merge: []byte(fmt.Sprintf(`{"properties":{"maxFill":%v}}`, fill))}
	}
	evs, err := tw.Apply(context.Background(), cmds...)
	if err != nil {
		t.Fatal(err)
	}
	return evs[len(evs)-1].Seq
}

// streamGoroutines counts the goroutines of stream handlers, theirs and
// their helpers', in this process.
func streamGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, "web.(*Server).stream(") || strings.Contains(g, "web.(*Server).stream.func") {
			count++
		}
	}
	return count
}

// dialSmall dials the stream with a small fixed receive buffer (setting
// it turns the kernel's autotuning off) and returns the buffer's size as
// the kernel reports it. The buffer is set before the TCP handshake: set
// after it, the server has seen a large window, and its send-side
// silly-window avoidance then holds data back from the small one until a
// persist timer fires, seconds later.
func dialSmall(t testing.TB, base, query string) (*websocket.Conn, int) {
	t.Helper()
	var rcvbuf int
	nd := net.Dialer{Control: func(_, _ string, raw syscall.RawConn) error {
		var serr error
		err := raw.Control(func(fd uintptr) {
			if serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10); serr != nil {
				return
			}
			rcvbuf, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF)
		})
		return errors.Join(err, serr)
	}}
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, NetDialContext: nd.DialContext}
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream" + query
	conn, _, err := d.Dial(url, signed(url, nil))
	if err != nil {
		t.Fatalf("dial %s: %v", query, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, rcvbuf
}

// flood returns how many changes of size bytes, in bursts of 50, are
// several times what a client's queue and both sockets can hold: enough
// that a client that does not read cannot keep up by buffering alone.
func flood(queue, size, rcvbuf int) int {
	n := 3 * (queue*size + rcvbuf + sendBufferMax()) / size
	return (n/50 + 1) * 50
}

// changeSize reads up to the next change and returns its size in bytes.
func changeSize(t testing.TB, conn *websocket.Conn) int {
	t.Helper()
	for {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, b, err := conn.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(string(b), `{"type":"change"`) {
			return len(b)
		}
	}
}

// sendBufferMax is the most the kernel lets a TCP send buffer grow to:
// what the server's socket may hold for a client that does not read.
func sendBufferMax() int {
	const fallback = 4 << 20 // Linux's default
	b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_wmem")
	if err != nil {
		return fallback
	}
	f := strings.Fields(string(b))
	if len(f) != 3 {
		return fallback
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n <= 0 {
		return fallback
	}
	return n
}

// droppedErr tells whether err is how a dropped client's connection
// ends: the resync close when it got through, else the end of the
// stream (gorilla reports an EOF as an abnormal close) or a reset.
func droppedErr(err error) bool {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code == web.CloseResync || ce.Code == websocket.CloseAbnormalClosure
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}

// serverStats is what GET /api/v1/stats says of the stream.
type serverStats struct {
	StreamClients int   `json:"streamClients"`
	StreamDropped int64 `json:"streamDropped"`
	Goroutines    int   `json:"goroutines"`
}

func stats(t testing.TB, base string) serverStats {
	t.Helper()
	_, b, _ := do(t, "GET", base+"/api/v1/stats", "")
	var st serverStats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("stats: %v: %s", err, b)
	}
	return st
}

// eventually polls cond until it holds and fails the test if it does not
// within timeout: the bound is a safety net, not a measure of speed.
func eventually(t *testing.T, cond func() bool, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	wait := time.Millisecond
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", timeout)
		}
		time.Sleep(wait)
		wait = min(2*wait, 20*time.Millisecond)
	}
}

// A client that floods subscribe messages and reads nothing is dropped
// on the bytes it holds queued, and the server goes on serving.
func TestSubscribeFloodDropsTheClient(t *testing.T) {
	base, _, _ := startServerWith(t, web.StreamConfig{QueueBytes: 4 << 20, Queue: 100_000})
	conn := dial(t, base, "?layers=alarms", nil)
	heavy := []string{"roads", "tanks", "sensors", "enterprises"} // about 800 KB a snapshot
	for i := range 400 {
		ty := "subscribe"
		if i%2 == 1 {
			ty = "unsubscribe"
		}
		if err := conn.WriteJSON(map[string]any{"type": ty, "layers": heavy}); err != nil {
			break // dropped already
		}
	}
	eventually(t, func() bool { return stats(t, base).StreamDropped == 1 }, 20*time.Second)
	other := dial(t, base, "?layers=tanks", nil)
	if m := next(t, other); m.Type != "snapshot" {
		t.Errorf("after the flood: %s", m.Type)
	}
}

func TestGatewayStreamReadLimit(t *testing.T) {
	base, _, _ := startServer(t)
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/telemetry/ws"
	conn, _, err := wsDial(url, http.Header{"Authorization": {"Bearer " + testToken}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	big := `{"readings":[],"pad":"` + strings.Repeat("x", 2<<20) + `"}`
	conn.WriteMessage(websocket.TextMessage, []byte(big))
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err = conn.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
		t.Errorf("a 2 MB message: %v, want close %d", err, websocket.CloseMessageTooBig)
	}
}

// Clients that join at the same seq share one snapshot, byte for byte,
// whatever the order of their layers; a change between them, or a tick
// of new values, gives the next one a newer snapshot.
func TestStreamSharedSnapshot(t *testing.T) {
	base, tw, _ := startServerWith(t, web.StreamConfig{Tick: 20 * time.Millisecond})
	raw := func(query string) []byte {
		t.Helper()
		conn := dial(t, base, query, nil)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, b, err := conn.ReadMessage()
		if err != nil || !strings.HasPrefix(string(b), `{"type":"snapshot"`) {
			t.Fatalf("%s: %v %.40s", query, err, b)
		}
		return b
	}
	seqOf := func(b []byte) uint64 {
		var m msg
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m.Seq
	}
	first := raw("?layers=tanks,sensors,alarms")
	second := raw("?layers=alarms,sensors,tanks")
	if !bytes.Equal(first, second) {
		t.Errorf("two clients at seq %d: snapshots of %d and %d bytes differ", seqOf(first), len(first), len(second))
	}
	if all := raw(""); bytes.Equal(all, first) {
		t.Error("every layer: the same snapshot as three of them")
	}

	seq := patchTank(t, tw, firstID[*twin.Tank](tw), 0.6)
	third := raw("?layers=tanks,sensors,alarms")
	if got := seqOf(third); got != seq || !strings.Contains(string(third), `"maxFill":0.6`) {
		t.Errorf("after a change at seq %d: snapshot at seq %d, with the change: %v", seq, got, strings.Contains(string(third), `"maxFill":0.6`))
	}

	// A value, sent at a tick: the next client's snapshot carries it.
	s := tempSensor(t, tw)
	watch := dial(t, base, "?layers=sensors", nil)
	next(t, watch)
	post(t, base+"/api/v1/telemetry", testToken, readings(reading(s.ID, time.Now().Add(-time.Second), 21.25)))
	nextOf(t, watch, "values")
	fourth := raw("?layers=tanks,sensors,alarms")
	if strings.Contains(string(third), `"value":21.25`) || !strings.Contains(string(fourth), `"value":21.25`) {
		t.Errorf("a value sent at a tick between two clients: in the first's snapshot %v, in the second's %v (want false, true)",
			strings.Contains(string(third), `"value":21.25`), strings.Contains(string(fourth), `"value":21.25`))
	}
}

// A snapshot's alarms layer carries every alarm not closed and only the
// latest closed ones (StreamConfig.ClosedAlarms), newest first; the
// REST list still has them all, and a change of an alarm left out still
// reaches the client.
func TestStreamSnapshotKeepsLatestClosedAlarms(t *testing.T) {
	base, tw, _ := startServerWith(t, web.StreamConfig{ClosedAlarms: 2})
	sen := firstID[*twin.Sensor](tw)
	s, _ := tw.Snapshot().Get(twin.KindSensor, sen)
	at := s.(*twin.Sensor).Position
	// raised in this order: closed, active, closed, closed, acknowledged, closed
	states := []twin.AlarmState{twin.AlarmClosed, twin.AlarmActive, twin.AlarmClosed, twin.AlarmClosed, twin.AlarmAcknowledged, twin.AlarmClosed}
	var cmds []twin.Command
	for i, st := range states {
		cmds = append(cmds, twin.Create{Entity: &twin.Alarm{Sensor: sen, Subject: "TNK-0001-01", Enterprise: "ENT-0001",
			Condition: twin.High, Limit: "H", Threshold: 60, Value: 63, Level: twin.Red, State: st,
			RaisedAt: time.Now().Add(time.Duration(i-10) * time.Minute), Position: at}})
	}
	evs, err := tw.Apply(context.Background(), cmds...)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ev := range evs {
		ids = append(ids, ev.ID)
	}
	conn := dial(t, base, "?layers=alarms", nil)
	snap := next(t, conn)
	var layers struct {
		Alarms struct {
			Features []struct {
				ID string `json:"id"`
			} `json:"features"`
		} `json:"alarms"`
	}
	if err := json.Unmarshal(snap.Layers, &layers); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range layers.Alarms.Features {
		got = append(got, f.ID)
	}
	// newest first: the last closed, the acknowledged, the one closed before, the active
	want := []string{ids[5], ids[4], ids[3], ids[1]}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("snapshot alarms %v, want %v (of %v)", got, want, ids)
	}
	res, err := http.Get(base + "/api/v1/alarms?state=closed")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, i := range []int{0, 2, 3, 5} {
		if !strings.Contains(string(body), `"`+ids[i]+`"`) {
			t.Errorf("GET /api/v1/alarms?state=closed lacks %s", ids[i])
		}
	}
	// A change of an alarm the snapshot left out reaches the client.
	if _, err := tw.Apply(context.Background(), twin.Patch{Kind: twin.KindAlarm, ID: ids[0],
		Merge: []byte(`{"properties":{"note":"reviewed"}}`)}); err != nil {
		t.Fatal(err)
	}
	if m := nextOf(t, conn, "change"); m.ID != ids[0] || m.Layer != "alarms" {
		t.Errorf("change after the snapshot: %+v", m)
	}
}

// A tick with more values than StreamConfig.ValuesBatch comes as several
// values messages, each of at most that many, together every sensor that
// reported once.
func TestStreamValuesInBatches(t *testing.T) {
	base, tw, _ := startServerWith(t, web.StreamConfig{Tick: 300 * time.Millisecond, ValuesBatch: 7})
	var ids []string
	for s := range twin.All[*twin.Sensor](tw.Snapshot()) {
		if len(ids) == 20 {
			break
		}
		ids = append(ids, s.ID)
	}
	conn := dial(t, base, "?layers=sensors", nil)
	next(t, conn)
	at := time.Now().Add(-time.Minute)
	var rs []string
	for _, id := range ids {
		rs = append(rs, reading(id, at, 1.5))
	}
	post(t, base+"/api/v1/telemetry", testToken, readings(rs...))
	seen := map[string]int{}
	for len(seen) < len(ids) {
		m := nextOf(t, conn, "values")
		if len(m.Values) > 7 {
			t.Fatalf("a values message of %d values, want at most 7", len(m.Values))
		}
		for _, v := range m.Values {
			seen[v[0].(string)]++
		}
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("%s came %d times, want once", id, seen[id])
		}
	}
}
