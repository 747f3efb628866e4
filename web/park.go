package web

import (
	"bytes"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb/geojson"

	"parktwin/twin"
)

func (s *Server) health(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok", "seq": s.twin.Snapshot().Seq()})
}

// parkJSON is the answer of GET /api/v1/park.
type parkJSON struct {
	Name              string            `json:"name"`
	NameEn            string            `json:"nameEn,omitempty"`
	Seq               uint64            `json:"seq"`
	Time              time.Time         `json:"time"`
	Counts            map[string]int    `json:"counts"`
	Boundary          *geojson.Geometry `json:"boundary"`
	SafetyControlLine *geojson.Geometry `json:"safetyControlLine"`
	Shoreline         *geojson.Geometry `json:"shoreline"`
	// Weather is the weather the zones are computed with (the console's
	// wind arrow); GET /api/v1/weather says more.
	Weather *twin.Weather `json:"weather,omitempty"`
}

func (s *Server) getPark(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	setSeq(c, snap.Seq())
	return c.JSON(parkOf(snap, s.twin.Clock().Now()))
}

// parkOf describes the park in snap.
func parkOf(snap *twin.Snapshot, now time.Time) parkJSON {
	out := parkJSON{Seq: snap.Seq(), Time: now, Counts: snap.Counts()}
	if p := snap.Park(); p != nil {
		out.Name, out.NameEn = p.Name, p.NameEn
		out.Boundary = geojson.NewGeometry(p.Boundary)
		if p.ControlLine != nil {
			out.SafetyControlLine = geojson.NewGeometry(p.ControlLine)
		}
		if p.Shoreline != nil {
			out.Shoreline = geojson.NewGeometry(p.Shoreline)
		}
		out.Weather = p.Weather
	}
	return out
}

// export writes the whole park as a park file: the same bytes for the same
// park, so an export can be loaded with --park and exported again.
func (s *Server) export(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	var b bytes.Buffer
	if err := twin.WriteCollection(&b, snap); err != nil {
		return err
	}
	setSeq(c, snap.Seq())
	c.Set(fiber.HeaderContentType, "application/geo+json")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="park.geojson"`)
	return c.Send(b.Bytes())
}

// setSeq tells the client which state of the park an answer reflects.
func setSeq(c *fiber.Ctx, seq uint64) {
	c.Set("Park-Seq", strconv.FormatUint(seq, 10))
}
