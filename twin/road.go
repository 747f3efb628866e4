package twin

import "github.com/paulmach/orb"

// RoadClass is the class of a road segment.
type RoadClass int

// The road classes.
const (
	Expressway RoadClass = iota + 1
	Arterial
	Secondary
	Branch
	Access // inside an enterprise or a tank farm
)

var roadClassNames = []string{"", "expressway", "arterial", "secondary", "branch", "access"}

func (c RoadClass) String() string { return enumString(roadClassNames, int(c)) }
func (c RoadClass) MarshalText() ([]byte, error) {
	return enumText(roadClassNames, int(c), "road class")
}
func (c *RoadClass) UnmarshalText(b []byte) error {
	return enumInto(roadClassNames, b, "road class", (*int)(c))
}

// Road is a road segment between two junctions. A one-way segment runs in
// the direction of its line.
type Road struct {
	ID               string         `json:"-"`
	Name             string         `json:"name"`
	Line             orb.LineString `json:"-"`
	Class            RoadClass      `json:"class"`
	SpeedKmh         float64        `json:"speedKmh"`
	OneWay           bool           `json:"oneWay"`
	Closed           bool           `json:"closed"`
	HazmatRestricted bool           `json:"hazmatRestricted"`
}

func (r *Road) Kind() Kind             { return KindRoad }
func (r *Road) EntityID() string       { return r.ID }
func (r *Road) Geometry() orb.Geometry { return r.Line }
func (r *Road) setID(id string)        { r.ID = id }
func (r *Road) refs() []ref            { return nil }

func (r *Road) setGeometry(g orb.Geometry) (err error) {
	r.Line, err = wantLine(g)
	return err
}

// Validate checks the segment's fields and line.
func (r *Road) Validate() error {
	err := firstErr(validateID(KindRoad, r.ID), validLine("geometry", r.Line))
	if err != nil {
		return err
	}
	if r.Class == 0 {
		return Required("class")
	}
	if !(r.SpeedKmh > 0 && r.SpeedKmh <= 130) {
		return Invalid("speedKmh", "must be in (0, 130], got %v", r.SpeedKmh)
	}
	return nil
}
