package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	"parktwin/web/auth"
)

// upgrade lets through a gateway's websocket, from no page but the
// server's own: a browser sends any page's Origin with a websocket, and
// a token in its URL may have leaked to one.
func (s *Server) upgrade(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return fiber.ErrUpgradeRequired
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && !s.originAllowed(origin, c.Get(fiber.HeaderHost)) {
		return twin.Reasoned(twin.EFORBIDDEN, "", fmt.Sprintf("origin %s may not open a gateway's stream", quote(origin)), msg.New("error.originStream", "origin", origin))
	}
	return c.Next()
}

// ingestAnswer is the answer to a batch of readings.
type ingestAnswer struct {
	Accepted int                   `json:"accepted"`
	Rejected []telemetry.Rejection `json:"rejected"`
	// Durable says whether the accepted readings are on disk. The alarms
	// and other changes they made are, before the answer; the readings
	// themselves are history written once a minute (history.flush of the
	// monitoring rules), so a crash before then loses them: a gateway
	// that must not lose one keeps it that long.
	Durable bool `json:"durable"`
}

func (s *Server) ingest(c *fiber.Ctx) error {
	id, _ := identityOf(c)
	ans, err := s.ingestBatch(c.UserContext(), c, id, c.Body())
	if err != nil {
		return err
	}
	return c.JSON(ans)
}

// ingestBatch takes one {"readings": [...]} from a gateway: each bad
// reading is named, the rest applied. c, when not nil, is the POST, for
// its Retry-After.
func (s *Server) ingestBatch(ctx context.Context, c *fiber.Ctx, id auth.Identity, body []byte) (ingestAnswer, error) {
	rs, idx, rej, err := telemetry.DecodeBatch(body)
	if err != nil {
		return ingestAnswer{}, twin.Reasoned(twin.EMALFORMED, "", err.Error(), msg.New("error.malformedJSON"))
	}
	if n := len(rs) + len(rej); n > MaxBatchReadings {
		return ingestAnswer{}, tooMany(n)
	}
	if err := s.mayWrite(id, rs); err != nil {
		return ingestAnswer{}, err
	}
	if ok, wait := s.rates.take(id.User, len(rs)+len(rej)); !ok {
		return ingestAnswer{}, errTooFast(c, wait)
	}
	n, more, err := s.mon.Ingest(ctx, rs)
	s.metrics.Ingested(s.twin.ID(), n, len(rej)+len(more))
	if err != nil {
		return ingestAnswer{}, err
	}
	for _, r := range more {
		r.Index = idx[r.Index]
		rej = append(rej, r)
	}
	slices.SortFunc(rej, func(a, b telemetry.Rejection) int { return a.Index - b.Index })
	if rej == nil {
		rej = []telemetry.Rejection{}
	}
	return ingestAnswer{Accepted: n, Rejected: rej}, nil
}

// ingestStream takes batches from a gateway that keeps its connection
// open: each text message a batch, each answered in turn.
func (s *Server) ingestStream(conn *websocket.Conn) {
	id, _ := identityIn(conn.Locals(identityKey))
	name := id.User
	conn.SetReadLimit(MaxBodyBytes) // as a POST's body
	// The connection's request is gone once upgraded: its actor is made
	// again from what the upgrade left.
	ctx := twin.WithActor(context.Background(), twin.Actor{User: "gateway:" + name, Role: "gateway",
		Addr: conn.IP(), Route: "GET /api/v1/telemetry/ws"})
	// revoked: no batch is taken once the token is revoked, even one
	// read before the gateway saw the close.
	var revoked atomic.Bool
	if s.auth != nil {
		// A revoked token's connection closes at once, not at its next
		// batch: the close goes out beside any answer being written
		// (WriteControl may be called so), and the deadline ends the
		// reader once the gateway answers it or after closeWait. The
		// connection is the library's again once this handler returns:
		// done keeps the watcher off it then.
		var mu sync.Mutex
		done := false
		stop := s.auth.OnEnd(id, func() {
			mu.Lock()
			defer mu.Unlock()
			revoked.Store(true)
			if done {
				return
			}
			conn.WriteControl(websocket.CloseMessage, closeMessage(CloseEnded, "the token has been revoked"),
				time.Now().Add(time.Second))
			conn.SetReadDeadline(time.Now().Add(closeWait))
		})
		defer func() {
			stop()
			mu.Lock()
			done = true
			mu.Unlock()
		}()
	}
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if revoked.Load() {
			continue // read and dropped until the gateway's close
		}
		ans, err := s.ingestBatch(ctx, nil, id, msg)
		var out any = ans
		var fe *fiber.Error
		switch {
		case errors.As(err, &fe):
			out = fiber.Map{"error": codeOf(fe.Code), "message": fe.Message}
		case err != nil:
			out = fiber.Map{"error": twin.ErrorCode(err), "message": twin.ErrorMessage(err)}
		}
		b, _ := json.Marshal(out)
		if err := conn.WriteMessage(websocket.TextMessage, b); err != nil {
			s.log.Info("gateway stream closed", "gateway", name, "err", err)
			return
		}
	}
}

// mayWrite refuses a batch holding a reading of a sensor the gateway may
// not write: the whole batch, naming the first such sensor.
func (s *Server) mayWrite(id auth.Identity, rs []telemetry.Reading) error {
	if id.Role != auth.Gateway || len(id.Sensors) == 0 && len(id.Enterprises) == 0 {
		return nil
	}
	snap := s.twin.Snapshot()
	for _, r := range rs {
		ent := ""
		if e, ok := snap.Get(twin.KindSensor, r.Sensor); ok {
			ent = enterpriseOf(snap, e)
		}
		if !id.MayWrite(r.Sensor, ent) {
			return twin.Reasoned(twin.EFORBIDDEN, "sensor", fmt.Sprintf("gateway %s may not send readings of %s", id.User, r.Sensor),
				msg.New("error.gatewaySensor", "gateway", id.User, "sensor", r.Sensor))
		}
	}
	return nil
}

func (s *Server) history(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, ok := s.twin.Snapshot().Get(twin.KindSensor, id); !ok {
		return twin.NotFound(twin.KindSensor, id)
	}
	now := s.twin.Clock().Now()
	from, err := timeParam(c, "from", now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	to, err := timeParam(c, "to", now.Add(time.Minute))
	if err != nil {
		return err
	}
	if !from.Before(to) {
		return twin.NotBefore("from", from.Format(time.RFC3339), to.Format(time.RFC3339), "must be before to")
	}
	bs, err := s.mon.History(id, from, to)
	if err != nil {
		return err
	}
	type bucketJSON struct {
		T     time.Time `json:"t"`
		Min   float64   `json:"min"`
		Max   float64   `json:"max"`
		Mean  float64   `json:"mean"`
		Last  float64   `json:"last"`
		Count int       `json:"count"`
	}
	out := make([]bucketJSON, len(bs))
	for i, b := range bs {
		out[i] = bucketJSON{b.Minute, b.Min, b.Max, b.Mean(), b.Last, b.Count}
	}
	return c.JSON(fiber.Map{"sensor": id, "from": from, "to": to, "buckets": out})
}

func timeParam(c *fiber.Ctx, name string, def time.Time) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, twin.BadTime(name, v, fmt.Sprintf("want an RFC 3339 time, got %q", v))
	}
	return t, nil
}

// action is the body of a lifecycle action; every field is optional
// except where the action says otherwise.
type action struct {
	// By is ignored: who acts comes from the session or token (kept
	// so that bodies written before, and drills' kept actions, decode).
	By     string `json:"by"`
	Note   string `json:"note"`
	Cause  string `json:"cause"`
	Act    string `json:"action"`
	State  string `json:"state"`
	Reason string `json:"reason"`
	// DurationS is how long an alarm is shelved, in seconds.
	DurationS float64 `json:"durationS"`
}

func readAction(c *fiber.Ctx) (action, error) {
	var a action
	body := bytes.TrimSpace(c.Body())
	if len(body) == 0 {
		return a, nil
	}
	return a, decodeStrict(body, &a, "an action")
}

// act runs an action on the monitor and answers with the entity it left.
func (s *Server) act(c *fiber.Ctx, do func(action) (twin.Entity, error)) error {
	a, err := readAction(c)
	if err != nil {
		return err
	}
	e, err := do(a)
	if err != nil {
		return err
	}
	setSeq(c, s.twin.Snapshot().Seq())
	return sendFeature(c, fiber.StatusOK, e)
}

func (s *Server) ackAlarm(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.mon.AckAlarm(c.UserContext(), c.Params("id"), actorName(c), a.Note))
	})
}

func (s *Server) closeAlarm(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.mon.CloseAlarm(c.UserContext(), c.Params("id"), actorName(c), a.Note))
	})
}

// shelveAlarm sets an alarm aside for durationS with a reason; the
// Monitor brings it back when the time is up.
func (s *Server) shelveAlarm(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		// Clamped so that the conversion cannot overflow: anything near
		// the bound is refused by the Monitor anyway, with the limit.
		d := time.Duration(min(a.DurationS, 1e9) * float64(time.Second))
		return wrap(s.mon.ShelveAlarm(c.UserContext(), c.Params("id"), actorName(c), d, a.Reason))
	})
}

func (s *Server) ackOrder(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.mon.AckOrder(c.UserContext(), c.Params("id"), actorName(c)))
	})
}

func (s *Server) answerOrder(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.mon.AnswerOrder(c.UserContext(), c.Params("id"),
			twin.Feedback{Cause: a.Cause, Action: a.Act, Note: a.Note, By: actorName(c)}))
	})
}

func (s *Server) closeOrder(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.mon.CloseOrder(c.UserContext(), c.Params("id"), actorName(c)))
	})
}

func (s *Server) returnOrder(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.mon.ReturnOrder(c.UserContext(), c.Params("id"), a.Note))
	})
}

func (s *Server) taskDone(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.mon.TaskDone(c.UserContext(), c.Params("id"), actorName(c)))
	})
}

func (s *Server) moveDanger(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		var st twin.DangerState
		if err := st.UnmarshalText([]byte(a.State)); err != nil {
			return nil, twin.InField("state", err)
		}
		return wrap(s.mon.MoveDanger(c.UserContext(), c.Params("id"), st))
	})
}

func (s *Server) registerDanger(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	e, err := twin.DecodeFeatureOf(twin.KindDanger, body)
	if err != nil {
		return err
	}
	d, err := s.mon.RegisterDanger(c.UserContext(), e.(*twin.Danger))
	if err != nil {
		return err
	}
	c.Location(s.base + "/hidden-dangers/" + d.ID)
	return sendFeature(c, fiber.StatusCreated, d)
}

func (s *Server) grading(c *fiber.Ctx) error {
	g, err := s.mon.Grading(c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(g)
}

// wrap turns a typed result into an Entity, keeping a nil pointer nil.
func wrap[T twin.Entity](e T, err error) (twin.Entity, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}

// sensorFeature is a sensor's Feature with its latest value and time
// added to its properties.
func sensorFeature(e twin.Entity, v telemetry.Value, ok bool) ([]byte, error) {
	b, err := twin.EncodeFeature(e)
	if err != nil || !ok {
		return b, err
	}
	// The encoder ends every Feature with the properties' and the
	// Feature's closing braces.
	extra := `,"value":` + strconv.FormatFloat(v.Value, 'g', -1, 64) + `,"t":"` + v.T.Format(time.RFC3339Nano) + `"}}`
	return append(b[:len(b)-2], extra...), nil
}

// alarmStates parses ?state=active,acknowledged.
func alarmStates(q string) (map[twin.AlarmState]bool, error) {
	if q == "" {
		return nil, nil
	}
	want := map[twin.AlarmState]bool{}
	for _, p := range strings.Split(q, ",") {
		st, err := twin.ParseAlarmState(p)
		if err != nil {
			return nil, twin.InField("state", err)
		}
		want[st] = true
	}
	return want, nil
}
