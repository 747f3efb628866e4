package twin

import "github.com/paulmach/orb"

// TargetType is the kind of a sensitive target (敏感目标).
type TargetType int

// The target types.
const (
	School TargetType = iota + 1
	Hospital
	Residential
	WaterSource
	NursingHome
	Office
)

var targetTypeNames = []string{"", "school", "hospital", "residential", "water-source", "nursing-home", "office"}

func (t TargetType) String() string { return enumString(targetTypeNames, int(t)) }
func (t TargetType) MarshalText() ([]byte, error) {
	return enumText(targetTypeNames, int(t), "target type")
}
func (t *TargetType) UnmarshalText(b []byte) error {
	return enumInto(targetTypeNames, b, "target type", (*int)(t))
}

// Target is a sensitive target near the park: where people live, learn or
// are treated, or where water is drawn. Its population enters the GB 18218
// correction factor α of every major hazard unit within 500 m.
type Target struct {
	ID         string     `json:"-"`
	Name       string     `json:"name"`
	Type       TargetType `json:"type"`
	Population int        `json:"population"`
	Position   orb.Point  `json:"-"`
}

func (t *Target) Kind() Kind             { return KindTarget }
func (t *Target) EntityID() string       { return t.ID }
func (t *Target) Geometry() orb.Geometry { return t.Position }
func (t *Target) setID(id string)        { t.ID = id }
func (t *Target) refs() []ref            { return nil }

func (t *Target) setGeometry(g orb.Geometry) (err error) {
	t.Position, err = wantPoint(g)
	return err
}

// Validate checks the target's fields.
func (t *Target) Validate() error {
	err := firstErr(validateID(KindTarget, t.ID), required("name", t.Name), validPoint("geometry", t.Position))
	if err != nil {
		return err
	}
	if t.Type == 0 {
		return Required("type")
	}
	if t.Population < 0 || t.Population > 10_000_000 {
		return Invalid("population", "must be 0 to 10000000, got %d", t.Population)
	}
	return nil
}
