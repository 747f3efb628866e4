package web

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/web/auth"
)

// reportIncident takes a report: 201 and the new incident, or 200 and the
// open incident it was merged into.
func (s *Server) reportIncident(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	var rep dispatch.Report
	if err := decodeStrict(body, &rep, "an incident report"); err != nil {
		return err
	}
	// A dispatcher's further report may not change a level I or II
	// incident, nor raise one to it (grave, scope.go).
	if id, ok := identityOf(c); ok && id.Role == auth.Dispatcher {
		rep.NotGrave = true
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
	c.Location(s.base + "/incidents/" + inc.ID)
	setSeq(c, s.twin.Snapshot().Seq())
	return sendFeature(c, status, inc)
}

// planIncident proposes the response to an incident; it changes nothing.
func (s *Server) planIncident(c *fiber.Ctx) error {
	start := time.Now()
	p, err := s.desk.Plan(c.Params("id"))
	if err != nil {
		return err
	}
	s.metrics.Planned(s.twin.ID(), time.Since(start))
	setSeq(c, p.Seq)
	return c.JSON(p)
}

// confirmIncident takes the plan as proposed or edited and acts on it.
func (s *Server) confirmIncident(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	var in struct {
		dispatch.Plan
		By string `json:"by"` // ignored: the actor is the caller
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return twin.Errorf(twin.EMALFORMED, "", "not a plan: %v", err)
	}
	inc, err := s.desk.Confirm(c.UserContext(), c.Params("id"), in.Plan, actorName(c))
	if err != nil {
		return err
	}
	setSeq(c, s.twin.Snapshot().Seq())
	return sendFeature(c, fiber.StatusOK, inc)
}

func (s *Server) incidentState(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		var st twin.IncidentState
		if err := st.UnmarshalText([]byte(a.State)); err != nil {
			return nil, twin.InField("state", err)
		}
		return wrap(s.desk.SetState(c.UserContext(), c.Params("id"), st, actorName(c)))
	})
}

func (s *Server) cancelIncident(c *fiber.Ctx) error {
	return s.act(c, func(a action) (twin.Entity, error) {
		return wrap(s.desk.Cancel(c.UserContext(), c.Params("id"), actorName(c)))
	})
}

// evacuation is the body of an evacuation order.
type evacuation struct {
	Targets []string `json:"targets"`
	Action  string   `json:"action"` // evacuate (default) or shelter-in-place
	By      string   `json:"by"`     // ignored: the actor is the caller
	Note    string   `json:"note"`
}

// evacuate orders sensitive targets to evacuate because of an incident.
func (s *Server) evacuate(c *fiber.Ctx) error {
	var ev evacuation
	if err := decodeStrict(c.Body(), &ev, "an evacuation order"); err != nil {
		return err
	}
	inc, err := s.desk.Evacuate(c.UserContext(), c.Params("id"), ev.Targets, ev.Action, actorName(c), ev.Note)
	if err != nil {
		return err
	}
	setSeq(c, s.twin.Snapshot().Seq())
	return sendFeature(c, fiber.StatusOK, inc)
}

// responseTimes reports the 90th-percentile response time (order to
// arrival) per incident and per team, in seconds.
func (s *Server) responseTimes(c *fiber.Ctx) error {
	inc, teams := dispatch.ResponseTimes(s.twin.Snapshot())
	secs := func(m map[string]time.Duration) map[string]float64 {
		out := make(map[string]float64, len(m))
		for k, d := range m {
			out[k] = d.Seconds()
		}
		return out
	}
	return c.JSON(fiber.Map{"percentile": 90, "incidents": secs(inc), "teams": secs(teams)})
}
