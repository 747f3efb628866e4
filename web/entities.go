package web

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

// The collections of the REST API: GET lists a kind as a FeatureCollection
// (chemicals as a plain JSON list), POST creates from a Feature, and
// /{id} reads, patches (RFC 7386 merge patch of the Feature) or deletes one.

func (s *Server) list(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap := s.twin.Snapshot()
		setSeq(c, snap.Seq())
		if k == twin.KindChemical {
			list := make([]chemicalJSON, 0, snap.Len(k))
			for ch := range twin.All[*twin.Chemical](snap) {
				list = append(list, chemicalJSON{CAS: ch.CAS, Chemical: ch})
			}
			return c.JSON(list)
		}
		var b bytes.Buffer
		if err := twin.WriteCollection(&b, snap, k); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/geo+json")
		return c.Send(b.Bytes())
	}
}

// chemicalJSON is a catalogue entry as the chemicals list shows it: the
// Feature's properties with the CAS number.
type chemicalJSON struct {
	CAS string `json:"cas"`
	*twin.Chemical
}

func (s *Server) get(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap := s.twin.Snapshot()
		e, ok := snap.Get(k, c.Params("id"))
		if !ok {
			return twin.Errorf(twin.ENOTFOUND, "id", "no %s %s", k, c.Params("id"))
		}
		setSeq(c, snap.Seq())
		if ch, ok := e.(*twin.Chemical); ok {
			return c.JSON(chemicalJSON{CAS: ch.CAS, Chemical: ch})
		}
		return sendFeature(c, fiber.StatusOK, e)
	}
}

func (s *Server) create(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		e, err := twin.DecodeFeatureOf(k, body)
		if err != nil {
			return err
		}
		evs, err := s.twin.Apply(c.UserContext(), twin.Create{Entity: e})
		if err != nil {
			return err
		}
		ev := evs[len(evs)-1]
		setSeq(c, ev.Seq)
		c.Location("/api/v1/" + k.Path() + "/" + ev.ID)
		return sendFeature(c, fiber.StatusCreated, ev.Entity)
	}
}

func (s *Server) patch(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		evs, err := s.twin.Apply(c.UserContext(), twin.Patch{Kind: k, ID: c.Params("id"), Merge: body})
		if err != nil {
			return err
		}
		ev := evs[len(evs)-1]
		setSeq(c, ev.Seq)
		return sendFeature(c, fiber.StatusOK, ev.Entity)
	}
}

func (s *Server) remove(k twin.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		evs, err := s.twin.Apply(c.UserContext(), twin.Delete{Kind: k, ID: c.Params("id")})
		if err != nil {
			return err
		}
		setSeq(c, evs[len(evs)-1].Seq)
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// jsonBody returns the request body, which must be one JSON value.
func jsonBody(c *fiber.Ctx) ([]byte, error) {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, twin.Errorf(twin.EMALFORMED, "", "the request has no body; send a GeoJSON Feature")
	}
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		return nil, twin.Errorf(twin.EMALFORMED, "", "malformed JSON: %v", err)
	}
	return body, nil
}

func sendFeature(c *fiber.Ctx, status int, e twin.Entity) error {
	b, err := twin.EncodeFeature(e)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Status(status).Send(b)
}
