// Command parkd is the park's twin server: it holds the park in memory,
// keeps it in a bbolt file, and serves the REST API and the console.
//
// With no flags it opens parktwin.db in the working directory, seeds the
// demo park when there is no such file (or, with --demo, when the file is
// empty), and serves on 127.0.0.1:8080.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"parktwin/dispatch"
	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/chem"
	"parktwin/twin/telemetry"
	"parktwin/web"
	"parktwin/web/auth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "parkd:", err)
		os.Exit(1)
	}
}

// shutdownGrace is how long requests in flight get to finish on SIGTERM.
const shutdownGrace = 10 * time.Second

// sessionSaveEvery is how often the console sessions' last uses are
// written to the file: all that a crash loses of them.
const sessionSaveEvery = time.Minute

func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) (err error) {
	if ok, err := subcommand(ctx, args, getenv, stderr); ok {
		return err
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	start := time.Now()

	// Everything the flags name is read and checked, and the address
	// taken, before the database file is touched: a bad flag, a bad file
	// or an address in use never leaves a half-made database behind.
	pre, err := prepare(cfg)
	if err != nil {
		return err
	}
	ln := pre.ln
	defer ln.Close()

	// What a first start makes beside the database, noted before: a start
	// that fails after making the file removes these with it.
	made := !exists(cfg.db)
	var fresh []string
	for _, f := range []string{cfg.db + ".gateway-token", auditKeyPath(cfg.db), cfg.db + ".admin-password", cfg.db + ".drills"} {
		if !exists(f) {
			fresh = append(fresh, f)
		}
	}
	// A file of 0 bytes is more often one a full disk or a failed copy
	// left than one made on purpose: it is not seeded with the demo park
	// unless asked (--demo). A damaged one is refused, naming the file.
	db, err := bolt.OpenWith(cfg.db, bolt.Options{AllowEmpty: cfg.demo})
	switch {
	case errors.Is(err, bolt.ErrEmpty):
		return fmt.Errorf("%w: if it held the park, restore a backup (parkd restore FILE); to start it afresh with the demo park, start with --demo", err)
	case err != nil:
		return err
	}
	serving := false
	defer func() {
		// What failed once the file was made (a park that will not seed,
		// an administrator's password refused) is no reason to keep it, nor
		// what was made with it (token, audit key, password, drills): the
		// next start, put right, begins clean.
		if made && !serving && err != nil {
			db.Close()
			os.Remove(cfg.db)
			for _, f := range fresh {
				os.RemoveAll(f)
			}
		}
	}()
	defer db.Close()
	// Before the park opens: its first commits (the seed) are anchored.
	if err := anchorAudit(db, cfg.db, log); err != nil {
		return err
	}
	rules, drules, gateways := pre.rules, pre.dispatch, pre.gateways
	if gateways == nil {
		if gateways, err = keptGatewayToken(cfg, log); err != nil {
			return err
		}
	}
	// The live park: the twin in the database, its monitoring, desk and
	// simulator. Sandboxes are made from it on demand (POST /api/v1/twins).
	live, err := park.Open(ctx, park.Config{
		ID: twin.LiveID, Store: db, History: db, Clock: twin.WallClock{},
		Seed:  func(ctx context.Context, tw *twin.Twin) error { return seed(ctx, tw, cfg, pre.park, log) },
		Rules: &rules, Dispatch: drules,
		Simulate: cfg.simulate, SimSeed: cfg.demoSeed,
		// More often than the library's default, so that a newcomer sees
		// an alarm come and go within minutes of opening the console, the
		// first within a minute of the start (20 s, then a 30 s ramp and
		// an on-delay of at most 5 s: TestFirstAlarmWithinAMinute).
		ExcursionEvery: 3 * time.Minute,
		FirstExcursion: 20 * time.Second,
		Logger:         log,
	})
	if err != nil {
		return err
	}
	live.Start()
	// The live instance closes before the store: the monitor writes its
	// last history and the twin finishes the commands it took.
	defer live.Close()

	// Uploaded scenarios and kept drills live beside the database.
	drills := web.DrillConfig{Scenarios: pre.scenarios, Dir: cfg.db + ".drills"}
	hosts := serverHosts(cfg.hostNames, ln.Addr())
	users, err := openAuth(ctx, cfg, pre.adminPassword, db, gateways, stderr, log)
	if err != nil {
		return err
	}
	// The consoles' last uses, every minute: a crash loses at most that.
	// Stopped before the file closes (deferred after its Close).
	stopSaving := users.SaveEvery(sessionSaveEvery)
	defer stopSaving()
	host := web.NewHost(live, web.HostConfig{Auth: users, Hosts: hosts, Origins: cfg.originList, IngestRate: cfg.ingestRate,
		Logger: log, Journal: db, Store: db, Drills: drills})
	served := make(chan error, 1)
	serving = true
	go func() { served <- host.Serve(ln) }()
	tw := live.Twin()
	snap := tw.Snapshot()
	log.Info("serving the console", "url", "http://"+ln.Addr().String()+"/", "addr", ln.Addr().String(),
		"hosts", strings.Join(hosts, ","), "db", cfg.db, "seq", snap.Seq(), "park", parkName(snap), "startup", time.Since(start).Round(time.Millisecond))

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := host.Shutdown(sctx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	// The consoles' last uses, so that they are still logged in when
	// parkd starts again; before the file closes.
	stopSaving()
	if err := users.Save(); err != nil {
		log.Warn("sessions", "err", err)
	}
	live.Close()
	if err := db.Close(); err != nil {
		return fmt.Errorf("close %s: %w", cfg.db, err)
	}
	log.Info("stopped", "seq", tw.Snapshot().Seq())
	return nil
}

// startup is what the flags name, read and checked before the database
// is opened.
type startup struct {
	rules         telemetry.Rules
	dispatch      *dispatch.Rules
	gateways      []auth.GatewayToken // from --gateway-tokens; nil: the one kept beside the database
	park          []twin.Entity       // from --park, checked whole
	adminPassword *string             // from --admin-password-file
	scenarios     []*scenarios.Scenario
	ln            net.Listener
}

// prepare reads and checks every file the flags name, then takes the
// address; the listener is the last thing made, so an error leaves
// nothing open.
func prepare(cfg config) (startup, error) {
	pre := startup{rules: telemetry.DefaultRules(), dispatch: dispatch.DefaultRules()}
	if cfg.rules != "" {
		b, err := os.ReadFile(cfg.rules)
		if err != nil {
			return pre, fmt.Errorf("--rules: %w", err)
		}
		if pre.rules, err = telemetry.ParseRules(cfg.rules, b); err != nil {
			return pre, err
		}
	}
	if cfg.dispatch != "" {
		b, err := os.ReadFile(cfg.dispatch)
		if err != nil {
			return pre, fmt.Errorf("--dispatch-rules: %w", err)
		}
		if pre.dispatch, err = dispatch.ParseRules(cfg.dispatch, b); err != nil {
			return pre, err
		}
	}
	if cfg.tokens != "" {
		var err error
		if pre.gateways, err = loadTokens(cfg.tokens); err != nil {
			return pre, err
		}
	}
	if cfg.park != "" {
		var err error
		if pre.park, err = readParkFile(cfg.park); err != nil {
			return pre, err
		}
	}
	if cfg.adminPassword != "" {
		b, err := os.ReadFile(cfg.adminPassword)
		if err != nil {
			return pre, fmt.Errorf("admin password: %w", err)
		}
		pw := strings.TrimRight(string(b), "\r\n")
		pre.adminPassword = &pw
	}
	var err error
	if pre.scenarios, err = scenarios.Builtin(); err != nil {
		return pre, err
	}
	if pre.ln, err = net.Listen("tcp", cfg.addr); err != nil {
		return pre, err
	}
	return pre, nil
}

// readParkFile reads a park file and checks it whole, on a twin in memory: an
// error names the feature, its ID and the field, before any database is
// opened.
func readParkFile(path string) ([]twin.Entity, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--park: %w", err)
	}
	es, err := twin.ReadCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	es = withCatalogue(es)
	tw, err := twin.Open(twin.Config{Clock: twin.WallClock{}})
	if err != nil {
		return nil, err
	}
	defer tw.Close()
	if _, err := tw.Apply(twin.AsSystem(context.Background(), twin.ActorSeed), twin.Creates(es...)...); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return es, nil
}

// exists reports whether something is at path, a link to nothing too
// (os.Lstat): a failed first start removes only what it made.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// keptGatewayToken returns the one sensor gateways' token kept beside the
// database in <db>.gateway-token, made on the first start, for a parkd
// without --gateway-tokens. The log names the file and the token's
// fingerprint, never the token.
func keptGatewayToken(cfg config, log *slog.Logger) ([]auth.GatewayToken, error) {
	path := cfg.db + ".gateway-token"
	tok, made, err := tokenFile(path)
	if err != nil {
		return nil, fmt.Errorf("gateway token: %w", err)
	}
	msg := "no --gateway-tokens: the sensor gateways' token is the one kept in its file"
	if made {
		msg = "no --gateway-tokens: made a token for sensor gateways and kept it in a file"
	}
	log.Info(msg, "gateway", "default", "file", path, "token_sha256", fingerprint(tok))
	return []auth.GatewayToken{{Name: "default", Token: tok}}, nil
}

// seed fills an empty database: with the park file's entities (read and
// checked at start-up) when one is given, else with the demo park.
func seed(ctx context.Context, tw *twin.Twin, cfg config, parkFile []twin.Entity, log *slog.Logger) error {
	snap := tw.Snapshot()
	empty := snap.Seq() == 0
	if cfg.park != "" && !empty {
		return fmt.Errorf("--park %s: %s already holds a park (seq %d); a park file loads only into an empty database",
			cfg.park, cfg.db, snap.Seq())
	}
	if !empty {
		return nil
	}
	es := parkFile
	if cfg.park != "" {
		log.Info("loading park file", "file", cfg.park, "entities", len(es))
	} else {
		es = cfg.demoPark(tw.Clock().Now())
		log.Info("seeding the demo park", "scale", cfg.demoScale, "seed", cfg.demoSeed, "sensors", cfg.demoSensors, "entities", len(es))
	}
	cmds := twin.Creates(es...)
	if _, err := tw.Apply(ctx, cmds...); err != nil {
		if cfg.park != "" {
			return fmt.Errorf("%s: %w", cfg.park, err)
		}
		return fmt.Errorf("demo park: %w", err)
	}
	return nil
}

// withCatalogue adds the built-in chemical catalogue to a park file's
// entities, under the file's own chemicals: a file may name chemicals by
// CAS without listing them.
func withCatalogue(es []twin.Entity) []twin.Entity {
	have := map[string]bool{}
	for _, e := range es {
		if e.Kind() == twin.KindChemical {
			have[e.EntityID()] = true
		}
	}
	var out []twin.Entity
	for _, c := range chem.Catalogue() {
		if !have[c.CAS] {
			out = append(out, c)
		}
	}
	// Chemicals have no geometry: they may come before the park.
	return append(out, es...)
}

func parkName(s *twin.Snapshot) string {
	if p := s.Park(); p != nil {
		return p.Name
	}
	return ""
}
