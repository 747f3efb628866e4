// Package web serves the twin over HTTP: the REST API (every route listed
// in routes.go), and the console.
package web

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/dispatch"
	"parktwin/scenarios"
	"parktwin/twin"
	"parktwin/twin/telemetry"
	"parktwin/web/auth"
)

// MaxBodyBytes bounds a request body. The largest legitimate body is one
// Feature; a whole park goes in with --park, not over the API.
const MaxBodyBytes = 1 << 20

// Config configures a Server.
type Config struct {
	Twin    *twin.Twin
	Monitor *telemetry.Monitor
	Desk    *dispatch.Desk // nil: no incidents
	// Auth identifies the callers; nil: only the server's own replays of
	// a drill's kept actions get in (every route but the public ones
	// answers 401).
	Auth *auth.Service
	// Hosts are the server's names (HostConfig.Hosts): a stream's Origin
	// must be one of them or of Origins. Empty: the request's own Host.
	Hosts []string
	// Origins are the browser origins, besides the server's own, that may
	// open the stream.
	Origins []string
	Stream  StreamConfig
	// IngestRate is the readings per second each gateway may send; 0: no
	// limit.
	IngestRate float64
	// ingest is the host's limits, shared by its twins; nil: the
	// server's own, from IngestRate.
	ingest *ingestLimits
	Logger *slog.Logger
	// Audit is the twin's audit trail; nil: none is served.
	Audit AuditLog
	// Metrics counts what the server does; nil: nothing is counted.
	Metrics *Metrics
	// Base is where the API of this twin is served: /api/v1 for the live
	// park, /api/v1/twins/{id} for a sandbox. Locations are made from it.
	Base string
}

// Server is the HTTP face of one twin.
type Server struct {
	app     *fiber.App
	twin    *twin.Twin
	mon     *telemetry.Monitor
	desk    *dispatch.Desk
	auth    *auth.Service
	table   []route
	assets  map[string]asset
	origins []string
	hosts   hostList
	rates   *ingestLimits
	hub     *hub
	log     *slog.Logger
	base    string
	audit   AuditLog
	metrics *Metrics
	ready   *twin.ReadinessCache // ledger.go
}

// New returns a server for cfg.Twin with every route registered.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Base == "" {
		cfg.Base = "/api/v1"
	}
	s := &Server{base: cfg.Base, twin: cfg.Twin, mon: cfg.Monitor, desk: cfg.Desk, auth: cfg.Auth, log: cfg.Logger,
		assets: withMessages(loadAssets(), cfg.Twin.Equipment()), origins: cfg.Origins, hosts: cfg.Hosts, rates: cfg.ingest,
		audit: cfg.Audit, metrics: cfg.Metrics, ready: twin.NewReadinessCache(cfg.Twin.Equipment())}
	if s.rates == nil {
		s.rates = newIngestLimits(cfg.IngestRate)
	}
	zr := dispatch.NewZoner(nil)
	if cfg.Desk != nil {
		zr = cfg.Desk.Zoner()
	}
	s.hub = newHub(cfg.Twin, cfg.Monitor, zr, s.ready, cfg.Stream, cfg.Logger)
	s.app = fiber.New(fiber.Config{
		AppName:               "parkd",
		BodyLimit:             MaxBodyBytes,
		DisableStartupMessage: true,
		// Values from the request outlive the handler: IDs go into events.
		Immutable:    true,
		ErrorHandler: s.handleError,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
	})
	// A server reached through a Host has had its request checked there
	// already; one served alone (tests, tools) checks its own.
	s.app.Use(pageHeaders, checkChange(s.hosts, s.origins))
	s.app.Use(actorMiddleware(s.app))
	s.routes()
	return s
}

// Serve answers requests on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	return s.app.Listener(ln)
}

// Shutdown closes the stream's connections, stops taking connections and
// waits for the requests in flight until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.hub.close(reasonShutdown)
	return s.app.ShutdownWithContext(ctx)
}

// end closes the stream's connections with CloseTwinEnded, so that no
// console goes on reconnecting to a sandbox that is gone, and stops the
// server.
func (s *Server) end(ctx context.Context) error {
	s.hub.close(reasonEnded)
	return s.app.ShutdownWithContext(ctx)
}

// handleError is the one place where errors become HTTP answers:
// {"error": code, "message": …, "field": …}, and "line" for an error in
// an uploaded file (a scenario) that knows its line.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code, msg, field := twin.ErrorCode(err), twin.ErrorMessage(err), twin.ErrorField(err)
	status := statusOf(code)
	var fe *fiber.Error
	var le *auth.LockedError
	if errors.As(err, &le) {
		status, code, msg = fiber.StatusTooManyRequests, "too_many_requests", le.Error()
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(le.RetryAfter.Seconds()))))
	} else if errors.As(err, &fe) {
		status, msg, field = fe.Code, fe.Message, ""
		code = codeOf(fe.Code)
	}
	s.metrics.Refused(status)
	if status == fiber.StatusInternalServerError {
		s.log.Error("request", "method", c.Method(), "path", c.Path(), "err", err)
		msg = "internal error"
	}
	body := fiber.Map{"error": code, "message": msg}
	if field != "" {
		body["field"] = field
	}
	if m := twin.ErrorMsg(err); m != nil && status != fiber.StatusInternalServerError {
		body["msg"] = m // the message coded, for the console's language (twin/msg)
	}
	var se *scenarios.Error
	if errors.As(err, &se) && se.Line > 0 {
		body["line"] = se.Line
	}
	return c.Status(status).JSON(body)
}

func statusOf(code string) int {
	switch code {
	case twin.EMALFORMED:
		return fiber.StatusBadRequest
	case twin.EINVALID:
		return fiber.StatusUnprocessableEntity
	case twin.ENOTFOUND:
		return fiber.StatusNotFound
	case twin.ECONFLICT, twin.EINSUFFICIENT:
		return fiber.StatusConflict
	case twin.EFORBIDDEN:
		return fiber.StatusForbidden
	case twin.EUNAUTHORIZED:
		return fiber.StatusUnauthorized
	case twin.ETOOLARGE:
		return fiber.StatusRequestEntityTooLarge
	case twin.EUNAVAILABLE:
		return fiber.StatusServiceUnavailable
	case twin.EPRECONDITION:
		return fiber.StatusPreconditionFailed
	case twin.EPRECONDREQUIRED:
		return fiber.StatusPreconditionRequired
	}
	return fiber.StatusInternalServerError
}

// codeOf names the errors fiber itself raises (no route, body too large).
func codeOf(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return twin.ENOTFOUND
	case fiber.StatusRequestEntityTooLarge:
		return twin.ETOOLARGE
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusMisdirectedRequest:
		return "misdirected"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case fiber.StatusTooManyRequests:
		return "too_many_requests"
	case fiber.StatusRequestTimeout:
		return "timeout"
	}
	if status >= 400 && status < 500 {
		return twin.EMALFORMED
	}
	return twin.EINTERNAL
}
