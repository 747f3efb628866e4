package dispatch

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"parktwin/twin"
	"parktwin/twin/datafile"
)

// The incident types and response levels the rules speak of.
var (
	IncidentTypes = twin.IncidentTypeNames
	Levels        = twin.LevelNames
)

// Rules are the park's dispatch rules (调度办法), read from one YAML file
// (docs/dispatch-rules.md). Every number the planner uses is here.
type Rules struct {
	ResponseTarget Duration                     `yaml:"responseTarget"`
	Turnout        map[string]Duration          `yaml:"turnout"`
	RunCards       map[string]map[string][]Unit `yaml:"runCards"`
	Foam           Foam                         `yaml:"foam"`
	Cooling        Cooling                      `yaml:"cooling"`
	Spill          Spill                        `yaml:"spill"`
	Explosion      Needs                        `yaml:"explosion"`
	Toxic          Toxic                        `yaml:"toxic"`
	Flow           Flow                         `yaml:"flow"`
	// Tactics by chemical (CAS): notes the plan carries.
	Tactics        map[string]Tactics `yaml:"tactics"`
	ConfinedSpace  Needs              `yaml:"confinedSpace"`
	EquipmentTiers []TierRule         `yaml:"equipmentTiers"`
	Coverage       []Coverage         `yaml:"coverage"`
	Priority       Priority           `yaml:"priority"`
	// HoseLay: beyond RelayBeyondM of hose from the approach to the
	// source, the plan says the water needs relay pumping or
	// large-diameter hose.
	HoseLay HoseLay `yaml:"hoseLay"`
	// VehicleCapabilities says which vehicle types can do each
	// capability's work: a team's capabilities say what its crews are
	// trained for, a vehicle what it carries. A run card's capability
	// line is filled only by a vehicle of one of these types.
	VehicleCapabilities map[string][]string `yaml:"vehicleCapabilities"`
}

// VehicleCan reports whether a vehicle of type vt can do capability c's
// work.
func (r *Rules) VehicleCan(vt twin.VehicleType, c twin.Capability) bool {
	return slices.Contains(r.VehicleCapabilities[c.String()], vt.String())
}

// Unit is a line of a run card: so many vehicles of a type, or so many
// units of teams with a capability.
type Unit struct {
	Vehicle    string `yaml:"vehicle"`
	Capability string `yaml:"capability"`
	Count      int    `yaml:"count"`
}

// Foam says how foam is sized: for a tank by its own system (ByTank) or
// by fire engines (Mobile), alcohol-resistant at its own rates on a
// water-soluble liquid, with supplementary hose streams; for a dike fire
// and for a spill's vapour blanket.
type Foam struct {
	Concentration    float64                `yaml:"concentration"`
	Equipment        string                 `yaml:"equipment"`
	AlcoholResistant string                 `yaml:"alcoholResistant"`
	ByTank           map[string]Application `yaml:"byTank"`
	Mobile           Mobile                 `yaml:"mobile"`
	WaterSoluble     WaterSoluble           `yaml:"waterSoluble"`
	ScopeByLevel     map[string]string      `yaml:"scopeByLevel"`
	HoseStreams      HoseStreams            `yaml:"hoseStreams"`
	// HoseStreamsGB is GB 50151's table of the same streams: the plan
	// takes whichever of the two asks more solution.
	HoseStreamsGB HoseStreams `yaml:"hoseStreamsGB"`
	// PolarConcentration is a concentrate type's proportioning on a
	// water-soluble (polar) liquid.
	PolarConcentration map[string]float64 `yaml:"polarConcentration"`
	Dike               DikeFoam           `yaml:"dike"`
	Spill              Rate               `yaml:"spill"`
}

// Application is the foam application of a tank's own system, by tank
// type: on the cross-section or on the rim seal; "none" for a tank that
// is cooled, not foamed.
type Application struct {
	Area          string  `yaml:"area"` // "cross-section", "seal" or "none"
	SealWidthM    float64 `yaml:"sealWidthM"`
	RateLPerMinM2 float64 `yaml:"rateLPerMinM2"`
	Minutes       float64 `yaml:"minutes"`
	Source        string  `yaml:"source"`
}

// Mobile is foam from fire engines' monitors on a tank's cross-section:
// the rate, the minutes by the liquid's flash point, and the largest
// fixed-roof tank monitors may be the primary protection of.
type Mobile struct {
	RateLPerMinM2       float64 `yaml:"rateLPerMinM2"`
	ClassIFlashPointC   float64 `yaml:"classIFlashPointC"`
	MinutesClassI       float64 `yaml:"minutesClassI"`
	MinutesClassII      float64 `yaml:"minutesClassII"`
	MaxMonitorDiameterM float64 `yaml:"maxMonitorDiameterM"`
	Source              string  `yaml:"source"`
}

// WaterSoluble gives the alcohol-resistant foam rates for water-soluble
// liquids, by CAS number, and a default for those not listed.
type WaterSoluble struct {
	// MobileFactor multiplies a row's rate when the foam comes from
	// monitors rather than a fixed system's gentle application.
	MobileFactor float64 `yaml:"mobileFactor"`
	MobileSource string  `yaml:"mobileSource"`
	// MobileMinutes: how long monitors run on a water-soluble liquid, by
	// class (split at foam.mobile.classIFlashPointC): NFPA 11's monitor
	// durations, not a fixed system's row minutes.
	MobileMinutes MobileMinutes   `yaml:"mobileMinutes"`
	Default       Rate            `yaml:"default"`
	ByChemical    map[string]Rate `yaml:"byChemical"`
	Source        string          `yaml:"source"`
}

// MobileMinutes is how long foam by monitors runs, by class.
type MobileMinutes struct {
	ClassI  float64 `yaml:"classI"`
	ClassII float64 `yaml:"classII"`
	Source  string  `yaml:"source"`
}

// Rate is an application rate and its duration.
type Rate struct {
	RateLPerMinM2 float64 `yaml:"rateLPerMinM2"`
	Minutes       float64 `yaml:"minutes"`
	Name          string  `yaml:"name"`
	Source        string  `yaml:"source"`
}

// HoseStreams are the supplementary foam hose lines, by the tank's
// diameter.
type HoseStreams struct {
	LPerMin    float64    `yaml:"lPerMin"`
	ByDiameter []HoseBand `yaml:"byDiameter"`
	Source     string     `yaml:"source"`
}

// HoseBand is the streams and minutes for tanks up to a diameter (the
// last band, without UpToM, for any larger).
type HoseBand struct {
	UpToM   float64 `yaml:"upToM"`
	Streams int     `yaml:"streams"`
	Minutes float64 `yaml:"minutes"`
}

// DikeFoam sizes the foam of a dike (pool) fire.
type DikeFoam struct {
	RateLPerMinM2  float64 `yaml:"rateLPerMinM2"`
	MinutesClassI  float64 `yaml:"minutesClassI"`
	MinutesClassII float64 `yaml:"minutesClassII"`
	Source         string  `yaml:"source"`
}

// Cooling sizes the cooling water of a tank fire.
type Cooling struct {
	RadiusDiameters      float64            `yaml:"radiusDiameters"`
	BurningLPerSM        map[string]float64 `yaml:"burningLPerSM"`
	AdjacentLPerSM       float64            `yaml:"adjacentLPerSM"`
	AdjacentShare        float64            `yaml:"adjacentShare"`
	NoNeighboursSealFire []string           `yaml:"noNeighboursSealFire"`
	Hours                float64            `yaml:"hours"`
	LongHours            float64            `yaml:"longHours"`
	LongDiameterM        float64            `yaml:"longDiameterM"`
	LongFor              []string           `yaml:"longFor"`
	Source               string             `yaml:"source"`
	// FullSurfaceAsFixedRoof: types whose full-surface fire (a sunk
	// floating roof) is cooled as a fixed roof's: its rate and hours.
	FullSurfaceAsFixedRoof []string   `yaml:"fullSurfaceAsFixedRoof"`
	LiquefiedGas           GasCooling `yaml:"liquefiedGas"`
	// Horizontal sizes the cooling of a horizontal atmospheric tank by
	// its outer surface, not by a circumference it does not stand on.
	Horizontal AreaCooling `yaml:"horizontal"`
}

// AreaCooling is a rate per square metre of a tank's outer surface, for
// the burning tank and a share of each neighbour's.
type AreaCooling struct {
	RateLPerSM2       float64 `yaml:"rateLPerSM2"`
	AdjacentAreaShare float64 `yaml:"adjacentAreaShare"`
	Source            string  `yaml:"source"`
}

// GasCooling sizes the cooling of a tank of liquefied gas under
// pressure, by surface area.
type GasCooling struct {
	RateLPerMinM2     float64 `yaml:"rateLPerMinM2"`
	AdjacentAreaShare float64 `yaml:"adjacentAreaShare"`
	MaxNeighbours     int     `yaml:"maxNeighbours"`
	Hours             float64 `yaml:"hours"`
	Source            string  `yaml:"source"`
	// HoseStreams is the supplementary water by hose streams and
	// hydrants added to the cooling for the hours, by the burning
	// tank's volume: the first row whose UpToM3 holds it (0: above all).
	HoseStreams       []HoseStreamRow `yaml:"hoseStreams"`
	HoseStreamsSource string          `yaml:"hoseStreamsSource"`
}

// HoseStreamRow is a row of the supplementary water's table: tanks up
// to UpToM3 (0: any larger) take LPerS.
type HoseStreamRow struct {
	UpToM3 float64 `yaml:"upToM3"`
	LPerS  float64 `yaml:"lPerS"`
}

// hoseStreamLPerS is the supplementary water for a tank of v m³.
func (g GasCooling) hoseStreamLPerS(v float64) float64 {
	for _, row := range g.HoseStreams {
		if row.UpToM3 == 0 || v <= row.UpToM3 {
			return row.LPerS
		}
	}
	return 0
}

// Spill sizes what a spill not on fire takes.
type Spill struct {
	VolumeM3ByLevel    map[string]float64 `yaml:"volumeM3ByLevel"`
	DepthM             float64            `yaml:"depthM"`
	AbsorbentKgPerM3   float64            `yaml:"absorbentKgPerM3"`
	BoomPerimeterShare float64            `yaml:"boomPerimeterShare"`
	PerIncident        []Need             `yaml:"perIncident"`
}

// Toxic sizes the protection for a toxic release: per member of the
// crews that go into the zone (entrants and backups), per incident, and
// the detectors that read the chemical.
type Toxic struct {
	Entry       Entry     `yaml:"entry"`
	PerEntrant  []Need    `yaml:"perEntrant"`
	PerIncident []Need    `yaml:"perIncident"`
	Detectors   Detectors `yaml:"detectors"`
	// ContainerKits: the sealing kit matched to the container by
	// chemical (CAS), instead of the generic leak-sealing kit.
	ContainerKits map[string]ContainerKits `yaml:"containerKits"`
	// EscalateBeyondM: the reach of the hot zones a level's card is
	// meant for; beyond it the plan says to escalate.
	EscalateBeyondM map[string]float64 `yaml:"escalateBeyondM"`
}

// ContainerKits choose a chemical's sealing kit by the container: the
// first whose UpToKg holds the inventory (0: any), and Replaces names the
// generic kit it stands for.
type ContainerKits struct {
	Replaces string         `yaml:"replaces"`
	Kits     []ContainerKit `yaml:"kits"`
	Source   string         `yaml:"source"`
}

// ContainerKit is the kit for containers up to a size.
type ContainerKit struct {
	UpToKg    float64 `yaml:"upToKg"`
	Container string  `yaml:"container"`
	Equipment string  `yaml:"equipment"`
}

// Entry is the least entry team and backup team a toxic entry is made
// with, whatever the crews sent.
type Entry struct {
	Entrants int    `yaml:"entrants"`
	Backups  int    `yaml:"backups"`
	Source   string `yaml:"source"`
	// TeamByLevel sizes the suited entry team by the task, by response
	// level: 2 entrants and 2 backups, or at a graver level a
	// reconnaissance pair, a sealing pair and a backup pair.
	TeamByLevel map[string]EntryTeam `yaml:"teamByLevel"`
	// RotationStock is the most suits beyond the team held at staging for
	// rotation, taken from the crews that go in.
	RotationStock int    `yaml:"rotationStock"`
	TeamSource    string `yaml:"teamSource"`
}

// EntryTeam is the suited entry at a level: pairs by task.
type EntryTeam struct {
	Recon   int `yaml:"recon"`
	Sealing int `yaml:"sealing"`
	Backup  int `yaml:"backup"`
}

// Size is how many the team is.
func (t EntryTeam) Size() int { return t.Recon + t.Sealing + t.Backup }

// Detectors choose the portable detector by chemical (CAS): a four-gas
// instrument cannot read chlorine or ammonia.
type Detectors struct {
	Count      float64             `yaml:"count"`
	Unknown    string              `yaml:"unknown"` // when the incident names no chemical
	ByChemical map[string]Detector `yaml:"byChemical"`
	Source     string              `yaml:"source"`
}

// Detector is the equipment type that reads a chemical.
type Detector struct {
	Equipment  string `yaml:"equipment"`
	Name       string `yaml:"name"`
	Unverified bool   `yaml:"unverified"`
}

// Flow is what a vehicle of each type can put on a fire, L/s: foam
// solution through its monitor, water through its pump and monitor. A
// vehicle does one or the other at a time.
type Flow struct {
	FoamLPerS  map[string]float64 `yaml:"foamLPerS"`
	WaterLPerS map[string]float64 `yaml:"waterLPerS"`
	Source     string             `yaml:"source"`
}

// Tactics are the notes a plan carries for a chemical: what not to do
// and what to bring, with their source.
type Tactics struct {
	Name  string   `yaml:"name"`
	Notes []string `yaml:"notes"`
	// NotesZh are the notes in Chinese, one for each of Notes, for the
	// Chinese console.
	NotesZh []string `yaml:"notesZh"`
	Source  string   `yaml:"source"`
}

// Needs are equipment wanted per incident.
type Needs struct {
	PerIncident []Need `yaml:"perIncident"`
	// ToxicGasLines: run-card lines added when the incident names a
	// toxic-by-inhalation chemical (confinedSpace: the gas-protection
	// vehicle for an H2S space), each kind once at the larger count.
	ToxicGasLines []Unit `yaml:"toxicGasLines"`
	// FlammableGasLines: run-card lines added when the named chemical
	// burns (confinedSpace: a pumper's charged line for fire cover).
	FlammableGasLines []Unit `yaml:"flammableGasLines"`
}

// HoseLay is the longest hose lay a pumper supplies alone.
type HoseLay struct {
	RelayBeyondM float64 `yaml:"relayBeyondM"`
	Source       string  `yaml:"source"`
}

// Need is so many of an equipment type.
type Need struct {
	Equipment string  `yaml:"equipment"`
	Count     float64 `yaml:"count"`
	// LiquidOnly: not for a gas or liquefied gas (a transfer pump moves
	// a liquid, not a liquefied gas under pressure).
	LiquidOnly bool `yaml:"liquidOnly"`
}

// TierRule says what a tier of warehouses may lend.
type TierRule struct {
	Tier              string  `yaml:"tier"`
	Lend              float64 `yaml:"lend"`
	OwnEnterpriseOnly bool    `yaml:"ownEnterpriseOnly"`
}

// Coverage keeps units of a type at a kind of team unless the incident is
// at one of the levels given.
type Coverage struct {
	TeamType     string   `yaml:"teamType"`
	Vehicle      string   `yaml:"vehicle"`
	Keep         int      `yaml:"keep"`
	UnlessLevels []string `yaml:"unlessLevels"`
}

// Priority orders concurrent incidents: by level, then by type.
type Priority struct {
	Levels []string `yaml:"levels"`
	Types  []string `yaml:"types"`
}

// Duration is a time.Duration written as "90s" or "5m" in the file.
type Duration time.Duration

// UnmarshalYAML reads a duration such as "90s" or "5m".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: %q is not a positive duration (like 90s, 5m)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// D returns the duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

//go:embed rules.yaml
var defaultRules []byte

// DefaultRules returns the rules shipped for the demo park.
func DefaultRules() *Rules {
	r, err := ParseRules("rules.yaml", defaultRules)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return r
}

// ParseRules reads and checks dispatch rules. An error names the file,
// the line and the field: "rules.yaml:42: foam.byTank.fixed-roof.minutes:
// must be positive".
func ParseRules(name string, b []byte) (*Rules, error) {
	var r Rules
	if err := datafile.Decode(name, b, &r, r.validate); err != nil {
		return nil, err
	}
	return &r, nil
}

// bad is a rule broken at a path in the file.
var bad = datafile.Bad

func (r *Rules) validate() error {
	if r.ResponseTarget == 0 {
		return bad("responseTarget", "required")
	}
	for c, types := range r.VehicleCapabilities {
		var capa twin.Capability
		if capa.UnmarshalText([]byte(c)) != nil {
			return bad("vehicleCapabilities."+c, "unknown capability")
		}
		for i, vt := range types {
			var v twin.VehicleType
			if v.UnmarshalText([]byte(vt)) != nil {
				return bad(fmt.Sprintf("vehicleCapabilities.%s[%d]", c, i), "unknown vehicle type %q", vt)
			}
		}
	}
	for team := range r.Turnout {
		var t twin.TeamType
		if t.UnmarshalText([]byte(team)) != nil {
			return bad("turnout."+team, "unknown team type")
		}
	}
	for _, typ := range IncidentTypes {
		card, ok := r.RunCards[typ]
		if !ok {
			return bad("runCards", "no run card for %s", typ)
		}
		for _, lvl := range Levels {
			units, ok := card[lvl]
			if !ok || len(units) == 0 {
				return bad("runCards."+typ, "no units for level %s", lvl)
			}
			for i, u := range units {
				path := fmt.Sprintf("runCards.%s.%s[%d]", typ, lvl, i)
				if err := u.validate(path); err != nil {
					return err
				}
				if u.Capability != "" && len(r.VehicleCapabilities[u.Capability]) == 0 {
					return bad(path+".capability", "name the vehicle types that can do %s under vehicleCapabilities", u.Capability)
				}
			}
		}
	}
	for typ, card := range r.RunCards {
		if !slices.Contains(IncidentTypes, typ) {
			return bad("runCards."+typ, "unknown incident type (want one of %s)", strings.Join(IncidentTypes, ", "))
		}
		for lvl := range card {
			if !slices.Contains(Levels, lvl) {
				return bad("runCards."+typ+"."+lvl, "unknown level (want I, II, III or IV)")
			}
		}
	}
	if err := r.Foam.validate(); err != nil {
		return err
	}
	if err := r.Cooling.validate(); err != nil {
		return err
	}
	if err := r.Spill.validate(); err != nil {
		return err
	}
	for _, l := range []struct {
		path  string
		needs []Need
	}{{"toxic.perEntrant", r.Toxic.PerEntrant}, {"toxic.perIncident", r.Toxic.PerIncident},
		{"confinedSpace.perIncident", r.ConfinedSpace.PerIncident}, {"explosion.perIncident", r.Explosion.PerIncident},
		{"spill.perIncident", r.Spill.PerIncident}} {
		for i, n := range l.needs {
			p := fmt.Sprintf("%s[%d]", l.path, i)
			if !equipmentType.MatchString(n.Equipment) {
				return bad(p+".equipment", "%q is not an equipment type", n.Equipment)
			}
			if _, ok := twin.DefaultCatalogue().Type(n.Equipment); !ok {
				// The warehouses' ledger keeps catalogue types alone: a
				// need of another could never be met.
				return bad(p+".equipment", "%q is not in the equipment catalogue (twin/equipment.yaml)", n.Equipment)
			}
			if !(n.Count > 0) {
				return bad(p+".count", "must be positive")
			}
		}
	}
	d := r.Toxic.Detectors
	if !(d.Count > 0) {
		return bad("toxic.detectors.count", "must be positive")
	}
	for cas, det := range d.ByChemical {
		if _, ok := twin.DefaultCatalogue().Type(det.Equipment); !ok {
			return bad("toxic.detectors.byChemical."+cas+".equipment", "%q is not in the equipment catalogue (twin/equipment.yaml)", det.Equipment)
		}
	}
	if _, ok := twin.DefaultCatalogue().Type(d.Unknown); !ok {
		return bad("toxic.detectors.unknown", "%q is not in the equipment catalogue (twin/equipment.yaml)", d.Unknown)
	}
	for _, m := range []map[string]float64{r.Flow.FoamLPerS, r.Flow.WaterLPerS} {
		for vt, q := range m {
			var v twin.VehicleType
			if v.UnmarshalText([]byte(vt)) != nil || q < 0 {
				return bad("flow", "%q: a vehicle type and a rate not negative", vt)
			}
		}
	}
	for cas, tc := range r.Tactics {
		if len(tc.Notes) == 0 || tc.Source == "" {
			return bad("tactics."+cas, "give notes and their source")
		}
		if len(tc.NotesZh) != len(tc.Notes) {
			return bad("tactics."+cas+".notesZh", "give each note in Chinese too (%d notes, %d in Chinese)", len(tc.Notes), len(tc.NotesZh))
		}
	}
	for _, lv := range []string{"I", "II", "III", "IV"} {
		t, ok := r.Toxic.Entry.TeamByLevel[lv]
		if !ok || t.Size() < r.Toxic.Entry.Entrants+r.Toxic.Entry.Backups || t.Backup < r.Toxic.Entry.Backups {
			return bad("toxic.entry.teamByLevel."+lv, "at least %d entrants and %d backups", r.Toxic.Entry.Entrants, r.Toxic.Entry.Backups)
		}
	}
	for cas, ck := range r.Toxic.ContainerKits {
		for i, k := range ck.Kits {
			if !slices.Contains([]string{"cylinder", "ton", "bulk"}, k.Container) || k.Equipment == "" || (k.UpToKg == 0) != (i == len(ck.Kits)-1) {
				return bad(fmt.Sprintf("toxic.containerKits.%s.kits[%d]", cas, i), "a container of cylinder, ton or bulk, an equipment type, and upToKg 0 on the last only")
			}
		}
	}
	if r.Toxic.Entry.RotationStock < 0 || r.Toxic.Entry.TeamSource == "" {
		return bad("toxic.entry", "rotationStock not negative, teamSource given")
	}
	if r.Toxic.Entry.Entrants < 1 || r.Toxic.Entry.Backups < 1 {
		return bad("toxic.entry", "at least one entrant and one backup")
	}
	if len(r.EquipmentTiers) == 0 {
		return bad("equipmentTiers", "name at least one tier")
	}
	var seen []string
	for i, t := range r.EquipmentTiers {
		p := fmt.Sprintf("equipmentTiers[%d]", i)
		var tier twin.Tier
		if tier.UnmarshalText([]byte(t.Tier)) != nil {
			return bad(p+".tier", "unknown tier %q (want district, park or enterprise)", t.Tier)
		}
		if slices.Contains(seen, t.Tier) {
			return bad(p+".tier", "%s is listed twice", t.Tier)
		}
		seen = append(seen, t.Tier)
		if !(t.Lend > 0 && t.Lend <= 1) {
			return bad(p+".lend", "the share lent must be in (0, 1]")
		}
	}
	if r.HoseLay.RelayBeyondM < 0 {
		return bad("hoseLay.relayBeyondM", "must not be negative")
	}
	if err := r.ConfinedSpace.validateLines("confinedSpace"); err != nil {
		return err
	}
	for i, cv := range r.Coverage {
		p := fmt.Sprintf("coverage[%d]", i)
		var tt twin.TeamType
		var vt twin.VehicleType
		switch {
		case tt.UnmarshalText([]byte(cv.TeamType)) != nil:
			return bad(p+".teamType", "unknown team type %q", cv.TeamType)
		case vt.UnmarshalText([]byte(cv.Vehicle)) != nil:
			return bad(p+".vehicle", "unknown vehicle type %q", cv.Vehicle)
		case cv.Keep <= 0:
			return bad(p+".keep", "must be positive")
		}
		for j, l := range cv.UnlessLevels {
			if !slices.Contains(Levels, l) {
				return bad(fmt.Sprintf("%s.unlessLevels[%d]", p, j), "unknown level %q", l)
			}
		}
	}
	if !samePermutation(r.Priority.Levels, Levels) {
		return bad("priority.levels", "list every level once: %s", strings.Join(Levels, ", "))
	}
	if !samePermutation(r.Priority.Types, IncidentTypes) {
		return bad("priority.types", "list every incident type once: %s", strings.Join(IncidentTypes, ", "))
	}
	return nil
}

func (u Unit) validate(path string) error {
	switch {
	case (u.Vehicle == "") == (u.Capability == ""):
		return bad(path, "name a vehicle or a capability, not both")
	case u.Count <= 0:
		return bad(path+".count", "must be positive")
	case u.Vehicle != "":
		var vt twin.VehicleType
		if vt.UnmarshalText([]byte(u.Vehicle)) != nil {
			return bad(path+".vehicle", "unknown vehicle type %q", u.Vehicle)
		}
	default:
		var c twin.Capability
		if c.UnmarshalText([]byte(u.Capability)) != nil {
			return bad(path+".capability", "unknown capability %q", u.Capability)
		}
	}
	return nil
}

func (n Needs) validateLines(path string) error {
	for i, u := range n.ToxicGasLines {
		if err := u.validate(fmt.Sprintf("%s.toxicGasLines[%d]", path, i)); err != nil {
			return err
		}
	}
	for i, u := range n.FlammableGasLines {
		if err := u.validate(fmt.Sprintf("%s.flammableGasLines[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

var equipmentType = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (f *Foam) validate() error {
	switch {
	case !(f.Concentration > 0 && f.Concentration < 0.2):
		return bad("foam.concentration", "want the concentrate's share of the solution, e.g. 0.03 for 3 %%")
	case !equipmentType.MatchString(f.Equipment):
		return bad("foam.equipment", "%q is not an equipment type", f.Equipment)
	case !equipmentType.MatchString(f.AlcoholResistant):
		return bad("foam.alcoholResistant", "%q is not an equipment type", f.AlcoholResistant)
	}
	for _, name := range []string{"fixed-roof", "internal-floating-roof", "external-floating-roof", "horizontal", "pressure-sphere"} {
		a, ok := f.ByTank[name]
		p := "foam.byTank." + name
		switch {
		case !ok:
			return bad("foam.byTank", "no application for %s tanks", name)
		case a.Area == "none":
			continue
		case a.Area != "cross-section" && a.Area != "seal":
			return bad(p+".area", "want cross-section, seal or none, got %q", a.Area)
		case a.Area == "seal" && !(a.SealWidthM > 0):
			return bad(p+".sealWidthM", "a seal application needs the seal's width")
		case !(a.RateLPerMinM2 > 0):
			return bad(p+".rateLPerMinM2", "must be positive")
		case !(a.Minutes > 0):
			return bad(p+".minutes", "must be positive")
		}
	}
	for name := range f.ByTank {
		var t twin.TankType
		if t.UnmarshalText([]byte(name)) != nil {
			return bad("foam.byTank."+name, "unknown tank type")
		}
	}
	m := f.Mobile
	for _, x := range []struct {
		name string
		v    float64
	}{{"rateLPerMinM2", m.RateLPerMinM2}, {"minutesClassI", m.MinutesClassI}, {"minutesClassII", m.MinutesClassII},
		{"maxMonitorDiameterM", m.MaxMonitorDiameterM}} {
		if !(x.v > 0) {
			return bad("foam.mobile."+x.name, "must be positive")
		}
	}
	rates := map[string]Rate{"foam.waterSoluble.default": f.WaterSoluble.Default, "foam.spill": f.Spill}
	for cas, r := range f.WaterSoluble.ByChemical {
		if !twin.ValidCAS(cas) {
			return bad("foam.waterSoluble.byChemical."+cas, "not a CAS number")
		}
		rates["foam.waterSoluble.byChemical."+cas] = r
	}
	for p, r := range rates {
		if !(r.RateLPerMinM2 > 0) {
			return bad(p+".rateLPerMinM2", "must be positive")
		}
		if !(r.Minutes > 0) {
			return bad(p+".minutes", "must be positive")
		}
	}
	for _, l := range Levels {
		switch f.ScopeByLevel[l] {
		case twin.ScopeSeal, twin.ScopeFullSurface, twin.ScopeDike:
		default:
			return bad("foam.scopeByLevel", "a scope (seal, full-surface or dike) for level %s is required", l)
		}
	}
	for typ, c := range f.PolarConcentration {
		if !(c > 0 && c < 1) {
			return bad("foam.polarConcentration."+typ, "a share between 0 and 1")
		}
	}
	if mm := f.WaterSoluble.MobileMinutes; mm.ClassI < 0 || mm.ClassII < 0 {
		return bad("foam.waterSoluble.mobileMinutes", "must not be negative")
	}
	if f.WaterSoluble.MobileFactor != 0 && f.WaterSoluble.MobileFactor < 1 {
		return bad("foam.waterSoluble.mobileFactor", "monitors need at least the fixed system's rate (1 or more)")
	}
	if err := f.HoseStreams.validate("foam.hoseStreams"); err != nil {
		return err
	}
	if err := f.HoseStreamsGB.validate("foam.hoseStreamsGB"); err != nil {
		return err
	}
	d := f.Dike

	if !(d.RateLPerMinM2 > 0 && d.MinutesClassI > 0 && d.MinutesClassII > 0) {
		return bad("foam.dike", "a positive rate and minutes for class I and II are required")
	}
	return nil
}

func (c *Cooling) validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"radiusDiameters", c.RadiusDiameters}, {"adjacentLPerSM", c.AdjacentLPerSM}, {"adjacentShare", c.AdjacentShare},
		{"hours", c.Hours}, {"longHours", c.LongHours}, {"longDiameterM", c.LongDiameterM},
		{"liquefiedGas.rateLPerMinM2", c.LiquefiedGas.RateLPerMinM2}, {"liquefiedGas.adjacentAreaShare", c.LiquefiedGas.AdjacentAreaShare},
		{"liquefiedGas.hours", c.LiquefiedGas.Hours}, {"horizontal.rateLPerSM2", c.Horizontal.RateLPerSM2},
		{"horizontal.adjacentAreaShare", c.Horizontal.AdjacentAreaShare}} {
		if !(f.v > 0) {
			return bad("cooling."+f.name, "must be positive")
		}
	}
	for _, name := range []string{"fixed-roof", "internal-floating-roof", "external-floating-roof", "horizontal"} {
		if !(c.BurningLPerSM[name] > 0) {
			return bad("cooling.burningLPerSM", "a positive rate for burning %s tanks is required", name)
		}
	}
	for _, l := range [][]string{c.NoNeighboursSealFire, c.LongFor, c.FullSurfaceAsFixedRoof} {
		for _, name := range l {
			var t twin.TankType
			if t.UnmarshalText([]byte(name)) != nil {
				return bad("cooling", "unknown tank type %q", name)
			}
		}
	}
	if c.LiquefiedGas.MaxNeighbours < 0 {
		return bad("cooling.liquefiedGas.maxNeighbours", "must not be negative")
	}
	return nil
}

func (s *Spill) validate() error {
	for _, l := range Levels {
		if !(s.VolumeM3ByLevel[l] > 0) {
			return bad("spill.volumeM3ByLevel", "a positive volume for level %s is required", l)
		}
	}
	if !(s.DepthM > 0 && s.AbsorbentKgPerM3 >= 0 && s.BoomPerimeterShare >= 0) {
		return bad("spill", "a positive depthM, and absorbentKgPerM3 and boomPerimeterShare not negative, are required")
	}
	return nil
}

func samePermutation(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func (h *HoseStreams) validate(path string) error {
	if h.LPerMin < 0 {
		return bad(path+".lPerMin", "must not be negative")
	}
	for i, b := range h.ByDiameter {
		p := fmt.Sprintf("%s.byDiameter[%d]", path, i)
		last := i == len(h.ByDiameter)-1
		switch {
		case b.Streams < 0 || b.Minutes < 0:
			return bad(p, "streams and minutes must not be negative")
		case !last && !(b.UpToM > 0):
			return bad(p+".upToM", "every band but the last needs its largest diameter")
		case last && b.UpToM != 0:
			return bad(p+".upToM", "the last band is for any larger tank: leave upToM out")
		case i > 0 && !last && b.UpToM <= h.ByDiameter[i-1].UpToM:
			return bad(p+".upToM", "the bands must grow")
		}
	}
	return nil
}
