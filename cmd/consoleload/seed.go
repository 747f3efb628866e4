package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"sync"
	"time"
)

// seeded says what seedAlarms made.
type seeded struct{ made, closed int }

// limitSensor is a sensor with a high limit and no on-delay: one reading
// past the limit raises its alarm, one back inside clears it.
type limitSensor struct {
	id          string
	high, quiet float64
}

const readingsPerPost = 1000

// seedAlarms puts n alarms in the park's history through the ingest
// route, as a gateway would: round after round, a reading past the high
// limit of as many sensors as are left to make (one open alarm per sensor
// and condition), a reading back inside, and the alarms closed through
// the API; of the last round, `open` alarms are left open (cleared).
func seedAlarms(ctx context.Context, api *apiClient, token string, n, open int, log io.Writer) (seeded, error) {
	var out seeded
	sensors, err := highSensors(ctx, api)
	if err != nil {
		return out, err
	}
	if len(sensors) == 0 {
		return out, fmt.Errorf("no sensor with a high limit and no on-delay")
	}
	known, err := alarmIDs(ctx, api, nil)
	if err != nil {
		return out, err
	}
	for out.made < n {
		k := min(n-out.made, len(sensors))
		round := sensors[:k]
		if err := postReadings(ctx, api, token, round, true); err != nil {
			return out, err
		}
		var ids []string
		deadline := time.Now().Add(2 * time.Minute)
		for {
			open := map[string]bool{}
			for _, s := range round {
				open[s.id] = true
			}
			all, err := alarmIDs(ctx, api, open)
			if err != nil {
				return out, err
			}
			ids = ids[:0]
			for id := range all {
				if !known[id] {
					ids = append(ids, id)
				}
			}
			if len(ids) >= k || time.Now().After(deadline) {
				break
			}
			time.Sleep(300 * time.Millisecond)
		}
		for _, id := range ids {
			known[id] = true
		}
		out.made += len(ids)
		if len(ids) < k {
			fmt.Fprintf(log, "consoleload: %d of %d readings raised an alarm\n", len(ids), k)
			if len(ids) == 0 {
				return out, fmt.Errorf("readings past the limit raised no alarm")
			}
		}
		if err := postReadings(ctx, api, token, round, false); err != nil {
			return out, err
		}
		if err := waitCleared(ctx, api, ids); err != nil {
			return out, err
		}
		toClose := ids
		if out.made >= n {
			toClose = ids[:max(0, len(ids)-open)]
		}
		closed, err := closeAlarms(ctx, api, toClose)
		out.closed += closed
		if err != nil {
			return out, err
		}
		fmt.Fprintf(log, "consoleload: %d alarms made, %d closed\n", out.made, out.closed)
	}
	return out, nil
}

// highSensors lists the park's sensors with a high limit (h or hh) and no on-delay.
func highSensors(ctx context.Context, api *apiClient) ([]limitSensor, error) {
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Limits struct {
					L  *float64 `json:"l"`
					H  *float64 `json:"h"`
					HH *float64 `json:"hh"`
				} `json:"limits"`
				Deadband float64 `json:"deadband"`
				OnDelayS float64 `json:"onDelayS"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := api.do(ctx, "GET", "/api/v1/sensors", "", nil, &fc); err != nil {
		return nil, err
	}
	var out []limitSensor
	for _, f := range fc.Features {
		p := f.Properties
		h := p.Limits.H
		if h == nil {
			h = p.Limits.HH
		}
		if h == nil || p.OnDelayS > 0 {
			continue
		}
		top := *h
		if p.Limits.HH != nil {
			top = *p.Limits.HH
		}
		quiet := *h - math.Max(2*p.Deadband, math.Max(1, math.Abs(*h)*0.2))
		if p.Limits.L != nil {
			quiet = (*p.Limits.L + *h) / 2
		}
		out = append(out, limitSensor{id: f.ID, high: top + math.Max(1, math.Abs(top)*0.1), quiet: quiet})
	}
	return out, nil
}

// alarmIDs lists the IDs of the alarms not closed, of the sensors given (nil: every alarm, as a set).
func alarmIDs(ctx context.Context, api *apiClient, of map[string]bool) (map[string]bool, error) {
	all, err := alarmStates(ctx, api)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for id, a := range all {
		if of == nil || (of[a.sensor] && a.state != "closed") {
			out[id] = true
		}
	}
	return out, nil
}

type alarmState struct{ sensor, state string }

// alarmStates reads every alarm's sensor and state.
func alarmStates(ctx context.Context, api *apiClient) (map[string]alarmState, error) {
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Sensor string `json:"sensor"`
				State  string `json:"state"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := api.do(ctx, "GET", "/api/v1/alarms", "", nil, &fc); err != nil {
		return nil, err
	}
	out := make(map[string]alarmState, len(fc.Features))
	for _, f := range fc.Features {
		out[f.ID] = alarmState{f.Properties.Sensor, f.Properties.State}
	}
	return out, nil
}

// waitCleared waits (up to a minute) until none of the alarms is still active or acknowledged.
func waitCleared(ctx context.Context, api *apiClient, ids []string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		all, err := alarmStates(ctx, api)
		if err != nil {
			return err
		}
		left := 0
		for _, id := range ids {
			if st := all[id].state; st == "active" || st == "acknowledged" {
				left++
			}
		}
		if left == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d alarms not cleared a minute after the readings back inside", left)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// postReadings sends one reading per sensor, past its limit (high) or back inside, in batches.
func postReadings(ctx context.Context, api *apiClient, token string, ss []limitSensor, high bool) error {
	for i := 0; i < len(ss); i += readingsPerPost {
		batch := ss[i:min(i+readingsPerPost, len(ss))]
		type reading struct {
			Sensor string          `json:"sensor"`
			T      time.Time       `json:"t"`
			Value  json.RawMessage `json:"value"`
		}
		rs := make([]reading, len(batch))
		now := time.Now().UTC()
		for j, s := range batch {
			v := s.quiet
			if high {
				v = s.high
			}
			rs[j] = reading{Sensor: s.id, T: now, Value: json.RawMessage(strconv.FormatFloat(v, 'g', -1, 64))}
		}
		body, _ := json.Marshal(map[string]any{"readings": rs})
		if err := api.do(ctx, "POST", "/api/v1/telemetry", token, body, nil); err != nil {
			return err
		}
	}
	return nil
}

// closeAlarms closes alarms through the API, a few at a time, and says how many it closed.
func closeAlarms(ctx context.Context, api *apiClient, ids []string) (int, error) {
	var (
		mu     sync.Mutex
		closed int
		first  error
		wg     sync.WaitGroup
	)
	next := make(chan string)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				err := api.do(ctx, "POST", "/api/v1/alarms/"+id+"/close", "", []byte(`{"note":"consoleload"}`), nil)
				mu.Lock()
				if err == nil {
					closed++
				} else if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	return closed, first
}
