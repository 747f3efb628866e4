package twin

import "github.com/paulmach/orb"

// SewagePool is an enterprise's sewage pool or tank (污水池/罐), often a
// confined space (有限空间) watched for H₂S and oxygen (mission item 8, 14).
type SewagePool struct {
	ID            string    `json:"-"`
	Name          string    `json:"name"`
	Enterprise    string    `json:"enterprise"`
	VolumeM3      float64   `json:"volumeM3"`
	ConfinedSpace bool      `json:"confinedSpace"`
	Covered       bool      `json:"covered"`
	Position      orb.Point `json:"-"`
}

func (s *SewagePool) Kind() Kind             { return KindSewagePool }
func (s *SewagePool) EntityID() string       { return s.ID }
func (s *SewagePool) Geometry() orb.Geometry { return s.Position }
func (s *SewagePool) setID(id string)        { s.ID = id }
func (s *SewagePool) refs() []ref            { return []ref{{KindEnterprise, s.Enterprise, "enterprise"}} }

func (s *SewagePool) setGeometry(g orb.Geometry) (err error) {
	s.Position, err = wantPoint(g)
	return err
}

// Validate checks the pool's fields and ranges.
func (s *SewagePool) Validate() error {
	return firstErr(validateID(KindSewagePool, s.ID), required("name", s.Name),
		required("enterprise", s.Enterprise), positive("volumeM3", s.VolumeM3),
		validPoint("geometry", s.Position))
}
