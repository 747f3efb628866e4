package twin

// Kind is the kind of an entity. The zero value means unset.
type Kind int

// The kinds, in the order a park is built: a kind may refer only to kinds
// before it, so loading in this order never meets a dangling reference.
const (
	KindPark Kind = iota + 1
	KindChemical
	KindEnterprise
	KindTank
	KindSewagePool
	KindWasteStore
	KindHazardUnit
	KindWarehouse
	KindTeam
	KindRoad
	KindTarget
	KindSensor
	KindAlarm
	KindOrder
	KindDanger
	KindGrading
	KindTask
	KindIncident
	KindLedger   // entries of the warehouses' ledgers: append-only
	KindLoan     // equipment lent by a warehouse
	KindHandover // shift handover records: signed, then immutable
	numKinds     = iota
)

// Kinds lists every kind in load order.
var Kinds = []Kind{KindPark, KindChemical, KindEnterprise, KindTank, KindSewagePool,
	KindWasteStore, KindHazardUnit, KindWarehouse, KindTeam, KindRoad, KindTarget,
	KindSensor, KindAlarm, KindOrder, KindDanger, KindGrading, KindTask, KindIncident, KindLedger, KindLoan,
	KindHandover}

// ParkKinds lists the kinds a park file holds, in load order: the park's
// make-up and its instruments, not the records of its monitoring.
var ParkKinds = []Kind{KindPark, KindChemical, KindEnterprise, KindTank, KindSewagePool,
	KindWasteStore, KindHazardUnit, KindWarehouse, KindTeam, KindRoad, KindTarget, KindSensor}

type kindInfo struct {
	name   string // properties.kind in a Feature
	path   string // the collection's name in the REST API
	count  string // the key in the park's counts
	prefix string // ID prefix, "" where IDs are not generated
	// managed kinds are made and changed by the monitoring, not by hand:
	// the REST API reads them and changes them only through their actions.
	managed bool
}

var kindInfos = [numKinds + 1]kindInfo{
	KindPark:       {"park", "park", "", "", false},
	KindChemical:   {"chemical", "chemicals", "chemicals", "", false},
	KindEnterprise: {"enterprise", "enterprises", "enterprises", "ENT-", false},
	KindTank:       {"tank", "tanks", "tanks", "TNK-", false},
	KindSewagePool: {"sewage-pool", "sewage-pools", "sewagePools", "SWP-", false},
	KindWasteStore: {"waste-store", "waste-stores", "wasteStores", "HWS-", false},
	KindHazardUnit: {"hazard-unit", "hazard-units", "hazardUnits", "MHU-", false},
	KindWarehouse:  {"warehouse", "warehouses", "warehouses", "WH-", false},
	KindTeam:       {"team", "teams", "teams", "TEAM-", false},
	KindRoad:       {"road", "roads", "roads", "RD-", false},
	KindTarget:     {"target", "targets", "targets", "TGT-", false},
	KindSensor:     {"sensor", "sensors", "sensors", "SEN-", false},
	KindAlarm:      {"alarm", "alarms", "alarms", "ALM-", true},
	KindOrder:      {"order", "orders", "orders", "VO-", true},
	KindDanger:     {"hidden-danger", "hidden-dangers", "hiddenDangers", "HD-", true},
	KindGrading:    {"grading", "gradings", "gradings", "GRD-", true},
	KindTask:       {"task", "tasks", "tasks", "TSK-", true},
	KindIncident:   {"incident", "incidents", "incidents", "INC-", true},
	KindLedger:     {"ledger-entry", "ledger", "", "LE-", true},
	KindLoan:       {"loan", "loans", "", "LN-", true},
	KindHandover:   {"handover", "handovers", "", "HO-", true},
}

func (k Kind) valid() bool { return k >= KindPark && k < numKinds+1 }

// Managed reports whether entities of the kind are made and changed by
// the monitoring (alarms, orders, hidden dangers, gradings, tasks) through
// their own actions rather than by plain create, patch and delete.
func (k Kind) Managed() bool { return k.info().managed }

// String returns the kind's name as written in properties.kind.
func (k Kind) String() string {
	if !k.valid() {
		return "unknown"
	}
	return kindInfos[k].name
}

// Path returns the name of the kind's collection in the REST API.
func (k Kind) Path() string { return k.info().path }

// CountKey returns the key under which the park's counts list the kind.
func (k Kind) CountKey() string { return k.info().count }

// Prefix returns the prefix of the kind's IDs.
func (k Kind) Prefix() string { return k.info().prefix }

func (k Kind) info() kindInfo {
	if !k.valid() {
		return kindInfo{}
	}
	return kindInfos[k]
}

// ParseKind returns the kind named s (as in properties.kind).
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if kindInfos[k].name == s {
			return k, true
		}
	}
	return 0, false
}

// KindByPath returns the kind whose REST collection is named p.
func KindByPath(p string) (Kind, bool) {
	for _, k := range Kinds {
		if kindInfos[k].path == p {
			return k, true
		}
	}
	return 0, false
}

// MarshalText writes the kind's name.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.valid() {
		return nil, Invalid("kind", "unset kind")
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	v, ok := ParseKind(string(b))
	if !ok {
		return Invalid("kind", "unknown kind %q", b)
	}
	*k = v
	return nil
}
