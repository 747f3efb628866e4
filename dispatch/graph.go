package dispatch

import (
	"container/heap"
	"math"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"parktwin/twin"
	"parktwin/twin/spatial"
)

// Graph is the park's road network as a directed graph: a node at every
// junction (segments meet where their end points are equal), an edge for
// each direction a segment may be driven. Closed segments are left out,
// so a graph built after a road is closed routes around it.
type Graph struct {
	nodes []orb.Point
	index map[orb.Point]int
	out   [][]edge // out[n]: edges leaving node n
	in    [][]edge // in[n]: edges arriving at node n, each with to = the node it leaves
	roads []*twin.Road
	// segs are the open segments, for finding the nearest road point.
	segs []segment
	proj spatial.Projection
	// accesses caches Access by point: team bases and warehouses are
	// looked up for every plan, and each lookup scans every segment.
	accesses sync.Map // orb.Point → accessResult
	// parts labels each node with its part of the network (components),
	// computed once: every plan asks whether its road point is cut off.
	parts     []int
	partsOnce sync.Once
}

type accessResult struct {
	a  Access
	ok bool
}

type edge struct {
	to      int
	road    int     // index in Graph.roads
	seconds float64 // travel time along the whole segment
}

// segment is one open road segment in the projected plane.
type segment struct {
	road     int
	from, to int         // node indexes, in the line's direction
	pts      []orb.Point // the line, projected, in metres
	lengthM  float64
	speedMps float64
	oneWay   bool
}

// NewGraph builds the graph of the open roads in s.
func NewGraph(s *twin.Snapshot) *Graph {
	origin := orb.Point{120.85, 30.17}
	if p := s.Park(); p != nil {
		origin = p.Boundary.Bound().Center()
	}
	g := &Graph{index: map[orb.Point]int{}, proj: spatial.NewProjection(origin)}
	for r := range twin.All[*twin.Road](s) {
		if r.Closed || len(r.Line) < 2 {
			continue
		}
		ri := len(g.roads)
		g.roads = append(g.roads, r)
		a, b := g.node(r.Line[0]), g.node(r.Line[len(r.Line)-1])
		seg := segment{road: ri, from: a, to: b, speedMps: r.SpeedKmh / 3.6, oneWay: r.OneWay}
		for _, p := range r.Line {
			seg.pts = append(seg.pts, g.proj.Forward(p))
		}
		for i := 1; i < len(seg.pts); i++ {
			seg.lengthM += dist(seg.pts[i-1], seg.pts[i])
		}
		g.segs = append(g.segs, seg)
		secs := seg.lengthM / seg.speedMps
		g.out[a] = append(g.out[a], edge{to: b, road: ri, seconds: secs})
		g.in[b] = append(g.in[b], edge{to: a, road: ri, seconds: secs})
		if !r.OneWay {
			g.out[b] = append(g.out[b], edge{to: a, road: ri, seconds: secs})
			g.in[a] = append(g.in[a], edge{to: b, road: ri, seconds: secs})
		}
	}
	return g
}

func (g *Graph) node(p orb.Point) int {
	if i, ok := g.index[p]; ok {
		return i
	}
	g.index[p] = len(g.nodes)
	g.nodes = append(g.nodes, p)
	g.out = append(g.out, nil)
	g.in = append(g.in, nil)
	return len(g.nodes) - 1
}

func dist(a, b orb.Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// Access is where a place meets the road network: the nearest point on an
// open segment, and the time to drive from it to each end (or from each
// end to it) along the segment.
type Access struct {
	Road    string    // the segment's ID
	Point   orb.Point // the road point, WGS84
	OffM    float64   // from the place to the road point, in a straight line
	seg     int
	fromSec float64 // from the segment's start node to the point
	toSec   float64 // from the point to the segment's end node
}

// Access returns where p meets the road network; false when there are no
// open roads.
func (g *Graph) Access(p orb.Point) (Access, bool) {
	if r, ok := g.accesses.Load(p); ok {
		return r.(accessResult).a, r.(accessResult).ok
	}
	a, ok := g.access(p)
	g.accesses.Store(p, accessResult{a, ok})
	return a, ok
}

func (g *Graph) access(p orb.Point) (Access, bool) {
	q := g.proj.Forward(p)
	best, found := Access{OffM: math.Inf(1)}, false
	for si, s := range g.segs {
		along := 0.0
		for i := 1; i < len(s.pts); i++ {
			a, b := s.pts[i-1], s.pts[i]
			t, d := project(q, a, b)
			if d < best.OffM {
				l := dist(a, b)
				pos := along + t*l
				best = Access{Road: g.roads[s.road].ID, OffM: d, seg: si,
					Point:   g.proj.Inverse(orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}),
					fromSec: pos / s.speedMps, toSec: (s.lengthM - pos) / s.speedMps}
				found = true
			}
			along += dist(a, b)
		}
	}
	return best, found
}

// project returns where q falls on segment ab (0 to 1) and its distance.
func project(q, a, b orb.Point) (float64, float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, ((q[0]-a[0])*dx+(q[1]-a[1])*dy)/l2))
	}
	return t, math.Hypot(q[0]-(a[0]+t*dx), q[1]-(a[1]+t*dy))
}

// Route is the fastest way from one place to another.
type Route struct {
	Travel time.Duration
	Roads  []string // the road segments driven, in order
}

// Router answers fastest routes from one origin: it runs Dijkstra once and
// can then be asked for any destination.
type Router struct {
	g    *Graph
	from Access
	sec  []float64 // fastest time from the origin's road point to each node
	prev []int
	road []int
}

// From computes the fastest times from p's road point to every node.
func (g *Graph) From(p orb.Point) (*Router, bool) {
	a, ok := g.Access(p)
	if !ok {
		return nil, false
	}
	s := g.segs[a.seg]
	// Leave the road point towards the segment's end, and towards its
	// start unless the segment is one-way (or the point is the start).
	seeds := []seed{{s.to, a.toSec, s.road}}
	if !s.oneWay || a.fromSec == 0 {
		seeds = append(seeds, seed{s.from, a.fromSec, s.road})
	}
	r := &Router{g: g, from: a}
	r.sec, r.prev, r.road = g.search(g.out, seeds)
	return r, true
}

// seed is where a search starts: a node, the time to reach it, and the
// road it is reached by.
type seed struct {
	node int
	sec  float64
	road int
}

// search runs Dijkstra from the seeds over adj, and returns the fastest
// time to each node, the node each was reached from (-1 for a seed) and
// the road taken. Over g.out it searches forward from an origin; over
// g.in, backward from a destination.
func (g *Graph) search(adj [][]edge, seeds []seed) (sec []float64, link, road []int) {
	n := len(g.nodes)
	sec, link, road = make([]float64, n), make([]int, n), make([]int, n)
	for i := range sec {
		sec[i], link[i], road[i] = math.Inf(1), -1, -1
	}
	var pq nodeQueue
	relax := func(n int, s float64, from, r int) {
		if s < sec[n] {
			sec[n], link[n], road[n] = s, from, r
			heap.Push(&pq, nodeItem{n, s})
		}
	}
	for _, sd := range seeds {
		relax(sd.node, sd.sec, -1, sd.road)
	}
	for pq.Len() > 0 {
		it := heap.Pop(&pq).(nodeItem)
		if it.sec > sec[it.node] {
			continue
		}
		for _, e := range adj[it.node] {
			relax(e.to, it.sec+e.seconds, it.node, e.road)
		}
	}
	return sec, link, road
}

// To returns the fastest route from the origin to p's road point; false
// when p cannot be reached.
func (r *Router) To(p orb.Point) (Route, bool) {
	a, ok := r.g.Access(p)
	if !ok {
		return Route{}, false
	}
	s := r.g.segs[a.seg]
	best, end := math.Inf(1), -1
	// Arrive along the segment from its start, or from its end unless it
	// is one-way (or the point is the end).
	if t := r.sec[s.from] + a.fromSec; t < best {
		best, end = t, s.from
	}
	if !s.oneWay || a.toSec == 0 {
		if t := r.sec[s.to] + a.toSec; t < best {
			best, end = t, s.to
		}
	}
	// Origin and destination on the same segment, the destination ahead.
	if a.seg == r.from.seg {
		if d := a.fromSec - r.from.fromSec; d >= 0 || !s.oneWay {
			if t := math.Abs(d); t < best {
				return Route{Travel: seconds(t), Roads: []string{a.Road}}, true
			}
		}
	}
	if math.IsInf(best, 1) {
		return Route{}, false
	}
	var roads []string
	roads = append(roads, a.Road)
	for n := end; n >= 0; n = r.prev[n] {
		roads = append(roads, r.g.roads[r.road[n]].ID)
	}
	// Reverse into driving order, dropping repeats of a segment entered
	// and left at a road point.
	out := make([]string, 0, len(roads))
	for i := len(roads) - 1; i >= 0; i-- {
		if len(out) == 0 || out[len(out)-1] != roads[i] {
			out = append(out, roads[i])
		}
	}
	return Route{Travel: seconds(best), Roads: out}, true
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

type nodeItem struct {
	node int
	sec  float64
}

type nodeQueue []nodeItem

func (q nodeQueue) Len() int { return len(q) }
func (q nodeQueue) Less(i, j int) bool {
	return q[i].sec < q[j].sec || (q[i].sec == q[j].sec && q[i].node < q[j].node)
}
func (q nodeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *nodeQueue) Push(x any)   { *q = append(*q, x.(nodeItem)) }
func (q *nodeQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// Inbound answers fastest routes to one destination from anywhere: one
// search over the reversed graph serves every team and warehouse that
// might go to an incident.
type Inbound struct {
	g    *Graph
	dest Access
	sec  []float64 // fastest time from each node to the destination
	next []int     // the node after each on its fastest way
	road []int     // the segment driven from each node
}

// Toward computes the fastest times from every node to p's road point.
func (g *Graph) Toward(p orb.Point) (*Inbound, bool) {
	a, ok := g.Access(p)
	if !ok {
		return nil, false
	}
	s := g.segs[a.seg]
	// Reach the road point from the segment's start, and from its end
	// unless the segment is one-way (or the point is the end).
	seeds := []seed{{s.from, a.fromSec, s.road}}
	if !s.oneWay || a.toSec == 0 {
		seeds = append(seeds, seed{s.to, a.toSec, s.road})
	}
	in := &Inbound{g: g, dest: a}
	in.sec, in.next, in.road = g.search(g.in, seeds)
	return in, true
}

// From returns the fastest route from p's road point to the destination;
// false when there is none.
func (in *Inbound) From(p orb.Point) (Route, bool) {
	a, ok := in.g.Access(p)
	if !ok {
		return Route{}, false
	}
	s := in.g.segs[a.seg]
	best, start := math.Inf(1), -1
	if t := a.toSec + in.sec[s.to]; t < best {
		best, start = t, s.to
	}
	if !s.oneWay || a.fromSec == 0 {
		if t := a.fromSec + in.sec[s.from]; t < best {
			best, start = t, s.from
		}
	}
	if a.seg == in.dest.seg {
		if d := in.dest.fromSec - a.fromSec; d >= 0 || !s.oneWay {
			if t := math.Abs(d); t < best {
				return Route{Travel: seconds(t), Roads: []string{a.Road}}, true
			}
		}
	}
	if math.IsInf(best, 1) {
		return Route{}, false
	}
	roads := []string{a.Road}
	for n := start; n >= 0; n = in.next[n] {
		if id := in.g.roads[in.road[n]].ID; id != roads[len(roads)-1] {
			roads = append(roads, id)
		}
	}
	return Route{Travel: seconds(best), Roads: roads}, true
}
