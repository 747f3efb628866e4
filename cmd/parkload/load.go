package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// report is what a load run measured.
type report struct {
	cfg         config
	sensors     int // in the park
	driven      int
	interrupted bool

	connectTime time.Duration // opening every client, snapshots included
	snapshot    *histogram    // each client's dial to snapshot, while all connect
	snapBytes   int           // the first client's snapshot

	posted  postResult
	posting time.Duration // first POST to last answer
	window  time.Duration // the clients' reading: load and drain

	latency, fanOut *histogram
	age             *histogram // the tick − each value's t, once per values message
	messages, bytes int
	values          int
	changes         int
	heartbeats      int
	entries         int
	dropped         int         // clients closed with 4001
	closes          map[int]int // other close codes from the server
	errs            int         // clients that failed otherwise
	firstErr        string

	before, connected, end serverStats
	underLoad              statsRange

	serverCPU, ownCPU time.Duration
	cpuErr            string
}

// connectTimeout bounds the opening of every client.
const connectTimeout = 2 * time.Minute

// load runs the load that cfg asks for and reports it. It returns an
// error when the run cannot be set up: the server cannot be reached, the
// token is refused, a client cannot connect. Once the load is running,
// whatever goes wrong is counted in the report.
func load(ctx context.Context, cfg config, progress io.Writer) (*report, error) {
	base := strings.TrimSuffix(cfg.url, "/")
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.posters + 2}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: bearer{tr, cfg.apiToken}, Timeout: 30 * time.Second}
	r := &report{cfg: cfg, snapshot: newHistogram(), latency: newHistogram(), fanOut: newHistogram(), closes: map[int]int{}}

	sensors, err := fetchSensors(ctx, hc, base)
	if err != nil {
		return nil, err
	}
	r.sensors = len(sensors)
	if cfg.sensors > 0 && cfg.sensors < len(sensors) {
		sensors = sensors[:cfg.sensors]
	}
	if len(sensors) == 0 && cfg.rate > 0 {
		return nil, errors.New("the park has no sensors to drive")
	}
	r.driven = len(sensors)
	if cfg.rate > 0 {
		if err := checkToken(ctx, hc, base+"/api/v1/telemetry", cfg.token); err != nil {
			return nil, err
		}
	}
	wsURL, err := streamURL(base, cfg.layers)
	if err != nil {
		return nil, err
	}
	if r.before, err = settled(ctx, hc, base, cfg.settle); err != nil {
		return nil, err
	}

	fmt.Fprintf(progress, "parkload: opening %d clients on %s\n", cfg.clients, wsURL)
	start := time.Now()
	clients, err := connectAll(ctx, wsURL, cfg.apiToken, cfg.clients, cfg.dialers)
	if err != nil {
		return nil, err
	}
	r.connectTime = time.Since(start)
	for _, c := range clients {
		r.snapshot.record(c.snapshot)
	}
	r.snapBytes = clients[0].snapshotBytes
	// The heap right after the snapshots holds them as garbage.
	if r.connected, err = settled(ctx, hc, base, cfg.settle); err != nil {
		closeAll(clients)
		return nil, err
	}

	driven := make(map[string]bool, len(sensors))
	for _, s := range sensors {
		driven[s.id] = true
	}
	cache := newValuesCache(driven)
	var stopping atomic.Bool
	var readers sync.WaitGroup
	for _, c := range clients {
		readers.Go(func() { c.read(cache, &stopping) })
	}
	readStart := time.Now()
	serverCPU0, serverErr := cpuTime(cfg.pid)
	ownCPU0, ownErr := cpuTime(0)

	fmt.Fprintf(progress, "parkload: %d clients in %s; posting %d readings/s to %d sensors for %s\n",
		len(clients), r.connectTime.Round(time.Millisecond), cfg.rate, len(sensors), cfg.duration)
	stopSampling := make(chan struct{})
	sampled := make(chan statsRange, 1) // the sampler's one answer
	go func() { sampled <- sampleStats(ctx, hc, base, 250*time.Millisecond, stopSampling) }()
	r.posted, r.posting = post(ctx, hc, base, cfg, sensors)

	// Wind down even when interrupted: the figures so far are reported.
	wind, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	r.interrupted = ctx.Err() != nil
	select {
	case <-wind.Done():
	case <-time.After(cfg.drain):
	}
	close(stopSampling)
	r.underLoad = <-sampled
	if r.end, err = fetchStats(wind, hc, base); err != nil {
		fmt.Fprintf(progress, "parkload: %v\n", err)
	}
	serverCPU1, _ := cpuTime(cfg.pid)
	ownCPU1, _ := cpuTime(0)
	stopping.Store(true)
	r.window = time.Since(readStart)
	closeAll(clients)
	readers.Wait()

	if cfg.pid == 0 {
		r.cpuErr = "no --pid"
	} else if serverErr != nil {
		r.cpuErr = serverErr.Error()
	} else {
		r.serverCPU = serverCPU1 - serverCPU0
	}
	if ownErr == nil {
		r.ownCPU = ownCPU1 - ownCPU0
	}
	for _, c := range clients {
		r.add(c)
	}
	r.age = cache.agesAt()
	return r, nil
}

// add counts one client's figures into the report.
func (r *report) add(c *streamClient) {
	r.latency.merge(c.latency)
	r.fanOut.merge(c.fanOut)
	r.messages += c.messages
	r.bytes += c.bytes
	r.values += c.values
	r.changes += c.changes
	r.heartbeats += c.heartbeats
	r.entries += c.entries
	switch c.closeCode {
	case 0:
	case closeResync:
		r.dropped++
	default:
		r.closes[c.closeCode]++
	}
	if c.err != nil {
		r.errs++
		if r.firstErr == "" {
			r.firstErr = c.err.Error()
		}
	}
}

// connectAll opens n clients, dialers at a time, each with its snapshot
// read. On the first error the others stop; it closes those open and
// returns that error.
func connectAll(ctx context.Context, wsURL, token string, n, dialers int) ([]*streamClient, error) {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	clients := make([]*streamClient, n)
	var (
		failed sync.Once
		first  error
	)
	next := make(chan int) // unbuffered: each index is handed to one dialer
	var wg sync.WaitGroup
	for range min(dialers, n) {
		wg.Go(func() {
			for i := range next {
				c, err := connect(ctx, wsURL, token)
				if err != nil {
					failed.Do(func() { first = fmt.Errorf("client %d of %d: %w", i+1, n, err) })
					cancel()
					continue
				}
				clients[i] = c
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	var open []*streamClient
	for _, c := range clients {
		if c != nil {
			open = append(open, c)
		}
	}
	if first == nil && len(open) < n {
		first = fmt.Errorf("%d of %d clients connected: %w", len(open), n, ctx.Err())
	}
	if first != nil {
		closeAll(open)
		return nil, first
	}
	return open, nil
}

func closeAll(cs []*streamClient) {
	for _, c := range cs {
		c.close()
	}
}

// post runs the posters until the duration is over, each on its share of
// the sensors, their starts spread over one interval. It returns what they
// did, together, and the time from the start to the last answer.
func post(ctx context.Context, hc *http.Client, base string, cfg config, sensors []sensor) (postResult, time.Duration) {
	total := postResult{rtt: newHistogram(), gap: newHistogram()}
	if cfg.rate == 0 {
		select {
		case <-ctx.Done():
		case <-time.After(cfg.duration):
		}
		return total, cfg.duration
	}
	n := min(cfg.posters, len(sensors))
	ps := make([]*poster, n)
	for i := range ps {
		ps[i] = &poster{hc: hc, url: base + "/api/v1/telemetry", token: cfg.token,
			rate: float64(cfg.rate) / float64(n), batch: cfg.batch}
	}
	for i, s := range sensors {
		ps[i%n].sensors = append(ps[i%n].sensors, s)
	}
	start := time.Now()
	end := start.Add(cfg.duration)
	results := make([]postResult, n)
	var wg sync.WaitGroup
	for i, p := range ps {
		phase := p.interval() * time.Duration(i) / time.Duration(n)
		wg.Go(func() {
			select {
			case <-ctx.Done():
				return
			case <-time.After(phase):
			}
			results[i] = p.run(ctx, start, end)
		})
	}
	wg.Wait()
	for _, res := range results {
		total.add(res)
	}
	return total, total.done.Sub(start)
}
