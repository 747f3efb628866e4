package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/web/auth"
)

// config is parkd's configuration: flags, each with an environment
// variable as fallback (a flag given wins).
type config struct {
	addr      string
	db        string
	park      string
	demoScale int
	demoSeed  uint64
	// demoSensors, when above the sensors of the scale, is how many the
	// demo park gets (demo.Options.Sensors).
	demoSensors int
	tokens      string // gateway tokens file
	rules       string // monitoring rules file
	simulate    bool
	origins     string // extra browser origins allowed on the stream, comma-separated
	hosts       string // names requests may carry in Host, comma-separated; empty: the defaults (hosts.go)
	// hostNames and originList are hosts and origins read and checked
	// (parseHosts, parseOrigins).
	hostNames  []string
	originList []string
	ingestRate float64
	demo       bool   // seed the demo park into an empty (0-byte) database file
	dispatch   string // dispatch rules file
	// adminPassword is the file holding the first administrator's
	// password; "": a random one, shown once and kept in <db>.admin-password.
	adminPassword string
	sessionIdle   time.Duration
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var c config
	fs := flag.NewFlagSet("parkd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("PARKD_ADDR", "127.0.0.1:8080"), "address to serve on (PARKD_ADDR)")
	fs.StringVar(&c.db, "db", env("PARKD_DB", "parktwin.db"), "bbolt database file (PARKD_DB)")
	fs.StringVar(&c.park, "park", env("PARKD_PARK", ""), "park file (GeoJSON) to load into an empty database (PARKD_PARK)")
	scale, err := strconv.Atoi(env("PARKD_DEMO_SCALE", "1"))
	if err != nil {
		return c, fmt.Errorf("PARKD_DEMO_SCALE: %w", err)
	}
	seed, err := strconv.ParseUint(env("PARKD_DEMO_SEED", "1"), 10, 64)
	if err != nil {
		return c, fmt.Errorf("PARKD_DEMO_SEED: %w", err)
	}
	sensors, err := strconv.Atoi(env("PARKD_DEMO_SENSORS", "0"))
	if err != nil {
		return c, fmt.Errorf("PARKD_DEMO_SENSORS: %w", err)
	}
	simulate, err := strconv.ParseBool(env("PARKD_SIMULATE", "true"))
	if err != nil {
		return c, fmt.Errorf("PARKD_SIMULATE: %w", err)
	}
	ingestRate, err := strconv.ParseFloat(env("PARKD_INGEST_RATE", strconv.Itoa(defaultIngestRate)), 64)
	if err != nil {
		return c, fmt.Errorf("PARKD_INGEST_RATE: %w", err)
	}
	demoSeed, err := strconv.ParseBool(env("PARKD_DEMO", "false"))
	if err != nil {
		return c, fmt.Errorf("PARKD_DEMO: %w", err)
	}
	idle, err := time.ParseDuration(env("PARKD_SESSION_IDLE", auth.DefaultIdle.String()))
	if err != nil {
		return c, fmt.Errorf("PARKD_SESSION_IDLE: %w", err)
	}
	fs.StringVar(&c.adminPassword, "admin-password-file", env("PARKD_ADMIN_PASSWORD_FILE", ""), "file holding the password of the first administrator (admin), made on the first start; without it a random one is shown once and kept in <db>.admin-password (PARKD_ADMIN_PASSWORD_FILE)")
	fs.DurationVar(&c.sessionIdle, "session-idle", idle, "how long a console session lasts without a request (PARKD_SESSION_IDLE)")
	fs.StringVar(&c.tokens, "gateway-tokens", env("PARKD_GATEWAY_TOKENS", ""), "file of 'name token [ENT-… SEN-…]' lines, one per sensor gateway, optionally naming the enterprises or sensors it may write; without it parkd makes one token and keeps it in <db>.gateway-token (PARKD_GATEWAY_TOKENS)")
	fs.StringVar(&c.rules, "rules", env("PARKD_RULES", ""), "monitoring rules (YAML); the built-in rules when empty (PARKD_RULES)")
	fs.StringVar(&c.dispatch, "dispatch-rules", env("PARKD_DISPATCH_RULES", ""), "dispatch rules (YAML, docs/dispatch-rules.md); the demo park's when empty (PARKD_DISPATCH_RULES)")
	fs.StringVar(&c.origins, "origins", env("PARKD_ORIGINS", ""), "browser origins besides parkd's own names that may open the stream and make changes, comma-separated, each as a browser sends it (\"https://screen.example:8443\") (PARKD_ORIGINS)")
	fs.StringVar(&c.hosts, "hosts", env("PARKD_HOSTS", ""), "names clients reach parkd by, comma-separated (\"name\" for any port, \"name:port\"); a request for another is refused with 421; default: the listening address and localhost, 127.0.0.1 and [::1] on its port (PARKD_HOSTS)")
	fs.Float64Var(&c.ingestRate, "ingest-rate", ingestRate, "readings per second each gateway may send, with a burst of two seconds' worth; beyond it 429 with Retry-After; 0: no limit (PARKD_INGEST_RATE)")
	fs.BoolVar(&c.demo, "demo", demoSeed, "seed the demo park into an empty database file too (a missing file is always seeded); without it parkd refuses a 0-byte file, which is more often one damaged than one made on purpose (PARKD_DEMO)")
	fs.BoolVar(&c.simulate, "simulate", simulate, "feed every sensor simulated readings, as a gateway would (PARKD_SIMULATE)")
	fs.IntVar(&c.demoScale, "demo-scale", scale, "size of the demo park seeded into an empty database, ×N (PARKD_DEMO_SCALE)")
	fs.IntVar(&c.demoSensors, "demo-sensors", sensors, "sensors of the demo park when more than the scale gives: further instruments on the watched tanks, pools, stores and hazard units; 440000 with --demo-scale 15 is a national system's count (PARKD_DEMO_SENSORS)")
	fs.Uint64Var(&c.demoSeed, "demo-seed", seed, "seed of the demo park generator (PARKD_DEMO_SEED)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.sessionIdle < time.Minute || c.sessionIdle > 24*time.Hour {
		return c, fmt.Errorf("--session-idle must be 1m to 24h")
	}
	if c.demoScale < 1 || c.demoScale > demo.MaxScale {
		return c, fmt.Errorf("--demo-scale must be 1 to %d", demo.MaxScale)
	}
	if !(c.ingestRate >= 0) {
		return c, fmt.Errorf("--ingest-rate must be 0 or more")
	}
	if c.demoSensors < 0 || c.demoSensors > maxDemoSensors {
		return c, fmt.Errorf("--demo-sensors must be 0 to %d", maxDemoSensors)
	}
	if c.hostNames, err = parseHosts(c.hosts); err != nil {
		return c, err
	}
	if c.originList, err = parseOrigins(c.origins); err != nil {
		return c, err
	}
	return c, nil
}

// defaultIngestRate is the readings per second a gateway may send: the
// 93,000/s of the load test (docs/performance.md) from one gateway, with
// room above it; a gateway past it is broken or hostile.
const defaultIngestRate = 200_000

// maxDemoSensors bounds --demo-sensors: a few times the national count,
// and sensor IDs of at most 7 digits.
const maxDemoSensors = 2_000_000

// demoPark returns the demo park the configuration asks for.
// Its stock is dated from now, the park's clock at generation.
func (c config) demoPark(now time.Time) []twin.Entity {
	return demo.GenerateWith(c.demoSeed, c.demoScale, demo.Options{Sensors: c.demoSensors, Now: now})
}
