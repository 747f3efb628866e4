package demo

import (
	"github.com/paulmach/orb"

	"parktwin/twin"
)

// stationSensors is how many instruments the weather station has.
const stationSensors = 5

// weatherStation gives the park its automatic weather station beside the
// special-duty fire station's command centre: the wind at 10 m (speed and
// direction), the air's temperature and humidity, and the cloud cover (a
// ceilometer's oktas). Its instruments watch the park itself and have no
// alarm limits: they feed the consequence zones, not the alarms.
func (g *gen) weatherStation() {
	pos := g.ll(orb.Point{150, 120})
	for _, s := range []struct {
		name string
		typ  twin.SensorType
	}{
		{"园区气象站 风速（10 m）", twin.WindSpeed},
		{"园区气象站 风向（10 m）", twin.WindDirection},
		{"园区气象站 气温", twin.Temperature},
		{"园区气象站 相对湿度", twin.Humidity},
		{"园区气象站 云量", twin.CloudCover},
	} {
		// A deadband and, on the thermometer, a rate of change as every
		// demo instrument has: none of them alarms, having no limits.
		x := &twin.Sensor{Name: s.name, Subject: twin.ParkID, Type: s.typ, Position: pos, Deadband: 0.1}
		if s.typ == twin.Temperature {
			x.RatePerMin = 2
		}
		g.addSensor(x)
	}
}
