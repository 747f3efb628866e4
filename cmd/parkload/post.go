package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"
)

// sensor is a sensor of the park as the load drives it: a value inside
// its limits, so that no reading raises an alarm, and the time of its
// last reading, which the next must pass.
type sensor struct {
	id    string
	value string // formatted once: every reading of the sensor carries it
	last  time.Time
}

// limits are a sensor's alarm limits; any of them may be absent.
type limits struct {
	LL *float64 `json:"ll"`
	L  *float64 `json:"l"`
	H  *float64 `json:"h"`
	HH *float64 `json:"hh"`
}

// fetchSensors reads the park's sensors, with their limits and the time
// of their latest reading.
func fetchSensors(ctx context.Context, hc *http.Client, base string) ([]sensor, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/sensors", nil)
	if err != nil {
		return nil, err
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get sensors: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return nil, fmt.Errorf("get sensors: %s: %s", res.Status, bytes.TrimSpace(b))
	}
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Limits limits    `json:"limits"`
				T      time.Time `json:"t"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.NewDecoder(res.Body).Decode(&fc); err != nil {
		return nil, fmt.Errorf("get sensors: %w", err)
	}
	out := make([]sensor, 0, len(fc.Features))
	for _, f := range fc.Features {
		v := safeValue(f.Properties.Limits)
		out = append(out, sensor{id: f.ID, value: strconv.FormatFloat(v, 'g', -1, 64), last: f.Properties.T})
	}
	return out, nil
}

// safeValue returns a value that passes none of the limits: the middle of
// the band between the inner lower and upper limits, or, with one side
// open, a value well inside the other.
func safeValue(l limits) float64 {
	lo, hasLo := inner(l.L, l.LL, math.Max)
	hi, hasHi := inner(l.H, l.HH, math.Min)
	switch {
	case hasLo && hasHi:
		return lo + (hi-lo)/2
	case hasHi && hi > 0:
		return hi / 2
	case hasHi:
		return hi - max(1, math.Abs(hi))
	case hasLo && lo > 0:
		return lo * 2
	case hasLo:
		return lo + max(1, math.Abs(lo))
	}
	return 0
}

// inner returns the tighter of two optional limits, pick choosing.
func inner(a, b *float64, pick func(x, y float64) float64) (float64, bool) {
	switch {
	case a != nil && b != nil:
		return pick(*a, *b), true
	case a != nil:
		return *a, true
	case b != nil:
		return *b, true
	}
	return 0, false
}

// poster posts readings of its own sensors at its share of the rate. The
// sensors are split between posters so that each sensor's readings are
// posted in order by one of them: the server refuses a reading that is
// not newer than the sensor's last.
type poster struct {
	hc      *http.Client
	url     string // the telemetry route
	token   string
	sensors []sensor // owned by this poster alone
	rate    float64  // readings per second
	batch   int      // readings per POST, at most
}

// postResult is what a poster did.
type postResult struct {
	posts, posted, accepted, rejected int
	httpErrors                        int
	firstError                        string     // the first rejection or failed POST, for the report
	done                              time.Time  // the last answer
	rtt                               *histogram // each POST, sent to answered
	gap                               *histogram // from one POST of a poster to its next
}

func (r *postResult) add(o postResult) {
	if r.rtt == nil {
		r.rtt, r.gap = newHistogram(), newHistogram()
	}
	if o.rtt != nil {
		r.rtt.merge(o.rtt)
		r.gap.merge(o.gap)
	}
	r.posts += o.posts
	r.posted += o.posted
	r.accepted += o.accepted
	r.rejected += o.rejected
	r.httpErrors += o.httpErrors
	if r.firstError == "" {
		r.firstError = o.firstError
	}
	if o.done.After(r.done) {
		r.done = o.done
	}
}

// interval is how often a poster posts: often enough that each of its
// sensors gets a reading in (nearly) every POST, between 10 and 100 ms.
func (p *poster) interval() time.Duration {
	per := float64(min(p.batch, len(p.sensors))) / p.rate
	d := time.Duration(per * float64(time.Second))
	return min(max(d, 10*time.Millisecond), 100*time.Millisecond)
}

// run posts from start until end or until ctx is done, keeping to the
// rate: each POST carries the readings due since the last, at most a
// batch; the last carries those due at end. A poster that cannot keep up
// posts full batches back to back and falls behind; the report says what
// rate was achieved.
func (p *poster) run(ctx context.Context, start, end time.Time) postResult {
	res := postResult{rtt: newHistogram(), gap: newHistogram()}
	var prev time.Time // when the last POST was sent
	tick := time.NewTicker(p.interval())
	defer tick.Stop()
	stop := time.NewTimer(time.Until(end))
	defer stop.Stop()
	var body []byte // reused: one batch at a time
	next := 0       // the sensor of the next reading
	for {
		var now time.Time
		last := false
		select {
		case <-ctx.Done():
			return res
		case now = <-tick.C:
		case <-stop.C:
			now, last = end, true
		}
		if due := min(int(p.rate*now.Sub(start).Seconds())-res.posted, p.batch); due > 0 {
			body, next = p.build(body[:0], due, next)
			res.posts++
			res.posted += due
			sent := time.Now()
			if !prev.IsZero() {
				res.gap.record(sent.Sub(prev))
			}
			prev = sent
			err := p.post(ctx, body, &res)
			res.rtt.record(time.Since(sent))
			if err != nil && ctx.Err() == nil {
				res.httpErrors++
				if res.firstError == "" {
					res.firstError = err.Error()
				}
			}
			res.done = time.Now()
		}
		if last {
			return res
		}
	}
}

// build appends a batch of n readings to b, the first for sensor next,
// and returns it with the sensor after the last. Each reading's t is the
// moment it is written, strictly after the sensor's previous reading.
func (p *poster) build(b []byte, n, next int) ([]byte, int) {
	b = append(b, `{"readings":[`...)
	for i := range n {
		s := &p.sensors[next]
		next = (next + 1) % len(p.sensors)
		t := time.Now().Round(0) // the wall clock alone: the server compares wall times
		if !t.After(s.last) {
			t = s.last.Add(time.Nanosecond)
		}
		s.last = t
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"sensor":"`...)
		b = append(b, s.id...)
		b = append(b, `","t":"`...)
		b = t.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","value":`...)
		b = append(b, s.value...)
		b = append(b, '}')
	}
	return append(b, "]}"...), next
}

// post sends one batch and counts the server's answer into res.
func (p *poster) post(ctx context.Context, body []byte, res *postResult) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.token)
	r, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if r.StatusCode != http.StatusOK {
		return fmt.Errorf("post telemetry: %s: %s", r.Status, bytes.TrimSpace(b))
	}
	var ans struct {
		Accepted int `json:"accepted"`
		Rejected []struct {
			Error string `json:"error"`
		} `json:"rejected"`
	}
	if err := json.Unmarshal(b, &ans); err != nil {
		return fmt.Errorf("post telemetry: %w", err)
	}
	res.accepted += ans.Accepted
	res.rejected += len(ans.Rejected)
	if len(ans.Rejected) > 0 && res.firstError == "" {
		res.firstError = "rejected: " + ans.Rejected[0].Error
	}
	return nil
}

// checkToken posts an empty batch: the server answers 401 to a wrong
// token before any reading is sent.
func checkToken(ctx context.Context, hc *http.Client, url, token string) error {
	p := poster{hc: hc, url: url, token: token}
	var res postResult
	return p.post(ctx, []byte(`{"readings":[]}`), &res)
}

// bearer signs the requests that carry no token of their own (the
// gateway's readings do) with the API client's.
type bearer struct {
	next  http.RoundTripper
	token string
}

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	return b.next.RoundTrip(req)
}
