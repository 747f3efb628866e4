package demo

import (
	"fmt"

	"github.com/paulmach/orb"

	"parktwin/twin"
)

// Syllables of invented village names.
var (
	placeFirst  = []rune("海新东西南长滨塘围丰兴和安永庆沙涂盐港宁")
	placeSecond = []rune("塘围丰兴星湾港桥浦闸圩湖江沿头前后阳")
)

// outside lays out what lies south of the park: the road that links it to
// the villages, the extended streets that reach that road, the
// Jiaxing–Shaoxing expressway to the west, the sensitive targets and the
// sites of the district fire stations.
func (g *gen) outside() {
	g.south = &street{name: "园区南连线", class: twin.Arterial, speed: 60, horizontal: true, at: southRoadY}
	g.net.others = append(g.net.others, g.south)
	var exits []float64
	for i := 0; i < len(g.xs); i += 2 {
		x := g.xs[i]
		exits = append(exits, x)
		ns := g.net.ns[i]
		g.net.add(piece{line: []orb.Point{ns.point(g.ys[0]), g.south.stop(x)}, name: ns.name, class: twin.Secondary, speed: 50})
	}
	xway := &street{name: "嘉绍高速", class: twin.Expressway, speed: 100, at: expresswayX,
		stops: []float64{-6800, southRoadY, 3300}}
	g.net.others = append(g.net.others, xway)
	g.south.stop(expresswayX)

	// Targets and stations take one east–west bin each, so that their
	// links never cross, in random order.
	const west, east = -7000.0, 7600.0
	n := targetsPerUnit * g.scale
	bins := n + g.scale
	width := (east - west) / float64(bins)
	sites := make([]float64, bins)
	for b, o := range g.r.Perm(bins) {
		x := west + (float64(o)+0.5+g.between(-0.25, 0.25))*width
		for _, e := range exits {
			if abs(x-e) < 20 {
				x = e + 20*sign(x-e)
			}
		}
		sites[b] = x
	}
	kinds := []twin.TargetType{twin.School, twin.School, twin.Hospital, twin.Residential, twin.Residential,
		twin.Residential, twin.Residential, twin.Residential, twin.NursingHome, twin.WaterSource}
	for i := range n {
		x, y := sites[i], g.between(-6900, -4400)
		t := &twin.Target{ID: fmt.Sprintf("TGT-%02d", i+1), Type: kinds[i%len(kinds)]}
		place := g.placeName()
		switch t.Type {
		case twin.School:
			t.Name, t.Population = place+[]string{"小学", "中学"}[i%2], 100*g.intBetween(6, 18)
		case twin.Hospital:
			t.Name, t.Population = "上虞区"+place+"医院", 100*g.intBetween(3, 9)
		case twin.NursingHome:
			t.Name, t.Population = place+"敬老院", 10*g.intBetween(8, 25)
		case twin.WaterSource:
			t.Name, t.Population = place+"水厂取水口", 0
		default:
			t.Name, t.Population = place+"村", 100*g.intBetween(8, 35)
			if i%len(kinds) == 7 {
				t.Name, t.Population = place+"社区", 100*g.intBetween(30, 80)
			}
		}
		end := orb.Point{x + g.between(-0.2, 0.2)*width, y}
		t.Position = g.ll(end)
		g.link(x, end, t.Name+"连接路", twin.Branch, 30, true)
		g.targets = append(g.targets, t)
	}
	for _, x := range sites[n:] {
		g.stations = append(g.stations, orb.Point{x, g.between(-6200, -5000)})
	}
}

// link builds a road from the southern road at x to end, bending half
// way like a village road. Roads to villages are closed to hazardous
// goods vehicles.
func (g *gen) link(x float64, end orb.Point, name string, class twin.RoadClass, speed float64, hazmat bool) {
	start := g.south.stop(x)
	mid := orb.Point{x, (start[1] + end[1]) / 2}
	g.net.add(piece{line: []orb.Point{start, mid, end}, name: name, class: class, speed: speed, hazmat: hazmat})
}

// placeName invents a place name not used before.
func (g *gen) placeName() string {
	return g.unique(func() string {
		return string(placeFirst[g.r.IntN(len(placeFirst))]) + string(placeSecond[g.r.IntN(len(placeSecond))])
	})
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}
