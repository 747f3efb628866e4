package twin

import "github.com/paulmach/orb"

// ParkID is the ID of the one park of a twin.
const ParkID = "PARK"

// Park is the park itself: its name, its boundary (四至范围, the Feature's
// geometry), its safety control line (土地安全控制线) and the shore line
// that bounds it. Every other entity must lie within 10 km of the boundary.
type Park struct {
	ID          string         `json:"-"`
	Name        string         `json:"name"`
	NameEn      string         `json:"nameEn,omitempty"`
	Boundary    orb.Polygon    `json:"-"`
	ControlLine orb.Polygon    `json:"safetyControlLine,omitempty"`
	Shoreline   orb.LineString `json:"shoreline,omitempty"`
}

func (p *Park) Kind() Kind             { return KindPark }
func (p *Park) EntityID() string       { return p.ID }
func (p *Park) Geometry() orb.Geometry { return p.Boundary }
func (p *Park) setID(id string)        { p.ID = id }
func (p *Park) refs() []ref            { return nil }

func (p *Park) setGeometry(g orb.Geometry) (err error) {
	p.Boundary, err = wantPolygon(g)
	return err
}

// Validate checks the park's name and geometry.
func (p *Park) Validate() error {
	err := firstErr(validateID(KindPark, p.ID), required("name", p.Name), validPolygon("geometry", p.Boundary))
	if err != nil {
		return err
	}
	if p.ControlLine != nil {
		if err := validPolygon("safetyControlLine", p.ControlLine); err != nil {
			return err
		}
	}
	if p.Shoreline != nil {
		if err := validLine("shoreline", p.Shoreline); err != nil {
			return err
		}
	}
	return nil
}
