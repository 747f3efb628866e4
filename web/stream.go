package web

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/telemetry"
)

// StreamConfig tunes the stream; zero fields take the defaults.
type StreamConfig struct {
	Tick      time.Duration // sensor values are coalesced per tick (250 ms)
	Heartbeat time.Duration // 5 s
	Queue     int           // messages a client may have waiting (256)
	// QueueBytes bounds the bytes of those messages (32 MiB): a few
	// snapshots of a large park, not an unbounded pile of them.
	QueueBytes int64
	Replay     int // changes kept for clients that resume (10,000)
	// SnapshotBytes bounds the snapshot messages kept to be shared by the
	// clients that join at the same seq (64 MiB): a few of a large park.
	SnapshotBytes int64
	// ClosedAlarms is how many closed alarms, the latest, a snapshot's
	// alarms layer carries besides every alarm not closed (100: the
	// console's list shows as many); the others are at GET
	// /api/v1/alarms?state=closed. Negative: every one.
	ClosedAlarms int
	// ValuesBatch is the most values one values message carries (2,000):
	// a tick with more is sent as several messages.
	ValuesBatch int
}

func (c *StreamConfig) defaults() {
	if c.Tick <= 0 {
		c.Tick = 250 * time.Millisecond
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = 5 * time.Second
	}
	if c.Queue <= 0 {
		c.Queue = 256
	}
	if c.Replay <= 0 {
		c.Replay = 10_000
	}
	if c.QueueBytes <= 0 {
		c.QueueBytes = 32 << 20
	}
	if c.SnapshotBytes <= 0 {
		c.SnapshotBytes = 64 << 20
	}
	if c.ValuesBatch <= 0 {
		c.ValuesBatch = 2000
	}
	if c.ClosedAlarms == 0 {
		c.ClosedAlarms = 100
	}
}

// Close codes of the stream.
const (
	CloseResync    = 4001 // the client fell behind: reconnect with since
	CloseTwinEnded = 4004 // the twin was ended (a sandbox deleted): do not reconnect
	CloseBadClient = 4400 // a message from the client could not be read
	// CloseEnded: the session or token the stream was opened with
	// ended (logged out, its user changed or disabled, revoked): log in
	// again, or use another token.
	CloseEnded = 4401
	// CloseForbidden: a subscribe message named a layer the caller may
	// not read.
	CloseForbidden = 4403
	// CloseTooFast: the client sent more subscribe or unsubscribe
	// messages than subscribeBurst at once and one a second after.
	CloseTooFast = 4429
)

// closeReason is a websocket close code and its text, and whether a
// write in flight is cut off (cut): a client dropped for being too slow to
// take what is queued has a full socket, and the server going away waits
// for nobody; a client closed for what it sent gets the message being
// written, then the close, so that it learns why.
type closeReason struct {
	code int
	text string
	cut  bool
}

var (
	reasonResync    = closeReason{CloseResync, "resync: reconnect with since", true}
	reasonShutdown  = closeReason{1001, "shutting down", true} // RFC 6455 going away
	reasonEnded     = closeReason{CloseTwinEnded, "this twin has ended", true}
	reasonLoggedOut = closeReason{CloseEnded, "the session or token has ended: log in again", false}
	reasonTooFast   = closeReason{CloseTooFast, "too many subscribe messages: at most 20 at once, then one a second", false}
)

// closeMessage is a close frame's payload: the code, and the text cut to
// what a control frame holds (closeText): with a longer one the library
// sends no close frame at all, and the client sees only the connection
// drop (1006).
func closeMessage(code int, text string) []byte {
	return websocket.FormatCloseMessage(code, closeText(text))
}

// parseLayers reads a list of layer names; empty means all of them. A
// list may name each layer once: one longer than there are layers (in a
// subscribe message or ?layers=) is refused, not searched through.
func (s *Server) parseLayers(names []string) ([]string, error) {
	all := s.hub.layerNames()
	if len(names) == 0 {
		return all, nil
	}
	if len(names) > len(all) {
		return nil, twin.Reasoned(twin.EINVALID, "layers", fmt.Sprintf("%d names, at most %d: there are no more layers than that", len(names), len(all)),
			msg.New("error.tooMany", "field", "layers", "n", len(names), "max", len(all)))
	}
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.Contains(all, n) {
			return nil, twin.Reasoned(twin.EINVALID, "layers", fmt.Sprintf("unknown layer %q (want some of %s)", n, strings.Join(all, ", ")),
				msg.New("error.layer", "field", "layers", "got", n))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// streamCheck refuses what must not become a stream before the upgrade:
// a plain request, a foreign origin, unknown layers, an unknown
// enterprise, a bad since.
func (s *Server) streamCheck(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return fiber.ErrUpgradeRequired
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && !s.originAllowed(origin, c.Get(fiber.HeaderHost)) {
		return twin.Reasoned(twin.EFORBIDDEN, "", fmt.Sprintf("origin %s may not open the stream", origin), msg.New("error.originStream", "origin", origin))
	}
	var names []string
	if q := c.Query("layers"); q != "" {
		names = strings.Split(q, ",")
	}
	layers, err := s.parseLayers(names)
	if err != nil {
		return err
	}
	c.Locals("layers", layers)
	if ent := c.Query("enterprise"); ent != "" {
		if err := checkEnterprise(s.twin.Snapshot(), ent); err != nil {
			return err
		}
		c.Locals("enterprise", ent)
	}
	if q := c.Query("since"); q != "" {
		since, err := strconv.ParseUint(q, 10, 64)
		if err != nil {
			return twin.Reasoned(twin.EINVALID, "since", fmt.Sprintf("want a sequence number, got %q", q),
				msg.New("error.sequence", "field", "since", "got", q))
		}
		c.Locals("since", since)
	}
	return c.Next()
}

// originAllowed lets a browser in from one of the server's names or from
// an origin given in the configuration (edge.go).
func (s *Server) originAllowed(origin, host string) bool {
	return originAllowed(origin, host, s.hosts, s.origins)
}

// clientMessage is what a stream client may send.
type clientMessage struct {
	Type   string   `json:"type"`
	Layers []string `json:"layers"`
}

const (
	// pingEvery keeps idle connections through proxies and finds dead
	// peers.
	pingEvery    = 30 * time.Second
	writeTimeout = 10 * time.Second
	// kickGrace is how long a dropped client's writer may take to send
	// the resync close before its socket's deadlines cut it off.
	kickGrace = 250 * time.Millisecond
	// closeWait is how long the server waits, after its close frame, for
	// the client's before it closes the connection.
	closeWait = time.Second
)

// stream serves one client: its first messages (a snapshot, or the
// changes it missed), then whatever the hub queues for it. Its reader
// takes subscribe and unsubscribe messages.
//
// A client the hub drops must be gone at once, even when its socket is
// full and a write is blocked in it. Closing the connection does not do
// that: fasthttp closes a hijacked connection only after this handler
// returns. Deadlines in the past do, and are safe from any goroutine.
func (s *Server) stream(conn *websocket.Conn) {
	layers, _ := conn.Locals("layers").([]string)
	enterprise, _ := conn.Locals("enterprise").(string)
	since, resume := conn.Locals("since").(uint64)
	c, first, resumed, err := s.hub.join(layers, enterprise, since, resume)
	if err != nil {
		s.log.Error("stream: snapshot", "err", err)
		conn.WriteControl(websocket.CloseMessage,
			closeMessage(websocket.CloseInternalServerErr, "internal error"), time.Now().Add(time.Second))
		return
	}
	if c == nil {
		conn.WriteControl(websocket.CloseMessage,
			closeMessage(websocket.CloseGoingAway, "shutting down"), time.Now().Add(time.Second))
		return
	}
	defer s.hub.leave(c)
	c.mayRead, _ = conn.Locals(mayReadKey).([]string)
	if id, ok := identityIn(conn.Locals(identityKey)); ok && s.auth != nil {
		// The writer sends the close after the message it may be
		// writing, then ends the connection.
		defer s.auth.OnEnd(id, func() { s.hub.end(c, reasonLoggedOut) })()
	}

	var wg sync.WaitGroup
	writerDone := make(chan struct{})
	readerDone := make(chan struct{})
	// closeSent is set once a close frame has gone to the client, by the
	// writer or by the reader.
	var closeSent atomic.Bool
	// The connection goes back to the library's pool when this handler
	// returns: the reader and the watcher must be finished with it by
	// then. After a close frame the reader goes on a while, reading and
	// dropping what the client sent, until the client's close answers
	// ours (RFC 6455 §7.1.1). Closed with unread bytes of the client's in
	// its buffer, a socket is reset instead of closed (RST, not FIN), and
	// the client's system throws away what it had not read yet: the close
	// frame, and the reason in it. A client flooding the stream with
	// subscribe messages saw 1006 and a reset instead of 4429 so.
	defer func() {
		close(writerDone)
		end := time.Now()
		if closeSent.Load() {
			end = end.Add(closeWait)
		}
		conn.SetReadDeadline(end)
		wg.Wait()
	}()
	wg.Go(func() {
		defer close(readerDone)
		conn.SetReadLimit(64 << 10)
		// drain reads and drops what the client sends until its close
		// (or the deadline the handler sets once the writer is done).
		drain := func() {
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
			}
		}
		// Each message may make a snapshot: a client sending them
		// faster than any console does is closed, not served.
		lim := newSubscribeLimit()
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if !lim.Allow() {
				// The writer sends the close after the message it may
				// be writing. The reader stays until the client
				// answers it: ending sooner would end the writer
				// (readerDone) before it has sent the close.
				s.hub.kickFor(c, reasonTooFast)
				drain()
				return
			}
			if err := s.clientSays(c, b); err != nil {
				code := CloseBadClient
				if twin.ErrorCode(err) == twin.EFORBIDDEN {
					code = CloseForbidden
				}
				if conn.WriteControl(websocket.CloseMessage,
					closeMessage(code, twin.ErrorMessage(err)), time.Now().Add(time.Second)) == nil {
					closeSent.Store(true)
					conn.SetReadDeadline(time.Now().Add(closeWait))
					drain()
				}
				return
			}
		}
	})
	// Once kicked for being slow, cut off a write in flight, again each
	// grace period in case the writer set a later deadline in between.
	// Nothing waits for the kick until it comes: a client costs two
	// goroutines, not three.
	var cutMu sync.Mutex
	ended := false // guarded by cutMu: no goroutine may start once set
	stopCutter := context.AfterFunc(c.kickCtx, func() {
		cutMu.Lock()
		defer cutMu.Unlock()
		if ended || !c.why.cut {
			return
		}
		wg.Go(func() {
			tick := time.NewTicker(kickGrace)
			defer tick.Stop()
			for {
				select {
				case <-writerDone:
					return
				case <-tick.C:
					conn.NetConn().SetDeadline(time.Now())
				}
			}
		})
	})
	defer func() {
		stopCutter()
		cutMu.Lock()
		ended = true
		cutMu.Unlock()
	}()

	kicked := func() bool {
		select {
		case <-c.kicked:
			return true
		default:
			return false
		}
	}
	// After a failed write the library sends nothing more, so a resync
	// never follows half a message.
	resync := func() {
		wait := kickGrace
		if !c.why.cut {
			wait = writeTimeout
		}
		if conn.WriteControl(websocket.CloseMessage, closeMessage(c.why.code, c.why.text), time.Now().Add(wait)) == nil {
			closeSent.Store(true)
		}
	}
	write := func(msg []byte) bool {
		if kicked() {
			resync()
			return false
		}
		conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		return conn.WriteMessage(websocket.TextMessage, msg) == nil
	}
	for _, m := range first {
		if !write(m) {
			return
		}
	}
	if resumed && slices.Contains(layers, layerOf(twin.KindSensor)) && s.mon != nil {
		// A resumed client missed values, which are not replayed: send
		// every sensor's latest.
		for _, m := range s.hub.valuesMessages(s.hub.lastSeq(), s.twin.Clock().Now(), s.allValues(enterprise)) {
			if !write(m) {
				return
			}
		}
	}

	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		// A kick goes first: what is still queued would only delay it.
		if kicked() {
			resync()
			return
		}
		select {
		case <-c.wake:
			for _, msg := range c.take() {
				ok := write(msg)
				c.queued.Add(-int64(len(msg)))
				c.count.Add(-1)
				if !ok {
					return
				}
			}
		case <-c.kicked:
			resync()
			return
		case <-ping.C:
			if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout)) != nil {
				return
			}
		case <-readerDone:
			return
		}
	}
}

// clientSays handles one message from a stream client.
func (s *Server) clientSays(c *client, b []byte) error {
	var m clientMessage
	if err := decodeStrict(b, &m, "a stream message"); err != nil {
		return err
	}
	if len(m.Layers) == 0 {
		return twin.Reasoned(twin.EINVALID, "layers", "name at least one layer", msg.New("error.required", "field", "layers"))
	}
	layers, err := s.parseLayers(m.Layers)
	if err != nil {
		return err
	}
	switch m.Type {
	case "subscribe":
		for _, l := range layers {
			if c.mayRead != nil && !slices.Contains(c.mayRead, l) {
				return layerForbidden(l)
			}
		}
		return s.hub.addLayers(c, layers)
	case "unsubscribe":
		s.hub.removeLayers(c, layers)
	default:
		return twin.Reasoned(twin.EINVALID, "type", fmt.Sprintf("want subscribe or unsubscribe, got %q", m.Type),
			msg.New("error.streamType", "field", "type", "got", m.Type))
	}
	return nil
}

func (s *Server) values() map[string]telemetry.Value { return s.hub.values() }

// allValues returns every sensor's latest value, or with ent those of
// that enterprise's sensors, in order of sensor.
func (s *Server) allValues(ent string) []telemetry.SensorValue {
	vals := s.mon.Values()
	snap := s.twin.Snapshot()
	out := make([]telemetry.SensorValue, 0, len(vals))
	for id, v := range vals {
		if ent != "" {
			sen, ok := snap.Get(twin.KindSensor, id)
			if !ok || enterpriseOf(snap, sen) != ent {
				continue
			}
		}
		out = append(out, telemetry.SensorValue{Sensor: id, Value: v})
	}
	slices.SortFunc(out, func(a, b telemetry.SensorValue) int { return strings.Compare(a.Sensor, b.Sensor) })
	return out
}

// stats answers GET /api/v1/stats: what an operator or a load test needs
// to see of the server.
func (s *Server) stats(c *fiber.Ctx) error {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s.hub.mu.Lock()
	clients := len(s.hub.clients)
	s.hub.mu.Unlock()
	return c.JSON(fiber.Map{
		"seq":           s.twin.Snapshot().Seq(),
		"streamClients": clients,
		"streamDropped": s.hub.dropped.Load(),
		"heapBytes":     ms.HeapAlloc,
		"sysBytes":      ms.Sys,
		"goroutines":    runtime.NumGoroutine(),
	})
}
