package twin

import (
	"fmt"
	"parktwin/twin/msg"

	"math"
	"regexp"

	"github.com/paulmach/orb"
)

// Entity is one thing in the park. The set of entities is closed: every
// kind is a type of this package.
//
// An entity handed to the twin in a command belongs to the twin from then
// on, and the entities in a Snapshot are shared by every reader: treat both
// as read-only, and change an entity with a new command.
type Entity interface {
	Kind() Kind
	EntityID() string
	// Geometry returns the entity's geometry, or nil for a kind without
	// one (chemicals).
	Geometry() orb.Geometry
	// Validate checks the rules an entity can check by itself: required
	// fields, ranges, enumerations, well-formed geometry. The twin checks
	// references and placement against the park.
	Validate() error

	setID(id string)
	setGeometry(g orb.Geometry) error
	refs() []ref
}

// ref is a reference from one entity to another, named by the field that
// holds it.
type ref struct {
	kind  Kind
	id    string
	field string
}

// New returns a new, empty entity of kind k.
func New(k Kind) Entity {
	switch k {
	case KindPark:
		return &Park{}
	case KindChemical:
		return &Chemical{}
	case KindEnterprise:
		return &Enterprise{}
	case KindTank:
		return &Tank{}
	case KindSewagePool:
		return &SewagePool{}
	case KindWasteStore:
		return &WasteStore{}
	case KindHazardUnit:
		return &HazardUnit{}
	case KindWarehouse:
		return &Warehouse{}
	case KindTeam:
		return &Team{}
	case KindRoad:
		return &Road{}
	case KindTarget:
		return &Target{}
	case KindSensor:
		return &Sensor{}
	case KindAlarm:
		return &Alarm{}
	case KindOrder:
		return &Order{}
	case KindDanger:
		return &Danger{}
	case KindGrading:
		return &Grading{}
	case KindTask:
		return &Task{}
	case KindIncident:
		return &Incident{}
	case KindLedger:
		return &LedgerEntry{}
	case KindLoan:
		return &Loan{}
	case KindHandover:
		return &Handover{}
	}
	return nil
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// validateID checks an entity's ID: readable, bounded, and carrying its
// kind's prefix where the kind has one.
func validateID(k Kind, id string) error {
	if id == "" {
		return Required("id")
	}
	if !idPattern.MatchString(id) {
		return Reasoned(EINVALID, "id", fmt.Sprintf("%q is not an ID: letters, digits, '-' and '_', at most 64", id),
			msg.New("error.badID", "field", "id", "got", id))
	}
	switch k {
	case KindPark:
		if id != ParkID {
			return Invalid("id", "the park's ID is %q", ParkID)
		}
	case KindChemical:
		if !ValidCAS(id) {
			return Invalid("id", "a chemical's ID is its CAS number; %q is not a valid CAS number", id)
		}
	default:
		if p := k.Prefix(); len(id) <= len(p) || id[:len(p)] != p {
			return Invalid("id", "a %s's ID starts with %q", k, p)
		}
	}
	return nil
}

func required(field, v string) error {
	if v == "" {
		return Required(field)
	}
	return nil
}

func positive(field string, v float64) error {
	if !(v > 0) || v > 1e12 {
		return Reasoned(EINVALID, field, fmt.Sprintf("must be a positive number, got %v", v),
			msg.New("error.positive", "field", field, "got", fmt.Sprint(v)))
	}
	return nil
}

func nonNegative(field string, v float64) error {
	if !(v >= 0) || v > 1e12 {
		return Reasoned(EINVALID, field, fmt.Sprintf("must be zero or more, got %v", v),
			msg.New("error.nonNegative", "field", field, "got", fmt.Sprint(v)))
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func finite(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Invalid(field, "must be a finite number")
	}
	return nil
}

// EnterpriseOf returns the enterprise an entity belongs to: its owner for
// what an enterprise owns, the enterprise itself, or "".
func EnterpriseOf(e Entity) string {
	switch e := e.(type) {
	case *Enterprise:
		return e.ID
	case *Tank:
		return e.Enterprise
	case *SewagePool:
		return e.Enterprise
	case *WasteStore:
		return e.Enterprise
	case *HazardUnit:
		return e.Enterprise
	}
	return ""
}
