// Package weather keeps the park's weather in the twin: the weather
// station's readings, recorded on the park when they change enough to move
// a zone, and the operator's (or a drill's) override, which stands until
// it is withdrawn. The weather lives on the park entity (twin.Park.Weather)
// so that it is journalled, replayed and streamed like every other change,
// and the zones are a function of the park's state alone.
package weather

import (
	"context"
	"math"
	"time"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// Every is how often Run reads the station, on the park's clock.
const Every = 30 * time.Second

// FromStations returns the weather the park's station instruments (the
// sensors on the park itself) read, each reading no older than its
// sensor's staleness limit; false without a fresh wind. Several stations
// are averaged, the wind as a vector.
func FromStations(snap *twin.Snapshot, mon *telemetry.Monitor, now time.Time) (twin.Weather, bool) {
	if mon == nil {
		return twin.Weather{}, false
	}
	var u, v, speed, temp, hum, cloud float64
	var nWind, nSpeed, nTemp, nHum, nCloud int
	for s := range twin.All[*twin.Sensor](snap) {
		if s.Subject != twin.ParkID {
			continue
		}
		x, t, ok := mon.Latest(s.ID)
		if !ok || now.Sub(t) > s.StaleAfter() {
			continue
		}
		switch s.Type {
		case twin.WindDirection:
			r := x * math.Pi / 180
			u, v = u+math.Sin(r), v+math.Cos(r)
			nWind++
		case twin.WindSpeed:
			speed += x
			nSpeed++
		case twin.Temperature:
			temp += x
			nTemp++
		case twin.Humidity:
			hum += x
			nHum++
		case twin.CloudCover:
			cloud += x
			nCloud++
		}
	}
	if nWind == 0 || nSpeed == 0 {
		return twin.Weather{}, false
	}
	w := twin.Weather{Source: twin.WeatherStation, At: now.UTC(),
		WindFromDeg: math.Round(math.Mod(math.Atan2(u, v)*180/math.Pi+360, 360)),
		WindSpeedMS: math.Round(speed/float64(nSpeed)*10) / 10,
		// Unread parts take mild defaults: 15 °C, 70 %, half cover.
		TemperatureC: 15, HumidityPct: 70, CloudOktas: 4}
	if w.WindFromDeg == 360 {
		w.WindFromDeg = 0
	}
	if nTemp > 0 {
		w.TemperatureC = math.Round(temp/float64(nTemp)*10) / 10
	}
	if nHum > 0 {
		w.HumidityPct = math.Round(hum / float64(nHum))
	}
	if nCloud > 0 {
		w.CloudOktas = int(math.Round(cloud / float64(nCloud)))
	}
	return w, true
}

// Record sets the park's weather to the stations' reading when there is no
// override and the reading differs enough from what the park holds
// (twin.Weather.Differs). It decides in the twin's writer, so an override
// put meanwhile is never overwritten.
func Record(ctx context.Context, tw *twin.Twin, mon *telemetry.Monitor) error {
	w, ok := FromStations(tw.Snapshot(), mon, tw.Clock().Now())
	if !ok {
		return nil
	}
	_, err := tw.Apply(ctx, twin.Decide(func(s *twin.Snapshot) ([]twin.Command, error) {
		p := s.Park()
		if p == nil || p.WeatherOverride != nil || !p.Weather.Differs(&w) {
			return nil, nil
		}
		c := *p
		c.Weather = &w
		return []twin.Command{twin.Update{Entity: &c}}, nil
	}))
	return err
}

// Run records the stations' weather every Every of the twin's clock until
// ctx ends. A failure is left to the next round.
func Run(ctx context.Context, tw *twin.Twin, mon *telemetry.Monitor) {
	// The stations' weather is the monitor's reading of its sensors.
	ctx = twin.AsSystem(ctx, twin.ActorMonitor)
	twin.Every(ctx, tw.Clock(), Every, func(ctx context.Context) { _ = Record(ctx, tw, mon) })
}

// Override puts an override: w (its Source override or drill) stands as
// the park's weather until Clear. At is the twin's time.
func Override(ctx context.Context, tw *twin.Twin, w twin.Weather) (*twin.Park, error) {
	if w.Source == "" {
		w.Source = twin.WeatherOverride
	}
	w.At = tw.Clock().Now().UTC()
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return setPark(ctx, tw, func(c *twin.Park) error {
		c.WeatherOverride, c.Weather = &w, &w
		return nil
	})
}

// Clear withdraws the override: the park's weather is the stations' again
// (none until they report).
func Clear(ctx context.Context, tw *twin.Twin, mon *telemetry.Monitor) (*twin.Park, error) {
	w, ok := FromStations(tw.Snapshot(), mon, tw.Clock().Now())
	return setPark(ctx, tw, func(c *twin.Park) error {
		if c.WeatherOverride == nil {
			return twin.Errorf(twin.ENOTFOUND, "", "there is no weather override to withdraw")
		}
		c.WeatherOverride, c.Weather = nil, nil
		if ok {
			c.Weather = &w
		}
		return nil
	})
}

// setPark changes a copy of the park in the twin's writer.
func setPark(ctx context.Context, tw *twin.Twin, fn func(c *twin.Park) error) (*twin.Park, error) {
	var out *twin.Park
	_, err := tw.Apply(ctx, twin.Decide(func(s *twin.Snapshot) ([]twin.Command, error) {
		p := s.Park()
		if p == nil {
			return nil, twin.Errorf(twin.ECONFLICT, "", "the park is not loaded")
		}
		c := *p
		if err := fn(&c); err != nil {
			return nil, err
		}
		out = &c
		return []twin.Command{twin.Update{Entity: &c}}, nil
	}))
	if err != nil {
		return nil, err
	}
	return out, nil
}
