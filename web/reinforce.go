package web

import (
	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
	"parktwin/web/auth"
)

// unitRelease is the body of a release of one vehicle from an incident.
type unitRelease struct {
	Team    string `json:"team"`
	Vehicle string `json:"vehicle"`
}

// releaseUnit frees one vehicle of an incident: it is available again,
// and the equipment lines it carries go back to their warehouses.
func (s *Server) releaseUnit(c *fiber.Ctx) error {
	var in unitRelease
	if err := decodeStrict(c.Body(), &in, "a release of a unit"); err != nil {
		return err
	}
	inc, err := s.desk.Release(c.UserContext(), c.Params("id"), in.Team, in.Vehicle, actorName(c))
	if err != nil {
		return err
	}
	setSeq(c, s.twin.Snapshot().Seq())
	return sendFeature(c, fiber.StatusOK, inc)
}

// levelChange is the body of a change of an incident's response level.
type levelChange struct {
	Level string `json:"level"`
}

// setIncidentLevel raises (or lowers) an incident's response level;
// planning it again then proposes the reinforcement the level needs.
func (s *Server) setIncidentLevel(c *fiber.Ctx) error {
	var in levelChange
	if err := decodeStrict(c.Body(), &in, "a level"); err != nil {
		return err
	}
	// Levels I and II are the commander's (grave): a dispatcher who
	// raised an incident to one would lock every dispatcher out of it.
	var lv twin.ResponseLevel
	if id, ok := identityOf(c); ok && id.Role == auth.Dispatcher && lv.UnmarshalText([]byte(in.Level)) == nil &&
		(lv == twin.LevelI || lv == twin.LevelII) {
		return twin.Errorf(twin.EFORBIDDEN, "level", "level %s is a commander's to set, not a dispatcher's", lv)
	}
	inc, err := s.desk.SetLevel(c.UserContext(), c.Params("id"), in.Level, actorName(c))
	if err != nil {
		return err
	}
	setSeq(c, s.twin.Snapshot().Seq())
	return sendFeature(c, fiber.StatusOK, inc)
}
