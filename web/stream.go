package web

import (
	"bytes"
	"encoding/json"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// parseLayers reads a list of layer names; empty means all of them.
func (s *Server) parseLayers(names []string) ([]string, error) {
	all := s.hub.layerNames()
	if len(names) == 0 {
		return all, nil
	}
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.Contains(all, n) {
			return nil, twin.Invalid("layers", "unknown layer %q (want some of %s)", n, strings.Join(all, ", "))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// streamCheck refuses what must not become a stream before the upgrade:
// a plain request, a foreign origin, unknown layers, a bad since.
func (s *Server) streamCheck(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return fiber.ErrUpgradeRequired
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && !s.originAllowed(origin, c.Get(fiber.HeaderHost)) {
		return twin.Errorf(twin.EFORBIDDEN, "", "origin %s may not open the stream", origin)
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
	if q := c.Query("since"); q != "" {
		since, err := strconv.ParseUint(q, 10, 64)
		if err != nil {
			return twin.Invalid("since", "want a sequence number, got %q", q)
		}
		c.Locals("since", since)
	}
	return c.Next()
}

// originAllowed lets a browser in from the server's own host or from an
// origin given in the configuration.
func (s *Server) originAllowed(origin, host string) bool {
	if slices.Contains(s.origins, origin) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == host
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
	since, resume := conn.Locals("since").(uint64)
	c, first, resumed, err := s.hub.join(layers, since, resume)
	if err != nil {
		s.log.Error("stream: snapshot", "err", err)
		conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseInternalServerErr, "internal error"), time.Now().Add(time.Second))
		return
	}
	if c == nil {
		conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "shutting down"), time.Now().Add(time.Second))
		return
	}
	defer s.hub.leave(c)

	var wg sync.WaitGroup
	writerDone := make(chan struct{})
	readerDone := make(chan struct{})
	// The connection goes back to the library's pool when this handler
	// returns: the reader and the watcher must be finished with it by
	// then.
	defer func() {
		close(writerDone)
		conn.SetReadDeadline(time.Now())
		wg.Wait()
	}()
	wg.Go(func() {
		defer close(readerDone)
		conn.SetReadLimit(64 << 10)
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if err := s.clientSays(c, b); err != nil {
				conn.WriteControl(websocket.CloseMessage,
					websocket.FormatCloseMessage(CloseBadClient, twin.ErrorMessage(err)), time.Now().Add(time.Second))
				return
			}
		}
	})
	wg.Go(func() {
		select {
		case <-writerDone:
			return
		case <-c.kicked:
		}
		// Cut off a write in flight, again each grace period in case the
		// writer set a later deadline in between.
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
		conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(CloseResync, "resync: reconnect with since"), time.Now().Add(kickGrace))
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
		if !write(valuesMessage(s.hub.lastSeq(), s.twin.Clock().Now(), s.allValues())) {
			return
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
		case msg := <-c.out:
			ok := write(msg)
			c.queued.Add(-int64(len(msg)))
			if !ok {
				return
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
		return twin.Invalid("layers", "name at least one layer")
	}
	layers, err := s.parseLayers(m.Layers)
	if err != nil {
		return err
	}
	switch m.Type {
	case "subscribe":
		return s.hub.addLayers(c, layers)
	case "unsubscribe":
		s.hub.removeLayers(c, layers)
	default:
		return twin.Invalid("type", "want subscribe or unsubscribe, got %q", m.Type)
	}
	return nil
}

func subscribedMessage(seq uint64, layers map[string]uint64) []byte {
	names := make([]string, 0, len(layers))
	for l := range layers {
		names = append(names, l)
	}
	slices.Sort(names)
	b, _ := json.Marshal(struct {
		Type   string   `json:"type"`
		Seq    uint64   `json:"seq"`
		Layers []string `json:"layers"`
	}{"subscribed", seq, names})
	return b
}

// layerSource is where a stream layer comes from. A source writes its
// layer as it stands in a view of the twin, and publishes its changes
// through hub.publish stamped with the seq of the twin's change they
// follow from. The hub holds every layer to the same rules: a snapshot
// at a seq, the changes after it in order, resume from the replay ring.
// The twin's kinds are the first sources; derived data (consequence
// zones, a drill's clock, warehouse readiness) can become others.
type layerSource interface {
	Name() string
	// WriteSnapshot writes the layer as one JSON value.
	WriteSnapshot(b *bytes.Buffer, v layerView) error
}

// layerView is what sources write their snapshots from.
type layerView struct {
	snap   *twin.Snapshot
	now    time.Time
	values map[string]telemetry.Value // the sensors' latest
}

// kindSource is the layer of one of the twin's kinds: its entities as
// the REST API gives them. Its changes are the twin's events, which the
// hub publishes itself.
type kindSource struct{ kind twin.Kind }

func (s kindSource) Name() string { return layerOf(s.kind) }

func (s kindSource) WriteSnapshot(b *bytes.Buffer, v layerView) error {
	if s.kind == twin.KindPark {
		p, err := json.Marshal(parkOf(v.snap, v.now))
		b.Write(p)
		return err
	}
	return writeLayer(b, v.snap, s.kind, "", v.values)
}

// layerNames lists every layer a client may hold.
func (h *hub) layerNames() []string {
	out := make([]string, len(h.sources))
	for i, src := range h.sources {
		out[i] = src.Name()
	}
	return out
}

// snapshotMessage writes the layers of snap as one snapshot message, the
// sensors with the values given. The park layer is the message's "park"
// member, the others are members of its "layers".
func (h *hub) snapshotMessage(snap *twin.Snapshot, layers []string, values map[string]telemetry.Value) ([]byte, error) {
	v := layerView{snap: snap, now: h.tw.Clock().Now(), values: values}
	var b bytes.Buffer
	b.WriteString(`{"type":"snapshot","seq":`)
	b.WriteString(strconv.FormatUint(snap.Seq(), 10))
	now, _ := json.Marshal(v.now)
	b.WriteString(`,"time":`)
	b.Write(now)
	park := layerOf(twin.KindPark)
	for _, src := range h.sources {
		if src.Name() == park && slices.Contains(layers, park) {
			b.WriteString(`,"park":`)
			if err := src.WriteSnapshot(&b, v); err != nil {
				return nil, err
			}
		}
	}
	b.WriteString(`,"layers":{`)
	n := 0
	for _, src := range h.sources {
		l := src.Name()
		if l == park || !slices.Contains(layers, l) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteByte('"')
		b.WriteString(l)
		b.WriteString(`":`)
		if err := src.WriteSnapshot(&b, v); err != nil {
			return nil, err
		}
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// layerOf names the stream layer of a kind: its REST collection.
func layerOf(k twin.Kind) string { return k.Path() }

func changeMessage(ev twin.Event, layer string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"change","seq":`)
	b.WriteString(strconv.FormatUint(ev.Seq, 10))
	b.WriteString(`,"op":"`)
	b.WriteString(ev.Op.String())
	b.WriteString(`","layer":"`)
	b.WriteString(layer)
	b.WriteString(`","id":`)
	id, _ := json.Marshal(ev.ID)
	b.Write(id)
	f, err := ev.Feature()
	if err != nil {
		return nil, err
	}
	if f != nil {
		b.WriteString(`,"feature":`)
		b.Write(f)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func valuesMessage(seq uint64, now time.Time, vals []telemetry.SensorValue) []byte {
	b := make([]byte, 0, 64+len(vals)*56)
	b = append(b, `{"type":"values","seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"time":"`...)
	b = now.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","values":[`...)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `["`...)
		b = append(b, v.Sensor...) // sensor IDs are plain: letters, digits, '-', '_'
		b = append(b, `",`...)
		b = strconv.AppendFloat(b, v.Value.Value, 'g', -1, 64)
		b = append(b, `,"`...)
		b = v.T.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `"]`...)
	}
	return append(b, "]}"...)
}

func heartbeatMessage(seq uint64, now time.Time) []byte {
	b, _ := json.Marshal(struct {
		Type string    `json:"type"`
		Seq  uint64    `json:"seq"`
		Time time.Time `json:"time"`
	}{"heartbeat", seq, now.UTC()})
	return b
}

// values returns every sensor's latest value, or nil without a Monitor.
func (s *Server) values() map[string]telemetry.Value { return s.hub.values() }

func (s *Server) allValues() []telemetry.SensorValue {
	vals := s.mon.Values()
	out := make([]telemetry.SensorValue, 0, len(vals))
	for id, v := range vals {
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
