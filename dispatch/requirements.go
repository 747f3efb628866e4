package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"parktwin/twin"
	"parktwin/twin/spatial"
)

// Requirement is something an incident needs, sized from the twin: a
// quantity of an equipment type (foam concentrate, SCBA sets) or of
// water, with the numbers it was computed from and the rule behind it.
type Requirement struct {
	What     string         `json:"what"`
	Quantity float64        `json:"quantity"`
	Unit     string         `json:"unit"`
	Basis    map[string]any `json:"basis"`
	Reason   string         `json:"reason"`
}

// CoolingWater names the cooling-water requirement, which fire
// apparatus carry rather than warehouses.
const CoolingWater = "cooling-water"

// requirements sizes what the incident needs from the twin. entry is the
// number of responders the plan sends into the zone (the crews of its
// onward units), for what is sized per entrant.
func (r *Rules) requirements(s *twin.Snapshot, inc *twin.Incident, entry int) []Requirement {
	tank, isTank := twin.Lookup[*twin.Tank](s, inc.Entity)
	switch inc.Type {
	case twin.TankFire:
		if isTank {
			out := r.TankFire(s, tank, r.Scope(inc))
			if r.Scope(inc) == twin.ScopeDike {
				out = r.withDike(s, inc, out)
			}
			return out
		}
		return r.PoolFire(s, inc)
	case twin.PoolFire:
		return r.PoolFire(s, inc)
	case twin.FlammableLeak, twin.VehicleAccident:
		if c := r.toxicByInhalation(s, inc); c != nil {
			return r.ToxicSpill(s, inc, c, entry)
		}
		return r.SpillResponse(s, inc)
	case twin.Explosion:
		var out []Requirement
		if isTank {
			out = r.TankFire(s, tank, twin.ScopeFullSurface)
		}
		return append(out, perIncident(r.Explosion.PerIncident, "explosion")...)
	case twin.ToxicRelease:
		return r.ToxicRelease(s, inc, entry)
	case twin.ConfinedSpaceIncident:
		return r.ConfinedSpaceRescue()
	}
	return nil
}

// withDike adds a burning dike to a tank fire's requirements: the dike's
// foam, and one cooling line — every tank in the dike (the fire is at
// their foot: an atmospheric tank over its whole circumference at its
// burning rate, a sphere or other tank of liquefied gas over its whole
// surface), and the tank fire's neighbours outside the dike as before —
// in place of the tank fire's, so that no tank is cooled twice. A
// burning sphere keeps its surface cooling: it is one of the dike's
// tanks, cooled by surface.
func (r *Rules) withDike(s *twin.Snapshot, inc *twin.Incident, tankFire []Requirement) []Requirement {
	pool := r.PoolFire(s, inc)
	var dikeCooling *Requirement
	var out []Requirement
	for i, q := range pool {
		if q.What == CoolingWater {
			dikeCooling = &pool[i]
			continue
		}
		out = append(out, q)
	}
	if dikeCooling == nil {
		return append(tankFire, out...)
	}
	inDike, _ := dikeCooling.Basis["tanks"].([]string)
	var dikeTanks []*twin.Tank
	for _, id := range inDike {
		if o, ok := twin.Lookup[*twin.Tank](s, id); ok {
			dikeTanks = append(dikeTanks, o)
		}
	}
	burning, _ := twin.Lookup[*twin.Tank](s, inc.Entity)
	var bc *twin.Chemical
	if burning != nil {
		bc, _ = twin.Lookup[*twin.Chemical](s, burning.Chemical)
	}
	gasFire := burning != nil && liquefied(burning, bc)
	var merged []Requirement
	for _, q := range tankFire {
		if q.What != CoolingWater {
			merged = append(merged, q)
			continue
		}
		hours, _ := q.Basis["hours"].(float64)
		ns, _ := q.Basis["neighbours"].([]string)
		c, g := r.Cooling, r.Cooling.LiquefiedGas
		outside, extra := []string{}, 0.0
		for _, id := range ns {
			if slices.Contains(inDike, id) {
				continue
			}
			if o, ok := twin.Lookup[*twin.Tank](s, id); ok {
				outside = append(outside, id)
				if gasFire {
					extra += g.RateLPerMinM2 * surfaceM2(o) * g.AdjacentAreaShare * g.Hours * 60
				} else {
					extra += math.Pi * o.DiameterM * c.AdjacentShare * c.AdjacentLPerSM * hours * 3600
				}
			}
		}
		// The dike's tanks for the tank fire's hours (4 h, or 6 h for a
		// wide fixed roof); those of liquefied gas for their own.
		dc := r.dikeCooling(s, dikeTanks, hours)
		how := fmt.Sprintf("half their circumference at %.1f L/(s·m)", c.AdjacentLPerSM)
		if gasFire {
			how = fmt.Sprintf("%s of their surface at %.1f L/(min·m²)", trimFloat(g.AdjacentAreaShare), g.RateLPerMinM2)
		}
		basis := map[string]any{"neighboursOutside": outside, "neighboursOutsideL": math.Ceil(extra)}
		for k, v := range dc.Basis {
			basis[k] = v
		}
		extraHours := hours
		if gasFire {
			extraHours = g.Hours
		}
		basis["lPerS"] = round(dc.Basis["lPerS"].(float64)+extra/(extraHours*3600), 2)
		merged = append(merged, Requirement{What: CoolingWater, Quantity: math.Ceil(dc.Quantity + extra), Unit: "L",
			Basis: basis,
			Reason: fmt.Sprintf("%s, and %d neighbours outside the dike over %s = %.0f L",
				dc.Reason, len(outside), how, math.Ceil(extra))})
	}
	return append(merged, out...)
}

// Scope returns what burns in a fire: the incident's own scope, or the
// rules' default for its level.
func (r *Rules) Scope(inc *twin.Incident) string {
	if inc.Scope != "" {
		return inc.Scope
	}
	return r.Foam.ScopeByLevel[inc.Level.String()]
}

// liquefied reports whether tank t holds a liquefied gas under pressure:
// a sphere, or any tank of a liquefied gas.
func liquefied(t *twin.Tank, c *twin.Chemical) bool {
	return t.Type == twin.PressureSphere || (c != nil && c.Phase == twin.LiquefiedGas)
}

// TankFire returns what a fire on tank t needs, for the scope given
// (seal, full-surface or dike): foam concentrate (alcohol-resistant at
// its own rates when the chemical mixes with water), supplementary hose
// streams by the tank's diameter, and cooling water for it and its
// neighbours. A tank of liquefied gas under pressure gets no foam: it is
// cooled over its whole surface.
func (r *Rules) TankFire(s *twin.Snapshot, t *twin.Tank, scope string) []Requirement {
	c, _ := twin.Lookup[*twin.Chemical](s, t.Chemical)
	if liquefied(t, c) {
		return []Requirement{r.gasCooling(s, t, c)}
	}
	chemical := ""
	if c != nil {
		chemical = c.NameZh
	}
	equipment, kind := r.Foam.Equipment, "foam concentrate"
	waterSoluble := c != nil && c.WaterSoluble
	if waterSoluble {
		equipment, kind = r.Foam.AlcoholResistant, "alcohol-resistant foam concentrate"
	}
	ap := r.foamApplication(t, c, scope)
	concentration := r.concentration(equipment, waterSoluble)
	solution := ap.rate * ap.area * ap.minutes
	concentrate := solution * concentration
	basis := map[string]any{
		"tank": t.ID, "tankType": t.Type.String(), "diameterM": t.DiameterM, "scope": ap.scope, "application": ap.application,
		"area": ap.areaKind, "areaM2": round(ap.area, 1), "rateLPerMinM2": ap.rate, "minutes": ap.minutes,
		"solutionL": math.Ceil(solution), "concentration": concentration, "concentrateL": math.Ceil(concentrate),
		"source": ap.source,
	}
	reason := fmt.Sprintf("%s for %s (%s, %s, D %.1f m), %s, %s: %s %.1f m² × %.1f L/(min·m²) × %.0f min = %.0f L solution, × %s %% = %.0f L (%s)",
		kind, t.ID, chemical, t.Type, t.DiameterM, ap.scope, ap.application, ap.areaName, ap.area, ap.rate, ap.minutes,
		math.Ceil(solution), trimFloat(concentration*100), math.Ceil(concentrate), ap.source)
	if len(ap.notes) > 0 {
		basis["notes"] = ap.notes
		for _, n := range ap.notes {
			reason += "; " + n
		}
	}
	out := []Requirement{{What: equipment, Quantity: math.Ceil(concentrate), Unit: "L", Basis: basis, Reason: reason}}
	if h, hs, ok := r.hoseStreams(t.DiameterM); ok {
		sol := float64(h.Streams) * hs.LPerMin * h.Minutes
		conc := sol * concentration
		out = append(out, Requirement{
			What: equipment, Quantity: math.Ceil(conc), Unit: "L",
			Basis: map[string]any{"hoseStreams": h.Streams, "lPerMin": hs.LPerMin, "minutes": h.Minutes,
				"diameterM": t.DiameterM, "solutionL": math.Ceil(sol), "concentration": concentration,
				"concentrateL": math.Ceil(conc), "source": hs.Source},
			Reason: fmt.Sprintf("supplementary hose streams for a tank %.1f m across: %d × %.0f L/min × %.0f min = %.0f L solution, × %s %% = %.0f L (%s; the larger of GB 50151 and NFPA 11)",
				t.DiameterM, h.Streams, hs.LPerMin, h.Minutes, math.Ceil(sol), trimFloat(concentration*100),
				math.Ceil(conc), hs.Source),
		})
	}
	return append(out, r.cooling(s, t, ap.scope))
}

// application is how foam goes onto a burning tank.
type application struct {
	scope, application  string // what burns; "fixed system", "mobile (monitors)" or "seal"
	areaKind, areaName  string
	area, rate, minutes float64
	source              string
	notes               []string
}

// foamApplication chooses the application for a fire of a scope on tank
// t: the rim seal of a floating roof (non-water-soluble liquids only),
// else the full surface — at the alcohol-resistant rates of the
// water-soluble table, by the tank's fixed system, or by the fire
// engines' monitors (mobile application).
func (r *Rules) foamApplication(t *twin.Tank, c *twin.Chemical, scope string) application {
	waterSoluble := c != nil && c.WaterSoluble
	ap := application{scope: scope}
	if scope == twin.ScopeSeal {
		switch {
		case t.Type != twin.ExternalFloatingRoof:
			ap.notes = append(ap.notes, fmt.Sprintf("a rim-seal fire is an external floating roof's: this %s tank is sized over its full surface", t.Type))
		case waterSoluble:
			ap.notes = append(ap.notes, "the seal rate is for non-water-soluble liquids only (GB 50151-2021 §4.3): a water-soluble liquid is sized over the full surface")
		default:
			a := r.Foam.ByTank[t.Type.String()]
			ap.application, ap.areaKind = "seal", "seal"
			ap.area = math.Pi * t.DiameterM * a.SealWidthM
			ap.areaName = fmt.Sprintf("seal ring π·D·%.1f m", a.SealWidthM)
			ap.rate, ap.minutes, ap.source = a.RateLPerMinM2, a.Minutes, a.Source
			return ap
		}
		ap.scope = twin.ScopeFullSurface
	}
	if ap.scope == twin.ScopeDike {
		ap.scope = twin.ScopeFullSurface // the tank's surface; the dike is sized apart
	}
	ap.areaKind, ap.areaName = "cross-section", "cross-section π·D²/4"
	ap.area = math.Pi * t.DiameterM * t.DiameterM / 4
	fixed := (t.FoamSystem == twin.FoamFixed || t.FoamSystem == twin.FoamSemiFixed) && t.Type != twin.ExternalFloatingRoof
	switch {
	case waterSoluble:
		ar := r.arRate(c, !fixed)
		ap.application = "alcohol-resistant, surface application"
		ap.rate, ap.minutes, ap.source = ar.rate, ar.minutes, ar.source
		if ar.mobile {
			ap.application = "alcohol-resistant, mobile (fire engines' monitors)"
			ap.notes = append(ap.notes, ar.note)
		}
	case fixed:
		a := r.Foam.ByTank[t.Type.String()]
		ap.application = t.FoamSystem + " system"
		ap.rate, ap.minutes, ap.source = a.RateLPerMinM2, a.Minutes, a.Source
	default:
		m := r.Foam.Mobile
		ap.application = "mobile (fire engines' monitors)"
		ap.rate, ap.minutes = m.RateLPerMinM2, m.MinutesClassI
		class := "class I (flash point below " + trimFloat(m.ClassIFlashPointC) + " °C or unknown)"
		if c != nil && c.FlashPointC != nil && *c.FlashPointC >= m.ClassIFlashPointC {
			ap.minutes, class = m.MinutesClassII, "class II (flash point "+trimFloat(*c.FlashPointC)+" °C)"
		}
		ap.source = m.Source + ", " + class
	}
	if !fixed && t.DiameterM > r.Foam.Mobile.MaxMonitorDiameterM {
		// NFPA 11's limit is written for fixed-roof tanks; for another
		// roof the plan says so rather than cite it as the rule.
		lim := fmt.Sprintf("NFPA 11-2016 §5.2.4.2.1 does not accept monitors as the primary protection of a fixed-roof tank over %.1f m across", r.Foam.Mobile.MaxMonitorDiameterM)
		switch t.Type {
		case twin.FixedRoof, twin.InternalFloatingRoof, twin.Horizontal:
			ap.notes = append(ap.notes, fmt.Sprintf("%s: this %.1f m tank (taken as a fixed roof) needs large-capacity monitors sized for its whole surface or a fixed system", lim, t.DiameterM))
		default:
			ap.notes = append(ap.notes, fmt.Sprintf("%s; the limit is set for fixed roofs, but a %.1f m %s burning over its surface is beyond ordinary monitors' reach too: large-capacity monitors sized for its whole surface", lim, t.DiameterM, t.Type))
		}
	}
	return ap
}

// arApplication is the alcohol-resistant rate for a water-soluble
// liquid.
type arApplication struct {
	rate, minutes float64
	rowMinutes    float64 // the table row's own, a fixed system's
	source, note  string
	mobile        bool
}

// arRate returns the alcohol-resistant rate for water-soluble chemical
// c: its row of GB 50151-2021 Table 4.2.2-2 (or the default), × the
// mobile factor when the foam goes on by monitors (mobile) — the rate a
// tank fire, a dike fire and a spill's blanket all take on a polar
// liquid.
func (r *Rules) arRate(c *twin.Chemical, mobile bool) arApplication {
	ws := r.Foam.WaterSoluble
	rate, name := ws.Default, "not listed"
	if x, ok := ws.ByChemical[c.CAS]; ok {
		rate, name = x, x.Name
	}
	ar := arApplication{rate: rate.RateLPerMinM2, minutes: rate.Minutes, rowMinutes: rate.Minutes, source: fmt.Sprintf("%s, row %s", ws.Source, name)}
	if mobile && ws.MobileFactor > 0 {
		// The table's rates are for a fixed system's gentle
		// application; monitors plunge foam into the liquid.
		ar.mobile = true
		ar.rate = round(rate.RateLPerMinM2*ws.MobileFactor, 2)
		ar.source += fmt.Sprintf(" × %s for monitors (%s)", trimFloat(ws.MobileFactor), ws.MobileSource)
		mm, class := ws.MobileMinutes.ClassI, "class I"
		if c.FlashPointC != nil && *c.FlashPointC >= r.Foam.Mobile.ClassIFlashPointC {
			mm, class = ws.MobileMinutes.ClassII, "class II"
		}
		if mm > ar.minutes {
			ar.minutes = mm
			ar.source += fmt.Sprintf(", for monitors' %s min (%s, %s)", trimFloat(mm), ws.MobileMinutes.Source, class)
		}
		ar.note = "monitors plunge foam into a water-soluble liquid, which breaks it down: apply it gently (off the shell or a backboard), and take the concentrate maker's listed rate for monitors where it is higher"
	}
	return ar
}

// concentration returns the proportioning of a foam concentrate: on a
// water-soluble liquid its own (foam.polarConcentration, by type — a
// "3×6" AR concentrate goes in at 6 %), else the rules' concentration.
func (r *Rules) concentration(equipment string, waterSoluble bool) float64 {
	if c, ok := r.Foam.PolarConcentration[equipment]; ok && waterSoluble {
		return c
	}
	return r.Foam.Concentration
}

// hoseStreams returns the supplementary hose streams for a tank of
// diameter d by whichever table (NFPA 11, GB 50151) asks more solution,
// and that table; false when neither asks any.
func (r *Rules) hoseStreams(d float64) (HoseBand, *HoseStreams, bool) {
	var best HoseBand
	var from *HoseStreams
	for _, hs := range []*HoseStreams{&r.Foam.HoseStreams, &r.Foam.HoseStreamsGB} {
		for _, b := range hs.ByDiameter {
			if b.UpToM == 0 || d <= b.UpToM {
				if sol := float64(b.Streams) * hs.LPerMin * b.Minutes; sol > 0 && (from == nil || sol > float64(best.Streams)*from.LPerMin*best.Minutes) {
					best, from = b, hs
				}
				break
			}
		}
	}
	return best, from, from != nil
}

// cooling sizes the cooling water of a fire on an atmospheric tank: the
// burning tank's circumference at its type's rate, and half the
// circumference of every tank whose shell lies within the rules' radius
// (in diameters of the burning tank) of its shell — none when only a
// floating roof's rim seal burns; for 4 h, or 6 h for a wide fixed roof.
func (r *Rules) cooling(s *twin.Snapshot, t *twin.Tank, scope string) Requirement {
	c := r.Cooling
	typ, asFixed := t.Type.String(), ""
	if scope == twin.ScopeFullSurface && slices.Contains(c.FullSurfaceAsFixedRoof, typ) {
		// A sunk floating roof burns as an open fixed-roof tank does.
		typ, asFixed = twin.FixedRoof.String(), fmt.Sprintf(" (a full-surface fire on an %s tank, cooled as a fixed roof)", t.Type)
	}
	hours := c.Hours
	if slices.Contains(c.LongFor, typ) && t.DiameterM > c.LongDiameterM {
		hours = c.LongHours
	}
	secs := hours * 3600
	rate := c.BurningLPerSM[typ]
	burning := math.Pi * t.DiameterM * rate * secs
	reach := c.RadiusDiameters * t.DiameterM
	neighbours := []string{}
	neighbourL := 0.0
	noNeighbours := scope == twin.ScopeSeal && slices.Contains(c.NoNeighboursSealFire, t.Type.String())
	if !noNeighbours {
		for _, o := range near(s, t, reach) {
			neighbours = append(neighbours, o.ID)
			neighbourL += math.Pi * o.DiameterM * c.AdjacentShare * c.AdjacentLPerSM * secs
		}
	}
	total := burning + neighbourL
	why := fmt.Sprintf("%d neighbours within %.1f m of its shell, each π·D × %.1f × %.1f L/(s·m) = %.0f L", len(neighbours), reach,
		c.AdjacentShare, c.AdjacentLPerSM, math.Ceil(neighbourL))
	if noNeighbours {
		why = "the neighbours of a rim-seal fire on an " + t.Type.String() + " tank need no cooling"
	}
	return Requirement{
		What: CoolingWater, Quantity: math.Ceil(total), Unit: "L",
		Basis: map[string]any{"tank": t.ID, "circumferenceM": round(math.Pi*t.DiameterM, 1),
			"burningLPerSM": rate, "hours": hours, "burningL": math.Ceil(burning),
			"radiusM": round(reach, 1), "neighbours": neighbours, "adjacentLPerSM": c.AdjacentLPerSM,
			"adjacentShare": c.AdjacentShare, "neighboursL": math.Ceil(neighbourL), "source": c.Source},
		Reason: fmt.Sprintf("cooling water for %.0f h: the burning tank%s π·%.1f m × %.1f L/(s·m) = %.0f L, and %s (%s)",
			hours, asFixed, t.DiameterM, rate, math.Ceil(burning), why, c.Source),
	}
}

// gasCooling sizes the cooling of a fire on a tank of liquefied gas
// under pressure: its whole surface, and part of the surface of each
// neighbour within the radius (the largest few), at a rate per square
// metre, for the rules' hours. No foam: a pressurised liquefied gas is
// let burn while the tank is kept cool.
func (r *Rules) gasCooling(s *twin.Snapshot, t *twin.Tank, c *twin.Chemical) Requirement {
	g := r.Cooling.LiquefiedGas
	mins := g.Hours * 60
	surface := surfaceM2(t)
	burning := g.RateLPerMinM2 * surface * mins
	reach := r.Cooling.RadiusDiameters * t.DiameterM
	ns := near(s, t, reach)
	slices.SortStableFunc(ns, func(a, b *twin.Tank) int { return cmp.Compare(surfaceM2(b), surfaceM2(a)) })
	if g.MaxNeighbours > 0 && len(ns) > g.MaxNeighbours {
		ns = ns[:g.MaxNeighbours]
	}
	neighbours := []string{}
	neighbourL, neighbourM2 := 0.0, 0.0
	for _, o := range ns {
		neighbours = append(neighbours, o.ID)
		a := surfaceM2(o) * g.AdjacentAreaShare
		neighbourM2 += a
		neighbourL += g.RateLPerMinM2 * a * mins
	}
	chemical := ""
	if c != nil {
		chemical = c.NameZh
	}
	total := burning + neighbourL
	return Requirement{
		What: CoolingWater, Quantity: math.Ceil(total), Unit: "L",
		Basis: map[string]any{"tank": t.ID, "tankType": t.Type.String(), "surfaceM2": round(surface, 1),
			"rateLPerMinM2": g.RateLPerMinM2, "hours": g.Hours, "burningL": math.Ceil(burning),
			"radiusM": round(reach, 1), "neighbours": neighbours, "adjacentAreaShare": g.AdjacentAreaShare,
			"neighboursM2": round(neighbourM2, 1), "neighboursL": math.Ceil(neighbourL), "foam": "none", "source": g.Source},
		Reason: fmt.Sprintf("no foam on a pressurised liquefied gas (%s in %s): cooling water for %.0f h over surfaces — the burning tank %.1f m² × %.1f L/(min·m²) = %.0f L, and %d neighbours within %.1f m of its shell (the %d largest at most), %s × their surface = %.1f m² × %.1f L/(min·m²) = %.0f L (%s)",
			chemical, t.ID, g.Hours, surface, g.RateLPerMinM2, math.Ceil(burning), len(neighbours), reach, g.MaxNeighbours,
			trimFloat(g.AdjacentAreaShare), neighbourM2, g.RateLPerMinM2, math.Ceil(neighbourL), g.Source),
	}
}

// surfaceM2 is a tank's outer surface: a sphere's π·D², a horizontal
// cylinder's shell and two ends, a vertical tank's shell and roof.
func surfaceM2(t *twin.Tank) float64 {
	d := t.DiameterM
	switch t.Type {
	case twin.PressureSphere:
		return math.Pi * d * d
	case twin.Horizontal:
		return math.Pi*d*t.HeightM + math.Pi*d*d/2
	}
	return math.Pi*d*t.HeightM + math.Pi*d*d/4
}

// near returns the tanks whose shells lie within reach metres of t's
// shell, in ID order.
func near(s *twin.Snapshot, t *twin.Tank, reach float64) []*twin.Tank {
	var out []*twin.Tank
	for o := range twin.All[*twin.Tank](s) {
		if o.ID == t.ID {
			continue
		}
		gap := spatial.Distance(t.Position, o.Position) - t.DiameterM/2 - o.DiameterM/2
		if gap <= reach {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b *twin.Tank) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// chemicalOf returns the incident's chemical, or its tank's.
func chemicalOf(s *twin.Snapshot, inc *twin.Incident) *twin.Chemical {
	cas := inc.Chemical
	if t, ok := twin.Lookup[*twin.Tank](s, inc.Entity); ok && cas == "" {
		cas = t.Chemical
	}
	c, _ := twin.Lookup[*twin.Chemical](s, cas)
	return c
}

// releasedChemical returns the chemical a toxic release is of: the
// incident's or its tank's; else, for an incident on a major hazard
// unit (raised from its alarm, naming no chemical), the toxic gas of
// its tanks with the largest GB 18218 β — the worst it can be, so that
// the detectors and tactics are those for it. from says where it came
// from when it was not named.
func releasedChemical(s *twin.Snapshot, inc *twin.Incident) (c *twin.Chemical, from string) {
	if c := chemicalOf(s, inc); c != nil {
		return c, ""
	}
	u, ok := twin.Lookup[*twin.HazardUnit](s, inc.Entity)
	if !ok {
		return nil, ""
	}
	for _, id := range u.Tanks {
		t, ok := twin.Lookup[*twin.Tank](s, id)
		if !ok {
			continue
		}
		if tc, ok := twin.Lookup[*twin.Chemical](s, t.Chemical); ok && tc.ToxicGas &&
			(c == nil || tc.Beta > c.Beta || (tc.Beta == c.Beta && tc.CAS < c.CAS)) {
			c = tc
		}
	}
	if c == nil {
		return nil, ""
	}
	return c, fmt.Sprintf("the incident names no chemical: %s's tanks' most toxic gas (the largest GB 18218 β)", u.ID)
}

// dike returns the dike around the incident's tank: the area of its tank
// farm (the footprint of the hazard unit that holds the tank, else the
// rectangle its farm's tank shells span) less the tanks' own, and the
// tanks standing in it; false when the incident is at no tank.
func dike(s *twin.Snapshot, inc *twin.Incident) (areaM2 float64, tanks []*twin.Tank, how string, ok bool) {
	t, isTank := twin.Lookup[*twin.Tank](s, inc.Entity)
	if !isTank {
		return 0, nil, "", false
	}
	for u := range twin.All[*twin.HazardUnit](s) {
		if slices.Contains(u.Tanks, t.ID) && len(u.Footprint) > 0 {
			for _, id := range u.Tanks {
				if o, ok := twin.Lookup[*twin.Tank](s, id); ok {
					tanks = append(tanks, o)
				}
			}
			pr := spatial.NewProjection(t.Position)
			var ring orb.Ring
			for _, p := range u.Footprint[0] {
				ring = append(ring, pr.Forward(p))
			}
			areaM2 = math.Abs(planar.Area(orb.Polygon{ring}))
			how = "the footprint of " + u.ID
			break
		}
	}
	if how == "" {
		for o := range twin.All[*twin.Tank](s) {
			if o.ID == t.ID || (t.Farm != "" && o.Farm == t.Farm && o.Enterprise == t.Enterprise) {
				tanks = append(tanks, o)
			}
		}
		pr := spatial.NewProjection(t.Position)
		b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, o := range tanks {
			p, rad := pr.Forward(o.Position), o.DiameterM/2
			b = b.Extend(orb.Point{p[0] - rad, p[1] - rad}).Extend(orb.Point{p[0] + rad, p[1] + rad})
		}
		areaM2 = (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1])
		how = "the rectangle the farm's tank shells span (the dike is at least this)"
	}
	slices.SortFunc(tanks, func(a, b *twin.Tank) int { return cmp.Compare(a.ID, b.ID) })
	for _, o := range tanks {
		areaM2 -= math.Pi * o.DiameterM * o.DiameterM / 4
	}
	return max(areaM2, 0), tanks, how, true
}

// PoolFire returns what a fire in a tank's dike needs: foam over the
// dike's area at the monitors' rate (alcohol-resistant on a
// water-soluble liquid), for the minutes of the liquid's class, and
// cooling water for the tanks standing in the fire. Away from a dike the
// pool is sized from the spilled volume.
func (r *Rules) PoolFire(s *twin.Snapshot, inc *twin.Incident) []Requirement {
	c := chemicalOf(s, inc)
	equipment, kind, chemical := r.Foam.Equipment, "foam concentrate", ""
	if c != nil {
		chemical = c.NameZh
		if c.WaterSoluble {
			equipment, kind = r.Foam.AlcoholResistant, "alcohol-resistant foam concentrate"
		}
	}
	d := r.Foam.Dike
	minutes, class := d.MinutesClassI, "class I"
	if c != nil && c.FlashPointC != nil && *c.FlashPointC >= r.Foam.Mobile.ClassIFlashPointC {
		minutes, class = d.MinutesClassII, "class II"
	}
	area, tanks, how, ok := dike(s, inc)
	rate, source := d.RateLPerMinM2, d.Source
	if !ok {
		v, spread := r.spill(inc)
		area, how = spread, fmt.Sprintf("a pool of %s m³ spread %.0f mm deep", trimFloat(v), r.Spill.DepthM*1000)
		rate, minutes, source = r.Foam.Spill.RateLPerMinM2, r.Foam.Spill.Minutes, r.Foam.Spill.Source
		class = "non-diked spill"
	}
	if c != nil && c.WaterSoluble {
		// A polar liquid breaks plain foam down: the alcohol-resistant
		// row, by monitors, for the longer of its minutes and the dike's.
		ar := r.arRate(c, true)
		rate = ar.rate
		source = fmt.Sprintf("%s, row %s × %s for monitors (%s)", r.Foam.WaterSoluble.Source, c.NameZh, trimFloat(r.Foam.WaterSoluble.MobileFactor), r.Foam.WaterSoluble.MobileSource)
		if ok {
			minutes = max(minutes, ar.rowMinutes)
			source += "; " + d.Source
		}
	}
	solution := rate * area * minutes
	cc := r.concentration(equipment, c != nil && c.WaterSoluble)
	conc := solution * cc
	out := []Requirement{{
		What: equipment, Quantity: math.Ceil(conc), Unit: "L",
		Basis: map[string]any{"scope": twin.ScopeDike, "areaM2": round(area, 1), "area": how, "rateLPerMinM2": rate,
			"minutes": minutes, "solutionL": math.Ceil(solution), "concentration": cc,
			"concentrateL": math.Ceil(conc), "source": source},
		Reason: fmt.Sprintf("%s for the pool fire (%s): %s, %.1f m² × %.1f L/(min·m²) × %.0f min (%s) = %.0f L solution, × %s %% = %.0f L (%s)",
			kind, chemical, how, area, rate, minutes, class, math.Ceil(solution), trimFloat(cc*100), math.Ceil(conc), source),
	}}
	if len(tanks) > 0 {
		dc := r.dikeCooling(s, tanks, r.Cooling.Hours)
		out = append(out, dc)
	}
	return out
}

// dikeCooling sizes the cooling of the tanks standing in a burning
// dike: an atmospheric tank over its whole circumference at its type's
// burning-tank rate for hours; a tank of liquefied gas under pressure
// (a sphere, a bullet) over its whole surface at cooling.liquefiedGas's
// rate for its own hours (GB 50160 §8.10; GB 50974 §3.6.2 [sections
// unverified]) — a sphere has no circumference rate, and a fire at its
// foot is the fire a sphere's deluge is for.
func (r *Rules) dikeCooling(s *twin.Snapshot, tanks []*twin.Tank, hours float64) Requirement {
	cl, g := r.Cooling, r.Cooling.LiquefiedGas
	ids, gasIDs := []string{}, []string{}
	atmL, gasL, gasM2, most := 0.0, 0.0, 0.0, hours
	for _, o := range tanks {
		ids = append(ids, o.ID)
		oc, _ := twin.Lookup[*twin.Chemical](s, o.Chemical)
		if liquefied(o, oc) {
			gasIDs = append(gasIDs, o.ID)
			gasM2 += surfaceM2(o)
			gasL += g.RateLPerMinM2 * surfaceM2(o) * g.Hours * 60
			most = max(most, g.Hours)
			continue
		}
		atmL += math.Pi * o.DiameterM * cl.BurningLPerSM[o.Type.String()] * hours * 3600
	}
	why := fmt.Sprintf("cooling water for the %d tanks standing in the burning dike: %d atmospheric, each over its whole circumference at its type's burning-tank rate for %.0f h = %.0f L (%s)",
		len(tanks), len(tanks)-len(gasIDs), hours, math.Ceil(atmL), cl.Source)
	if len(gasIDs) > 0 {
		why += fmt.Sprintf("; %d of liquefied gas under pressure, over their whole surface %.1f m² × %.1f L/(min·m²) for %.0f h = %.0f L (%s)",
			len(gasIDs), gasM2, g.RateLPerMinM2, g.Hours, math.Ceil(gasL), g.Source)
	}
	return Requirement{What: CoolingWater, Quantity: math.Ceil(atmL + gasL), Unit: "L",
		Basis: map[string]any{"tanks": ids, "hours": most, "atmosphericHours": hours, "atmosphericL": math.Ceil(atmL),
			"liquefiedTanks": gasIDs, "liquefiedM2": round(gasM2, 1), "liquefiedL": math.Ceil(gasL),
			"liquefiedRateLPerMinM2": g.RateLPerMinM2, "liquefiedHours": g.Hours, "source": cl.Source,
			"lPerS": round(atmL/(hours*3600)+gasL/(g.Hours*3600), 2)},
		Reason: why}
}

// spill returns the spilled volume (the incident's, or the rules'
// default for its level) and the area it spreads over unconfined.
func (r *Rules) spill(inc *twin.Incident) (volumeM3, areaM2 float64) {
	v := inc.SpillM3
	if v <= 0 {
		v = r.Spill.VolumeM3ByLevel[inc.Level.String()]
	}
	return v, v / r.Spill.DepthM
}

// SpillResponse returns what a spill not (yet) on fire needs — a
// flammable leak, a hazmat vehicle's load on the road: a foam blanket
// against the vapour over the pool, sorbent and booms by the volume, and
// the per-incident kit (sealing, detection, transfer). A tank farm's
// dike bounds the pool. A gas or liquefied gas makes no pool: only the
// kit.
func (r *Rules) SpillResponse(s *twin.Snapshot, inc *twin.Incident) []Requirement {
	if c := chemicalOf(s, inc); c != nil && (c.Phase == twin.Gas || c.Phase == twin.LiquefiedGas) {
		// A gas, or a liquefied gas that flashes off as it spills, makes
		// no pool: no foam blanket, sorbent or boom, only the kit to seal,
		// detect and transfer.
		var kit []Need
		for _, n := range r.Spill.PerIncident {
			if !n.LiquidOnly {
				kit = append(kit, n)
			}
		}
		return perIncident(kit, "release of "+c.NameZh+" (a gas: no pool to blanket, absorb or pump)")
	}
	v, area := r.spill(inc)
	how := fmt.Sprintf("%s m³ spread %.0f mm deep", trimFloat(v), r.Spill.DepthM*1000)
	diked := false
	if d, _, dhow, ok := dike(s, inc); ok && d > 0 && d < area {
		area, how, diked = d, fmt.Sprintf("%s m³ held by the dike (%s)", trimFloat(v), dhow), true
	}
	c := chemicalOf(s, inc)
	equipment, kind, chemical := r.Foam.Equipment, "foam concentrate", ""
	if c != nil {
		chemical = c.NameZh
		if c.WaterSoluble {
			equipment, kind = r.Foam.AlcoholResistant, "alcohol-resistant foam concentrate"
		}
	}
	f := r.Foam.Spill
	rate, source := f.RateLPerMinM2, f.Source
	if c != nil && c.WaterSoluble {
		// The blanket on a polar liquid: the alcohol-resistant row, by
		// branches or monitors, for the spill's minutes.
		ar := r.arRate(c, true)
		rate = ar.rate
		source = fmt.Sprintf("%s, row %s × %s for monitors (%s); for %s min (%s)", r.Foam.WaterSoluble.Source, c.NameZh,
			trimFloat(r.Foam.WaterSoluble.MobileFactor), r.Foam.WaterSoluble.MobileSource, trimFloat(f.Minutes), f.Source)
	}
	solution := rate * area * f.Minutes
	cc := r.concentration(equipment, c != nil && c.WaterSoluble)
	conc := solution * cc
	out := []Requirement{{
		What: equipment, Quantity: math.Ceil(conc), Unit: "L",
		Basis: map[string]any{"volumeM3": v, "areaM2": round(area, 1), "rateLPerMinM2": rate, "minutes": f.Minutes,
			"solutionL": math.Ceil(solution), "concentration": cc, "concentrateL": math.Ceil(conc), "source": source},
		Reason: fmt.Sprintf("%s blanket against the vapour of the spill (%s): %s, %.1f m² × %.1f L/(min·m²) × %.0f min = %.0f L solution, × %s %% = %.0f L (%s)",
			kind, chemical, how, area, rate, f.Minutes, math.Ceil(solution), trimFloat(cc*100), math.Ceil(conc), source),
	}}
	if kg := v * r.Spill.AbsorbentKgPerM3; kg > 0 {
		out = append(out, Requirement{What: "absorbent", Quantity: math.Ceil(kg), Unit: "kg",
			Basis:  map[string]any{"volumeM3": v, "kgPerM3": r.Spill.AbsorbentKgPerM3},
			Reason: fmt.Sprintf("absorbent: %s m³ × %.0f kg/m³ = %.0f kg (spill rule [unverified])", trimFloat(v), r.Spill.AbsorbentKgPerM3, math.Ceil(kg))})
	}
	if m := 2 * math.Sqrt(math.Pi*area) * r.Spill.BoomPerimeterShare; m > 0 && !diked {
		out = append(out, Requirement{What: "boom", Quantity: math.Ceil(m), Unit: "m",
			Basis:  map[string]any{"areaM2": round(area, 1), "perimeterShare": r.Spill.BoomPerimeterShare},
			Reason: fmt.Sprintf("boom around the pool: perimeter 2·√(π·%.1f m²) × %.1f = %.0f m (spill rule [unverified])", area, r.Spill.BoomPerimeterShare, math.Ceil(m))})
	}
	return append(out, perIncident(r.Spill.PerIncident, "spill")...)
}

// ToxicRelease returns the protection a toxic release needs: per
// member of the crews going into the zone (entrants and backups, never
// fewer than the rules' entry team), per incident, and detectors that
// read the chemical. Crews bring their own SCBA on their vehicles; the
// warehouses supply the entry team's suits and spares.
func (r *Rules) ToxicRelease(s *twin.Snapshot, inc *twin.Incident, entry int) []Requirement {
	e := r.Toxic.Entry
	least := e.Entrants + e.Backups
	n, why := entry, fmt.Sprintf("%d responders in the crews that go into the zone (entrants and backups)", entry)
	if entry < least {
		n, why = least, fmt.Sprintf("the least entry: %d entrants and %d backups (%d in the crews that go in)", e.Entrants, e.Backups, entry)
	}
	var out []Requirement
	for _, need := range r.Toxic.PerEntrant {
		q := need.Count * float64(n)
		out = append(out, Requirement{What: need.Equipment, Quantity: q, Unit: "set",
			Basis:  map[string]any{"entrants": n, "entryCrews": entry, "perEntrant": need.Count, "source": e.Source},
			Reason: fmt.Sprintf("%s: %s × %s each = %.0f; the crews' own SCBA come on their vehicles (%s)", need.Equipment, why, trimFloat(need.Count), q, e.Source)})
	}
	out = append(out, perIncident(r.Toxic.PerIncident, "toxic release")...)
	return append(out, r.detectors(s, inc))
}

// detectors returns the detector line for the incident's chemical: the
// type that reads it (toxic.detectors), the four-gas type when no
// chemical is named. A chemical no listed type reads gets a line with no
// equipment type, which the plan reports as a shortfall naming it.
func (r *Rules) detectors(s *twin.Snapshot, inc *twin.Incident) Requirement {
	d := r.Toxic.Detectors
	c, from := releasedChemical(s, inc)
	if from != "" {
		from = "; " + from
	}
	if c == nil {
		return Requirement{What: d.Unknown, Quantity: d.Count, Unit: "set",
			Basis:  map[string]any{"perIncident": d.Count, "chemical": "", "source": d.Source},
			Reason: fmt.Sprintf("%s: %s — the chemical is not named: a four-gas screen until it is identified, then the detector that reads it", d.Unknown, trimFloat(d.Count))}
	}
	det, ok := d.ByChemical[c.CAS]
	if !ok {
		return Requirement{What: "", Quantity: d.Count, Unit: "set",
			Basis:  map[string]any{"chemical": c.CAS, "source": d.Source},
			Reason: fmt.Sprintf("no detector type in the rules (toxic.detectors) reads %s %s (%s)%s", c.NameZh, c.NameEn, c.CAS, from)}
	}
	status := ""
	if det.Unverified {
		status = " [unverified]"
	}
	return Requirement{What: det.Equipment, Quantity: d.Count, Unit: "set",
		Basis:  map[string]any{"perIncident": d.Count, "chemical": c.CAS, "source": d.Source},
		Reason: fmt.Sprintf("%s: %s to read %s (%s)%s — %s%s", det.Equipment, trimFloat(d.Count), c.NameZh, c.CAS, status, d.Source, from)}
}

// toxicByInhalation returns the incident's chemical when it is a toxic
// gas (toxic by inhalation): a leak or a vehicle accident with it is met
// as a toxic release too.
func (r *Rules) toxicByInhalation(s *twin.Snapshot, inc *twin.Incident) *twin.Chemical {
	if c := chemicalOf(s, inc); c != nil && c.ToxicGas {
		return c
	}
	return nil
}

// ToxicSpill returns what a leak or vehicle accident with a toxic-by-
// inhalation chemical needs: the toxic kit (suits, spares, sealing, the
// detector that reads it), and for a liquid the spill's blanket, sorbent
// and boom; each kit item once, at the larger count. A liquefied or
// compressed gas gets no transfer pump (spill.perIncident liquidOnly).
func (r *Rules) ToxicSpill(s *twin.Snapshot, inc *twin.Incident, c *twin.Chemical, entry int) []Requirement {
	out := r.ToxicRelease(s, inc, entry)
	for _, q := range r.SpillResponse(s, inc) {
		i := slices.IndexFunc(out, func(o Requirement) bool { return o.What == q.What && o.Unit == q.Unit })
		switch {
		case i < 0:
			out = append(out, q)
		case q.Quantity > out[i].Quantity:
			out[i] = q
		}
	}
	return out
}

// ConfinedSpaceRescue returns the equipment a confined-space rescue needs.
func (r *Rules) ConfinedSpaceRescue() []Requirement {
	return perIncident(r.ConfinedSpace.PerIncident, "confined-space rescue")
}

func perIncident(needs []Need, what string) []Requirement {
	var out []Requirement
	for _, need := range needs {
		out = append(out, Requirement{What: need.Equipment, Quantity: need.Count, Unit: "set",
			Basis:  map[string]any{"perIncident": need.Count},
			Reason: fmt.Sprintf("%s: %.0f per %s", need.Equipment, need.Count, what)})
	}
	return out
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// trimFloat writes a number without trailing zeros: 37.8, 6.
func trimFloat(v float64) string { return fmt.Sprintf("%g", round(v, 2)) }
