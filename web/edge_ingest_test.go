package web_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parktwin/web"
)

// A gateway whose clock runs 30 s ahead stamps a reading in the future.
// Taken, it would make the sensor refuse every true reading for those
// 30 s ("not after the sensor's last reading"): it is refused, saying
// why, and the next true reading is taken.
func TestFutureReadingIsRefused(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	now := tw.Clock().Now()
	status, b := post(t, base+"/api/v1/telemetry", testToken, readings(reading(s.ID, now.Add(30*time.Second), 20)))
	var ans ingestAnswer
	if err := json.Unmarshal(b, &ans); err != nil || status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	if ans.Accepted != 0 || len(ans.Rejected) != 1 || !strings.Contains(ans.Rejected[0].Error, "ahead of the park's clock") {
		t.Errorf("a reading 30 s ahead: %s, want it refused", b)
	}
	status, b = post(t, base+"/api/v1/telemetry", testToken, readings(reading(s.ID, tw.Clock().Now(), 21)))
	if err := json.Unmarshal(b, &ans); err != nil || status != 200 || ans.Accepted != 1 {
		t.Errorf("the true reading after it: %d %s, want it accepted", status, b)
	}
}

// A token in a POST's URL is refused, even a right one: URLs are logged.
func TestTokenInThePostURLIsRefused(t *testing.T) {
	base, tw, mon := startServer(t)
	s := tempSensor(t, tw)
	status, b := post(t, base+"/api/v1/telemetry?token="+testToken, "", readings(reading(s.ID, tw.Clock().Now(), 20)))
	if status != http.StatusBadRequest || !strings.Contains(string(b), "URL") {
		t.Errorf("?token= on POST: %d %s, want 400", status, b)
	}
	if _, _, ok := mon.Latest(s.ID); ok {
		t.Error("the reading was taken")
	}
}

// More than MaxBatchReadings in one batch is refused whole.
func TestBatchOverTheLimitIsRefused(t *testing.T) {
	base, tw, _ := startServer(t)
	s := tempSensor(t, tw)
	rs := make([]string, web.MaxBatchReadings+1)
	t0 := tw.Clock().Now().Add(-time.Hour)
	for i := range rs {
		rs[i] = reading(s.ID, t0.Add(time.Duration(i)*time.Millisecond), 20)
	}
	status, b := post(t, base+"/api/v1/telemetry", testToken, readings(rs...))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("%d readings: %d %.200s, want 413", len(rs), status, b)
	}
}

// A gateway over --ingest-rate gets 429 and Retry-After; the answer to
// what it was allowed says that its readings are not yet on disk.
func TestIngestRateAndDurability(t *testing.T) {
	base, tw, _ := startServerConfig(t, func(c *web.Config) { c.IngestRate = 1 })
	s := tempSensor(t, tw)
	t0 := tw.Clock().Now().Add(-time.Hour)
	rs := make([]string, web.MaxBatchReadings) // the burst: one whole batch
	for i := range rs {
		rs[i] = reading(s.ID, t0.Add(time.Duration(i)*time.Millisecond), 20)
	}
	status, b := post(t, base+"/api/v1/telemetry", testToken, readings(rs...))
	var ans struct {
		Accepted int   `json:"accepted"`
		Durable  *bool `json:"durable"`
	}
	if err := json.Unmarshal(b, &ans); err != nil || status != 200 || ans.Accepted != len(rs) {
		t.Fatalf("the first batch: %d %.200s", status, b)
	}
	if ans.Durable == nil || *ans.Durable {
		t.Errorf("the answer says durable %v: the readings' history is written once a minute", ans.Durable)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/telemetry",
		strings.NewReader(readings(reading(s.ID, tw.Clock().Now(), 21))))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("over the rate: %d, Retry-After %q; want 429 and a Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// 150 KB of subscribe and unsubscribe frames once made the server send
// 275 MB. Now a client flooding them is closed (4429) and what it is
// sent stays within the snapshots its allowance may ask for.
func TestSubscribeFloodIsBounded(t *testing.T) {
	base, _, _ := startServer(t)
	// A snapshot of every layer: the most one subscribe can cost.
	whole := dial(t, base, "", nil)
	whole.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, first, err := whole.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	whole.Close()
	all := []string{"roads", "tanks", "sensors", "enterprises", "alarms", "teams", "warehouses"}

	start := time.Now()
	conn := dial(t, base, "?layers=alarms", nil)
	var got atomic.Int64
	done := make(chan error, 1)
	go func() {
		for {
			conn.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, b, err := conn.ReadMessage()
			if err != nil {
				done <- err
				return
			}
			// Past any allowance: stop reading (the server that sends
			// it would go on for minutes).
			allowed := int64(web.SubscribeBurst+int(time.Since(start)/time.Second)+2) * int64(len(first))
			if got.Add(int64(len(b))) > allowed {
				done <- fmt.Errorf("over %d bytes", allowed)
				return
			}
		}
	}()
	sent := 0
	for i := 0; sent < 150<<10; i++ {
		ty := "subscribe"
		if i%2 == 1 {
			ty = "unsubscribe"
		}
		b, _ := json.Marshal(map[string]any{"type": ty, "layers": all})
		if conn.WriteMessage(websocket.TextMessage, b) != nil {
			break // closed already
		}
		sent += len(b)
	}
	err = <-done
	// The allowance: the burst, one more a second since the start, and
	// the snapshot the client joined with.
	secs := int(time.Since(start)/time.Second) + 1
	bound := int64(web.SubscribeBurst+secs+1) * int64(len(first))
	if got.Load() > bound {
		t.Errorf("%d bytes of subscribe frames: the server sent %d bytes, more than %d (%d snapshots of %d)",
			sent, got.Load(), bound, web.SubscribeBurst+secs+1, len(first))
	}
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != web.CloseTooFast {
		t.Errorf("the flooding client ended with %v, want close %d", err, web.CloseTooFast)
	}
	t.Logf("a flood of %d bytes: %d bytes sent back (bound %d)", sent, got.Load(), bound)
}
