package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/web/auth"
)

// Limits of the sandboxes a host keeps. Each holds a copy-on-write park,
// a monitor and a simulator, and a fast one runs its loops as often as its
// speed says: together they bound what sandboxes can take of the machine.
const (
	MaxSandboxes = 16
	// MaxSpeed is the fastest a sandbox's clock may run: a day in 144 s.
	MaxSpeed = 600
	// MaxTotalSpeed bounds the speeds of all sandboxes together.
	MaxTotalSpeed = 1200
	// DefaultTTL is how long a sandbox lives unless asked otherwise: a
	// shift. MaxTTL is the longest it may be asked to.
	DefaultTTL = 8 * time.Hour
	MaxTTL     = 72 * time.Hour
)

// HostConfig configures a Host; the same settings serve every instance.
type HostConfig struct {
	// Auth identifies the callers of every instance's routes.
	Auth *auth.Service
	// Origins are the browser origins, besides the server's own, that may
	// Hosts are the names requests may carry in Host ("name:port", or a
	// bare name for any port); others are refused with 421, so that a name
	// rebound to parkd's address (DNS rebinding) reaches nothing. Empty:
	// any name (tests).
	Hosts []string
	// open a stream.
	Origins []string
	Stream  StreamConfig
	// IngestRate is the readings per second each gateway may send, to all
	// twins together; 0: no limit.
	IngestRate float64
	Logger     *slog.Logger
	Drills     DrillConfig
	// Journal is the live park's journal, opened as replays; nil: none.
	Journal scenarios.Journal
	// Store is the live park's database: its audit trail, its hot copy
	// (POST /api/v1/admin/backup) and its commits' metrics; nil: none.
	Store *bolt.DB
}

// Host serves every park instance of the process on one listener: the
// live park at / and /api/v1/…, each sandbox at /twins/{id}/ and
// /api/v1/twins/{id}/…, every route of the API the same for each. The
// twins themselves are made, listed and ended at /api/v1/twins.
type Host struct {
	app     *fiber.App
	cfg     HostConfig
	live    *served
	table   []route
	drills  *drillRoom
	metrics *Metrics
	log     *slog.Logger
	ingest  *ingestLimits
	stop    chan struct{} // closed by Shutdown: ends the reaper
	reap    sync.WaitGroup

	mu        sync.Mutex
	twins     map[string]*served // guarded by mu
	pending   int                // guarded by mu: sandboxes being made
	speeds    float64            // guarded by mu: the speeds of the sandboxes, made and being made
	next      int                // guarded by mu: the number of the last sandbox
	closed    bool               // guarded by mu: Shutdown has begun
	shutdowns sync.Once
}

// served is an instance and its HTTP face.
type served struct {
	park    *park.Instance
	srv     *Server
	handler fasthttp.RequestHandler
	speed   float64
	expires time.Time // wall time; zero for the live park and drills
	// drill is the drill played on the instance, whose trainees'
	// changes it keeps; nil for other twins.
	drill *scenarios.Drill
}

// NewHost returns a host serving live. The live instance is its owner's
// to start and close; the host makes, runs and ends the sandboxes.
func NewHost(live *park.Instance, cfg HostConfig) *Host {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Host{cfg: cfg, log: cfg.Logger, stop: make(chan struct{}), ingest: newIngestLimits(cfg.IngestRate)}
	h.metrics = newMetrics(h)
	h.live = h.serve(live, 0, time.Time{})
	h.twins = map[string]*served{live.ID(): h.live}
	h.app = fiber.New(fiber.Config{
		AppName:               "parkd",
		BodyLimit:             MaxBodyBytes,
		DisableStartupMessage: true,
		Immutable:             true,
		// /twins/{id} and /twins/{id}/ differ: the first redirects to the
		// second, under which the console's relative paths resolve.
		StrictRouting: true,
		ErrorHandler:  h.live.srv.handleError,
		ReadTimeout:   30 * time.Second,
		WriteTimeout:  60 * time.Second,
		IdleTimeout:   120 * time.Second,
	})
	// The edge first: for the live park, sandboxes, drills and replays
	// alike.
	h.app.Use(pageHeaders, checkHost(cfg.Hosts), checkChange(cfg.Hosts, cfg.Origins))
	h.app.Use(actorMiddleware(h.app))
	rs := h.openReplays()
	if err := h.openDrills(context.Background(), cfg.Drills); err != nil {
		// The park is served without its kept drills rather than not
		// at all; the error says which drill could not be restored.
		h.log.Error("drills not restored", "err", err)
	}
	h.table = h.hostRoutes(rs)
	register(h.app, h.table, cfg.Auth, "", false)
	// Everything else is the live park's, guarded by its own table.
	h.app.Use(func(c *fiber.Ctx) error {
		h.live.handler(c.Context())
		return nil
	})
	h.reap.Go(h.reaper)
	return h
}

// redirectTwin sends /twins/{id} to /twins/{id}/, under which the
// console's relative paths resolve.
func redirectTwin(c *fiber.Ctx) error {
	return c.Redirect("/twins/"+c.Params("twin")+"/", fiber.StatusMovedPermanently)
}

// serve makes the HTTP face of an instance.
func (h *Host) serve(in *park.Instance, speed float64, expires time.Time) *served {
	var audit AuditLog
	if in.ID() == twin.LiveID && h.cfg.Store != nil {
		audit = h.cfg.Store
	}
	srv := New(Config{Twin: in.Twin(), Monitor: in.Monitor(), Desk: in.Desk(), Auth: h.cfg.Auth,
		Hosts: h.cfg.Hosts, Origins: h.cfg.Origins, ingest: h.ingest, Stream: h.cfg.Stream, Logger: h.log.With("twin", in.ID()),
		Base: apiBase(in.ID()), Audit: audit, Metrics: h.metrics})
	return &served{park: in, srv: srv, handler: srv.app.Handler(), speed: speed, expires: expires}
}

// apiBase is where a twin's API is served.
func apiBase(id string) string {
	if id == twin.LiveID {
		return "/api/v1"
	}
	return "/api/v1/twins/" + id
}

// Serve answers requests on ln until Shutdown.
func (h *Host) Serve(ln net.Listener) error { return h.app.Listener(ln) }

// Shutdown stops taking connections, ends every sandbox, closes the live
// park's streams and waits for the requests in flight until ctx ends.
// The live instance itself is its owner's to close.
func (h *Host) Shutdown(ctx context.Context) error {
	var errs []error
	h.shutdowns.Do(func() {
		// Drills first: each is paused and kept where it stands.
		errs = append(errs, h.drills.shutdown(ctx))
		h.mu.Lock()
		h.closed = true // no sandbox is made from now on
		var ending []*served
		for id, sv := range h.twins {
			if sv != h.live {
				ending = append(ending, sv)
				delete(h.twins, id)
			}
		}
		h.mu.Unlock()
		close(h.stop)
		h.reap.Wait()
		for _, sv := range ending {
			errs = append(errs, h.end(ctx, sv))
		}
		errs = append(errs, h.live.srv.Shutdown(ctx), h.app.ShutdownWithContext(ctx))
	})
	return errors.Join(errs...)
}

// end closes a sandbox: its consoles are told it has ended, its loops
// stop, its twin closes.
func (h *Host) end(ctx context.Context, sv *served) error {
	return errors.Join(sv.srv.end(ctx), sv.park.Close())
}

func (h *Host) lookup(id string) (*served, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	sv, ok := h.twins[id]
	return sv, ok
}

// Instance returns the instance of a twin ID.
func (h *Host) Instance(id string) (*park.Instance, bool) {
	sv, ok := h.lookup(id)
	if !ok {
		return nil, false
	}
	return sv.park, true
}

// toTwin hands a request to the instance it names, as if it had come to
// prefix + the rest of its path: /api/v1/twins/SBX-01/tanks goes to the
// sandbox's /api/v1/tanks.
func (h *Host) toTwin(prefix string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sv, ok := h.lookup(c.Params("twin"))
		if !ok {
			return twin.Errorf(twin.ENOTFOUND, "twin", "no twin %s", c.Params("twin"))
		}
		path := drillPath(c)
		c.Context().URI().SetPath(prefix + c.Params("*"))
		if sv.drill != nil && isChange(c.Method()) {
			// The console reaches the API at /twins/{id}/api/v1/…, the
			// API's clients at /api/v1/twins/{id}/…: a drill keeps the
			// changes of both, as the API's paths.
			apiPath, api := path, prefix == "/api/v1/"
			if !api {
				apiPath, api = strings.CutPrefix(path, "/api/v1")
				api = api && strings.HasPrefix(apiPath, "/")
			}
			if api {
				return h.drills.act(c, sv.drill, apiPath)
			}
		}
		sv.handler(c.Context())
		return nil
	}
}

// sandboxRequest is the body of POST /api/v1/twins.
type sandboxRequest struct {
	From string `json:"from"`
	// Speed is how fast the sandbox's clock runs against the wall: 1 by
	// default, 0 to hold it still.
	Speed *float64 `json:"speed"`
	// TTLS is how long the sandbox lives, in seconds.
	TTLS *float64 `json:"ttlS"`
}

// twinInfo is what the API says of a twin.
type twinInfo struct {
	park.Info
	Expires *time.Time `json:"expires,omitempty"`
}

func (sv *served) info() twinInfo {
	in := twinInfo{Info: sv.park.Info()}
	if !sv.expires.IsZero() {
		e := sv.expires.UTC()
		in.Expires = &e
	}
	return in
}

func (h *Host) createTwin(c *fiber.Ctx) error {
	var req sandboxRequest
	if len(strings.TrimSpace(string(c.Body()))) > 0 {
		if err := decodeStrict(c.Body(), &req, "a sandbox request"); err != nil {
			return err
		}
	}
	if req.From == "" {
		req.From = twin.LiveID
	}
	speed, ttl := 1.0, DefaultTTL
	if req.Speed != nil {
		speed = *req.Speed
	}
	if !(speed >= 0 && speed <= MaxSpeed) {
		return twin.Invalid("speed", "want 0 (held) to %d times the wall clock, got %v", MaxSpeed, speed)
	}
	if req.TTLS != nil {
		if !(*req.TTLS >= 60 && *req.TTLS <= MaxTTL.Seconds()) {
			return twin.Invalid("ttlS", "want 60 to %.0f seconds, got %v", MaxTTL.Seconds(), *req.TTLS)
		}
		ttl = time.Duration(*req.TTLS * float64(time.Second))
	}
	from, ok := h.lookup(req.From)
	if !ok {
		return twin.Invalid("from", "no twin %s", req.From)
	}
	id, err := h.reserve(speed)
	if err != nil {
		return err
	}
	sb, err := from.park.Sandbox(c.UserContext(), id, speed)
	if err != nil {
		h.release(speed)
		return err
	}
	sv := h.serve(sb, speed, time.Now().Add(ttl))
	h.mu.Lock()
	h.pending--
	if h.closed {
		// Shutdown began while it was being made: it never starts.
		h.mu.Unlock()
		h.end(context.Background(), sv)
		return twin.Errorf(twin.EUNAVAILABLE, "", "the server is shutting down")
	}
	sb.Start()
	h.twins[id] = sv
	h.mu.Unlock()
	h.log.Info("sandbox started", "twin", id, "from", req.From, "seq", sb.Twin().Snapshot().Seq(), "speed", speed, "ttl", ttl)
	c.Location("/api/v1/twins/" + id)
	return c.Status(fiber.StatusCreated).JSON(sv.info())
}

// reserve takes a place for a sandbox to be made at speed, within the
// limits, and names it.
func (h *Host) reserve(speed float64) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return "", twin.Errorf(twin.EUNAVAILABLE, "", "the server is shutting down")
	case len(h.twins)-1+h.pending >= MaxSandboxes:
		return "", twin.Errorf(twin.ECONFLICT, "", "%d sandboxes are open, the most a server keeps: end one first", MaxSandboxes)
	case h.speeds+speed > MaxTotalSpeed:
		return "", twin.Errorf(twin.ECONFLICT, "speed",
			"the sandboxes' clocks already run at %v× the wall clock together, and %d× is the most: slow or end one first", h.speeds, MaxTotalSpeed)
	}
	h.pending++
	h.speeds += speed
	h.next++
	return fmt.Sprintf("SBX-%02d", h.next), nil
}

// release gives back a place reserved for a sandbox that was not made.
func (h *Host) release(speed float64) {
	h.mu.Lock()
	h.pending--
	h.speeds -= speed
	h.mu.Unlock()
}

func (h *Host) listTwins(c *fiber.Ctx) error {
	h.mu.Lock()
	list := make([]twinInfo, 0, len(h.twins))
	for _, sv := range h.twins {
		list = append(list, sv.info())
	}
	h.mu.Unlock()
	slices.SortFunc(list, func(a, b twinInfo) int { return strings.Compare(a.ID, b.ID) })
	return c.JSON(list)
}

func (h *Host) getTwin(c *fiber.Ctx) error {
	sv, ok := h.lookup(c.Params("twin"))
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "twin", "no twin %s", c.Params("twin"))
	}
	return c.JSON(sv.info())
}

func (h *Host) deleteTwin(c *fiber.Ctx) error {
	id := c.Params("twin")
	sv, err := h.take(id)
	if err != nil {
		return err
	}
	if err := h.end(c.UserContext(), sv); err != nil {
		h.log.Warn("sandbox end", "twin", id, "err", err)
	}
	h.log.Info("sandbox ended", "twin", id)
	return c.SendStatus(fiber.StatusNoContent)
}

// take removes a sandbox from the host, for its end.
func (h *Host) take(id string) (*served, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	sv, ok := h.twins[id]
	switch {
	case !ok:
		return nil, twin.Errorf(twin.ENOTFOUND, "twin", "no twin %s", id)
	case sv == h.live:
		return nil, twin.Errorf(twin.EFORBIDDEN, "twin", "the live park cannot be ended")
	}
	delete(h.twins, id)
	h.speeds -= sv.speed
	return sv, nil
}

// reapEvery is how often the host looks for sandboxes past their time.
const reapEvery = time.Minute

// reaper ends the sandboxes whose time has run out, until Shutdown.
func (h *Host) reaper() {
	t := time.NewTicker(reapEvery)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case now := <-t.C:
			h.reapAt(now)
		}
	}
}

// reapAt ends the sandboxes expired at now.
func (h *Host) reapAt(now time.Time) {
	h.mu.Lock()
	var ids []string
	for id, sv := range h.twins {
		if !sv.expires.IsZero() && !now.Before(sv.expires) {
			ids = append(ids, id)
		}
	}
	h.mu.Unlock()
	for _, id := range ids {
		if sv, err := h.take(id); err == nil {
			h.end(context.Background(), sv)
			h.log.Info("sandbox ended: its time ran out", "twin", id)
		}
	}
}
