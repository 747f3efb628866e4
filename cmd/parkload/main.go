// Command parkload puts parkd's live console under load: it opens many
// stream clients, posts sensor readings at a set rate as gateways would,
// and reports how late the values reach the clients, what the clients
// received, whether the server dropped any, and what the server's memory
// did meanwhile.
//
//	go run ./cmd/parkload --url http://127.0.0.1:8080 --api-token API_TOKEN --token TOKEN --clients 500 --rate 20000 --duration 20s
//
// Run parkd with --simulate=false, so that every value on the stream is
// one of the load's readings, and on a machine whose clock the tool
// shares: a value's latency is the time it is received less its t, the
// moment its reading was posted. With --snapshot-only it connects
// clients one after another and reports how long each waited for its
// snapshot and how large it was.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
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
		fmt.Fprintln(os.Stderr, "parkload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	if cfg.snapshotOnly {
		r, err := measureSnapshots(ctx, cfg)
		if err != nil {
			return err
		}
		r.print(stdout)
		return nil
	}
	r, err := load(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	r.print(stdout)
	if r.interrupted {
		return errors.New("interrupted: the figures above cover part of the run")
	}
	return nil
}

// config is what a run is asked to do.
type config struct {
	url          string
	token        string
	apiToken     string // an API client's token for the reads: sensors, stats, the stream
	clients      int
	rate         int // readings per second
	duration     time.Duration
	layers       string
	batch        int // readings per POST, at most
	sensors      int // how many of the park's sensors to drive; 0: all
	posters      int // concurrent POSTers
	pid          int // parkd's process, for its CPU time; 0: not measured
	snapshotOnly bool

	// Not flags: the tests shorten them.
	settle  int           // rounds of export and stats to find the server's live heap
	drain   time.Duration // after the last POST, for the last values to arrive
	dialers int           // clients connecting at once
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	c := config{settle: 20, drain: time.Second, dialers: 8}
	fs := flag.NewFlagSet("parkload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "parkd's base URL")
	fs.StringVar(&c.token, "token", "", "a sensor gateway's bearer token (parkd keeps one in <db>.gateway-token when it has no tokens file)")
	fs.StringVar(&c.apiToken, "api-token", os.Getenv("PARKLOAD_API_TOKEN"), "an API client's bearer token (a viewer's will do: POST /api/v1/tokens as an administrator) for reading the sensors, the stats and the stream (PARKLOAD_API_TOKEN)")
	fs.IntVar(&c.clients, "clients", 100, "stream clients to open (with --snapshot-only: one after another)")
	fs.IntVar(&c.rate, "rate", 20_000, "readings to post per second; 0 posts none")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "how long to post")
	fs.StringVar(&c.layers, "layers", "sensors", `the clients' layers, comma-separated; "all" for every layer`)
	fs.IntVar(&c.batch, "batch", 1000, "readings per POST, at most")
	fs.IntVar(&c.sensors, "sensors", 0, "how many of the park's sensors to drive; 0 for all")
	fs.IntVar(&c.posters, "posters", 4, "concurrent posters; each drives its own share of the sensors")
	fs.IntVar(&c.pid, "pid", 0, "parkd's process ID, to report its CPU time over the run (Linux)")
	fs.BoolVar(&c.snapshotOnly, "snapshot-only", false, "time each client's connect to snapshot, one client after another, and post nothing")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case c.clients < 1:
		return c, errors.New("--clients must be at least 1")
	case c.apiToken == "":
		return c, errors.New("--api-token is needed to read the park and open streams (POST /api/v1/tokens as an administrator)")
	case c.snapshotOnly:
		return c, nil
	case c.rate < 0:
		return c, errors.New("--rate must not be negative")
	case c.rate > 0 && c.token == "":
		return c, errors.New("--token is needed to post readings (parkd keeps one in <db>.gateway-token)")
	case c.duration <= 0:
		return c, errors.New("--duration must be positive")
	case c.batch < 1:
		return c, errors.New("--batch must be at least 1")
	case c.sensors < 0:
		return c, errors.New("--sensors must not be negative")
	case c.posters < 1:
		return c, errors.New("--posters must be at least 1")
	}
	return c, nil
}
