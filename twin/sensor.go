package twin

import (
	"time"

	"github.com/paulmach/orb"
)

// SensorType is what a sensor measures.
type SensorType int

// The sensor types.
const (
	Level SensorType = iota + 1
	Temperature
	Pressure
	CombustibleGas
	ToxicGas
	Oxygen
	Thermal
	Flow
	// The weather station's: the wind at 10 m, the air's humidity and
	// the cloud cover (the air's temperature is a Temperature sensor
	// on the park).
	WindSpeed
	WindDirection
	Humidity
	CloudCover
)

var sensorTypeNames = []string{"", "level", "temperature", "pressure", "combustible-gas", "toxic-gas",
	"oxygen", "thermal", "flow",
	"wind-speed", "wind-direction", "humidity", "cloud-cover"}

// sensorUnits is the unit of each sensor type's values.
var sensorUnits = []string{"", "m", "°C", "kPa", "%LEL", "ppm", "%vol", "°C", "m3/h", "m/s", "°", "%RH", "oktas"}

func (s SensorType) String() string { return enumString(sensorTypeNames, int(s)) }
func (s SensorType) MarshalText() ([]byte, error) {
	return enumText(sensorTypeNames, int(s), "sensor type")
}
func (s *SensorType) UnmarshalText(b []byte) error {
	return enumInto(sensorTypeNames, b, "sensor type", (*int)(s))
}

// Unit returns the unit of the type's values.
func (s SensorType) Unit() string { return enumString(sensorUnits, int(s)) }

// Limits are a sensor's alarm limits; any of them may be absent.
type Limits struct {
	LL *float64 `json:"ll,omitempty"`
	L  *float64 `json:"l,omitempty"`
	H  *float64 `json:"h,omitempty"`
	HH *float64 `json:"hh,omitempty"`
}

// Sensor is an instrument on a tank, sewage pool, waste store or major
// hazard unit (its Subject). A value past a limit raises an alarm once
// the condition has lasted OnDelayS; it clears when the value is back
// inside the limit by more than Deadband. A sensor silent for StaleAfterS
// raises a communication-lost alarm.
type Sensor struct {
	ID          string     `json:"-"`
	Name        string     `json:"name"`
	Subject     string     `json:"subject"`
	Type        SensorType `json:"type"`
	Gas         string     `json:"gas,omitempty"`
	Unit        string     `json:"unit"`
	Limits      Limits     `json:"limits"`
	Deadband    float64    `json:"deadband"`
	OnDelayS    float64    `json:"onDelayS,omitempty"`
	RatePerMin  float64    `json:"ratePerMin,omitempty"`
	StaleAfterS float64    `json:"staleAfterS"`
	Position    orb.Point  `json:"-"`
}

func (s *Sensor) Kind() Kind             { return KindSensor }
func (s *Sensor) EntityID() string       { return s.ID }
func (s *Sensor) Geometry() orb.Geometry { return s.Position }
func (s *Sensor) setID(id string)        { s.ID = id }

func (s *Sensor) setGeometry(g orb.Geometry) (err error) {
	s.Position, err = wantPoint(g)
	return err
}

func (s *Sensor) refs() []ref {
	if s.Subject == ParkID {
		return []ref{{KindPark, ParkID, "subject"}}
	}
	return []ref{{KindOfID(s.Subject), s.Subject, "subject"}}
}

// Weather reports whether the type is a weather station's, whose
// subject is the park itself.
func (s SensorType) Weather() bool { return s >= WindSpeed && s <= CloudCover }

// OnDelay is how long a condition must last before it raises an alarm.
func (s *Sensor) OnDelay() time.Duration { return seconds(s.OnDelayS) }

// StaleAfter is how long the sensor may be silent before its
// communication is taken as lost.
func (s *Sensor) StaleAfter() time.Duration { return seconds(s.StaleAfterS) }

// The longest on-delay and staleness timeout: beyond them a duration in
// seconds no longer means anything for a sensor (and would overflow).
const (
	maxOnDelayS    = 24 * 3600
	maxStaleAfterS = 30 * 24 * 3600
)

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// Validate checks the sensor's fields and that its limits are in order.
func (s *Sensor) Validate() error {
	err := firstErr(validateID(KindSensor, s.ID), required("name", s.Name), required("subject", s.Subject),
		validPoint("geometry", s.Position), nonNegative("deadband", s.Deadband),
		nonNegative("onDelayS", s.OnDelayS), nonNegative("ratePerMin", s.RatePerMin),
		positive("staleAfterS", s.StaleAfterS))
	if err != nil {
		return err
	}
	switch {
	case s.OnDelayS > maxOnDelayS:
		return Invalid("onDelayS", "at most %d s (a day), got %v", maxOnDelayS, s.OnDelayS)
	case s.StaleAfterS > maxStaleAfterS:
		return Invalid("staleAfterS", "at most %d s (30 days), got %v", maxStaleAfterS, s.StaleAfterS)
	}
	switch k := KindOfID(s.Subject); {
	case s.Subject == ParkID && (s.Type.Weather() || s.Type == Temperature):
		// a weather station's instrument
	case k == KindTank, k == KindSewagePool, k == KindWasteStore, k == KindHazardUnit:
	case s.Type.Weather():
		return Invalid("subject", "a weather station's %s sensor is on the park (%s), not on %q", s.Type, ParkID, s.Subject)
	default:
		return Invalid("subject", "a sensor watches a tank, sewage pool, waste store or hazard unit, not %q", s.Subject)
	}
	switch {
	case s.Type == 0:
		return Required("type")
	case s.Unit != s.Type.Unit():
		return Invalid("unit", "a %s sensor measures in %q, got %q", s.Type, s.Type.Unit(), s.Unit)
	case s.Type == ToxicGas && s.Gas == "":
		return Invalid("gas", "a toxic-gas sensor names its gas")
	}
	// The limits, where present, must rise from LL to HH.
	prev, prevName := 0.0, ""
	for _, l := range []struct {
		name string
		v    *float64
	}{{"ll", s.Limits.LL}, {"l", s.Limits.L}, {"h", s.Limits.H}, {"hh", s.Limits.HH}} {
		if l.v == nil {
			continue
		}
		if err := finite("limits."+l.name, *l.v); err != nil {
			return err
		}
		if prevName != "" && *l.v <= prev {
			return Invalid("limits."+l.name, "must be above %s (%v), got %v", prevName, prev, *l.v)
		}
		prev, prevName = *l.v, l.name
	}
	return nil
}

// KindOfID returns the kind whose ID prefix id carries, or zero.
func KindOfID(id string) Kind {
	best := Kind(0)
	for _, k := range Kinds {
		p := k.Prefix()
		if p != "" && len(id) > len(p) && id[:len(p)] == p && (best == 0 || len(p) > len(best.Prefix())) {
			best = k
		}
	}
	return best
}
