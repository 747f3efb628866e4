package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"
)

// serverStats is GET /api/v1/stats.
type serverStats struct {
	Seq           uint64 `json:"seq"`
	StreamClients int    `json:"streamClients"`
	StreamDropped int64  `json:"streamDropped"`
	HeapBytes     uint64 `json:"heapBytes"`
	SysBytes      uint64 `json:"sysBytes"`
	Goroutines    int    `json:"goroutines"`
}

func fetchStats(ctx context.Context, hc *http.Client, base string) (serverStats, error) {
	var s serverStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/stats", nil)
	if err != nil {
		return s, err
	}
	res, err := hc.Do(req)
	if err != nil {
		return s, fmt.Errorf("get stats: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return s, fmt.Errorf("get stats: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return s, fmt.Errorf("get stats: %s: %s", res.Status, bytes.TrimSpace(b))
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("get stats: %w", err)
	}
	return s, nil
}

// settled samples the stats between requests for the park's export,
// rounds times, and returns the sample with the smallest heap. The stats
// give the heap as allocated, garbage included, and nothing asks the
// server to collect it; each export allocates a few MiB, so the collector
// runs every few rounds, and the least sample is the one nearest the
// live heap.
func settled(ctx context.Context, hc *http.Client, base string, rounds int) (serverStats, error) {
	var best serverStats
	for i := range rounds {
		if err := discard(ctx, hc, base+"/api/v1/export"); err != nil {
			return best, err
		}
		s, err := fetchStats(ctx, hc, base)
		if err != nil {
			return best, err
		}
		if i == 0 || s.HeapBytes < best.HeapBytes {
			best = s
		}
	}
	return best, nil
}

// discard GETs url and throws the answer away.
func discard(ctx context.Context, hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("get %s: %w", url, err)
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return fmt.Errorf("get %s: %w", url, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("get %s: %s", url, res.Status)
	}
	return nil
}

// statsRange is what the samples taken under load ranged over.
type statsRange struct {
	n                int
	minHeap, maxHeap uint64
	maxSys           uint64
	maxGoroutines    int
	minClients       int
	lastDropped      int64
}

func (r *statsRange) add(s serverStats) {
	if r.n == 0 || s.HeapBytes < r.minHeap {
		r.minHeap = s.HeapBytes
	}
	if r.n == 0 || s.StreamClients < r.minClients {
		r.minClients = s.StreamClients
	}
	r.maxHeap = max(r.maxHeap, s.HeapBytes)
	r.maxSys = max(r.maxSys, s.SysBytes)
	r.maxGoroutines = max(r.maxGoroutines, s.Goroutines)
	r.lastDropped = s.StreamDropped
	r.n++
}

// sampleStats samples the stats every interval until stop is closed.
// Failed samples are left out.
func sampleStats(ctx context.Context, hc *http.Client, base string, every time.Duration, stop <-chan struct{}) statsRange {
	var r statsRange
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return r
		case <-stop:
			return r
		case <-tick.C:
			if s, err := fetchStats(ctx, hc, base); err == nil {
				r.add(s)
			}
		}
	}
}

// cpuTime returns the CPU time, user and system, a process has used so
// far: pid 0 is this process. Other processes are read from Linux's /proc.
func cpuTime(pid int) (time.Duration, error) {
	if pid == 0 {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0, err
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	return parseProcStat(b)
}

// clockTick is Linux's USER_HZ, the unit of /proc/PID/stat's times: 100
// on every architecture Go supports.
const clockTick = 10 * time.Millisecond

// parseProcStat reads utime and stime, fields 14 and 15, of
// /proc/PID/stat. The command name (field 2) is in parentheses and may
// hold spaces and parentheses itself, so fields are counted after the
// last ')'.
func parseProcStat(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("proc stat: no command name")
	}
	f := bytes.Fields(b[i+1:]) // f[0] is field 3
	if len(f) < 13 {
		return 0, fmt.Errorf("proc stat: %d fields", len(f)+2)
	}
	var sum time.Duration
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(string(s), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("proc stat: %w", err)
		}
		sum += time.Duration(n) * clockTick
	}
	return sum, nil
}
