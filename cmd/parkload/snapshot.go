package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// snapshotReport is what --snapshot-only measured: clients connected one
// after another, each alone on the server.
type snapshotReport struct {
	url    string
	times  []time.Duration // dial to snapshot received, in order
	bytes  []int
	layers map[string]int // features (or entries) of each layer in the first snapshot
}

// measureSnapshots connects cfg.clients clients one after another and
// times each from dial to its snapshot read whole.
func measureSnapshots(ctx context.Context, cfg config) (*snapshotReport, error) {
	wsURL, err := streamURL(strings.TrimSuffix(cfg.url, "/"), cfg.layers)
	if err != nil {
		return nil, err
	}
	r := &snapshotReport{url: wsURL}
	for i := range cfg.clients {
		c, err := connect(ctx, wsURL, cfg.apiToken)
		if err != nil {
			return nil, fmt.Errorf("client %d: %w", i+1, err)
		}
		r.times = append(r.times, c.snapshot)
		r.bytes = append(r.bytes, c.snapshotBytes)
		if i == 0 {
			r.layers, err = layerSizes(c.buf.Bytes())
		}
		c.close()
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

// layerSizes counts the members of each layer of a snapshot: the
// features of a FeatureCollection, the entries of a list.
func layerSizes(msg []byte) (map[string]int, error) {
	var s struct {
		Layers map[string]json.RawMessage `json:"layers"`
	}
	if err := json.Unmarshal(msg, &s); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := map[string]int{}
	for name, raw := range s.Layers {
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		var list []json.RawMessage
		switch {
		case json.Unmarshal(raw, &fc) == nil:
			out[name] = len(fc.Features)
		case json.Unmarshal(raw, &list) == nil:
			out[name] = len(list)
		default:
			return nil, fmt.Errorf("snapshot: layer %s is neither a FeatureCollection nor a list", name)
		}
	}
	return out, nil
}

func (r *snapshotReport) print(w io.Writer) {
	fmt.Fprintf(w, "parkload: %d clients one after another on %s\n", len(r.times), r.url)
	for i, d := range r.times {
		fmt.Fprintf(w, "client %d   dial to snapshot %s, %s B\n", i+1, ms(d), thousands(r.bytes[i]))
	}
	sorted := slices.Sorted(slices.Values(r.times))
	fmt.Fprintf(w, "snapshot   min %s  median %s  max %s\n", ms(sorted[0]), ms(sorted[len(sorted)/2]), ms(sorted[len(sorted)-1]))
	var parts []string
	total := 0
	for _, name := range slices.Sorted(maps.Keys(r.layers)) {
		parts = append(parts, fmt.Sprintf("%s %s", name, thousands(r.layers[name])))
		total += r.layers[name]
	}
	fmt.Fprintf(w, "layers     %s members: %s\n", thousands(total), strings.Join(parts, ", "))
}
