package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
	"parktwin/web"
)

// BenchmarkIngestHTTP measures readings posted in batches of 1,000 over
// loopback, every sensor of the demo park in turn at 1 Hz of its own
// time, to two servers side by side: parkd's /api/v1/telemetry, and a
// reference fiber handler on its own listener that does nothing but one
// json.Unmarshal of the body into a plain struct and the same answer.
// The same client sends the same bodies to both; building a body is not
// timed. parkd ÷ reference is the ratio of their readings/s.
func BenchmarkIngestHTTP(b *testing.B) {
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
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		b.Fatal(err)
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, History: db, Rules: telemetry.DefaultRules()})
	if err != nil {
		b.Fatal(err)
	}
	srv := web.New(web.Config{Twin: tw, Monitor: mon, Auth: openAuth(b, db)})
	parkd := serveBench(b, srv.Serve, srv.Shutdown)
	ref := referenceIngest()
	reference := serveBench(b, ref.Listener, ref.ShutdownWithContext)

	// Both sides take the same bodies; parkd's readings must each be
	// after their sensor's last, so the batches go on from one run of a
	// sub-benchmark to the next.
	bodies := newBatches(tw)
	client := &http.Client{}
	b.Run("parkd", func(b *testing.B) {
		postBatches(b, client, parkd+"/api/v1/telemetry", bodies)
	})
	b.Run("reference", func(b *testing.B) {
		postBatches(b, client, reference+"/telemetry", bodies)
	})
}

// referenceIngest is the least a Go server can do with a batch: one
// json.Unmarshal into a plain struct, and parkd's answer.
func referenceIngest() *fiber.App {
	app := fiber.New(fiber.Config{BodyLimit: web.MaxBodyBytes, DisableStartupMessage: true, Immutable: true})
	app.Post("/telemetry", func(c *fiber.Ctx) error {
		var batch struct {
			Readings []struct {
				Sensor string    `json:"sensor"`
				T      time.Time `json:"t"`
				Value  float64   `json:"value"`
			} `json:"readings"`
		}
		if err := json.Unmarshal(c.Body(), &batch); err != nil {
			return fiber.NewError(fiber.StatusBadRequest, err.Error())
		}
		return c.JSON(struct {
			Accepted int        `json:"accepted"`
			Rejected []struct{} `json:"rejected"`
		}{len(batch.Readings), []struct{}{}})
	})
	return app
}

// serveBench serves on a loopback listener until the benchmark ends and
// returns its base URL.
func serveBench(b *testing.B, serve func(net.Listener) error, shutdown func(context.Context) error) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		serve(ln)
	}()
	b.Cleanup(func() {
		shutdown(context.Background())
		<-done
	})
	return "http://" + ln.Addr().String()
}

// batches makes bodies of 1,000 readings: every sensor of the park in
// turn, a value inside its limits, a second later for each pass over
// the sensors, starting a day behind the clock (neither ahead of it nor
// older than the history kept, for 86,400 passes).
type batches struct {
	ids    []string
	values []string
	start  time.Time
	n      int
	body   []byte
}

func newBatches(tw *twin.Twin) *batches {
	bs := &batches{start: tw.Clock().Now().Add(-24 * time.Hour).Truncate(time.Second)}
	for s := range twin.All[*twin.Sensor](tw.Snapshot()) {
		lo, hi := 0.0, 1.0
		if p := first(s.Limits.L, s.Limits.LL); p != nil {
			lo = *p
		}
		if p := first(s.Limits.H, s.Limits.HH); p != nil {
			hi = *p
		}
		if hi <= lo {
			hi = lo + 1
		}
		bs.ids = append(bs.ids, s.ID)
		bs.values = append(bs.values, strconv.FormatFloat(lo+(hi-lo)/2, 'g', 6, 64))
	}
	return bs
}

// next returns the next body; it is valid until the next call.
func (bs *batches) next() []byte {
	b := append(bs.body[:0], `{"readings":[`...)
	for i := range 1000 {
		k := bs.n % len(bs.ids)
		t := bs.start.Add(time.Duration(bs.n/len(bs.ids)) * time.Second)
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"sensor":`...)
		b = strconv.AppendQuote(b, bs.ids[k])
		b = append(b, `,"t":"`...)
		b = t.AppendFormat(b, time.RFC3339)
		b = append(b, `","value":`...)
		b = append(b, bs.values[k]...)
		b = append(b, '}')
		bs.n++
	}
	bs.body = append(b, "]}"...)
	return bs.body
}

func postBatches(b *testing.B, client *http.Client, url string, bodies *batches) {
	if len(bodies.ids) == 0 {
		b.Fatal("no sensors")
	}
	n := 0
	for b.Loop() {
		b.StopTimer()
		body := bodies.next()
		b.StartTimer()
		req, err := http.NewRequest("POST", url, bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var ans ingestAnswer
		err = json.NewDecoder(res.Body).Decode(&ans)
		res.Body.Close()
		if res.StatusCode != 200 || err != nil || ans.Accepted != 1000 || len(ans.Rejected) != 0 {
			b.Fatalf("status %d, %+v %v", res.StatusCode, ans, err)
		}
		n += 1000
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "readings/s")
}

func first(ps ...*float64) *float64 {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}
