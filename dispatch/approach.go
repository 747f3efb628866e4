package dispatch

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/msg"
	"parktwin/twin/spatial"
)

// Approach is where the units of a plan drive to when it is not the road
// point nearest the incident: that point lies on roads cut off from the
// teams (the only road in is closed), so they stop at the nearest point
// they can reach and lay hose from there.
type Approach struct {
	Road     string   `json:"road"`     // the segment the units drive to
	HoseLayM float64  `json:"hoseLayM"` // from that road point to the source, in a straight line
	Nearest  string   `json:"nearest"`  // the segment nearest the source, cut off
	Closed   []string `json:"closed,omitempty"`
	// Inside are the teams based inside the cut-off part: they drive
	// straight to the source.
	Inside []string `json:"inside,omitempty"`
	Reason string   `json:"reason"`
	// ReasonMsg is Reason as messages (messages.go).
	ReasonMsg []msg.Msg `json:"reasonMsg,omitempty"`

	direct *Inbound // toward the source, for the teams inside
}

// approach returns the inbound routes to the incident: to the road point
// nearest it when the teams can reach that point, else to the nearest
// road point of the part of the network that holds the most available
// teams, with the Approach saying why. false when there are no open
// roads.
func (r *Rules) approach(s *twin.Snapshot, g *Graph, inc *twin.Incident) (*Inbound, *Approach, bool) {
	nearest, ok := g.Access(inc.Position)
	if !ok {
		return nil, nil, false
	}
	in, ok := g.Toward(inc.Position)
	if !ok {
		return nil, nil, false
	}
	comp := g.components()
	teams := map[int]int{} // available teams by the part of the network their base is on
	for t := range twin.All[*twin.Team](s) {
		if t.Status != twin.Available {
			continue
		}
		if a, ok := g.Access(t.Base); ok {
			teams[comp[g.segs[a.seg].from]]++
		}
	}
	here := comp[g.segs[nearest.seg].from]
	best, bestN := here, teams[here]
	parts := make([]int, 0, len(teams))
	for c := range teams {
		parts = append(parts, c)
	}
	slices.Sort(parts)
	for _, c := range parts {
		if teams[c] > bestN {
			best, bestN = c, teams[c]
		}
	}
	if best == here {
		return in, nil, true
	}
	// The nearest road point of the part the teams are on.
	q := g.proj.Forward(inc.Position)
	bestD, bestSeg := math.Inf(1), -1
	for si, sg := range g.segs {
		if comp[sg.from] != best {
			continue
		}
		for i := 1; i < len(sg.pts); i++ {
			if _, d := project(q, sg.pts[i-1], sg.pts[i]); d < bestD {
				bestD, bestSeg = d, si
			}
		}
	}
	if bestSeg < 0 {
		return in, nil, true
	}
	// The point itself, as a place on that segment: Toward finds the
	// nearest road point to a place, so ask from the point on it.
	sg := g.segs[bestSeg]
	pt := sg.pts[0]
	bd := math.Inf(1)
	for i := 1; i < len(sg.pts); i++ {
		t, d := project(q, sg.pts[i-1], sg.pts[i])
		if d < bd {
			a, b := sg.pts[i-1], sg.pts[i]
			pt, bd = orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}, d
		}
	}
	at := g.proj.Inverse(pt)
	in2, ok := g.Toward(at)
	if !ok {
		return in, nil, true
	}
	ap := &Approach{Road: in2.dest.Road, HoseLayM: math.Round(spatial.Distance(at, inc.Position)), Nearest: nearest.Road,
		Closed: closedAround(s, g, comp, here), direct: in}
	var inside []string
	for t := range twin.All[*twin.Team](s) {
		if a, ok := g.Access(t.Base); ok && t.Status == twin.Available && comp[g.segs[a.seg].from] == here {
			ap.Inside = append(ap.Inside, t.ID)
		}
	}
	slices.Sort(ap.Inside)
	for _, id := range ap.Inside {
		if t, ok := twin.Lookup[*twin.Team](s, id); ok {
			inside = append(inside, t.Name)
		}
	}
	closed := msg.New("plan.roads.none")
	if len(ap.Closed) > 0 {
		closed = msg.New("plan.roads.closed", "roads", idList(ap.Closed))
	}
	ap.ReasonMsg = []msg.Msg{msg.New("plan.approach", "nearest", nearest.Road, "off", num0(nearest.OffM), "closed", closed,
		"road", ap.Road, "hose", num0(ap.HoseLayM))}
	if len(inside) > 0 {
		// A brigade based inside the cut-off part is not cut off: it
		// drives straight to the source.
		ap.ReasonMsg = []msg.Msg{msg.New("plan.approachInside", "nearest", nearest.Road, "off", num0(nearest.OffM), "closed", closed,
			"road", ap.Road, "hose", num0(ap.HoseLayM), "teams", idList(inside))}
	}
	if h := r.HoseLay; h.RelayBeyondM > 0 && ap.HoseLayM > h.RelayBeyondM {
		// One pumper's pressure does not carry a fire stream this far.
		ap.ReasonMsg = append(ap.ReasonMsg, msg.New("plan.approach.relay", "max", num0(h.RelayBeyondM), "source", cite(h.Source)))
	}
	ap.Reason = english(ap.ReasonMsg...)
	return in2, ap, true
}

// components labels every node with the part of the network it is on,
// the roads taken both ways: nodes joined by open roads share a label.
// The graph never changes, so the labels are computed once.
func (g *Graph) components() []int {
	b := g
	if g.base != nil {
		b = g.base
	}
	b.partsOnce.Do(func() { b.parts = b.label() })
	return b.parts
}

func (g *Graph) label() []int {
	parent := make([]int, len(g.nodes))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, sg := range g.segs {
		a, b := find(sg.from), find(sg.to)
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	out := make([]int, len(parent))
	for i := range out {
		out[i] = find(i)
	}
	return out
}

// closedAround returns the closed roads that touch part c of the
// network: those that would join it to the rest.
func closedAround(s *twin.Snapshot, g *Graph, comp []int, c int) []string {
	var out []string
	for rd := range twin.All[*twin.Road](s) {
		if !rd.Closed || len(rd.Line) < 2 {
			continue
		}
		for _, p := range []int{0, len(rd.Line) - 1} {
			if n, ok := g.index[rd.Line[p]]; ok && comp[n] == c {
				out = append(out, rd.ID)
				break
			}
		}
	}
	slices.SortFunc(out, cmp.Compare)
	return out
}

// closedRoads returns the IDs of the park's closed roads, at most n.
func closedRoads(s *twin.Snapshot, n int) []string {
	var out []string
	for rd := range twin.All[*twin.Road](s) {
		if rd.Closed {
			out = append(out, rd.ID)
		}
	}
	slices.Sort(out)
	if len(out) > n {
		out = append(out[:n], "…")
	}
	return out
}
