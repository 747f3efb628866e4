package web

import (
	"github.com/gofiber/fiber/v2"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/weather"
)

// weatherJSON is the answer of GET /api/v1/weather: the weather the
// zones are computed with, where it came from (an override says who put
// it and when), the stations' own reading, and the stability class now.
type weatherJSON struct {
	Seq       uint64              `json:"seq"`
	Weather   *twin.Weather       `json:"weather"`
	Override  bool                `json:"override"`
	Stations  *twin.Weather       `json:"stations"`
	Stability *dispatch.Stability `json:"stability,omitempty"`
}

func (s *Server) weatherOf(snap *twin.Snapshot) (weatherJSON, error) {
	now := s.twin.Clock().Now()
	out := weatherJSON{Seq: snap.Seq()}
	p := snap.Park()
	if p != nil {
		out.Weather, out.Override = p.Weather, p.WeatherOverride != nil
	}
	if w, ok := weather.FromStations(snap, s.mon, now); ok {
		out.Stations = &w
	}
	if out.Weather != nil {
		st, err := dispatch.StabilityOf(out.Weather, now, p)
		if err != nil {
			return out, err
		}
		out.Stability = &st
	}
	return out, nil
}

func (s *Server) getWeather(c *fiber.Ctx) error {
	snap := s.twin.Snapshot()
	out, err := s.weatherOf(snap)
	if err != nil {
		return err
	}
	setSeq(c, snap.Seq())
	return c.JSON(out)
}

// weatherOverride is the body of PUT /api/v1/weather: the wind is
// required, the rest is kept from the weather the park has.
type weatherOverride struct {
	WindFromDeg  *float64 `json:"windFromDeg"`
	WindSpeedMS  *float64 `json:"windSpeedMS"`
	TemperatureC *float64 `json:"temperatureC"`
	HumidityPct  *float64 `json:"humidityPct"`
	CloudOktas   *int     `json:"cloudOktas"`
	Stability    *string  `json:"stability"`
	Note         string   `json:"note"`
}

// putWeather puts the operator's override: a change of the park like any
// other, journalled with who put it.
func (s *Server) putWeather(c *fiber.Ctx) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	var in weatherOverride
	if err := decodeStrict(body, &in, "a weather override"); err != nil {
		return err
	}
	switch {
	case in.WindFromDeg == nil:
		return twin.Invalid("windFromDeg", "required: where the wind blows from, degrees clockwise from north")
	case in.WindSpeedMS == nil:
		return twin.Invalid("windSpeedMS", "required: the wind speed at 10 m, m/s")
	}
	w := twin.Weather{TemperatureC: 15, HumidityPct: 70, CloudOktas: 4}
	if p := s.twin.Snapshot().Park(); p != nil && p.Weather != nil {
		w = *p.Weather
	}
	w.WindFromDeg, w.WindSpeedMS, w.Note, w.Stability = *in.WindFromDeg, *in.WindSpeedMS, in.Note, ""
	if in.TemperatureC != nil {
		w.TemperatureC = *in.TemperatureC
	}
	if in.HumidityPct != nil {
		w.HumidityPct = *in.HumidityPct
	}
	if in.CloudOktas != nil {
		w.CloudOktas = *in.CloudOktas
	}
	if in.Stability != nil {
		w.Stability = *in.Stability
	}
	w.Source, w.By = twin.WeatherOverride, actorName(c)
	if _, err := weather.Override(c.UserContext(), s.twin, w); err != nil {
		return err
	}
	return s.getWeather(c)
}

// deleteWeather withdraws the override: the stations' weather again.
func (s *Server) deleteWeather(c *fiber.Ctx) error {
	if _, err := weather.Clear(c.UserContext(), s.twin, s.mon); err != nil {
		return err
	}
	return s.getWeather(c)
}
