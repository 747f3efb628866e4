package twin

import (
	"math"

	"github.com/paulmach/orb"
)

// TankType is the construction of a storage tank; it decides the foam
// application for a tank fire.
type TankType int

// The tank types.
const (
	FixedRoof TankType = iota + 1
	InternalFloatingRoof
	ExternalFloatingRoof
	PressureSphere
	Horizontal
)

var tankTypeNames = []string{"", "fixed-roof", "internal-floating-roof", "external-floating-roof",
	"pressure-sphere", "horizontal"}

func (t TankType) String() string               { return enumString(tankTypeNames, int(t)) }
func (t TankType) MarshalText() ([]byte, error) { return enumText(tankTypeNames, int(t), "tank type") }
func (t *TankType) UnmarshalText(b []byte) error {
	return enumInto(tankTypeNames, b, "tank type", (*int)(t))
}

// The foam systems of a tank.
const (
	FoamFixed     = "fixed"
	FoamSemiFixed = "semi-fixed"
)

// Tank is a storage tank (储罐) of an enterprise, usually one of a tank farm
// (罐区). HeightM is the shell height, or the length of a horizontal tank.
type Tank struct {
	ID             string    `json:"-"`
	Name           string    `json:"name"`
	Enterprise     string    `json:"enterprise"`
	Farm           string    `json:"farm,omitempty"`
	Chemical       string    `json:"chemical"`
	Type           TankType  `json:"type"`
	DiameterM      float64   `json:"diameterM"`
	HeightM        float64   `json:"heightM"`
	CapacityM3     float64   `json:"capacityM3"`
	MaxFill        float64   `json:"maxFill"`
	Position       orb.Point `json:"-"`
	SIS            bool      `json:"sis"`
	LastInspection Date      `json:"lastInspection"`

	// FoamSystem is the tank's own foam system: FoamFixed, FoamSemiFixed
	// (fire engines feed its fixed pourers), or none (empty): foam then
	// comes from the fire engines' monitors.
	FoamSystem string `json:"foamSystem,omitempty"`

	// Chilled marks a low-temperature atmospheric tank (低温常压储罐): one
	// of the ways GB 50160 §6.2 allows a 甲B liquid boiling below 45 °C
	// (propylene oxide) to be kept, besides pressure tanks.
	Chilled bool `json:"chilled,omitempty"`
	// InertGas is the blanket over the liquid (氮封: "nitrogen"), or empty
	// for none.
	InertGas string `json:"inertGas,omitempty"`
}

func (t *Tank) Kind() Kind             { return KindTank }
func (t *Tank) EntityID() string       { return t.ID }
func (t *Tank) Geometry() orb.Geometry { return t.Position }
func (t *Tank) setID(id string)        { t.ID = id }

func (t *Tank) setGeometry(g orb.Geometry) (err error) {
	t.Position, err = wantPoint(g)
	return err
}

func (t *Tank) refs() []ref {
	return []ref{{KindEnterprise, t.Enterprise, "enterprise"}, {KindChemical, t.Chemical, "chemical"}}
}

// Validate checks the tank's fields and ranges.
func (t *Tank) Validate() error {
	err := firstErr(validateID(KindTank, t.ID), required("name", t.Name),
		required("enterprise", t.Enterprise), required("chemical", t.Chemical),
		positive("diameterM", t.DiameterM), positive("heightM", t.HeightM),
		positive("capacityM3", t.CapacityM3), validPoint("geometry", t.Position))
	if err != nil {
		return err
	}
	if t.Type == 0 {
		return Required("type")
	}
	if t.FoamSystem != "" && t.FoamSystem != FoamFixed && t.FoamSystem != FoamSemiFixed {
		return Invalid("foamSystem", "want fixed or semi-fixed, or none, got %q", t.FoamSystem)
	}
	if !(t.MaxFill > 0 && t.MaxFill <= 1) {
		return Invalid("maxFill", "must be in (0, 1], got %v", t.MaxFill)
	}
	return nil
}

// FillFraction returns the share of the tank's volume held when its
// liquid stands levelM metres deep: in proportion for an upright
// cylinder; for a horizontal cylinder (its level measured across the
// diameter) the circular segment, (θ − sin θ)/2π with θ = 2·acos(1 − 2x);
// for a sphere the cap, x²(3 − 2x) — the shapes the demo park's level
// gauges are set by. x is the level over the diameter, or over the
// shell height for an upright tank.
func (t *Tank) FillFraction(levelM float64) float64 {
	span := t.HeightM
	if t.Type == Horizontal || t.Type == PressureSphere {
		span = t.DiameterM
	}
	if !(span > 0) {
		return 0
	}
	x := min(1, max(0, levelM/span))
	switch t.Type {
	case Horizontal:
		th := 2 * math.Acos(1-2*x)
		return (th - math.Sin(th)) / (2 * math.Pi)
	case PressureSphere:
		return x * x * (3 - 2*x)
	}
	return x
}
