package dispatch

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"slices"

	"gopkg.in/yaml.v3"

	"parktwin/dispatch/hazard"
)

// ZoneConfig holds every figure and choice the consequence zones use
// beyond the models' own (dispatch/zones.yaml, docs/zones.md).
type ZoneConfig struct {
	Release struct {
		DefaultHoleMM         float64 `yaml:"defaultHoleMM"`
		DefaultHoleSource     string  `yaml:"defaultHoleSource"`
		DefaultPhase          string  `yaml:"defaultPhase"`
		DefaultDurationS      float64 `yaml:"defaultDurationS"`
		DefaultDurationSource string  `yaml:"defaultDurationSource"`
		DischargeCoefficient  float64 `yaml:"dischargeCoefficient"`
		DischargeSource       string  `yaml:"dischargeSource"`
		PoolDepthM            float64 `yaml:"poolDepthM"`
		PoolSource            string  `yaml:"poolSource"`
		DikeMarginM           float64 `yaml:"dikeMarginM"`
		DefaultAirC           float64 `yaml:"defaultAirC"`
	} `yaml:"release"`
	ERG struct {
		SmallSpillMaxL   float64            `yaml:"smallSpillMaxL"`
		SmallSpillSource string             `yaml:"smallSpillSource"`
		ContainersKg     map[string]float64 `yaml:"containersKg"`
		// VehicleAccidentContainer is the Table 3 row of a vehicle
		// accident.
		VehicleAccidentContainer string  `yaml:"vehicleAccidentContainer"`
		SunsetElevationDeg       float64 `yaml:"sunsetElevationDeg"`
	} `yaml:"erg"`
	Plume struct {
		Dispersion string   `yaml:"dispersion"`
		Endpoints  []string `yaml:"endpoints"`
	} `yaml:"plume"`
	VCE struct {
		YieldFraction float64 `yaml:"yieldFraction"`
		YieldSource   string  `yaml:"yieldSource"`
		CloudSeconds  float64 `yaml:"cloudSeconds"`
	} `yaml:"vce"`
	ByIncident           map[string]ZoneModels `yaml:"byIncident"`
	ToxicHot             []string              `yaml:"toxicHot"`
	PoolFireDistance     string                `yaml:"poolFireDistance"`
	LFLVolPct            map[string]float64    `yaml:"lflVolPct"`
	LFLFraction          float64               `yaml:"lflFraction"`
	LFLSource            string                `yaml:"lflSource"`
	ThermalHotKWM2       float64               `yaml:"thermalHotKWM2"`
	BlastHotKPa          float64               `yaml:"blastHotKPa"`
	Fuels                map[string]string     `yaml:"fuels"`
	HeatOfCombustionMJKg map[string]float64    `yaml:"heatOfCombustionMJKg"`
	Vapour               map[string]Vapour     `yaml:"vapour"`
	Evaporation          struct {
		Coefficient  float64 `yaml:"coefficient"`
		WindExponent float64 `yaml:"windExponent"`
		Source       string  `yaml:"source"`
	} `yaml:"evaporation"`
	Staging struct {
		MarginM          float64 `yaml:"marginM"`
		OffUpwindMPerDeg float64 `yaml:"offUpwindMPerDeg"`
		MaxOffUpwindDeg  float64 `yaml:"maxOffUpwindDeg"`
		// MaxOffUpwindDegDownwindHazard is the cap with a toxic footprint
		// or an ERG protective-action area, whose near edge is the line
		// across the wind through the source.
		MaxOffUpwindDegDownwindHazard float64 `yaml:"maxOffUpwindDegDownwindHazard"`
		MaxOffUpwindDegSource         string  `yaml:"maxOffUpwindDegSource"`
		Candidates                    int     `yaml:"candidates"`
	} `yaml:"staging"`
	// WindUnknown is how a toxic-by-inhalation release is staged when
	// the wind is not known (staging.go): the station's last reading,
	// however old, marked provisional; else the month's prevailing wind.
	WindUnknown struct {
		// StationStaleAfterS: a station reading older than this is
		// provisional.
		StationStaleAfterS float64 `yaml:"stationStaleAfterS"`
		StationStaleSource string  `yaml:"stationStaleSource"`
		// PrevailingFromDeg: where the park's prevailing wind blows from,
		// January to December, clockwise from north.
		PrevailingFromDeg []float64 `yaml:"prevailingFromDeg"`
		PrevailingSource  string    `yaml:"prevailingSource"`
		// UTCOffsetH: the park's clock, for the month.
		UTCOffsetH int `yaml:"utcOffsetH"`
		// LowWindMS: the wind ERG Table 3 is read with when it is
		// unknown (its low-wind column, the longest distances).
		LowWindMS float64 `yaml:"lowWindMS"`
		// AlternateOffDeg: the alternate staging point lies this far
		// round from the first, within AlternateToleranceDeg.
		AlternateOffDeg       float64 `yaml:"alternateOffDeg"`
		AlternateToleranceDeg float64 `yaml:"alternateToleranceDeg"`
	} `yaml:"windUnknown"`
	// ConfinedSpace is the provisional hot zone round a confined space's
	// opening, until the detectors set it.
	ConfinedSpace struct {
		HotRadiusM float64 `yaml:"hotRadiusM"`
		Source     string  `yaml:"source"`
	} `yaml:"confinedSpace"`
	SensorGases                    map[string]string   `yaml:"sensorGases"`
	ERGGuides                      map[int]int         `yaml:"ergGuides"`
	ERGGuidesSource                string              `yaml:"ergGuidesSource"`
	BLEVEAsUN                      int                 `yaml:"bleveAsUN"`
	NotOnwardLiquefiedFlammableGas map[string][]string `yaml:"notOnwardLiquefiedFlammableGas"`
	TacticsLiquefiedFlammableGas   []string            `yaml:"tacticsLiquefiedFlammableGas"`
	// TacticsLiquefiedFlammableGasZh: the same warnings in Chinese, one
	// for each, for the Chinese console.
	TacticsLiquefiedFlammableGasZh []string            `yaml:"tacticsLiquefiedFlammableGasZh"`
	Onward                         map[string][]string `yaml:"onward"`
	ToWarmExit                     map[string][]string `yaml:"toWarmExit"`
	// ToCurtain: the run-card lines whose units set a water curtain at
	// the isolation zone's edge downwind of the source.
	ToCurtain map[string][]string `yaml:"toCurtain"`
	// CurtainMaxOffDeg: how far from the downwind bearing the curtain's
	// point may lie.
	CurtainMaxOffDeg float64             `yaml:"curtainMaxOffDeg"`
	LeadFirst        map[string][]string `yaml:"leadFirst"`
}

// ZoneModels are the models run for an incident type and its hot zones.
type ZoneModels struct {
	Models []string `yaml:"models"`
	Hot    []string `yaml:"hot"`
	// HotLiquefiedFlammableGas are hot besides for a liquefied flammable
	// gas.
	HotLiquefiedFlammableGas []string `yaml:"hotLiquefiedFlammableGas"`
}

// Vapour is a chemical's vapour pressure at 20 °C and 40 °C (kPa
// absolute) and its ratio of specific heats.
type Vapour struct {
	P20           float64 `yaml:"p20"`
	P40           float64 `yaml:"p40"`
	Gamma         float64 `yaml:"gamma"`
	MolarMassGMol float64 `yaml:"molarMassGMol"`
}

// The zone models and hot-zone names of zones.yaml.
var (
	zoneModelNames = []string{"erg", "erg-fire", "bleve", "toxic", "lfl", "poolfire", "fireball", "vce", "confined"}
	hotNames       = []string{"isolation", "toxic", "thermal", "blast", "fire-isolation", "bleve", "lfl", "confined"}
)

//go:embed zones.yaml
var defaultZones []byte

var zoneConfig = mustZoneConfig()

func mustZoneConfig() *ZoneConfig {
	c, err := ParseZoneConfig("zones.yaml", defaultZones)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return c
}

// DefaultZoneConfig returns the zone figures shipped with the program.
func DefaultZoneConfig() *ZoneConfig { return zoneConfig }

// ParseZoneConfig reads and checks a zones file.
func ParseZoneConfig(name string, b []byte) (*ZoneConfig, error) {
	var c ZoneConfig
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

func (c *ZoneConfig) validate() error {
	if len(c.TacticsLiquefiedFlammableGasZh) != len(c.TacticsLiquefiedFlammableGas) {
		return fmt.Errorf("tacticsLiquefiedFlammableGasZh: give each warning in Chinese too (%d warnings, %d in Chinese)",
			len(c.TacticsLiquefiedFlammableGas), len(c.TacticsLiquefiedFlammableGasZh))
	}
	r := c.Release
	pos := func(path string, v float64) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: must be positive", path)
		}
		return nil
	}
	for _, f := range []struct {
		path string
		v    float64
	}{{"release.defaultHoleMM", r.DefaultHoleMM}, {"release.defaultDurationS", r.DefaultDurationS},
		{"release.dischargeCoefficient", r.DischargeCoefficient}, {"release.poolDepthM", r.PoolDepthM},
		{"release.dikeMarginM", r.DikeMarginM}, {"erg.smallSpillMaxL", c.ERG.SmallSpillMaxL},
		{"vce.yieldFraction", c.VCE.YieldFraction}, {"vce.cloudSeconds", c.VCE.CloudSeconds},
		{"thermalHotKWM2", c.ThermalHotKWM2}, {"blastHotKPa", c.BlastHotKPa},
		{"evaporation.coefficient", c.Evaporation.Coefficient}, {"evaporation.windExponent", c.Evaporation.WindExponent},
		{"staging.marginM", c.Staging.MarginM}, {"staging.offUpwindMPerDeg", c.Staging.OffUpwindMPerDeg},
		{"staging.maxOffUpwindDeg", c.Staging.MaxOffUpwindDeg},
		{"staging.maxOffUpwindDegDownwindHazard", c.Staging.MaxOffUpwindDegDownwindHazard}} {
		if err := pos(f.path, f.v); err != nil {
			return err
		}
	}
	if r.DischargeCoefficient > 1 {
		return fmt.Errorf("release.dischargeCoefficient: at most 1")
	}
	if r.DefaultPhase != "liquid" && r.DefaultPhase != "vapour" {
		return fmt.Errorf("release.defaultPhase: want liquid or vapour, got %q", r.DefaultPhase)
	}
	if d := c.Staging.MaxOffUpwindDegDownwindHazard; d < 60 || d > 90 {
		// Beyond 90° a point lies downwind of the line across the wind
		// through the source: inside ERG's protective-action square.
		return fmt.Errorf("staging.maxOffUpwindDegDownwindHazard: want 60 to 90°, got %g", d)
	}
	if w := c.WindUnknown; len(w.PrevailingFromDeg) != 12 || w.StationStaleAfterS <= 0 || w.LowWindMS <= 0 ||
		w.AlternateOffDeg <= 0 || w.AlternateToleranceDeg <= 0 || w.PrevailingSource == "" || w.StationStaleSource == "" {
		return fmt.Errorf("windUnknown: twelve prevailing bearings with their source, a positive staleness with its source, low wind, alternate angle and tolerance")
	}
	if len(c.ToCurtain) > 0 && (c.CurtainMaxOffDeg <= 0 || c.CurtainMaxOffDeg > 90) {
		return fmt.Errorf("curtainMaxOffDeg: between 0 and 90°")
	}
	if c.ConfinedSpace.HotRadiusM <= 0 || c.ConfinedSpace.Source == "" {
		return fmt.Errorf("confinedSpace: a positive hotRadiusM with its source")
	}
	if c.Staging.Candidates <= 0 {
		return fmt.Errorf("staging.candidates: must be positive")
	}
	for _, code := range []string{"RAIL", "SEMI", "MTON", "STON", "AG", "MSM"} {
		if err := pos("erg.containersKg."+code, c.ERG.ContainersKg[code]); err != nil {
			return err
		}
	}
	if !slices.Contains([]string{"RAIL", "SEMI", "MTON", "STON", "AG", "MSM"}, c.ERG.VehicleAccidentContainer) {
		return fmt.Errorf("erg.vehicleAccidentContainer: want a Table 3 container code, got %q", c.ERG.VehicleAccidentContainer)
	}
	if !(c.LFLFraction > 0 && c.LFLFraction <= 1) {
		return fmt.Errorf("lflFraction: want more than 0, at most 1")
	}
	for cas, v := range c.LFLVolPct {
		if !(v > 0 && v < 100) {
			return fmt.Errorf("lflVolPct.%s: want a volume percentage, got %g", cas, v)
		}
	}
	if c.PoolFireDistance != "solid-flame" && c.PoolFireDistance != "larger" {
		return fmt.Errorf("poolFireDistance: want solid-flame or larger, got %q", c.PoolFireDistance)
	}
	switch c.Plume.Dispersion {
	case "briggs-rural", "briggs-urban", "pasquill-gifford":
	default:
		return fmt.Errorf("plume.dispersion: want briggs-rural, briggs-urban or pasquill-gifford, got %q", c.Plume.Dispersion)
	}
	for _, typ := range IncidentTypes {
		m, ok := c.ByIncident[typ]
		if !ok {
			return fmt.Errorf("byIncident: no entry for %s", typ)
		}
		for i, n := range m.Models {
			if !slices.Contains(zoneModelNames, n) {
				return fmt.Errorf("byIncident.%s.models[%d]: unknown model %q (want some of %v)", typ, i, n, zoneModelNames)
			}
		}
		for i, n := range slices.Concat(m.Hot, m.HotLiquefiedFlammableGas) {
			if !slices.Contains(hotNames, n) {
				return fmt.Errorf("byIncident.%s.hot[%d]: unknown hot zone %q (want some of %v)", typ, i, n, hotNames)
			}
		}
	}
	for typ := range c.ByIncident {
		if !slices.Contains(IncidentTypes, typ) {
			return fmt.Errorf("byIncident.%s: unknown incident type", typ)
		}
	}
	for cas, f := range c.Fuels {
		if _, ok := hazard.FuelByName(f); !ok {
			return fmt.Errorf("fuels.%s: %q is not a fuel of the pool-fire table", cas, f)
		}
	}
	for cas, v := range c.Vapour {
		if !(v.P20 > 0 && v.P40 > v.P20) {
			return fmt.Errorf("vapour.%s: want 0 < p20 < p40", cas)
		}
		if v.Gamma != 0 && !(v.Gamma > 1 && v.Gamma < 2) {
			return fmt.Errorf("vapour.%s.gamma: want 1 < gamma < 2", cas)
		}
	}
	for cas, h := range c.HeatOfCombustionMJKg {
		if !(h > 5 && h < 150) {
			return fmt.Errorf("heatOfCombustionMJKg.%s: want 5 to 150 MJ/kg", cas)
		}
	}
	for un, g := range c.ERGGuides {
		if _, ok := hazard.ERGGuide(g); !ok {
			return fmt.Errorf("ergGuides.%d: guide %d has no row in the ERG CSV", un, g)
		}
	}
	for _, m := range []map[string][]string{c.Onward, c.LeadFirst, c.NotOnwardLiquefiedFlammableGas, c.ToWarmExit} {
		for typ := range m {
			if !slices.Contains(IncidentTypes, typ) {
				return fmt.Errorf("onward/leadFirst: unknown incident type %s", typ)
			}
		}
	}
	return nil
}
