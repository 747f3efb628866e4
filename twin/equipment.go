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
	// Inspection is how often the type is inspected; none when zero.
	Inspection Inspection `yaml:"inspection" json:"inspection,omitzero"`
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
		case (!t.Inspection.Every.IsZero() || t.Inspection.AfterUse) && t.Inspection.What == "":
			return badPath(p+".inspection.what", "say what the inspection is")
		case t.Inspection.What != "" && t.Inspection.Every.IsZero() && !t.Inspection.AfterUse:
			return badPath(p+".inspection", "say when: every (a period) or afterUse, or both")
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
