package twin

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"parktwin/twin/datafile"
)

// The equipment catalogue: every type of equipment a warehouse may hold,
// as data (equipment.yaml, docs/warehouses.md). The ledger takes entries
// of catalogued types alone; the catalogue says whether a type is counted
// item by item (serialized: SCBA sets, detectors) or by quantity (bulk:
// foam concentrate in litres), its unit, how long it keeps, how often it
// is inspected, and how much of it a warehouse of each tier should hold.

// EquipmentClass says how a type of equipment is counted.
type EquipmentClass int

// The classes.
const (
	Serialized EquipmentClass = iota + 1 // item by item, each with its serial
	Bulk                                 // by quantity, in lots
)

var equipmentClassNames = []string{"", "serialized", "bulk"}

func (c EquipmentClass) String() string { return enumString(equipmentClassNames, int(c)) }
func (c EquipmentClass) MarshalText() ([]byte, error) {
	return enumText(equipmentClassNames, int(c), "equipment class")
}
func (c *EquipmentClass) UnmarshalText(b []byte) error {
	return enumInto(equipmentClassNames, b, "equipment class", (*int)(c))
}

// EquipmentType is one type of the catalogue.
type EquipmentType struct {
	ID     string         `yaml:"id" json:"id"`
	Name   string         `yaml:"name" json:"name"`     // Chinese
	NameEn string         `yaml:"nameEn" json:"nameEn"` // English
	Class  EquipmentClass `yaml:"class" json:"class"`
	Unit   string         `yaml:"unit" json:"unit"` // 套, 台, L, kg, m
	UnitEn string         `yaml:"unitEn" json:"unitEn"`
	// ShelfLife is how long an item or a lot keeps from its receipt
	// (from its manufacture where the receipt says so): zero when it
	// does not expire.
	ShelfLife Period `yaml:"shelfLife" json:"shelfLife,omitzero"`
	// Inspections are the type's inspection schedules, each with its own
	// due date per item or lot: a calendar check, an after-use check, a
	// periodic test (hydrostatic, lab), a calibration (检定). A pass of
	// one moves that one's due date alone.
	Inspections []Schedule `yaml:"inspections" json:"inspections,omitempty"`
	// Inspection sums the schedules up for older readers: the first
	// periodic schedule's what, the shortest interval, whether after use.
	// Derived from Inspections; not read from the file.
	Inspection Inspection `yaml:"-" json:"inspection,omitzero"`
	// ReturnedUsed is what becomes of bulk stock returned after use (a
	// return not passed as unused): written off as hazardous waste, or
	// quarantined in a lot of its own until tested. Back on the shelf
	// when unset.
	ReturnedUsed *ReturnRule `yaml:"returnedUsed" json:"returnedUsed,omitempty"`
	// Minimum is the stock a warehouse of each tier should hold ready,
	// by tier name; a tier not named has no minimum.
	Minimum map[string]float64 `yaml:"minimum" json:"minimum,omitempty"`
	// Source names where the figures come from; Unverified marks figures
	// not checked against that source's own text.
	Source     string `yaml:"source" json:"source"`
	Unverified bool   `yaml:"unverified" json:"unverified,omitempty"`
}

// Inspection says when a type is inspected: every so long on the
// calendar, and after each use (a set back from an incident is not lent
// again until inspected).
type Inspection struct {
	What       string `yaml:"what" json:"what"`
	Every      Period `yaml:"every" json:"every,omitzero"`
	AfterUse   bool   `yaml:"afterUse" json:"afterUse,omitempty"`
	Source     string `yaml:"source" json:"source,omitempty"`
	Unverified bool   `yaml:"unverified" json:"unverified,omitempty"`
}

// ReturnRule is what becomes of bulk stock returned after use.
type ReturnRule struct {
	Goes       string `yaml:"goes" json:"goes"` // "waste" or "quarantine"
	Why        string `yaml:"why" json:"why"`   // the reason written on the entry
	Source     string `yaml:"source" json:"source"`
	Unverified bool   `yaml:"unverified" json:"unverified,omitempty"`
}

// ScheduleKind is what sort of inspection a schedule is.
type ScheduleKind string

// The kinds of schedule. An after-use schedule has no interval: an item
// back from use is not lent again until it passes; its ID is always
// "afterUse". The others fall due every so long.
const (
	ScheduleCalendar    ScheduleKind = "calendar"    // a routine check on the calendar
	ScheduleAfterUse    ScheduleKind = "afterUse"    // before it is lent again after use
	ScheduleTest        ScheduleKind = "test"        // a periodic test: hydrostatic, a lab test of a sample
	ScheduleCalibration ScheduleKind = "calibration" // a calibration (检定) by a metrology body
)

// AfterUseSchedule is the ID of every type's after-use schedule.
const AfterUseSchedule = "afterUse"

// Schedule is one inspection schedule of a type.
type Schedule struct {
	// ID names the schedule in ledger entries ("schedule") and due dates;
	// the kind when not given.
	ID         string       `yaml:"id" json:"id"`
	Kind       ScheduleKind `yaml:"kind" json:"kind"`
	What       string       `yaml:"what" json:"what"`
	Every      Period       `yaml:"every" json:"every,omitzero"`
	Source     string       `yaml:"source" json:"source"`
	Unverified bool         `yaml:"unverified" json:"unverified,omitempty"`
}

// Periodic reports whether the schedule falls due on the calendar.
func (s Schedule) Periodic() bool { return s.Kind != ScheduleAfterUse }

// Schedule returns the type's schedule of the given ID.
func (t *EquipmentType) Schedule(id string) (Schedule, bool) {
	for _, s := range t.Inspections {
		if s.ID == id {
			return s, true
		}
	}
	return Schedule{}, false
}

// Periodic returns the type's schedules that fall due on the calendar,
// in the catalogue's order.
func (t *EquipmentType) Periodic() []Schedule {
	var out []Schedule
	for _, s := range t.Inspections {
		if s.Periodic() {
			out = append(out, s)
		}
	}
	return out
}

// AfterUse reports whether an item of the type back from use is checked
// before it is lent again.
func (t *EquipmentType) AfterUse() bool {
	_, ok := t.Schedule(AfterUseSchedule)
	return ok
}

// Catalogue is the equipment catalogue. It is read-only once loaded.
type Catalogue struct {
	Types []EquipmentType `yaml:"types" json:"types"`
	byID  map[string]*EquipmentType
}

// Type returns the type with the given ID.
func (c *Catalogue) Type(id string) (*EquipmentType, bool) {
	t, ok := c.byID[id]
	return t, ok
}

// MinimumFor returns the stock of a type a warehouse of tier should hold.
func (t *EquipmentType) MinimumFor(tier Tier) float64 { return t.Minimum[tier.String()] }

//go:embed equipment.yaml
var defaultCatalogue []byte

// DefaultCatalogue returns the built-in catalogue (equipment.yaml).
var DefaultCatalogue = func() func() *Catalogue {
	c, err := ParseCatalogue("equipment.yaml", defaultCatalogue)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return func() *Catalogue { return c }
}()

// ParseCatalogue reads and checks a catalogue. An error names the file,
// the line and the field: "equipment.yaml:42: types[3].unit: required".
func ParseCatalogue(name string, b []byte) (*Catalogue, error) {
	var c Catalogue
	if err := datafile.Decode(name, b, &c, c.validate); err != nil {
		return nil, err
	}
	return &c, nil
}

// badPath is a rule of the catalogue broken at a path.
var badPath = datafile.Bad

func (c *Catalogue) validate() error {
	if len(c.Types) == 0 {
		return badPath("types", "list at least one type")
	}
	c.byID = make(map[string]*EquipmentType, len(c.Types))
	for i := range c.Types {
		t := &c.Types[i]
		p := fmt.Sprintf("types[%d]", i)
		switch {
		case !equipmentTypePattern.MatchString(t.ID):
			return badPath(p+".id", "%q is not an equipment type (kebab-case, e.g. foam-ar-afff-3)", t.ID)
		case c.byID[t.ID] != nil:
			return badPath(p+".id", "%s is listed twice", t.ID)
		case t.Name == "":
			return badPath(p+".name", "required")
		case t.NameEn == "":
			return badPath(p+".nameEn", "required")
		case t.Class == 0:
			return badPath(p+".class", "required: serialized or bulk")
		case t.Unit == "":
			return badPath(p+".unit", "required")
		case t.UnitEn == "":
			return badPath(p+".unitEn", "required")
		case t.Source == "":
			return badPath(p+".source", "say where the figures come from")
		}
		if err := t.validateSchedules(p); err != nil {
			return err
		}
		if r := t.ReturnedUsed; r != nil {
			switch {
			case t.Class != Bulk:
				return badPath(p+".returnedUsed", "for bulk stock: an item back from use has its after-use check")
			case r.Goes != "waste" && r.Goes != "quarantine":
				return badPath(p+".returnedUsed.goes", "%q: want waste or quarantine", r.Goes)
			case r.Why == "":
				return badPath(p+".returnedUsed.why", "required")
			case r.Source == "":
				return badPath(p+".returnedUsed.source", "say where the rule comes from")
			}
		}
		for tier, v := range t.Minimum {
			var tr Tier
			if tr.UnmarshalText([]byte(tier)) != nil {
				return badPath(p+".minimum."+tier, "unknown tier (want district, park or enterprise)")
			}
			if !(v >= 0) || v > 1e9 {
				return badPath(p+".minimum."+tier, "must be zero or more")
			}
			if t.Class == Serialized && v != float64(int(v)) {
				return badPath(p+".minimum."+tier, "a serialized type is counted in whole items")
			}
		}
		c.byID[t.ID] = t
	}
	return nil
}

func (t *EquipmentType) validateSchedules(p string) error {
	seen := map[string]bool{}
	t.Inspection = Inspection{}
	for j := range t.Inspections {
		s := &t.Inspections[j]
		q := fmt.Sprintf("%s.inspections[%d]", p, j)
		if s.ID == "" {
			s.ID = string(s.Kind)
		}
		switch {
		case s.Kind != ScheduleCalendar && s.Kind != ScheduleAfterUse && s.Kind != ScheduleTest && s.Kind != ScheduleCalibration:
			return badPath(q+".kind", "%q: want calendar, afterUse, test or calibration", s.Kind)
		case !equipmentTypePattern.MatchString(s.ID) && s.ID != AfterUseSchedule:
			return badPath(q+".id", "%q is not a schedule ID (kebab-case)", s.ID)
		case seen[s.ID]:
			return badPath(q+".id", "%s is listed twice", s.ID)
		case s.Kind == ScheduleAfterUse && s.ID != AfterUseSchedule:
			return badPath(q+".id", "an after-use schedule is %q", AfterUseSchedule)
		case s.Kind != ScheduleAfterUse && s.ID == AfterUseSchedule:
			return badPath(q+".id", "%q is the after-use schedule's", AfterUseSchedule)
		case s.What == "":
			return badPath(q+".what", "say what the inspection is")
		case s.Kind == ScheduleAfterUse && !s.Every.IsZero():
			return badPath(q+".every", "an after-use check falls due on use, not on the calendar")
		case s.Kind != ScheduleAfterUse && s.Every.IsZero():
			return badPath(q+".every", "required: how often (a period)")
		case s.Source == "":
			return badPath(q+".source", "say where the figure comes from")
		}
		seen[s.ID] = true
		if s.Kind == ScheduleAfterUse {
			t.Inspection.AfterUse = true
			continue
		}
		if t.Inspection.What == "" {
			t.Inspection.What, t.Inspection.Source, t.Inspection.Unverified = s.What, s.Source, s.Unverified
		}
		if t.Inspection.Every.IsZero() || s.Every.Approx() < t.Inspection.Every.Approx() {
			t.Inspection.Every = s.Every
		}
	}
	if t.Inspection.What == "" && t.Inspection.AfterUse {
		s, _ := t.Schedule(AfterUseSchedule)
		t.Inspection.What, t.Inspection.Source, t.Inspection.Unverified = s.What, s.Source, s.Unverified
	}
	return nil
}

// Period is a span of the calendar: years, months and days, written
// "1y", "6mo", "30d", "1y6mo" in data files and on the wire. A month is a
// calendar month: monthly from 31 January falls on 3 March in a common
// year, as time.AddDate has it.
type Period struct {
	Years, Months, Days int
}

var periodPattern = regexp.MustCompile(`^(?:(\d+)y)?(?:(\d+)mo)?(?:(\d+)w)?(?:(\d+)d)?$`)

// ParsePeriod reads a period such as "1y", "6mo", "2w" or "30d".
func ParsePeriod(s string) (Period, error) {
	m := periodPattern.FindStringSubmatch(s)
	if s == "" || m == nil {
		return Period{}, fmt.Errorf("%q is not a period (like 1y, 6mo, 2w, 30d)", s)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	p := Period{Years: n(1), Months: n(2), Days: 7*n(3) + n(4)}
	if p.IsZero() || p.Years > 100 || p.Months > 1200 || p.Days > 36500 {
		return Period{}, fmt.Errorf("%q is not a period of a day to a hundred years", s)
	}
	return p, nil
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p == Period{} }

// After returns the day p after d.
func (p Period) After(d Date) Date {
	if d.IsZero() || p.IsZero() {
		return Date{}
	}
	return Date{d.t.AddDate(p.Years, p.Months, p.Days)}
}

// Approx returns the period's length, taking a year as 365.25 days and a
// month as a twelfth of that: for comparing periods, not for dates.
func (p Period) Approx() time.Duration {
	days := float64(p.Years)*365.25 + float64(p.Months)*365.25/12 + float64(p.Days)
	return time.Duration(days * 24 * float64(time.Hour))
}

func (p Period) String() string {
	var b strings.Builder
	for _, part := range []struct {
		n    int
		unit string
	}{{p.Years, "y"}, {p.Months, "mo"}, {p.Days, "d"}} {
		if part.n != 0 {
			b.WriteString(strconv.Itoa(part.n) + part.unit)
		}
	}
	return b.String()
}

// MarshalText writes the period as ParsePeriod reads it.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a period written as ParsePeriod reads it.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return Invalid("", "%v", err)
	}
	*p = v
	return nil
}

// UnmarshalYAML reads a period, naming the line of a bad one.
func (p *Period) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParsePeriod(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*p = v
	return nil
}

// UnmarshalYAML reads a class, naming the line of a bad one.
func (c *EquipmentClass) UnmarshalYAML(n *yaml.Node) error {
	if err := c.UnmarshalText([]byte(n.Value)); err != nil {
		return fmt.Errorf("line %d: %s", n.Line, ErrorMessage(err))
	}
	return nil
}

// TypeIDs returns the IDs of the catalogue's types, in its order.
func (c *Catalogue) TypeIDs() []string {
	out := make([]string, len(c.Types))
	for i, t := range c.Types {
		out[i] = t.ID
	}
	return out
}

// Has reports whether the catalogue lists every type named.
func (c *Catalogue) Has(ids ...string) bool {
	return !slices.ContainsFunc(ids, func(id string) bool { _, ok := c.byID[id]; return !ok })
}
