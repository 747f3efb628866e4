package dispatch

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// What lies inside the zones: enterprises, targets and roads, found in
// metres about the source, and the evacuation list that follows.

// fillInside fills every zone's Inside. Each entity is put in metres
// about the source, and in the wind's frame when a zone is drawn there;
// a circle is tested by distance, the others against their bounds first.
func fillInside(s *twin.Snapshot, z *IncidentZones, g geo) {
	if len(z.Zones) == 0 {
		return
	}
	all := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	windy := false
	for i := range z.Zones {
		all = all.Union(z.Zones[i].bound)
		windy = windy || z.Zones[i].wind != nil
		z.Zones[i].Inside = Inside{Enterprises: []InsideEnterprise{}, Targets: []InsideTarget{}, Roads: []InsideRoad{}}
	}
	// frames returns a geometry about the source and, when needed, in the
	// wind's frame, with their bounds.
	frames := func(local [][2]float64) (w [][2]float64, b, wb orb.Bound) {
		b = boundOf(local)
		if windy && b.Intersects(all) {
			w = make([][2]float64, len(local))
			for i, p := range local {
				w[i] = g.toWind(p)
			}
			wb = boundOf(w)
		}
		return w, b, wb
	}
	for e := range twin.All[*twin.Enterprise](s) {
		if len(e.Parcel) == 0 {
			continue
		}
		ring := g.local(e.Parcel[0])
		w, b, wb := frames(ring)
		if !b.Intersects(all) {
			continue
		}
		for i := range z.Zones {
			zn := &z.Zones[i]
			if b.Intersects(zn.bound) && zn.meetsRing(ring, w, wb) {
				zn.Inside.Enterprises = append(zn.Inside.Enterprises, InsideEnterprise{ID: e.ID, Name: e.Name, People: e.PeopleOnShift})
				zn.Inside.People += e.PeopleOnShift
			}
		}
	}
	for t := range twin.All[*twin.Target](s) {
		p := g.proj.Forward(t.Position)
		if !all.Contains(p) {
			continue
		}
		w, _, _ := frames([][2]float64{[2]float64(p)})
		for i := range z.Zones {
			zn := &z.Zones[i]
			if zn.bound.Contains(p) && zn.holds([2]float64(p), w) {
				zn.Inside.Targets = append(zn.Inside.Targets, InsideTarget{ID: t.ID, Name: t.Name, Type: t.Type.String(),
					Population: t.Population, DistanceM: math.Round(math.Hypot(p[0], p[1]))})
				zn.Inside.People += t.Population
			}
		}
	}
	for r := range twin.All[*twin.Road](s) {
		if len(r.Line) < 2 {
			continue
		}
		line := g.local(orb.Ring(r.Line))
		w, b, wb := frames(line)
		if !b.Intersects(all) {
			continue
		}
		for i := range z.Zones {
			zn := &z.Zones[i]
			if b.Intersects(zn.bound) && zn.meetsLine(line, w, wb) {
				zn.Inside.Roads = append(zn.Inside.Roads, InsideRoad{ID: r.ID, Name: r.Name})
			}
		}
	}
	for i := range z.Zones {
		in := &z.Zones[i].Inside
		slices.SortFunc(in.Enterprises, func(a, b InsideEnterprise) int { return cmp.Compare(a.ID, b.ID) })
		slices.SortFunc(in.Targets, func(a, b InsideTarget) int { return cmp.Compare(a.ID, b.ID) })
		slices.SortFunc(in.Roads, func(a, b InsideRoad) int { return cmp.Compare(a.ID, b.ID) })
	}
}

// holds reports whether a point (metres about the source; w: the same in
// the wind's frame) lies in the zone.
func (zn *Zone) holds(p [2]float64, w [][2]float64) bool {
	switch {
	case zn.Circle != nil:
		return p[0]*p[0]+p[1]*p[1] <= zn.Circle.RadiusM*zn.Circle.RadiusM
	case zn.wind != nil:
		q := orb.Point(w[0])
		return zn.wbox.Contains(q) && (zn.rect || ringContains(zn.wind, w[0]))
	}
	return ringContains(zn.local, p)
}

// meetsLine reports whether a line lies partly in the zone.
func (zn *Zone) meetsLine(line, w [][2]float64, wb orb.Bound) bool {
	switch {
	case zn.Circle != nil:
		r2 := zn.Circle.RadiusM * zn.Circle.RadiusM
		for i := 1; i < len(line); i++ {
			if _, d2 := project2(orb.Point{}, orb.Point(line[i-1]), orb.Point(line[i])); d2 <= r2 {
				return true
			}
		}
		return false
	case zn.wind != nil:
		return wb.Intersects(zn.wbox) && lineMeets(zn.wind, w)
	}
	return lineMeets(zn.local, line)
}

// meetsRing reports whether a ring overlaps the zone.
func (zn *Zone) meetsRing(ring, w [][2]float64, wb orb.Bound) bool {
	switch {
	case zn.Circle != nil:
		return ringContains(ring, [2]float64{}) || zn.meetsLine(ring, w, wb)
	case zn.wind != nil:
		return wb.Intersects(zn.wbox) && ringsMeet(zn.wind, w)
	}
	return ringsMeet(zn.local, ring)
}

// local projects a ring into metres about the source.
func (g geo) local(r orb.Ring) [][2]float64 {
	out := make([][2]float64, len(r))
	for i, p := range r {
		out[i] = [2]float64(g.proj.Forward(p))
	}
	return out
}

func boundOf(r [][2]float64) orb.Bound {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, p := range r {
		b = b.Extend(orb.Point(p))
	}
	return b
}

// ringContains reports whether p lies inside the closed ring (even-odd).
func ringContains(ring [][2]float64, p [2]float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// segmentsCross reports whether segments pq and rs meet.
func segmentsCross(p, q, r, s [2]float64) bool {
	d := func(a, b, c [2]float64) float64 { return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0]) }
	d1, d2, d3, d4 := d(r, s, p), d(r, s, q), d(p, q, r), d(p, q, s)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	on := func(a, b, c [2]float64) bool {
		return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
	}
	return d1 == 0 && on(r, s, p) || d2 == 0 && on(r, s, q) || d3 == 0 && on(p, q, r) || d4 == 0 && on(p, q, s)
}

// lineMeets reports whether a line lies partly inside a ring: a point of
// it inside, or a segment crossing an edge (pairs whose bounds do not
// overlap are passed over).
func lineMeets(ring, line [][2]float64) bool {
	for _, p := range line {
		if ringContains(ring, p) {
			return true
		}
	}
	for i := 1; i < len(line); i++ {
		p, q := line[i-1], line[i]
		x0, x1, y0, y1 := min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1])
		for j := 1; j < len(ring); j++ {
			r, t := ring[j-1], ring[j]
			if max(r[0], t[0]) < x0 || min(r[0], t[0]) > x1 || max(r[1], t[1]) < y0 || min(r[1], t[1]) > y1 {
				continue
			}
			if segmentsCross(p, q, r, t) {
				return true
			}
		}
	}
	return false
}

// ringsMeet reports whether two rings overlap.
func ringsMeet(a, b [][2]float64) bool {
	if lineMeets(a, b) {
		return true
	}
	return len(a) > 0 && ringContains(b, a[0])
}

// zoneSeverity orders zones for the evacuation list: hot zones first,
// then by kind, then by rank.
func zoneSeverity(z *Zone) [3]int {
	hot := 1
	if z.Hot {
		hot = 0
	}
	k := slices.Index([]string{ZoneIsolation, ZoneToxic, ZoneFlammable, ZoneThermal, ZoneOverpressure, ZoneBLEVE, ZoneProtectiveAction}, z.Kind)
	return [3]int{hot, k, z.Rank}
}

// targetOrder puts the targets whose people cannot leave alone first.
var targetOrder = []string{"hospital", "nursing-home", "school", "residential", "office", "water-source"}

// evacuationList lists the targets inside the zones by priority: the gravest
// zone first (hot, then isolation, toxic, thermal, blast, BLEVE,
// protective action), then the people who need help to leave (hospital,
// nursing home, school), the most people, the nearest; with the order
// already given for each.
func (z *IncidentZones) evacuationList(inc *twin.Incident) []EvacuationLine {
	zones := make([]*Zone, len(z.Zones))
	for i := range z.Zones {
		zones[i] = &z.Zones[i]
	}
	slices.SortStableFunc(zones, func(a, b *Zone) int {
		sa, sb := zoneSeverity(a), zoneSeverity(b)
		return cmp.Or(cmp.Compare(sa[0], sb[0]), cmp.Compare(sa[1], sb[1]), cmp.Compare(sa[2], sb[2]))
	})
	seen := map[string]bool{}
	type line struct {
		EvacuationLine
		sev [3]int
	}
	var lines []line
	for _, zn := range zones {
		for _, t := range zn.Inside.Targets {
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			why := fmt.Sprintf("inside %s %s", zn.Kind, zn.Level)
			if zn.Hot {
				why += " (hot zone)"
			}
			l := line{EvacuationLine: EvacuationLine{Target: t.ID, Name: t.Name, Type: t.Type, Population: t.Population,
				DistanceM: t.DistanceM, Zone: zn.ID, Why: why}, sev: zoneSeverity(zn)}
			for i := range inc.Evacuations {
				if inc.Evacuations[i].Target == t.ID {
					e := inc.Evacuations[i]
					l.Ordered = &e
				}
			}
			lines = append(lines, l)
		}
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		return cmp.Or(cmp.Compare(a.sev[0], b.sev[0]), cmp.Compare(a.sev[1], b.sev[1]), cmp.Compare(a.sev[2], b.sev[2]),
			cmp.Compare(slices.Index(targetOrder, a.Type), slices.Index(targetOrder, b.Type)),
			cmp.Compare(b.Population, a.Population), cmp.Compare(a.DistanceM, b.DistanceM), cmp.Compare(a.Target, b.Target))
	})
	out := make([]EvacuationLine, len(lines))
	for i, l := range lines {
		out[i] = l.EvacuationLine
		out[i].Priority = i + 1
	}
	return out
}
