package web

// Replays of the live park's journal (复盘): a window of it opened as a
// read-only twin, served at /api/v1/twins/{id}/… and /twins/{id}/ like
// any other, and driven at /api/v1/replays.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/telemetry"
)

// Limits of the replays a host keeps. Each holds its window's events and
// a checkpoint every few hundred of them in memory (about 20 MiB for a
// day of the ×10 demo park, docs/performance.md).
const (
	MaxReplays      = 4
	MaxReplayWindow = 7 * 24 * time.Hour
)

// replays are a host's replays.
type replays struct {
	h *Host

	mu      sync.Mutex
	m       map[string]*replayed // guarded by mu
	pending int                  // guarded by mu: replays being opened
	next    int                  // guarded by mu: the number of the last replay
	closed  bool                 // guarded by mu: the host is shutting down
}

// replayed is a replay and the HTTP face of its twin.
type replayed struct {
	r       *scenarios.Replay
	srv     *Server
	handler fasthttp.RequestHandler
	expires time.Time // wall time
}

// openReplays makes the host's replays and starts their reaper; their
// routes are in the host's table (routes.go), the read-only face of their
// twins ahead of the host's routes for twins.
func (h *Host) openReplays() *replays {
	rs := &replays{h: h, m: map[string]*replayed{}}
	h.reap.Go(rs.reaper)
	return rs
}

func (rs *replays) lookup(id string) (*replayed, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rp, ok := rs.m[id]
	return rp, ok
}

func (rs *replays) find(id string) (*replayed, error) {
	rp, ok := rs.lookup(id)
	if !ok {
		return nil, twin.Errorf(twin.ENOTFOUND, "id", "no replay %s", id)
	}
	return rp, nil
}

// toReplay serves a request to a replay's twin as toTwin does, reading
// only: anything that would change it is refused, and so is a gateway's
// stream of readings. A twin that is not a replay's is left to the
// host's routes.
func (rs *replays) toReplay(prefix string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Params("twin")
		rp, ok := rs.lookup(id)
		if !ok {
			return c.Next()
		}
		if m := c.Method(); (m != fiber.MethodGet && m != fiber.MethodHead) || strings.HasSuffix(c.Params("*"), "telemetry/ws") {
			return twin.Errorf(twin.ECONFLICT, "", "replay %s is read-only", id)
		}
		if prefix == "" {
			return c.JSON(rp.r.State())
		}
		c.Context().URI().SetPath(prefix + c.Params("*"))
		rp.handler(c.Context())
		return nil
	}
}

// replayRequest is the body of POST /api/v1/replays.
type replayRequest struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

func (rs *replays) create(c *fiber.Ctx) error {
	if rs.h.cfg.Journal == nil {
		return twin.Errorf(twin.EUNAVAILABLE, "", "this server keeps no journal to replay")
	}
	var req replayRequest
	if err := decodeStrict(c.Body(), &req, "a replay request"); err != nil {
		return err
	}
	now := rs.h.live.park.Clock().Now()
	switch {
	case req.From.IsZero():
		return twin.Reasoned(twin.EINVALID, "from", "required (an RFC 3339 time)", msg.New("error.required", "field", "from"))
	case req.To.IsZero():
		return twin.Reasoned(twin.EINVALID, "to", "required (an RFC 3339 time)", msg.New("error.required", "field", "to"))
	case !req.To.After(req.From):
		return twin.NotAfter("to", req.To.Format(time.RFC3339), req.From.Format(time.RFC3339),
			fmt.Sprintf("%s is not after from (%s)", req.To.Format(time.RFC3339), req.From.Format(time.RFC3339)))
	case req.To.Sub(req.From) > MaxReplayWindow:
		return twin.SpanTooLong("to", req.To.Sub(req.From).String(), MaxReplayWindow.String(),
			fmt.Sprintf("a replay spans at most %v, asked %v", MaxReplayWindow, req.To.Sub(req.From)))
	case req.To.After(now):
		return twin.NotYet("to", req.To.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339),
			fmt.Sprintf("%s has not come yet: the park's clock stands at %s", req.To.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
	}
	id, err := rs.reserve()
	if err != nil {
		return err
	}
	hist, _ := rs.h.cfg.Journal.(telemetry.HistoryStore) // the bbolt file keeps both
	r, err := scenarios.OpenReplay(c.UserContext(), scenarios.ReplayConfig{ID: id, Journal: rs.h.cfg.Journal, History: hist,
		From: req.From, To: req.To, Logger: rs.h.log})
	if err != nil {
		rs.release(id)
		return err
	}
	in := r.Instance()
	srv := New(Config{Twin: in.Twin(), Monitor: in.Monitor(), Desk: in.Desk(), Hosts: rs.h.cfg.Hosts, Origins: rs.h.cfg.Origins, Auth: rs.h.cfg.Auth,
		Stream: rs.h.cfg.Stream, Logger: rs.h.log.With("twin", id), Base: apiBase(id)})
	rp := &replayed{r: r, srv: srv, handler: srv.app.Handler(), expires: time.Now().Add(DefaultTTL)}
	rs.mu.Lock()
	rs.pending--
	if rs.closed {
		rs.mu.Unlock()
		rs.end(context.Background(), rp)
		return twin.Errorf(twin.EUNAVAILABLE, "", "the server is shutting down")
	}
	rs.m[id] = rp
	rs.mu.Unlock()
	st := r.State()
	rs.h.log.Info("replay opened", "replay", id, "from", st.From, "to", st.To, "events", st.Events)
	c.Location("/api/v1/replays/" + id)
	return c.Status(fiber.StatusCreated).JSON(st)
}

// reserve takes a place for a replay to be opened, and names it.
func (rs *replays) reserve() (string, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	switch {
	case rs.closed:
		return "", twin.Errorf(twin.EUNAVAILABLE, "", "the server is shutting down")
	case len(rs.m)+rs.pending >= MaxReplays:
		return "", twin.Errorf(twin.ECONFLICT, "", "%d replays are open, the most a server keeps: stop one first", MaxReplays)
	}
	rs.pending++
	rs.next++
	return fmt.Sprintf("RPL-%02d", rs.next), nil
}

// release gives back a place reserved for a replay that was not opened,
// and its number when no other was taken since.
func (rs *replays) release(id string) {
	rs.mu.Lock()
	rs.pending--
	if id == fmt.Sprintf("RPL-%02d", rs.next) {
		rs.next--
	}
	rs.mu.Unlock()
}

func (rs *replays) list(c *fiber.Ctx) error {
	rs.mu.Lock()
	out := make([]scenarios.ReplayState, 0, len(rs.m))
	for _, rp := range rs.m {
		out = append(out, rp.r.State())
	}
	rs.mu.Unlock()
	slices.SortFunc(out, func(a, b scenarios.ReplayState) int { return strings.Compare(a.ID, b.ID) })
	return c.JSON(out)
}

func (rs *replays) get(c *fiber.Ctx) error {
	rp, err := rs.find(c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(rp.r.State())
}

// replayControl is the body of POST /api/v1/replays/{id}/control.
type replayControl struct {
	Action string   `json:"action"`
	Speed  *float64 `json:"speed"`
	// To is where a seek goes: an RFC 3339 time, or an ISO 8601 duration
	// after the replay's start ("PT25M").
	To string `json:"to"`
}

func (rs *replays) control(c *fiber.Ctx) error {
	id := c.Params("id")
	rp, err := rs.find(id)
	if err != nil {
		return err
	}
	var req replayControl
	if err := decodeStrict(c.Body(), &req, "a replay control"); err != nil {
		return err
	}
	r := rp.r
	switch req.Action {
	case "play":
		speed := 1.0
		if req.Speed != nil {
			speed = *req.Speed
		}
		err = r.Play(speed)
	case "pause":
		err = r.Pause()
	case "step":
		err = r.Step()
	case "seek":
		var to time.Time
		if to, err = seekTime(req.To, r.State().From); err == nil {
			err = r.Seek(to)
		}
	case "stop":
		if rs.take(id) {
			rs.end(c.UserContext(), rp)
			rs.h.log.Info("replay stopped", "replay", id)
		}
	default:
		return twin.Invalid("action", "want play, pause, step, seek or stop, got %q", req.Action)
	}
	if err != nil {
		return err
	}
	return c.JSON(r.State())
}

// seekTime reads where a seek goes: a time, or a duration after from.
func seekTime(to string, from time.Time) (time.Time, error) {
	if to == "" {
		return time.Time{}, twin.Reasoned(twin.EINVALID, "to", "required: an RFC 3339 time or an ISO 8601 duration after the start (PT25M)", msg.New("error.required", "field", "to"))
	}
	if strings.HasPrefix(to, "P") {
		d, ok := parseISODuration(to)
		if !ok {
			return time.Time{}, twin.BadTimeOrDuration("to", to, fmt.Sprintf("%q is not an ISO 8601 duration (like PT25M, PT1H30M, P1DT2H)", to))
		}
		return from.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, to)
	if err != nil {
		return time.Time{}, twin.BadTimeOrDuration("to", to, fmt.Sprintf("%q is neither an RFC 3339 time nor an ISO 8601 duration", to))
	}
	return t, nil
}

// scenarioRequest is the optional body of POST /api/v1/replays/{id}/scenario.
type scenarioRequest struct {
	ID string `json:"id"` // the scenario's ID; named after the start when empty
}

func (rs *replays) scenario(c *fiber.Ctx) error {
	rp, err := rs.find(c.Params("id"))
	if err != nil {
		return err
	}
	var req scenarioRequest
	if len(strings.TrimSpace(string(c.Body()))) > 0 {
		if err := decodeStrict(c.Body(), &req, "a scenario request"); err != nil {
			return err
		}
	}
	sc, b, err := rp.r.Scenario(req.ID)
	if err != nil {
		return err
	}
	// In the library at once: the same situation can be drilled again.
	if _, err := rs.h.drills.library.Add(sc); err != nil {
		return err
	}
	c.Location("/api/v1/scenarios/" + sc.Metadata.ID)
	c.Set(fiber.HeaderContentType, "application/yaml")
	return c.Status(fiber.StatusCreated).Send(b)
}

// report serves the replay's after-action report (复盘报告), as a drill's
// is served.
func (rs *replays) report(c *fiber.Ctx) error {
	rp, err := rs.find(c.Params("id"))
	if err != nil {
		return err
	}
	return sendReport(c, rp.r.Report())
}

// take removes a replay from the host, for its end; false when it is not
// there (any more).
func (rs *replays) take(id string) bool {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	_, ok := rs.m[id]
	delete(rs.m, id)
	return ok
}

// end tells the replay's consoles its twin has ended, and stops it.
func (rs *replays) end(ctx context.Context, rp *replayed) {
	if err := rp.srv.end(ctx); err != nil && !errors.Is(err, context.Canceled) {
		rs.h.log.Warn("replay end", "replay", rp.r.ID(), "err", err)
	}
	rp.r.Stop()
}

// reaper ends the replays whose time has run out, and every replay once
// the host shuts down (its Shutdown waits for this).
func (rs *replays) reaper() {
	t := time.NewTicker(reapEvery)
	defer t.Stop()
	for {
		select {
		case <-rs.h.stop:
			rs.mu.Lock()
			rs.closed = true
			ending := rs.m
			rs.m = map[string]*replayed{}
			rs.mu.Unlock()
			for _, rp := range ending {
				rs.end(context.Background(), rp)
			}
			return
		case now := <-t.C:
			rs.mu.Lock()
			var ending []*replayed
			for id, rp := range rs.m {
				if !now.Before(rp.expires) {
					ending = append(ending, rp)
					delete(rs.m, id)
				}
			}
			rs.mu.Unlock()
			for _, rp := range ending {
				rs.end(context.Background(), rp)
				rs.h.log.Info("replay ended: its time ran out", "replay", rp.r.ID())
			}
		}
	}
}
