package demo

import (
	"math"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// The park lies on the reclaimed tidal flats of the south shore of
// Hangzhou Bay, about 10 km north of Shangyu's centre: between the
// Jiaxing–Shaoxing expressway to the west, Yuyao to the east and the
// seawall to the north. Everything is laid out in metres east and north
// of parkCentre.
var parkCentre = orb.Point{120.85, 30.168}

const (
	// The developable rectangle that the street grid covers.
	gridHalfW = 6000.0
	gridHalfH = 2500.0
	// streetSetback is the distance from a street's centre line to the
	// parcels beside it; cellGap separates the parcels of one block.
	streetSetback = 25.0
	cellGap       = 10.0
	// controlLineM is how far the land safety control line
	// (土地安全控制线) runs outside the boundary.
	controlLineM = 400.0
	// southRoadY is the road that links the park to the villages, schools
	// and the district fire station south of it; expresswayX is the
	// Jiaxing–Shaoxing expressway west of the park.
	southRoadY  = -3900.0
	expresswayX = -7600.0
)

// boundaryM is the park boundary (四至范围): convex and counter-clockwise,
// its north edge following the seawall, its south-east corner cut by the
// Yuyao border.
var boundaryM = []orb.Point{
	{-6350, -2850}, {5800, -2850}, {6400, -2400}, {6400, 2950},
	{3000, 3000}, {-3500, 2900}, {-6350, 2750},
}

// park returns the park: boundary, control line and the seawall.
func (g *gen) park() *twin.Park {
	var shore []orb.Point
	for x := -9000.0; x <= 9000; x += 600 {
		// A gently irregular seawall: the shore trends a little north
		// towards the east, with bays and headlands of some tens of metres.
		y := 3700 + 0.03*x + 60*math.Sin(x/1700) + 25*math.Sin(x/430+1)
		shore = append(shore, orb.Point{x, y})
	}
	return &twin.Park{
		ID:          twin.ParkID,
		Name:        "杭州湾上虞经济技术开发区",
		NameEn:      "Hangzhou Bay Shangyu Economic and Technological Development Zone",
		Boundary:    g.polygon(boundaryM),
		ControlLine: g.polygon(offsetConvex(boundaryM, controlLineM)),
		Shoreline:   g.line(shore),
	}
}

// offsetConvex returns the convex counter-clockwise ring moved outwards by
// d: each edge shifted along its outward normal, each vertex where the
// shifted edges meet.
func offsetConvex(ring []orb.Point, d float64) []orb.Point {
	n := len(ring)
	out := make([]orb.Point, n)
	for i := range n {
		prev, cur, next := ring[(i+n-1)%n], ring[i], ring[(i+1)%n]
		n1, n2 := outward(prev, cur), outward(cur, next)
		k := d / (1 + n1[0]*n2[0] + n1[1]*n2[1])
		out[i] = orb.Point{cur[0] + k*(n1[0]+n2[0]), cur[1] + k*(n1[1]+n2[1])}
	}
	return out
}

// outward is the unit normal on the right of the edge a→b, which points
// out of a counter-clockwise ring.
func outward(a, b orb.Point) orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	return orb.Point{dy / l, -dx / l}
}

// gridSize returns the number of blocks across (bx) and up (by) at a
// scale. A block holds four parcels, and there are half again as many
// parcels as enterprises so that some land stays vacant for rescue
// stations and warehouses. Blocks stay about square. The grid is then
// refined until its fixed share of road segments has grown at least in
// proportion to the scale, like every other count.
func gridSize(scale int) (bx, by int) {
	size := func(n int) (int, int) {
		by := max(3, int(math.Round(3*math.Sqrt(float64(n)))))
		return (24*n + by - 1) / by, by
	}
	bx1, by1 := size(1)
	bx, by = size(scale)
	for gridRoads(bx, by) < scale*gridRoads(bx1, by1) {
		if float64(bx)/float64(by) < gridHalfW/gridHalfH {
			bx++
		} else {
			by++
		}
	}
	return bx, by
}

// gridRoads counts the road segments whose number does not follow the
// number of enterprises: the grid between its crossings, the dual
// carriageway's second direction, the streets extended south and their
// stops on the southern road, and the expressway.
func gridRoads(bx, by int) int {
	grid := (bx+1)*by + (by+1)*bx // each street cut at every crossing
	dual := by                    // the central avenue's second direction
	ext := bx/2 + 1               // every other N–S street, and its stop south
	return grid + dual + 2*ext + 2
}

// layOut draws the street grid and cuts its blocks into parcels.
func (g *gen) layOut() {
	bx, by := gridSize(g.scale)
	g.xs = g.gridLines(bx, gridHalfW)
	g.ys = g.gridLines(by, gridHalfH)

	central := 1 // the N–S street nearest the centre is a dual carriageway
	for i := range g.xs[1 : len(g.xs)-1] {
		if math.Abs(g.xs[i+1]) < math.Abs(g.xs[central]) {
			central = i + 1
		}
	}
	for j, y := range g.ys {
		s := &street{name: "纬" + cnNum(j+1) + "路", horizontal: true, at: y, class: twin.Secondary, speed: 50}
		if j%3 == 0 || j == by {
			s.class, s.speed = twin.Arterial, 60
		}
		s.stops = append(s.stops, g.xs...)
		g.net.ew = append(g.net.ew, s)
	}
	for i, x := range g.xs {
		s := &street{name: "经" + cnNum(i+1) + "路", at: x, class: twin.Secondary, speed: 50}
		if i%4 == 0 || i == bx {
			s.class, s.speed = twin.Arterial, 60
		}
		if i == central {
			s.name, s.class, s.speed, s.dual = "园区大道", twin.Arterial, 60, true
		}
		s.stops = append(s.stops, g.ys...)
		g.net.ns = append(g.net.ns, s)
	}

	for j := range by {
		for i := range bx {
			x0, x1 := g.xs[i]+streetSetback, g.xs[i+1]-streetSetback
			y0, y1 := g.ys[j]+streetSetback, g.ys[j+1]-streetSetback
			xm, ym := (x0+x1)/2, (y0+y1)/2
			for _, half := range [2][2]float64{{x0, xm - cellGap/2}, {xm + cellGap/2, x1}} {
				g.cells = append(g.cells,
					&cell{x0: half[0], x1: half[1], y0: y0, y1: ym - cellGap/2, street: g.net.ew[j]},
					&cell{x0: half[0], x1: half[1], y0: ym + cellGap/2, y1: y1, north: true, street: g.net.ew[j+1]})
			}
		}
	}
}

// gridLines returns n+1 street lines from -half to half, the inner ones
// shifted a little off the even spacing.
func (g *gen) gridLines(n int, half float64) []float64 {
	step := 2 * half / float64(n)
	ls := make([]float64, n+1)
	for i := range ls {
		ls[i] = -half + float64(i)*step
		if i > 0 && i < n {
			ls[i] += g.between(-0.06, 0.06) * step
		}
	}
	return ls
}

// cell is one parcel-sized piece of a block, fronting the street on its
// north or south side. Positions inside it are given as u metres east of
// its west edge and v metres in from its street front.
type cell struct {
	x0, x1, y0, y1 float64
	north          bool    // fronts the street to its north
	street         *street // the street it fronts
	taken          bool
}

func (c *cell) width() float64 { return c.x1 - c.x0 }
func (c *cell) depth() float64 { return c.y1 - c.y0 }

func (c *cell) centre() orb.Point { return orb.Point{(c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2} }

// at returns the point u metres east of the cell's west edge and v metres
// in from its front; v < 0 lies towards the street.
func (c *cell) at(u, v float64) orb.Point {
	if c.north {
		return orb.Point{c.x0 + u, c.y1 - v}
	}
	return orb.Point{c.x0 + u, c.y0 + v}
}

// rect returns the rectangle [u0, u1] × [v0, v1] of the cell.
func (c *cell) rect(u0, u1, v0, v1 float64) []orb.Point {
	return []orb.Point{c.at(u0, v0), c.at(u1, v0), c.at(u1, v1), c.at(u0, v1)}
}

// gate makes a junction on the cell's street at u and returns it.
func (c *cell) gate(u float64) orb.Point {
	return c.street.stop(c.x0 + u)
}
