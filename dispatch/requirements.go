package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"parktwin/twin"
	"parktwin/twin/msg"
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
	// ReasonMsg is Reason as messages (messages.go), for the console to
	// show in its language.
	ReasonMsg []msg.Msg `json:"reasonMsg,omitempty"`
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
		return append(out, perIncident(r.Explosion.PerIncident, msg.New("req.per.explosion"))...)
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
		how := msg.New("req.dikeCooling.half", "rate", num1(c.AdjacentLPerSM))
		if gasFire {
			how = msg.New("req.dikeCooling.surface", "share", trimFloat(g.AdjacentAreaShare), "rate", num1(g.RateLPerMinM2))
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
		ms := append(slices.Clone(dc.ReasonMsg), msg.New("req.dikeCooling.outside", "n", len(outside), "how", how, "l", num0(math.Ceil(extra))))
		// A burning liquefied-gas tank's hose streams stay with it.
		hoseL, _ := q.Basis["hoseStreamL"].(float64)
		if hoseL > 0 {
			lps, _ := q.Basis["hoseStreamLPerS"].(float64)
			basis["hoseStreamL"], basis["hoseStreamLPerS"] = hoseL, lps
			basis["lPerS"] = round(basis["lPerS"].(float64)+lps, 2)
			ms = append(ms, msg.New("req.dikeHoseStreams", "lps", num0(lps), "l", num0(hoseL)))
		}
		merged = append(merged, Requirement{What: CoolingWater, Quantity: math.Ceil(dc.Quantity + extra + hoseL), Unit: "L",
			Basis: basis,
		}.said(ms...))
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
	equipment, kind := r.Foam.Equipment, msg.New("req.kind.foam")
	waterSoluble := c != nil && c.WaterSoluble
	if waterSoluble {
		equipment, kind = r.Foam.AlcoholResistant, msg.New("req.kind.arFoam")
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
	reason := []msg.Msg{msg.New("req.foam", "kind", kind, "tank", t.ID, "chem", chemical, "ttype", t.Type.String(), "d", num1(t.DiameterM),
		"scope", ap.scope, "application", ap.applicationMsg, "areaName", ap.areaNameMsg, "area", num1(ap.area), "rate", num1(ap.rate),
		"min", num0(ap.minutes), "sol", num0(math.Ceil(solution)), "pct", trimFloat(concentration*100), "conc", num0(math.Ceil(concentrate)),
		"source", ap.sourceMsg)}
	if len(ap.notes) > 0 {
		basis["notes"] = ap.notes
		for _, n := range ap.noteMsgs {
			reason = append(append(reason, msg.New("list.semi")), n...)
		}
	}
	out := []Requirement{Requirement{What: equipment, Quantity: math.Ceil(concentrate), Unit: "L", Basis: basis}.said(reason...)}
	if h, hs, ok := r.hoseStreams(t.DiameterM); ok {
		sol := float64(h.Streams) * hs.LPerMin * h.Minutes
		conc := sol * concentration
		out = append(out, Requirement{
			What: equipment, Quantity: math.Ceil(conc), Unit: "L",
			Basis: map[string]any{"hoseStreams": h.Streams, "lPerMin": hs.LPerMin, "minutes": h.Minutes,
				"diameterM": t.DiameterM, "solutionL": math.Ceil(sol), "concentration": concentration,
				"concentrateL": math.Ceil(conc), "source": hs.Source},
		}.said(msg.New("req.hoseStreams", "d", num1(t.DiameterM), "n", h.Streams, "lpm", num0(hs.LPerMin), "min", num0(h.Minutes),
			"sol", num0(math.Ceil(sol)), "pct", trimFloat(concentration*100), "conc", num0(math.Ceil(conc)), "source", cite(hs.Source))))
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
	// The same as messages, for the requirement's ReasonMsg.
	applicationMsg, areaNameMsg msg.Msg
	sourceMsg                   []msg.Msg
	noteMsgs                    [][]msg.Msg
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
			ap.note(msg.New("req.note.sealNotFloating", "ttype", t.Type.String()))
		case waterSoluble:
			ap.note(msg.New("req.note.sealWaterSoluble"))
		default:
			a := r.Foam.ByTank[t.Type.String()]
			ap.application, ap.areaKind = "seal", "seal"
			ap.applicationMsg = msg.New("req.app.seal")
			ap.area = math.Pi * t.DiameterM * a.SealWidthM
			ap.areaNameMsg = msg.New("req.area.seal", "w", num1(a.SealWidthM))
			ap.areaName = english(ap.areaNameMsg)
			ap.rate, ap.minutes, ap.source = a.RateLPerMinM2, a.Minutes, a.Source
			ap.sourceMsg = []msg.Msg{msg.New("req.src", "s", cite(a.Source))}
			return ap
		}
		ap.scope = twin.ScopeFullSurface
	}
	if ap.scope == twin.ScopeDike {
		ap.scope = twin.ScopeFullSurface // the tank's surface; the dike is sized apart
	}
	ap.areaKind, ap.areaNameMsg = "cross-section", msg.New("req.area.cross")
	ap.area = math.Pi * t.DiameterM * t.DiameterM / 4
	if t.Type == twin.Horizontal {
		// A horizontal tank's liquid surface is its plan area, D × L, not
		// the end's π·D²/4.
		ap.areaKind, ap.areaNameMsg = "plan", msg.New("req.area.plan", "d", num1(t.DiameterM), "l", num1(t.HeightM))
		ap.area = footprintM2(t)
	}
	ap.areaName = english(ap.areaNameMsg)
	fixed := (t.FoamSystem == twin.FoamFixed || t.FoamSystem == twin.FoamSemiFixed) && t.Type != twin.ExternalFloatingRoof
	switch {
	case waterSoluble:
		ar := r.arRate(c, !fixed)
		ap.applicationMsg = msg.New("req.app.arSurface")
		ap.rate, ap.minutes, ap.sourceMsg = ar.rate, ar.minutes, ar.sourceMsg
		if ar.mobile {
			ap.applicationMsg = msg.New("req.app.arMobile")
			ap.note(msg.New("req.note.plunge"))
		}
		ap.application, ap.source = english(ap.applicationMsg), english(ap.sourceMsg...)
	case fixed:
		a := r.Foam.ByTank[t.Type.String()]
		ap.applicationMsg = msg.New("req.app.system", "system", t.FoamSystem)
		ap.application = english(ap.applicationMsg)
		ap.rate, ap.minutes, ap.source = a.RateLPerMinM2, a.Minutes, a.Source
		ap.sourceMsg = []msg.Msg{msg.New("req.src", "s", cite(a.Source))}
	default:
		m := r.Foam.Mobile
		ap.applicationMsg = msg.New("req.app.mobile")
		ap.application = english(ap.applicationMsg)
		ap.rate, ap.minutes = m.RateLPerMinM2, m.MinutesClassI
		class := msg.New("req.src.class1", "fp", trimFloat(m.ClassIFlashPointC))
		if c != nil && c.FlashPointC != nil && *c.FlashPointC >= m.ClassIFlashPointC {
			ap.minutes, class = m.MinutesClassII, msg.New("req.src.class2", "fp", trimFloat(*c.FlashPointC))
		}
		ap.sourceMsg = []msg.Msg{msg.New("req.src", "s", cite(m.Source)), class}
		ap.source = english(ap.sourceMsg...)
	}
	if !fixed && t.DiameterM > r.Foam.Mobile.MaxMonitorDiameterM {
		// NFPA 11's limit is written for fixed-roof tanks; for another
		// roof the plan says so rather than cite it as the rule.
		lim := msg.New("req.note.monitorLimit", "max", num1(r.Foam.Mobile.MaxMonitorDiameterM))
		switch t.Type {
		case twin.FixedRoof, twin.InternalFloatingRoof, twin.Horizontal:
			ap.note(lim, msg.New("req.note.monitorFixed", "d", num1(t.DiameterM)))
		default:
			ap.note(lim, msg.New("req.note.monitorOther", "d", num1(t.DiameterM), "ttype", t.Type.String()))
		}
	}
	return ap
}

// arApplication is the alcohol-resistant rate for a water-soluble
// liquid.
type arApplication struct {
	rate, minutes float64
	rowMinutes    float64 // the table row's own, a fixed system's
	// sourceMsg cites the row, the monitors' factor and minutes;
	// rowSourceMsg the row and the factor only.
	sourceMsg, rowSourceMsg []msg.Msg
	mobile                  bool
}

// arRate returns the alcohol-resistant rate for water-soluble chemical
// c: its row of GB 50151-2021 Table 4.2.2-2 (or the default), × the
// mobile factor when the foam goes on by monitors (mobile), for the
// longer of the row's minutes and the monitors' (NFPA 11) — the rate a
// tank fire, a dike fire and a spill's blanket all take on a polar
// liquid.
func (r *Rules) arRate(c *twin.Chemical, mobile bool) arApplication {
	ws := r.Foam.WaterSoluble
	rate, name := ws.Default, msg.New("req.src.notListed")
	if x, ok := ws.ByChemical[c.CAS]; ok {
		rate, name = x, msg.New("req.src", "s", x.Name)
	}
	ar := arApplication{rate: rate.RateLPerMinM2, minutes: rate.Minutes, rowMinutes: rate.Minutes,
		sourceMsg: []msg.Msg{msg.New("req.src", "s", cite(ws.Source)), msg.New("req.src.row", "name", name)}}
	if mobile && ws.MobileFactor > 0 {
		// The table's rates are for a fixed system's gentle
		// application; monitors plunge foam into the liquid.
		ar.mobile = true
		ar.rate = round(rate.RateLPerMinM2*ws.MobileFactor, 2)
		ar.sourceMsg = append(ar.sourceMsg, msg.New("req.src.monitors", "f", trimFloat(ws.MobileFactor), "s", cite(ws.MobileSource)))
		ar.rowSourceMsg = slices.Clone(ar.sourceMsg)
		mm, class := ws.MobileMinutes.ClassI, msg.New("req.class1")
		if c.FlashPointC != nil && *c.FlashPointC >= r.Foam.Mobile.ClassIFlashPointC {
			mm, class = ws.MobileMinutes.ClassII, msg.New("req.class2")
		}
		if mm > ar.minutes {
			ar.minutes = mm
			ar.sourceMsg = append(ar.sourceMsg, msg.New("req.src.monitorMinutes", "min", trimFloat(mm), "s", cite(ws.MobileMinutes.Source), "class", class))
		}
	}
	if ar.rowSourceMsg == nil {
		ar.rowSourceMsg = slices.Clone(ar.sourceMsg)
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
	typ, asFixed := t.Type.String(), []msg.Msg{}
	if scope == twin.ScopeFullSurface && slices.Contains(c.FullSurfaceAsFixedRoof, typ) {
		// A sunk floating roof burns as an open fixed-roof tank does.
		typ, asFixed = twin.FixedRoof.String(), []msg.Msg{msg.New("req.cooling.asFixed", "ttype", t.Type.String())}
	}
	hours := c.Hours
	if slices.Contains(c.LongFor, typ) && t.DiameterM > c.LongDiameterM {
		hours = c.LongHours
	}
	secs := hours * 3600
	rate := c.BurningLPerSM[typ]
	burning := math.Pi * t.DiameterM * rate * secs
	h := c.Horizontal
	if t.Type == twin.Horizontal {
		burning = h.RateLPerSM2 * surfaceM2(t) * secs
	}
	reach := c.RadiusDiameters * t.DiameterM
	neighbours := []string{}
	neighbourL, horizontalL, horizontals := 0.0, 0.0, 0
	noNeighbours := scope == twin.ScopeSeal && slices.Contains(c.NoNeighboursSealFire, t.Type.String())
	if !noNeighbours {
		for _, o := range near(s, t, reach) {
			neighbours = append(neighbours, o.ID)
			if o.Type == twin.Horizontal {
				horizontals++
				horizontalL += h.RateLPerSM2 * surfaceM2(o) * h.AdjacentAreaShare * secs
				continue
			}
			neighbourL += math.Pi * o.DiameterM * c.AdjacentShare * c.AdjacentLPerSM * secs
		}
	}
	total := burning + neighbourL + horizontalL
	why := msg.New("req.cooling.neighbours", "n", len(neighbours)-horizontals, "reach", num1(reach), "share", num1(c.AdjacentShare),
		"rate", num1(c.AdjacentLPerSM), "l", num0(math.Ceil(neighbourL)))
	whys := []msg.Msg{why}
	if horizontals > 0 {
		whys = append(whys, msg.New("req.cooling.neighboursHorizontal", "n", horizontals, "share", num1(h.AdjacentAreaShare),
			"rate", trimFloat(h.RateLPerSM2), "l", num0(math.Ceil(horizontalL)), "source", cite(h.Source)))
	}
	if noNeighbours {
		whys = []msg.Msg{msg.New("req.cooling.sealNoNeighbours", "ttype", t.Type.String())}
	}
	burningMsg := msg.New("req.cooling.burning", "asFixed", asFixed, "d", num1(t.DiameterM), "rate", num1(rate), "l", num0(math.Ceil(burning)))
	if t.Type == twin.Horizontal {
		burningMsg = msg.New("req.cooling.burningHorizontal", "d", num1(t.DiameterM), "len", num1(t.HeightM), "surface", num1(surfaceM2(t)),
			"rate", trimFloat(h.RateLPerSM2), "l", num0(math.Ceil(burning)), "source", cite(h.Source))
	}
	return Requirement{
		What: CoolingWater, Quantity: math.Ceil(total), Unit: "L",
		Basis: map[string]any{"tank": t.ID, "circumferenceM": round(math.Pi*t.DiameterM, 1),
			"burningLPerSM": rate, "hours": hours, "burningL": math.Ceil(burning),
			"radiusM": round(reach, 1), "neighbours": neighbours, "adjacentLPerSM": c.AdjacentLPerSM,
			"adjacentShare": c.AdjacentShare, "neighboursL": math.Ceil(neighbourL), "source": c.Source},
	}.said(msg.New("req.cooling", "h", num0(hours), "burning", burningMsg, "why", whys, "source", cite(c.Source)))
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
	// The hose streams' supplementary water, by the tank's volume.
	vol := t.CapacityM3
	if vol <= 0 && t.Type == twin.PressureSphere {
		vol = math.Pi * math.Pow(t.DiameterM, 3) / 6
	}
	hoseLPerS := g.hoseStreamLPerS(vol)
	hoseL := hoseLPerS * mins * 60
	total := burning + neighbourL + hoseL
	q := Requirement{
		What: CoolingWater, Quantity: math.Ceil(total), Unit: "L",
		Basis: map[string]any{"tank": t.ID, "tankType": t.Type.String(), "surfaceM2": round(surface, 1),
			"rateLPerMinM2": g.RateLPerMinM2, "hours": g.Hours, "burningL": math.Ceil(burning),
			"radiusM": round(reach, 1), "neighbours": neighbours, "adjacentAreaShare": g.AdjacentAreaShare,
			"neighboursM2": round(neighbourM2, 1), "neighboursL": math.Ceil(neighbourL), "foam": "none", "source": g.Source,
			"volumeM3": round(vol, 0), "hoseStreamLPerS": hoseLPerS, "hoseStreamL": math.Ceil(hoseL), "hoseStreamSource": g.HoseStreamsSource},
	}
	m := []msg.Msg{msg.New("req.gasCooling", "chem", chemical, "tank", t.ID, "h", num0(g.Hours), "surface", num1(surface),
		"rate", num1(g.RateLPerMinM2), "l", num0(math.Ceil(burning)), "n", len(neighbours), "reach", num1(reach), "max", g.MaxNeighbours,
		"share", trimFloat(g.AdjacentAreaShare), "nm2", num1(neighbourM2), "nl", num0(math.Ceil(neighbourL)), "source", cite(g.Source))}
	if hoseL > 0 {
		m = append(m, msg.New("req.gasHoseStreams", "v", num0(vol), "lps", num0(hoseLPerS), "h", num0(g.Hours), "l", num0(math.Ceil(hoseL)),
			"total", num1(total/(mins*60)), "source", cite(g.HoseStreamsSource)))
	}
	return q.said(m...)
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

// footprintM2 is the ground a tank stands on: a horizontal tank's D × L,
// else the circle π·D²/4.
func footprintM2(t *twin.Tank) float64 {
	if t.Type == twin.Horizontal {
		return t.DiameterM * t.HeightM
	}
	return math.Pi * t.DiameterM * t.DiameterM / 4
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
func releasedChemical(s *twin.Snapshot, inc *twin.Incident) (c *twin.Chemical, from *msg.Msg) {
	if c := chemicalOf(s, inc); c != nil {
		return c, nil
	}
	u, ok := twin.Lookup[*twin.HazardUnit](s, inc.Entity)
	if !ok {
		return nil, nil
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
		return nil, nil
	}
	m := msg.New("req.det.fromUnit", "unit", u.ID)
	return c, &m
}

// dike returns the dike around the incident's tank: the area of its tank
// farm (the footprint of the hazard unit that holds the tank, else the
// rectangle its farm's tank shells span) less the tanks' own, and the
// tanks standing in it; false when the incident is at no tank.
func dike(s *twin.Snapshot, inc *twin.Incident) (areaM2 float64, tanks []*twin.Tank, how *msg.Msg, ok bool) {
	t, isTank := twin.Lookup[*twin.Tank](s, inc.Entity)
	if !isTank {
		return 0, nil, nil, false
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
			m := msg.New("req.dike.footprint", "unit", u.ID)
			how = &m
			break
		}
	}
	if how == nil {
		for o := range twin.All[*twin.Tank](s) {
			if o.ID == t.ID || (t.Farm != "" && o.Farm == t.Farm && o.Enterprise == t.Enterprise) {
				tanks = append(tanks, o)
			}
		}
		pr := spatial.NewProjection(t.Position)
		b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, o := range tanks {
			p, rad := pr.Forward(o.Position), o.DiameterM/2
			if o.Type == twin.Horizontal {
				rad = max(o.DiameterM, o.HeightM) / 2 // its bearing unknown
			}
			b = b.Extend(orb.Point{p[0] - rad, p[1] - rad}).Extend(orb.Point{p[0] + rad, p[1] + rad})
		}
		areaM2 = (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1])
		m := msg.New("req.dike.rectangle")
		how = &m
	}
	slices.SortFunc(tanks, func(a, b *twin.Tank) int { return cmp.Compare(a.ID, b.ID) })
	for _, o := range tanks {
		areaM2 -= footprintM2(o)
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
	equipment, kind, chemical := r.Foam.Equipment, msg.New("req.kind.foam"), ""
	if c != nil {
		chemical = c.NameZh
		if c.WaterSoluble {
			equipment, kind = r.Foam.AlcoholResistant, msg.New("req.kind.arFoam")
		}
	}
	d := r.Foam.Dike
	minutes, class := d.MinutesClassI, msg.New("req.class1")
	if c != nil && c.FlashPointC != nil && *c.FlashPointC >= r.Foam.Mobile.ClassIFlashPointC {
		minutes, class = d.MinutesClassII, msg.New("req.class2")
	}
	area, tanks, howMsg, ok := dike(s, inc)
	rate, source := d.RateLPerMinM2, d.Source
	if !ok {
		v, spread := r.spill(inc)
		m := msg.New("req.pool", "v", trimFloat(v), "mm", num0(r.Spill.DepthM*1000))
		area, howMsg = spread, &m
		rate, minutes, source = r.Foam.Spill.RateLPerMinM2, r.Foam.Spill.Minutes, r.Foam.Spill.Source
		class = msg.New("req.nonDiked")
	}
	var sourceMsg []msg.Msg
	if c != nil && c.WaterSoluble {
		// A polar liquid breaks plain foam down: the alcohol-resistant
		// row, by monitors, for the longer of its minutes and the dike's.
		ar := r.arRate(c, true)
		rate, sourceMsg = ar.rate, ar.rowSourceMsg
		if ok {
			minutes = max(minutes, ar.rowMinutes)
			sourceMsg = append(sourceMsg, msg.New("req.src.then", "s", cite(d.Source)))
		}
		source = english(sourceMsg...)
	}
	how := english(*howMsg)
	solution := rate * area * minutes
	cc := r.concentration(equipment, c != nil && c.WaterSoluble)
	conc := solution * cc
	out := []Requirement{Requirement{
		What: equipment, Quantity: math.Ceil(conc), Unit: "L",
		Basis: map[string]any{"scope": twin.ScopeDike, "areaM2": round(area, 1), "area": how, "rateLPerMinM2": rate,
			"minutes": minutes, "solutionL": math.Ceil(solution), "concentration": cc,
			"concentrateL": math.Ceil(conc), "source": source},
	}.said(msg.New("req.poolFire", "kind", kind, "chem", chemical, "how", *howMsg, "area", num1(area), "rate", num1(rate),
		"min", num0(minutes), "class", class, "sol", num0(math.Ceil(solution)), "pct", trimFloat(cc*100), "conc", num0(math.Ceil(conc)),
		"source", srcMsgs(sourceMsg, source)))}
	if len(tanks) > 0 {
		out = append(out, r.dikeCooling(s, tanks, r.Cooling.Hours))
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
		if o.Type == twin.Horizontal {
			atmL += cl.Horizontal.RateLPerSM2 * surfaceM2(o) * hours * 3600
			continue
		}
		atmL += math.Pi * o.DiameterM * cl.BurningLPerSM[o.Type.String()] * hours * 3600
	}
	why := []msg.Msg{msg.New("req.dikeCooling", "n", len(tanks), "atm", len(tanks)-len(gasIDs), "h", num0(hours), "l", num0(math.Ceil(atmL)), "source", cite(cl.Source))}
	if len(gasIDs) > 0 {
		why = append(why, msg.New("req.dikeCooling.gas", "n", len(gasIDs), "m2", num1(gasM2), "rate", num1(g.RateLPerMinM2),
			"h", num0(g.Hours), "l", num0(math.Ceil(gasL)), "source", cite(g.Source)))
	}
	return Requirement{What: CoolingWater, Quantity: math.Ceil(atmL + gasL), Unit: "L",
		Basis: map[string]any{"tanks": ids, "hours": most, "atmosphericHours": hours, "atmosphericL": math.Ceil(atmL),
			"liquefiedTanks": gasIDs, "liquefiedM2": round(gasM2, 1), "liquefiedL": math.Ceil(gasL),
			"liquefiedRateLPerMinM2": g.RateLPerMinM2, "liquefiedHours": g.Hours, "source": cl.Source,
			"lPerS": round(atmL/(hours*3600)+gasL/(g.Hours*3600), 2)},
	}.said(why...)
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
		return perIncident(kit, msg.New("req.per.gas", "chem", c.NameZh))
	}
	v, area := r.spill(inc)
	how := msg.New("req.spread", "v", trimFloat(v), "mm", num0(r.Spill.DepthM*1000))
	diked := false
	if d, _, dhow, ok := dike(s, inc); ok && d > 0 && d < area {
		area, how, diked = d, msg.New("req.heldByDike", "v", trimFloat(v), "how", *dhow), true
	}
	c := chemicalOf(s, inc)
	equipment, kind, chemical := r.Foam.Equipment, msg.New("req.kind.foam"), ""
	if c != nil {
		chemical = c.NameZh
		if c.WaterSoluble {
			equipment, kind = r.Foam.AlcoholResistant, msg.New("req.kind.arFoam")
		}
	}
	f := r.Foam.Spill
	rate, sourceMsg := f.RateLPerMinM2, []msg.Msg{msg.New("req.src", "s", cite(f.Source))}
	if c != nil && c.WaterSoluble {
		// The blanket on a polar liquid not burning: the alcohol-
		// resistant row's rate as the table gives it, without the
		// monitors' factor — a blanket is laid gently on a still liquid,
		// no fire breaking it down — for the spill's minutes.
		ar := r.arRate(c, false)
		rate = ar.rate
		sourceMsg = append(slices.Clone(ar.rowSourceMsg), msg.New("req.src.forMinutes", "min", trimFloat(f.Minutes), "s", cite(f.Source)))
	}
	source := english(sourceMsg...)
	solution := rate * area * f.Minutes
	cc := r.concentration(equipment, c != nil && c.WaterSoluble)
	conc := solution * cc
	out := []Requirement{Requirement{
		What: equipment, Quantity: math.Ceil(conc), Unit: "L",
		Basis: map[string]any{"volumeM3": v, "areaM2": round(area, 1), "rateLPerMinM2": rate, "minutes": f.Minutes,
			"solutionL": math.Ceil(solution), "concentration": cc, "concentrateL": math.Ceil(conc), "source": source},
	}.said(msg.New("req.blanket", "kind", kind, "chem", chemical, "how", how, "area", num1(area), "rate", num1(rate),
		"min", num0(f.Minutes), "sol", num0(math.Ceil(solution)), "pct", trimFloat(cc*100), "conc", num0(math.Ceil(conc)), "source", sourceMsg))}
	if kg := v * r.Spill.AbsorbentKgPerM3; kg > 0 {
		out = append(out, Requirement{What: "absorbent", Quantity: math.Ceil(kg), Unit: "kg",
			Basis: map[string]any{"volumeM3": v, "kgPerM3": r.Spill.AbsorbentKgPerM3},
		}.said(msg.New("req.absorbent", "v", trimFloat(v), "k", num0(r.Spill.AbsorbentKgPerM3), "kg", num0(math.Ceil(kg)))))
	}
	if m := 2 * math.Sqrt(math.Pi*area) * r.Spill.BoomPerimeterShare; m > 0 && !diked {
		out = append(out, Requirement{What: "boom", Quantity: math.Ceil(m), Unit: "m",
			Basis: map[string]any{"areaM2": round(area, 1), "perimeterShare": r.Spill.BoomPerimeterShare},
		}.said(msg.New("req.boom", "a", num1(area), "share", num1(r.Spill.BoomPerimeterShare), "m", num0(math.Ceil(m)))))
	}
	return append(out, perIncident(r.Spill.PerIncident, msg.New("req.per.spill"))...)
}

// ToxicRelease returns the protection a toxic release needs: per
// member of the crews going into the zone (entrants and backups, never
// fewer than the rules' entry team), per incident, and detectors that
// read the chemical. Crews bring their own SCBA on their vehicles; the
// warehouses supply the entry team's suits and spares.
func (r *Rules) ToxicRelease(s *twin.Snapshot, inc *twin.Incident, entry int) []Requirement {
	e := r.Toxic.Entry
	team := e.TeamByLevel[inc.Level.String()]
	// The suited entry team by task; the rest of the crews that go in
	// relieve it, up to rotationStock suits more held as stock.
	rot := min(max(entry-team.Size(), 0), e.RotationStock)
	n := team.Size() + rot
	how := msg.New("req.entry.pairs", "recon", team.Recon, "sealing", team.Sealing, "backup", team.Backup)
	if team.Recon == 0 {
		how = msg.New("req.entry.entrants", "sealing", team.Sealing, "backup", team.Backup)
	}
	why := msg.New("req.entry.team", "team", team.Size(), "how", how, "rot", rot, "cap", e.RotationStock, "n", entry, "source", cite(e.TeamSource))
	var out []Requirement
	for _, need := range r.Toxic.PerEntrant {
		q := need.Count * float64(n)
		out = append(out, Requirement{What: need.Equipment, Quantity: q, Unit: "set",
			Basis: map[string]any{"entrants": n, "entryTeam": team.Size(), "rotationStock": rot, "entryCrews": entry, "perEntrant": need.Count, "source": e.Source},
		}.said(msg.New("req.perEntrant", "eq", need.Equipment, "why", why, "per", trimFloat(need.Count), "q", num0(q), "source", cite(e.Source))))
	}
	out = append(out, r.containerKit(s, inc, perIncident(r.Toxic.PerIncident, msg.New("req.per.toxic")))...)
	return append(out, r.detectors(s, inc))
}

// containerKit replaces the generic sealing kit in kit with the kit
// matched to the incident's container (toxic.containerKits): by the
// inventory of its tank, or a road tanker's for a vehicle accident. With
// no container known the generic kit stays.
func (r *Rules) containerKit(s *twin.Snapshot, inc *twin.Incident, kit []Requirement) []Requirement {
	c, _ := releasedChemical(s, inc)
	if c == nil {
		return kit
	}
	ck, ok := r.Toxic.ContainerKits[c.CAS]
	if !ok || len(ck.Kits) == 0 {
		return kit
	}
	var pick ContainerKit
	var how msg.Msg
	t, isTank := twin.Lookup[*twin.Tank](s, inc.Entity)
	if u, ok := twin.Lookup[*twin.HazardUnit](s, inc.Entity); ok {
		// A major hazard unit: its largest tank of the chemical.
		for _, id := range u.Tanks {
			if o, ok := twin.Lookup[*twin.Tank](s, id); ok && o.Chemical == c.CAS && (!isTank || o.CapacityM3 > t.CapacityM3) {
				t, isTank = o, true
			}
		}
	}
	if isTank {
		kg := t.CapacityM3 * t.MaxFill * c.DensityKgM3
		pick = ck.Kits[len(ck.Kits)-1]
		for _, k := range ck.Kits {
			if k.UpToKg > 0 && kg <= k.UpToKg {
				pick = k
				break
			}
		}
		how = msg.New("req.kit.tank", "tank", t.ID, "t", num1(kg/1000))
	} else if inc.Type == twin.VehicleAccident {
		pick, how = ck.Kits[len(ck.Kits)-1], msg.New("req.kit.tanker")
	} else {
		return kit
	}
	for i, q := range kit {
		if q.What == ck.Replaces {
			kit[i] = Requirement{What: pick.Equipment, Quantity: q.Quantity, Unit: q.Unit,
				Basis: map[string]any{"perIncident": q.Quantity, "container": pick.Container, "replaces": ck.Replaces, "source": ck.Source},
			}.said(msg.New("req.kit", "eq", pick.Equipment, "n", num0(q.Quantity), "container", msg.New("req.kit.container."+pick.Container), "how", how,
				"generic", ck.Replaces, "source", cite(ck.Source)))
		}
	}
	return kit
}

// detectors returns the detector line for the incident's chemical: the
// type that reads it (toxic.detectors), the four-gas type when no
// chemical is named. A chemical no listed type reads gets a line with no
// equipment type, which the plan reports as a shortfall naming it.
func (r *Rules) detectors(s *twin.Snapshot, inc *twin.Incident) Requirement {
	d := r.Toxic.Detectors
	c, fromMsg := releasedChemical(s, inc)
	var from []msg.Msg
	if fromMsg != nil {
		from = []msg.Msg{msg.New("list.semi"), *fromMsg}
	}
	if c == nil {
		return Requirement{What: d.Unknown, Quantity: d.Count, Unit: "set",
			Basis: map[string]any{"perIncident": d.Count, "chemical": "", "source": d.Source},
		}.said(msg.New("req.det.unknown", "eq", d.Unknown, "n", trimFloat(d.Count)))
	}
	det, ok := d.ByChemical[c.CAS]
	if !ok {
		return Requirement{What: "", Quantity: d.Count, Unit: "set",
			Basis: map[string]any{"chemical": c.CAS, "source": d.Source},
		}.said(msg.New("req.det.none", "zh", c.NameZh, "en", c.NameEn, "cas", c.CAS, "rule", "toxic.detectors", "from", from))
	}
	var status []msg.Msg
	if det.Unverified {
		status = []msg.Msg{msg.New("req.unverified")}
	}
	return Requirement{What: det.Equipment, Quantity: d.Count, Unit: "set",
		Basis: map[string]any{"perIncident": d.Count, "chemical": c.CAS, "source": d.Source},
	}.said(msg.New("req.det", "eq", det.Equipment, "n", trimFloat(d.Count), "chem", c.NameZh, "cas", c.CAS, "status", status,
		"source", cite(d.Source), "from", from))
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
	return perIncident(r.ConfinedSpace.PerIncident, msg.New("req.per.confined"))
}

func perIncident(needs []Need, what msg.Msg) []Requirement {
	var out []Requirement
	for _, need := range needs {
		out = append(out, Requirement{What: need.Equipment, Quantity: need.Count, Unit: "set",
			Basis: map[string]any{"perIncident": need.Count},
		}.said(msg.New("req.perIncident", "eq", need.Equipment, "n", num0(need.Count), "what", what)))
	}
	return out
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// trimFloat writes a number without trailing zeros: 37.8, 6.
func trimFloat(v float64) string { return fmt.Sprintf("%g", round(v, 2)) }

// srcMsgs is ms, or the source s as a message when ms is empty.
func srcMsgs(ms []msg.Msg, s string) []msg.Msg {
	if len(ms) > 0 {
		return ms
	}
	return []msg.Msg{msg.New("req.src", "s", cite(s))}
}
