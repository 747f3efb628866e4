package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"gopkg.in/yaml.v3"

	"parktwin/twin"
)

// Scenario is a drill read from one YAML file (docs/scenarios.md): what it
// is, where and when it starts, what happens to the trainees and when, and
// what they are expected to do.
type Scenario struct {
	Metadata     Metadata      `yaml:"metadata"`
	Start        Start         `yaml:"start"`
	Injects      []Inject      `yaml:"injects"`
	Expectations []Expectation `yaml:"expectations"`

	// file and root are where the scenario was read from, so that Check
	// can name the line of what it refuses.
	file string
	root *yaml.Node
	src  []byte // the file as read: a kept drill keeps it
}

// Source returns the YAML the scenario was read from.
func (s *Scenario) Source() []byte { return s.src }

// Metadata says what a scenario is.
type Metadata struct {
	ID        string             `yaml:"id"` // a slug: lower-case words joined by '-'
	Title     Text               `yaml:"title"`
	Objective string             `yaml:"objective"`
	Level     twin.ResponseLevel `yaml:"level"`
	Duration  Duration           `yaml:"duration"`
	Author    string             `yaml:"author"`
}

// Text is a text in Chinese and in English.
type Text struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

// The parks a scenario may start from, besides a park file's path.
const (
	ParkLive = "live" // a copy of the live park as it stands
	ParkDemo = "demo" // the generated demo park at Start.Scale
	// ParkJournal is the live park as its journal says it stood at
	// Start.Time: a scenario made from a replay (SnapshotAt).
	ParkJournal = "journal"
)

// Start is the park, the simulated time and the weather a drill starts
// with.
type Start struct {
	// Park is ParkLive, ParkDemo, ParkJournal or the path of a park file.
	Park string `yaml:"park"`
	// Scale is the demo park's scale (1 when unset); only with ParkDemo.
	Scale int `yaml:"scale"`
	// Time is the simulated start: time of day matters (night shifts,
	// ERG night distances).
	Time    time.Time `yaml:"time"`
	Weather *Weather  `yaml:"weather"`
}

// Weather is the weather at the start or a change of it; every part is
// optional, and a part left out is left as it was.
type Weather struct {
	Wind *Wind `yaml:"wind"`
	// Stability is the Pasquill class; give it or CloudCover, not both.
	Stability Stability `yaml:"stability"`
	// CloudCover is in oktas, 0 (clear) to 8 (overcast).
	CloudCover   *float64 `yaml:"cloudCover"`
	TemperatureC *float64 `yaml:"temperatureC"`
}

// Wind is where the wind blows from, in degrees clockwise from north
// (0–360), and its speed.
type Wind struct {
	From    float64 `yaml:"from"`
	SpeedMS float64 `yaml:"speedMS"`
}

// Stability is a Pasquill atmospheric stability class, A (very unstable)
// to F (moderately stable). The zero value means unset.
type Stability int

// The stability classes.
const (
	StabilityA Stability = iota + 1
	StabilityB
	StabilityC
	StabilityD
	StabilityE
	StabilityF
)

var stabilityNames = []string{"", "A", "B", "C", "D", "E", "F"}

func (s Stability) String() string { return name(stabilityNames, int(s)) }
func (s Stability) MarshalText() ([]byte, error) {
	return []byte(s.String()), nil
}
func (s *Stability) UnmarshalText(b []byte) error {
	return parse(stabilityNames, b, "stability class", (*int)(s))
}

// Inject is something that happens at a time after the start: exactly one
// of its kinds is set.
type Inject struct {
	At        Duration        `yaml:"at"`
	Excursion *Excursion      `yaml:"excursion"`
	Report    *Report         `yaml:"report"`
	Road      *RoadChange     `yaml:"road"`
	Unit      *UnitChange     `yaml:"unit"`
	Equipment *EquipmentFault `yaml:"equipment"`
	Weather   *Weather        `yaml:"weather"`
	Message   *Text           `yaml:"message"`
}

// Kind returns the name of the inject's kind ("excursion", "report", …),
// or "" when none is set.
func (i *Inject) Kind() string {
	for _, k := range i.kinds() {
		if k.set {
			return k.name
		}
	}
	return ""
}

func (i *Inject) kinds() []struct {
	name string
	set  bool
} {
	return []struct {
		name string
		set  bool
	}{{"excursion", i.Excursion != nil}, {"report", i.Report != nil}, {"road", i.Road != nil},
		{"unit", i.Unit != nil}, {"equipment", i.Equipment != nil}, {"weather", i.Weather != nil},
		{"message", i.Message != nil}}
}

// Excursion drives the readings of one or more sensors along a profile:
// each sample's value holds from its time after the inject until the next.
type Excursion struct {
	Sensors []string `yaml:"sensors"`
	Profile []Sample `yaml:"profile"`
}

// Sample is a value reached at a time after the inject.
type Sample struct {
	After Duration `yaml:"after"`
	Value float64  `yaml:"value"`
}

// Report is an incident reported by a caller, with what a caller would
// say, which may be wrong: a place (an entity, a point or both), perhaps a
// chemical and a level.
type Report struct {
	Type     twin.IncidentType  `yaml:"type"`
	Entity   string             `yaml:"entity"`
	Point    *orb.Point         `yaml:"point"` // [lon, lat]
	Chemical string             `yaml:"chemical"`
	Level    twin.ResponseLevel `yaml:"level"`
	Reporter string             `yaml:"reporter"`
	Note     string             `yaml:"note"`
}

// RoadChange closes a road or opens it again.
type RoadChange struct {
	ID     string `yaml:"id"`
	Closed bool   `yaml:"closed"`
}

// UnitChange sets the status of a team, or of one of its vehicles.
type UnitChange struct {
	Team    string      `yaml:"team"`
	Vehicle string      `yaml:"vehicle"`
	Status  twin.Status `yaml:"status"`
}

// EquipmentFault is a warehouse item found missing or expired: one
// serialized item, or a quantity of a stock line.
type EquipmentFault struct {
	Warehouse string  `yaml:"warehouse"`
	Serial    string  `yaml:"serial"`
	Type      string  `yaml:"type"`
	Quantity  float64 `yaml:"quantity"`
	State     Fault   `yaml:"state"`
}

// Fault is what is wrong with a warehouse item. The zero value means
// unset.
type Fault int

// The faults.
const (
	Missing Fault = iota + 1
	Expired
)

var faultNames = []string{"", "missing", "expired"}

func (f Fault) String() string               { return name(faultNames, int(f)) }
func (f Fault) MarshalText() ([]byte, error) { return []byte(f.String()), nil }
func (f *Fault) UnmarshalText(b []byte) error {
	return parse(faultNames, b, "equipment state", (*int)(f))
}

// Expectation is something the trainees should do, with its target,
// evaluated automatically as the drill runs.
type Expectation struct {
	ID   string `yaml:"id"`
	What What   `yaml:"what"`
	// Within is the target: how long after Of it must happen.
	Within Duration `yaml:"within"`
	// Of is what Within is measured from; each What has a default.
	Of From `yaml:"of"`
	// Type is the incident type an incident-created expectation wants
	// (any type when unset).
	Type twin.IncidentType `yaml:"type"`
	// Capability is what a capability-assigned expectation wants.
	Capability twin.Capability `yaml:"capability"`
	// Target is the target (TGT-…) an evacuation-ordered expectation wants.
	Target string `yaml:"target"`
	// Inject is the index of the inject an expectation of "inject" is
	// measured from: the ignition, the wind's veer, a message.
	Inject *int `yaml:"inject"`
}

// What is what an expectation checks. The zero value means unset.
type What int

// The expectations.
const (
	AlarmAcknowledged What = iota + 1
	OrderIssued
	IncidentCreated
	PlanConfirmed
	UnitOnScene
	FoamMet
	CapabilityAssigned
	EvacuationOrdered
	UnderControl
)

var whatNames = []string{"", "alarm-acknowledged", "order-issued", "incident-created",
	"plan-confirmed", "unit-on-scene", "foam-met", "capability-assigned", "evacuation-ordered",
	"under-control"}

func (w What) String() string               { return name(whatNames, int(w)) }
func (w What) MarshalText() ([]byte, error) { return []byte(w.String()), nil }
func (w *What) UnmarshalText(b []byte) error {
	return parse(whatNames, b, "expectation", (*int)(w))
}

// From is the moment an expectation's time is measured from. The zero
// value means the expectation's default.
type From int

// The moments.
const (
	FromStart      From = iota + 1 // the drill's start
	FromFirstAlarm                 // the first alarm the drill raises
	FromReport                     // the first incident report
	FromOrder                      // the first dispatch order: a plan confirmed
	FromInject                     // the time of the inject Expectation.Inject names
)

var fromNames = []string{"", "start", "first-alarm", "report", "order", "inject"}

func (f From) String() string               { return name(fromNames, int(f)) }
func (f From) MarshalText() ([]byte, error) { return []byte(f.String()), nil }
func (f *From) UnmarshalText(b []byte) error {
	return parse(fromNames, b, "moment", (*int)(f))
}

// Duration is a time.Duration written as "90s", "10m" or "2h" in the file.
type Duration time.Duration

// UnmarshalYAML reads a duration such as "90s" or "10m"; it may be zero
// but not negative.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a duration (like 90s, 10m, 2h)", n.Value)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as "1m30s".
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// D returns the duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

func name(names []string, v int) string {
	if v <= 0 || v >= len(names) {
		return ""
	}
	return names[v]
}

func parse(names []string, b []byte, what string, dst *int) error {
	for i, n := range names {
		if i > 0 && n == string(b) {
			*dst = i
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q (want one of %s)", what, b, strings.Join(names[1:], ", "))
}
