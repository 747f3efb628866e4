package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/spatial"
)

// Hazard-aware dispatch: the roads inside an incident's hot zones are
// closed for its plan, and its units gather at a staging point outside
// them, upwind or across the wind, reachable by open roads; only the
// units whose role needs it go on toward the source.

// Staging is where a plan's units gather.
type Staging struct {
	Point     []float64 `json:"point"` // [lon, lat]
	Road      string    `json:"road"`  // the segment it lies on
	RoadName  string    `json:"roadName"`
	DistanceM float64   `json:"distanceM"` // from the source
	// BearingDeg is where it lies from the source, clockwise from north.
	BearingDeg float64 `json:"bearingDeg"`
	// OffUpwindDeg is how far its bearing is from the wind's (where the
	// wind comes from); absent without weather.
	OffUpwindDeg *float64 `json:"offUpwindDeg,omitempty"`
	// Side: upwind (within 45° of the wind's bearing), crosswind,
	// downwind, or unknown (no weather).
	Side string `json:"side"`
	// WindBasis is "prevailing" when Side is reckoned from the month's
	// prevailing wind, the wind itself being unknown.
	WindBasis string `json:"windBasis,omitempty"`
	Reason    string `json:"reason"`
	// ReasonMsg is Reason as messages (messages.go).
	ReasonMsg []msg.Msg `json:"reasonMsg,omitempty"`
}

// approach is how a plan reaches its incident: toward the incident, or,
// with hot zones, toward a staging point over the graph that avoids them.
type approach struct {
	cut     *Approach // without hot zones: main's approach when the nearest road is cut off
	zones   *IncidentZones
	view    *Graph
	to      *Inbound
	staging *Staging
	warm    *Staging  // the warm zone's exit, for toWarmExit's units
	toWarm  *Router   // from staging to it, over the view
	warmAt  orb.Point // its point
	point   orb.Point
	target  orb.Point // where the units that go on drive to
	onward  *Router   // from staging, over the whole graph
	closed  []string
	notes   [][]msg.Msg
	lead    []msg.Msg // the plan's first note, before the approach's
	// prevailing: the month's prevailing wind, where it blows from, when
	// a toxic-by-inhalation release has no wind known.
	prevailing *float64
	alternate  *Staging // a second staging point about 90° round, then
	curtain    *Staging // the water curtain's point, downwind
	toCurtain  *Router  // from staging to it
	curtainAt  orb.Point
	// edge: a confined space's vehicles stop here, at the hot zone's
	// edge on the wind's side, not at the opening; the kit is carried in.
	edge *Staging
	// provisional: the wind is not confirmed (the month's prevailing
	// wind, or the station's stale reading): decontamination, the
	// curtain and a confined space's edge wait at staging.
	provisional bool
	// maxOff is staging's cap off the upwind bearing, degrees.
	maxOff float64
}

// approachOf works out the approach to inc: with hot zones in z, the
// roads inside them closed and a staging point chosen.
func (r *Rules) approachOf(s *twin.Snapshot, g *Graph, inc *twin.Incident, z *IncidentZones) (*approach, error) {
	ap := &approach{zones: z, view: g}
	var hot []*Zone
	if z != nil {
		hot = z.Hot()
	}
	// Where the units would drive without zones: the road point nearest
	// the source, or the approach when that is cut off (approach.go).
	// With zones the units that go on go there from staging.
	in, cut, ok := r.approach(s, g, inc)
	if !ok {
		return nil, refuse(twin.ECONFLICT, "", msg.New("error.noRoadToPlan"))
	}
	ap.cut, ap.target = cut, in.dest.Point
	if len(hot) == 0 {
		ap.to = in
		return ap, nil
	}
	closed := map[string]bool{}
	for _, h := range hot {
		for _, rd := range h.Inside.Roads {
			closed[rd.ID] = true
		}
	}
	ap.closed = slices.Sorted(func(yield func(string) bool) {
		for id := range closed {
			if !yield(id) {
				return
			}
		}
	})
	ap.view = g.Avoiding(closed)
	gasZh, gasEn := inc.Chemical, inc.Chemical
	if c, ok := twin.Lookup[*twin.Chemical](s, inc.Chemical); ok {
		gasZh, gasEn = cmpOr(c.NameZh, inc.Chemical), cmpOr(c.NameEn, inc.Chemical)
	}
	if age, ok := zoneConfig.staleReading(z.Weather, z.At); ok {
		// The station's last reading, however old, is the best guess of
		// the wind: used, and said to be provisional.
		ap.provisional = true
		ap.lead = []msg.Msg{msg.New("plan.note.windProvisional", "min", num0(age.Minutes()), "deg", num0(z.Weather.WindFromDeg))}
	}
	if z.windUnknownTIH {
		// A toxic-by-inhalation release and no wind known at all: the
		// units stage just outside the isolation distance on the
		// month's prevailing upwind side, with an alternate about 90°
		// round; ERG's protective-action distance is the public's.
		deg, month := zoneConfig.prevailingFrom(z.At)
		ap.prevailing = &deg
		ap.provisional = true
		ap.lead = []msg.Msg{msg.New("plan.note.windUnknown", "iso", num0(isolationOf(z)), "deg", num0(deg),
			"month", fmt.Sprint(int(month)), "source", cite(zoneConfig.WindUnknown.PrevailingSource))}
		if z.confined {
			ap.lead = []msg.Msg{msg.New("plan.note.windUnknownConfined", "m", num0(zoneConfig.ConfinedSpace.HotRadiusM), "deg", num0(deg),
				"month", fmt.Sprint(int(month)), "source", cite(zoneConfig.WindUnknown.PrevailingSource))}
		}
	}
	if ap.lead != nil && slices.ContainsFunc(z.Zones, func(zn Zone) bool { return zn.Kind == ZoneProtectiveAction }) {
		ap.lead = append(ap.lead, msg.New("plan.note.tihApproach", "zh", gasZh, "en", gasEn))
	}
	if z.windUnknownTIH && padOf(z) > 0 {
		ap.notes = append(ap.notes, []msg.Msg{msg.New("plan.note.padPublic", "m", num0(padOf(z)), "source", padSourceOf(z))})
	}
	ap.notes = append(ap.notes, []msg.Msg{msg.New("plan.note.hotZones", "zones", z.hotMsgs(), "n", len(ap.closed))})
	if z.confined {
		// The provisional zone round a confined space's opening: the
		// detectors set it; the fans' exhaust is led away from the
		// staging and the entry; a gas that burns takes fire cover.
		c, _ := twin.Lookup[*twin.Chemical](s, inc.Chemical)
		n := []msg.Msg{msg.New("plan.note.confined", "m", num0(zoneConfig.ConfinedSpace.HotRadiusM), "source", cite(zoneConfig.ConfinedSpace.Source))}
		if c != nil && zoneConfig.flammable(c) {
			n = append(n, msg.New("plan.note.confinedFire"))
		}
		ap.notes = append(ap.notes, n)
	}
	if z.lfg && (inc.Type == twin.TankFire || inc.Type == twin.PoolFire) {
		for i, n := range zoneConfig.TacticsLiquefiedFlammableGas {
			ap.notes = append(ap.notes, []msg.Msg{zoneConfig.lfgTacticMsg(i, n)})
		}
	}
	if err := r.chooseStaging(s, ap, inc, hot); err != nil {
		return nil, err
	}
	ap.onward, _ = g.From(ap.point)
	if z.confined {
		ap.chooseEdge(inc)
	}
	r.chooseCurtain(ap, g, inc)
	return ap, nil
}

// chooseCurtain picks where a toxic release's water curtain is set: the
// junction of an open public road outside the isolation circles by the
// margin, within zones.yaml curtainMaxOffDeg of the downwind bearing,
// nearest the source, that staging reaches without crossing an
// isolation circle. No wind confirmed (the prevailing one or the
// station's stale reading a guess): none.
func (r *Rules) chooseCurtain(ap *approach, g *Graph, inc *twin.Incident) {
	if len(zoneConfig.ToCurtain[inc.Type.String()]) == 0 || ap.point == (orb.Point{}) {
		return
	}
	if ap.zones.Weather == nil || ap.provisional {
		// The prevailing wind or a stale reading is a guess: the
		// curtain's water waits at staging until the wind is confirmed.
		return
	}
	upwind := ap.zones.Weather.WindFromDeg
	down := math.Mod(upwind+180, 360)
	var iso []*Zone
	closed := map[string]bool{}
	for _, h := range ap.zones.Hot() {
		if h.Kind == ZoneIsolation {
			iso = append(iso, h)
			for _, rd := range h.Inside.Roads {
				closed[rd.ID] = true
			}
		}
	}
	if len(iso) == 0 {
		return
	}
	v := g.Avoiding(closed)
	from, ok := v.From(ap.point)
	if !ok {
		return
	}
	best := nearestReached(v, from, inc.Position, func(c *stagingCandidate) bool {
		return angleBetween(c.bearing, down) <= zoneConfig.CurtainMaxOffDeg && outsideHot(iso, c.local, zoneConfig.Staging.MarginM)
	})
	if best == nil {
		return
	}
	p := v.nodes[best.node]
	st := &Staging{Point: []float64{p[0], p[1]}, DistanceM: math.Round(best.d), BearingDeg: math.Round(best.bearing), Side: "downwind"}
	off := math.Round(angleBetween(best.bearing, upwind))
	st.OffUpwindDeg = &off
	if a, ok := v.Access(p); ok {
		st.Road = a.Road
		if ri, ok := v.byID[a.Road]; ok {
			st.RoadName = v.roads[ri].Name
		}
	}
	st.say(msg.New("plan.curtain", "road", st.Road, "roadName", st.RoadName, "m", num0(best.d), "deg", num0(best.bearing)))
	ap.curtain, ap.toCurtain, ap.curtainAt = st, from, p
}

// chooseEdge picks where a confined space's vehicles stop: the junction
// of an open road just outside the provisional hot zone round the
// opening, nearest it, within staging's cap off the upwind bearing when
// the wind is known (75° round a toxic gas; never another side: staging
// when no junction there is reached), that
// staging reaches without a hot road. The engines are ignition sources
// and stay out of the zone round a gas that may burn; the tripod, the
// fan and the air are carried in, and the charged line is laid from
// here. The vehicles that go on drive here, not to the opening.
func (ap *approach) chooseEdge(inc *twin.Incident) {
	v := ap.view
	from, ok := v.From(ap.point)
	if !ok {
		return
	}
	hot := ap.zones.Hot()
	pr := spatial.NewProjection(inc.Position)
	upwind, wind := ap.windFrom()
	maxOff := cmp.Or(ap.maxOff, zoneConfig.Staging.MaxOffUpwindDeg)
	pick := func() *stagingCandidate {
		var best *stagingCandidate
		for i, p := range v.nodes {
			q := pr.Forward(p)
			c := stagingCandidate{node: i, local: q, d: math.Hypot(q[0], q[1]), bearing: bearing(q)}
			if best != nil && c.d >= best.d {
				continue
			}
			if wind {
				c.off, c.hasOff = angleBetween(c.bearing, upwind), true
				if c.off > maxOff {
					continue
				}
			}
			if !v.openPublicAt(i) || !outsideHot(hot, q, 0) {
				continue
			}
			if rt, ok := from.To(p); !ok || len(rt.Hot) > 0 {
				continue
			}
			best = &c
		}
		return best
	}
	// Never another side: with no junction on the wind's side reached,
	// the vehicles stop at staging, not downwind of the opening.
	best := pick()
	if best == nil {
		// Nothing nearer is reached: the vehicles stop at staging.
		ap.edge, ap.target = ap.staging, ap.point
		return
	}
	p := v.nodes[best.node]
	if p == ap.point {
		ap.edge, ap.target = ap.staging, ap.point
		return
	}
	st := stagingOf(v, *best, p, wind, maxOff, hot)
	st.Reason, st.ReasonMsg = "", nil
	st.say(msg.New("plan.edge", "road", st.Road, "roadName", st.RoadName, "m", num0(best.d), "deg", num0(best.bearing),
		"r", num0(zoneConfig.ConfinedSpace.HotRadiusM)))
	ap.edge, ap.target, ap.onward = st, p, from
}

// isolationOf is the ERG isolation distance of the zones, m.
func isolationOf(z *IncidentZones) float64 {
	m := 0.0
	for _, zn := range z.Zones {
		if zn.Kind == ZoneIsolation {
			m = max(m, zn.Value)
		}
	}
	return m
}

// padSourceOf is the citation of the protective-action distance.
func padSourceOf(z *IncidentZones) string {
	for _, zn := range z.Zones {
		if zn.Kind == ZoneProtectiveAction {
			return zn.Source
		}
	}
	return ""
}

// windFrom is where the plan takes the wind to blow from: the park's
// weather, else, for a toxic-by-inhalation release, the month's
// prevailing wind; false when neither.
func (ap *approach) windFrom() (float64, bool) {
	if ap.zones.Weather != nil {
		return ap.zones.Weather.WindFromDeg, true
	}
	if ap.prevailing != nil {
		return *ap.prevailing, true
	}
	return 0, false
}

// padOf is the protective-action distance of the zones, m.
func padOf(z *IncidentZones) float64 {
	m := 0.0
	for _, zn := range z.Zones {
		if zn.Kind == ZoneProtectiveAction {
			m = max(m, zn.Value)
		}
	}
	return m
}

// stagingCandidate is a junction that could be the staging point.
type stagingCandidate struct {
	node      int
	local     orb.Point // metres east and north of the source
	d, off    float64
	bearing   float64
	cost      float64
	hasOff    bool
	downwind  bool
	farEnough bool
}

// chooseStaging picks the staging point: the junction of an open public
// road outside every hot zone and the ERG protective-action area by the
// margin, upwind or across the wind, that costs least (zones.yaml
// staging), and that the teams' bases reach without a hot road. When no
// such junction is reached it stops at the junction outside the hot zones
// nearest the source and says so: never at the source.
func (r *Rules) chooseStaging(s *twin.Snapshot, ap *approach, inc *twin.Incident, hot []*Zone) error {
	cfg := zoneConfig.Staging
	z := ap.zones
	pr := spatial.NewProjection(inc.Position)
	reach := 0.0 // the farthest a hot circle reaches
	for _, h := range hot {
		if h.Circle != nil {
			reach = max(reach, h.Circle.RadiusM)
		}
	}
	// No one waits in the protective-action area either: ERG asks that
	// the people there be protected, so it is no place to gather, though
	// its roads stay open.
	noStage := slices.Clone(hot)
	maxOff := cfg.MaxOffUpwindDeg
	for i := range z.Zones {
		switch z.Zones[i].Kind {
		case ZoneProtectiveAction:
			if !z.Zones[i].Hot && !z.windUnknownTIH {
				noStage = append(noStage, &z.Zones[i])
			}
			maxOff = min(maxOff, cfg.MaxOffUpwindDegDownwindHazard)
		case ZoneToxic:
			maxOff = min(maxOff, cfg.MaxOffUpwindDegDownwindHazard)
		}
	}
	if z.confined {
		// A toxic gas in a confined space is a downwind hazard like a
		// toxic zone's: the tighter cap, for staging and the edge.
		if c, ok := twin.Lookup[*twin.Chemical](s, inc.Chemical); ok && c.ToxicGas {
			maxOff = min(maxOff, cfg.MaxOffUpwindDegDownwindHazard)
		}
	}
	ap.maxOff = maxOff
	upwind, wind := ap.windFrom()
	v := ap.view
	var cands []stagingCandidate
	for i, p := range v.nodes {
		if !v.openPublicAt(i) {
			continue
		}
		q := pr.Forward(p)
		d := math.Hypot(q[0], q[1])
		if d < reach+cfg.MarginM {
			continue
		}
		c := stagingCandidate{node: i, local: q, d: d, bearing: bearing(q)}
		c.cost = d - reach
		if wind {
			c.off, c.hasOff = angleBetween(c.bearing, upwind), true
			c.cost += c.off * cfg.OffUpwindMPerDeg
			c.downwind = c.off > maxOff
		}
		cands = append(cands, c)
	}
	slices.SortFunc(cands, func(a, b stagingCandidate) int {
		if a.downwind != b.downwind {
			if a.downwind {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.node, b.node))
	})
	var bases []orb.Point
	for t := range twin.All[*twin.Team](s) {
		if t.Status == twin.Available {
			bases = append(bases, t.Base)
		}
	}
	tried := 0
	for _, c := range cands {
		if tried >= cfg.Candidates {
			break
		}
		if !outsideHot(noStage, c.local, cfg.MarginM) {
			continue
		}
		tried++
		p := v.nodes[c.node]
		in, ok := reachedFrom(v, p, bases)
		if !ok {
			continue
		}
		ap.to, ap.point = in, p
		ap.staging = stagingOf(v, c, p, wind, maxOff, hot)
		if ap.prevailing != nil {
			ap.staging.WindBasis = "prevailing"
			ap.staging.say(msg.New("plan.staging.prevailing", "deg", num0(upwind)))
			ap.alternate = alternateOf(v, cands, c, noStage, bases, upwind, maxOff, hot)
		}
		r.chooseWarmExit(ap, inc, noStage, maxOff)
		return nil
	}
	// Nowhere the teams reach without a hot road (their bases inside or
	// cut off): the junction outside the hot zones nearest the source that
	// any road reaches. The units cross the fewest hot roads to get there;
	// never to the source itself.
	var near []stagingCandidate
	for i, p := range v.nodes {
		q := pr.Forward(p)
		if !outsideHot(hot, q, cfg.MarginM) {
			continue
		}
		c := stagingCandidate{node: i, local: q, d: math.Hypot(q[0], q[1]), bearing: bearing(q)}
		if wind {
			c.off, c.hasOff = angleBetween(c.bearing, upwind), true
			c.downwind = c.off > maxOff
		}
		near = append(near, c)
	}
	slices.SortFunc(near, func(a, b stagingCandidate) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.node, b.node)) })
	for _, c := range near {
		p := v.nodes[c.node]
		in, ok := v.Toward(p)
		if !ok {
			continue
		}
		ap.to, ap.point = in, p
		ap.staging = stagingOf(v, c, p, wind, maxOff, hot)
		why := msg.New("plan.note.stagingNear")
		ap.staging.say(msg.New("plan.staging.near"))
		ap.notes = append(ap.notes, []msg.Msg{why})
		return nil
	}
	m := msg.New("plan.error.noStaging", "zones", z.hotMsgs())
	return &twin.Error{Code: twin.ECONFLICT, Message: english(m), Msg: &m}
}

// reachedFrom is the routes toward p when a team's base reaches it
// without crossing a hot zone (with no bases given, any route will do).
func reachedFrom(v *Graph, p orb.Point, bases []orb.Point) (*Inbound, bool) {
	in, ok := v.Toward(p)
	if !ok {
		return nil, false
	}
	if len(bases) == 0 {
		return in, true
	}
	for _, b := range bases {
		if in.Cost(b) < hotPenalty {
			return in, true
		}
	}
	return nil, false
}

// alternateOf picks the alternate staging point of a release with the
// wind unknown: a candidate about zones.yaml windUnknown.alternateOffDeg
// round from the first (c), outside the hot zones, that the teams reach
// without a hot road — where the units go should the wind, once
// confirmed, put the first downwind.
func alternateOf(v *Graph, cands []stagingCandidate, first stagingCandidate, noStage []*Zone, bases []orb.Point, upwind, maxOff float64, hot []*Zone) *Staging {
	cfg, wu := zoneConfig.Staging, zoneConfig.WindUnknown
	var ok []stagingCandidate
	for _, c := range cands {
		round := angleBetween(c.bearing, first.bearing)
		if math.Abs(round-wu.AlternateOffDeg) > wu.AlternateToleranceDeg || !outsideHot(noStage, c.local, cfg.MarginM) {
			continue
		}
		c.cost = c.d + math.Abs(round-wu.AlternateOffDeg)*cfg.OffUpwindMPerDeg
		ok = append(ok, c)
	}
	slices.SortFunc(ok, func(a, b stagingCandidate) int {
		return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.node, b.node))
	})
	for i, c := range ok {
		if i >= cfg.Candidates {
			break
		}
		p := v.nodes[c.node]
		if _, ok := reachedFrom(v, p, bases); !ok {
			continue
		}
		st := stagingOf(v, c, p, true, maxOff, hot)
		st.WindBasis = "prevailing"
		st.Reason, st.ReasonMsg = "", nil
		st.say(msg.New("plan.staging.alternate", "road", st.Road, "roadName", st.RoadName, "m", num0(c.d), "deg", num0(c.bearing),
			"round", num0(angleBetween(c.bearing, first.bearing))))
		return st
	}
	return nil
}

// nearestReached is the junction nearest the incident at origin that
// accept takes, open to the public, and reached from `from` without a
// hot road; nil when there is none.
func nearestReached(v *Graph, from *Router, origin orb.Point, accept func(*stagingCandidate) bool) *stagingCandidate {
	pr := spatial.NewProjection(origin)
	var best *stagingCandidate
	for i, p := range v.nodes {
		q := pr.Forward(p)
		c := stagingCandidate{node: i, local: q, d: math.Hypot(q[0], q[1]), bearing: bearing(q)}
		if best != nil && c.d >= best.d {
			continue
		}
		if !accept(&c) || !v.openPublicAt(i) {
			continue
		}
		if rt, ok := from.To(p); !ok || len(rt.Hot) > 0 {
			continue
		}
		best = &c
	}
	return best
}

// chooseWarmExit picks the warm zone's exit: the junction outside the hot
// zones and the protective-action area by the margin that lies nearest
// the source, within maxOff of the wind's bearing when there is wind, and
// that staging reaches without a hot road. The decontamination line
// works there, where the entry team comes out, not at staging.
func (r *Rules) chooseWarmExit(ap *approach, inc *twin.Incident, noStage []*Zone, maxOff float64) {
	if len(zoneConfig.ToWarmExit[inc.Type.String()]) == 0 {
		return
	}
	v := ap.view
	from, ok := v.From(ap.point)
	if !ok {
		return
	}
	upwind, wind := ap.windFrom()
	best := nearestReached(v, from, inc.Position, func(c *stagingCandidate) bool {
		if wind {
			c.off, c.hasOff = angleBetween(c.bearing, upwind), true
			if c.off > maxOff {
				return false
			}
		}
		return outsideHot(noStage, c.local, zoneConfig.Staging.MarginM)
	})
	if best == nil {
		return
	}
	p := v.nodes[best.node]
	ap.warm, ap.warmAt = stagingOf(v, *best, p, wind, maxOff, ap.zones.Hot()), p
	ap.warm.Reason, ap.warm.ReasonMsg = "", nil
	ap.warm.say(msg.New("plan.warmExit", "road", ap.warm.Road, "roadName", ap.warm.RoadName, "m", num0(best.d), "deg", num0(best.bearing)))
	ap.toWarm = from
}

// stagingOf describes a chosen staging point.
func stagingOf(v *Graph, c stagingCandidate, p orb.Point, wind bool, maxOff float64, hot []*Zone) *Staging {
	st := &Staging{Point: []float64{p[0], p[1]}, DistanceM: math.Round(c.d), BearingDeg: math.Round(c.bearing), Side: "unknown"}
	if a, ok := v.Access(p); ok {
		st.Road = a.Road
		if ri, ok := v.byID[a.Road]; ok {
			st.RoadName = v.roads[ri].Name
		}
	}
	var names []msg.Msg
	for i, h := range hot {
		if i > 0 {
			names = append(names, msg.New("list.and"))
		}
		names = append(names, msg.New("zone.named", "kind", h.Kind, "level", levelArg(h.Level)))
	}
	where := msg.New("plan.staging.where", "m", num0(c.d), "deg", num0(c.bearing), "zones", names,
		"margin", fmt.Sprintf("%g", zoneConfig.Staging.MarginM))
	if wind {
		off := math.Round(c.off)
		st.OffUpwindDeg = &off
		switch {
		case c.off <= 45:
			st.Side = "upwind"
		case c.off <= 135:
			st.Side = "crosswind"
		default:
			st.Side = "downwind"
		}
		st.say(msg.New("plan.staging.wind", "side", st.Side, "road", st.Road, "roadName", st.RoadName, "where", where, "off", num0(c.off)))
		if c.off > maxOff {
			st.say(msg.New("plan.staging.farOff", "max", fmt.Sprintf("%g", maxOff)))
		}
	} else {
		st.say(msg.New("plan.staging.noWind", "road", st.Road, "roadName", st.RoadName, "where", where))
	}
	return st
}

// openPublicAt reports whether a junction lies on an open road that is
// not an enterprise's access road: where units can wait and turn.
func (g *Graph) openPublicAt(n int) bool {
	for _, e := range g.out[n] {
		if !g.isHot(e.road) && g.roads[e.road].Class != twin.Access {
			return true
		}
	}
	for _, e := range g.in[n] {
		if !g.isHot(e.road) && g.roads[e.road].Class != twin.Access {
			return true
		}
	}
	return false
}

// outsideHot reports whether p (metres about the source) lies outside
// every hot zone by at least margin.
func outsideHot(hot []*Zone, p orb.Point, margin float64) bool {
	q := [2]float64(p)
	for _, h := range hot {
		if ringContains(h.local, q) || ringDistance(h.local, q) < margin {
			return false
		}
	}
	return true
}

// ringDistance is the distance from p to a ring's edge.
func ringDistance(ring [][2]float64, p [2]float64) float64 {
	best := math.Inf(1)
	for i := 1; i < len(ring); i++ {
		a, b := ring[i-1], ring[i]
		_, d := project(orb.Point(p), orb.Point(a), orb.Point(b))
		best = min(best, d)
	}
	return best
}

// bearing is the direction of a point east and north of the origin,
// clockwise from north in degrees [0, 360).
func bearing(q orb.Point) float64 {
	b := math.Atan2(q[0], q[1]) * 180 / math.Pi
	if b < 0 {
		b += 360
	}
	return b
}

// angleBetween is the angle between two bearings, 0 to 180°.
func angleBetween(a, b float64) float64 {
	return math.Abs(math.Mod(a-b+540, 360) - 180)
}

// onwardOf reports whether a run-card line's units go on from staging,
// and why.
func onwardOf(typ twin.IncidentType, u Unit, lfg bool) bool {
	name := cmpOr(u.Vehicle, u.Capability)
	if lfg && slices.Contains(zoneConfig.NotOnwardLiquefiedFlammableGas[typ.String()], name) {
		return false
	}
	return slices.Contains(zoneConfig.Onward[typ.String()], name)
}

// leadsOf reports whether a run-card line's units lead a release's plan.
func leadsOf(typ twin.IncidentType, u Unit) bool {
	name := cmpOr(u.Vehicle, u.Capability)
	return slices.Contains(zoneConfig.LeadFirst[typ.String()], name)
}

// stage completes an assignment with the approach: its route and ETA are
// to staging; it goes on toward the source when its run-card line's role
// needs it, else it waits there; a route that must still cross a hot road
// (a base inside a hot zone) says so.
func (ap *approach) stage(a *Assignment, route Route, inc *twin.Incident, u Unit) {
	if ap.staging == nil {
		return
	}
	a.HotRoads = route.Hot
	a.say(msg.New("plan.reason.staged", "road", ap.staging.Road))
	if len(route.Hot) > 0 {
		a.say(msg.New("plan.reason.hotBase", "roads", idList(route.Hot)))
	}
	if ap.warm != nil && ap.provisional && slices.Contains(slices.Concat(zoneConfig.ToWarmExit[inc.Type.String()], zoneConfig.ToCurtain[inc.Type.String()]), cmpOr(u.Vehicle, u.Capability)) {
		// The wind is a guess (prevailing or a stale reading): the warm zone's exit may be downwind.
		// Decontamination (and the curtain's water) wait at staging and
		// go on once the wind is confirmed, as the lead note says.
		a.say(msg.New("plan.reason.warmExitOnceWind", "road", ap.warm.Road, "m", num0(ap.warm.DistanceM)))
		return
	}
	if ap.curtain != nil && slices.Contains(zoneConfig.ToCurtain[inc.Type.String()], cmpOr(u.Vehicle, u.Capability)) {
		a.ToCurtain = true
		if rt, ok := ap.toCurtain.To(ap.curtainAt); ok {
			a.CurtainRoute, a.CurtainS = rt.Roads, math.Round(rt.Travel.Seconds())
		}
		a.say(msg.New("plan.reason.curtain", "road", ap.curtain.Road, "m", num0(ap.curtain.DistanceM)))
		return
	}
	if ap.warm != nil && slices.Contains(slices.Concat(zoneConfig.ToWarmExit[inc.Type.String()], zoneConfig.ToCurtain[inc.Type.String()]), cmpOr(u.Vehicle, u.Capability)) {
		a.ToWarmExit = true
		if rt, ok := ap.toWarm.To(ap.warmAt); ok {
			a.WarmExitRoute, a.WarmExitS = rt.Roads, math.Round(rt.Travel.Seconds())
		}
		a.say(msg.New("plan.reason.warmExit", "road", ap.warm.Road, "m", num0(ap.warm.DistanceM)))
		return
	}
	if !onwardOf(inc.Type, u, ap.zones.lfg) {
		a.say(msg.New("plan.reason.waits"))
		if ap.zones.lfg && slices.Contains(zoneConfig.NotOnwardLiquefiedFlammableGas[inc.Type.String()], cmpOr(u.Vehicle, u.Capability)) {
			a.say(msg.New("plan.reason.notOnwardLFG", "rule", "zones.yaml notOnwardLiquefiedFlammableGas"))
		}
		return
	}
	a.Onward = true
	if ap.onward != nil {
		if rt, ok := ap.onward.To(ap.target); ok {
			a.OnwardRoute, a.OnwardS = rt.Roads, math.Round(rt.Travel.Seconds())
		}
	}
	switch inc.Type {
	case twin.TankFire, twin.PoolFire:
		a.say(msg.New("plan.reason.attack"))
		if ap.zones.lfg {
			// ERG 115/116: a vessel that may BLEVE is cooled from the
			// farthest reach, by monitors left unmanned.
			a.say(msg.New("plan.reason.lfgMonitors"))
		}
	default:
		if ap.zones.confined && ap.edge != nil && ap.provisional {
			// The wind is a guess: the edge may be downwind of the
			// opening. The vehicles wait at staging until it is confirmed.
			a.Onward, a.OnwardRoute, a.OnwardS = false, nil, 0
			a.say(msg.New("plan.reason.edgeOnceWind", "as", roleMsg(u), "r", num0(zoneConfig.ConfinedSpace.HotRadiusM)))
			return
		}
		if ap.zones.confined && ap.edge != nil && ap.target == ap.point {
			a.Onward, a.OnwardRoute, a.OnwardS = false, nil, 0
			a.say(msg.New("plan.reason.edgeStaging", "as", roleMsg(u), "r", num0(zoneConfig.ConfinedSpace.HotRadiusM)))
			return
		}
		if ap.zones.confined && ap.edge != nil {
			a.say(msg.New("plan.reason.edge", "as", roleMsg(u), "road", ap.edge.Road, "m", num0(ap.edge.DistanceM),
				"r", num0(zoneConfig.ConfinedSpace.HotRadiusM)))
			return
		}
		a.say(msg.New("plan.reason.onward", "as", roleMsg(u)))
	}
}

// keepOut drops the candidates whose base lies outside the hot zones but
// whose only way to staging crosses one (a base the plume has cut off):
// they would drive into the zone. A base inside leaves by its fewest hot
// roads and stays a candidate. The plan's notes name the teams dropped.
func (ap *approach) keepOut(cands []candidate, p *Plan) []candidate {
	if ap.staging == nil {
		return cands
	}
	pr := spatial.NewProjection(ap.zones.Position)
	hot := ap.zones.Hot()
	inside := func(b orb.Point) bool {
		q := [2]float64(pr.Forward(b))
		for _, h := range hot {
			if ringContains(h.local, q) {
				return true
			}
		}
		return false
	}
	out := cands[:0:0]
	cut := map[string]bool{}
	for _, c := range cands {
		if len(c.route.Hot) > 0 && !inside(c.team.Base) {
			if !cut[c.team.ID] {
				cut[c.team.ID] = true
				p.note(msg.New("plan.note.cutOff", "team", c.team.Name, "roads", idList(c.route.Hot)))
			}
			continue
		}
		out = append(out, c)
	}
	return out
}
