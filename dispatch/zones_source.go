package dispatch

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"parktwin/dispatch/hazard"
	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/spatial"
)

// Source is the release an incident's zones are computed from, each
// figure with where it came from: the release the operations room
// entered, or the defaults of zones.yaml, with the tank's inventory and
// type and the pool its dike holds.
type Source struct {
	Entity       string `json:"entity,omitempty"`
	Chemical     string `json:"chemical"`
	ChemicalName string `json:"chemicalName"`
	UN           int    `json:"un,omitempty"`
	// StoredAs is the chemical's phase in store: gas, liquefied-gas,
	// liquid or solid.
	StoredAs string `json:"storedAs"`
	// Entered: the release was entered (POST …/release), not assumed.
	Entered        bool    `json:"entered"`
	InventoryKg    float64 `json:"inventoryKg,omitempty"`
	InventoryFrom  string  `json:"inventoryFrom,omitempty"`
	HoleDiameterMM float64 `json:"holeDiameterMM,omitempty"`
	HolePhase      string  `json:"holePhase,omitempty"`
	PressureKPa    float64 `json:"pressureKPa,omitempty"` // absolute, in the vessel
	RateKgS        float64 `json:"rateKgS"`
	RateFrom       string  `json:"rateFrom"`
	DurationS      float64 `json:"durationS"`
	DurationFrom   string  `json:"durationFrom"`
	ReleasedKg     float64 `json:"releasedKg"`
	// AirborneKgS is what enters the air: the whole release of a gas or
	// a liquefied gas, the pool's evaporation of a liquid.
	AirborneKgS    float64 `json:"airborneKgS"`
	AirborneFrom   string  `json:"airborneFrom"`
	PoolAreaM2     float64 `json:"poolAreaM2,omitempty"`
	PoolFrom       string  `json:"poolFrom,omitempty"`
	ReleaseHeightM float64 `json:"releaseHeightM"`
	// Spill is the ERG spill size: small or large.
	Spill     string    `json:"spill"`
	SpillFrom string    `json:"spillFrom"`
	AirC      float64   `json:"airC"`
	Notes     []string  `json:"notes,omitempty"`
	noteMsgs  []msg.Msg // Notes as messages, for the zones' notes

	position orb.Point
	tank     *twin.Tank
	density  float64
}

const (
	atmosphereKPa = 101.325
	gravity       = 9.80665
	gasR          = 8.314462618
)

// vapourPressure returns the chemical's vapour pressure (kPa absolute) at
// tC by Clausius–Clapeyron through its figures at 20 °C and 40 °C.
func (v Vapour) vapourPressure(tC float64) float64 {
	b := math.Log(v.P40/v.P20) / (1/293.15 - 1/313.15)
	return v.P20 * math.Exp(b*(1/293.15-1/(tC+273.15)))
}

// molarMass returns a chemical's molar mass (g/mol): hazard's table, or
// zones.yaml's; 0 when neither has it.
func (c *ZoneConfig) molarMass(cas string) float64 {
	for _, ch := range hazard.Chemicals() {
		if ch.CAS == cas {
			return ch.MolarMassGMol
		}
	}
	return c.Vapour[cas].MolarMassGMol
}

// release returns the release to compute with: the entered one, or an
// empty one (every figure its default).
func releaseOf(inc *twin.Incident) twin.Release {
	if inc.Release != nil {
		return *inc.Release
	}
	return twin.Release{}
}

// ResolveSource works out the release of inc from what was entered (rel),
// the source entity, the chemical and the weather. An impossible input (a
// hole wider than the tank, more than it holds) is an EINVALID error
// naming the release's field.
func (c *ZoneConfig) ResolveSource(s *twin.Snapshot, inc *twin.Incident, rel twin.Release, w *twin.Weather) (Source, error) {
	chem, ok := twin.Lookup[*twin.Chemical](s, inc.Chemical)
	if !ok {
		return Source{}, twin.Invalid("chemical", "no chemical %s in the catalogue", inc.Chemical)
	}
	src := Source{Entity: inc.Entity, Chemical: chem.CAS, ChemicalName: chem.NameEn, UN: chem.UN,
		StoredAs: chem.Phase.String(), Entered: inc.Release != nil, position: inc.Position, density: chem.DensityKgM3,
		ReleaseHeightM: rel.ReleaseHeightM, AirC: c.Release.DefaultAirC}
	if w != nil {
		src.AirC = w.TemperatureC
	}
	if t, ok := twin.Lookup[*twin.Tank](s, inc.Entity); ok {
		src.tank = t
	}
	// Inventory: entered, else the tank's at its maximum fill.
	capKg := 0.0
	if src.tank != nil {
		capKg = src.tank.CapacityM3 * chem.DensityKgM3
	}
	switch {
	case rel.InventoryKg > 0:
		if capKg > 0 && rel.InventoryKg > capKg*1.0001 {
			return src, twin.Invalid("inventoryKg", "%.0f kg is more than %s holds full (%.0f m³ of %s at %.0f kg/m³ = %.0f kg)",
				rel.InventoryKg, src.tank.ID, src.tank.CapacityM3, chem.NameEn, chem.DensityKgM3, capKg)
		}
		src.InventoryKg, src.InventoryFrom = rel.InventoryKg, "entered"
	case src.tank != nil:
		src.InventoryKg = capKg * src.tank.MaxFill
		src.InventoryFrom = fmt.Sprintf("%s at its maximum fill: %g m³ × %g × %g kg/m³", src.tank.ID,
			src.tank.CapacityM3, src.tank.MaxFill, chem.DensityKgM3)
	}
	if chem.Phase == twin.Solid {
		src.note(msg.New("zones.note.solid"))
		src.RateFrom, src.AirborneFrom, src.DurationFrom = "none (a solid)", "none (a solid)", "none"
		src.Spill, src.SpillFrom = "large", "a solid: taken as a large spill"
		return src, nil
	}
	if err := c.releaseRate(&src, rel, chem); err != nil {
		return src, err
	}
	// Duration: entered or the default, cut where the inventory runs out.
	src.DurationS, src.DurationFrom = c.Release.DefaultDurationS, c.Release.DefaultDurationSource
	if rel.DurationS > 0 {
		src.DurationS, src.DurationFrom = rel.DurationS, "entered"
	}
	if src.InventoryKg > 0 && src.RateKgS*src.DurationS > src.InventoryKg {
		d := src.InventoryKg / src.RateKgS
		src.DurationFrom += fmt.Sprintf("; cut to %.0f s, when the %.0f kg run out", d, src.InventoryKg)
		src.DurationS = d
	}
	src.ReleasedKg = src.RateKgS * src.DurationS
	if inc.SpillM3 > 0 && inc.Release == nil && chem.Phase == twin.Liquid {
		// The volume on the ground as reported: the same figure the
		// plan's spill lines use (one source), not the default hole's.
		src.ReleasedKg = inc.SpillM3 * chem.DensityKgM3
		src.note(msg.New("zones.note.spillReported", "v", fmt.Sprintf("%g", inc.SpillM3), "chem", chem.NameEn))
	}
	litres := src.ReleasedKg / chem.DensityKgM3 * 1000
	src.Spill = "small"
	if litres > c.ERG.SmallSpillMaxL {
		src.Spill = "large"
	}
	src.SpillFrom = fmt.Sprintf("%.0f kg released (%.0f L as stored); %s", src.ReleasedKg, litres, c.ERG.SmallSpillSource)
	c.pool(&src, s, rel)
	c.airborne(&src, chem, w)
	return src, nil
}

// releaseRate sets the release rate: entered, or from the hole (entered
// or the default) by the orifice equations.
func (c *ZoneConfig) releaseRate(src *Source, rel twin.Release, chem *twin.Chemical) error {
	if rel.RateKgS > 0 {
		if src.InventoryKg > 0 && rel.RateKgS > src.InventoryKg {
			return twin.Invalid("rateKgS", "%g kg/s would empty the %.0f kg held in under a second", rel.RateKgS, src.InventoryKg)
		}
		src.RateKgS, src.RateFrom = rel.RateKgS, "entered"
		return nil
	}
	holeMM, from := c.Release.DefaultHoleMM, c.Release.DefaultHoleSource
	if rel.HoleDiameterMM > 0 {
		holeMM, from = rel.HoleDiameterMM, "entered"
	}
	phase := cmpOr(rel.Phase, c.Release.DefaultPhase)
	src.HoleDiameterMM, src.HolePhase = holeMM, phase
	if t := src.tank; t != nil && holeMM/1000 >= t.DiameterM {
		return twin.Invalid("holeDiameterMM", "a hole of %g mm is as wide as %s itself (%.1f m across)", holeMM, t.ID, t.DiameterM)
	}
	area := math.Pi / 4 * math.Pow(holeMM/1000, 2)
	cd := c.Release.DischargeCoefficient
	vp, hasVP := c.Vapour[chem.CAS]
	// The pressure in the vessel: a liquefied gas's vapour pressure at
	// the air's temperature; a compressed gas at the catalogue's 20 MPa;
	// a liquid at the atmosphere's.
	p0 := atmosphereKPa
	switch chem.Phase {
	case twin.LiquefiedGas:
		if !hasVP {
			return twin.Invalid("rateKgS", "no vapour pressure of %s is known (zones.yaml vapour): give the rate", chem.NameEn)
		}
		p0 = max(atmosphereKPa, vp.vapourPressure(src.AirC))
	case twin.Gas:
		p0 = 20000
	}
	src.PressureKPa = p0
	switch {
	case phase == twin.ReleaseLiquid && chem.Phase != twin.Gas:
		head := c.liquidHead(src.tank)
		dp := (p0-atmosphereKPa)*1000 + chem.DensityKgM3*gravity*head
		src.RateKgS = cd * area * math.Sqrt(2*chem.DensityKgM3*dp)
		src.RateFrom = fmt.Sprintf("a %g mm hole below the liquid (%s): Qm = C0 A √(2ρ(ΔP + ρgh)), ΔP = %.0f kPa, h = %.1f m; %s",
			holeMM, from, p0-atmosphereKPa, head, c.Release.DischargeSource)
	default:
		m := c.molarMass(chem.CAS) / 1000
		if m <= 0 {
			return twin.Invalid("phase", "no molar mass of %s is known for a vapour release: give the rate", chem.NameEn)
		}
		g := cmpOr(vp.Gamma, 1.3)
		tK := src.AirC + 273.15
		r := atmosphereKPa / p0
		if r >= 0.99 {
			return twin.Invalid("phase", "a hole above the liquid of a vessel at atmospheric pressure lets out no measurable flow: give the rate, or a hole in the liquid")
		}
		choked := math.Pow(2/(g+1), g/(g-1))
		var q float64
		if r <= choked {
			q = cd * area * p0 * 1000 * math.Sqrt(g*m/(gasR*tK)*math.Pow(2/(g+1), (g+1)/(g-1)))
		} else {
			q = cd * area * p0 * 1000 * math.Sqrt(2*m/(gasR*tK)*g/(g-1)*(math.Pow(r, 2/g)-math.Pow(r, (g+1)/g)))
		}
		src.RateKgS = q
		src.RateFrom = fmt.Sprintf("a %g mm hole above the liquid (%s): vapour at %.0f kPa, γ %.2f; %s",
			holeMM, from, p0, g, c.Release.DischargeSource)
	}
	if !(src.RateKgS > 0) || math.IsInf(src.RateKgS, 0) {
		return twin.Invalid("holeDiameterMM", "gives no flow: give the rate")
	}
	return nil
}

// liquidHead is the depth of liquid above a hole at the bottom of the
// tank at its maximum fill; 1 m without a tank [choice].
func (c *ZoneConfig) liquidHead(t *twin.Tank) float64 {
	if t == nil {
		return 1
	}
	switch t.Type {
	case twin.Horizontal, twin.PressureSphere:
		return t.MaxFill * t.DiameterM
	}
	return t.MaxFill * t.HeightM
}

// pool sets the pool a liquid release makes: entered, else the dike's
// area or the released volume spread 1 cm deep, whichever is smaller.
func (c *ZoneConfig) pool(src *Source, s *twin.Snapshot, rel twin.Release) {
	if rel.PoolAreaM2 > 0 {
		src.PoolAreaM2, src.PoolFrom = rel.PoolAreaM2, "entered"
		return
	}
	spread := src.ReleasedKg / src.density / c.Release.PoolDepthM
	dike := 0.0
	if src.tank != nil && src.tank.Farm != "" {
		dike = c.dikeArea(s, src.tank)
	}
	switch {
	case dike > 0 && dike < spread:
		src.PoolAreaM2 = dike
		src.PoolFrom = fmt.Sprintf("the dike of %s (%.0f m², the rectangle around its tanks plus %g m); %s",
			src.tank.Farm, dike, c.Release.DikeMarginM, c.Release.PoolSource)
	case spread > 0:
		src.PoolAreaM2 = spread
		src.PoolFrom = fmt.Sprintf("%.1f m³ spread %g cm deep; %s", src.ReleasedKg/src.density, c.Release.PoolDepthM*100, c.Release.PoolSource)
	}
}

// dikeArea is the area of a tank's farm's dike: the rectangle around the
// farm's tanks, each with its half-extent, plus the margin.
func (c *ZoneConfig) dikeArea(s *twin.Snapshot, t *twin.Tank) float64 {
	pr := spatial.NewProjection(t.Position)
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for o := range twin.All[*twin.Tank](s) {
		if o.Enterprise != t.Enterprise || o.Farm != t.Farm {
			continue
		}
		p := pr.Forward(o.Position)
		r := o.DiameterM / 2
		if o.Type == twin.Horizontal {
			r = max(o.DiameterM, o.HeightM) / 2
		}
		b.Min = orb.Point{min(b.Min[0], p[0]-r), min(b.Min[1], p[1]-r)}
		b.Max = orb.Point{max(b.Max[0], p[0]+r), max(b.Max[1], p[1]+r)}
	}
	m := c.Release.DikeMarginM
	return (b.Max[0] - b.Min[0] + 2*m) * (b.Max[1] - b.Min[1] + 2*m)
}

// airborne sets what enters the air: the whole release of a gas or a
// liquefied gas (EPA's OCA guidance treats a gas liquefied under pressure
// as released as gas); the pool's evaporation of a liquid (EPA eq. D-1).
func (c *ZoneConfig) airborne(src *Source, chem *twin.Chemical, w *twin.Weather) {
	switch chem.Phase {
	case twin.Gas, twin.LiquefiedGas:
		src.AirborneKgS = src.RateKgS
		src.AirborneFrom = "the whole release: a gas liquefied under pressure flashes and its aerosol goes with the vapour (US EPA RMP OCA Guidance 2009 §3.1.2)"
		return
	}
	vp, ok := c.Vapour[chem.CAS]
	mw := c.molarMass(chem.CAS)
	switch {
	case !ok || mw <= 0:
		src.AirborneFrom = fmt.Sprintf("unknown: no vapour pressure or molar mass of %s (zones.yaml vapour)", chem.NameEn)
		return
	case w == nil:
		src.AirborneFrom = "unknown: evaporation needs the wind, and the park has no weather"
		return
	case src.PoolAreaM2 <= 0:
		src.AirborneFrom = "none: no pool"
		return
	}
	u := max(w.WindSpeedMS, 1)
	tK := src.AirC + 273.15
	pMMHg := min(vp.vapourPressure(src.AirC), atmosphereKPa) * 760 / atmosphereKPa
	aFt2 := src.PoolAreaM2 * 10.7639
	e := c.Evaporation
	lbMin := e.Coefficient * math.Pow(u, e.WindExponent) * math.Pow(mw, 2.0/3) * aFt2 * pMMHg / (82.05 * tK)
	src.AirborneKgS = lbMin * 0.45359237 / 60
	src.AirborneFrom = fmt.Sprintf("evaporation from %.0f m² at %.1f °C, %.1f m/s, vapour pressure %.1f kPa: %s",
		src.PoolAreaM2, src.AirC, u, pMMHg*atmosphereKPa/760, e.Source)
}

// ergContainer picks the Table 3 container for an inventory: the one
// whose typical load is nearest on a log scale.
func (c *ZoneConfig) ergContainer(kg float64, have []hazard.ERGContainer) string {
	best, bestD := "", math.Inf(1)
	for _, ct := range have {
		load := c.ERG.ContainersKg[ct.Code]
		if load <= 0 || kg <= 0 {
			continue
		}
		if d := math.Abs(math.Log(kg / load)); d < bestD {
			best, bestD = ct.Code, d
		}
	}
	if best == "" && len(have) > 0 {
		codes := make([]string, len(have))
		for i, ct := range have {
			codes[i] = ct.Code
		}
		if slices.Contains(codes, "RAIL") {
			return "RAIL"
		}
		return codes[0]
	}
	return best
}

func cmpOr[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}

// fuelOf returns the pool-fire fuel of a chemical, or false.
func (c *ZoneConfig) fuelOf(cas string) (hazard.Fuel, bool) {
	name, ok := c.Fuels[cas]
	if !ok {
		return hazard.Fuel{}, false
	}
	return hazard.FuelByName(name)
}

// heatOfCombustion returns a flammable's heat of combustion (J/kg): the
// fuel table's, else zones.yaml's; 0 when neither has it.
func (c *ZoneConfig) heatOfCombustion(cas string) float64 {
	if h, ok := c.HeatOfCombustionMJKg[cas]; ok {
		return h * 1e6
	}
	if f, ok := c.fuelOf(cas); ok {
		return f.HeatOfCombustionJKg
	}
	return 0
}

// flammable reports whether a chemical burns: it has a flash point or a
// heat of combustion in zones.yaml.
func (c *ZoneConfig) flammable(ch *twin.Chemical) bool {
	_, hoc := c.HeatOfCombustionMJKg[ch.CAS]
	return ch.FlashPointC != nil || hoc || strings.HasPrefix(ch.HazardClass, "W2") || strings.HasPrefix(ch.HazardClass, "W5")
}

// chemicalOfAlarm names the chemical of an incident raised from an alarm
// on e (a hazard unit, or a tank) that names none: the chemical the
// alarm's sensor reads (zones.yaml sensorGases), else, of the unit's
// tanks, the one whose large spill ERG isolates or protects against
// farthest, the larger inventory breaking a tie; "" when there is none.
// It says where the chemical came from.
func (c *ZoneConfig) chemicalOfAlarm(s *twin.Snapshot, a *twin.Alarm, e twin.Entity) (string, *msg.Msg) {
	if sen, ok := twin.Lookup[*twin.Sensor](s, a.Sensor); ok && sen.Gas != "" {
		if cas, ok := c.SensorGases[sen.Gas]; ok {
			if _, ok := twin.Lookup[*twin.Chemical](s, cas); ok {
				m := msg.New("timeline.fromSensor", "gas", sen.Gas, "sensor", sen.ID)
				return cas, &m
			}
		}
	}
	u, ok := e.(*twin.HazardUnit)
	if !ok {
		return "", nil
	}
	best, bestReach, bestKg, from := "", -1, -1.0, (*msg.Msg)(nil)
	for _, id := range u.Tanks {
		t, ok := twin.Lookup[*twin.Tank](s, id)
		if !ok || t.Chemical == "" {
			continue
		}
		ch, ok := twin.Lookup[*twin.Chemical](s, t.Chemical)
		if !ok {
			continue
		}
		reach, kg := c.ergReach(ch.UN), t.CapacityM3*ch.DensityKgM3
		if reach > bestReach || reach == bestReach && kg > bestKg {
			best, bestReach, bestKg = ch.CAS, reach, kg
			m := msg.New("timeline.fromTanks", "unit", u.ID, "chemical", ch.NameEn, "tank", t.ID, "m", reach)
			from = &m
		}
	}
	return best, from
}

// ergReach is how far ERG 2016 acts for a large spill of a UN number:
// the largest of Table 1's isolation and night protective distance,
// Table 3's, or its guide's; 0 when ERG has nothing for it.
func (c *ZoneConfig) ergReach(un int) int {
	if un == 0 {
		return 0
	}
	if out, err := hazard.ERG(hazard.ERGInput{UN: un}); err == nil {
		e := out.Entries[0]
		r := max(e.Large.IsolationM, e.Large.NightM, e.Small.IsolationM, e.Small.NightM)
		for _, ct := range e.Table3 {
			r = max(r, ct.IsolationM, ct.Night.LowM, ct.Night.ModerateM, ct.Night.HighM)
		}
		if r > 0 {
			return r
		}
	}
	if e, _, ok := c.ergGuide(un); ok {
		return max(e.Small.IsolationM, e.Large.IsolationM)
	}
	return 0
}
