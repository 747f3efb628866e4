package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// startProfile starts V8's sampling profiler in the page (--profile).
func startProfile(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, profiler.Enable, cdp.Empty{}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, t, profiler.Start, cdp.Empty{})
		return chromedp.Void{}, err
	}))
}

// stopProfile stops the profiler and prints the functions with the most
// self time, to say where a slow load spends it.
func stopProfile(ctx context.Context, w io.Writer, top int) error {
	res, err := chromedp.Run(ctx, chromedp.Action[profiler.StopResult](func(ctx context.Context, t *chromedp.Target) (profiler.StopResult, error) {
		return cdp.Call(ctx, t, profiler.Stop, cdp.Empty{})
	}))
	if err != nil || res.Profile == nil {
		return err
	}
	p := res.Profile
	byNode := map[int64]string{}
	for _, n := range p.Nodes {
		cf := n.CallFrame
		name := cf.FunctionName
		if name == "" {
			name = "(anonymous)"
		}
		where := ""
		if cf.URL != "" {
			where = fmt.Sprintf(" %s:%d", path.Base(cf.URL), cf.LineNumber+1)
		}
		byNode[n.ID] = name + where
	}
	self := map[string]float64{}
	total := 0.0
	for i, id := range p.Samples {
		if i >= len(p.TimeDeltas) {
			break
		}
		// a sample's time is the delta to the next one
		d := 0.0
		if i+1 < len(p.TimeDeltas) {
			d = float64(p.TimeDeltas[i+1]) / 1000
		}
		self[byNode[id]] += d
		total += d
	}
	type fn struct {
		name string
		ms   float64
	}
	var fs []fn
	for k, v := range self {
		fs = append(fs, fn{k, v})
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].ms > fs[j].ms })
	fmt.Fprintf(w, "profile: %.0f ms sampled; self time by function:\n", total)
	for i, f := range fs {
		if i == top {
			break
		}
		fmt.Fprintf(w, "  %7.0f ms  %4.1f %%  %s\n", f.ms, 100*f.ms/total, f.name)
	}
	return nil
}
