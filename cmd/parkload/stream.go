package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// streamURL returns the stream's websocket address on base for layers;
// "" or "all" asks for every layer.
func streamURL(base, layers string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("--url: want http:// or https://, got %q", base)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/api/v1/stream"
	if layers != "" && layers != "all" {
		u.RawQuery = url.Values{"layers": {layers}}.Encode()
	}
	return u.String(), nil
}

// streamClient is one console on the stream, as the load sees it. Its
// fields are written by its reader alone and read once the reader is done.
type streamClient struct {
	conn *websocket.Conn
	buf  bytes.Buffer // the message being read; reused

	snapshot      time.Duration // dial to snapshot received
	snapshotBytes int

	latency *histogram // receive time − each value's t
	fanOut  *histogram // receive time − the values message's time (the server's tick)

	messages, bytes             int
	values, changes, heartbeats int
	entries                     int // [sensor, value, t] entries in values messages
	closeCode                   int // the code of a close frame from the server, 0 when none
	err                         error
}

// closeResync is the close code of a client the server dropped for
// falling behind.
const closeResync = 4001

// connect opens a stream client with the API token and reads its
// snapshot.
func connect(ctx context.Context, wsURL, token string) (*streamClient, error) {
	// The read buffer holds a good part of a values message (about 50
	// bytes a sensor) per read.
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 32 << 10}
	start := time.Now()
	conn, res, err := d.DialContext(ctx, wsURL, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		if res != nil {
			return nil, fmt.Errorf("open stream: %w (HTTP %s)", err, res.Status)
		}
		return nil, fmt.Errorf("open stream: %w", err)
	}
	c := &streamClient{conn: conn, latency: newHistogram(), fanOut: newHistogram()}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	msg, err := c.next()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	if kind(msg) != "snapshot" {
		conn.Close()
		return nil, fmt.Errorf("first message is %q, want a snapshot", kind(msg))
	}
	c.snapshot = time.Since(start)
	c.snapshotBytes = len(msg)
	conn.SetReadDeadline(time.Time{})
	return c, nil
}

// next reads one message into the client's buffer; the bytes are good
// until the next call.
func (c *streamClient) next() ([]byte, error) {
	_, r, err := c.conn.NextReader()
	if err != nil {
		return nil, err
	}
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return c.buf.Bytes(), nil
}

// read takes messages until the connection ends: the server closes it, or
// stopping is set and the load closes it. Values are timed against the
// receive time.
func (c *streamClient) read(cache *valuesCache, stopping *atomic.Bool) {
	for {
		msg, err := c.next()
		if err != nil {
			// Once stopping, the server's answer to the load's own close
			// frame, or the closed connection, ends the reader; a drop
			// counts still.
			var ce *websocket.CloseError
			switch {
			case errors.As(err, &ce) && (ce.Code == closeResync || !stopping.Load()):
				c.closeCode = ce.Code
			case !stopping.Load():
				c.err = err
			}
			return
		}
		recv := time.Now()
		c.messages++
		c.bytes += len(msg)
		switch kind(msg) {
		case "values":
			c.values++
			v := cache.get(msg)
			if v.err != nil {
				if c.err == nil {
					c.err = v.err
				}
				continue
			}
			c.fanOut.record(recv.Sub(v.sent))
			at := recv.UnixNano()
			for _, t := range v.ts {
				c.latency.record(time.Duration(at - t))
			}
			c.entries += v.entries
		case "change":
			c.changes++
		case "heartbeat":
			c.heartbeats++
		}
	}
}

// close says goodbye and closes the connection; the reader then ends.
func (c *streamClient) close() {
	c.conn.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.conn.Close()
}

// kind returns the type of a stream message. The server writes "type"
// first; anything else is decoded.
func kind(msg []byte) string {
	const prefix = `{"type":"`
	if rest, ok := bytes.CutPrefix(msg, []byte(prefix)); ok {
		if i := bytes.IndexByte(rest, '"'); i >= 0 {
			return string(rest[:i])
		}
	}
	var m struct {
		Type string `json:"type"`
	}
	json.Unmarshal(msg, &m)
	return m.Type
}

// agesAt returns the histogram of the values' ages at their tick. The
// readers must be done.
func (vc *valuesCache) agesAt() *histogram {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	return vc.ages
}

// parsedValues is one values message, read once for every client.
type parsedValues struct {
	ready   chan struct{} // closed once the fields below are set
	msg     []byte
	sent    time.Time // the message's time: the server's tick
	ts      []int64   // the t of each value of a driven sensor, in Unix nanoseconds
	entries int       // every value in the message
	err     error
}

// valuesCache parses each values message once. The server sends the same
// bytes to every client of a tick; parsing them 500 times would cost the
// load tool a core that the server under test needs. Each client still
// receives and compares every byte.
type valuesCache struct {
	driven map[string]bool // the sensors whose values are timed; nil: all

	mu    sync.Mutex
	byKey map[string]*parsedValues // by the message's head: its seq and time
	order []string                 // keys, oldest first; at most cacheSize
	ages  *histogram               // the message's time − each value's t, once per message
}

// cacheSize is how many ticks' messages are kept: clients read the same
// tick within a few ticks of one another, or they are dropped.
const cacheSize = 16

func newValuesCache(driven map[string]bool) *valuesCache {
	return &valuesCache{driven: driven, byKey: map[string]*parsedValues{}, ages: newHistogram()}
}

// get returns msg parsed, from the cache when another client has parsed
// the same message.
func (vc *valuesCache) get(msg []byte) *parsedValues {
	i := bytes.Index(msg, []byte(`"values":`))
	if i < 0 {
		return vc.parse(msg)
	}
	key := string(msg[:i])
	vc.mu.Lock()
	p, ok := vc.byKey[key]
	if !ok {
		p = &parsedValues{ready: make(chan struct{})}
		vc.byKey[key] = p
		vc.order = append(vc.order, key)
		if len(vc.order) > cacheSize {
			delete(vc.byKey, vc.order[0])
			vc.order = vc.order[1:]
		}
	}
	vc.mu.Unlock()
	if !ok {
		q := vc.parse(msg)
		p.msg, p.sent, p.ts, p.entries, p.err = bytes.Clone(msg), q.sent, q.ts, q.entries, q.err
		close(p.ready)
		vc.mu.Lock()
		for _, t := range p.ts {
			vc.ages.record(time.Duration(p.sent.UnixNano() - t))
		}
		vc.mu.Unlock()
		return p
	}
	<-p.ready
	if !bytes.Equal(p.msg, msg) {
		return vc.parse(msg)
	}
	return p
}

// parse reads a values message.
func (vc *valuesCache) parse(msg []byte) *parsedValues {
	var m struct {
		Time   time.Time           `json:"time"`
		Values [][]json.RawMessage `json:"values"`
	}
	p := &parsedValues{}
	if err := json.Unmarshal(msg, &m); err != nil {
		p.err = fmt.Errorf("values message: %w", err)
		return p
	}
	p.sent = m.Time
	p.entries = len(m.Values)
	p.ts = make([]int64, 0, len(m.Values))
	for _, v := range m.Values {
		var id string
		var t time.Time
		if len(v) != 3 || json.Unmarshal(v[0], &id) != nil || json.Unmarshal(v[2], &t) != nil {
			p.err = fmt.Errorf("values message: want [sensor, value, t], got %s", v)
			return p
		}
		if vc.driven == nil || vc.driven[id] {
			p.ts = append(p.ts, t.UnixNano())
		}
	}
	return p
}
