package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"parktwin/dispatch/hazard"
	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/spatial"
)

// The consequence zones of an open incident with a chemical: computed
// from the incident's source (Source), the park's weather and the models
// of dispatch/hazard, as polygons on the map, each with what lies inside
// it. docs/zones.md says which model draws which zone for which incident.

// The kinds of zone.
const (
	ZoneIsolation        = "isolation"         // ERG initial isolation circle
	ZoneProtectiveAction = "protective-action" // ERG protective action area, downwind
	ZoneToxic            = "toxic"             // a plume footprint to an endpoint
	ZoneThermal          = "thermal"           // a heat-flux ring
	ZoneOverpressure     = "overpressure"      // a blast ring
	ZoneBLEVE            = "bleve-evacuation"  // ERG BLEVE evacuation circle
	ZoneFlammable        = "flammable"         // a plume footprint to half the LFL
)

// Zone is one consequence zone: its shape (a polygon, and for a circle its
// centre and radius), what drew it and from which figure, whether it is
// hot (closed to the plan's routes, units stage outside it), and what lies
// inside.
type Zone struct {
	ID    string `json:"id"` // INC-00001/toxic-AEGL-2
	Kind  string `json:"kind"`
	Model string `json:"model"`
	// Level names the threshold: AEGL-2, 12.5 kW/m², 13.8 kPa, small
	// spill by night…
	Level string  `json:"level"`
	Value float64 `json:"value,omitempty"`
	Unit  string  `json:"unit,omitempty"`
	Hot   bool    `json:"hot"`
	// Rank orders the zones from the gravest (0); the console draws the
	// gravest on top.
	Rank    int         `json:"rank"`
	ExtentM float64     `json:"extentM"` // the radius, or the downwind reach
	Circle  *Circle     `json:"circle,omitempty"`
	Polygon orb.Polygon `json:"-"`
	Source  string      `json:"source"`
	// SourceMsg is Source as messages (zonesources.go), for the zones
	// ERG draws and a confined space's; unset for the models' (a plume,
	// a pool fire, a fireball, a blast), whose sources are formulas and
	// authors' names.
	SourceMsg []msg.Msg `json:"sourceMsg,omitempty"`
	Notes     []string  `json:"notes,omitempty"`
	// NoteMsgs are the notes as messages (messages.go), one for each of
	// Notes.
	NoteMsgs [][]msg.Msg `json:"noteMsgs,omitempty"`
	Inside   Inside      `json:"inside"`

	local [][2]float64 // the ring in metres east and north of the source
	bound orb.Bound    // of local
	// wind is the ring in the wind's frame (x downwind, y to its left) for
	// the zones drawn in it (the protective action square, the
	// footprints), with its bounds, which are the square itself: what
	// lies inside is found in that frame, where a long thin plume's
	// bounds are tight.
	wind [][2]float64
	wbox orb.Bound
	rect bool // wind is a rectangle: its bounds are the shape
}

// Circle is a circular zone: centre [lon, lat] and radius.
type Circle struct {
	Centre  orb.Point `json:"centre"`
	RadiusM float64   `json:"radiusM"`
}

// Inside is what lies in a zone: the enterprises whose parcel it reaches
// (with the people on shift), the sensitive targets and their people,
// and the road segments.
type Inside struct {
	Enterprises []InsideEnterprise `json:"enterprises"`
	Targets     []InsideTarget     `json:"targets"`
	Roads       []InsideRoad       `json:"roads"`
	People      int                `json:"people"`
}

// InsideEnterprise is an enterprise a zone reaches.
type InsideEnterprise struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	People int    `json:"people"`
}

// InsideTarget is a sensitive target inside a zone.
type InsideTarget struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Type       string  `json:"type"`
	Population int     `json:"population"`
	DistanceM  float64 `json:"distanceM"`
}

// InsideRoad is a road segment a zone reaches.
type InsideRoad struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// IncidentZones are the zones of one incident at a moment.
type IncidentZones struct {
	Incident string        `json:"incident"`
	Seq      uint64        `json:"seq"`
	At       time.Time     `json:"at"`
	Type     string        `json:"type"`
	Level    string        `json:"level"`
	Position orb.Point     `json:"position"`
	Source   Source        `json:"source"`
	Weather  *twin.Weather `json:"weather"`
	// Stability is the Pasquill class the plume was run with.
	Stability *Stability `json:"stability,omitempty"`
	Night     bool       `json:"night"`
	// DownwindDeg is where the wind blows to, clockwise from north.
	DownwindDeg *float64 `json:"downwindDeg,omitempty"`
	Zones       []Zone   `json:"zones"`
	// Evacuation lists the targets inside any zone by priority.
	Evacuation []EvacuationLine `json:"evacuation"`
	Notes      []string         `json:"notes"`
	// NoteMsgs are the notes as messages (messages.go), one for each of
	// Notes.
	NoteMsgs [][]msg.Msg `json:"noteMsgs"`

	// lfg: the chemical is a liquefied flammable gas (a vessel that may
	// BLEVE in a fire).
	lfg bool
	// windUnknownTIH: a toxic-by-inhalation release with no wind known
	// (ERG's protective-action distance drawn all round).
	windUnknownTIH bool
	// confined: a confined space's provisional hot zone round its
	// opening.
	confined bool
}

// EvacuationLine is a target to protect: inside which zone (the gravest),
// why it comes where it does, and the order given for it, if any.
type EvacuationLine struct {
	Priority   int              `json:"priority"`
	Target     string           `json:"target"`
	Name       string           `json:"name"`
	Type       string           `json:"type"`
	Population int              `json:"population"`
	DistanceM  float64          `json:"distanceM"`
	Zone       string           `json:"zone"`
	Why        string           `json:"why"`
	Ordered    *twin.Evacuation `json:"ordered,omitempty"`
}

// Hot returns the incident's hot zones.
func (z *IncidentZones) Hot() []*Zone {
	var out []*Zone
	for i := range z.Zones {
		if z.Zones[i].Hot {
			out = append(out, &z.Zones[i])
		}
	}
	return out
}

// HasZones reports whether an incident gets zones: open, with a chemical.
func HasZones(inc *twin.Incident) bool { return inc.Open() && inc.Chemical != "" }

// ComputeZones computes the zones of inc on the park in s at now, with
// the park's weather. It changes nothing; the same inputs give the same
// zones. An incident without a chemical has none (nil).
func (c *ZoneConfig) ComputeZones(s *twin.Snapshot, inc *twin.Incident, now time.Time) (*IncidentZones, error) {
	if !HasZones(inc) {
		return nil, nil
	}
	p := s.Park()
	var w *twin.Weather
	if p != nil {
		w = p.Weather
	}
	z := &IncidentZones{Incident: inc.ID, Seq: s.Seq(), At: now.UTC(), Type: inc.Type.String(), Level: inc.Level.String(),
		Position: inc.Position, Weather: w, Zones: []Zone{}, Evacuation: []EvacuationLine{}, Notes: []string{}, NoteMsgs: [][]msg.Msg{}}
	src, err := c.ResolveSource(s, inc, releaseOf(inc), w)
	if err != nil {
		// A release entered before the source changed: the defaults.
		z.note(msg.New("zones.note.releaseMisfit", "err", errArg(err)))
		if src, err = c.ResolveSource(s, inc, twin.Release{}, w); err != nil {
			return nil, err
		}
	}
	z.Source = src
	for _, n := range src.noteMsgs {
		z.note(n)
	}
	if age, ok := c.staleReading(w, now); ok {
		z.note(msg.New("zones.note.provisional", "min", num0(age.Minutes()), "deg", num0(w.WindFromDeg)))
	}
	st, err := c.sunAndStability(z, w, now, p)
	if err != nil {
		return nil, err
	}
	chem, _ := twin.Lookup[*twin.Chemical](s, inc.Chemical)
	m := c.ByIncident[inc.Type.String()]
	hot := m.Hot
	if chem.Phase == twin.LiquefiedGas && c.flammable(chem) {
		z.lfg = true
		hot = slices.Concat(hot, m.HotLiquefiedFlammableGas)
	}
	g := geo{origin: inc.Position, proj: spatial.NewProjection(inc.Position)}
	if w != nil {
		d := math.Mod(w.WindFromDeg+180, 360)
		z.DownwindDeg = &d
		g.wind, g.windFrom = true, w.WindFromDeg
		g.calm = w.WindSpeedMS < hazard.MinWindSpeedMS
	}
	for _, model := range m.Models {
		switch model {
		case "erg":
			c.ergZones(z, g, src, false)
		case "erg-fire":
			c.ergZones(z, g, src, true)
		case "bleve":
			c.bleveZone(z, g, src, chem)
		case "toxic":
			c.toxicZones(z, g, src, w, st)
		case "lfl":
			c.lflZone(z, g, src, chem, w, st)
		case "poolfire":
			c.poolFireZones(z, g, src, chem, inc.Type, w)
		case "fireball":
			c.fireballZones(z, g, src, chem, w)
		case "vce":
			c.vceZones(z, g, src, chem)
		case "confined":
			cs := c.ConfinedSpace
			zn := Zone{ID: "confined", Kind: ZoneIsolation, Model: "confined", Level: "provisional", Value: cs.HotRadiusM, Unit: "m", Source: cs.Source}
			if m, ok := cite(cs.Source).(msg.Msg); ok {
				zn.SourceMsg = []msg.Msg{m}
			}
			z.Zones = append(z.Zones, g.circleZone(zn, cs.HotRadiusM))
			z.confined = true
		}
	}
	if w == nil && z.confined && chem != nil && chem.ToxicGas {
		// A toxic gas in a confined space, no wind known: not ERG's
		// Table 1 open-spill path, but the same rule as chlorine's — the
		// prevailing upwind side until the wind is confirmed (staging.go).
		z.windUnknownTIH = true
	}
	c.markHot(z, hot)
	slices.SortStableFunc(z.Zones, func(a, b Zone) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(a.Rank, b.Rank))
	})
	for i := range z.Zones {
		z.Zones[i].ID = inc.ID + "/" + z.Zones[i].ID
	}
	fillInside(s, z, g)
	z.Evacuation = z.evacuationList(inc)
	return z, nil
}

// staleReading reports the age of w when it is a station's reading
// older than zones.yaml windUnknown.stationStaleAfterS: the park's last
// known wind, used, but provisional.
func (c *ZoneConfig) staleReading(w *twin.Weather, now time.Time) (time.Duration, bool) {
	if w == nil || w.Source != twin.WeatherStation || w.At.IsZero() {
		return 0, false
	}
	age := now.Sub(w.At)
	return age, age.Seconds() > c.WindUnknown.StationStaleAfterS
}

// prevailingFrom is where the park's prevailing wind blows from in the
// month of t (zones.yaml windUnknown).
func (c *ZoneConfig) prevailingFrom(t time.Time) (float64, time.Month) {
	m := t.In(time.FixedZone("park", c.WindUnknown.UTCOffsetH*3600)).Month()
	return c.WindUnknown.PrevailingFromDeg[m-1], m
}

// kindOrder lists the kinds in the order the answer gives them.
func kindOrder(k string) int {
	return slices.Index([]string{ZoneIsolation, ZoneProtectiveAction, ZoneBLEVE, ZoneToxic, ZoneFlammable, ZoneThermal, ZoneOverpressure}, k)
}

// sunAndStability sets night and the stability class; nil without
// weather.
func (c *ZoneConfig) sunAndStability(z *IncidentZones, w *twin.Weather, now time.Time, p *twin.Park) (*Stability, error) {
	centre := parkCentre(p)
	if w == nil {
		out, err := hazard.Stability(hazard.StabilityInput{WindSpeedMS: 2, Time: now, LatDeg: centre[1], LonDeg: centre[0], CloudCoverOktas: 4})
		if err != nil {
			return nil, err
		}
		z.Night = out.SunElevationDeg < c.ERG.SunsetElevationDeg
		z.note(msg.New("zones.note.noWeather"))
		return nil, nil
	}
	st, err := StabilityOf(w, now, p)
	if err != nil {
		return nil, err
	}
	z.Stability = &st
	z.Night = st.SunElevationDeg < c.ERG.SunsetElevationDeg
	return &st, nil
}

// geo places zones: metres east and north of the source, and the wind.
type geo struct {
	origin   orb.Point
	proj     spatial.Projection
	wind     bool
	calm     bool
	windFrom float64
}

// downwind turns a point given x metres downwind and y metres to the left
// of the wind's way into metres east and north.
func (g geo) downwind(x, y float64) [2]float64 {
	th := g.windFrom * math.Pi / 180
	dx, dy := -math.Sin(th), -math.Cos(th) // where the wind goes
	lx, ly := -dy, dx                      // its left
	return [2]float64{x*dx + y*lx, x*dy + y*ly}
}

// toWind turns metres east and north into the wind's frame.
func (g geo) toWind(p [2]float64) [2]float64 {
	th := g.windFrom * math.Pi / 180
	dx, dy := -math.Sin(th), -math.Cos(th)
	return [2]float64{p[0]*dx + p[1]*dy, p[0]*-dy + p[1]*dx}
}

// circleZone makes a circular zone of radius r about the source.
func (g geo) circle(r float64) [][2]float64 {
	const n = 72
	ring := make([][2]float64, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		ring = append(ring, [2]float64{r * math.Sin(a), r * math.Cos(a)})
	}
	return append(ring, ring[0])
}

// zone finishes a zone from its ring in local metres.
func (g geo) zone(zn Zone, ring [][2]float64) Zone {
	zn.local = ring
	zn.bound = orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	r := make(orb.Ring, len(ring))
	for i, p := range ring {
		zn.bound = zn.bound.Extend(orb.Point(p))
		q := g.proj.Inverse(orb.Point(p))
		r[i] = orb.Point{round7(q[0]), round7(q[1])}
	}
	r[len(r)-1] = r[0]
	zn.Polygon = orb.Polygon{r}
	zn.ExtentM = math.Round(zn.ExtentM*10) / 10
	return zn
}

func (g geo) circleZone(zn Zone, r float64) Zone {
	zn.ExtentM = r
	zn.Circle = &Circle{Centre: g.origin, RadiusM: math.Round(r*10) / 10}
	return g.zone(zn, g.circle(r))
}

func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

// ergZones draws the ERG isolation circle and the downwind protective
// action area of the spill (Table 1, or Table 3 for a large spill of its
// six gases); with fire, the isolation of a tank involved in a fire.
func (c *ZoneConfig) ergZones(z *IncidentZones, g geo, src Source, fire bool) {
	if src.UN == 0 {
		z.note(msg.New("zones.note.noUN"))
		return
	}
	out, err := hazard.ERG(hazard.ERGInput{UN: src.UN})
	if err != nil || out.Entries[0].Small.IsolationM == 0 && out.Entries[0].Large.IsolationM == 0 && !out.Entries[0].LargeByTable3 {
		c.ergGuideZones(z, g, src, fire)
		return
	}
	e := out.Entries[0]
	if fire {
		if e.FireIsolationM > 0 {
			zn := Zone{ID: "isolation-fire", Kind: ZoneIsolation, Model: "erg-fire",
				Level: "tank in a fire", Value: float64(e.FireIsolationM), Unit: "m"}
			zn.source(msg.New("zone.source.ergFire", "erg", hazard.ERGEdition, "guide", e.Guide, "un", unName(e.UN), "m", e.FireIsolationM))
			z.Zones = append(z.Zones, g.circleZone(zn, float64(e.FireIsolationM)))
		}
		return
	}
	tod := "day"
	if z.Night {
		tod = "night"
	}
	var iso, pad int
	var level string
	var table msg.Msg
	switch {
	case src.Spill == "large" && e.LargeByTable3:
		var u *float64
		if z.Weather != nil {
			u = &z.Weather.WindSpeedMS
		} else {
			// Without the wind the low-wind column, the longest
			// distances: the public's distance must hold whatever the
			// wind turns out to be.
			v := c.WindUnknown.LowWindMS
			u = &v
			z.note(msg.New("zones.note.table3Low"))
		}
		code := c.ergContainer(src.InventoryKg, e.Table3)
		why := msg.New("zone.source.nearest", "t", fmt.Sprintf("%.0f", src.InventoryKg/1000))
		if vc := c.ERG.VehicleAccidentContainer; z.Type == twin.VehicleAccident.String() && slices.ContainsFunc(e.Table3, func(ct hazard.ERGContainer) bool { return ct.Code == vc }) {
			// A vehicle accident is a road tanker's, whatever it holds.
			code, why = vc, msg.New("zone.source.tanker")
		} else if src.InventoryKg <= 0 {
			why = msg.New("zone.source.largest")
		}
		pick, err := hazard.ERG(hazard.ERGInput{UN: src.UN, Container: code, WindSpeedMS: u})
		if err != nil || pick.Pick == nil {
			z.note(msg.New("zones.note.table3NoRow"))
			return
		}
		iso, pad = pick.Pick.IsolationM, pick.Pick.DayM
		if z.Night {
			pad = pick.Pick.NightM
		}
		name := code
		for _, ct := range e.Table3 {
			if ct.Code == code {
				name = ct.Name
			}
		}
		level = fmt.Sprintf("large spill, %s", tod)
		table = msg.New("zone.source.table3", "container", name, "why", why, "wind", msg.New("zone.wind."+pick.Pick.WindClass), "tod", msg.New("zone.tod."+tod))
	case src.Spill == "large":
		iso, pad = e.Large.IsolationM, e.Large.DayM
		if z.Night {
			pad = e.Large.NightM
		}
		level = "large spill, " + tod
		table = msg.New("zone.source.table1", "level", levelArg(level))
	default:
		iso, pad = e.Small.IsolationM, e.Small.DayM
		if z.Night {
			pad = e.Small.NightM
		}
		level = "small spill, " + tod
		table = msg.New("zone.source.table1", "level", levelArg(level))
	}
	cite := msg.New("zone.source.erg", "erg", hazard.ERGEdition, "guide", e.Guide, "un", unName(e.UN), "material", e.Material, "table", table)
	if iso > 0 {
		zn := Zone{ID: "isolation", Kind: ZoneIsolation, Model: "erg", Level: level, Value: float64(iso), Unit: "m"}
		zn.source(msg.New("zone.source.isolate", "cite", cite, "m", iso))
		z.Zones = append(z.Zones, g.circleZone(zn, float64(iso)))
	}
	if pad <= 0 {
		return
	}
	zn := Zone{ID: "protective-action", Kind: ZoneProtectiveAction, Model: "erg", Level: level, Value: float64(pad), Unit: "m",
		ExtentM: float64(pad)}
	zn.source(msg.New("zone.source.protect", "cite", cite, "m", pad))
	if pad >= 11000 {
		zn.note(msg.New("zone.note.erg11km"))
	}
	switch {
	case !g.wind:
		// No wind known: the downwind side could be any. The chemical is
		// in Table 1 (toxic by inhalation), so the distance is drawn all
		// round, and no one stages inside it until the wind is confirmed.
		// It is the public's distance (shelter in place or evacuate),
		// not the responders' ring: they stage just outside the
		// isolation circle on the prevailing upwind side (staging.go).
		zn.note(msg.New("zone.note.windUnknown"))
		z.windUnknownTIH = true
		z.Zones = append(z.Zones, g.circleZone(zn, float64(pad)))
		return
	case g.calm:
		zn.note(msg.New("zone.note.calm"))
		z.Zones = append(z.Zones, g.circleZone(zn, float64(pad)))
		return
	}
	// The guide's figure: a square downwind of the spill, as wide as it
	// is long, half on each side of the wind's axis.
	h := float64(pad) / 2
	ring := [][2]float64{g.downwind(0, -h), g.downwind(float64(pad), -h), g.downwind(float64(pad), h), g.downwind(0, h)}
	ring = append(ring, ring[0])
	zn.note(msg.New("zone.note.square"))
	zn.wind, zn.rect = [][2]float64{{0, -h}, {float64(pad), -h}, {float64(pad), h}, {0, h}, {0, -h}}, true
	zn.wbox = boundOf(zn.wind)
	z.Zones = append(z.Zones, g.zone(zn, ring))
}

// ergGuide returns the orange guide of a UN number that Table 1 does not
// list: its row in the CSV when it has one (LPG's), else zones.yaml's
// ergGuides; with the guide's general distances.
func (c *ZoneConfig) ergGuide(un int) (hazard.ERGEntry, msg.Msg, bool) {
	if out, err := hazard.ERG(hazard.ERGInput{UN: un}); err == nil {
		e, ok := hazard.ERGGuide(out.Entries[0].Guide)
		return e, msg.New("zone.source.guideRow", "erg", hazard.ERGEdition, "guide", e.Guide, "un", unName(un)), ok
	}
	n, ok := c.ERGGuides[un]
	if !ok {
		return hazard.ERGEntry{}, msg.Msg{}, false
	}
	e, ok := hazard.ERGGuide(n)
	return e, msg.New("zone.source.guideFor", "erg", hazard.ERGEdition, "guide", n, "un", unName(un), "source", cite(c.ERGGuidesSource)), ok
}

// ergGuideZones draws the orange guide's general distances for a
// material Table 1 does not list: the isolation circle (a large spill's
// initial downwind evacuation drawn all round, the wind's way being
// uncertain near the source), or the isolation of a tank in a fire.
func (c *ZoneConfig) ergGuideZones(z *IncidentZones, g geo, src Source, fire bool) {
	e, cite, ok := c.ergGuide(src.UN)
	if !ok {
		z.note(msg.New("zones.note.noGuide", "un", fmt.Sprintf("UN%04d", src.UN), "erg", hazard.ERGEdition, "rule", "zones.yaml ergGuides"))
		return
	}
	if fire {
		if e.FireIsolationM > 0 {
			zn := Zone{ID: "isolation-fire", Kind: ZoneIsolation, Model: "erg-fire",
				Level: "tank in a fire", Value: float64(e.FireIsolationM), Unit: "m"}
			zn.source(msg.New("zone.source.guideFire", "cite", cite, "m", e.FireIsolationM))
			z.Zones = append(z.Zones, g.circleZone(zn, float64(e.FireIsolationM)))
		}
		return
	}
	iso, level, what := e.Small.IsolationM, src.Spill+" spill", "zone.source.guideIsolate"
	if src.Spill == "large" && e.Large.IsolationM > iso {
		iso, what = e.Large.IsolationM, "zone.source.guideEvacuate"
	}
	if iso <= 0 {
		return
	}
	zn := Zone{ID: "isolation", Kind: ZoneIsolation, Model: "erg", Level: level, Value: float64(iso), Unit: "m"}
	zn.source(msg.New(what, "cite", cite, "m", iso))
	z.Zones = append(z.Zones, g.circleZone(zn, float64(iso)))
}

// bleveZone draws the ERG BLEVE evacuation circle of a tank of a
// material in the BLEVE table.
func (c *ZoneConfig) bleveZone(z *IncidentZones, g geo, src Source, chem *twin.Chemical) {
	if src.UN == 0 || src.tank == nil {
		return
	}
	un, as := src.UN, any("")
	if e, err := hazard.ERG(hazard.ERGInput{UN: un}); (err != nil || e.Entries[0].BLEVE == nil) && c.BLEVEAsUN > 0 && chem.Phase == twin.LiquefiedGas && c.flammable(chem) {
		// The table is LPG's: a liquefied flammable gas it does not list
		// is given that row.
		un, as = c.BLEVEAsUN, msg.New("zone.source.bleveAs", "row", unName(c.BLEVEAsUN), "un", unName(src.UN))
	}
	capL := src.tank.CapacityM3 * 1000
	caps := hazard.ERGBLEVECapacities()
	last := caps[len(caps)-1]
	out, err := hazard.ERG(hazard.ERGInput{UN: un, CapacityL: ptr(min(capL, last))})
	if err != nil || out.Pick == nil || out.Pick.BLEVEEvacM <= 0 {
		return
	}
	zn := Zone{ID: "bleve-evacuation", Kind: ZoneBLEVE, Model: "erg-bleve",
		Level: fmt.Sprintf("%d L", out.Pick.BLEVECapacityL), Value: float64(out.Pick.BLEVEEvacM), Unit: "m"}
	zn.source(msg.New("zone.source.bleve", "erg", hazard.ERGEdition, "un", unName(un), "as", as,
		"capacity", fmt.Sprintf("%.0f", capL), "row", out.Pick.BLEVECapacityL, "m", out.Pick.BLEVEEvacM))
	if capL > last {
		// The table stops at its largest row: its distance is a floor.
		zn.Level = fmt.Sprintf("beyond the table (%.0f L > %.0f L)", capL, last)
		zn.note(msg.New("zone.note.beyondBLEVE", "capacity", fmt.Sprintf("%.0f", capL), "last", fmt.Sprintf("%.0f", last), "m", strconv.Itoa(out.Pick.BLEVEEvacM)))
	}
	z.Zones = append(z.Zones, g.circleZone(zn, float64(out.Pick.BLEVEEvacM)))
}

func ptr[T any](v T) *T { return &v }

// toxicZones draws the plume's footprint to each endpoint of the
// chemical that is published.
func (c *ZoneConfig) toxicZones(z *IncidentZones, g geo, src Source, w *twin.Weather, st *Stability) {
	if _, err := hazard.Endpoints(hazard.EndpointsInput{CAS: src.Chemical}); err != nil {
		z.note(msg.New("zones.note.noEndpoints", "chem", src.ChemicalName))
		return
	}
	switch {
	case w == nil || st == nil:
		return // noted already
	case g.calm:
		z.note(msg.New("zones.note.calm", "ms", num1(w.WindSpeedMS), "min", fmt.Sprintf("%g", float64(hazard.MinWindSpeedMS))))
		return
	case !(src.AirborneKgS > 0):
		z.note(msg.New("zones.note.notAirborne", "from", src.AirborneFrom))
		return
	}
	ep, _ := hazard.Endpoints(hazard.EndpointsInput{CAS: src.Chemical})
	var names []string
	for _, n := range c.Plume.Endpoints {
		if slices.ContainsFunc(ep.Endpoints, func(e hazard.Endpoint) bool { return e.Name == n }) {
			names = append(names, n)
		}
	}
	ps := hazard.PlumeSource{ReleaseRateKgS: min(src.AirborneKgS, 1e4), WindSpeedMS: w.WindSpeedMS, StabilityClass: st.Class,
		Dispersion: c.Plume.Dispersion, ReleaseHeightM: src.ReleaseHeightM}
	out, err := hazard.ToxicFootprints(hazard.ToxicFootprintInput{PlumeSource: ps, CAS: src.Chemical, EndpointNames: names})
	if err != nil {
		z.note(msg.New("zones.note.toxicFailed", "err", errArg(err)))
		return
	}
	for i, f := range out.Footprints {
		fp := f.Footprint
		if !fp.Reached {
			z.note(msg.New("zones.note.endpointNear", "endpoint", f.Endpoint.Name, "ppm", fmt.Sprintf("%g", f.Endpoint.PPM)))
			continue
		}
		ring := make([][2]float64, len(fp.Polygon))
		for j, p := range fp.Polygon {
			ring[j] = g.downwind(p[0], p[1])
		}
		zn := Zone{ID: "toxic-" + f.Endpoint.Name, Kind: ZoneToxic, Model: "plume", Level: f.Endpoint.Name,
			Value: f.Endpoint.PPM, Unit: "ppm", Rank: i, ExtentM: fp.LengthM,
			Source: fmt.Sprintf("Gaussian plume (%s σ, class %s, %.1f m/s), %.2f kg/s airborne; %s %g ppm = %.3g mg/m³ (%s)",
				c.Plume.Dispersion, st.Class, w.WindSpeedMS, src.AirborneKgS, f.Endpoint.Name, f.Endpoint.PPM, f.Endpoint.MgM3, f.Endpoint.Source)}
		if fp.Truncated {
			zn.note(msg.New("zone.note.past10km"))
		}
		if fp.FromSource {
			zn.note(msg.New("zone.note.fromSource"))
		}
		if src.StoredAs == "liquefied-gas" {
			zn.note(msg.New("zone.note.passive"))
		}
		zn.wind = fp.Polygon
		zn.wbox = boundOf(zn.wind)
		z.Zones = append(z.Zones, g.zone(zn, ring))
	}
}

// lflZone draws the plume's footprint to half the lower flammable limit
// of a flammable release: where the cloud may burn. Half, because the
// plume's concentration is an average and a cloud's peaks run above it.
func (c *ZoneConfig) lflZone(z *IncidentZones, g geo, src Source, chem *twin.Chemical, w *twin.Weather, st *Stability) {
	lfl, ok := c.LFLVolPct[chem.CAS]
	if !ok || !c.flammable(chem) || w == nil || st == nil || g.calm || !(src.AirborneKgS > 0) {
		return
	}
	mm := c.molarMass(chem.CAS)
	if mm <= 0 {
		return
	}
	ppm := lfl * 1e4 * c.LFLFraction
	tK := min(max(w.TemperatureC+273.15, 233), 323)
	mg := hazard.PPMToMgM3(ppm, mm, tK, hazard.StandardPressurePa)
	ps := hazard.PlumeSource{ReleaseRateKgS: min(src.AirborneKgS, 1e4), WindSpeedMS: w.WindSpeedMS, StabilityClass: st.Class,
		Dispersion: c.Plume.Dispersion, ReleaseHeightM: src.ReleaseHeightM}
	fp, err := hazard.Footprint(hazard.FootprintInput{PlumeSource: ps, ThresholdMgM3: mg})
	if err != nil {
		z.note(msg.New("zones.note.flammableFailed", "err", errArg(err)))
		return
	}
	if !fp.Reached {
		z.note(msg.New("zones.note.lflNear", "chem", chem.NameEn, "ppm", fmt.Sprintf("%g", ppm)))
		return
	}
	ring := make([][2]float64, len(fp.Polygon))
	for j, p := range fp.Polygon {
		ring[j] = g.downwind(p[0], p[1])
	}
	zn := Zone{ID: "flammable-half-LFL", Kind: ZoneFlammable, Model: "plume", Level: "½ LFL", Value: ppm, Unit: "ppm", ExtentM: fp.LengthM,
		Source: fmt.Sprintf("Gaussian plume (%s σ, class %s, %.1f m/s), %.2f kg/s airborne; half of the LFL %g %% (%s)",
			c.Plume.Dispersion, st.Class, w.WindSpeedMS, src.AirborneKgS, lfl, c.LFLSource)}
	if fp.FromSource {
		zn.note(msg.New("zone.note.fromSource"))
	}
	if fp.Truncated {
		zn.note(msg.New("zone.note.past10km"))
	}
	zn.wind = fp.Polygon
	zn.wbox = boundOf(zn.wind)
	z.Zones = append(z.Zones, g.zone(zn, ring))
}

// poolFireZones draws a pool fire's heat-flux rings: a tank fire on a
// vertical tank burns its own cross-section; otherwise the pool is the
// release's (the dike, or the spread).
func (c *ZoneConfig) poolFireZones(z *IncidentZones, g geo, src Source, chem *twin.Chemical, typ twin.IncidentType, w *twin.Weather) {
	fuel, ok := c.fuelOf(chem.CAS)
	if !ok {
		if c.flammable(chem) && chem.Phase == twin.Liquid {
			z.note(msg.New("zones.note.notAFuel", "chem", chem.NameEn))
		}
		return
	}
	if chem.Phase != twin.Liquid {
		return // a liquefied gas burns as a fireball or a jet, not a pool
	}
	d, from := 0.0, ""
	if t := src.tank; typ == twin.TankFire && t != nil && t.Type != twin.Horizontal && t.Type != twin.PressureSphere {
		d, from = t.DiameterM, fmt.Sprintf("the tank's cross-section, %.1f m across", t.DiameterM)
	} else if src.PoolAreaM2 > 0 {
		d, from = math.Sqrt(4*src.PoolAreaM2/math.Pi), fmt.Sprintf("a pool of %.0f m² (%s), %.1f m equivalent diameter", src.PoolAreaM2, src.PoolFrom, math.Sqrt(4*src.PoolAreaM2/math.Pi))
	}
	if d <= 0 {
		return
	}
	var notes []msg.Msg
	if d > 100 {
		notes = append(notes, msg.New("zone.note.poolBeyond", "d", fmt.Sprintf("%.0f", d)))
		d = 100
	}
	d = max(d, 1)
	in := hazard.PoolFireInput{Fuel: fuel.Name, DiameterM: d, Atmosphere: atmosphere(w)}
	out, err := hazard.PoolFire(in)
	if err != nil {
		z.note(msg.New("zones.note.poolFailed", "err", errArg(err)))
		return
	}
	for i, td := range out.SolidFlameDistances {
		how := fmt.Sprintf("Mudan SEP %.0f kW/m², solid-flame view factor", out.SEPKWM2)
		// Mudan's SEP falls to ~20 kW/m² for a large smoky fire, which
		// puts 12.5 kW/m² at the shell of a 36 m tank; the point source
		// (NUREG-1805 §5.3) is the cautious reading there [choice,
		// zones.yaml poolFireDistance].
		if ps := out.PointSourceDistances[i]; c.PoolFireDistance == "larger" && ps.Reached && (!td.Reached || ps.DistanceM > td.DistanceM) {
			td, how = ps, fmt.Sprintf("point source (NUREG-1805 §5.3, χr 0.30), farther than the solid flame's (Mudan SEP %.0f kW/m²)", out.SEPKWM2)
		}
		if !td.Reached {
			continue
		}
		zn := Zone{ID: "poolfire-" + fluxName(td.FluxKWM2), Kind: ZoneThermal, Model: "poolfire", Level: fluxName(td.FluxKWM2) + " kW/m²",
			Value: td.FluxKWM2, Unit: "kW/m²", Rank: i,
			Source: fmt.Sprintf("pool fire of %s, %s: Thomas flame %.1f m, %s", fuel.Name, from, out.FlameHeightM, how)}
		for _, m := range notes {
			zn.note(m)
		}
		z.Zones = append(z.Zones, g.circleZone(zn, td.DistanceM))
	}
}

// fireballZones draws a BLEVE fireball's heat-flux rings for a tank of a
// liquefied flammable gas: the whole inventory in the ball.
func (c *ZoneConfig) fireballZones(z *IncidentZones, g geo, src Source, chem *twin.Chemical, w *twin.Weather) {
	if chem.Phase != twin.LiquefiedGas || !c.flammable(chem) || src.InventoryKg <= 0 {
		return
	}
	m := min(src.InventoryKg, 1e6)
	out, err := hazard.Fireball(hazard.FireballInput{MassKg: m, Atmosphere: atmosphere(w)})
	if err != nil {
		z.note(msg.New("zones.note.fireballFailed", "err", errArg(err)))
		return
	}
	for i, td := range out.Distances {
		if !td.Reached {
			continue
		}
		zn := Zone{ID: "fireball-" + fluxName(td.FluxKWM2), Kind: ZoneThermal, Model: "fireball", Level: fluxName(td.FluxKWM2) + " kW/m²",
			Value: td.FluxKWM2, Unit: "kW/m²", Rank: i,
			Source: fmt.Sprintf("BLEVE fireball of the whole %.0f kg: D = 5.8 M^⅓ = %.0f m, %.1f s, SEP %.0f kW/m² (%s)", m, out.DiameterM, out.DurationS, out.SEPKWM2, out.SEPFrom)}
		z.Zones = append(z.Zones, g.circleZone(zn, td.DistanceM))
	}
}

// vceZones draws a vapour-cloud explosion's overpressure rings: the
// first cloudSeconds of the airborne release, at the yield of zones.yaml.
func (c *ZoneConfig) vceZones(z *IncidentZones, g geo, src Source, chem *twin.Chemical) {
	if !c.flammable(chem) || chem.Phase == twin.Liquid && src.AirborneKgS <= 0 {
		return
	}
	hoc := c.heatOfCombustion(chem.CAS)
	if hoc <= 0 {
		z.note(msg.New("zones.note.noHeat", "chem", chem.NameEn))
		return
	}
	rate := src.AirborneKgS
	if rate <= 0 {
		return
	}
	mass := min(rate*c.VCE.CloudSeconds, cmpOr(src.ReleasedKg, rate*c.VCE.CloudSeconds))
	out, err := hazard.Blast(hazard.BlastInput{Kind: hazard.VapourCloud, MassKg: mass, HeatOfCombustionJKg: hoc, YieldFraction: c.VCE.YieldFraction})
	if err != nil {
		z.note(msg.New("zones.note.blastFailed", "err", errArg(err)))
		return
	}
	for i, bd := range out.Distances {
		r, how := bd.FreeAirM, "Kinney–Graham free air"
		if bd.SurfaceBurstM != nil {
			r, how = *bd.SurfaceBurstM, "Kingery–Bulmash surface burst"
		}
		name := strconv.FormatFloat(bd.OverpressureKPa, 'f', -1, 64)
		zn := Zone{ID: "overpressure-" + name, Kind: ZoneOverpressure, Model: "vce", Level: name + " kPa",
			Value: bd.OverpressureKPa, Unit: "kPa", Rank: len(out.Distances) - 1 - i,
			Source: fmt.Sprintf("vapour-cloud explosion of %.0f kg (%g s of the release), %s: %.0f kg TNT, %s", mass, c.VCE.CloudSeconds, c.VCE.YieldSource, out.TNTMassKg, how)}
		z.Zones = append(z.Zones, g.circleZone(zn, r))
	}
}

func fluxName(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// atmosphere is the models' air from the weather.
func atmosphere(w *twin.Weather) hazard.Atmosphere {
	if w == nil {
		return hazard.Atmosphere{}
	}
	t := min(max(w.TemperatureC+273.15, 233), 323)
	rh := w.HumidityPct
	return hazard.Atmosphere{AirTemperatureK: &t, RelativeHumidityPct: &rh}
}

// markHot marks the hot zones of the incident type: the isolation circle,
// the toxic footprint at the first published of toxicHot, the thermal ring
// at thermalHotKWM2, the blast ring at blastHotKPa.
func (c *ZoneConfig) markHot(z *IncidentZones, hot []string) {
	toxic := ""
	for _, n := range c.ToxicHot {
		if slices.ContainsFunc(z.Zones, func(zn Zone) bool { return zn.Kind == ZoneToxic && zn.Level == n }) {
			toxic = n
			break
		}
	}
	for i := range z.Zones {
		zn := &z.Zones[i]
		switch {
		case zn.Kind == ZoneIsolation && zn.Model == "erg":
			zn.Hot = slices.Contains(hot, "isolation")
		case zn.Kind == ZoneIsolation && zn.Model == "confined":
			zn.Hot = slices.Contains(hot, "confined")
		case zn.Kind == ZoneIsolation && zn.Model == "erg-fire":
			zn.Hot = slices.Contains(hot, "fire-isolation")
		case zn.Kind == ZoneBLEVE:
			zn.Hot = slices.Contains(hot, "bleve")
		case zn.Kind == ZoneToxic:
			zn.Hot = slices.Contains(hot, "toxic") && zn.Level == toxic
		case zn.Kind == ZoneThermal:
			zn.Hot = slices.Contains(hot, "thermal") && zn.Value == c.ThermalHotKWM2
		case zn.Kind == ZoneFlammable:
			zn.Hot = slices.Contains(hot, "lfl")
		case zn.Kind == ZoneOverpressure:
			zn.Hot = slices.Contains(hot, "blast") && zn.Value == c.BlastHotKPa
		}
	}
}

// HotSummary names the hot zones for a plan's reasons.
func (z *IncidentZones) HotSummary() string {
	var parts []string
	for _, h := range z.Hot() {
		parts = append(parts, fmt.Sprintf("%s %s (%.0f m)", h.Kind, h.Level, h.ExtentM))
	}
	return strings.Join(parts, ", ")
}
