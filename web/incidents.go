package web

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"parktwin/dispatch"
	"parktwin/twin"
)

// reportIncident takes a report: 201 and the new incident, or 200 and the
// open incident it was merged into.
func (s *Server) reportIncident(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	var rep dispatch.Report
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		return twin.Errorf(twin.EMALFORMED, "", "not an incident report: %v", err)
	}
	inc, merged, err := s.desk.Report(c.UserContext(), rep)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if merged {
		status = fiber.StatusOK
		c.Set("Incident-Merged", "true")
	}
	c.Location("/api/v1/incidents/" + inc.ID)
	setSeq(c, s.twin.Snapshot().Seq())
	return sendFeature(c, status, inc)
}

// planIncident proposes the response to an incident; it changes nothing.
func (s *Server) planIncident(c *fiber.Ctx) error {
	p, err := s.desk.Plan(c.Params("id"))
	if err != nil {
		return err
	}
	setSeq(c, p.Seq)
	return c.JSON(p)
}
