package web

// Drills (演练): scenarios played on park instances of their own, served
// like every sandbox at /api/v1/twins/{id}/…, with the trainees' every
// change kept so that a drill can be played again to any time.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"parktwin/park"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/web/auth"
)

// MaxDrills bounds the drills a host keeps, running or not: each holds a
// park instance and its trainees' actions.
const MaxDrills = 8

// drillRoom is the host's drills and the scenarios they are made from.
type drillRoom struct {
	h       *Host
	library *scenarios.Library
	shelf   *scenarios.Shelf // nil: drills are not kept across restarts
	log     *slog.Logger

	mu     sync.Mutex
	drills map[string]*scenarios.Drill // guarded by mu
	next   int                         // guarded by mu: the number of the last drill
	closed bool                        // guarded by mu
}

// DrillConfig configures the host's drills.
type DrillConfig struct {
	// Scenarios are the built-in scenarios.
	Scenarios []*scenarios.Scenario
	// Dir keeps uploaded scenarios and drills across restarts; "" keeps
	// nothing.
	Dir string
}

// openDrills makes the drill room and plays every kept drill again to
// where it stood.
func (h *Host) openDrills(ctx context.Context, cfg DrillConfig) error {
	r := &drillRoom{h: h, log: h.log, drills: map[string]*scenarios.Drill{}}
	libDir, shelfDir := "", ""
	if cfg.Dir != "" {
		libDir, shelfDir = cfg.Dir+"/scenarios", cfg.Dir+"/drills"
	}
	h.drills = r
	lib, err := scenarios.NewLibrary(cfg.Scenarios, libDir)
	if err != nil {
		// The built-in scenarios can still be played, and nothing is
		// kept: a shelf half read could be overwritten.
		r.library, _ = scenarios.NewLibrary(cfg.Scenarios, "")
		return err
	}
	r.library = lib
	if shelfDir != "" {
		if r.shelf, err = scenarios.OpenShelf(shelfDir); err != nil {
			return err
		}
	}
	return r.restore(ctx)
}

// restore plays the kept drills again, each to where it stood, paused.
func (r *drillRoom) restore(ctx context.Context) error {
	if r.shelf == nil {
		return nil
	}
	kept, err := r.shelf.All()
	if err != nil {
		return err
	}
	for _, k := range kept {
		sc, err := scenarios.Parse(k.ID+".json", []byte(k.Scenario))
		if err != nil {
			return fmt.Errorf("kept drill %s: %w", k.ID, err)
		}
		cfg := scenarios.Config{ID: k.ID, Live: r.h.live.park, Actions: k.Actions, At: k.At}
		if k.Origin {
			if cfg.Origin, err = r.shelf.Origin(k.ID); err != nil {
				return err
			}
		}
		d, err := r.start(ctx, sc, cfg, true)
		if err != nil {
			return fmt.Errorf("kept drill %s: %w", k.ID, err)
		}
		if k.Stopped {
			r.stop(ctx, d)
		}
		var n int
		if _, err := fmt.Sscanf(k.ID, "DRL-%d", &n); err == nil {
			r.next = max(r.next, n)
		}
		r.log.Info("drill restored", "drill", k.ID, "at", k.At, "actions", len(k.Actions))
	}
	return nil
}

// start starts a drill and serves its park; kept, it survives a restart.
// A drill that started but could not be kept is returned with the error.
func (r *drillRoom) start(ctx context.Context, sc *scenarios.Scenario, cfg scenarios.Config, keep bool) (*scenarios.Drill, error) {
	cfg.Actor = r.actor
	if r.shelf != nil && keep {
		cfg.Keep = r.shelf.Keep
	}
	d, err := scenarios.NewDrill(ctx, sc, cfg)
	if err != nil {
		return nil, err
	}
	d.Watch(func(inst *park.Instance) { r.follow(d, inst) })
	r.follow(d, d.Instance())
	r.mu.Lock()
	r.drills[d.ID()] = d
	r.mu.Unlock()
	return d, d.Keep()
}

// follow serves the drill's park, in place of the one it played on
// before: consoles of the old one are told it has ended and reload.
func (r *drillRoom) follow(d *scenarios.Drill, inst *park.Instance) {
	sv := r.h.serve(inst, 0, time.Time{})
	sv.drill = d
	r.h.mu.Lock()
	old := r.h.twins[d.ID()]
	r.h.twins[d.ID()] = sv
	r.h.mu.Unlock()
	if old != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := old.srv.end(ctx); err != nil {
			r.log.Warn("drill: ending the old pass's server", "drill", d.ID(), "err", err)
		}
	}
}

// actor applies a kept action again to a pass of a drill, through a
// server of that pass's park, as the request first came.
func (r *drillRoom) actor(ctx context.Context, inst *park.Instance, a scenarios.Action) error {
	// A server of its own, without the auth service: the action is let in
	// as the one who first made it, and no request from outside can be.
	srv := New(Config{Twin: inst.Twin(), Monitor: inst.Monitor(), Desk: inst.Desk(), Logger: r.log, Base: apiBase(inst.ID())})
	defer srv.end(ctx)
	var req fasthttp.Request
	req.Header.SetMethod(a.Method)
	req.SetRequestURI("/api/v1" + a.Path)
	req.Header.SetContentType(fiber.MIMEApplicationJSON)
	if a.IfMatch != "" {
		req.Header.Set(fiber.HeaderIfMatch, a.IfMatch)
	}
	req.SetBody(a.Body)
	var rc fasthttp.RequestCtx
	rc.Init(&req, nil, nil)
	role, err := auth.ParseRole(a.Actor.Role)
	if err != nil {
		role = auth.Planner // kept before actions had actors: a sandbox lets a planner do anything
	}
	rc.SetUserValue(identityKey, auth.Identity{User: a.Actor.User, Role: role, Via: auth.ViaInternal})
	srv.app.Handler()(&rc)
	if st := rc.Response.StatusCode(); st >= 300 {
		return fmt.Errorf("%s answered %d: %s", a, st, rc.Response.Body())
	}
	return nil
}

// act runs a request that may change a drill's park as one of its
// trainees' actions: between two steps of the drill's clock, kept when
// it succeeded.
func (r *drillRoom) act(c *fiber.Ctx, d *scenarios.Drill, path string) error {
	err := d.Act(func(inst *park.Instance) (scenarios.Action, bool) {
		sv, ok := r.h.lookup(d.ID())
		if !ok || sv.park != inst {
			c.Status(fiber.StatusServiceUnavailable)
			return scenarios.Action{}, false
		}
		before := inst.Twin().Snapshot().Seq()
		sv.handler(c.Context())
		a := scenarios.Action{Method: c.Method(), Path: path, Body: append([]byte(nil), c.Body()...),
			IfMatch: c.Get(fiber.HeaderIfMatch)}
		if id, ok := identityOf(c); ok {
			a.Actor = twin.Actor{User: id.User, Role: id.Role.String()}
		}
		// Kept when it changed the park: a plan asked for, or a
		// request refused, changes nothing to play again.
		return a, c.Response().StatusCode() < 300 && inst.Twin().Snapshot().Seq() != before
	})
	if err != nil {
		// The change was made but may not be kept: say so rather than
		// let the trainee believe it is safe.
		return twin.Errorf(twin.EINTERNAL, "", "drill %s: the action was applied but not kept: %v", d.ID(), err)
	}
	return nil
}

// isChange reports whether a request method may change a park.
func isChange(method string) bool {
	switch method {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return false
	}
	return true
}

// get returns the drill with the ID.
func (r *drillRoom) get(id string) (*scenarios.Drill, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.drills[id]
	if !ok {
		return nil, twin.Errorf(twin.ENOTFOUND, "id", "no drill %s", id)
	}
	return d, nil
}

// stop stops a drill: its park closes, and its consoles are told so; its
// report stays.
func (r *drillRoom) stop(ctx context.Context, d *scenarios.Drill) error {
	err := d.Stop()
	r.h.mu.Lock()
	sv := r.h.twins[d.ID()]
	delete(r.h.twins, d.ID())
	r.h.mu.Unlock()
	if sv != nil {
		err = errors.Join(err, sv.srv.end(ctx))
	}
	return errors.Join(err, d.Keep())
}

// shutdown pauses every drill where it stands, keeps it, and closes it.
func (r *drillRoom) shutdown(ctx context.Context) error {
	r.mu.Lock()
	r.closed = true
	drills := make([]*scenarios.Drill, 0, len(r.drills))
	for _, d := range r.drills {
		drills = append(drills, d)
	}
	r.mu.Unlock()
	var errs []error
	for _, d := range drills {
		if d.State().State != scenarios.StateStopped {
			if err := d.Pause(); err != nil {
				errs = append(errs, err)
			}
		}
		// Closing is not stopping: a restart plays it again.
		errs = append(errs, d.Close())
	}
	return errors.Join(errs...)
}

// release gives back an ID reserved for a drill that did not start.
func (r *drillRoom) release(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next > 0 && id == fmt.Sprintf("DRL-%02d", r.next) {
		r.next--
	}
}

// newID reserves the next drill ID, or refuses when the host holds as
// many drills as it may.
func (r *drillRoom) newID() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.closed:
		return "", twin.Errorf(twin.EUNAVAILABLE, "", "the server is shutting down")
	case len(r.drills) >= MaxDrills:
		return "", twin.Errorf(twin.ECONFLICT, "", "%d drills are kept already: delete one first", MaxDrills)
	}
	r.next++
	return fmt.Sprintf("DRL-%02d", r.next), nil
}

// drillPath returns the part of a drill twin's API path after its base.
func drillPath(c *fiber.Ctx) string {
	p := "/" + strings.TrimPrefix(c.Params("*"), "/")
	if q := c.Context().URI().QueryString(); len(q) > 0 {
		p += "?" + string(q)
	}
	return p
}
