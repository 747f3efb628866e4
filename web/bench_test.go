package web_test

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
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
// park: connect, and receive the snapshot of every layer.
func BenchmarkStreamSnapshot(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "park.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		b.Fatal(err)
	}
	defer tw.Close()
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := web.New(web.Config{Twin: tw, Monitor: mon})
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	url := "ws://" + ln.Addr().String() + "/api/v1/stream"
	size := 0
	for b.Loop() {
		conn, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		_, m, err := conn.ReadMessage()
		if err != nil || !bytes.HasPrefix(m, []byte(`{"type":"snapshot"`)) {
			b.Fatalf("%v %.40s", err, m)
		}
		size = len(m)
		conn.Close()
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
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
