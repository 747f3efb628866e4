package twin

import (
	"fmt"
	"regexp"

	"github.com/paulmach/orb"
)

// Tier is the level of a shared emergency-equipment warehouse (共享装备库);
// the dispatch rules say in which order tiers lend.
type Tier int

// The tiers.
const (
	TierDistrict Tier = iota + 1
	TierPark
	TierEnterprise
)

var tierNames = []string{"", "district", "park", "enterprise"}

func (t Tier) String() string                { return enumString(tierNames, int(t)) }
func (t Tier) MarshalText() ([]byte, error)  { return enumText(tierNames, int(t), "tier") }
func (t *Tier) UnmarshalText(b []byte) error { return enumInto(tierNames, b, "tier", (*int)(t)) }

// AssetState is the state of one serialized item of equipment (domain §5).
// Only an available item may be offered to a dispatch.
type AssetState int

// The asset states.
const (
	AssetAvailable AssetState = iota + 1
	AssetReserved
	AssetIssued
	AssetInUse
	AssetReturned // returned, waiting for inspection
	AssetRepair
	AssetQuarantined
	AssetRetired
	AssetLost
)

var assetStateNames = []string{"", "available", "reserved", "issued", "in-use", "returned",
	"repair", "quarantined", "retired", "lost"}

func (s AssetState) String() string { return enumString(assetStateNames, int(s)) }
func (s AssetState) MarshalText() ([]byte, error) {
	return enumText(assetStateNames, int(s), "asset state")
}
func (s *AssetState) UnmarshalText(b []byte) error {
	return enumInto(assetStateNames, b, "asset state", (*int)(s))
}

// Contact is a person to call.
type Contact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// Asset is one serialized item: an SCBA set, a gas detector, a pump.
type Asset struct {
	Serial         string     `json:"serial"`
	State          AssetState `json:"state"`
	NextInspection Date       `json:"nextInspection"`
	Expires        Date       `json:"expires,omitzero"` // end of its life, where it has one
	// Dues is the next due date of each of its type's periodic schedules
	// by schedule ID, where they differ; NextInspection stands for those
	// it does not name.
	Dues map[string]Date `json:"dues,omitempty"`
}

// StockLine is one line of a warehouse's stock: bulk stock by quantity
// (foam concentrate in litres, boom in metres) or serialized items, whose
// quantity is their count.
type StockLine struct {
	Type     string  `json:"type"`
	Name     string  `json:"name"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	// Expires is when bulk stock is past its shelf life, Due when its next
	// test falls (foam concentrate is lab-tested yearly); zero when they
	// do not apply.
	Expires Date    `json:"expires"`
	Due     Date    `json:"due,omitzero"`
	Items   []Asset `json:"items,omitempty"`
}

// Warehouse is a shared emergency-equipment warehouse (mission item 15).
// Owner names the organisation that runs it; Enterprise is set for an
// enterprise-tier warehouse. Its stock is derived from its ledger
// (Snapshot.Stock): Stock is read only when the warehouse is created (a
// park file, the demo park), as its opening stock, and written when it
// is shown (Snapshot.WithStock); the twin keeps none on it.
type Warehouse struct {
	ID         string      `json:"-"`
	Name       string      `json:"name"`
	Tier       Tier        `json:"tier"`
	Owner      string      `json:"owner"`
	Enterprise string      `json:"enterprise,omitempty"`
	Position   orb.Point   `json:"-"`
	Keeper     Contact     `json:"keeper"`
	Stock      []StockLine `json:"stock"`
}

func (w *Warehouse) Kind() Kind             { return KindWarehouse }
func (w *Warehouse) EntityID() string       { return w.ID }
func (w *Warehouse) Geometry() orb.Geometry { return w.Position }
func (w *Warehouse) setID(id string)        { w.ID = id }

func (w *Warehouse) setGeometry(g orb.Geometry) (err error) {
	w.Position, err = wantPoint(g)
	return err
}

func (w *Warehouse) refs() []ref {
	if w.Enterprise == "" {
		return nil
	}
	return []ref{{KindEnterprise, w.Enterprise, "enterprise"}}
}

// Equipment types are short kebab-case words ("foam-ar-afff-3", "scba");
// the dispatch rules name them.
var equipmentTypePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks the warehouse's fields and every stock line.
func (w *Warehouse) Validate() error {
	err := firstErr(validateID(KindWarehouse, w.ID), required("name", w.Name),
		required("owner", w.Owner), required("keeper.name", w.Keeper.Name),
		required("keeper.phone", w.Keeper.Phone), validPoint("geometry", w.Position))
	if err != nil {
		return err
	}
	switch {
	case w.Tier == 0:
		return Required("tier")
	case w.Tier == TierEnterprise && w.Enterprise == "":
		return Invalid("enterprise", "required for an enterprise warehouse")
	}
	for i, l := range w.Stock {
		if err := l.validate(); err != nil {
			return prefixField(fmt.Sprintf("stock[%d]", i), err)
		}
	}
	return nil
}

func (l *StockLine) validate() error {
	if !equipmentTypePattern.MatchString(l.Type) {
		return Invalid("type", "%q is not an equipment type (kebab-case, e.g. foam-ar-afff-3)", l.Type)
	}
	if err := firstErr(required("name", l.Name), required("unit", l.Unit), nonNegative("quantity", l.Quantity)); err != nil {
		return err
	}
	if len(l.Items) == 0 {
		return nil
	}
	if l.Quantity != float64(len(l.Items)) {
		return Invalid("quantity", "a serialized line's quantity is its count of items: %d, got %v", len(l.Items), l.Quantity)
	}
	seen := make(map[string]bool, len(l.Items))
	for i, it := range l.Items {
		f := fmt.Sprintf("items[%d]", i)
		switch {
		case it.Serial == "":
			return Required(f + ".serial")
		case seen[it.Serial]:
			return Invalid(f+".serial", "%s is listed twice", it.Serial)
		case it.State == 0:
			return Required(f + ".state")
		}
		seen[it.Serial] = true
	}
	return nil
}
