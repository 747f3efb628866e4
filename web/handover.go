package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// The shift handover (交接班): a record drafted from the park at the end
// of a shift, signed by the outgoing officer, then by the incoming one,
// and immutable after. The records are the twin's (twin.Handover); they
// are read at GET /handovers and /handovers/{id} like every kind.

// handoverRoutes are the routes that draft and sign a handover: the duty
// officers' and the commander's.
func (s *Server) handoverRoutes() []route {
	return []route{
		post("/api/v1/handovers", duty, s.draftHandover),
		post("/api/v1/handovers/:id/sign", duty, s.signHandover),
	}
}

// handoverDraft is the body of POST /handovers: when the shift started
// (RFC 3339) and the outgoing officer's notes. The summary is the
// server's, read from the park.
type handoverDraft struct {
	ShiftStart string `json:"shiftStart"`
	Notes      string `json:"notes"`
}

// draftHandover answers POST /handovers: 201 with the draft.
func (s *Server) draftHandover(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	var req handoverDraft
	if err := decodeStrict(body, &req, "a handover draft"); err != nil {
		return err
	}
	if req.ShiftStart == "" {
		return twin.Reasoned(twin.EINVALID, "shiftStart", "required: when the shift started (RFC 3339)", msg.New("error.required", "field", "shiftStart"))
	}
	start, err := time.Parse(time.RFC3339, req.ShiftStart)
	if err != nil {
		return twin.BadTime("shiftStart", req.ShiftStart, fmt.Sprintf("%q is not an RFC 3339 time", req.ShiftStart))
	}
	evs, err := s.twin.Apply(c.UserContext(), twin.DraftHandover{ShiftStart: start, Notes: req.Notes})
	if err != nil {
		return err
	}
	ev := evs[0]
	setSeq(c, ev.Seq)
	c.Location(s.base + "/handovers/" + ev.ID)
	return sendFeature(c, fiber.StatusCreated, ev.Entity)
}

// signHandover answers POST /handovers/{id}/sign: the caller signs as the
// outgoing officer, or as the incoming one once the outgoing has signed.
func (s *Server) signHandover(c *fiber.Ctx) error {
	if len(c.Body()) > 0 {
		return twin.Invalid("", "a signature has no body: the signer is the caller")
	}
	evs, err := s.twin.Apply(c.UserContext(), twin.SignHandover{ID: c.Params("id")})
	if err != nil {
		return err
	}
	ev := evs[len(evs)-1]
	setSeq(c, ev.Seq)
	return sendFeature(c, fiber.StatusOK, ev.Entity)
}
