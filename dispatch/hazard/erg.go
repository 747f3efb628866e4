package hazard

import (
	"fmt"
	"strconv"
	"strings"

	"parktwin/twin"
)

// ERGEdition is recorded with every ERG answer: later editions changed some
// distances.
const ERGEdition = "ERG 2016"

// ERGDistances are the distances of Table 1 for one spill size, in metres.
type ERGDistances struct {
	IsolationM int `json:"isolationM" unit:"m" doc:"initial isolation radius"`
	DayM       int `json:"dayM" unit:"m" doc:"protective action distance downwind, by day"`
	NightM     int `json:"nightM" unit:"m" doc:"protective action distance downwind, by night"`
}

// ERGWind holds one container's Table 3 distances by wind class, in metres.
type ERGWind struct {
	LowM      int `json:"lowM" unit:"m"`
	ModerateM int `json:"moderateM" unit:"m"`
	HighM     int `json:"highM" unit:"m"`
}

// ERGContainer is one container row of Table 3.
type ERGContainer struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	IsolationM int     `json:"isolationM" unit:"m"`
	Day        ERGWind `json:"day"`
	Night      ERGWind `json:"night"`
}

// ERGEntry is one material row of the guide (a UN number may have several).
type ERGEntry struct {
	UN       int          `json:"un"`
	Guide    int          `json:"guide"`
	Material string       `json:"material"`
	Small    ERGDistances `json:"smallSpill"`
	// Large is zero for the Table 3 gases, whose large spills go by Table 3.
	Large          ERGDistances   `json:"largeSpill"`
	LargeByTable3  bool           `json:"largeByTable3" doc:"large spills of this material go by Table 3"`
	Table3         []ERGContainer `json:"table3,omitempty"`
	FireIsolationM int            `json:"fireIsolationM" unit:"m" doc:"isolation if a tank, rail car or tank truck is involved in a fire"`
	// BLEVE maps a capacity (L) to an evacuation distance (m).
	BLEVE map[string]int `json:"bleve,omitempty" doc:"BLEVE table: capacity in litres to evacuation distance in metres"`
}

func loadERG(t *allTables) error {
	const file = "erg2016.csv"
	b, err := dataFS.ReadFile("data/" + file)
	if err != nil {
		return err
	}
	lines, err := readCSVBytes(b)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	col := map[string]int{}
	for i, h := range lines[0] {
		col[h] = i
	}
	t.erg = map[int][]ERGEntry{}
	t.ergGuides = map[int]ERGEntry{}
	for i, r := range lines[1:] {
		n := func(name string) (int, error) {
			s := strings.TrimSpace(r[col[name]])
			if s == "" {
				return 0, nil
			}
			v, err := strconv.Atoi(s)
			if err != nil {
				return 0, fmt.Errorf("%s: row %d: %s: %w", file, i+2, name, err)
			}
			return v, nil
		}
		var firstErr error
		get := func(name string) int {
			v, err := n(name)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			return v
		}
		e := ERGEntry{UN: get("IDNum"), Guide: get("GuideNum"), Material: r[col["Material"]],
			Small:          ERGDistances{get("SM_ISO"), get("SM_DY"), get("SM_NTE")},
			Large:          ERGDistances{get("LG_ISO"), get("LG_DY"), get("LG_NTE")},
			LargeByTable3:  r[col["TABLE3"]] == "Yes",
			FireIsolationM: get("FIRE_ISO")}
		if e.LargeByTable3 {
			for _, c := range t.ergMeta.Containers {
				ct := ERGContainer{Code: c.Code, Name: c.Name, IsolationM: get(c.Code + "_ISO"),
					Day:   ERGWind{get(c.Code + "DYLOW"), get(c.Code + "DYMOD"), get(c.Code + "DYHI")},
					Night: ERGWind{get(c.Code + "NTELOW"), get(c.Code + "NTEMOD"), get(c.Code + "NTEHI")}}
				if ct.IsolationM > 0 {
					e.Table3 = append(e.Table3, ct)
				}
			}
		}
		if r[col["BLEVE"]] == "Yes" {
			e.BLEVE = map[string]int{}
			for _, l := range t.ergMeta.Bleve.CapacitiesL {
				name := fmt.Sprintf("BLV%dL", int(l))
				e.BLEVE[strconv.Itoa(int(l))] = get(name)
			}
		}
		if firstErr != nil {
			return firstErr
		}
		if e.UN > 0 {
			t.erg[e.UN] = append(t.erg[e.UN], e)
		} else {
			// A guide's own row (IDNum 0): its general distances, for the
			// materials Table 1 does not list.
			t.ergGuides[e.Guide] = e
		}
	}
	return nil
}

// ERGInput looks up a material by UN number and, optionally, picks the
// Table 3 row for a container and wind, or the BLEVE row for a capacity.
type ERGInput struct {
	UN          int      `json:"un" doc:"UN number, e.g. 1017 for chlorine"`
	Container   string   `json:"container,omitempty" doc:"Table 3 container: RAIL, SEMI, MTON, STON, AG or MSM"`
	WindSpeedMS *float64 `json:"windSpeedMS,omitempty" unit:"m/s" doc:"wind speed, for the Table 3 wind class"`
	CapacityL   *float64 `json:"capacityL,omitempty" unit:"L" doc:"tank capacity, for the BLEVE table"`
}

// Validate refuses UN numbers the guide's tables do not list and picks that
// the material's rows cannot answer.
func (in ERGInput) Validate() error {
	es, ok := tables.erg[in.UN]
	if !ok {
		return twin.Invalid("un", "UN%04d has no entry in the %s tables (Table 1 lists toxic-inhalation and a few other materials; the rest go by their orange guide)", in.UN, ERGEdition)
	}
	if in.WindSpeedMS != nil {
		if err := within("windSpeedMS", *in.WindSpeedMS, 0, 60, "m/s", ""); err != nil {
			return err
		}
	}
	if in.Container != "" {
		found := false
		for _, c := range es[0].Table3 {
			found = found || c.Code == strings.ToUpper(in.Container)
		}
		if !found {
			return twin.Invalid("container", "UN%04d has no Table 3 row for container %q", in.UN, in.Container)
		}
		if in.WindSpeedMS == nil {
			return twin.Invalid("windSpeedMS", "is needed with a container, to pick the wind class")
		}
	}
	if in.CapacityL != nil {
		caps := tables.ergMeta.Bleve.CapacitiesL
		if es[0].BLEVE == nil {
			return twin.Invalid("capacityL", "UN%04d is not in the BLEVE table", in.UN)
		}
		if err := within("capacityL", *in.CapacityL, 1, caps[len(caps)-1], "L", ": the BLEVE table's largest row"); err != nil {
			return err
		}
	}
	return nil
}

// ERGPick is the Table 3 or BLEVE row chosen for the input.
type ERGPick struct {
	WindClass      string `json:"windClass,omitempty" doc:"low (< 10 km/h), moderate (10-20 km/h) or high (> 20 km/h)"`
	IsolationM     int    `json:"isolationM,omitempty" unit:"m"`
	DayM           int    `json:"dayM,omitempty" unit:"m" doc:"protective action distance by day"`
	NightM         int    `json:"nightM,omitempty" unit:"m" doc:"protective action distance by night"`
	BLEVECapacityL int    `json:"bleveCapacityL,omitempty" unit:"L" doc:"table row used: the smallest capacity at least the one given"`
	BLEVEEvacM     int    `json:"bleveEvacuationM,omitempty" unit:"m" doc:"BLEVE evacuation distance"`
}

// ERGOutput is every row for the UN number and the pick.
type ERGOutput struct {
	Edition string     `json:"edition"`
	Entries []ERGEntry `json:"entries"`
	Pick    *ERGPick   `json:"pick,omitempty"`
	// Note says what a distance of 11000 m means.
	Note string `json:"note"`
}

// ERG looks up the Emergency Response Guidebook 2016 tables by UN number:
// Table 1 (initial isolation and protective action distances, small and
// large spills, day and night), Table 3 (the six gases by container and wind
// class) and the BLEVE table, from data/erg2016.csv. Distances are in metres
// as the CSV holds them; 11000 stands for the guide's "more than 11 km".
func ERG(in ERGInput) (ERGOutput, error) {
	if err := in.Validate(); err != nil {
		return ERGOutput{}, err
	}
	es := tables.erg[in.UN]
	out := ERGOutput{Edition: ERGEdition, Entries: make([]ERGEntry, len(es)),
		Note: "distances in metres; 11000 means more than 11 km"}
	copy(out.Entries, es)
	if in.Container != "" {
		wc := tables.ergMeta.WindClasses
		u := *in.WindSpeedMS
		class := "moderate"
		switch {
		case u < wc.LowBelowMS:
			class = "low"
		case u > wc.HighAboveMS:
			class = "high"
		}
		for _, c := range es[0].Table3 {
			if c.Code != strings.ToUpper(in.Container) {
				continue
			}
			pick := map[string][2]int{"low": {c.Day.LowM, c.Night.LowM},
				"moderate": {c.Day.ModerateM, c.Night.ModerateM}, "high": {c.Day.HighM, c.Night.HighM}}[class]
			out.Pick = &ERGPick{WindClass: class, IsolationM: c.IsolationM, DayM: pick[0], NightM: pick[1]}
		}
	}
	if in.CapacityL != nil {
		if out.Pick == nil {
			out.Pick = &ERGPick{}
		}
		for _, l := range tables.ergMeta.Bleve.CapacitiesL {
			if l >= *in.CapacityL {
				out.Pick.BLEVECapacityL = int(l)
				out.Pick.BLEVEEvacM = es[0].BLEVE[strconv.Itoa(int(l))]
				break
			}
		}
	}
	return out, nil
}

// ERGGuide returns an orange guide's general distances (the CSV's rows
// with IDNum 0): Small.IsolationM the guide's "isolate the spill or leak
// area at least", Large.IsolationM its large-spill "consider initial
// downwind evacuation for at least", FireIsolationM its tank-in-fire
// isolation. Materials Table 1 does not list go by them.
func ERGGuide(guide int) (ERGEntry, bool) {
	e, ok := tables.ergGuides[guide]
	return e, ok
}

// ERGBLEVECapacities returns the BLEVE table's rows (litres), smallest
// first.
func ERGBLEVECapacities() []float64 { return tables.ergMeta.Bleve.CapacitiesL }
