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
	byID  map[string]int // road ID → index in roads
	// segs are the open segments, for finding the nearest road point.
	segs []segment
	proj spatial.Projection
	// accesses caches Access by point: team bases and warehouses are
	// looked up for every plan, and each lookup scans every segment.
	accesses *sync.Map // orb.Point → accessResult
	// hot marks the roads (by index) inside a hot zone: a view made by
	// Avoiding. Their edges cost hotPenalty more, so that a route crosses
	// none while any other way exists, and a unit whose base lies inside
	// leaves by the fewest of them. nil: none.
	hot []bool
	// base is the graph a view was made from (itself for a graph).
	base *Graph
	// segGrid finds the nearest segment; built once, on first use.
	gridOnce sync.Once
	segGrid  *segGrid
	// parts labels each node with its part of the network (components),
	// computed once on the base graph, whose views share its roads: every
	// plan asks whether its road point is cut off.
	parts     []int
	partsOnce sync.Once
}

// hotPenalty is what a hot road costs beyond its travel time: more than
// any route across the park, so that it is taken only when nothing else
// reaches.
const hotPenalty = 1e6

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
	g := &Graph{index: map[orb.Point]int{}, byID: map[string]int{}, proj: spatial.NewProjection(origin), accesses: &sync.Map{}}
	g.base = g
	for r := range twin.All[*twin.Road](s) {
		if r.Closed || len(r.Line) < 2 {
			continue
		}
		ri := len(g.roads)
		g.roads = append(g.roads, r)
		g.byID[r.ID] = ri
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

// Avoiding returns a view of the graph in which the roads named in hot
// are closed for routing: a route crosses none of them while any other
// way exists (Route.Hot names those it must cross, leaving a hot zone it
// starts in). The view shares the network; it keeps its own accesses.
func (g *Graph) Avoiding(hot map[string]bool) *Graph {
	b := g.base
	v := &Graph{nodes: b.nodes, index: b.index, out: b.out, in: b.in, roads: b.roads, byID: b.byID, segs: b.segs, proj: b.proj,
		accesses: &sync.Map{}, base: b, hot: make([]bool, len(b.roads))}
	for i, r := range b.roads {
		v.hot[i] = hot[r.ID]
	}
	return v
}

// isHot reports whether road index ri is closed in this view.
func (g *Graph) isHot(ri int) bool { return g.hot != nil && g.hot[ri] }

// cost is what driving an edge costs the search.
func (g *Graph) cost(e edge) float64 {
	if g.isHot(e.road) {
		return e.seconds + hotPenalty
	}
	return e.seconds
}

// Nodes returns the junctions of the network, WGS84.
func (g *Graph) Nodes() []orb.Point { return g.nodes }

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
	if g.hot == nil {
		return g.nearest(p, false)
	}
	// A view: the base's answer unless it is a hot road and an open one
	// is about as near (a junction at a hot zone's edge lies on both).
	a, ok := g.base.Access(p)
	if !ok || !g.isHot(g.segs[a.seg].road) {
		return a, ok
	}
	if o, ok := g.nearest(p, true); ok && o.OffM <= a.OffM+1 {
		return o, true
	}
	return a, true
}

// nearest returns where p meets the nearest segment, or the nearest open
// one. It searches the grid's cells in rings about p, out to where no
// nearer segment can lie.
func (g *Graph) nearest(p orb.Point, open bool) (Access, bool) {
	q := g.proj.Forward(p)
	best, found := Access{OffM: math.Inf(1)}, false
	bestD2 := math.Inf(1)
	gr := g.grid()
	seen := make([]bool, len(g.segs))
	try := func(si int) {
		if seen[si] {
			return
		}
		seen[si] = true
		s := g.segs[si]
		if open && g.isHot(s.road) {
			return
		}
		along := 0.0
		for i := 1; i < len(s.pts); i++ {
			a, b := s.pts[i-1], s.pts[i]
			t, d2 := project2(q, a, b)
			if d2 < bestD2 || d2 == bestD2 && si < best.seg {
				l := dist(a, b)
				pos := along + t*l
				bestD2 = d2
				best = Access{Road: g.roads[s.road].ID, OffM: math.Sqrt(d2), seg: si,
					Point:   g.proj.Inverse(orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}),
					fromSec: pos / s.speedMps, toSec: (s.lengthM - pos) / s.speedMps}
				found = true
			}
			along += dist(a, b)
		}
	}
	cx, cy := gr.cellOf(q)
	for r := 0; ; r++ {
		// Every segment in a cell beyond ring r lies at least r cells away.
		if found && best.OffM <= float64(r-1)*gr.size {
			break
		}
		if r > gr.nx+gr.ny+abs(cx)+abs(cy) {
			break
		}
		for x := cx - r; x <= cx+r; x++ {
			for y := cy - r; y <= cy+r; y++ {
				if r > 0 && x != cx-r && x != cx+r && y != cy-r && y != cy+r {
					continue // inside the ring: done
				}
				for _, si := range gr.at(x, y) {
					try(int(si))
				}
			}
		}
	}
	return best, found
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// segGrid buckets the segments by the square cells their bounds cover,
// for finding the nearest to a point without scanning them all.
type segGrid struct {
	size       float64 // a cell's side, m
	minX, minY float64
	nx, ny     int
	cells      [][]int32
}

const gridCellM = 250

func (gr *segGrid) cellOf(p orb.Point) (int, int) {
	return int(math.Floor((p[0] - gr.minX) / gr.size)), int(math.Floor((p[1] - gr.minY) / gr.size))
}

func (gr *segGrid) at(x, y int) []int32 {
	if x < 0 || y < 0 || x >= gr.nx || y >= gr.ny {
		return nil
	}
	return gr.cells[y*gr.nx+x]
}

// grid returns the graph's grid, built on first use (a view shares its
// graph's).
func (g *Graph) grid() *segGrid {
	b := g.base
	b.gridOnce.Do(func() {
		gr := &segGrid{size: gridCellM, minX: math.Inf(1), minY: math.Inf(1)}
		maxX, maxY := math.Inf(-1), math.Inf(-1)
		for _, s := range b.segs {
			for _, p := range s.pts {
				gr.minX, gr.minY = min(gr.minX, p[0]), min(gr.minY, p[1])
				maxX, maxY = max(maxX, p[0]), max(maxY, p[1])
			}
		}
		if len(b.segs) == 0 {
			gr.minX, gr.minY, maxX, maxY = 0, 0, 0, 0
		}
		gr.nx, gr.ny = int((maxX-gr.minX)/gr.size)+1, int((maxY-gr.minY)/gr.size)+1
		gr.cells = make([][]int32, gr.nx*gr.ny)
		for si, s := range b.segs {
			x0, y0 := math.Inf(1), math.Inf(1)
			x1, y1 := math.Inf(-1), math.Inf(-1)
			for _, p := range s.pts {
				x0, y0, x1, y1 = min(x0, p[0]), min(y0, p[1]), max(x1, p[0]), max(y1, p[1])
			}
			ax, ay := gr.cellOf(orb.Point{x0, y0})
			bx, by := gr.cellOf(orb.Point{x1, y1})
			for y := ay; y <= by; y++ {
				for x := ax; x <= bx; x++ {
					gr.cells[y*gr.nx+x] = append(gr.cells[y*gr.nx+x], int32(si))
				}
			}
		}
		b.segGrid = gr
	})
	return b.segGrid
}

// project returns where q falls on segment ab (0 to 1) and its distance.
func project(q, a, b orb.Point) (float64, float64) {
	t, d2 := project2(q, a, b)
	return t, math.Sqrt(d2)
}

// project2 is project with the squared distance: no square root in the
// scans that only compare.
func project2(q, a, b orb.Point) (float64, float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, ((q[0]-a[0])*dx+(q[1]-a[1])*dy)/l2))
	}
	ex, ey := q[0]-(a[0]+t*dx), q[1]-(a[1]+t*dy)
	return t, ex*ex + ey*ey
}

// Route is the fastest way from one place to another.
type Route struct {
	Travel time.Duration
	Roads  []string // the road segments driven, in order
	// Hot are the roads of Roads a view closes that the route must
	// cross: only a route that starts (or ends) in a hot zone has any.
	Hot []string
}

// Router answers fastest routes from one origin: it runs Dijkstra once and
// can then be asked for any destination.
type Router struct {
	g    *Graph
	from Access
	sec  []float64 // least cost from the origin's road point to each node
	real []float64 // the travel time of that way
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
	r.sec, r.real, r.prev, r.road = g.search(g.out, seeds)
	return r, true
}

// seed is where a search starts: a node, the time to reach it, and the
// road it is reached by.
type seed struct {
	node int
	sec  float64
	road int
}

// search runs Dijkstra from the seeds over adj, and returns the least
// cost to each node (its travel time, plus hotPenalty for each hot road
// in a view), the travel time of that way, the node each was reached
// from (-1 for a seed) and the road taken. Over g.out it searches forward
// from an origin; over g.in, backward from a destination. A seed on a hot
// road costs the penalty too.
func (g *Graph) search(adj [][]edge, seeds []seed) (sec, real []float64, link, road []int) {
	n := len(g.nodes)
	sec, link, road = make([]float64, n), make([]int, n), make([]int, n)
	real = make([]float64, n)
	for i := range sec {
		sec[i], link[i], road[i] = math.Inf(1), -1, -1
	}
	var pq nodeQueue
	relax := func(n int, s, t float64, from, r int) {
		if s < sec[n] {
			sec[n], real[n], link[n], road[n] = s, t, from, r
			heap.Push(&pq, nodeItem{n, s})
		}
	}
	for _, sd := range seeds {
		c := sd.sec
		if g.isHot(sd.road) {
			c += hotPenalty
		}
		relax(sd.node, c, sd.sec, -1, sd.road)
	}
	for pq.Len() > 0 {
		it := heap.Pop(&pq).(nodeItem)
		if it.sec > sec[it.node] {
			continue
		}
		for _, e := range adj[it.node] {
			relax(e.to, it.sec+g.cost(e), real[it.node]+e.seconds, it.node, e.road)
		}
	}
	return sec, real, link, road
}

// hotOf returns the roads of a route that the view closes.
func (g *Graph) hotOf(roads []string) []string {
	if g.hot == nil {
		return nil
	}
	var out []string
	for _, id := range roads {
		if ri, ok := g.byID[id]; ok && g.hot[ri] {
			out = append(out, id)
		}
	}
	return out
}

// To returns the fastest route from the origin to p's road point; false
// when p cannot be reached.
func (r *Router) To(p orb.Point) (Route, bool) {
	a, ok := r.g.Access(p)
	if !ok {
		return Route{}, false
	}
	s := r.g.segs[a.seg]
	best, end, travel := math.Inf(1), -1, 0.0
	pen := 0.0
	if r.g.isHot(s.road) {
		pen = hotPenalty
	}
	// Arrive along the segment from its start, or from its end unless it
	// is one-way (or the point is the end).
	if t := r.sec[s.from] + a.fromSec + pen; t < best {
		best, end, travel = t, s.from, r.real[s.from]+a.fromSec
	}
	if !s.oneWay || a.toSec == 0 {
		if t := r.sec[s.to] + a.toSec + pen; t < best {
			best, end, travel = t, s.to, r.real[s.to]+a.toSec
		}
	}
	// Origin and destination on the same segment, the destination ahead.
	if a.seg == r.from.seg {
		if d := a.fromSec - r.from.fromSec; d >= 0 || !s.oneWay {
			if t := math.Abs(d) + pen; t < best {
				roads := []string{a.Road}
				return Route{Travel: seconds(math.Abs(d)), Roads: roads, Hot: r.g.hotOf(roads)}, true
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
	return Route{Travel: seconds(travel), Roads: out, Hot: r.g.hotOf(out)}, true
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
	sec  []float64 // least cost from each node to the destination
	real []float64 // the travel time of that way
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
	in.sec, in.real, in.next, in.road = g.search(g.in, seeds)
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
	best, start, travel := math.Inf(1), -1, 0.0
	pen := 0.0
	if in.g.isHot(s.road) {
		pen = hotPenalty
	}
	if t := a.toSec + in.sec[s.to] + pen; t < best {
		best, start, travel = t, s.to, a.toSec+in.real[s.to]
	}
	if !s.oneWay || a.fromSec == 0 {
		if t := a.fromSec + in.sec[s.from] + pen; t < best {
			best, start, travel = t, s.from, a.fromSec+in.real[s.from]
		}
	}
	if a.seg == in.dest.seg {
		if d := in.dest.fromSec - a.fromSec; d >= 0 || !s.oneWay {
			if t := math.Abs(d) + pen; t < best {
				roads := []string{a.Road}
				return Route{Travel: seconds(math.Abs(d)), Roads: roads, Hot: in.g.hotOf(roads)}, true
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
	return Route{Travel: seconds(travel), Roads: roads, Hot: in.g.hotOf(roads)}, true
}

// Cost returns the search's cost from p to the destination: its travel
// time, plus hotPenalty for every hot road on the way; +Inf when p cannot
// reach it.
func (in *Inbound) Cost(p orb.Point) float64 {
	a, ok := in.g.Access(p)
	if !ok {
		return math.Inf(1)
	}
	s := in.g.segs[a.seg]
	best := math.Inf(1)
	pen := 0.0
	if in.g.isHot(s.road) {
		pen = hotPenalty
	}
	best = min(best, a.toSec+in.sec[s.to]+pen)
	if !s.oneWay || a.fromSec == 0 {
		best = min(best, a.fromSec+in.sec[s.from]+pen)
	}
	if a.seg == in.dest.seg {
		best = min(best, math.Abs(in.dest.fromSec-a.fromSec)+pen)
	}
	return best
}
