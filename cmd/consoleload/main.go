// Command consoleload measures how the console loads on a large park: it
// starts parkd on the ×10 demo park (or targets a running one), puts
// 10,000 alarms in its history through the real ingest route (readings
// past a sensor's limit, then back, then the alarm closed, round after
// round; the last round's alarms are left open), opens the console in
// headless Chromium and measures, per run:
//
//   - ready: from navigation start to the console's ready signal
//     (body[data-ready], set when the first snapshot is drawn);
//
//   - the longest task and the longest animation frame in the WATCH
//     seconds after ready, from Chromium's performance timeline
//     (PerformanceObserver "longtask" and "long-animation-frame"), and
//     the longest gap between two animation frames as the page saw it.
//
//     go run ./cmd/consoleload                     # builds and starts parkd, ×10, 10,000 alarms
//     go run ./cmd/consoleload --url http://127.0.0.1:8080 --password-file pw --gateway-token TOKEN
//
// It is a load tool, not a test: its figures go to docs/performance.md
// with the machine's load average, which it prints.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "consoleload:", err)
		os.Exit(1)
	}
}

// config is what a run is asked to do.
type config struct {
	url          string // a running parkd; empty: start one
	parkd        string // parkd's binary when starting one; empty: go build ./cmd/parkd
	scale        int
	simulate     bool
	alarms       int
	open         int // alarms of the last round left open (cleared, not closed)
	runs         int
	watch        time.Duration
	user         string
	passwordFile string
	gatewayToken string
	chromium     string
	keep         bool // keep the started parkd's directory
	profile      bool // print where the page spends its time, per run
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("consoleload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.url, "url", "", "a running parkd's base URL; empty: build and start one on a fresh database")
	fs.StringVar(&c.parkd, "parkd", "", "parkd's binary to start (empty: go build ./cmd/parkd)")
	fs.IntVar(&c.scale, "scale", 10, "demo park scale of the parkd started")
	fs.BoolVar(&c.simulate, "simulate", true, "the started parkd simulates its sensors (values flow to the console while it is watched)")
	fs.IntVar(&c.alarms, "alarms", 10000, "alarms to put in the history (0: none)")
	fs.IntVar(&c.open, "open", 1000, "of them, how many the last round leaves open (cleared, not closed); the rest are closed")
	fs.IntVar(&c.runs, "runs", 3, "page loads measured")
	fs.DurationVar(&c.watch, "watch", 10*time.Second, "how long each load is watched after ready")
	fs.StringVar(&c.user, "user", "admin", "the user the console logs in as")
	fs.StringVar(&c.passwordFile, "password-file", "", "file holding the user's password (with --url)")
	fs.StringVar(&c.gatewayToken, "gateway-token", "", "a gateway token for the readings (with --url)")
	fs.StringVar(&c.chromium, "chromium", "chromium", "the Chromium binary")
	fs.BoolVar(&c.keep, "keep", false, "keep the started parkd's database directory")
	fs.BoolVar(&c.profile, "profile", false, "profile the page (V8's sampler) from navigation to the end of the watch and print the functions with the most self time")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.url != "" && (c.passwordFile == "" || (c.alarms > 0 && c.gatewayToken == "")) {
		return c, errors.New("--url needs --password-file, and --gateway-token to make alarms")
	}
	if c.runs < 1 || c.watch <= 0 || c.alarms < 0 || c.open < 0 {
		return c, errors.New("--runs, --watch must be positive; --alarms, --open not negative")
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	loadBefore := loadAvg()
	base, password, token := cfg.url, "", cfg.gatewayToken
	if cfg.passwordFile != "" {
		b, err := os.ReadFile(cfg.passwordFile)
		if err != nil {
			return err
		}
		password = strings.TrimSpace(string(b))
	}
	if base == "" {
		p, err := startParkd(ctx, cfg, stderr)
		if err != nil {
			return err
		}
		defer p.stop(cfg.keep)
		base, password, token = p.base, p.password, p.token
	}
	api, err := login(ctx, base, cfg.user, password)
	if err != nil {
		return err
	}
	if cfg.alarms > 0 {
		t0 := time.Now()
		s, err := seedAlarms(ctx, api, token, cfg.alarms, cfg.open, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "consoleload: %d alarms made (%d closed, %d left open) in %s\n", s.made, s.closed, s.made-s.closed, time.Since(t0).Round(time.Millisecond))
	}
	counts, err := api.counts(ctx)
	if err != nil {
		return err
	}
	loadSeeded := loadAvg()
	runs, err := measure(ctx, cfg, base, password, stderr)
	if err != nil {
		return err
	}
	report(stdout, cfg, counts, runs, [3]string{loadBefore, loadSeeded, loadAvg()})
	return nil
}

// loadAvg is the machine's load average (1, 5, 15 min), or "?" off Linux.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
