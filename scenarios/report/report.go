// Package report is the after-action report of a drill or of a replayed
// incident (演练评估 / 复盘报告): what happened, when, and against which
// target. The scenarios package builds a Report from what its recorder
// saw; this package renders it as JSON (the type itself), as a printable
// HTML page and as a PDF. It knows nothing of twins or drills.
package report

import (
	"math"
	"time"
)

// Report is one after-action report. Every time in it is drill time: a
// duration after Start.
type Report struct {
	Kind      string    `json:"kind"` // "drill" or "replay"
	ID        string    `json:"id"`   // the drill's or replay's ID
	Scenario  string    `json:"scenario,omitempty"`
	Title     Text      `json:"title"`
	Objective string    `json:"objective,omitempty"`
	Level     string    `json:"level,omitempty"` // I–IV
	Start     time.Time `json:"start"`           // the simulated start, in the park's zone
	// Elapsed is how far the drill got; Duration how long it was meant
	// to run.
	Elapsed  Seconds `json:"elapsedS"`
	Duration Seconds `json:"durationS"`
	State    string  `json:"state"` // the drill's state when the report was made

	Timeline     []Event       `json:"timeline"`
	Expectations []Expectation `json:"expectations"`
	Units        []Unit        `json:"units"`
	// P90 are the 90th percentiles of the units' segments (nearest-rank),
	// over the units that completed each segment.
	P90        Segments    `json:"p90"`
	Equipment  []Equipment `json:"equipment"`
	Shortfalls []string    `json:"shortfalls"`
	Map        Map         `json:"map"`
}

// Text is a text in Chinese and in English.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Seconds is a span of drill time in seconds.
type Seconds float64

// D returns s as a duration.
func (s Seconds) D() time.Duration { return time.Duration(float64(s) * float64(time.Second)) }

// Of returns d in seconds, to a tenth: a report is read by people.
func Of(d time.Duration) Seconds { return Seconds(math.Round(d.Seconds()*10) / 10) }

// Event kinds on a timeline.
const (
	EventInject   = "inject"   // something the scenario did
	EventMessage  = "message"  // a message to the trainees
	EventAlarm    = "alarm"    // an alarm raised, acknowledged, cleared, closed
	EventOrder    = "order"    // a verification order issued or moved
	EventIncident = "incident" // an incident reported, its state changed, evacuation ordered
	EventPlan     = "plan"     // a plan confirmed: units and equipment ordered out
	EventUnit     = "unit"     // a unit's assignment state changed
	EventAction   = "action"   // a trainee's request to the drill's park
)

// Event is one line of the timeline.
type Event struct {
	At   Seconds `json:"atS"`
	Kind string  `json:"kind"`
	What string  `json:"what"`
	By   string  `json:"by,omitempty"`
}

// Expectation statuses.
const (
	Met     = "met"
	Missed  = "missed"
	Pending = "pending"
)

// Expectation is one of the scenario's expectations and how it went.
type Expectation struct {
	ID     string  `json:"id"`
	What   string  `json:"what"`
	Param  string  `json:"param,omitempty"` // the type, capability or target it names
	Of     string  `json:"of"`              // the moment its target is measured from
	Target Seconds `json:"targetS"`
	Status string  `json:"status"`
	// Took is the time from Of to when it was met; nil unless met.
	Took *Seconds `json:"tookS,omitempty"`
	// At is the drill time it was met or missed at; nil while pending.
	At *Seconds `json:"atS,omitempty"`
}

// Unit is one vehicle sent to an incident, with its segments: order →
// rolling (turnout) → on scene (travel); response is order → on scene.
type Unit struct {
	Incident string   `json:"incident"`
	Team     string   `json:"team"`
	Vehicle  string   `json:"vehicle"`
	Ordered  Seconds  `json:"orderedS"`
	Rolling  *Seconds `json:"rollingS,omitempty"`
	OnScene  *Seconds `json:"onSceneS,omitempty"`
	Turnout  *Seconds `json:"turnoutS,omitempty"`
	Travel   *Seconds `json:"travelS,omitempty"`
	Response *Seconds `json:"responseS,omitempty"`
}

// Segments are the 90th percentiles of the units' segments; nil where no
// unit completed the segment.
type Segments struct {
	Turnout  *Seconds `json:"turnoutS,omitempty"`
	Travel   *Seconds `json:"travelS,omitempty"`
	Response *Seconds `json:"responseS,omitempty"`
	Units    int      `json:"units"`
}

// Equipment is equipment lent to an incident.
type Equipment struct {
	Incident  string   `json:"incident"`
	Warehouse string   `json:"warehouse"`
	Type      string   `json:"type"`
	Quantity  float64  `json:"quantity"`
	Unit      string   `json:"unit"`
	Items     []string `json:"items,omitempty"`
	State     string   `json:"state"`
}

// Map is what the report's map draws: the incidents and the units' routes,
// in WGS84 longitude/latitude.
type Map struct {
	// Bounds is [west, south, east, north], covering everything drawn.
	Bounds    [4]float64 `json:"bounds"`
	Incidents []Place    `json:"incidents"`
	Routes    []Route    `json:"routes"`
}

// Place is a point with a label.
type Place struct {
	Label string     `json:"label"`
	Point [2]float64 `json:"point"`
}

// Route is the way a vehicle was sent.
type Route struct {
	Vehicle string       `json:"vehicle"`
	Line    [][2]float64 `json:"line"`
}
