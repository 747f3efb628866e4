package twin

import (
	"errors"

	"github.com/paulmach/orb"
)

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
	// Weather is the weather the park's zones are computed with: the
	// override while there is one, else the stations' latest change.
	Weather *Weather `json:"weather,omitempty"`
	// WeatherOverride is the operator's (or a drill's) weather, which
	// stands until it is withdrawn.
	WeatherOverride *Weather `json:"weatherOverride,omitempty"`
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
	for _, w := range []struct {
		field string
		w     *Weather
	}{{"weather", p.Weather}, {"weatherOverride", p.WeatherOverride}} {
		if w.w == nil {
			continue
		}
		if err := w.w.Validate(); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return InField(w.field+"."+e.Field, e)
			}
			return err
		}
	}
	return nil
}
