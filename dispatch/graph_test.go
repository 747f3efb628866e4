package dispatch_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"parktwin/dispatch"
	"parktwin/twin"
	"parktwin/twin/demo"
	"parktwin/twin/spatial"
)

var origin = orb.Point{120.85, 30.17}

// at returns the point x metres east and y north of the test origin,
// rounded as the park's roads are, so that segments meet exactly.
func at(x, y float64) orb.Point {
	p := spatial.Offset(origin, x, y)
	return orb.Point{math.Round(p[0]*1e7) / 1e7, math.Round(p[1]*1e7) / 1e7}
}

func road(id string, speed float64, oneWay bool, pts ...orb.Point) *twin.Road {
	return &twin.Road{ID: id, Name: id, Line: orb.LineString(pts), Class: twin.Secondary, SpeedKmh: speed, OneWay: oneWay}
}

func snapshot(t testing.TB, es ...twin.Entity) *twin.Snapshot {
	t.Helper()
	tw, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	park := &twin.Park{ID: twin.ParkID, Name: "测试", Boundary: orb.Polygon{{at(-3000, -3000), at(3000, -3000), at(3000, 3000), at(-3000, 3000), at(-3000, -3000)}}}
	if _, err := tw.Apply(context.Background(), twin.Creates(append([]twin.Entity{park}, es...)...)...); err != nil {
		t.Fatal(err)
	}
	return tw.Snapshot()
}

func near(got time.Duration, want float64) bool {
	return math.Abs(got.Seconds()-want) < 0.5
}

// A square of 1 km sides at 36 km/h (10 m/s): 100 s a side.
func square(oneWayTop bool) []twin.Entity {
	a, b, c, d := at(0, 0), at(1000, 0), at(1000, 1000), at(0, 1000)
	return []twin.Entity{
		road("RD-00001", 36, false, a, b),
		road("RD-00002", 36, false, b, c),
		road("RD-00003", 36, oneWayTop, c, d), // c → d only when one-way
		road("RD-00004", 36, false, d, a),
	}
}

func TestRouteAroundASquare(t *testing.T) {
	g := dispatch.NewGraph(snapshot(t, square(false)...))
	r, ok := g.From(at(500, 0)) // middle of the bottom
	if !ok {
		t.Fatal("no access")
	}
	route, ok := r.To(at(500, 1000)) // middle of the top
	if !ok || !near(route.Travel, 200) {
		t.Fatalf("to the top: %v %v, want 200 s", route, ok)
	}
	if len(route.Roads) != 3 || route.Roads[0] != "RD-00001" || route.Roads[2] != "RD-00003" {
		t.Errorf("roads %v", route.Roads)
	}
	same, _ := r.To(at(800, 0))
	if !near(same.Travel, 30) || len(same.Roads) != 1 {
		t.Errorf("along the same road: %v", same)
	}
}

func TestOneWayIsRespected(t *testing.T) {
	// The top runs c → d only: from d to c one must go round.
	g := dispatch.NewGraph(snapshot(t, square(true)...))
	r, _ := g.From(at(0, 1000)) // d
	route, ok := r.To(at(1000, 1000))
	if !ok || !near(route.Travel, 300) {
		t.Fatalf("d to c against the one-way: %v, want 300 s round the square", route.Travel)
	}
	r, _ = g.From(at(1000, 1000))
	if route, _ := r.To(at(0, 1000)); !near(route.Travel, 100) {
		t.Errorf("c to d with the one-way: %v, want 100 s", route.Travel)
	}
}

func TestClosedRoadChangesTheRoute(t *testing.T) {
	es := square(false)
	open := dispatch.NewGraph(snapshot(t, es...))
	r, _ := open.From(at(0, 0))
	before, _ := r.To(at(1000, 0))
	es[0].(*twin.Road).Closed = true
	closed := dispatch.NewGraph(snapshot(t, es...))
	r, _ = closed.From(at(0, 0))
	after, ok := r.To(at(1000, 0))
	if !ok || !near(before.Travel, 100) || !near(after.Travel, 300) {
		t.Errorf("before %v, after closing %v (%v)", before.Travel, after.Travel, ok)
	}
}

// On random grids the router's times equal those of an exhaustive
// Bellman-Ford over the same nodes.
func TestRoutesAreFastest(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		const n = 4
		var es []twin.Entity
		id := 0
		add := func(a, b orb.Point) {
			id++
			es = append(es, road(fmt.Sprintf("RD-%05d", id), float64(20+rng.IntN(60)), rng.IntN(4) == 0, a, b))
		}
		for i := range n {
			for j := range n {
				if i+1 < n {
					add(at(float64(i)*400, float64(j)*400), at(float64(i+1)*400, float64(j)*400))
				}
				if j+1 < n {
					add(at(float64(i)*400, float64(j)*400), at(float64(i)*400, float64(j+1)*400))
				}
			}
		}
		g := dispatch.NewGraph(snapshot(t, es...))
		want := bellmanFord(es, at(0, 0))
		r, _ := g.From(at(0, 0))
		for p, w := range want {
			got, ok := r.To(p)
			if math.IsInf(w, 1) {
				if ok && got.Travel > 0 {
					t.Errorf("seed %d: %v reached in %v, exhaustive search finds no way", seed, p, got.Travel)
				}
				continue
			}
			if !ok || !near(got.Travel, w) {
				t.Errorf("seed %d: to %v %v (%v), exhaustive %.1f s", seed, p, got.Travel, ok, w)
			}
		}
	}
}

// bellmanFord returns the fastest time from src (a junction) to every
// junction, relaxing every edge n times.
func bellmanFord(es []twin.Entity, src orb.Point) map[orb.Point]float64 {
	d := map[orb.Point]float64{}
	type e struct {
		a, b orb.Point
		s    float64
	}
	var edges []e
	for _, x := range es {
		r := x.(*twin.Road)
		a, b := r.Line[0], r.Line[len(r.Line)-1]
		s := spatial.Distance(a, b) / (r.SpeedKmh / 3.6)
		edges = append(edges, e{a, b, s})
		if !r.OneWay {
			edges = append(edges, e{b, a, s})
		}
		d[a], d[b] = math.Inf(1), math.Inf(1)
	}
	d[src] = 0
	for range len(d) {
		for _, x := range edges {
			if d[x.a]+x.s < d[x.b] {
				d[x.b] = d[x.a] + x.s
			}
		}
	}
	return d
}

// In the demo park every tank can be reached from every team's base.
func TestDemoParkEveryTankReachable(t *testing.T) {
	s := snapshotOf(t, demo.Generate(1, 1))
	g := dispatch.NewGraph(s)
	for team := range twin.All[*twin.Team](s) {
		r, ok := g.From(team.Base)
		if !ok {
			t.Fatalf("%s has no road", team.ID)
		}
		for tank := range twin.All[*twin.Tank](s) {
			route, ok := r.To(tank.Position)
			if !ok || route.Travel <= 0 || route.Travel > time.Hour {
				t.Fatalf("%s to %s: %v %v", team.ID, tank.ID, route.Travel, ok)
			}
		}
	}
}

func snapshotOf(t testing.TB, es []twin.Entity) *twin.Snapshot {
	t.Helper()
	tw, err := twin.Open(twin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	if _, err := tw.Apply(context.Background(), twin.Creates(es...)...); err != nil {
		t.Fatal(err)
	}
	return tw.Snapshot()
}

func BenchmarkRoute(b *testing.B) {
	for _, scale := range []int{1, 10} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			s := snapshotOf(b, demo.Generate(1, scale))
			g := dispatch.NewGraph(s)
			var tanks []orb.Point
			for tank := range twin.All[*twin.Tank](s) {
				tanks = append(tanks, tank.Position)
			}
			var teams []orb.Point
			for team := range twin.All[*twin.Team](s) {
				teams = append(teams, team.Base)
			}
			i := 0
			for b.Loop() {
				r, _ := g.From(teams[i%len(teams)])
				r.To(tanks[i%len(tanks)])
				i++
			}
		})
	}
}

// One search towards a place gives the same times as a search from each
// origin.
func TestInboundMatchesOutbound(t *testing.T) {
	s := snapshotOf(t, demo.Generate(2, 1))
	g := dispatch.NewGraph(s)
	var places []orb.Point
	for team := range twin.All[*twin.Team](s) {
		places = append(places, team.Base)
	}
	n := 0
	for tank := range twin.All[*twin.Tank](s) {
		if n++; n%37 != 0 {
			continue
		}
		in, ok := g.Toward(tank.Position)
		if !ok {
			t.Fatal("no access")
		}
		for _, p := range places {
			out, _ := g.From(p)
			want, _ := out.To(tank.Position)
			got, ok := in.From(p)
			if !ok || math.Abs(got.Travel.Seconds()-want.Travel.Seconds()) > 0.01 {
				t.Fatalf("%v to %s: inbound %v, outbound %v", p, tank.ID, got.Travel, want.Travel)
			}
			if got.Roads[0] == "" || len(got.Roads) == 0 {
				t.Fatalf("no roads: %v", got)
			}
		}
	}
}
