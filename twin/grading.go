package twin

import (
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin/msg"
)

// GradingItem is one chemical's share of a major hazard unit: q, Q and β.
type GradingItem struct {
	CAS        string  `json:"cas"`
	NameZh     string  `json:"nameZh"`
	QuantityT  float64 `json:"quantityT"`
	CriticalQT float64 `json:"criticalQT"`
	Beta       float64 `json:"beta"`
}

// Grading is an immutable record of one identification and grading of a
// major hazard unit under its Standard: the inputs (items, population),
// S, α, R and the level (1 highest to 4; 0 when S < 1). Basis says whether
// it was made on design-maximum quantities or on live inventories.
type Grading struct {
	ID         string        `json:"-"`
	Unit       string        `json:"unit"`
	Standard   string        `json:"standard"`
	Basis      string        `json:"basis"`
	Items      []GradingItem `json:"items"`
	Population int           `json:"population"`
	Alpha      float64       `json:"alpha"`
	S          float64       `json:"s"`
	R          float64       `json:"r"`
	Level      int           `json:"level"`
	At         time.Time     `json:"at"`
	Reason     string        `json:"reason,omitempty"`
	ReasonMsg  *msg.Msg      `json:"reasonMsg,omitempty"` // Reason as a message, when the monitoring wrote it
}

func (g *Grading) Kind() Kind             { return KindGrading }
func (g *Grading) EntityID() string       { return g.ID }
func (g *Grading) Geometry() orb.Geometry { return nil }
func (g *Grading) setID(id string)        { g.ID = id }
func (g *Grading) refs() []ref            { return nil }

func (g *Grading) setGeometry(geom orb.Geometry) error {
	if geom != nil {
		return Invalid("geometry", "a grading has no geometry")
	}
	return nil
}

// Validate checks the record's fields.
func (g *Grading) Validate() error {
	err := firstErr(validateID(KindGrading, g.ID), required("unit", g.Unit), required("standard", g.Standard),
		required("basis", g.Basis))
	switch {
	case err != nil:
		return err
	case g.Level < 0 || g.Level > 4:
		return Invalid("level", "must be 0 to 4, got %d", g.Level)
	case g.At.IsZero():
		return Required("at")
	}
	return nil
}
