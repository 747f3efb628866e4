package twin

import (
	"fmt"

	"github.com/paulmach/orb"
)

// TeamType is the kind of a rescue team.
type TeamType int

// The team types.
const (
	SpecialDutyStation TeamType = iota + 1 // 园区特勤站
	EnterpriseBrigade                      // 企业专职消防队
	ChemicalRescue                         // 省标化工专业救援队伍
	HazmatTeam                             // 危化品处置队
	EnvironmentalTeam                      // 环境应急监测队
	MedicalTeam                            // 医疗救护队
	FireStation                            // 区消防救援站（园区外）
)

var teamTypeNames = []string{"", "special-duty-station", "enterprise-brigade", "chemical-rescue",
	"hazmat", "environmental", "medical", "fire-station"}

func (t TeamType) String() string               { return enumString(teamTypeNames, int(t)) }
func (t TeamType) MarshalText() ([]byte, error) { return enumText(teamTypeNames, int(t), "team type") }
func (t *TeamType) UnmarshalText(b []byte) error {
	return enumInto(teamTypeNames, b, "team type", (*int)(t))
}

// Capability is something a team can do; run cards ask for them.
type Capability int

// The capabilities.
const (
	CapFirefighting Capability = iota + 1
	CapFoam
	CapCooling
	CapHazmatDetection
	CapLeakSealing
	CapDecontamination
	CapConfinedSpaceRescue
	CapGasProtection
	CapHighAngleRescue
	CapEnvironmentalMonitoring
	CapMedical
	CapCommand
)

var capabilityNames = []string{"", "firefighting", "foam", "cooling", "hazmat-detection",
	"leak-sealing", "decontamination", "confined-space-rescue", "gas-protection",
	"high-angle-rescue", "environmental-monitoring", "medical", "command"}

func (c Capability) String() string { return enumString(capabilityNames, int(c)) }
func (c Capability) MarshalText() ([]byte, error) {
	return enumText(capabilityNames, int(c), "capability")
}
func (c *Capability) UnmarshalText(b []byte) error {
	return enumInto(capabilityNames, b, "capability", (*int)(c))
}

// VehicleType is the kind of a rescue vehicle.
type VehicleType int

// The vehicle types.
const (
	FoamTender VehicleType = iota + 1
	WaterTender
	AerialPlatform
	HighFlowMonitor
	HazmatVehicle
	DeconVehicle
	GasProtectionVehicle
	CommandVehicle
	RescueVehicle
	Ambulance
	EnvironmentalVehicle
)

var vehicleTypeNames = []string{"", "foam-tender", "water-tender", "aerial-platform",
	"high-flow-monitor", "hazmat-detection", "decontamination", "gas-protection", "command",
	"rescue", "ambulance", "environmental-monitor"}

func (t VehicleType) String() string { return enumString(vehicleTypeNames, int(t)) }
func (t VehicleType) MarshalText() ([]byte, error) {
	return enumText(vehicleTypeNames, int(t), "vehicle type")
}
func (t *VehicleType) UnmarshalText(b []byte) error {
	return enumInto(vehicleTypeNames, b, "vehicle type", (*int)(t))
}

// FoamType is a type of foam concentrate and its proportioning.
type FoamType int

// The foam types. AR (alcohol-resistant) foam is needed on water-soluble
// liquids.
const (
	AFFF3 FoamType = iota + 1
	AFFF6
	ARAFFF3
	ARAFFF6
	FP6
)

var foamTypeNames = []string{"", "afff-3", "afff-6", "ar-afff-3", "ar-afff-6", "fp-6"}

func (f FoamType) String() string               { return enumString(foamTypeNames, int(f)) }
func (f FoamType) MarshalText() ([]byte, error) { return enumText(foamTypeNames, int(f), "foam type") }
func (f *FoamType) UnmarshalText(b []byte) error {
	return enumInto(foamTypeNames, b, "foam type", (*int)(f))
}

// Status is the state of a team or a vehicle in the dispatch cycle.
type Status int

// The statuses.
const (
	Available Status = iota + 1
	Dispatched
	EnRoute
	OnScene
	Returning
	OutOfService
)

var statusNames = []string{"", "available", "dispatched", "en-route", "on-scene", "returning", "out-of-service"}

func (s Status) String() string                { return enumString(statusNames, int(s)) }
func (s Status) MarshalText() ([]byte, error)  { return enumText(statusNames, int(s), "status") }
func (s *Status) UnmarshalText(b []byte) error { return enumInto(statusNames, b, "status", (*int)(s)) }

// FoamLoad is foam concentrate carried on a vehicle.
type FoamLoad struct {
	Type   FoamType `json:"type"`
	Litres float64  `json:"litres"`
}

// Vehicle is one vehicle of a team.
type Vehicle struct {
	ID             string      `json:"id"`
	Name           string      `json:"name"`
	Type           VehicleType `json:"type"`
	Plate          string      `json:"plate"`
	Crew           int         `json:"crew"`
	WaterL         float64     `json:"waterL"`
	Foam           []FoamLoad  `json:"foam"`
	PumpLPerMin    float64     `json:"pumpLPerMin"`
	MonitorLPerMin float64     `json:"monitorLPerMin"`
	Status         Status      `json:"status"`
}

// Team is a fire or rescue team at its base, with its vehicles.
type Team struct {
	ID           string       `json:"-"`
	Name         string       `json:"name"`
	Type         TeamType     `json:"type"`
	Enterprise   string       `json:"enterprise,omitempty"`
	Base         orb.Point    `json:"-"`
	Personnel    int          `json:"personnel"`
	Phone        string       `json:"phone"`
	Capabilities []Capability `json:"capabilities"`
	Vehicles     []Vehicle    `json:"vehicles"`
	Status       Status       `json:"status"`
}

func (t *Team) Kind() Kind             { return KindTeam }
func (t *Team) EntityID() string       { return t.ID }
func (t *Team) Geometry() orb.Geometry { return t.Base }
func (t *Team) setID(id string)        { t.ID = id }

func (t *Team) setGeometry(g orb.Geometry) (err error) {
	t.Base, err = wantPoint(g)
	return err
}

func (t *Team) refs() []ref {
	if t.Enterprise == "" {
		return nil
	}
	return []ref{{KindEnterprise, t.Enterprise, "enterprise"}}
}

// Validate checks the team's fields and every vehicle.
func (t *Team) Validate() error {
	err := firstErr(validateID(KindTeam, t.ID), required("name", t.Name),
		required("phone", t.Phone), validPoint("geometry", t.Base))
	if err != nil {
		return err
	}
	switch {
	case t.Type == 0:
		return Required("type")
	case t.Type == EnterpriseBrigade && t.Enterprise == "":
		return Invalid("enterprise", "required for an enterprise brigade")
	case t.Status == 0:
		return Required("status")
	case t.Personnel < 0 || t.Personnel > 10000:
		return Invalid("personnel", "must be 0 to 10000, got %d", t.Personnel)
	}
	for i, c := range t.Capabilities {
		if c == 0 {
			return Invalid(fmt.Sprintf("capabilities[%d]", i), "unset capability")
		}
	}
	seen := map[string]bool{}
	crew := 0
	for i, v := range t.Vehicles {
		if err := v.validate(); err != nil {
			return prefixField(fmt.Sprintf("vehicles[%d]", i), err)
		}
		if seen[v.ID] {
			return Invalid(fmt.Sprintf("vehicles[%d].id", i), "%s is listed twice", v.ID)
		}
		seen[v.ID] = true
		crew += v.Crew
	}
	if crew > t.Personnel {
		return Invalid("personnel", "the vehicles' crews add up to %d, more than the team's %d", crew, t.Personnel)
	}
	return nil
}

func (v *Vehicle) validate() error {
	if len(v.ID) < 5 || v.ID[:4] != "VEH-" || !idPattern.MatchString(v.ID) {
		return Invalid("id", "a vehicle's ID starts with \"VEH-\", got %q", v.ID)
	}
	err := firstErr(required("name", v.Name), required("plate", v.Plate),
		nonNegative("waterL", v.WaterL), nonNegative("pumpLPerMin", v.PumpLPerMin),
		nonNegative("monitorLPerMin", v.MonitorLPerMin))
	if err != nil {
		return err
	}
	switch {
	case v.Type == 0:
		return Required("type")
	case v.Status == 0:
		return Required("status")
	case v.Crew < 0 || v.Crew > 20:
		return Invalid("crew", "must be 0 to 20, got %d", v.Crew)
	}
	for i, f := range v.Foam {
		if f.Type == 0 {
			return Invalid(fmt.Sprintf("foam[%d].type", i), "required")
		}
		if err := positive(fmt.Sprintf("foam[%d].litres", i), f.Litres); err != nil {
			return err
		}
	}
	return nil
}
