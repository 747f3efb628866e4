package twin

import "github.com/paulmach/orb"

// WasteStore is an enterprise's hazardous-waste store (危废储存场所), which
// the mission text wants under thermal-imaging watch (item 8).
type WasteStore struct {
	ID            string      `json:"-"`
	Name          string      `json:"name"`
	Enterprise    string      `json:"enterprise"`
	CapacityT     float64     `json:"capacityT"`
	ThermalCamera bool        `json:"thermalCamera"`
	Footprint     orb.Polygon `json:"-"`
}

func (w *WasteStore) Kind() Kind             { return KindWasteStore }
func (w *WasteStore) EntityID() string       { return w.ID }
func (w *WasteStore) Geometry() orb.Geometry { return w.Footprint }
func (w *WasteStore) setID(id string)        { w.ID = id }
func (w *WasteStore) refs() []ref            { return []ref{{KindEnterprise, w.Enterprise, "enterprise"}} }

func (w *WasteStore) setGeometry(g orb.Geometry) (err error) {
	w.Footprint, err = wantPolygon(g)
	return err
}

// Validate checks the store's fields and footprint.
func (w *WasteStore) Validate() error {
	return firstErr(validateID(KindWasteStore, w.ID), required("name", w.Name),
		required("enterprise", w.Enterprise), positive("capacityT", w.CapacityT),
		validPolygon("geometry", w.Footprint))
}
