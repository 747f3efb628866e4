package twin

import (
	"math"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin/msg"
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

// ResponseLevel is an incident's response level, in the English of
// China's emergency plans: I 特别重大 (especially serious, the gravest),
// II 重大 (serious), III 较大 (major), IV 一般 (general).
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
	// WhatMsg is What as a message (twin/msg), for the console to show
	// in its language; steps written before messages have none.
	WhatMsg *msg.Msg `json:"whatMsg,omitempty"`
	// Actor is the user whose command added the step, stamped by the
	// twin's writer from the command's actor (design rule 10): By is who
	// the step names, Actor who entered it.
	Actor string `json:"actor,omitempty"`
}

// stampSteps stamps the steps inc adds to prev's timeline with the user
// who made them. The steps are the command's own: nobody else holds them.
func stampSteps(inc, prev *Incident, user string) {
	from := 0
	if prev != nil {
		from = len(prev.Timeline)
	}
	for i := from; i < len(inc.Timeline); i++ {
		if inc.Timeline[i].Actor == "" {
			inc.Timeline[i].Actor = user
		}
	}
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
	// What was sent, once a plan is confirmed.
	Assignments []Assignment      `json:"assignments,omitempty"`
	Equipment   []EquipmentIssued `json:"equipment,omitempty"`
	// Evacuations are the targets ordered to evacuate, in order.
	Evacuations []Evacuation `json:"evacuations,omitempty"`
	// Release is the release as the operations room entered it; the
	// consequence zones are computed from it, or from the defaults of
	// dispatch/zones.yaml while there is none.
	Release  *Release  `json:"release,omitempty"`
	Position orb.Point `json:"-"`

	// Scope is what burns: a floating roof's rim seal, a tank's full
	// surface, or the dike around it (ScopeSeal, ScopeFullSurface,
	// ScopeDike); empty, the dispatch rules default it from the level.
	Scope string `json:"scope,omitempty"`
	// SpillM3 is the volume spilled, as far as it is known; zero, the
	// dispatch rules default it from the level.
	SpillM3 float64 `json:"spillM3,omitempty"`
}

// Release is what is known of an incident's release: a hole (its
// diameter, and whether it lets out liquid or vapour) or a rate, how long
// it lasts, and what the operations room knows better than the park's
// data (the inventory left, the pool's area, the height of the hole).
// Zero means not known: the zones take their defaults.
type Release struct {
	HoleDiameterMM float64 `json:"holeDiameterMM,omitempty"`
	RateKgS        float64 `json:"rateKgS,omitempty"`
	// Phase is what the hole lets out: ReleaseLiquid (below the liquid
	// level, the default) or ReleaseVapour (above it).
	Phase          string  `json:"phase,omitempty"`
	DurationS      float64 `json:"durationS,omitempty"`
	InventoryKg    float64 `json:"inventoryKg,omitempty"`
	PoolAreaM2     float64 `json:"poolAreaM2,omitempty"`
	ReleaseHeightM float64 `json:"releaseHeightM,omitempty"`
	Note           string  `json:"note,omitempty"`
	// EnteredAt and By say when and by whom it was entered.
	EnteredAt time.Time `json:"enteredAt"`
	By        string    `json:"by,omitempty"`
}

// What a hole lets out.
const (
	ReleaseLiquid = "liquid"
	ReleaseVapour = "vapour"
)

// Validate checks the release's own ranges; each error names its field.
// What depends on the source (a hole wider than the tank, more than it
// holds) is checked by dispatch against the tank.
func (r *Release) Validate() error {
	type rng struct {
		field string
		v     float64
		hi    float64
		unit  string
	}
	for _, f := range []rng{
		{"holeDiameterMM", r.HoleDiameterMM, 5000, "mm"},
		{"rateKgS", r.RateKgS, 10000, "kg/s"},
		{"durationS", r.DurationS, 86400, "s"},
		{"inventoryKg", r.InventoryKg, 1e8, "kg"},
		{"poolAreaM2", r.PoolAreaM2, 1e6, "m²"},
		{"releaseHeightM", r.ReleaseHeightM, 500, "m"},
	} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > f.hi {
			return Invalid(f.field, "must be between 0 and %g %s, got %v", f.hi, f.unit, f.v)
		}
	}
	switch {
	case r.HoleDiameterMM > 0 && r.RateKgS > 0:
		return Invalid("rateKgS", "give a hole diameter or a rate, not both")
	case r.Phase != "" && r.Phase != ReleaseLiquid && r.Phase != ReleaseVapour:
		return Invalid("phase", "want %s or %s, got %q", ReleaseLiquid, ReleaseVapour, r.Phase)
	}
	return nil
}

// Evacuation is a protective action ordered for a sensitive target
// (TGT-…) because of an incident — evacuation, or sheltering in place
// where leaving would take people through the plume — with who ordered
// it and when.
type Evacuation struct {
	Target    string    `json:"target"`
	Action    string    `json:"action"` // ProtectEvacuate or ProtectShelter
	OrderedAt time.Time `json:"orderedAt"`
	By        string    `json:"by,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// AssignmentState is where a unit sent to an incident stands.
type AssignmentState int

// The assignment states, in order.
const (
	AssignDispatched AssignmentState = iota + 1
	AssignEnRoute
	AssignOnScene
	AssignReturning
	AssignReleased
)

var assignmentStateNames = []string{"", "dispatched", "en-route", "on-scene", "returning", "released"}

func (s AssignmentState) String() string { return enumString(assignmentStateNames, int(s)) }
func (s AssignmentState) MarshalText() ([]byte, error) {
	return enumText(assignmentStateNames, int(s), "assignment state")
}
func (s *AssignmentState) UnmarshalText(b []byte) error {
	return enumInto(assignmentStateNames, b, "assignment state", (*int)(s))
}

// Assignment is one vehicle sent to an incident, with its times: the
// order, the turnout (wheels rolling), the arrival; its response time is
// arrival − order.
type Assignment struct {
	Team    string   `json:"team"`
	Vehicle string   `json:"vehicle"`
	Route   []string `json:"route"`
	EtaS    float64  `json:"etaS"`
	// Staging is where the route ends when the incident has hot zones
	// ([lon, lat]): the unit waits there, or goes on toward the source
	// when Onward (dispatch's staging).
	Staging    []float64       `json:"staging,omitempty"`
	Onward     bool            `json:"onward,omitempty"`
	TurnoutS   float64         `json:"turnoutS"`
	State      AssignmentState `json:"state"`
	OrderedAt  time.Time       `json:"orderedAt"`
	TurnoutAt  time.Time       `json:"turnoutAt,omitzero"`
	ArrivedAt  time.Time       `json:"arrivedAt,omitzero"`
	ReturnedAt time.Time       `json:"returnedAt,omitzero"`
}

// EquipmentState is where equipment lent to an incident stands.
type EquipmentState int

// The equipment states.
const (
	EquipReserved EquipmentState = iota + 1
	EquipIssued
	EquipReturned
)

var equipmentStateNames = []string{"", "reserved", "issued", "returned"}

func (s EquipmentState) String() string { return enumString(equipmentStateNames, int(s)) }
func (s EquipmentState) MarshalText() ([]byte, error) {
	return enumText(equipmentStateNames, int(s), "equipment state")
}
func (s *EquipmentState) UnmarshalText(b []byte) error {
	return enumInto(equipmentStateNames, b, "equipment state", (*int)(s))
}

// EquipmentIssued is equipment lent to an incident from one warehouse:
// bulk stock by quantity, or serialized items by serial.
type EquipmentIssued struct {
	Type      string         `json:"type"`
	Warehouse string         `json:"warehouse"`
	Quantity  float64        `json:"quantity"`
	Unit      string         `json:"unit"`
	Items     []string       `json:"items,omitempty"`
	State     EquipmentState `json:"state"`
	// Vehicle is the vehicle that carries it, when the operator said so:
	// it comes back when the vehicle is released.
	Vehicle string `json:"vehicle,omitempty"`
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

// The scopes of a fire.
const (
	ScopeSeal        = "seal"
	ScopeFullSurface = "full-surface"
	ScopeDike        = "dike"
)

// The protective actions.
const (
	ProtectEvacuate = "evacuate"
	ProtectShelter  = "shelter-in-place"
)

// Open reports whether the incident is not yet closed.
func (i *Incident) Open() bool { return i.State != IncidentClosed }

// Validate checks the incident's fields.
func (i *Incident) Validate() error {
	err := firstErr(validateID(KindIncident, i.ID), required("reporter", i.Reporter), validPoint("geometry", i.Position))
	switch {
	case err != nil:
		return err
	case i.Type == 0:
		return Required("type")
	case i.Level == 0:
		return Required("level")
	case i.State == 0:
		return Required("state")
	case i.ReportedAt.IsZero():
		return Required("reportedAt")
	case i.Chemical != "" && !ValidCAS(i.Chemical):
		return Invalid("chemical", "%q is not a CAS number", i.Chemical)
	case i.Scope != "" && i.Scope != ScopeSeal && i.Scope != ScopeFullSurface && i.Scope != ScopeDike:
		return Invalid("scope", "want seal, full-surface or dike, got %q", i.Scope)
	case i.SpillM3 < 0 || i.SpillM3 > 1e6:
		return Invalid("spillM3", "must be 0 to 1,000,000 m³, got %v", i.SpillM3)
	case i.Release != nil:
		if err := i.Release.Validate(); err != nil {
			if e, ok := err.(*Error); ok {
				return InField("release."+e.Field, e)
			}
			return err
		}
	}
	return nil
}
