package twin

import (
	"time"

	"github.com/paulmach/orb"
)

// IncidentType is what happened.
type IncidentType int

// The incident types.
const (
	TankFire IncidentType = iota + 1
	PoolFire
	ToxicRelease
	FlammableLeak
	Explosion
	ConfinedSpaceIncident // poisoning or asphyxiation in a confined space
	VehicleAccident       // a hazmat vehicle
	WaterPollution
)

// IncidentTypeNames lists the incident types' names in order.
var IncidentTypeNames = []string{"tank-fire", "pool-fire", "toxic-release", "flammable-leak", "explosion",
	"confined-space", "vehicle-accident", "water-pollution"}

var incidentTypeNames = append([]string{""}, IncidentTypeNames...)

func (t IncidentType) String() string { return enumString(incidentTypeNames, int(t)) }
func (t IncidentType) MarshalText() ([]byte, error) {
	return enumText(incidentTypeNames, int(t), "incident type")
}
func (t *IncidentType) UnmarshalText(b []byte) error {
	return enumInto(incidentTypeNames, b, "incident type", (*int)(t))
}

// ResponseLevel is an incident's response level: I 特别重大 (gravest), II 重大,
// III 较大, IV 一般.
type ResponseLevel int

// The response levels, gravest first.
const (
	LevelI ResponseLevel = iota + 1
	LevelII
	LevelIII
	LevelIV
)

// LevelNames lists the levels' names, gravest first.
var LevelNames = []string{"I", "II", "III", "IV"}

var levelNames = append([]string{""}, LevelNames...)

func (l ResponseLevel) String() string               { return enumString(levelNames, int(l)) }
func (l ResponseLevel) MarshalText() ([]byte, error) { return enumText(levelNames, int(l), "level") }
func (l *ResponseLevel) UnmarshalText(b []byte) error {
	return enumInto(levelNames, b, "level", (*int)(l))
}

// IncidentState is where an incident stands:
// reported → confirmed → dispatched → under control → closed.
type IncidentState int

// The incident states.
const (
	IncidentReported IncidentState = iota + 1
	IncidentConfirmed
	IncidentDispatched
	IncidentUnderControl
	IncidentClosed
)

var incidentStateNames = []string{"", "reported", "confirmed", "dispatched", "under-control", "closed"}

func (s IncidentState) String() string { return enumString(incidentStateNames, int(s)) }
func (s IncidentState) MarshalText() ([]byte, error) {
	return enumText(incidentStateNames, int(s), "incident state")
}
func (s *IncidentState) UnmarshalText(b []byte) error {
	return enumInto(incidentStateNames, b, "incident state", (*int)(s))
}

// TimelineEntry is one thing that happened in an incident.
type TimelineEntry struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
	By   string    `json:"by,omitempty"`
}

// Incident is an emergency in the park: its type, level and place (an
// entity, or a point), the chemical involved, who reported it, and a
// timeline of everything that happened since.
type Incident struct {
	ID         string          `json:"-"`
	Type       IncidentType    `json:"type"`
	Level      ResponseLevel   `json:"level"`
	State      IncidentState   `json:"state"`
	Entity     string          `json:"entity,omitempty"`
	Enterprise string          `json:"enterprise,omitempty"`
	Chemical   string          `json:"chemical,omitempty"`
	Alarm      string          `json:"alarm,omitempty"`
	Reporter   string          `json:"reporter"`
	ReportedAt time.Time       `json:"reportedAt"`
	Reports    int             `json:"reports"` // how many reports were merged into it
	Timeline   []TimelineEntry `json:"timeline"`
	Position   orb.Point       `json:"-"`
}

func (i *Incident) Kind() Kind             { return KindIncident }
func (i *Incident) EntityID() string       { return i.ID }
func (i *Incident) Geometry() orb.Geometry { return i.Position }
func (i *Incident) setID(id string)        { i.ID = id }
func (i *Incident) refs() []ref            { return nil }

func (i *Incident) setGeometry(g orb.Geometry) (err error) {
	i.Position, err = wantPoint(g)
	return err
}

// Open reports whether the incident is not yet closed.
func (i *Incident) Open() bool { return i.State != IncidentClosed }

// Validate checks the incident's fields.
func (i *Incident) Validate() error {
	err := firstErr(validateID(KindIncident, i.ID), required("reporter", i.Reporter), validPoint("geometry", i.Position))
	switch {
	case err != nil:
		return err
	case i.Type == 0:
		return Invalid("type", "required")
	case i.Level == 0:
		return Invalid("level", "required")
	case i.State == 0:
		return Invalid("state", "required")
	case i.ReportedAt.IsZero():
		return Invalid("reportedAt", "required")
	case i.Chemical != "" && !ValidCAS(i.Chemical):
		return Invalid("chemical", "%q is not a CAS number", i.Chemical)
	}
	return nil
}
