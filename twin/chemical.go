package twin

import (
	"regexp"

	"github.com/paulmach/orb"
)

// Phase is the state in which a chemical is stored.
type Phase int

// The phases.
const (
	Gas Phase = iota + 1
	LiquefiedGas
	Liquid
	Solid
)

var phaseNames = []string{"", "gas", "liquefied-gas", "liquid", "solid"}

func (p Phase) String() string                { return enumString(phaseNames, int(p)) }
func (p Phase) MarshalText() ([]byte, error)  { return enumText(phaseNames, int(p), "phase") }
func (p *Phase) UnmarshalText(b []byte) error { return enumInto(phaseNames, b, "phase", (*int)(p)) }

// Chemical is an entry of the park's chemical catalogue, identified by its
// CAS number. CriticalQT and Beta are the GB 18218-2018 critical quantity Q
// (tonnes) and correction factor β; a chemical outside the standard has
// CriticalQT zero.
type Chemical struct {
	CAS          string   `json:"-"`
	NameZh       string   `json:"nameZh"`
	NameEn       string   `json:"nameEn"`
	UN           int      `json:"un,omitempty"`
	Phase        Phase    `json:"phase"`
	DensityKgM3  float64  `json:"densityKgM3"`
	FlashPointC  *float64 `json:"flashPointC,omitempty"`
	WaterSoluble bool     `json:"waterSoluble"`
	ToxicGas     bool     `json:"toxicGas"`
	HazardClass  string   `json:"hazardClass,omitempty"`
	CriticalQT   float64  `json:"criticalQT,omitempty"`
	Beta         float64  `json:"beta,omitempty"`
}

func (c *Chemical) Kind() Kind             { return KindChemical }
func (c *Chemical) EntityID() string       { return c.CAS }
func (c *Chemical) Geometry() orb.Geometry { return nil }
func (c *Chemical) setID(id string)        { c.CAS = id }
func (c *Chemical) refs() []ref            { return nil }
func (c *Chemical) setGeometry(g orb.Geometry) error {
	if g != nil {
		return Invalid("geometry", "a chemical has no geometry, got %s", g.GeoJSONType())
	}
	return nil
}

// GB 18218 hazard classes: J1–J5 health, W1.1–W11 physical.
var hazardClassPattern = regexp.MustCompile(`^(J[1-5]|W[1-9](\.[1-4])?|W1[01])$`)

// Validate checks the chemical's identifiers and figures.
func (c *Chemical) Validate() error {
	err := firstErr(validateID(KindChemical, c.CAS), required("nameZh", c.NameZh), required("nameEn", c.NameEn))
	if err != nil {
		return err
	}
	if c.UN < 0 || c.UN > 3600 {
		return Invalid("un", "a UN number is 1 to 3600, got %d", c.UN)
	}
	if c.Phase == 0 {
		return Required("phase")
	}
	if err := positive("densityKgM3", c.DensityKgM3); err != nil {
		return err
	}
	if c.FlashPointC != nil && (*c.FlashPointC < -273 || *c.FlashPointC > 1000) {
		return Invalid("flashPointC", "%v °C is not a flash point", *c.FlashPointC)
	}
	if c.HazardClass != "" && !hazardClassPattern.MatchString(c.HazardClass) {
		return Invalid("hazardClass", "%q is not a GB 18218 hazard class (J1–J5, W1.1–W11)", c.HazardClass)
	}
	if err := nonNegative("criticalQT", c.CriticalQT); err != nil {
		return err
	}
	if err := nonNegative("beta", c.Beta); err != nil {
		return err
	}
	if c.CriticalQT > 0 && c.Beta == 0 {
		return Invalid("beta", "required when criticalQT is set")
	}
	// A GB 18218 hazard class puts the chemical in the standard: it needs
	// its Q; a β without a Q would weigh a chemical the standard leaves out.
	if c.HazardClass != "" && c.CriticalQT == 0 {
		return Invalid("criticalQT", "required for a chemical of GB 18218 hazard class %s", c.HazardClass)
	}
	if c.CriticalQT == 0 && c.Beta != 0 {
		return Invalid("beta", "a chemical with no critical quantity Q has no β")
	}
	return nil
}

var casPattern = regexp.MustCompile(`^([0-9]{2,7})-([0-9]{2})-([0-9])$`)

// ValidCAS reports whether s is a CAS registry number with a correct check
// digit.
func ValidCAS(s string) bool {
	m := casPattern.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	digits := m[1] + m[2]
	sum := 0
	for i := range len(digits) {
		sum += int(digits[len(digits)-1-i]-'0') * (i + 1)
	}
	return sum%10 == int(m[3][0]-'0')
}
