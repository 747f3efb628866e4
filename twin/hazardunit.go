package twin

import (
	"fmt"

	"github.com/paulmach/orb"
)

// UnitType says whether a major hazard unit is a production unit or a
// storage unit (GB 18218-2018 §3).
type UnitType int

// The unit types.
const (
	ProductionUnit UnitType = iota + 1
	StorageUnit
)

var unitTypeNames = []string{"", "production", "storage"}

func (u UnitType) String() string               { return enumString(unitTypeNames, int(u)) }
func (u UnitType) MarshalText() ([]byte, error) { return enumText(unitTypeNames, int(u), "unit type") }
func (u *UnitType) UnmarshalText(b []byte) error {
	return enumInto(unitTypeNames, b, "unit type", (*int)(u))
}

// HazardUnit is a major hazard installation (重大危险源) of an enterprise:
// the tanks and waste stores it holds, and its footprint. Its grading under
// GB 18218 is computed from these by the monitoring code.
type HazardUnit struct {
	ID         string      `json:"-"`
	Name       string      `json:"name"`
	Enterprise string      `json:"enterprise"`
	Type       UnitType    `json:"type"`
	Tanks      []string    `json:"tanks"`
	Stores     []string    `json:"stores"`
	Footprint  orb.Polygon `json:"-"`
}

func (h *HazardUnit) Kind() Kind             { return KindHazardUnit }
func (h *HazardUnit) EntityID() string       { return h.ID }
func (h *HazardUnit) Geometry() orb.Geometry { return h.Footprint }
func (h *HazardUnit) setID(id string)        { h.ID = id }

func (h *HazardUnit) setGeometry(g orb.Geometry) (err error) {
	h.Footprint, err = wantPolygon(g)
	return err
}

func (h *HazardUnit) refs() []ref {
	rs := []ref{{KindEnterprise, h.Enterprise, "enterprise"}}
	for i, id := range h.Tanks {
		rs = append(rs, ref{KindTank, id, fmt.Sprintf("tanks[%d]", i)})
	}
	for i, id := range h.Stores {
		rs = append(rs, ref{KindWasteStore, id, fmt.Sprintf("stores[%d]", i)})
	}
	return rs
}

// Validate checks the unit's fields and footprint.
func (h *HazardUnit) Validate() error {
	err := firstErr(validateID(KindHazardUnit, h.ID), required("name", h.Name),
		required("enterprise", h.Enterprise), validPolygon("geometry", h.Footprint))
	if err != nil {
		return err
	}
	if h.Type == 0 {
		return Required("type")
	}
	if err := uniqueIDs("tanks", h.Tanks); err != nil {
		return err
	}
	return uniqueIDs("stores", h.Stores)
}

func uniqueIDs(field string, ids []string) error {
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		if id == "" {
			return Invalid(f, "empty ID")
		}
		if seen[id] {
			return Invalid(f, "%s is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}
