package web

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// hub fans the twin's changes, the sensors' values and heartbeats out to
// the stream's clients. Inside, it reads every event of the twin in order
// (a twin subscription never loses one); towards clients it is bounded
// and never blocks: a client whose queue is full is dropped with
// CloseResync and resumes from the replay buffer (design rule 8).
//
// Lock order: hub.mu, then the twin's clock (a SimClock's lock); nothing
// else is taken under hub.mu. The Monitor's values are read before it
// (the Monitor holds its lock through a commit), snapshots are encoded
// outside it but as bring's last resort, and sockets are written by each
// client's own writer. A client's queue is only sent to under hub.mu, so
// messages reach it in the order they were fanned out. The snapshots'
// cache (snapshots.mu) is taken under hub.mu, and bring's last resort
// waits under hub.mu for a snapshot another client is building: building
// one never takes hub.mu.
type hub struct {
	tw  *twin.Twin
	mon *telemetry.Monitor
	cfg StreamConfig
	log *slog.Logger

	sources []layerSource // one per layer, in the order of a snapshot's members
	zones   *zoneFan      // the zones layer's fan-out (zonelayer.go)
	ready   *readinessFan // the readiness layer's (readinesslayer.go)

	mu      sync.Mutex
	closed  bool
	clients map[*client]struct{}
	ring    []change // the last cfg.Replay changes, oldest at ring[head]
	head    int
	start   uint64 // the twin's seq when the hub began: nothing before is kept
	// evictedDerived: a derived change has left the ring, the last at
	// evictedDerivedSeq; a client at that seq or before cannot resume.
	evictedDerived    bool
	evictedDerivedSeq uint64
	last              uint64 // seq of the last change fanned out
	moved             uint64 // seq of the last change that moved an entity between enterprises
	// ticks are the values messages of the last ticksKept ticks, oldest
	// first: they bridge a snapshot's values to the fan-out's.
	ticks []*valuesTick
	// sensorEnts serves the values of a tick to filtered clients.
	sensorEnts sensorEnterprises

	// gen counts the ticks that sent values. It moves only with h.mu
	// held, after the tick's values were drained from the Monitor: values
	// read once gen reads g are at least as new as tick g's.
	gen   atomic.Uint64
	snaps *snapshots

	dropped atomic.Int64
	stop    context.CancelFunc
	done    sync.WaitGroup
}

// change is one change of one layer, as sent to clients.
type change struct {
	seq   uint64
	layer string
	ent   string // the enterprise of the entity (enterpriseOf), "" for every client
	// left is the enterprise the entity belonged to before, when the
	// change moved it to another: the clients filtered to either must
	// see both layers anew.
	left string
	msg  []byte
	// derived: a change of a derived layer (zones), stamped with the seq
	// of the twin's change it follows from. It is sent and replayed to a
	// client at that seq too (after reports whether it is owed).
	derived bool
}

// after reports whether a client that holds the layer from seq is owed
// the change: a twin's change after it, a derived one at it or after.
func (ch change) after(seq uint64) bool {
	return ch.seq > seq || ch.derived && ch.seq == seq
}

// client is one stream connection as the hub sees it.
type client struct {
	layers map[string]uint64 // layer → seq after which its changes are sent; guarded by hub.mu
	// enterprise, when set, narrows the layers filtered by enterprise to
	// its entities and the values to its sensors; set at join.
	enterprise string
	// mayRead, when set, are the layers the client may subscribe to (an
	// enterprise user's); set at join, read by its reader alone.
	mayRead []string
	// queue holds the messages waiting for the client's writer, at most
	// cfg.Queue of them and cfg.QueueBytes (full means dropped). A slice
	// grown as needed, not a channel of cfg.Queue slots: an idle console
	// holds none (6 KiB each at the default 256).
	qmu    sync.Mutex
	queue  [][]byte      // guarded by qmu
	wake   chan struct{} // cap 1: the writer re-reads the queue once woken
	queued atomic.Int64  // bytes queued and not yet written, bounded by cfg.QueueBytes
	count  atomic.Int64  // messages queued and not yet written, bounded by cfg.Queue
	kicked chan struct{} // closed when the hub drops the client
	// kickCtx ends when the hub drops the client, for work to be started
	// then and not before (context.AfterFunc: no goroutine waits for it).
	kickCtx context.Context
	kick    context.CancelFunc
	gone    bool // guarded by hub.mu
	// why is the close the client is sent once kicked: set before kicked
	// is closed, read after.
	why closeReason
}

// unstreamed are the kinds without a layer: a ledger only grows, read
// through its warehouse's routes; the shift handovers are the duty's
// own, read at their routes by the duty officers and commanders alone.
var unstreamed = map[twin.Kind]bool{twin.KindLedger: true, twin.KindHandover: true}

func newHub(tw *twin.Twin, mon *telemetry.Monitor, zr *dispatch.Zoner, ready *twin.ReadinessCache, cfg StreamConfig, log *slog.Logger) *hub {
	cfg.defaults()
	h := &hub{tw: tw, mon: mon, cfg: cfg, log: log, clients: map[*client]struct{}{}, snaps: newSnapshots(cfg.SnapshotBytes)}
	for _, k := range twin.Kinds {
		if unstreamed[k] {
			continue
		}
		h.sources = append(h.sources, kindSource{kind: k, closedAlarms: cfg.ClosedAlarms})
	}
	h.sources = append(h.sources, zoneSource{zr}, readinessSource{ready})
	ctx, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	snap, sub := tw.Subscribe()
	h.last, h.start = snap.Seq(), snap.Seq()
	h.zones = &zoneFan{zr: zr, last: map[string]*dispatch.IncidentZones{}}
	for _, z := range zr.All(snap, tw.Clock().Now()) {
		h.zones.last[z.Incident] = z
	}
	h.ready = newReadinessFan(ready, snap, tw.Clock().Now())
	h.done.Go(func() {
		defer sub.Close()
		for {
			evs, err := sub.Next(ctx)
			if err != nil {
				return
			}
			h.fanOut(evs)
		}
	})
	h.done.Go(func() { h.tickLoop(ctx) })
	return h
}

// close stops the hub and drops every client, telling it why: the
// server is going away, or the twin itself has ended.
func (h *hub) close(why closeReason) {
	h.stop()
	h.done.Wait()
	h.mu.Lock()
	h.closed = true
	for c := range h.clients {
		h.dropFor(c, why)
	}
	h.mu.Unlock()
}

// lastSeq returns the seq of the last change fanned out.
func (h *hub) lastSeq() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

// fanOut publishes the twin's events as changes of their kinds' layers,
// and after them the zones they moved.
func (h *hub) fanOut(evs []twin.Event) {
	chs := make([]change, 0, len(evs))
	var snap *twin.Snapshot // for a sensor's subject; at or after evs
	moves := false          // whether an event may move a zone
	stock := false          // whether an event may change a readiness
	for _, ev := range evs {
		stock = stock || readinessKinds[ev.Kind]
		if unstreamed[ev.Kind] {
			continue // no layer: see newHub
		}
		moves = moves || zoneKinds[ev.Kind]
		layer := layerOf(ev.Kind)
		msg, err := changeMessage(ev, layer)
		if err != nil {
			h.log.Error("stream: encode change", "seq", ev.Seq, "err", err)
			continue
		}
		ent, left := "", ""
		if byEnterprise[ev.Kind] {
			if snap == nil {
				snap = h.tw.Snapshot()
			}
			var prev string
			if ev.Prev != nil {
				prev = enterpriseOf(snap, ev.Prev)
			}
			ent = prev // a deletion: its enterprise's clients alone
			if ev.Entity != nil {
				ent = enterpriseOf(snap, ev.Entity)
				if ev.Prev != nil && prev != ent {
					left = prev // it moved
				}
			}
		}
		chs = append(chs, change{seq: ev.Seq, layer: layer, ent: ent, left: left, msg: msg})
	}
	h.zones.mu.Lock()
	defer h.zones.mu.Unlock()
	if moves && len(evs) > 0 {
		chs = append(chs, h.zoneChanges(h.tw.Snapshot(), h.tw.Clock().Now(), evs[len(evs)-1].Seq)...)
	}
	h.ready.mu.Lock()
	defer h.ready.mu.Unlock()
	if stock && len(evs) > 0 {
		chs = append(chs, h.readinessChanges(h.tw.Snapshot(), h.tw.Clock().Now(), evs[len(evs)-1].Seq)...)
	}
	h.publish(chs)
}

// publish sends each change to the clients holding its layer and keeps
// it for resuming clients. Seqs must not go down, or resuming would skip
// changes: a change below the last published is refused.
func (h *hub) publish(chs []change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range chs {
		if ch.seq < h.last {
			h.log.Error("stream: change out of order", "layer", ch.layer, "seq", ch.seq, "last", h.last)
			continue
		}
		h.remember(ch)
		h.last = ch.seq
		if ch.left != "" {
			// An entity moved between enterprises (and with a subject,
			// its sensors): the clients filtered to either take both
			// anew, from a snapshot (join refuses them a replay).
			h.moved = ch.seq
		}
		for c := range h.clients {
			if ch.left != "" && c.enterprise != "" && (c.enterprise == ch.ent || c.enterprise == ch.left) {
				h.drop(c)
				continue
			}
			if after, ok := c.layers[ch.layer]; ok && ch.after(after) && sees(c.enterprise, ch.ent) {
				h.send(c, ch.msg)
			}
		}
	}
}

// remember keeps a change for resuming clients. Must be called with h.mu
// held.
func (h *hub) remember(e change) {
	if len(h.ring) < h.cfg.Replay {
		h.ring = append(h.ring, e)
		return
	}
	if old := h.ring[h.head]; old.derived {
		h.evictedDerived, h.evictedDerivedSeq = true, old.seq
	}
	h.ring[h.head] = e
	h.head = (h.head + 1) % len(h.ring)
}

// replay returns the remembered changes owed to a client at since (after
// it, and the derived ones at it), in order, and whether the buffer
// reaches back that far. Must be called with h.mu held.
func (h *hub) replay(since uint64) ([]change, bool) {
	n := len(h.ring)
	switch {
	case since > h.last:
		return nil, false // from another database, or a future we never had
	case since < h.start:
		return nil, false // before the hub began
	case n > 0 && h.ring[h.head].seq > since+1:
		return nil, false // a change after since was forgotten
	case h.evictedDerived && h.evictedDerivedSeq >= since:
		return nil, false // a derived change at since was forgotten
	}
	var out []change
	for i := range n {
		e := h.ring[(h.head+i)%n]
		if e.after(since) {
			out = append(out, e)
		}
	}
	return out, true
}

// send queues msg for c, or drops c when its queue is full. Must be
// called with h.mu held.
func (h *hub) send(c *client, msg []byte) {
	if c.gone {
		return
	}
	if c.queued.Load()+int64(len(msg)) > h.cfg.QueueBytes {
		h.dropped.Add(1)
		h.drop(c)
		return
	}
	if c.count.Load() >= int64(h.cfg.Queue) {
		h.dropped.Add(1)
		h.drop(c)
		return
	}
	c.qmu.Lock()
	c.queue = append(c.queue, msg)
	c.qmu.Unlock()
	c.queued.Add(int64(len(msg)))
	c.count.Add(1)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take returns the messages queued for c, in order, and empties the
// queue.
func (c *client) take() [][]byte {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	msgs := c.queue
	c.queue = nil
	return msgs
}

// drop takes c out of the hub and tells its writer to close the
// connection. Must be called with h.mu held.
func (h *hub) drop(c *client) { h.dropFor(c, reasonResync) }

// dropFor is drop with the reason the client is told. Must be called with
// h.mu held.
func (h *hub) dropFor(c *client, why closeReason) {
	if c.gone {
		return
	}
	c.gone = true
	c.why = why
	delete(h.clients, c)
	close(c.kicked)
	c.kick()
}

// kickFor drops c, telling it why, and counts it dropped: its writer
// stops sending what is queued and closes the connection.
func (h *hub) kickFor(c *client, why closeReason) {
	h.mu.Lock()
	if !c.gone {
		h.dropped.Add(1)
	}
	h.dropFor(c, why)
	h.mu.Unlock()
}

// end drops c, telling it why, without counting it dropped: its
// credential ended, it did not fall behind.
func (h *hub) end(c *client, why closeReason) {
	h.mu.Lock()
	h.dropFor(c, why)
	h.mu.Unlock()
}

// leave takes a client that went away out of the hub.
func (h *hub) leave(c *client) {
	h.mu.Lock()
	if !c.gone {
		c.gone = true
		delete(h.clients, c)
	}
	h.mu.Unlock()
}

// join registers a client for layers and returns the messages to send it
// before its queue. With resume, when the replay ring holds every change
// after since, they are the changes it missed (resumed); otherwise they
// are a snapshot and the changes that follow it (see bring). With
// enterprise the client gets that enterprise's part of the layers filtered
// by it. A nil client means the hub has closed.
func (h *hub) join(layers []string, enterprise string, since uint64, resume bool) (c *client, first [][]byte, resumed bool, err error) {
	c = &client{layers: map[string]uint64{}, enterprise: enterprise, wake: make(chan struct{}, 1), kicked: make(chan struct{})}
	c.kickCtx, c.kick = context.WithCancel(context.Background())
	if resume {
		h.mu.Lock()
		closed := h.closed
		missed, ok := h.replay(since)
		if enterprise != "" && since < h.moved {
			ok = false // something moved between enterprises since: a snapshot
		}
		if ok && !closed {
			for _, l := range layers {
				c.layers[l] = h.last
			}
			for _, e := range missed {
				if _, ok := c.layers[e.layer]; ok && sees(enterprise, e.ent) {
					first = append(first, e.msg)
				}
			}
			h.clients[c] = struct{}{}
		}
		h.mu.Unlock()
		switch {
		case closed:
			return nil, nil, false, nil
		case ok:
			return c, first, true, nil
		}
	}
	ok, err := h.bring(c, layers, func(_ uint64, msgs [][]byte) {
		first = msgs
		h.clients[c] = struct{}{}
	})
	if !ok {
		return nil, nil, false, err
	}
	return c, first, false, nil
}

// addLayers gives c the layers it does not hold yet: it queues the
// subscribed answer, then their snapshot and the changes after it.
func (h *hub) addLayers(c *client, layers []string) error {
	h.mu.Lock()
	var added []string
	for _, l := range layers {
		if _, ok := c.layers[l]; !ok {
			added = append(added, l)
		}
	}
	if len(added) == 0 || c.gone {
		h.send(c, subscribedMessage(h.last, c.layers))
		h.mu.Unlock()
		return nil
	}
	h.mu.Unlock()
	_, err := h.bring(c, added, func(seq uint64, msgs [][]byte) {
		h.send(c, subscribedMessage(seq, c.layers))
		for _, m := range msgs {
			h.send(c, m)
		}
	})
	return err
}

// removeLayers takes layers from c and queues the subscribed answer.
func (h *hub) removeLayers(c *client, layers []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, l := range layers {
		delete(c.layers, l)
	}
	h.send(c, subscribedMessage(h.last, c.layers))
}

// values returns every sensor's latest value, or nil without a Monitor.
// It must not be called with h.mu held: the Monitor's lock may be held
// through a commit.
func (h *hub) values() map[string]telemetry.Value {
	if h.mon == nil {
		return nil
	}
	return h.mon.Values()
}
