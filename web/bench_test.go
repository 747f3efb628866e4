package web_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
	"parktwin/web"
)

// BenchmarkStreamSnapshot measures a new stream client on the ×10 demo
// park, every sensor with a value: connect, and receive the snapshot of
// every layer (9.1 MB). Beside it, in the same run:
//
//   - parkd: clients one after another at the same seq, as when many
//     consoles connect to a quiet park;
//   - parkd-changed: a tank changed before each client, so each one's
//     snapshot is at a new seq;
//   - reference: the same bytes, one message a connection, from a
//     minimal gorilla/websocket server on loopback to the same client.
func BenchmarkStreamSnapshot(b *testing.B) {
	base, tw := snapshotServer(b)
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream"
	tank := firstID[*twin.Tank](tw)
	var msg []byte
	b.Run("parkd", func(b *testing.B) {
		for b.Loop() {
			msg = readSnapshot(b, url)
		}
		b.ReportMetric(float64(len(msg))/1e6, "MB")
	})
	b.Run("parkd-changed", func(b *testing.B) {
		fill := 0.0
		for b.Loop() {
			b.StopTimer()
			fill = 1 - fill
			patchTank(b, tw, tank, 0.25+fill/2)
			b.StartTimer()
			readSnapshot(b, url)
		}
	})
	b.Run("reference", func(b *testing.B) {
		ref := referenceServer(b, msg)
		for b.Loop() {
			if got := readSnapshot(b, ref); len(got) != len(msg) {
				b.Fatalf("got %d bytes, want %d", len(got), len(msg))
			}
		}
		b.ReportMetric(float64(len(msg))/1e6, "MB")
	})
}

// snapshotServer starts parkd's server on the ×10 demo park with a value
// for every sensor.
func snapshotServer(b *testing.B) (string, *twin.Twin) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "park.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 10)...)...); err != nil {
		b.Fatal(err)
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, History: db, Rules: telemetry.DefaultRules()})
	if err != nil {
		b.Fatal(err)
	}
	if err := mon.Tick(context.Background()); err != nil {
		b.Fatal(err)
	}
	// A value for every sensor, in the middle of its limits.
	t := tw.Clock().Now().Add(-time.Minute)
	var rs []telemetry.Reading
	for s := range twin.All[*twin.Sensor](tw.Snapshot()) {
		lo, hi := 0.0, 1.0
		if p := first(s.Limits.L, s.Limits.LL); p != nil {
			lo = *p
		}
		if p := first(s.Limits.H, s.Limits.HH); p != nil {
			hi = *p
		}
		rs = append(rs, telemetry.Reading{Sensor: s.ID, T: t, Value: lo + (hi-lo)/2})
	}
	for len(rs) > 0 {
		n := min(len(rs), 1000)
		if _, rej, err := mon.Ingest(context.Background(), rs[:n]); err != nil || len(rej) > 0 {
			b.Fatalf("ingest: %v %v", rej, err)
		}
		rs = rs[n:]
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	svc := openAuth(b, db)
	srv := web.New(web.Config{Twin: tw, Monitor: mon, Auth: svc})
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
	serving("http://"+ln.Addr().String(), svc)
	return "http://" + ln.Addr().String(), tw
}

// readSnapshot connects to url and reads its first message, a snapshot.
func readSnapshot(b *testing.B, url string) []byte {
	conn, _, err := wsDial(url, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	_, m, err := conn.ReadMessage()
	if err != nil || !bytes.HasPrefix(m, []byte(`{"type":"snapshot"`)) {
		b.Fatalf("%v %.40s", err, m)
	}
	return m
}

// referenceServer serves msg as the one message of every websocket
// connection, from a minimal gorilla/websocket server on loopback, and
// returns its address.
func referenceServer(b *testing.B, msg []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var up websocket.Upgrader
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		if conn.WriteMessage(websocket.TextMessage, msg) != nil {
			return
		}
		for {
			if _, _, err := conn.NextReader(); err != nil {
				return
			}
		}
	})}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "ws://" + ln.Addr().String() + "/"
}

// BenchmarkSlowClientGone: how long a client that reads nothing takes to
// be gone — its handler, its goroutines and its slot in the hub — after
// the hub drops it, its socket full. Aim: ≤ 1 s.
func BenchmarkSlowClientGone(b *testing.B) {
	const queue = 16
	base, tw, _ := startServerWith(b, web.StreamConfig{Queue: queue})
	tank := firstID[*twin.Tank](tw)
	warm := dial(b, base, "?layers=tanks", nil)
	next(b, warm)
	patchTank(b, tw, tank, 0.5)
	size := changeSize(b, warm)
	warm.Close()
	var worst time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		dropped := stats(b, base).StreamDropped
		slow, rcvbuf := dialSmall(b, base, "?layers=tanks")
		for stats(b, base).StreamClients == 0 {
			time.Sleep(time.Millisecond)
		}
		bursts := flood(queue, size, rcvbuf) / 50
		for j := 0; stats(b, base).StreamDropped == dropped; j++ {
			if j == bursts {
				b.Fatalf("a client that reads nothing was not dropped after %d changes", j*50)
			}
			burst(b, tw, tank, 50, (i*bursts+j)*50)
		}
		b.StartTimer()
		start := time.Now()
		for stats(b, base).StreamClients != 0 || streamGoroutines() != 0 {
			if time.Since(start) > 10*time.Second {
				b.Fatal("a dropped client was not gone after 10 s")
			}
			time.Sleep(time.Millisecond)
		}
		worst = max(worst, time.Since(start))
		b.StopTimer()
		slow.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(worst)/float64(time.Millisecond), "worst-ms")
}
