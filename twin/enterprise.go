package twin

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// Grade is an enterprise's supervision grade, A (best) to D (mission item 4).
type Grade int

// The grades.
const (
	GradeA Grade = iota + 1
	GradeB
	GradeC
	GradeD
)

var gradeNames = []string{"", "A", "B", "C", "D"}

func (g Grade) String() string                { return enumString(gradeNames, int(g)) }
func (g Grade) MarshalText() ([]byte, error)  { return enumText(gradeNames, int(g), "grade") }
func (g *Grade) UnmarshalText(b []byte) error { return enumInto(gradeNames, b, "grade", (*int)(g)) }

// Process is one of the hazardous chemical processes under key supervision
// (重点监管危险化工工艺).
type Process int

// The processes.
const (
	Phosgenation     Process = iota + 1 // 光气及光气化
	Electrolysis                        // 电解（氯碱）
	Chlorination                        // 氯化
	Nitration                           // 硝化
	AmmoniaSynthesis                    // 合成氨
	Cracking                            // 裂解
	Fluorination                        // 氟化
	Hydrogenation                       // 加氢
	Diazotization                       // 重氮化
	Oxidation                           // 氧化
	Peroxidation                        // 过氧化
	Amination                           // 胺基化
	Sulfonation                         // 磺化
	Polymerization                      // 聚合
	Alkylation                          // 烷基化
	CoalChemical                        // 新型煤化工
	CalciumCarbide                      // 电石生产
	Azo                                 // 偶氮化
)

var processNames = []string{"", "phosgenation", "electrolysis", "chlorination", "nitration",
	"ammonia-synthesis", "cracking", "fluorination", "hydrogenation", "diazotization", "oxidation",
	"peroxidation", "amination", "sulfonation", "polymerization", "alkylation", "coal-chemical",
	"calcium-carbide", "azo"}

func (p Process) String() string               { return enumString(processNames, int(p)) }
func (p Process) MarshalText() ([]byte, error) { return enumText(processNames, int(p), "process") }
func (p *Process) UnmarshalText(b []byte) error {
	return enumInto(processNames, b, "process", (*int)(p))
}

// Enterprise is a company in the park, on its parcel.
type Enterprise struct {
	ID            string      `json:"-"`
	Name          string      `json:"name"`
	CreditCode    string      `json:"creditCode"`
	Grade         Grade       `json:"grade"`
	Industry      string      `json:"industry"`
	Processes     []Process   `json:"processes"`
	Parcel        orb.Polygon `json:"-"`
	PeopleOnShift int         `json:"peopleOnShift"`
	DutyPhone     string      `json:"dutyPhone"`
	FireBrigade   bool        `json:"fireBrigade"`
	// SafetyCode is kept by the monitoring from the park's rules.
	SafetyCode SafetyCode `json:"safetyCode,omitempty"`
	// SafetyReasons are the conditions of the park's rules that set
	// SafetyCode (red-alarm-overdue, danger-overdue…), in the rules'
	// order; none when it is green. Kept by the monitoring with the code.
	SafetyReasons []string `json:"safetyReasons,omitempty"`
}

// SafetyCode is an enterprise's safety code (安全码).
type SafetyCode int

// The safety codes.
const (
	CodeGreen SafetyCode = iota + 1
	CodeYellow
	CodeRed
)

var safetyCodeNames = []string{"", "green", "yellow", "red"}

func (c SafetyCode) String() string { return enumString(safetyCodeNames, int(c)) }
func (c SafetyCode) MarshalText() ([]byte, error) {
	return enumText(safetyCodeNames, int(c), "safety code")
}
func (c *SafetyCode) UnmarshalText(b []byte) error {
	return enumInto(safetyCodeNames, b, "safety code", (*int)(c))
}

func (e *Enterprise) Kind() Kind             { return KindEnterprise }
func (e *Enterprise) EntityID() string       { return e.ID }
func (e *Enterprise) Geometry() orb.Geometry { return e.Parcel }
func (e *Enterprise) setID(id string)        { e.ID = id }
func (e *Enterprise) refs() []ref            { return nil }

func (e *Enterprise) setGeometry(g orb.Geometry) (err error) {
	e.Parcel, err = wantPolygon(g)
	return err
}

// Validate checks the enterprise's fields and parcel.
func (e *Enterprise) Validate() error {
	err := firstErr(validateID(KindEnterprise, e.ID), required("name", e.Name),
		required("industry", e.Industry), required("dutyPhone", e.DutyPhone),
		validPolygon("geometry", e.Parcel))
	if err != nil {
		return err
	}
	if !ValidCreditCode(e.CreditCode) {
		return Invalid("creditCode", "%q is not a unified social credit code (GB 32100: 18 characters with a check character)", e.CreditCode)
	}
	if e.Grade == 0 {
		return Required("grade")
	}
	seen := map[Process]bool{}
	for i, p := range e.Processes {
		if p == 0 {
			return Invalid(fmt.Sprintf("processes[%d]", i), "unset process")
		}
		if seen[p] {
			return Invalid(fmt.Sprintf("processes[%d]", i), "%s is listed twice", p)
		}
		seen[p] = true
	}
	if e.PeopleOnShift < 0 || e.PeopleOnShift > 100000 {
		return Invalid("peopleOnShift", "must be 0 to 100000, got %d", e.PeopleOnShift)
	}
	return nil
}

// The alphabet and weights of GB 32100-2015 unified social credit codes.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCheck returns the check character for the first 17 characters of a
// unified social credit code, and false when they hold a character outside
// the code's alphabet.
func CreditCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c], true
}

// ValidCreditCode reports whether s is a unified social credit code with a
// correct check character.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := CreditCheck(s[:17])
	return ok && c == s[17]
}
