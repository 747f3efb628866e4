package dispatch

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Zoner computes the zones of a twin's incidents and keeps the last of
// each while its inputs stand: the incident's source and release, the
// park's weather, the stability class and the time of day, and the
// tanks, chemicals, enterprises, targets and roads. A wind change, an
// incident updated, a road built: the zones of the incidents they touch
// are computed again; otherwise the same *IncidentZones is returned, so
// that a caller can tell unchanged zones by their pointer.
type Zoner struct {
	cfg *ZoneConfig

	mu    sync.Mutex
	cache map[string]zoneEntry
}

type zoneEntry struct {
	key  zoneKey
	snap *twin.Snapshot
	z    *IncidentZones
}

// zoneKey is what an incident's zones depend on besides the world kinds.
type zoneKey struct {
	typ      twin.IncidentType
	level    twin.ResponseLevel
	chemical string
	entity   string
	position orb.Point
	release  *twin.Release
	evacs    int
	weather  *twin.Weather
	class    string
	night    bool
}

// zoneKinds are the kinds zones are computed from, besides the incident
// and the park's weather.
var zoneKinds = []twin.Kind{twin.KindTank, twin.KindChemical, twin.KindEnterprise, twin.KindTarget, twin.KindRoad}

// NewZoner returns a zoner with cfg (nil: the shipped zones.yaml).
func NewZoner(cfg *ZoneConfig) *Zoner {
	if cfg == nil {
		cfg = DefaultZoneConfig()
	}
	return &Zoner{cfg: cfg, cache: map[string]zoneEntry{}}
}

// Config returns the zone figures.
func (zr *Zoner) Config() *ZoneConfig { return zr.cfg }

// Zones returns the zones of inc on s at now (nil when it has none).
func (zr *Zoner) Zones(s *twin.Snapshot, inc *twin.Incident, now time.Time) (*IncidentZones, error) {
	if !HasZones(inc) {
		return nil, nil
	}
	key := zoneKey{typ: inc.Type, level: inc.Level, chemical: inc.Chemical, entity: inc.Entity, position: inc.Position,
		release: inc.Release, evacs: len(inc.Evacuations)}
	if p := s.Park(); p != nil && p.Weather != nil {
		key.weather = p.Weather
		if st, err := StabilityOf(p.Weather, now, p); err == nil {
			key.class, key.night = st.Class, st.SunElevationDeg < zr.cfg.ERG.SunsetElevationDeg
		}
	} else if p != nil {
		key.night = nightAt(now, p, zr.cfg)
	}
	zr.mu.Lock()
	e, ok := zr.cache[inc.ID]
	zr.mu.Unlock()
	if ok && e.key == key && unchangedKinds(s, e.snap) {
		return e.z, nil
	}
	z, err := zr.cfg.ComputeZones(s, inc, now)
	if err != nil || z == nil {
		return z, err
	}
	zr.mu.Lock()
	if cur, ok := zr.cache[inc.ID]; !ok || cur.snap.Seq() <= s.Seq() {
		zr.cache[inc.ID] = zoneEntry{key: key, snap: s, z: z}
	}
	zr.mu.Unlock()
	return z, nil
}

// nightAt tells night by the sun alone (a park without weather).
func nightAt(now time.Time, p *twin.Park, c *ZoneConfig) bool {
	st, err := StabilityOf(&twin.Weather{WindSpeedMS: 2, CloudOktas: 4}, now, p)
	return err == nil && st.SunElevationDeg < c.ERG.SunsetElevationDeg
}

func unchangedKinds(s, old *twin.Snapshot) bool {
	for _, k := range zoneKinds {
		if !s.Unchanged(old, k) {
			return false
		}
	}
	return true
}

// All returns the zones of every open incident with a chemical, by
// incident ID, and forgets those of the others. An incident whose zones
// cannot be computed is left out.
func (zr *Zoner) All(s *twin.Snapshot, now time.Time) []*IncidentZones {
	var out []*IncidentZones
	open := map[string]bool{}
	for inc := range twin.All[*twin.Incident](s) {
		if !HasZones(inc) {
			continue
		}
		open[inc.ID] = true
		if z, err := zr.Zones(s, inc, now); err == nil && z != nil {
			out = append(out, z)
		}
	}
	zr.mu.Lock()
	for id := range zr.cache {
		if !open[id] {
			delete(zr.cache, id)
		}
	}
	zr.mu.Unlock()
	slices.SortFunc(out, func(a, b *IncidentZones) int { return cmp.Compare(a.Incident, b.Incident) })
	return out
}

// Zoner returns the desk's zoner.
func (d *Desk) Zoner() *Zoner { return d.zoner }

// Zones returns the zones of an open incident now; an incident without a
// chemical, or closed, has none (ECONFLICT).
func (d *Desk) Zones(id string) (*IncidentZones, error) {
	s := d.tw.Snapshot()
	inc, ok := twin.Lookup[*twin.Incident](s, id)
	if !ok {
		return nil, twin.NotFound(twin.KindIncident, id)
	}
	switch {
	case !inc.Open():
		return nil, refuse(twin.ECONFLICT, "state", msg.New("error.closedNoZones", "id", id))
	case inc.Chemical == "":
		return nil, refuse(twin.ECONFLICT, "chemical", msg.New("error.noChemicalNoZones", "id", id))
	}
	return d.zoner.Zones(s, inc, d.tw.Clock().Now())
}

// SetRelease enters (or replaces) what is known of an incident's release:
// a hole or a rate, how long, the inventory, the pool. Inputs impossible
// for the source (a hole as wide as the tank, more than it holds, a rate
// that would empty it at once) are refused, naming the input. The
// incident's zones follow from it; its timeline says who entered what.
func (d *Desk) SetRelease(ctx context.Context, id string, rel twin.Release, by string) (*twin.Incident, *Source, error) {
	var src Source
	inc, err := d.change(ctx, func(s *twin.Snapshot) (*twin.Incident, []twin.Command, error) {
		inc, ok := twin.Lookup[*twin.Incident](s, id)
		if !ok {
			return nil, nil, twin.NotFound(twin.KindIncident, id)
		}
		switch {
		case !inc.Open():
			return nil, nil, refuse(twin.ECONFLICT, "state", msg.New("error.incidentClosed", "id", id))
		case inc.Chemical == "":
			return nil, nil, refuse(twin.ECONFLICT, "chemical", msg.New("error.noChemicalNoRelease", "id", id))
		}
		if err := rel.Validate(); err != nil {
			return nil, nil, err
		}
		var w *twin.Weather
		if p := s.Park(); p != nil {
			w = p.Weather
		}
		var err error
		if src, err = d.zoner.cfg.ResolveSource(s, inc, rel, w); err != nil {
			return nil, nil, err
		}
		src.Entered = true
		now := d.tw.Clock().Now()
		rel.EnteredAt, rel.By = now.UTC(), by
		c := *inc
		c.Release = &rel
		c.Timeline = append(slices.Clone(inc.Timeline), step(now, by, releaseStep(&rel, &src)))
		return &c, []twin.Command{twin.Update{Entity: &c}}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return inc, &src, nil
}

// releaseStep is the timeline's line for an entered release.
func releaseStep(rel *twin.Release, src *Source) msg.Msg {
	var what msg.Msg
	switch {
	case rel.RateKgS > 0:
		what = msg.New("timeline.release.rate", "rate", fmt.Sprintf("%g", rel.RateKgS))
	case rel.HoleDiameterMM > 0:
		what = msg.New("timeline.release.hole", "mm", fmt.Sprintf("%g", rel.HoleDiameterMM), "phase", src.HolePhase,
			"rate", fmt.Sprintf("%.2f", src.RateKgS))
	default:
		what = msg.New("timeline.release.default", "rate", fmt.Sprintf("%.2f", src.RateKgS))
	}
	return msg.New("timeline.release", "what", what, "s", num0(src.DurationS), "kg", num0(src.ReleasedKg), "spill", src.Spill)
}
