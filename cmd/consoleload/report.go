package main

import (
	"fmt"
	"io"
	"runtime"
	"sort"
)

// Aims of issue 14: the console ready within 2 s of navigation on the ×10
// park with 10,000 alarms in the history, and no frame longer than 100 ms
// in the 10 s after.
const (
	aimReadyMs = 2000
	aimFrameMs = 100
)

// report prints the runs as a Markdown table, then their medians against the aims.
func report(w io.Writer, cfg config, counts map[string]int, runs []runResult, load [3]string) {
	fmt.Fprintf(w, "consoleload: ×%d park (%d tanks, %d sensors), %d alarms in the history; %d CPUs; watched %s after ready\n",
		cfg.scale, counts["tanks"], counts["sensors"], counts["alarms"], runtime.NumCPU(), cfg.watch)
	fmt.Fprintf(w, "load average (1 5 15 min): at start %s; after seeding %s; at the end %s\n", load[0], load[1], load[2])
	if len(runs) > 0 {
		fmt.Fprintf(w, "timeline entries: %s\n\n", runs[0].Supported)
	}
	fmt.Fprintln(w, "| run | ready ms (snapshot received at) | longest task after, ms (count > 50) | longest frame after, ms (count) | longest rAF gap after, ms | longest task while loading, ms (count > 50) | pump max ms | alarms drawn | clusters |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for i, r := range runs {
		fmt.Fprintf(w, "| %d | %.0f (%.0f) | %.0f (%d) | %.0f (%d) | %.0f | %.0f (%d) | %.0f | %d | %s |\n",
			i+1, r.ReadyMs, r.SnapshotMs, r.LongTaskMs, r.LongTasks, r.LongFrameMs, r.LongFrames, r.GapMs, r.LoadLongTaskMs, r.LoadLongTasks, r.PumpMaxMs, r.AlarmsDrawn, r.Clustered)
	}
	for i, r := range runs {
		if r.Dom != "" {
			fmt.Fprintf(w, "run %d, the page: %s\n", i+1, r.Dom)
		}
		if r.LongestFrame != "" {
			fmt.Fprintf(w, "run %d, the longest frame after ready: %s\n", i+1, r.LongestFrame)
		}
		if r.FrameScripts != "" {
			fmt.Fprintf(w, "run %d, scripts in the long frames after ready: %s\n", i+1, r.FrameScripts)
		}
	}
	ready := median(runs, func(r runResult) float64 { return r.ReadyMs })
	frame := median(runs, func(r runResult) float64 { return max(r.LongFrameMs, r.LongTaskMs) })
	fmt.Fprintf(w, "\nmedian ready %.0f ms (aim ≤ %d: %s); median longest frame or task after ready %.0f ms (aim ≤ %d: %s)\n",
		ready, aimReadyMs, met(ready <= aimReadyMs), frame, aimFrameMs, met(frame <= aimFrameMs))
}

func median(runs []runResult, f func(runResult) float64) float64 {
	if len(runs) == 0 {
		return 0
	}
	xs := make([]float64, len(runs))
	for i, r := range runs {
		xs[i] = f(r)
	}
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
