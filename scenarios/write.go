package scenarios

// A scenario written out as YAML that Parse reads back the same.

import (
	"bytes"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"gopkg.in/yaml.v3"
)

// Marshal writes the scenario as a YAML file that Parse accepts and reads
// back to the same scenario: the fields left unset are left out, every
// inject's time is written, and the start time keeps its offset.
func (s *Scenario) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(s.toFile()); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// The shapes the file is written in: the scenario's own types would write
// every unset field, and the twin's enumerations refuse to write a zero.

type fileScenario struct {
	Metadata     fileMetadata      `yaml:"metadata"`
	Start        fileStart         `yaml:"start"`
	Injects      []fileInject      `yaml:"injects"`
	Expectations []fileExpectation `yaml:"expectations,omitempty"`
}

type fileMetadata struct {
	ID        string `yaml:"id"`
	Title     Text   `yaml:"title"`
	Objective string `yaml:"objective"`
	Level     string `yaml:"level"`
	Duration  span   `yaml:"duration"`
	Author    string `yaml:"author"`
}

type fileStart struct {
	Park    string       `yaml:"park"`
	Scale   int          `yaml:"scale,omitempty"`
	Time    time.Time    `yaml:"time"`
	Weather *fileWeather `yaml:"weather,omitempty"`
}

type fileWeather struct {
	Wind         *Wind    `yaml:"wind,omitempty,flow"`
	Stability    string   `yaml:"stability,omitempty"`
	CloudCover   *float64 `yaml:"cloudCover,omitempty"`
	TemperatureC *float64 `yaml:"temperatureC,omitempty"`
}

type fileInject struct {
	At        span           `yaml:"at"`
	Excursion *fileExcursion `yaml:"excursion,omitempty"`
	Report    *fileReport    `yaml:"report,omitempty"`
	Road      *RoadChange    `yaml:"road,omitempty,flow"`
	Unit      *fileUnit      `yaml:"unit,omitempty,flow"`
	Equipment *fileEquipment `yaml:"equipment,omitempty,flow"`
	Weather   *fileWeather   `yaml:"weather,omitempty"`
	Message   *Text          `yaml:"message,omitempty"`
}

type fileExcursion struct {
	Sensors []string     `yaml:"sensors,flow"`
	Profile []fileSample `yaml:"profile"`
}

type fileSample struct {
	After span    `yaml:"after"`
	Value float64 `yaml:"value"`
}

type fileReport struct {
	Type     string     `yaml:"type"`
	Entity   string     `yaml:"entity,omitempty"`
	Point    *orb.Point `yaml:"point,omitempty,flow"`
	Chemical string     `yaml:"chemical,omitempty"`
	Level    string     `yaml:"level,omitempty"`
	Reporter string     `yaml:"reporter"`
	Note     string     `yaml:"note,omitempty"`
}

type fileUnit struct {
	Team    string `yaml:"team"`
	Vehicle string `yaml:"vehicle,omitempty"`
	Status  string `yaml:"status"`
}

type fileEquipment struct {
	Warehouse string  `yaml:"warehouse"`
	Serial    string  `yaml:"serial,omitempty"`
	Type      string  `yaml:"type,omitempty"`
	Quantity  float64 `yaml:"quantity,omitempty"`
	State     string  `yaml:"state"`
}

type fileExpectation struct {
	ID         string `yaml:"id"`
	What       string `yaml:"what"`
	Within     span   `yaml:"within"`
	Of         string `yaml:"of,omitempty"`
	Type       string `yaml:"type,omitempty"`
	Capability string `yaml:"capability,omitempty"`
	Target     string `yaml:"target,omitempty"`
	Inject     *int   `yaml:"inject,omitempty"`
}

func (s *Scenario) toFile() fileScenario {
	m := s.Metadata
	f := fileScenario{
		Metadata: fileMetadata{ID: m.ID, Title: m.Title, Objective: m.Objective, Level: m.Level.String(),
			Duration: span(m.Duration), Author: m.Author},
		Start: fileStart{Park: s.Start.Park, Scale: s.Start.Scale, Time: s.Start.Time,
			Weather: weatherFile(s.Start.Weather)},
	}
	for _, in := range s.Injects {
		fi := fileInject{At: span(in.At), Road: in.Road, Weather: weatherFile(in.Weather), Message: in.Message}
		if x := in.Excursion; x != nil {
			fx := &fileExcursion{Sensors: x.Sensors}
			for _, p := range x.Profile {
				fx.Profile = append(fx.Profile, fileSample{After: span(p.After), Value: p.Value})
			}
			fi.Excursion = fx
		}
		if r := in.Report; r != nil {
			fi.Report = &fileReport{Type: r.Type.String(), Entity: r.Entity, Point: r.Point, Chemical: r.Chemical,
				Level: r.Level.String(), Reporter: r.Reporter, Note: r.Note}
		}
		if u := in.Unit; u != nil {
			fi.Unit = &fileUnit{Team: u.Team, Vehicle: u.Vehicle, Status: u.Status.String()}
		}
		if e := in.Equipment; e != nil {
			fi.Equipment = &fileEquipment{Warehouse: e.Warehouse, Serial: e.Serial, Type: e.Type,
				Quantity: e.Quantity, State: e.State.String()}
		}
		f.Injects = append(f.Injects, fi)
	}
	for _, e := range s.Expectations {
		f.Expectations = append(f.Expectations, fileExpectation{ID: e.ID, What: e.What.String(), Within: span(e.Within),
			Of: e.Of.String(), Type: e.Type.String(), Capability: e.Capability.String(), Target: e.Target, Inject: e.Inject})
	}
	return f
}

func weatherFile(w *Weather) *fileWeather {
	if w == nil {
		return nil
	}
	return &fileWeather{Wind: w.Wind, Stability: w.Stability.String(), CloudCover: w.CloudCover, TemperatureC: w.TemperatureC}
}

// span is a duration written short: "2h", "5m", "1m30s", "0s".
type span Duration

func (d span) MarshalYAML() (any, error) {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s, nil
}

// A sample and an expectation are written on one line each.

func (s fileSample) MarshalYAML() (any, error) {
	type plain fileSample
	return flow(plain(s))
}

func (e fileExpectation) MarshalYAML() (any, error) {
	type plain fileExpectation
	return flow(plain(e))
}

func flow(v any) (*yaml.Node, error) {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return nil, err
	}
	n.Style = yaml.FlowStyle
	return &n, nil
}
