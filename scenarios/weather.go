package scenarios

import (
	"context"
	"math"

	"parktwin/twin"
	"parktwin/twin/weather"
)

// setWeather makes the scenario's weather the drill's: an override of the
// drill's park (source "drill") with the parts w gives, the others kept
// from the weather the park has (or mild defaults before it has any).
func (p *pass) setWeather(ctx context.Context, w *Weather) error {
	tw := p.inst.Twin()
	cur := twin.Weather{WindFromDeg: 0, WindSpeedMS: 3, TemperatureC: 15, HumidityPct: 70, CloudOktas: 4}
	if pk := tw.Snapshot().Park(); pk != nil && pk.Weather != nil {
		cur = *pk.Weather
	}
	cur.Source, cur.By, cur.Note = twin.WeatherDrill, "scenario "+p.d.sc.Metadata.ID, ""
	if w.Wind != nil {
		cur.WindFromDeg, cur.WindSpeedMS = math.Mod(w.Wind.From, 360), w.Wind.SpeedMS
	}
	if w.Stability != 0 {
		cur.Stability = w.Stability.String()
	}
	if w.CloudCover != nil {
		cur.CloudOktas = int(math.Round(*w.CloudCover))
		cur.Stability = "" // the class comes from the cloud now
	}
	if w.TemperatureC != nil {
		cur.TemperatureC = *w.TemperatureC
	}
	_, err := weather.Override(ctx, tw, cur)
	return err
}
