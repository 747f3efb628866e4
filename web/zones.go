package web

import (
	"encoding/xml"

	"github.com/gofiber/fiber/v2"

	"parktwin/dispatch"
	"parktwin/twin"
)

// releaseBody is the body of POST /api/v1/incidents/{id}/release: what is
// known of the release. Every figure is optional; one given must be
// positive. A hole or a rate, not both.
type releaseBody struct {
	HoleDiameterMM *float64 `json:"holeDiameterMM"`
	RateKgS        *float64 `json:"rateKgS"`
	Phase          string   `json:"phase"`
	DurationS      *float64 `json:"durationS"`
	InventoryKg    *float64 `json:"inventoryKg"`
	PoolAreaM2     *float64 `json:"poolAreaM2"`
	ReleaseHeightM *float64 `json:"releaseHeightM"`
	Note           string   `json:"note"`
	By             string   `json:"by"` // ignored: the actor is the caller
}

// release turns the body into a twin.Release, refusing a figure given as
// zero or less, naming it.
func (b releaseBody) release() (twin.Release, error) {
	var r twin.Release
	for _, f := range []struct {
		name string
		v    *float64
		dst  *float64
	}{{"holeDiameterMM", b.HoleDiameterMM, &r.HoleDiameterMM}, {"rateKgS", b.RateKgS, &r.RateKgS},
		{"durationS", b.DurationS, &r.DurationS}, {"inventoryKg", b.InventoryKg, &r.InventoryKg},
		{"poolAreaM2", b.PoolAreaM2, &r.PoolAreaM2}} {
		if f.v == nil {
			continue
		}
		if !(*f.v > 0) {
			return r, twin.Invalid(f.name, "must be greater than 0, got %v (leave it out for the default)", *f.v)
		}
		*f.dst = *f.v
	}
	if b.ReleaseHeightM != nil {
		r.ReleaseHeightM = *b.ReleaseHeightM
	}
	r.Phase, r.Note = b.Phase, b.Note
	return r, r.Validate()
}

// setRelease enters what is known of an incident's release: its zones
// are computed from it from now on, and the change is journalled with
// who made it (its timeline says so).
func (s *Server) setRelease(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	var in releaseBody
	if err := decodeStrict(body, &in, "a release"); err != nil {
		return err
	}
	rel, err := in.release()
	if err != nil {
		return err
	}
	inc, src, err := s.desk.SetRelease(c.UserContext(), c.Params("id"), rel, actorName(c))
	if err != nil {
		return err
	}
	setSeq(c, s.twin.Snapshot().Seq())
	feature, err := twin.EncodeFeature(inc)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"incident": rawJSON(feature), "source": src})
}

// getZones answers an incident's zones: a GeoJSON FeatureCollection, or
// with ?format=cap an OASIS CAP 1.2 alert whose areas are the zones.
func (s *Server) getZones(c *fiber.Ctx) error {
	format := c.Query("format", "geojson")
	if format != "geojson" && format != "cap" {
		return twin.Invalid("format", "want geojson or cap, got %q", format)
	}
	z, err := s.desk.Zones(c.Params("id"))
	if err != nil {
		return err
	}
	setSeq(c, z.Seq)
	if format == "cap" {
		a := z.CAP(dispatch.CAPOptions{Sender: "parktwin@" + c.Hostname(), SenderName: "园区应急指挥中心 parktwin",
			Exercise: s.twin.Exercise(), Twin: s.twin.ID()})
		b, err := xml.MarshalIndent(a, "", "  ")
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `inline; filename="`+z.Incident+`.cap.xml"`)
		return c.Send(append([]byte(xml.Header), b...))
	}
	b, err := z.FeatureCollection()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Send(b)
}

// rawJSON is JSON already encoded, sent as is.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }
