package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// observer runs in every document before the console's own scripts: it
// records Chromium's long tasks and long animation frames (its
// performance timeline, buffered from navigation start) and the gaps
// between animation frames longer than 50 ms.
const observer = `(() => {
  if (window.__cl) return;
  const cl = window.__cl = { longtasks: [], loaf: [], gaps: [], supported: [] };
  const watch = (type, rec) => {
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) rec(e); }).observe({ type, buffered: true });
      cl.supported.push(type);
    } catch (e) { /* not in this browser */ }
  };
  watch("longtask", (e) => cl.longtasks.push([e.startTime, e.duration]));
  watch("long-animation-frame", (e) => cl.loaf.push([e.startTime, e.duration, e.blockingDuration || 0,
    (e.scripts || []).map((x) => [(x.invoker || "") + " " + (x.sourceFunctionName || "") + "@" + String(x.sourceURL || "").split("/").pop() + ":" + (x.sourceCharPosition ?? ""), x.duration]),
    e.renderStart || 0, e.styleAndLayoutStart || 0]));
  let last = 0;
  const tick = (t) => {
    if (last && t - last > 50) cl.gaps.push([last, t - last]);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`

// summary reads what the observer saw after the console was ready (ms from navigation start).
const summary = `(() => {
  const cl = window.__cl, ready = Number(document.body.dataset.ready);
  const after = (xs) => xs.filter((x) => x[0] >= ready); // begun after ready: the task that ends in ready is the load's
  const longest = (xs) => xs.reduce((m, x) => Math.max(m, x[1]), 0);
  const st = window.parktwin.stats(), c = window.parktwin.counts();
  return {
    readyMs: ready, snapshotMs: Number(document.body.dataset.snapshot),
    longTaskMs: longest(after(cl.longtasks)), longTasks: after(cl.longtasks).length,
    longFrameMs: longest(after(cl.loaf)), longFrames: after(cl.loaf).length,
    gapMs: longest(after(cl.gaps)),
    loadLongTaskMs: longest(cl.longtasks.filter((x) => x[0] < ready)), loadLongTasks: cl.longtasks.filter((x) => x[0] < ready).length,
    supported: cl.supported.join(" "),
    pumpMaxMs: st.pumpMaxMs, changes: st.changes, values: st.values,
    alarmsDrawn: c.alarms, tanksHeld: c.tanks, sensorsHeld: c.sensors,
    clustered: JSON.stringify(window.parktwin.clusters()),
    longestFrame: (() => { // where the longest frame after ready went: scripts, rendering (rAF callbacks, style, layout), of which style and layout
      const f = after(cl.loaf).reduce((m, x) => (!m || x[1] > m[1] ? x : m), null);
      if (!f) return "";
      const end = f[0] + f[1], scripts = f[3].reduce((s, x) => s + x[1], 0);
      const render = f[4] ? end - f[4] : 0, layout = f[5] ? end - f[5] : 0;
      return Math.round(f[1]) + " ms: scripts " + Math.round(scripts) + " ms, rendering " + Math.round(render) + " ms (style and layout " + Math.round(layout) + " ms)";
    })(),
    dom: (() => { // the page's size: its elements, and the largest parts (by id) over 200
      const parts = [...document.querySelectorAll("[id]")].map((e) => [e.id, e.getElementsByTagName("*").length])
        .filter((x) => x[1] > 200).sort((a, b) => b[1] - a[1]).slice(0, 6).map((x) => "#" + x[0] + " " + x[1]);
      return document.getElementsByTagName("*").length + " elements" + (parts.length ? " (" + parts.join(", ") + ")" : "") +
        "; alarm rows drawn " + document.querySelectorAll("#alarm-list li.drawn").length + " of " + document.querySelectorAll("#alarm-list li[data-id]").length +
        "; canvas redraws " + JSON.stringify(window.parktwin.canvas());
    })(),
    frameScripts: (() => { // the scripts of the long frames after ready, by total time
      const by = new Map();
      for (const f of after(cl.loaf)) for (const [k, d] of f[3]) by.set(k, (by.get(k) || 0) + d);
      return [...by].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, d]) => Math.round(d) + " ms " + k).join("; ");
    })(),
  };
})()`

// runResult is one page load's figures (ms).
type runResult struct {
	ReadyMs        float64
	SnapshotMs     float64 // the first snapshot received (parsed), before it is drawn
	LongTaskMs     float64 // the longest task after ready
	LongTasks      int
	LongFrameMs    float64 // the longest animation frame after ready
	LongFrames     int
	GapMs          float64 // the longest gap between two animation frames after ready
	LoadLongTaskMs float64 // the longest task begun before ready (while the snapshot is drawn)
	LoadLongTasks  int
	Supported      string
	PumpMaxMs      float64
	Changes        int
	Values         int
	AlarmsDrawn    int
	TanksHeld      int
	SensorsHeld    int
	Clustered      string
	FrameScripts   string // the scripts of the long frames after ready, by total time
	LongestFrame   string // the longest frame after ready: its scripts, rendering, style and layout
	Dom            string // the page's elements at the end of the watch, and its largest parts
}

// measure opens the console cfg.runs times in a fresh headless Chromium and
// watches each load for cfg.watch after it is ready.
func measure(ctx context.Context, cfg config, base, password string, log io.Writer) ([]runResult, error) {
	dir, err := os.MkdirTemp("", "consoleload-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(cfg.chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1400, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	// Log in once; the session cookie serves the runs.
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/ui/login.html"),
		chromedp.WaitVisible(chromedp.CSS("#login-user")),
		chromedp.SendKeys(chromedp.CSS("#login-user"), cfg.user),
		chromedp.SendKeys(chromedp.CSS("#login-password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#topbar")),
	); err != nil {
		return nil, fmt.Errorf("log in in the browser: %w", err)
	}
	add := chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: observer})
		return chromedp.Void{}, err
	})
	if err := chromedp.Do(bctx, add); err != nil {
		return nil, fmt.Errorf("install the observer: %w", err)
	}
	var out []runResult
	for i := range cfg.runs {
		if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
			return nil, err
		}
		if cfg.profile {
			if err := startProfile(bctx); err != nil {
				return nil, fmt.Errorf("profile: %w", err)
			}
		}
		t0 := time.Now()
		if err := chromedp.Do(bctx, chromedp.Navigate(base+"/")); err != nil {
			return nil, err
		}
		wctx, wcancel := context.WithTimeout(bctx, 3*time.Minute)
		_, err := chromedp.Run(wctx, chromedp.Poll[bool](`document.body && document.body.dataset.ready !== undefined`, chromedp.WithPollingTimeout(3*time.Minute), chromedp.WithPollingInterval(20*time.Millisecond)))
		wcancel()
		if err != nil {
			return nil, fmt.Errorf("run %d: the console was not ready: %w", i+1, err)
		}
		fmt.Fprintf(log, "consoleload: run %d ready after %s (wall); watching %s\n", i+1, time.Since(t0).Round(time.Millisecond), cfg.watch)
		select {
		case <-time.After(cfg.watch):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		r, err := chromedp.Run(bctx, chromedp.Evaluate[runResult](summary))
		if err != nil {
			return nil, fmt.Errorf("run %d: %w", i+1, err)
		}
		if cfg.profile {
			if err := stopProfile(bctx, log, 30); err != nil {
				return nil, fmt.Errorf("profile: %w", err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}
