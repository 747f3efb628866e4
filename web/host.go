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

	"parktwin/twin"
)

// MaxSandboxes bounds the sandboxes a host keeps at once: each holds a
// copy-on-write park, a monitor and a simulator.
const MaxSandboxes = 32

// Host serves every park instance of the process on one listener: the
// live park at / and /api/v1/…, each sandbox at /twins/{id}/ and
// /api/v1/twins/{id}/…, every route of the API the same for each. The
// twins themselves are managed at /api/v1/twins.
type Host struct {
	app  *fiber.App
	live *Instance
	log  *slog.Logger

	mu        sync.Mutex
	instances map[string]*Instance // guarded by mu
	next      int                  // guarded by mu: the number of the last sandbox made
}

// NewHost returns a host serving live, started.
func NewHost(live *Instance, log *slog.Logger) *Host {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Host{live: live, log: log, instances: map[string]*Instance{live.ID(): live}}
	h.app = fiber.New(fiber.Config{
		AppName:               "parkd",
		BodyLimit:             MaxBodyBytes,
		DisableStartupMessage: true,
		Immutable:             true,
		// /twins/{id} and /twins/{id}/ differ: the first redirects to the
		// second, under which the console's relative paths resolve.
		StrictRouting: true,
		ErrorHandler:  live.srv.handleError,
		ReadTimeout:   30 * time.Second,
		WriteTimeout:  60 * time.Second,
		IdleTimeout:   120 * time.Second,
	})
	h.app.Get("/api/v1/twins", h.listTwins)
	h.app.Post("/api/v1/twins", h.createTwin)
	h.app.Get("/api/v1/twins/:twin", h.getTwin)
	h.app.Delete("/api/v1/twins/:twin", h.deleteTwin)
	h.app.All("/api/v1/twins/:twin/*", h.toTwin("/api/v1/"))
	h.app.Get("/twins/:twin", func(c *fiber.Ctx) error {
		return c.Redirect("/twins/"+c.Params("twin")+"/", fiber.StatusMovedPermanently)
	})
	h.app.All("/twins/:twin/*", h.toTwin("/"))
	// Everything else is the live park's.
	h.app.Use(func(c *fiber.Ctx) error {
		h.live.handler(c.Context())
		return nil
	})
	return h
}

// Serve answers requests on ln until Shutdown.
func (h *Host) Serve(ln net.Listener) error { return h.app.Listener(ln) }

// Shutdown ends every sandbox, stops taking connections and waits for
// the requests in flight until ctx ends. The live instance is its
// owner's to close.
func (h *Host) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	var sandboxes []*Instance
	for id, in := range h.instances {
		if in != h.live {
			sandboxes = append(sandboxes, in)
			delete(h.instances, id)
		}
	}
	h.mu.Unlock()
	var errs []error
	for _, in := range sandboxes {
		errs = append(errs, in.Close(ctx))
	}
	errs = append(errs, h.live.srv.Shutdown(ctx), h.app.ShutdownWithContext(ctx))
	return errors.Join(errs...)
}

// Instance returns the instance of a twin ID.
func (h *Host) Instance(id string) (*Instance, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	in, ok := h.instances[id]
	return in, ok
}

// toTwin hands a request to the instance it names, as if it had come to
// prefix + the rest of its path: /api/v1/twins/SBX-01/tanks goes to the
// sandbox's /api/v1/tanks.
func (h *Host) toTwin(prefix string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		in, ok := h.Instance(c.Params("twin"))
		if !ok {
			return twin.Errorf(twin.ENOTFOUND, "twin", "no twin %s", c.Params("twin"))
		}
		c.Context().URI().SetPath(prefix + c.Params("*"))
		in.handler(c.Context())
		return nil
	}
}

// sandboxRequest is the body of POST /api/v1/twins.
type sandboxRequest struct {
	From string `json:"from"`
	// Speed is how fast the sandbox's clock runs against the wall: 1 by
	// default, 0 to hold it still, up to 3600.
	Speed *float64 `json:"speed"`
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
	speed := 1.0
	if req.Speed != nil {
		speed = *req.Speed
	}
	if !(speed >= 0 && speed <= 3600) {
		return twin.Invalid("speed", "want 0 (held) to 3600 times the wall clock, got %v", speed)
	}
	from, ok := h.Instance(req.From)
	if !ok {
		return twin.Invalid("from", "no twin %s", req.From)
	}
	h.mu.Lock()
	if len(h.instances)-1 >= MaxSandboxes {
		h.mu.Unlock()
		return twin.Errorf(twin.ECONFLICT, "", "%d sandboxes are open, the most a host keeps: end one first", MaxSandboxes)
	}
	h.next++
	id := fmt.Sprintf("SBX-%02d", h.next)
	h.mu.Unlock()

	clock := twin.NewSimClock(from.tw.Clock().Now())
	sb, err := from.Sandbox(c.UserContext(), id, clock)
	if err != nil {
		return err
	}
	sb.Start()
	sb.drive(clock, speed)
	h.mu.Lock()
	h.instances[id] = sb
	h.mu.Unlock()
	h.log.Info("sandbox started", "twin", id, "from", req.From, "seq", sb.tw.Snapshot().Seq(), "speed", speed)
	c.Location("/api/v1/twins/" + id)
	return c.Status(fiber.StatusCreated).JSON(sb.Info())
}

func (h *Host) listTwins(c *fiber.Ctx) error {
	h.mu.Lock()
	list := make([]Info, 0, len(h.instances))
	for _, in := range h.instances {
		list = append(list, in.Info())
	}
	h.mu.Unlock()
	slices.SortFunc(list, func(a, b Info) int { return strings.Compare(a.ID, b.ID) })
	return c.JSON(list)
}

func (h *Host) getTwin(c *fiber.Ctx) error {
	in, ok := h.Instance(c.Params("twin"))
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "twin", "no twin %s", c.Params("twin"))
	}
	return c.JSON(in.Info())
}

func (h *Host) deleteTwin(c *fiber.Ctx) error {
	id := c.Params("twin")
	h.mu.Lock()
	in, ok := h.instances[id]
	switch {
	case !ok:
		h.mu.Unlock()
		return twin.Errorf(twin.ENOTFOUND, "twin", "no twin %s", id)
	case in == h.live:
		h.mu.Unlock()
		return twin.Errorf(twin.EFORBIDDEN, "twin", "the live park cannot be ended")
	}
	delete(h.instances, id)
	h.mu.Unlock()
	if err := in.Close(c.UserContext()); err != nil {
		h.log.Warn("sandbox close", "twin", id, "err", err)
	}
	h.log.Info("sandbox ended", "twin", id)
	return c.SendStatus(fiber.StatusNoContent)
}

// drive runs a sandbox's simulated clock at speed times the wall clock
// until the instance closes; at 0 it stands still.
func (in *Instance) drive(clock *twin.SimClock, speed float64) {
	if speed == 0 {
		return
	}
	const step = 100 * time.Millisecond
	ctx, stop := context.WithCancel(context.Background())
	prev := in.stop
	in.stop = func() { stop(); prev() }
	in.loops.Go(func() {
		t := time.NewTicker(step)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				clock.Advance(time.Duration(float64(step) * speed))
			}
		}
	})
}
